"""Unit symbols written after a value, shared by the checker (UNIT-001) and the writers.

GB/T 1.1 writes a space between a value and its unit symbol (5 kg, 40 ℃); a printed line must
not break in that space, so the HTML and PDF writers bind the two (``bind_values_to_units``).
"""
from __future__ import annotations

import re

# Symbols that cannot be mistaken for a grade, a generation or a plural after a figure.
SYMBOLS = sorted("""
kW·h kWh kW MW GW W kV V mA kA MPa kPa Pa Hz kHz MHz GHz kg mg μg g t km cm mm μm nm m² m³ m2 m3 m
L mL ml kJ MJ GJ J min h ms dB ℃ lx mol kN lm
""".split(), key=len, reverse=True)
UNIT = "(?:" + "|".join(re.escape(s) for s in SYMBOLS) + ")"
NUMBER = r"(?<![A-Za-z0-9_.\-/·])\d+(?:\.\d+)?"
# A value, the spaces after it, and a unit symbol (or °C, %, ‰) that ends there.
SPACED = re.compile(f"({NUMBER})[ \u00a0]+(?=(?:{UNIT}|°C|%|‰)(?![A-Za-z0-9²³]))")


def bind_values_to_units(text: str) -> str:
    """``text`` with the space between a value and its unit symbol made non-breaking."""
    return SPACED.sub("\\1\u00a0", text)
