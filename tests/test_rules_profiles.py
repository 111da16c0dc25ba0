"""Profiles (GB/T 1.1—2020 / —2009), declared gaps, and which documents the rules read.

The profile comes from ``drafting_rules`` in the front matter. A gap declares content lost
in the source: an element that is only a gap gives no content findings, and an element
with a gap is not asked for what it lacks (what it does say is still checked).
"""
from __future__ import annotations

import pytest

from rule_fixtures import fixture_text, write
from gbstd import rules
from gbstd.check import check_paths

CLEAN_2020 = fixture_text("clean-2020.md")
CLEAN_2009 = fixture_text("clean-2009.md")
GAP = ":::{gap}\n原文此处缺失。\n:::\n"


def active(tmp_path, text: str, name: str = "doc/standard.md") -> list:
    path = write(tmp_path, name, text)
    return [f for f in check_paths([str(path)])[0] if f.severity != "info" and not f.suppressed_by]


def rules_of(found) -> set[str]:
    return {f.rule for f in found}


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def foreword_body(text: str) -> str:
    start = text.index("## 前言\n") + len("## 前言\n")
    return text[start:text.index("## ", start)]


# ---------------------------------------------------------------- profiles


def test_2009_allows_bude_and_benbiaozhun_2020_does_not(tmp_path):
    assert "不得" in CLEAN_2009 and "本标准规定了" in CLEAN_2009
    assert active(tmp_path, CLEAN_2009) == []
    as_2020 = edit(CLEAN_2009, "drafting_rules: GB/T 1.1—2009", "drafting_rules: GB/T 1.1—2020")
    assert {"VERB-002", "WORD-001", "FWD-001", "NREF-001", "ANNEX-001", "TERM-004"} <= rules_of(active(tmp_path, as_2020))


def test_2020_boilerplate_in_a_2009_document_is_reported(tmp_path):
    as_2009 = edit(CLEAN_2020, "drafting_rules: GB/T 1.1—2020", "drafting_rules: GB/T 1.1—2009")
    found = rules_of(active(tmp_path, as_2009))
    assert {"FWD-001", "FWD-003", "NREF-001", "ANNEX-001"} <= found
    assert "WORD-001" not in found and "VERB-005" not in found


def without_chapter(text: str, heading: str) -> str:
    start = text.index(heading)
    return text[:start] + text[text.index("\n## ", start) + 1:]


@pytest.mark.parametrize("heading, title", [("## 2 规范性引用文件", "规范性引用文件"), ("## 3 术语和定义", "术语和定义")])
def test_missing_chapter_2_or_3_is_an_error_in_2020_and_optional_in_2009(tmp_path, heading, title):
    [finding] = [f for f in active(tmp_path, without_chapter(CLEAN_2020, heading)) if f.rule == "STRUCT-002"]
    assert finding.severity == "error" and title in finding.message
    assert [f for f in active(tmp_path, without_chapter(CLEAN_2009, heading)) if f.rule == "STRUCT-002"] == []


def test_unrecognised_annex_heading_is_hinted_in_the_form_of_the_edition(tmp_path):
    for text, label in ((CLEAN_2020, "（规范性）"), (CLEAN_2009, "（规范性附录）")):
        heading = next(line for line in text.splitlines() if line.startswith("## 附录A"))
        [finding] = [f for f in active(tmp_path, edit(text, heading, "## 附录A 计算方法")) if f.rule == "ANNEX-001"]
        assert finding.hint.startswith(f"写成 附录A{label}标题")


def test_verbal_forms_are_cited_from_the_annex_of_the_edition(tmp_path):
    assert rules.load_all()["VERB-003"].clause == "GB/T 1.1—2020，9.1、附录C（GB/T 1.1—2009，附录F）"
    for text, table in ((CLEAN_2020, "GB/T 1.1—2020 附录C"), (CLEAN_2009, "GB/T 1.1—2009 附录F")):
        sentence = next(line for line in text.splitlines() if line.startswith(("企业", "工厂")) and "应" in line)
        [finding] = [f for f in active(tmp_path, edit(text, sentence, "企业应当公开。" + sentence))
                     if f.rule == "VERB-003"]
        assert f"不在 {table}的能愿动词之列" in finding.message


