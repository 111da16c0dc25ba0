"""Indicator tables: the YAML body of an ``indicator-table`` directive → model."""
from __future__ import annotations

import re

from . import yamlsafe
from ..findings import SourceError
from ..model import Band, Grade, Indicator, IndicatorTable, Level, Variant

TABLE_KEYS = ("id", "total", "columns", "grades", "indicators", "variants", "normalization")
INDICATOR_KEYS = ("id", "no", "name", "points", "children", "requirement", "veto", "clause",
                  "criteria", "metric", "bands", "gap")
GRADE_KEYS = ("id", "label", "min", "note")
VARIANT_KEYS = ("id", "label", "exclude", "grades", "normalization")
REQUIREMENTS = ("必选", "可选")
NORMALIZATIONS = ("none", "applicable")
IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")


def parse(body: str, path: str, first_line: int, number: str, caption: str) -> IndicatorTable:
    """Parse the YAML body of an indicator table whose first body line is ``first_line``."""
    data = yamlsafe.load(body, path, first_line, f"表{number}") or {}
    fields = yamlsafe.Fields(data, path, first_line, f"指标表 {number} ", TABLE_KEYS)
    table_id = fields.text("id") or "table-" + number.replace(".", "-")
    _check_ident(table_id, fields, "id")
    normalization = fields.text("normalization", "none")
    if normalization not in NORMALIZATIONS:
        fields.fail("normalization", f"未知的折算方式 “{normalization}”",
                    "可选：none（不折算）、applicable（按参评项折算为百分制）")
    table = IndicatorTable(
        number=number, caption=caption, id=table_id, line=first_line,
        total=_whole(fields.number("total", 100)), columns=fields.texts("columns"),
        normalization=normalization, total_line=fields.line_of("total"))
    items = fields.items("indicators")
    if not items:
        fields.fail("indicators", f"指标表 {number} 没有 indicators", "在 indicators: 下列出一级指标")
    table.indicators = [_indicator(item, path, fields.line_of("indicators"), 1, f"I{n}")
                        for n, item in enumerate(items, 1)]
    table.grades = [_grade(g, path, fields.line_of("grades")) for g in fields.items("grades")]
    table.variants = [_variant(v, path, fields.line_of("variants"))
                      for v in fields.items("variants")]
    _check_unique_ids(table, path)
    return table


def _indicator(data, path: str, line: int, depth: int, default_id: str) -> Indicator:
    fields = yamlsafe.Fields(data, path, line, "指标", INDICATOR_KEYS)
    line = fields.first_line()
    name = fields.text("name")
    if not name:
        raise SourceError(path, line, "YAML-005", "指标缺少 name", "每个指标都要写 name: 指标名称")
    indicator = Indicator(
        id=fields.text("id") or default_id, name=name, line=line, depth=depth,
        no=fields.text("no"), points=_whole(fields.number("points")),
        requirement=fields.text("requirement"), veto=fields.flag("veto"),
        clause=fields.text("clause"), metric=fields.text("metric"), gap=fields.text("gap"))
    _check_ident(indicator.id, fields, "id")
    if indicator.requirement and indicator.requirement not in REQUIREMENTS:
        fields.fail("requirement", f"“{indicator.requirement}” 不是有效的要求类型",
                    "写成 requirement: 必选 或 requirement: 可选")
    criteria = fields.data.get("criteria")
    if isinstance(criteria, list):
        indicator.levels = [_level(c, path, fields.line_of("criteria")) for c in criteria]
    else:
        indicator.criteria = fields.text("criteria")
    indicator.bands = [_band(b, path, fields.line_of("bands")) for b in fields.items("bands")]
    indicator.children = [
        _indicator(child, path, fields.line_of("children"), depth + 1, f"{indicator.id}.{n}")
        for n, child in enumerate(fields.items("children"), 1)]
    return indicator


def _level(data, path: str, line: int) -> Level:
    fields = yamlsafe.Fields(data, path, line, "评分档", ("points", "criterion"))
    points = fields.number("points")
    if points is None:
        fields.fail("points", "评分档缺少 points", "写成 {points: 3, criterion: 评分条件}")
    return Level(points=_whole(points), criterion=fields.text("criterion"))


def _band(data, path: str, line: int) -> Band:
    fields = yamlsafe.Fields(data, path, line, "分段", ("min", "max", "points"))
    points = fields.number("points")
    if points is None:
        fields.fail("points", "分段缺少 points", "写成 {min: 0.9, points: 3}")
    return Band(points=_whole(points), min=fields.number("min"), max=fields.number("max"))


def _grade(data, path: str, line: int) -> Grade:
    fields = yamlsafe.Fields(data, path, line, "等级", GRADE_KEYS)
    minimum = fields.number("min")
    if minimum is None or not fields.text("id"):
        fields.fail("min" if minimum is None else "id", "等级要写 id 和 min（含本数的最低分）",
                    "写成 {id: dark, label: 深绿, min: 85}")
    _check_ident(fields.text("id"), fields, "id")
    return Grade(id=fields.text("id"), label=fields.text("label"), min=_whole(minimum),
                 note=fields.text("note"), line=fields.first_line())


def _variant(data, path: str, line: int) -> Variant:
    fields = yamlsafe.Fields(data, path, line, "变体", VARIANT_KEYS)
    if not fields.text("id"):
        fields.fail("id", "变体缺少 id", "写成 {id: project, label: 项目, exclude: [...]}")
    normalization = fields.text("normalization")
    if normalization and normalization not in NORMALIZATIONS:
        fields.fail("normalization", f"未知的折算方式 “{normalization}”", "可选：none、applicable")
    return Variant(id=fields.text("id"), label=fields.text("label"), exclude=fields.texts("exclude"),
                   grades=[_grade(g, path, fields.line_of("grades")) for g in fields.items("grades")],
                   normalization=normalization, line=fields.first_line())


def _check_ident(value: str, fields: yamlsafe.Fields, key: str) -> None:
    if value and not IDENT.match(value):
        fields.fail(key, f"标识 “{value}” 不合规：应以字母开头，只含字母、数字和 _ . -",
                    "例如 id: S1 或 id: strategy")


def _check_unique_ids(table: IndicatorTable, path: str) -> None:
    seen: dict[str, int] = {}
    for indicator in table.walk():
        if indicator.id in seen:
            raise SourceError(path, indicator.line, "YAML-006",
                              f"指标 id “{indicator.id}” 重复（第 {seen[indicator.id]} 行已用过）",
                              "每个指标的 id 在表内必须唯一")
        seen[indicator.id] = indicator.line


def _whole(value):
    """3.0 → 3, so that printed figures look as the author wrote them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def format_points(value) -> str:
    if value is None:
        return "—"
    return str(_whole(value))
