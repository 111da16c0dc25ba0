"""What real published standards write and the checker must not report (issue 13, items 13–18).

tests/fixtures/rules/clean-idioms.md gathers them in one clean document (it is in clean.yaml,
so it must pass every rule); this file checks the pieces that a whole-document test cannot
name: how designations are read, and what the messages say.
"""
from __future__ import annotations

import pytest

from rule_fixtures import check_fixture
from gbstd import designations


@pytest.mark.parametrize("entry, code, number, year, family", [
    ("GB/T 24001—2016 环境管理体系", "GB/T", "24001", "2016", "national"),
    ("GB/Z 41231—2022 名称", "GB/Z", "41231", "2022", "national"),
    ("JJF 1059.1—2012 测量不确定度评定与表示", "JJF", "1059.1", "2012", "metrology"),
    ("JJG 1036—2008 电子天平", "JJG", "1036", "2008", "metrology"),
    ("SH/T 0689—2000 名称", "SH/T", "0689", "2000", "industry"),
    ("YJ/T 1—2022 名称", "YJ/T", "1", "2022", "industry"),
    ("NB/T 10001—2016 名称", "NB/T", "10001", "2016", "industry"),
    ("DB44/T 1234—2020 名称", "DB44/T", "1234", "2020", "local"),
    ("T/CECS 123—2020 名称", "T/CECS", "123", "2020", "group"),
    ("Q/GDW 1234—2014 名称", "Q/GDW", "1234", "2014", "enterprise"),
    ("ISO 14064-1:2018 温室气体", "ISO", "14064-1", "2018", "international"),
    ("ISO/IEC 27001:2013 信息安全", "ISO/IEC", "27001", "2013", "international"),
    ("IEC 60364-5-52:2009 低压电气装置", "IEC", "60364-5-52", "2009", "international"),
    ("ITU-T Y.3001 未来网络", "ITU-T", "Y.3001", "", "international"),
    ("IEEE 802.3-2018 以太网", "IEEE", "802.3", "2018", "foreign"),
    ("ASTM D1234 试验方法", "ASTM", "D1234", "", "foreign"),
    ("JIS Z 8101-1:2015 统计", "JIS", "Z8101-1", "2015", "foreign"),
    ("BS EN 1234:2015 名称", "BS EN", "1234", "2015", "foreign"),
    ("ABC/XY 123—2020 一个未知但格式正确的代号", "ABC/XY", "123", "2020", "other"),
])
def test_reference_entries_of_every_code_are_read(entry, code, number, year, family):
    found = designations.parse_one(entry)
    assert (found.code, found.number, found.year, found.family) == (code, number, year, family)


@pytest.mark.parametrize("text", ["上证指数代码SH000001F", "管道法兰HG20592", "PM2.5 浓度", "CO2 排放量"])
def test_identifiers_are_not_designations(text):
    assert designations.find_all(text) == []


def test_unlisted_codes_of_the_reference_list_are_found_in_the_text():
    assert [d.key for d in designations.find_all("按 ABC/XY 123 检测", ("ABC/XY",))] == ["ABC/XY 123"]


def test_a_listed_document_cited_only_informatively_names_the_line():
    [finding] = [f for f in check_fixture("NREF-006-informative.md") if f.rule == "NREF-006"]
    assert "第 84 行（注）" in finding.message


def test_a_duplicated_clause_number_is_one_finding():
    assert [f.rule for f in check_fixture("NUM-004-duplicate.md") if f.severity != "info"] == ["NUM-004"]


def test_can_in_a_note_is_a_hint_and_a_permission_is_a_warning(tmp_path):
    from rule_fixtures import fixture_text, write
    from gbstd.check import check_paths
    text = fixture_text("clean-2020.md").replace(
        "注：质量管理方面的术语见GB/T 19000—2016。",
        "注1：质量管理方面的术语见GB/T 19000—2016。\n\n注2：能源数据可通过能源审计获得。\n\n"
        "注3：企业可采用其他方法。")
    path = write(tmp_path, "doc.md", text)
    found = [(f.severity, f.line) for f in check_paths([str(path)])[0] if f.rule == "NOTE-002"]
    assert found == [("info", 85), ("warning", 87)]


@pytest.mark.parametrize("latex, symbols", [
    (r"R = \frac{A_{总建筑物} + A_{总构筑物}}{A_{用地}}", ["R", "A_总建筑物", "A_总构筑物", "A_用地"]),
    (r"E_{\mathrm{ui}} = \frac{E_{i}}{Q}", ["E_ui", "E_i", "Q"]),
    (r"\Delta T = T_{1} - T_{0}", [r"\DeltaT", "T_1", "T_0"]),
    (r"S = \sum_{i=1}^{n} s_{i} \times 100\%", ["S", "s_i"]),
    (r"A = \pi r^{2}", ["A", r"\pi", "r"]),
    (r"P = \frac{G}{N} \text{（万元/人）}", ["P", "G", "N"]),
])
def test_quantities_are_read_from_the_latex(latex, symbols):
    from gbstd.rules.formulas import latex_symbols
    assert latex_symbols(latex) == symbols


@pytest.mark.parametrize("text, label, names", [
    ("得分≥85 分为一级", "一级", True),
    ("一级指标得分不低于 30 分", "一级", False),
    ("低于 60 分为不合格", "合格", False),
])
def test_a_grade_is_named_only_as_a_grade(text, label, names):
    from gbstd.rules.grades import _names
    assert _names(text, label) is names


@pytest.mark.parametrize("text, lower, upper", [
    ("优秀 不低于 85 分", (85, True), None),
    ("70 分≤得分<85 分为良好", (70, True), (85, False)),
    ("85 分及以上", (85, True), None),
    ("60≤S≤70", (60, True), (70, True)),
    ("不高于 85 分", None, (85, True)),
    ("≥85 分为一级，≥70 分为二级", None, None),     # two grades in one sentence: not read
])
def test_grade_bounds_are_read_with_one_or_two_figures(text, lower, upper):
    from gbstd.rules.grades import bounds
    assert bounds(text) == (lower, upper)
