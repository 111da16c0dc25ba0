"""JSON from outside (assessments, scoring schemas) read with limits.

``json.loads`` alone raises RecursionError on 100,000 nested brackets, ValueError
on an integer of more than 4,300 digits, and gives integers that later overflow
a float. ``loads`` refuses such input first, with ``LimitError`` (a ValueError
whose message is in Chinese). NaN and Infinity are not JSON and are refused too.
Limits are documented in docs/security.md.
"""
from __future__ import annotations

import json
import re

MAX_DEPTH = 64
MAX_DIGITS = 100
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")


class LimitError(ValueError):
    """JSON past a limit; the message says which, in Chinese."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


def loads(text: str | bytes):
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    _check_depth(text)
    return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)


def _check_depth(text: str) -> None:
    depth = 0
    bare = _STRING.sub('""', text)
    for match in _BRACKETS.finditer(bare):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = bare.count("\n", 0, match.start()) + 1
            raise LimitError(f"JSON 嵌套超过 {MAX_DEPTH} 层", line)


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise LimitError(f"整数超过 {MAX_DIGITS} 位")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS + 10:
        raise LimitError(f"数字超过 {MAX_DIGITS} 位")
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise LimitError(f"数字 {text[:20]} 超出范围")
    return value


def _constant(name: str):
    raise LimitError(f"{name} 不是 JSON 的数值")
