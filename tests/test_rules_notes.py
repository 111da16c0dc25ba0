"""Notes ↔ standard rules (NOTES-*): figures a note states must agree with its standard."""
from __future__ import annotations

import pytest

from rule_fixtures import (check_folder, corpus_errors, expected,
                           fixture_text, of_rule, write)
from gbstd.rules.notes import to_number

ENTRIES = expected("NOTES-")
STANDARD = fixture_text("NOTES-FIGURE/standard.md")   # 4 chapters, 1 annex, 绿色战略 40, 深绿 85
NOTE_HEAD = """---
kind: notes
title: 编制说明
explains: std
---

# 编制说明

## 一、主要条款说明

"""


def test_every_notes_rule_has_a_fixture():
    assert {e["rule"] for e in ENTRIES} == {"NOTES-EXPLAINS", "NOTES-FIGURE", "NOTES-VALUE",
                                            "NOTES-DUP-HEADING"}


def figure_findings(tmp_path, sentence):
    write(tmp_path, "std/standard.md", STANDARD)
    write(tmp_path, "std/notes.md", NOTE_HEAD + sentence + "\n")
    return of_rule(check_folder(tmp_path), "NOTES-FIGURE")


@pytest.mark.parametrize("sentence", [
    "本文件主要由5个章节构成。",
    "本文件共五章。",
    "本标准给出了3个附录。",
    "本文件给出了1个资料性附录。",
    "本文件给出了两个附录。",
    "综合评价得分不低于 80 分的，视为“深绿”等级。",
    "“绿色生产”要求从两个方面评价，总分 50 分。",
    "70 分≤综合评价得分<85 分的，视为“浅绿”等级。",
    "本文件的综合评价总分为 120 分。",
    "本文件满分 120 分。",
    "绿色生产一级指标总分 50 分。",
])
def test_disagreeing_figure_is_caught(tmp_path, sentence):
    assert len(figure_findings(tmp_path, sentence)) == 1


@pytest.mark.parametrize("sentence", [
    "本文件主要由4个章节构成，给出了1个附录。",
    "“绿色战略”总分 40 分，“绿色生产”总分 60 分。",
    "综合评价得分≥85 分的，视为“深绿”等级；70 分≤综合评价得分<85 分的，视为“中绿”等级。",
    "本文件总分采取百分制。",
    # an indicator named without quotes: its figure is its points, not the table's total
    "绿色生产一级指标总分 60 分。",
    "绿色战略一级指标满分 40 分。",
    "从绿色战略、绿色生产两个方面评价，合计 30 分。",
    # ambiguous or about something else: not compared
    "“绿色战略”和“绿色生产”合计 30 分。",
    "参照的某标准由9个章节构成。",
    "“绿色战略”{std-value}`points:strategy` 分，见 3 个方面。",
])
def test_agreeing_or_ambiguous_figure_passes(tmp_path, sentence):
    assert figure_findings(tmp_path, sentence) == []


def test_figure_next_to_an_indicator_is_compared_with_its_points(tmp_path):
    [finding] = figure_findings(tmp_path, "绿色生产一级指标总分 50 分。")
    assert finding.message == "说明称 “绿色生产” 50 分，而标准中为 60 分"


BANDED = STANDARD.replace(
    '{id: P1, name: 万元工业产值综合能耗, points: 30, clause: "4.2.1", metric: A.1}',
    '{id: P1, name: 电能利用效率, points: 30, clause: "4.2.1", metric: A.1, '
    'bands: [{max: 1.4, points: 30}, {max: 1.6, points: 10}]}').replace(
    '{id: P2, name: 万元工业产值新鲜水耗, points: 30, clause: "4.2.2", metric: A.2}',
    '{id: P2, name: 万元工业产值新鲜水耗, points: 30, clause: "4.2.2", '
    'criteria: [{points: 30, criterion: 优于行业先进值}, {points: 15, criterion: 优于行业平均值}]}')


