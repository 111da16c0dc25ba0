"""Verbal forms and wording: the tokenisation keeps words that only contain a modal character.

GB/T 1.1 checks on Chinese text live or die by their false positives: 应用 is not 应,
必不可少 is not 不可, 明令禁止 states a fact. These tests put such words into an otherwise
clean document and expect silence, next to the real defects they must still catch.
"""
from __future__ import annotations

import pytest

from rule_fixtures import fixture_text, write
from gbstd.check import check_paths
from gbstd.rules.text import PERMISSION, REQUIREMENT, mask, modal_verbs, provisions

CLEAN = fixture_text("clean-2020.md")
SENTENCE = "企业应制定绿色发展规划，规划包括："


def findings(tmp_path, text: str, prefix: str) -> list:
    path = write(tmp_path, "doc/standard.md", text)
    return [f for f in check_paths([str(path)])[0] if f.rule.startswith(prefix) and not f.suppressed_by]


def with_sentence(sentence: str, base: str = CLEAN) -> str:
    assert SENTENCE in base
    return base.replace(SENTENCE, sentence + SENTENCE)


@pytest.mark.parametrize("text", ["应用绿色设计技术", "选用适宜的设备", "可能涉及专利", "与之相应的措施",
                                  "可持续发展", "可再生能源", "供应链"])
def test_words_containing_modal_characters_are_not_modal_verbs(text):
    assert modal_verbs(text) == []


def test_modal_verbs_are_found_after_compounds_are_taken_out():
    found = [m.group() for m in modal_verbs("企业应用新技术时应记录，宜公开，可参照执行，不应隐瞒。")]
    assert found == ["应", "宜", "可", "不应"]
    assert [m.group() for m in provisions("其他企业可参照使用", PERMISSION)] == ["可"]
    assert provisions("本文件不承担识别专利的责任", REQUIREMENT) == []


def test_quotations_and_titles_are_masked_keeping_positions():
    text = "按《绿色产业指导目录（应用版）》和“必须”二字"
    masked = mask(text)
    assert len(masked) == len(text) and "应" not in masked and "必须" not in masked


@pytest.mark.parametrize("sentence, rule", [
    ("企业应尽可能采用清洁能源。", "VERB-005"),
    ("评价一般应在现场进行。", "VERB-005"),
    ("原则上，评价组应由三人组成。", "VERB-005"),
    ("企业应考虑供应商的环境表现。", "VERB-005"),
    ("企业必须建立台账。", "VERB-001"),
    ("企业不得虚报数据。", "VERB-002"),
    ("企业禁止使用淘汰设备。", "VERB-002"),
    ("企业严禁虚报数据。", "VERB-003"),
    ("本标准的要求适用于全部工厂。", "WORD-001"),
    ("详见第12页。", "WORD-002"),
    ("按第4.2条执行。", "WORD-003"),
    ("企业应建立建立台账。", "WORD-DUP"),
    ("台账包括基本信息表，基本信息表，以及附件。", "WORD-DUP"),
])
def test_defects_in_running_text_are_caught(tmp_path, sentence, rule):
    found = findings(tmp_path, with_sentence(sentence), rule)
    line = with_sentence(sentence).split("\n").index(sentence + SENTENCE) + 1
    assert [f.line for f in found] == [line]


@pytest.mark.parametrize("sentence", [
    "企业的排放应优于同行业的一般水平。",          # 一般 as an adjective, not a hedge
    "通常情况下企业采用第三方评价。",              # hedge without 应
    "已明令禁止生产的设备应限期淘汰。",            # 禁止 states a fact
    "评价结论必不可少。",                          # 必不可少 is not 不可
    "不可能在现场核实的数据应注明来源。",          # 不可能 is not 不可
    "企业进行碳足迹核算或核查，核查结果宜公开。",  # 核查，核查结果 is not a doubled word
    "因产品不同，不同工厂的产品单位不同。",
    "由全国示例标准化技术委员会组织编写。",        # 标准化 is not 本标准
    "评价报告给出了5个附录，附录A为评价指标表。",
])
def test_sound_wording_is_not_reported(tmp_path, sentence):
    text = with_sentence(sentence)
    reported = [f.format() for f in findings(tmp_path, text, "") if f.severity != "info"]
    assert reported == []


def test_quoted_titles_are_not_the_documents_own_wording(tmp_path):
    text = with_sentence("企业按《必须遵守的本标准汇编》的目录建立台账。")
    assert findings(tmp_path, text, "VERB-") == [] and findings(tmp_path, text, "WORD-") == []


def test_gap_marks_are_not_content(tmp_path):
    text = with_sentence("企业{gap}`此处原文为“必须”后的文字，已缺失`建立台账。")
    assert findings(tmp_path, text, "VERB-001") == []


def test_formula_reference_wording(tmp_path):
    text = CLEAN.replace("综合得分按公式（1）计算。", "综合得分按公式1计算。")
    [finding] = findings(tmp_path, text, "FORM-001")
    assert finding.severity == "warning" and "公式1" in finding.message
