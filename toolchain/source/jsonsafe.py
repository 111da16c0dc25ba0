"""JSON from outside (assessments, scoring schemas) read with limits.

``json.loads`` alone raises RecursionError on 100,000 nested brackets, ValueError
on an integer of more than 4,300 digits, and gives integers that later overflow
a float. ``loads`` refuses such input first, with ``LimitError`` (a ValueError
whose message is in Chinese). NaN and Infinity are not JSON and are refused too.
Limits are documented in docs/security.md.

``loads_fast`` reads bytes with orjson where that gives exactly what ``loads`` gives
(batch scoring reads 100,000 lines); anything orjson reads differently (integers
beyond 64 bits, which it turns into floats; very long numbers; deep nesting; NaN,
infinities and lone surrogates, which it refuses) goes through ``loads``.
"""
from __future__ import annotations

import json
import re

import orjson

MAX_DEPTH = 64
MAX_DIGITS = 100
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKETS = re.compile(r"[\[\]{}]")
# A run of 19 digits (found with every digit made 0: 6× faster than a regular expression):
# an integer orjson may read as a float (beyond 64 bits), or a number long enough for a
# limit of ``loads``. Such input takes the exact path.
_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 19


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


def loads_fast(data: bytes):
    """``loads(data)``: the same value, or the same error, faster for ordinary input."""
    if _LONG_DIGITS not in data.translate(_DIGITS_AS_ZERO):
        try:
            value = orjson.loads(data)
        except orjson.JSONDecodeError:
            pass     # loads says why (in the words the callers translate), or reads what orjson refuses
        else:
            # the number of opening brackets bounds the depth; only if it could exceed
            # the limit is the depth measured
            if data.count(b"[") + data.count(b"{") <= MAX_DEPTH or _depth(value) <= MAX_DEPTH:
                return value
    return loads(data)


def _depth(value) -> int:
    """How deeply lists and objects nest in ``value`` (an object with a list: 2)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        value, level = stack.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        stack += [(child, level + 1) for child in children if isinstance(child, (dict, list))]
    return deepest


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