@pytest.mark.parametrize("sentence, message", [
    ("电能利用效率不大于1.6 的得 10 分。", None),
    ("电能利用效率不大于1.4 的得 30 分，不大于1.6 的得 10 分，大于1.6 的得 0 分。", None),
    ("万元工业产值新鲜水耗优于行业平均值的得 15 分。", None),
    ("“电能利用效率”总分 30 分，不大于1.6 的得 10 分。", None),
    ("电能利用效率不大于1.6 的得 20 分。", "说明称 “电能利用效率” 得 20 分，而标准中该指标各档的分值为 10、30 分"),
    ("万元工业产值新鲜水耗优于行业平均值的得 10 分。",
     "说明称 “万元工业产值新鲜水耗” 得 10 分，而标准中该指标各档的分值为 15、30 分"),
    ("“电能利用效率”总分 20 分，不大于1.6 的得 10 分。", "说明称 “电能利用效率” 20 分，而标准中为 30 分"),
])
def test_figure_earned_in_a_band_or_level_is_compared_with_its_points(tmp_path, sentence, message):
    write(tmp_path, "std/standard.md", BANDED)
    write(tmp_path, "std/notes.md", NOTE_HEAD + sentence + "\n")
    found = of_rule(check_folder(tmp_path), "NOTES-FIGURE")
    assert [f.message for f in found] == ([message] if message else [])


def test_longest_indicator_name_is_the_one_named(tmp_path):
    standard = STANDARD.replace("name: 绿色生产\n", "name: 生产\n")
    write(tmp_path, "std/standard.md", standard.replace("name: 万元工业产值综合能耗", "name: 综合能耗生产"))
    write(tmp_path, "std/notes.md", NOTE_HEAD + "综合能耗生产二级指标总分 35 分。\n")
    [finding] = of_rule(check_folder(tmp_path), "NOTES-FIGURE")
    assert finding.message == "说明称 “综合能耗生产” 35 分，而标准中为 30 分"


def test_counts_are_reported_in_arabic_numerals(tmp_path):
    [finding] = figure_findings(tmp_path, "本文件共五章。")
    assert "说明称本文件有 5 章" in finding.message


def test_figure_line_is_the_line_of_the_sentence(tmp_path):
    [finding] = figure_findings(tmp_path, "第一句。\n本文件主要\n由5个章\n节构成。")
    assert finding.line == NOTE_HEAD.count("\n") + 3


@pytest.mark.parametrize("text, value", [("8", 8), ("12.5", 12.5), ("八", 8), ("两", 2), ("十", 10),
                                         ("十二", 12), ("二十", 20), ("三十五", 35)])
def test_chinese_numerals(text, value):
    assert to_number(text) == value


def test_explains_may_name_the_standard_by_title(tmp_path):
    write(tmp_path, "std/standard.md", STANDARD)
    write(tmp_path, "other/notes.md", NOTE_HEAD.replace("explains: std", "explains: 示例评价规范")
          + "本文件主要由5个章节构成。\n")
    findings = check_folder(tmp_path)
    assert of_rule(findings, "NOTES-EXPLAINS") == []
    assert len(of_rule(findings, "NOTES-FIGURE")) == 1


def test_external_standard_is_info_only(tmp_path):
    write(tmp_path, "other/notes.md", NOTE_HEAD.replace("explains: std", "explains: 优秀绿色贸易技术评价标准"))
    [finding] = of_rule(check_folder(tmp_path), "NOTES-EXPLAINS")
    assert finding.severity == "info"


def test_value_from_two_tables_with_different_points_is_ambiguous(tmp_path):
    second = STANDARD.replace("```{indicator-table} A.1", "```{indicator-table} A.1", 1)
    table = second[second.index("```{indicator-table} A.1"):second.index("```", second.index("indicators:")) + 3]
    other = table.replace("A.1", "A.2").replace("id: fixture", "id: project").replace("points: 20", "points: 25") \
        .replace("points: 40", "points: 50").replace("points: 60", "points: 50")
    write(tmp_path, "std/standard.md", second.replace("### A.2 计算方法", other + "\n\n### A.2 计算方法"))
    write(tmp_path, "std/notes.md", NOTE_HEAD + "“最高管理者承诺”{std-value}`points:S1` 分。\n\n"
          "“最高管理者承诺”{std-value}`points:project/S1` 分。\n")
    findings = of_rule(check_folder(tmp_path), "NOTES-VALUE")
    assert [(f.severity, f.line) for f in findings] == [("warning", NOTE_HEAD.count("\n") + 1)]


def test_same_title_under_different_parents_is_not_a_duplicate(tmp_path):
    write(tmp_path, "x/notes.md", NOTE_HEAD.replace("explains: std", "explains: 某标准")
          + "### （一）范围\n\n甲。\n\n## 二、其他\n\n### （一）范围\n\n乙。\n")
    assert of_rule(check_folder(tmp_path), "NOTES-DUP-HEADING") == []


def test_published_corpus_has_no_notes_errors():
    assert corpus_errors("NOTES-") == []
