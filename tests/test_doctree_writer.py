"""Model → docutils nodes: what an indicator table prints."""
from __future__ import annotations

from toolchain.doctree_writer import table_columns, table_rows
from toolchain.model import Band, Indicator, IndicatorTable


def table_with_bands() -> IndicatorTable:
    leaf = Indicator(id="A1", name="能源消耗", line=3, depth=2, points=40, metric="A.1",
                     bands=[Band(points=40, max=1.0), Band(points=20, min=1.0, max=1.5), Band(points=0)])
    parent = Indicator(id="A", name="能源", line=2, points=40, children=[leaf])
    return IndicatorTable(number="A.1", caption="指标表", id="t", line=1, total=40, indicators=[parent])


def test_bands_are_printed_in_the_criteria_column():
    table = table_with_bands()
    criteria = table_rows(table)[0][table_columns(table).index("criteria")][0]
    assert criteria.startswith("按公式（A.1）计算的结果：")
    assert "≤1 得 40 分；≥1且≤1.5 得 20 分；其他得 0 分" in criteria


def test_first_level_cell_spans_its_leaves_and_says_its_subtotal():
    table = table_with_bands()
    first = table_rows(table)[0][0]
    assert first == ("能源（合计 40 分）", 1)
