"""Suppressions: a stated reason silences a finding for one block or one document, and is reported."""
from __future__ import annotations

import json

import pytest

from rule_fixtures import (check_folder, expected, fixture_text, of_rule,
                           write)
from gbstd.check import check_paths
from gbstd.report import render_report

ENTRIES = expected("GBSTD-")
TABLE = "```{indicator-table} A.1"
# Two tables, both with the IND-001 defect of IND-001.md (绿色战略 40 ≠ 20 + 15).
TWO_DEFECTS = fixture_text("IND-009.md").replace('points: 20, clause: "4.1.2"', 'points: 15, clause: "4.1.2"') \
    .replace("id: fixture\ntotal", "id: second\ntotal", 1)


def check(tmp_path, text, name="doc/standard.md"):
    write(tmp_path, name, text)
    return check_folder(tmp_path)


def test_block_suppression_covers_only_the_next_block(tmp_path):
    text = TWO_DEFECTS.replace(TABLE, "% gbstd: ignore IND-001 原文如此：分值照录\n" + TABLE)
    findings = of_rule(check(tmp_path, text), "IND-001", active_only=False)
    assert len(findings) == 2
    first, second = sorted(findings, key=lambda f: f.line)
    assert first.suppressed_by == "原文如此：分值照录"
    assert second.suppressed_by == ""


def test_document_suppression_with_match(tmp_path):
    notes = fixture_text("NOTES-FIGURE/notes.md").replace(
        "stage: 征求意见稿\n", "stage: 征求意见稿\nsuppress:\n  - {rule: NOTES-FIGURE, reason: 原文如此, match: 绿色战略}\n")
    write(tmp_path, "NOTES-FIGURE/standard.md", fixture_text("NOTES-FIGURE/standard.md"))
    findings = of_rule(check(tmp_path, notes, "NOTES-FIGURE/notes.md"), "NOTES-FIGURE", active_only=False)
    silenced = [f for f in findings if f.suppressed_by]
    assert len(findings) == 3
    assert [("绿色战略" in f.message) for f in silenced] == [True]


def test_block_suppression_without_reason_is_an_error_and_silences_nothing(tmp_path):
    text = TWO_DEFECTS.replace(TABLE, "% gbstd: ignore IND-001\n" + TABLE)
    findings = check(tmp_path, text)
    [meta] = of_rule(findings, "META-005")
    assert meta.severity == "error"
    assert text.split("\n")[meta.line - 1] == "% gbstd: ignore IND-001"
    assert len(of_rule(findings, "IND-001")) == 2


def test_front_matter_suppression_without_reason_is_an_error(tmp_path):
    text = fixture_text("IND-001.md").replace("owner: 示例协会\n", "owner: 示例协会\nsuppress:\n  - {rule: IND-001}\n")
    findings = check(tmp_path, text)
    [finding] = of_rule(findings, "META-005")
    assert finding.severity == "error"
    assert of_rule(findings, "IND-001")        # the document is still checked, nothing silenced


def test_suppression_of_an_unknown_rule_is_reported(tmp_path):
    text = fixture_text("IND-001.md").replace(TABLE, "% gbstd: ignore IND-0001 原文如此\n" + TABLE)
    [finding] = of_rule(check(tmp_path, text), "GBSTD-UNUSED-SUPPRESSION")
    assert "IND-0001" in finding.message and "不存在" in finding.message


@pytest.fixture
def suppressed_run(tmp_path):
    text = TWO_DEFECTS.replace(TABLE, "% gbstd: ignore IND-001 原文如此：分值照录\n" + TABLE)
    path = write(tmp_path, "doc/standard.md", text)
    return check_paths([str(path)])


def test_text_report_lists_suppressions(suppressed_run):
    report = render_report(*suppressed_run, "text")
    listed = report[report.index("已抑制"):]
    assert "IND-001" in listed and "原文如此：分值照录" in listed
    assert "1 个已抑制" in report.splitlines()[-1]


def test_json_report_lists_suppressions(suppressed_run):
    data = json.loads(render_report(*suppressed_run, "json"))
    [entry] = [f for f in data["findings"] if f["suppressed"]]
    assert (entry["rule"], entry["suppression_reason"]) == ("IND-001", "原文如此：分值照录")


def test_sarif_report_lists_suppressions(suppressed_run):
    data = json.loads(render_report(*suppressed_run, "sarif"))
    results = [r for r in data["runs"][0]["results"] if r["ruleId"] == "IND-001"]
    assert [r.get("suppressions") for r in results].count(
        [{"kind": "inSource", "justification": "原文如此：分值照录"}]) == 1
    assert len(results) == 2
