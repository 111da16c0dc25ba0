"""Parent/derived rules (DERIV-*): a derived standard follows its parent's framework."""
from __future__ import annotations


from rule_fixtures import (check_folder, corpus_errors, expected, fixture_text,
                           write)

ENTRIES = expected("DERIV-")
GUIDE = fixture_text("DERIV-SHARE/share-guide/standard.md")      # framework: min-share 70 (应)
DERIVED = fixture_text("DERIV-SHARE/share-derived/standard.md")  # 技术 30 + 业务 30 of 100
FRAMEWORK = "  - {kind: min-share, names: [技术表现, 业务表现, 行业表现], min: 70, verb: 应}"


def test_every_derived_rule_has_a_fixture():
    assert {e["rule"] for e in ENTRIES} == {"DERIV-PARENT", "DERIV-LEVEL1", "DERIV-SHARE",
                                            "DERIV-STRUCTURE"}


def derived_findings(tmp_path, guide=GUIDE, derived=DERIVED):
    write(tmp_path, "share-guide/standard.md", guide)
    write(tmp_path, "share-derived/standard.md", derived)
    return [f for f in check_folder(tmp_path) if f.rule.startswith("DERIV-")]


def test_verb_decides_severity(tmp_path):
    [finding] = derived_findings(tmp_path, guide=GUIDE.replace("verb: 应}", "verb: 宜}"))
    assert (finding.rule, finding.severity) == ("DERIV-SHARE", "warning")


def test_share_met(tmp_path):
    derived = DERIVED.replace("points: 40\n", "points: 20\n").replace("points: 40}", "points: 20}") \
        .replace("name: 业务表现\n    points: 30", "name: 业务表现\n    points: 50") \
        .replace("{id: B1, name: 发展能力, points: 30}", "{id: B1, name: 发展能力, points: 50}")
    assert derived_findings(tmp_path, derived=derived) == []


def test_share_not_computed_when_points_are_not_given(tmp_path):
    derived = DERIVED.replace("name: 技术表现\n    points: 30", "name: 技术表现\n    points: ~\n    gap: 原文未给出")
    assert derived_findings(tmp_path, derived=derived) == []


def test_parent_without_framework(tmp_path):
    guide = GUIDE.replace(FRAMEWORK, "  []").replace("constraints:\n  []", "constraints: []")
    guide = guide[:guide.index("## 附录B")]
    [finding] = derived_findings(tmp_path, guide=guide)
    assert finding.rule == "DERIV-PARENT" and "framework" in finding.message


def test_framework_veto_item_must_be_veto(tmp_path):
    guide = GUIDE.replace(FRAMEWORK, "").replace("constraints:\n", "level1:\n  - {name: 目录符合, verb: 应, veto: true}\n")
    derived = DERIVED.replace("{id: catalog, name: 目录符合, veto: true, requirement: 必选}",
                              "{id: catalog, name: 目录符合, points: 0, requirement: 必选}")
    [finding] = derived_findings(tmp_path, guide=guide, derived=derived)
    assert finding.rule == "DERIV-LEVEL1" and "一票否决" in finding.message


def test_structure_reports_first_differing_chapter(tmp_path):
    structure = "structure:\n  verb: 应\n  chapters: [范围, 规范性引用文件, 术语和定义, 评价总则, 评价要求]\n"
    guide = GUIDE.replace(FRAMEWORK, "").replace("constraints:\n", structure)
    findings = derived_findings(tmp_path, guide=guide)
    assert [(f.rule, f.severity, f.message.split("，")[0]) for f in findings] == [
        ("DERIV-STRUCTURE", "error", "第 4 章为 “评价要求”")]


def test_published_corpus_has_no_derived_errors():
    assert corpus_errors("DERIV-") == []
