"""Model → docutils nodes: what an indicator table prints."""
from __future__ import annotations

from gbstd.writers.doctree_writer import table_columns, table_rows
from gbstd.model import Band, Indicator, IndicatorTable


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


def test_grades_and_variants_are_printed_under_the_table():
    from gbstd.writers.doctree_writer import grades_note
    from gbstd.model import Grade, Variant
    table = table_with_bands()
    table.grades = [Grade(id="dark", label="深绿", min=85), Grade(id="mid", label="中绿", min=70)]
    table.variants = [Variant(id="project", label="项目", exclude=["A1"], normalization="applicable",
                              grades=[Grade(id="dark", label="深绿", min=80),
                                      Grade(id="light", label="浅绿", min=0, note="满足符合性评价即可")])]
    lines = [p.astext() for p in grades_note(table).children]
    assert lines == ["评价等级：深绿，综合评价得分≥85 分；中绿，综合评价得分≥70 分。",
                     "项目：不参评：能源消耗；评价等级：深绿，综合评价得分≥80 分；浅绿，满足符合性评价即可；按参评项折算为百分制。"]


def test_requirement_and_number_come_from_the_level_that_states_them():
    table = table_with_bands()
    table.indicators[0].requirement = "可选"
    leaf = table.indicators[0].children[0]
    leaf.no = "1"
    table.indicators[0].no = "A"
    roles = table_columns(table)
    row = table_rows(table)[0]
    assert row[roles.index("requirement")] == ("可选", 1)
    assert row[roles.index("no")] == ("1", 1)          # the deepest numbered level is printed


def test_a_framework_prints_as_provisions_in_gb_wording_never_its_id():
    from gbstd.model import Framework, FrameworkIndicator
    from gbstd.writers.doctree_writer import framework, framework_provisions
    model = Framework(id="sz-green-industry", line=1, level1=[
        FrameworkIndicator("目录符合", "宜", True), FrameworkIndicator("技术符合", "宜", True),
        FrameworkIndicator("业务表现", "宜"), FrameworkIndicator("能源", "应")],
        constraints=[{"kind": "min-share", "names": ["技术表现", "业务表现"], "min": 70, "verb": "应"}],
        structure_verb="应", structure_chapters=["范围", "评价要求"], structure_annexes=["评价指标表"])
    assert framework_provisions(model) == [
        "评价指标体系的一级指标应包括能源",
        "评价指标体系的一级指标宜包括目录符合、技术符合和业务表现，其中目录符合和技术符合宜设为一票否决项",
        "技术表现和业务表现2类指标的分值之和占总分的比例应不低于70%",
        "文件应包括以下章：范围、评价要求；以及以下附录：评价指标表",
    ]
    node = framework(model)
    texts = [p.astext() for p in node.children]
    assert texts[0].startswith("a) ") and texts[-1].startswith("d) ") and texts[-1].endswith("。")
    assert all(t.endswith("；") for t in texts[:-1])
    assert "sz-green-industry" not in node.astext()
    assert all("gb-list-item" in p["classes"] for p in node.children)
