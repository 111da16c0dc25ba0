"""The reader builds the model from MyST sources; malformed input gives located errors."""
from __future__ import annotations

from pathlib import Path

import pytest

from gbstd.source import reader
from gbstd.findings import SourceError
from gbstd.model import Formula, Gap, IndicatorTable, ListBlock, Paragraph, Term

FIXTURES = Path(__file__).parent / "fixtures" / "reader"


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle`` (so tests do not hard-code lines)."""
    hits = [n for n, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in text]
    return hits[occurrence - 1]


@pytest.fixture(scope="module")
def doc():
    return reader.read(FIXTURES / "constructs.md")


SRC = FIXTURES / "constructs.md"


def test_front_matter_becomes_metadata(doc):
    assert doc.meta.designation == "T/ABC 001—2025"
    assert doc.meta.family == "group"
    assert doc.meta.stage == "征求意见稿"
    assert doc.meta.profile == "2020"
    assert doc.meta.line_of("stage") == line_of(SRC, "stage:")
    assert doc.slug == "reader"
    assert doc.title == "示例评价通则"


def test_headings_give_kinds_numbers_and_lines(doc):
    outline = [(c.kind, c.number, c.title) for c in doc.walk()]
    assert outline[:5] == [("foreword", "", "前言"), ("chapter", "1", "范围"),
                           ("chapter", "2", "规范性引用文件"), ("chapter", "3", "术语和定义"),
                           ("chapter", "4", "要求")]
    annex_a, annex_b = doc.annexes
    assert (annex_a.annex_letter, annex_a.annex_role, annex_a.title) == ("A", "规范性", "评价指标表")
    assert (annex_b.annex_letter, annex_b.annex_role) == ("B", "资料性")
    assert doc.clause("B.1").kind == "annex-clause"
    assert doc.find("bibliography").title == "参考文献"
    assert doc.clause("4").line == line_of(SRC, "## 4 要求")
    assert doc.clause("4").heading_level == 2 and doc.clause("B.1").heading_level == 3


def test_term_entry(doc):
    (term,) = doc.terms
    assert isinstance(term, Term)
    assert (term.number, term.term, term.en) == ("3.1", "绿色工厂", "green factory")
    assert term.source == "GB/T 36132—2018，3.1"
    assert term.definition == "实现了用地集约化的工厂。"
    assert [n.text for n in term.notes] == ["注：这是注。"]
    assert term.line == line_of(SRC, "{term} 3.1")


def test_gb_list_lines_become_nested_items(doc):
    lists = [b for b in doc.clause("4").blocks if isinstance(b, ListBlock)]
    assert len(lists) == 1
    items = lists[0].items
    assert [i.marker for i in items] == ["a)", "b)", "c)"]
    assert items[1].children[0].marker == "1)" and items[1].children[0].level == 2
    assert items[0].line == line_of(SRC, "a) 第一项")
    assert items[2].line == line_of(SRC, "c) 第三项")
    lead = doc.clause("4").blocks[0]
    assert isinstance(lead, Paragraph) and lead.text == "工厂的照明应满足以下要求："


def test_note_lines_become_separate_notes(doc):
    notes = [b for b in doc.clause("4").blocks if isinstance(b, Paragraph) and b.kind == "note"]
    assert [(n.label, n.line) for n in notes] == [("注1", line_of(SRC, "注1：")),
                                                  ("注2", line_of(SRC, "注2："))]
    (example,) = [b for b in doc.clause("B.1").blocks if isinstance(b, Paragraph) and b.kind == "example"]
    assert example.label == "示例"


def test_formula(doc):
    (formula,) = doc.formulas
    assert isinstance(formula, Formula)
    assert (formula.number, formula.expr) == ("1", "N / A")
    assert [s.id for s in formula.symbols] == ["n", "N", "A"]
    assert formula.result.meaning == "能耗" and formula.symbols[1].unit == "吨"
    assert formula.symbols[2].line == line_of(SRC, "symbol: A")


def test_indicator_table_tree_points_and_lines(doc):
    (table,) = doc.indicator_tables
    assert isinstance(table, IndicatorTable)
    assert (table.number, table.caption, table.id, table.total) == ("A.1", "评价指标表", "demo", 100)
    assert [(i.id, i.points, i.depth) for i in table.walk()] == [
        ("A", 60, 1), ("A1", 30, 2), ("A2", 30, 2), ("B", 40, 1), ("B1", 40, 2)]
    a1 = table.find("A1")
    assert (a1.no, a1.clause, a1.metric) == ("1", "4", "1")
    assert a1.line == line_of(SRC, "id: A1")
    assert table.grades[0].label == "深绿" and table.grades[0].min == 85


def test_references_and_citations(doc):
    (ref,) = doc.references
    assert (ref.designation, ref.title, ref.line) == ("GB/T 24001", "环境管理体系 要求及使用指南",
                                                     line_of(SRC, "GB/T 24001 环境"))
    by_context = {(c.designation, c.context, c.normative) for c in doc.citations}
    assert ("GB/T 24001", "body", True) in by_context            # 应符合 GB/T 24001
    assert ("GB/T 24001", "reference-list", False) in by_context
    assert ("GB/T 36132", "term-source", False) in by_context
    assert ("GB 50034", "example", False) in by_context          # examples never cite normatively
    assert ("GB/T 19000", "bibliography", False) in by_context
    cited = next(c for c in doc.citations if c.designation == "GB 50034")
    assert cited.year == "2013" and cited.line == line_of(SRC, "示例：这是一个示例")


def test_gaps_inline_and_block(doc):
    gaps = [b for b in doc.clause("B.1").blocks if isinstance(b, Gap)]
    assert sorted((g.text, g.inline) for g in gaps) == [("B.2 在原文中缺失。", False), ("一句缺失", True)]


def test_block_suppression_covers_following_block(doc):
    (suppression,) = doc.suppressions
    assert suppression.rule == "NREF-006" and suppression.reason == "测试"
    assert suppression.first_line == line_of(SRC, "注1：")
    assert suppression.last_line == line_of(SRC, "注2：")
    assert suppression.covers("NREF-006", line_of(SRC, "注2："), "x")
    assert not suppression.covers("NREF-006", line_of(SRC, "c) 第三项"), "x")


def test_std_value_roles_are_recorded():
    notes = reader.read(FIXTURES / "notes.md")
    assert notes.is_notes and notes.meta.explains == "constructs"
    assert [r.key for r in notes.value_refs] == ["points:A", "total"]
    assert [(c.kind, c.title) for c in notes.walk()] == [("section", "一、工作简况"), ("section", "（一）任务来源")]


@pytest.mark.parametrize("name, rule, needle, words", [
    ("bad-yaml.md", "YAML-001", "stage:", "YAML"),
    ("no-front-matter.md", "META-001", "# 没有元数据", "front matter"),
])
def test_unreadable_front_matter_is_located(name, rule, needle, words):
    path = FIXTURES / name
    with pytest.raises(SourceError) as caught:
        reader.read(path)
    error = caught.value
    assert error.rule == rule
    assert error.line == line_of(path, needle) or (rule == "YAML-001" and error.line >= line_of(path, needle))
    assert words in error.message + error.hint
    assert str(error).startswith(f"{path}:{error.line}: 错误 {rule}: ")


@pytest.mark.parametrize("name, rule, needle, words", [
    ("unknown-key.md", "META-003", "designaton:", "designation"),
    ("wrong-type.md", "META-004", "drafters:", "应为文本列表，实际为 映射"),
    ("bad-date.md", "META-006", "issued:", "YYYY-MM-DD"),
])
def test_bad_front_matter_values_are_located_and_reading_goes_on(name, rule, needle, words):
    path = FIXTURES / name
    doc = reader.read(path)
    (error,) = [e for e in doc.errors if e.rule.startswith("META")]
    assert (error.rule, error.line) == (rule, line_of(path, needle))
    assert words in error.message + error.hint
    assert doc.title                       # the body was still read


def test_heading_number_that_does_not_parse_is_located():
    path = FIXTURES / "bad-heading.md"
    doc = reader.read(path)
    (error,) = doc.errors
    assert (error.rule, error.line) == ("HEAD-002", line_of(path, "## 五、评价要求"))


def test_errors_inside_indicator_tables_are_located():
    path = FIXTURES / "bad-table.md"
    doc = reader.read(path)
    assert [(e.rule, e.line) for e in doc.errors] == [
        ("YAML-004", line_of(path, "points: 二十")),
        ("YAML-003", line_of(path, "pionts: 20")),
    ]
    assert "points" in doc.errors[1].hint   # did-you-mean
    assert doc.indicator_tables == []       # nothing half-built


def test_yaml_1_1_booleans_do_not_swallow_the_no_key(tmp_path):
    source = (FIXTURES / "constructs.md").read_text(encoding="utf-8")
    path = tmp_path / "doc.md"
    path.write_text(source.replace("{id: A2, no: 2,", "{id: A2, no: yes,"), encoding="utf-8")
    table = reader.read(path).indicator_tables[0]
    assert table.find("A2").no == "yes"


def test_heading_target_names_as_myst_gives_them(tmp_path):
    """The reader takes heading texts for MyST's implicit targets without MyST's deep copy
    when a title has no image or raw node; titles with them still lose raw markup and alt text."""
    from docutils import nodes
    from myst_parser.mdit_to_docutils import base as myst_renderer
    original = myst_renderer.clean_astext
    path = tmp_path / "standard.md"
    path.write_text("---\ndesignation: T/ABC 001—2025\ntitle: 示例\n---\n\n# 示例评价通则\n\n## 1 范围\n\n正文。\n\n"
                    "## 2 加粗<b>词</b>\n\n正文。\n\n## 3 图标![图标](a.png)说明\n\n正文。\n", encoding="utf-8")
    _, doctree = reader.parse(path)
    assert [s["names"] for s in doctree.findall(nodes.section)] == [
        ["示例评价通则"], ["1 范围"], ["2 加粗词"], ["3 图标说明"]]
    assert myst_renderer.clean_astext is original      # MyST's own again after reading


def test_tree_find_is_findall_in_document_order():
    from docutils import nodes
    from gbstd.source import tree
    _, doctree = reader.parse(SRC)
    for kinds in (nodes.paragraph, nodes.Text, nodes.section, nodes.table):
        assert tree.find(doctree, kinds) == list(doctree.findall(kinds))
        assert all(a is b for a, b in zip(tree.find(doctree, kinds), doctree.findall(kinds)))
    both = tree.find(doctree, (nodes.title, nodes.entry))
    assert [id(n) for n in both] == [id(n) for n in doctree.findall(lambda n: isinstance(n, (nodes.title, nodes.entry)))]
    assert len(both) > 10 and tree.find(doctree, nodes.document) == [doctree]
