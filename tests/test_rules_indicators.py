"""Indicator arithmetic rules (IND-*): fixtures fail where expected, sound tables pass."""
from __future__ import annotations

import pytest

from rule_fixtures import (check_folder, corpus_errors, expected, fixture_text,
                           of_rule, write)
from gbstd.rules.indicators import titles_match

ENTRIES = expected("IND-")
# IND-001.md with its defect (S2 written 15 instead of 20) repaired: a sound table.
CLEAN = fixture_text("IND-001.md").replace('points: 15, clause: "4.1.2"', 'points: 20, clause: "4.1.2"')


def test_every_indicator_rule_has_a_fixture():
    assert {e["rule"] for e in ENTRIES} == {f"IND-00{n}" for n in range(1, 10)}


def findings(tmp_path, text):
    write(tmp_path, "doc/standard.md", text)
    return [f for f in check_folder(tmp_path) if f.rule.startswith("IND-")]


def test_sound_table_passes(tmp_path):
    assert findings(tmp_path, CLEAN) == []


def test_parent_with_unknown_children_points_is_not_summed(tmp_path):
    text = CLEAN.replace('{id: S1, name: 最高管理者承诺, points: 20, clause: "4.1.1"}',
                         '{id: S1, name: 最高管理者承诺, points: ~, gap: 原文未给出, clause: "4.1.1"}')
    assert findings(tmp_path, text) == []


def test_missing_points_without_gap_is_reported(tmp_path):
    text = CLEAN.replace('{id: S1, name: 最高管理者承诺, points: 20, clause: "4.1.1"}',
                         '{id: S1, name: 最高管理者承诺, clause: "4.1.1"}')
    [finding] = findings(tmp_path, text)
    assert finding.rule == "IND-001" and "最高管理者承诺" in finding.message


def test_declared_total_other_than_100(tmp_path):
    assert of_rule(findings(tmp_path, CLEAN.replace("total: 100", "total: 120")), "IND-002")
    text = CLEAN.replace("total: 100", "total: 50").replace("points: 40\n", "points: 20\n") \
        .replace("points: 60\n", "points: 30\n").replace("points: 20, clause", "points: 10, clause") \
        .replace("points: 30, clause", "points: 15, clause")
    assert findings(tmp_path, text) == []


def test_level_by_level_mismatch_is_not_reported_twice(tmp_path):
    """IND-003 reaches across a level written ~ only; a full chain is IND-001's."""
    text = fixture_text("IND-001.md")
    rules = [f.rule for f in findings(tmp_path, text)]
    assert rules == ["IND-001"]


def _grades(mins, indent=""):
    return "".join(f"{indent}  - {{id: g{n}, label: 等级{n}, min: {m}}}\n" for n, m in enumerate(mins))


@pytest.mark.parametrize("mins, ok", [
    ((85, 70, 60), True), ((90, 85), True), ((60, 70, 85), False), ((85, 90), False),
    ((70, 85, 60), False), ((85, 70, 70), False), ((85, 70, -5), False),
])
def test_grade_thresholds(tmp_path, mins, ok):
    text = CLEAN.replace("total: 100\n", "total: 100\ngrades:\n" + _grades(mins))
    assert (of_rule(findings(tmp_path, text), "IND-005") == []) == ok


def test_lower_grade_with_a_higher_minimum_is_reported_at_its_line(tmp_path):
    """Grades run from the best to the worst, in the table and in each variant."""
    grades = "grades:\n" + _grades((90, 80)) + "variants:\n  - id: project\n    grades:\n" \
        + "      - {id: excellent, label: 优秀, min: 85}\n      - {id: pass, label: 合格, min: 90}\n"
    text = CLEAN.replace("total: 100\n", "total: 100\n" + grades)
    [finding] = of_rule(findings(tmp_path, text), "IND-005")
    assert finding.line == text.split("\n").index("      - {id: pass, label: 合格, min: 90}") + 1
    assert finding.message == "表A.1 的变体 “project” 等级 “合格” 列在 “优秀” 之后，门槛 90 却高于其 85"


@pytest.mark.parametrize("name, title, match", [
    ("企业绿色发展规划和年度计划", "绿色发展规划和年度计划", True),
    ("绿色制造相关培训", "绿色制造培训", True),
    ("可再生能源使用", "可再生能源使用比例", True),
    ("固体污染物", "固体废弃物", False),
    ("万元工业产值新鲜水耗", "综合能耗", False),
])
def test_title_match_is_loose_containment(name, title, match):
    assert titles_match(name, title) == match


def test_clause_title_mismatch_is_a_warning(tmp_path):
    text = CLEAN.replace('{id: S2, name: 绿色发展规划, points: 20, clause: "4.1.2"}',
                         '{id: S2, name: 专项预算, points: 20, clause: "4.1.2"}')
    [finding] = findings(tmp_path, text)
    assert (finding.rule, finding.severity) == ("IND-006", "warning")


def test_published_corpus_has_no_indicator_errors():
    assert corpus_errors("IND-") == []


def test_points_tolerance_is_for_float_noise_only():
    from gbstd.model import POINTS_TOLERANCE, points_differ
    from gbstd.scoring import semantic
    assert POINTS_TOLERANCE <= 1e-6
    assert points_differ(20, 10 + 9) and not points_differ(0.3, 0.1 + 0.2)
    schema = {"indicators": [{"id": "g", "title": "组", "points": 20, "children": [
        {"id": "a", "title": "甲", "points": 10}, {"id": "b", "title": "乙", "points": 9}]}],
        "scoring": {"total": 20}}
    assert [p.rule for p in semantic._sums(schema)] == ["SCORE-011"]   # 20 vs 10 + 9; the total holds


def test_one_point_short_is_reported(tmp_path):
    text = CLEAN.replace('points: 20, clause: "4.1.2"', 'points: 19, clause: "4.1.2"')
    assert "IND-001" in {f.rule for f in findings(tmp_path, text)}
    text = CLEAN.replace('points: 20, clause: "4.1.2"', 'points: 19.9999999999, clause: "4.1.2"')
    assert findings(tmp_path, text) == []
