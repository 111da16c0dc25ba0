"""GB list markers as written: which marker a line starts with, its kind and level.

Kept apart from ``gblists`` (which works on docutils doctrees) so that rules can use
them without importing docutils (a check of cached models imports no reader).
"""
from __future__ import annotations

import re

# Markers in the order they are tried; GB ones first, then non-GB ones the checker flags.
LIST_MARKER = re.compile(r"^(——|·|[a-z][)）]|\d+[)）]|[①-⑳]|•|\(\d+\)|（\d+）)\s*")
NOTE_START = re.compile(r"^(注\s*\d*\s*[：:]|示例\s*\d*\s*[：:])")


def marker_level(marker: str) -> int:
    """The level a GB marker belongs to: 1 for —— and a), 2 for · and 1)."""
    return 2 if marker == "·" or marker[:1].isdigit() else 1


def marker_kind(marker: str) -> str:
    """dash (——), letter (a)), number (1)), dot (·), or other (a marker GB/T 1.1 does not know)."""
    if marker == "——":
        return "dash"
    if marker == "·":
        return "dot"
    if re.fullmatch(r"[a-z][)）]", marker):
        return "letter"
    if re.fullmatch(r"\d+[)）]", marker):
        return "number"
    return "other"
