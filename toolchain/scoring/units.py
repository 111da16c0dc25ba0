"""Units as the standards write them: “吨标准煤（tce）”, “平方米（m²）”, “%”.

A unit is accepted in any of its spellings: as written, without the bracketed
symbol, or as the bracketed symbol alone. Units described in words
(“产品单位，视产品种类而定”) have no fixed spelling and are not checked.
"""
from __future__ import annotations

import re

_BRACKETED = re.compile(r"[（(]([^（）()]+)[）)]")
_DESCRIBED = re.compile(r"[，,]|视")


def spellings(unit: str) -> list[str]:
    """The spellings of ``unit`` an assessment may use; [] when the unit is only described."""
    if not unit or _DESCRIBED.search(unit):
        return []
    found = [unit, _BRACKETED.sub("", unit).strip()]
    tail = _BRACKETED.search(unit)
    if tail and tail.end() == len(unit):
        found.append(tail.group(1).strip())
    return list(dict.fromkeys(s for s in found if s))


def normalise(unit: str) -> str:
    """Compare units loosely: no spaces, full-width brackets and superscripts as ASCII, lower case."""
    text = unit.translate(str.maketrans({"²": "2", "³": "3", "（": "(", "）": ")", "／": "/", "^": None}))
    return re.sub(r"\s+", "", text).lower()
