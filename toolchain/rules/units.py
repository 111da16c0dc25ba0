"""Quantities and units (GB/T 1.1—2020, 9.? 量、单位及其符号; UNIT-001 of the rule catalogue).

Only what can be told from the text without false alarms in Chinese prose: a value written
against a unit *symbol* (10kg, 20℃), a Chinese unit name where GB/T 1.1 asks for the symbol
(10千克), and a range with the unit on the last value only (10～20 kg). Symbols that are
also ordinary letters after a figure (3A级, 5G, 1990s, 3D) are not read as units.
"""
from __future__ import annotations

import re
from typing import Iterator

from .. import designations
from ..quantities import NUMBER, UNIT
from ..model import Document
from . import DOCUMENT, Report, rule
from .text import MASK, gb, prose

GLUED = re.compile(NUMBER + r"(?P<unit>" + UNIT + r")(?![A-Za-z0-9²³])")
# °, ′, ″ go without a space (GB/T 1.1—2020, the exception the rule states). % is the
# committee's choice (GB 3101 and ISO 80000-1 put a space before it, common Chinese usage and
# GB/T 15835 do not): front matter ``percent_space: true|false`` asks for one way, else unchecked.
PERCENT_GLUED = re.compile(NUMBER + r"%")
PERCENT_SPACED = re.compile(NUMBER + r"[ \u00a0\u3000]+%")
RANGE = re.compile(NUMBER + r"\s*[～~]\s*\d+(?:\.\d+)?\s?(?P<unit>" + UNIT + r")(?![A-Za-z0-9²³])")
NAMES = {"千克": "kg", "公斤": "kg", "毫克": "mg", "毫米": "mm", "厘米": "cm", "千米": "km", "毫升": "mL",
         "摄氏度": "℃", "千瓦时": "kW·h", "兆帕": "MPa", "千帕": "kPa", "赫兹": "Hz"}
NAMED = re.compile(NUMBER + r"\s?(?P<name>" + "|".join(NAMES) + ")")
INLINE_MATH = re.compile(r"\$[^$\n]*\$|`[^`\n]*`")


def _text(raw: str) -> str:
    """The running text with designations, inline maths and code blanked out."""
    text = INLINE_MATH.sub(lambda m: MASK * len(m.group()), raw)
    for d in designations.find_all(text):
        text = text[:d.start] + MASK * (d.end - d.start) + text[d.end:]
    return text


@rule("UNIT-001", "warning", "数值与单位符号之间空一个字符（°、′、″ 除外），用单位符号，范围的两个数值都写单位",
      clause=gb("9.4、10.4；GB 3101—1993"), scope=DOCUMENT)
def units(doc: Document, ctx) -> Iterator[Report]:
    for piece in prose(doc, kinds=("text", "item", "cell", "note", "example", "definition", "indicator")):
        text = _text(piece.text)
        m = RANGE.search(text)
        if m:
            low, high = re.split(r"\s*[～~]\s*", m.group(0).rstrip(m["unit"]).strip(), maxsplit=1)
            unit = m["unit"]
            yield Report(piece.line_at(m.start()), f"范围“{m.group(0)}”只在后一个数值上写了单位",
                         f"两个数值都写单位：{low} {unit}～{high.strip()} {unit}")
            continue
        m = GLUED.search(text)
        if m:
            value = m.group(0)[:-len(m["unit"])]
            yield Report(piece.line_at(m.start()), f"“{m.group(0)}”的数值与单位符号之间没有空格",
                         f"写成 {value} {m['unit']}（只有 °、′、″ 紧接数值）")
            continue
        m = NAMED.search(text)
        if m:
            value = re.match(r"\d+(?:\.\d+)?", m.group(0)).group(0)
            yield Report(piece.line_at(m.start()), f"“{m.group(0)}”用了单位的中文名称",
                         f"用单位符号：{value} {NAMES[m['name']]}")
            continue
        report = _percent(text, doc.meta.percent_space)
        if report:
            start, message, hint = report
            yield Report(piece.line_at(start), message, hint)


def _percent(text: str, space: bool | None) -> tuple[int, str, str] | None:
    """Where the text writes % against the document's ``percent_space`` choice, if it does."""
    if space is None:
        return None
    m = (PERCENT_GLUED if space else PERCENT_SPACED).search(text)
    if not m:
        return None
    value = m.group(0).rstrip("%").strip()
    if space:
        return (m.start(), f"“{m.group(0)}”的数值与 % 之间没有空格（本文件 percent_space: true）",
                f"写成 {value} %，或在前置元数据中改为 percent_space: false")
    return (m.start(), f"“{m.group(0)}”的 % 前有空格（本文件 percent_space: false）",
            f"写成 {value}%，或在前置元数据中改为 percent_space: true")
