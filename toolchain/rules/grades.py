"""Grade thresholds the text states against the grades of the indicator tables.

A standard often repeats its grades in prose or in a plain table (表1 评价等级: 优秀 不低于
85 分 …) beside the ``grades:`` of its indicator table, which the scoring uses. These rules
read the figures the text states — one bound (≥85 分, 不低于 85 分, 85 分及以上) or two
(70 分≤得分<85 分) — and compare them with the model (GRADE-001), and check that the bands
the text gives leave no gap and do not overlap (GRADE-002).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from ..model import Document, ListBlock, Paragraph, Table, iter_items, points_differ
from ..source.indicators import format_points
from . import DOCUMENT, Report, rule

SOURCE = "评价指标表（docs/authoring.md）"
VALUE = r"(\d+(?:\.\d+)?)\s*分?"
BEFORE = [  # operator written before the figure: (pattern, side, inclusive)
    (re.compile(r"(?:≥|>=|不低于|不少于|大于或等于|大于等于)\s*" + VALUE), "lower", True),
    (re.compile(r"(?:＞|>|(?<!不)高于|(?<![不小])大于|(?<!不)超过)\s*" + VALUE), "lower", False),
    (re.compile(r"(?:≤|<=|不高于|不超过|小于或等于|小于等于)\s*" + VALUE), "upper", True),
    (re.compile(r"(?:＜|<|(?<!不)低于|(?<![不大])小于|不足)\s*" + VALUE), "upper", False),
]
AFTER = [   # operator written after the figure: 70 分≤得分, 85 分及以上, 60 分以下
    (re.compile(VALUE + r"\s*(?:≤|<=)"), "lower", True),
    (re.compile(VALUE + r"\s*(?:＜|<)"), "lower", False),
    (re.compile(VALUE + r"\s*(?:\(含\)|（含）)?\s*(?:及以上|以上)"), "lower", True),
    (re.compile(VALUE + r"\s*(?:以下)"), "upper", False),
]
SENTENCE = re.compile(r"[^。；;\n]+")
CLAUSE = re.compile(r"[^，,]+[，,]?")


@dataclass
class Band:
    line: int
    text: str
    label: str
    lower: float | None = None
    lower_inclusive: bool = True
    upper: float | None = None
    upper_inclusive: bool = False


def bounds(text: str) -> tuple[tuple[float, bool] | None, tuple[float, bool] | None]:
    """The lower and upper bound a sentence states, each (value, inclusive) or None; None for
    both when it states more than one of a side (a sentence about several grades)."""
    found = {"lower": [], "upper": []}
    taken: list[tuple[int, int]] = []
    for patterns in (BEFORE, AFTER):
        for pattern, side, inclusive in patterns:
            for m in pattern.finditer(text):
                span = m.span(1)
                if any(a <= span[0] < b for a, b in taken):
                    continue
                taken.append(span)
                found[side].append((float(m.group(1)), inclusive))
    if len(found["lower"]) > 1 or len(found["upper"]) > 1:
        return None, None
    return (found["lower"] or [None])[0], (found["upper"] or [None])[0]


def _names(text: str, label: str) -> bool:
    """The text names the grade: “一级” in “一级指标”, “合格” in “不合格” do not count."""
    if label not in text:      # most sentences name no grade: no pattern to look up
        return False
    return any(not text.startswith(("指标", "要求"), m.end()) and not text[:m.start()].endswith("不")
               for m in re.finditer(re.escape(label), text))


def _labels(doc: Document) -> dict[str, list[float]]:
    labels: dict[str, list[float]] = {}
    for table in doc.indicator_tables:
        for grades in [table.grades] + [v.grades for v in table.variants]:
            for grade in grades:
                if grade.label:
                    labels.setdefault(grade.label, []).append(grade.min)
    return labels


def _stated(doc: Document, labels: list[str]) -> Iterator[list[Band]]:
    """The grade bands each block states, one list per table or paragraph/list."""
    def band(line: int, text: str) -> Band | None:
        named = [label for label in labels if _names(text, label)]
        if len(named) != 1:
            return None
        lower, upper = bounds(text)
        if lower is None and upper is None:
            return None
        result = Band(line, text.strip(), named[0])
        if lower:
            result.lower, result.lower_inclusive = lower
        if upper:
            result.upper, result.upper_inclusive = upper
        return result

    def per_grade(text: str) -> Iterator[tuple[int, str]]:
        """A sentence naming several grades (≥85 分为一级，70 分≤得分<85 分为二级) cut into one
        piece per grade: its comma-separated clauses, each run ending at the clause naming a grade
        (“85 分及以上的，评为一级” stays one piece). Pieces are (offset, text)."""
        if sum(_names(text, label) for label in labels) < 2:
            yield 0, text
            return
        start = 0
        for m in CLAUSE.finditer(text):
            if any(_names(m.group(), label) for label in labels):
                yield start, text[start:m.end()]
                start = m.end()

    def sentences(line: int, text: str) -> list[Band]:
        found = []
        for m in SENTENCE.finditer(text):
            for offset, piece in per_grade(m.group()):
                b = band(line + text.count("\n", 0, m.start() + offset), piece)
                if b:
                    found.append(b)
        return found

    for _, block in doc.blocks():
        found: list[Band] = []
        if isinstance(block, Table):
            for row in block.rows:
                b = band(block.line, " ".join(row))
                if b:
                    found.append(b)
        elif isinstance(block, Paragraph) and block.kind == "text":
            found += sentences(block.line, block.text)
        elif isinstance(block, ListBlock):
            for item in iter_items(block.items):
                found += sentences(item.line, item.text)
        if found:
            yield found


@rule("GRADE-001", "error", "正文或表中所述的等级门槛与指标表 grades 给出的一致", clause=SOURCE, scope=DOCUMENT)
def thresholds_agree(doc: Document, ctx) -> Iterator[Report]:
    labels = _labels(doc)
    if not labels:
        return
    for bands in _stated(doc, sorted(labels, key=len, reverse=True)):
        for band in bands:
            if band.lower is None:
                continue
            known = labels[band.label]
            if all(points_differ(band.lower, value) for value in known):
                said = "、".join(format_points(v) for v in sorted(set(known)))
                yield Report(band.line, f"文中称“{band.label}”等级的门槛为 {format_points(band.lower)} 分"
                             f"（“{band.text[:30]}”），而指标表 grades 中为 {said} 分",
                             "改正文中的门槛或指标表的 grades:，使二者一致（评分按 grades: 计算）")


@rule("GRADE-002", "error", "文中给出的各等级分数区间首尾相接，没有空档，也不重叠", clause=SOURCE, scope=DOCUMENT)
def bands_contiguous(doc: Document, ctx) -> Iterator[Report]:
    labels = _labels(doc)
    for bands in _stated(doc, sorted(labels, key=len, reverse=True)) if labels else []:
        ordered = [b for b in bands if b.lower is not None]
        for higher, lower in zip(ordered, ordered[1:]):
            if lower.upper is None or lower.lower is None or higher.lower is None:
                continue
            if lower.lower >= higher.lower:
                continue    # not listed from the best grade down: IND-005 judges the order
            if points_differ(lower.upper, higher.lower):
                kind = "空档" if lower.upper < higher.lower else "重叠"
                yield Report(lower.line, f"“{lower.label}”的区间上限为 {format_points(lower.upper)} 分，"
                             f"“{higher.label}”的下限为 {format_points(higher.lower)} 分：两者之间有{kind}",
                             f"把“{lower.label}”的上限写成 <{format_points(higher.lower)} 分")
            elif lower.upper_inclusive and higher.lower_inclusive:
                yield Report(lower.line, f"{format_points(lower.upper)} 分同时属于“{lower.label}”和“{higher.label}”（区间重叠）",
                             f"把“{lower.label}”的上限写成 <{format_points(higher.lower)} 分")
