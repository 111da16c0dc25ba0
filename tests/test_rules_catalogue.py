"""The rule catalogue: every registered rule has a failing fixture; `gbstd rules` lists them all.

tests/fixtures/rules/expected.yaml is the shared table of failing fixtures ({fixture, rule,
line}); the area tests (test_rules_gbt11.py, test_rules_indicators.py …) check that each
fixture fails where it says. This file checks that no rule is left without one.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from gbstd import cli, rules

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "rules"
RULE_DOCS = ("docs/checking.md", "docs/gbt-1.1-rules.md")
ENTRIES = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
# Rules tested on fixtures of their own kind rather than on a document per rule.
TESTED_ELSEWHERE = {
    "gbstd.rules.review": "审查记录（意见、函审）规则在 tests/test_review_rules.py 中以示例标准的副本测试",
}
CATALOGUE = rules.load_all()


def _covered(rule: rules.Rule) -> bool:
    return rule.func.__module__ in TESTED_ELSEWHERE


@pytest.mark.parametrize("rule_id", sorted(r.id for r in CATALOGUE.values() if not _covered(r)))
def test_every_rule_has_a_failing_fixture(rule_id):
    fixtures = [e["fixture"] for e in ENTRIES if e["rule"] == rule_id]
    assert fixtures, f"{rule_id} 在 tests/fixtures/rules/expected.yaml 中没有失败夹具"
    assert all((FIXTURES / f).is_file() for f in fixtures)


def test_expected_table_is_well_formed():
    assert all(set(e) == {"fixture", "rule", "line"} and isinstance(e["line"], int) and e["line"] > 0
               for e in ENTRIES)
    assert len({(e["fixture"], e["rule"], e["line"]) for e in ENTRIES}) == len(ENTRIES)


def run_rules(capsys, *args: str) -> str:
    assert cli.main(["rules", *args]) == 0
    return capsys.readouterr().out


def test_rules_json_lists_the_whole_registry(capsys):
    listed = json.loads(run_rules(capsys, "--format", "json"))
    assert [r["id"] for r in listed] == sorted(CATALOGUE) + sorted(rules.SOURCE_CHECKS)
    by_id = {r["id"]: r for r in listed}
    assert by_id["NREF-006"]["severity"] == "error"
    assert "8.6.3.1" in by_id["NREF-006"]["source"]
    assert by_id["VERB-005"]["profiles"] == ["2020"]
    assert by_id["WORD-DUP"]["kinds"] == ["standard", "notes"]
    assert all(r["statement"] and r["severity"] in ("error", "warning", "info") for r in listed)


def test_rules_text_shows_statement_source_and_profiles(capsys):
    out = run_rules(capsys, "TERM-004")
    assert out.splitlines()[0].split()[:2] == ["TERM-004", "warning"]
    assert "依据：GB/T 1.1—2020，8.7.3" in out and "GB/T 1.1—2009" in out
    assert "共 1 条规则" in out


def test_rules_filters_by_prefix(capsys):
    listed = json.loads(run_rules(capsys, "--format", "json", "NUM-", "HEAD-"))
    assert listed and all(r["id"].startswith(("NUM-", "HEAD-")) for r in listed)
    assert "HEAD-003" in {r["id"] for r in listed}


def test_rules_with_a_prefix_no_rule_has_is_a_usage_error(capsys):
    assert cli.main(["rules", "NUM-", "NOPE"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("gbstd rules: 没有以 NOPE 开头的规则编号")


def test_rules_prefix_may_name_reader_checks_only(capsys):
    assert "FILE-001" in run_rules(capsys, "FILE")


@pytest.mark.parametrize("doc", RULE_DOCS)
def test_rule_docs_cite_only_files_in_the_repository(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    cited = [ROOT / path for path in re.findall(r"`([\w.-]+(?:/[\w.-]+)+\.(?:md|py|yaml|json))`", text)]
    cited += [(ROOT / doc).parent / link for link in re.findall(r"\]\(([^)#\s]+)", text)]
    assert [str(path) for path in cited if not path.exists()] == []
