"""Units as the standards write them: “吨标准煤（tce）”, “平方米（m²）”, “%”.

A unit is accepted in any of its spellings: as written, without the bracketed
symbol, or as the bracketed symbol alone, each compared in ``normalise``d form
(kW·h = kWh = kW*h, m² = m2 = m^2, KWH = kWh, but MW ≠ mW). Units described in words
(“产品单位，视产品种类而定”) have no fixed spelling and are not checked.
"""
from __future__ import annotations

import re
import unicodedata

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


# Letters whose lower and upper case are different SI prefixes (milli/mega, pico/peta):
# “mW” and “MW” are different units, so their case is kept.
CASE_SENSITIVE = frozenset("mMpP")
# Multiplication signs and spacing written between unit symbols: kW·h, kW⋅h, kW*h, kW h, kW・h.
_JOINERS = re.compile(r"[\s·⋅•・‧∙*^]+")


def normalise(unit: str) -> str:
    """The form in which two spellings of one unit are equal: Unicode compatibility forms
    (m² → m2, full-width brackets and letters → ASCII), no multiplication signs, spaces or
    ``^`` (kW·h, kW*h, kW h → kWh; m^2 → m2), and lower case except where case tells SI
    prefixes apart (KWH → kwh, but MW ≠ mW)."""
    text = _JOINERS.sub("", unicodedata.normalize("NFKC", unit)).replace("−", "-")
    return "".join(c if c in CASE_SENSITIVE else c.lower() for c in text)