# ---------------------------------------------------------------- gaps


def test_foreword_that_is_only_a_gap_gives_no_foreword_findings(tmp_path):
    text = edit(CLEAN_2020, foreword_body(CLEAN_2020), "\n" + GAP + "\n")
    assert not {r for r in rules_of(active(tmp_path, text)) if r.startswith("FWD-")}


def test_foreword_with_a_gap_is_not_asked_for_what_is_lost_but_checked_for_what_it_says(tmp_path):
    lost = "\n本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。\n\n" + GAP + "\n"
    text = edit(CLEAN_2020, foreword_body(CLEAN_2020), lost)
    assert active(tmp_path, text) == []
    wrong = edit(text, "的规定起草。", "起草。")
    assert [f.rule for f in active(tmp_path, wrong)] == ["FWD-001"]


def test_reference_list_declared_lost_is_not_asked_for_entries(tmp_path):
    text = edit(CLEAN_2020, "GB/T 24001 环境管理体系 要求及使用指南\n\nGB/T 36132—2018 绿色工厂评价通则\n", GAP)
    found = rules_of(active(tmp_path, text))
    assert "NREF-002" not in found and "NREF-006" not in found
    without_gap = edit(CLEAN_2020, "GB/T 24001 环境管理体系 要求及使用指南\n\nGB/T 36132—2018 绿色工厂评价通则\n", "")
    assert "NREF-006" in rules_of(active(tmp_path, without_gap))


def test_untitled_clause_that_is_only_a_gap_does_not_break_title_consistency(tmp_path):
    text = edit(CLEAN_2020, "## 6 评价程序\n", "### 5.3\n\n" + GAP + "\n## 6 评价程序\n")
    assert "NUM-005" not in rules_of(active(tmp_path, text))
    with_text = edit(CLEAN_2020, "## 6 评价程序\n", "### 5.3\n\n评价结果公开。\n\n## 6 评价程序\n")
    assert "NUM-005" in rules_of(active(tmp_path, with_text))


def test_formula_numbers_may_jump_over_lost_content(tmp_path):
    later = ("单项得分按公式（3）计算。\n\n```{formula} 3\nlatex: 'r = s'\nexpr: s\nsymbols:\n"
             "  - {symbol: r, meaning: 单项得分, unit: 分}\n  - {symbol: s, meaning: 原始得分, unit: 分}\n```\n\n")
    text = edit(CLEAN_2020, "### 5.2 判定\n", GAP + "\n" + later + "### 5.2 判定\n")
    assert "FORM-001" not in rules_of(active(tmp_path, text))
    assert "FORM-001" in rules_of(active(tmp_path, text.replace(GAP, "")))


def test_scope_that_is_only_a_gap_gives_no_scope_findings(tmp_path):
    start = CLEAN_2020.index("## 1 范围\n") + len("## 1 范围\n")
    body = CLEAN_2020[start:CLEAN_2020.index("## 2 ", start)]
    text = edit(CLEAN_2020, body, "\n" + GAP + "\n")
    assert not {r for r in rules_of(active(tmp_path, text)) if r.startswith("SCOPE-")}


# ---------------------------------------------------------------- document kinds


def test_explanatory_notes_get_only_the_doubled_word_check(tmp_path):
    notes = ("---\nkind: notes\ntitle: 《示例》编制说明\nexplains: doc\n---\n\n# 《示例》编制说明\n\n"
             "## 一、工作简况\n\n本标准必须在年内完成，不得延误。\n\n## 二、主要内容\n\n本标准规定了规定了评价要求。\n")
    write(tmp_path, "doc/standard.md", CLEAN_2020)
    path = write(tmp_path, "doc/notes.md", notes)
    found = [f for f in check_paths([str(path)], corpus_root=str(tmp_path))[0]
             if f.severity != "info" and f.path == str(path)]
    assert [(f.rule, f.line) for f in found] == [("WORD-DUP", 15)]
