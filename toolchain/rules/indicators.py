"""Indicator arithmetic: points add up, veto items score nothing, grades and links are sound.

Every finding is located at the line of the indicator, grade or variant concerned
(the table's directive line for whole-table figures). Points written ``~`` with a
``gap`` are not known: a sum that depends on one is not checked.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..source.indicators import format_points
from ..model import POINTS_TOLERANCE, Clause, Document, Grade, Indicator, IndicatorTable, points_differ
from . import DOCUMENT, Report, rule

SOURCE = "评价指标表（docs/authoring.md）"


def scored(indicators: list[Indicator]) -> list[Indicator]:
    """The indicators that carry points: veto (一票否决) items are pass/fail."""
    return [i for i in indicators if not i.veto]


def points_sum(indicators: list[Indicator]) -> float | None:
    """Sum of the points of the scored indicators; None when one of them is not given."""
    items = scored(indicators)
    if any(i.points is None for i in items):
        return None
    return sum(i.points for i in items)


def _unexplained(indicator: Indicator) -> bool:
    return indicator.points is None and not indicator.veto and not indicator.gap


def _differs(declared: float, computed: float) -> bool:
    return points_differ(declared, computed)


def _table_line(table: IndicatorTable) -> int:
    return table.total_line or table.line


@rule("IND-001", "error", "下级指标分值之和等于上级指标分值", clause=SOURCE, scope=DOCUMENT)
def children_add_up(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.indicator_tables:
        for parent in table.walk():
            for child in parent.children:
                if _unexplained(child):
                    yield Report(child.line, f"指标 “{child.name}” 没有分值，也没有用 gap 说明缺失原因",
                                 "写出 points，或写 points: ~ 并以 gap: 说明原文未给出")
            if parent.points is None or not scored(parent.children):
                continue
            total = points_sum(parent.children)
            if total is not None and _differs(parent.points, total):
                yield Report(parent.line,
                             f"指标 “{parent.name}” 的分值为 {format_points(parent.points)}，"
                             f"其下级指标分值之和为 {format_points(total)}",
                             "改正上级指标的分值或下级指标的分值，使二者相等")


@rule("IND-002", "error", "一级指标分值之和等于指标表声明的总分（默认 100）", clause=SOURCE, scope=DOCUMENT)
def first_level_adds_up(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.indicator_tables:
        for indicator in table.indicators:
            if _unexplained(indicator):
                yield Report(indicator.line, f"一级指标 “{indicator.name}” 没有分值，也没有用 gap 说明缺失原因",
                             "写出 points，或写 points: ~ 并以 gap: 说明原文未给出")
        total = points_sum(table.indicators)
        if total is not None and _differs(table.total, total):
            yield Report(_table_line(table),
                         f"表{table.number} 一级指标分值之和为 {format_points(total)}，"
                         f"与声明的总分 {format_points(table.total)} 不符",
                         "改正一级指标的分值，或用 total: 声明本表的总分")


def leaf_sum(indicator: Indicator) -> float | None:
    """Sum of the points of the scored leaves under ``indicator``; None when one is not given."""
    leaves = [i for i in indicator.walk() if i.is_leaf and i is not indicator]
    return points_sum(leaves)


def _gap_between(indicator: Indicator) -> bool:
    """Some level between ``indicator`` and its leaves has no points (so IND-001 cannot compare)."""
    return any(i.points is None and not i.veto for i in indicator.walk()
               if i is not indicator and not i.is_leaf)


@rule("IND-003", "error", "声明的合计分值（总分、一级指标小计）与末级指标分值之和一致", clause=SOURCE, scope=DOCUMENT)
def declared_totals_match_leaves(doc: Document, ctx) -> Iterator[Report]:
    """Compare 合计 figures with the leaves when a level in between has no points.

    When every level carries points, IND-001 and IND-002 already compare level by
    level; this rule reaches across a level written ``~`` so that a declared
    subtotal is never left unchecked.
    """
    for table in doc.indicator_tables:
        for first in table.indicators:
            total = leaf_sum(first)
            if first.points is not None and total is not None and _gap_between(first) \
                    and _differs(first.points, total):
                yield Report(first.line,
                             f"一级指标 “{first.name}” 的合计为 {format_points(first.points)} 分，"
                             f"其末级指标分值之和为 {format_points(total)} 分",
                             "改正合计分值或末级指标的分值")
        leaves = [i for i in table.walk() if i.is_leaf]
        total = points_sum(leaves)
        if total is not None and any(i.points is None and not i.veto for i in table.indicators) \
                and _differs(table.total, total):
            yield Report(_table_line(table),
                         f"表{table.number} 末级指标分值之和为 {format_points(total)}，"
                         f"与声明的总分 {format_points(table.total)} 不符",
                         "改正末级指标的分值，或用 total: 声明本表的总分")


@rule("IND-004", "error", "一票否决项不计分", clause=SOURCE, scope=DOCUMENT)
def veto_carries_no_points(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.indicator_tables:
        for indicator in table.walk():
            if indicator.veto and indicator.points not in (None, 0):
                yield Report(indicator.line,
                             f"一票否决项 “{indicator.name}” 写了分值 {format_points(indicator.points)}",
                             "删去 points（一票否决项只判定是否满足），或去掉 veto: true")


def _grade_sets(table: IndicatorTable) -> Iterator[tuple[str, list[Grade]]]:
    yield f"表{table.number}", table.grades
    for variant in table.variants:
        yield f"表{table.number} 的变体 “{variant.label or variant.id}”", variant.grades


@rule("IND-005", "error", "评价等级从高到低列出，门槛依次递减、互不相同且在 0 与总分之间", clause=SOURCE, scope=DOCUMENT)
def grades_ordered(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.indicator_tables:
        for where, grades in _grade_sets(table):
            yield from _check_grades(where, grades, table.total)


def _name(grade: Grade) -> str:
    return grade.label or grade.id


def _check_grades(where: str, grades: list[Grade], total: float) -> Iterator[Report]:
    """Grades are listed from the best to the worst: each minimum is below the one before it."""
    seen: dict[float, Grade] = {}
    for previous, grade in zip([None] + grades, grades):
        if not 0 <= grade.min <= total:
            yield Report(grade.line, f"{where} 等级 “{_name(grade)}” 的门槛 {format_points(grade.min)} 不在 0～"
                         f"{format_points(total)} 之间", "门槛应是 0 到总分之间的分数")
        if grade.min in seen:
            yield Report(grade.line, f"{where} 等级 “{_name(grade)}” 与 “{_name(seen[grade.min])}”"
                         f" 的门槛同为 {format_points(grade.min)}", "每个等级的门槛应不同")
        elif previous is not None and grade.min > previous.min:
            yield Report(grade.line, f"{where} 等级 “{_name(grade)}” 列在 “{_name(previous)}” 之后，门槛 "
                         f"{format_points(grade.min)} 却高于其 {format_points(previous.min)}",
                         "等级从高到低列出，门槛依次递减（如 深绿 85、中绿 70、浅绿 60）；"
                         "核对门槛是否写错或等级是否排错")
        seen.setdefault(grade.min, grade)


# Words that name the kind of thing rather than the thing: “绿色技术创新中心” tests
# the clause “技术创新中心”, “可再生能源使用” the clause “可再生能源使用比例”.
_FILLER = re.compile(r"绿色|企业|相关|情况|水平|比例|指标|率|的|[\s　、，,（）()“”/]")


def _core(text: str) -> str:
    return _FILLER.sub("", text)


def titles_match(name: str, title: str) -> bool:
    """One contains the other once filler words are removed (a deliberately loose match)."""
    a, b = _core(name), _core(title)
    return bool(a and b) and (a in b or b in a)


def positional_numbers(doc: Document) -> dict[str, "Clause"]:
    """Each clause of the heading tree under the number its position gives it (4.2 for the second
    clause of the fourth chapter), whatever number is written."""
    found: dict[str, Clause] = {}

    def down(parent: Clause, number: str) -> None:
        children = [c for c in parent.children if c.kind in ("clause", "annex-clause")]
        for position, child in enumerate(children, 1):
            found[f"{number}.{position}"] = child
            down(child, f"{number}.{position}")

    for position, chapter in enumerate(doc.chapters, 1):
        found[str(position)] = chapter
        down(chapter, str(position))
    for position, annex in enumerate(doc.annexes):
        letter = chr(ord("A") + position)
        found[letter] = annex
        down(annex, letter)
    return found


@rule("IND-006", "error", "指标所考核的条款存在，且标题与指标名称相符（不符为警告）", clause=SOURCE, scope=DOCUMENT)
def clause_exists(doc: Document, ctx) -> Iterator[Report]:
    clauses = {c.number: c for c in doc.walk() if c.number}
    written = [c.number for c in doc.walk() if c.number]
    positional = positional_numbers(doc)
    # A clause numbered out of sequence (NUM-004, NUM-001, STRUCT-004) shifts the clauses its
    # indicators point at: that is one defect, reported by the numbering rule, not again here.
    misnumbered = any(c.number != n for n, c in positional.items()) or len(set(written)) < len(written)
    for table in doc.indicator_tables:
        for indicator in table.walk():
            if not indicator.clause:
                continue
            clause = clauses.get(indicator.clause)
            if misnumbered and indicator.clause in positional:
                continue
            if clause is None:
                yield Report(indicator.line, f"指标 “{indicator.name}” 所考核的条款 {indicator.clause} 在本文件中不存在",
                             "改正 clause: 为本文件中的章条编号（如 5.1.1、A.2）")
            elif clause.title and not titles_match(indicator.name, clause.title) \
                    and indicator.name not in clause.text():
                yield Report(indicator.line,
                             f"指标 “{indicator.name}” 所考核的条款 {clause.number} 标题为 “{clause.title}”，与指标名称不符",
                             "核对 clause: 是否指向正确的条款，或统一指标名称与条款标题",
                             severity="warning")


@rule("IND-007", "error", "指标的 metric 指向本文件中存在的公式", clause=SOURCE, scope=DOCUMENT)
def metric_exists(doc: Document, ctx) -> Iterator[Report]:
    numbers = {f.number for f in doc.formulas}
    for table in doc.indicator_tables:
        for indicator in table.walk():
            if indicator.metric and indicator.metric not in numbers:
                yield Report(indicator.line, f"指标 “{indicator.name}” 的 metric 指向公式（{indicator.metric}），"
                             "本文件中没有该公式", "改正 metric: 为本文件中的公式编号（如 A.1）")


@rule("IND-008", "error", "变体排除的指标 id 在表中存在", clause=SOURCE, scope=DOCUMENT)
def variant_excludes_exist(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.indicator_tables:
        ids = {i.id for i in table.walk()}
        for variant in table.variants:
            for missing in [x for x in variant.exclude if x not in ids]:
                yield Report(variant.line, f"表{table.number} 的变体 “{variant.label or variant.id}” 排除的指标 "
                             f"“{missing}” 在表中不存在", "exclude 中写本表指标的 id")


@rule("IND-009", "error", "同一文件中各指标表的 id 互不相同", clause=SOURCE, scope=DOCUMENT)
def table_ids_unique(doc: Document, ctx) -> Iterator[Report]:
    """Table ids name the scoring schemas and qualify figures (``points:<table>/<id>``)."""
    seen: dict[str, IndicatorTable] = {}
    for table in doc.indicator_tables:
        if table.id in seen:
            yield Report(table.line, f"表{table.number} 的 id “{table.id}” 与表{seen[table.id].number} 相同",
                         "给每个指标表写不同的 id:")
        seen.setdefault(table.id, table)


@rule("SCORE-012", "error", "评分档（levels、bands）给出的分值不超过指标的分值", clause=SOURCE, scope=DOCUMENT)
def levels_within_points(doc: Document, ctx) -> Iterator[Report]:
    """The check ``gbstd schema`` / ``build`` makes on the scoring schema, made on the model so
    that ``gbstd check`` reports it too (same id, same figures)."""
    for table in doc.indicator_tables:
        for indicator in table.walk():
            offered = [level.points for level in indicator.levels] + [band.points for band in indicator.bands]
            if indicator.points is None or not offered or max(offered) <= indicator.points + POINTS_TOLERANCE:
                continue
            yield Report(indicator.line, f"表{table.number}：“{indicator.name}” 为 {format_points(indicator.points)} 分，"
                         f"但评分档最高给 {format_points(max(offered))} 分",
                         "评分档的分值不能超过指标分值：改正 levels/bands 的 points 或指标的 points")
