"""The rule catalogue: `gbstd rules` and SARIF describe every finding id the code can emit.

(That every registered rule has a failing and a passing fixture is tests/test_rules_fixtures.py.)
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from gbstd import cli, rules

ROOT = Path(__file__).parent.parent
RULE_DOCS = ("docs/checking.md", "docs/gbt-1.1-rules.md")
CATALOGUE = rules.load_all()


def run_rules(capsys, *args: str) -> str:
    assert cli.main(["rules", *args]) == 0
    return capsys.readouterr().out


def test_rules_json_lists_the_whole_registry(capsys):
    listed = json.loads(run_rules(capsys, "--format", "json"))
    assert [r["id"] for r in listed] == sorted(CATALOGUE) + sorted({**rules.SOURCE_CHECKS, **rules.COMMAND_CHECKS})
    by_id = {r["id"]: r for r in listed}
    assert by_id["NREF-006"]["severity"] == "error"
    assert "8.6.3.1" in by_id["NREF-006"]["source"]
    assert by_id["VERB-005"]["profiles"] == ["2020"]
    assert by_id["WORD-DUP"]["kinds"] == ["standard", "notes"]
    assert all(r["statement"] and r["severity"] in ("error", "warning", "info") for r in listed)


def test_rules_text_shows_statement_source_and_profiles(capsys):
    out = run_rules(capsys, "TERM-004")
    assert out.splitlines()[0].split()[:2] == ["TERM-004", "警告"]
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


# A quoted id-like string in the code ("NREF-006", "BALLOT-COUNT") or an id written into a
# message (error REVIEW-003: …) is an id the code can emit.
EMITTED = re.compile(r"\"([A-Z]{2,}(?:-[A-Z]{2,})*-(?:\d{3}|[A-Z]{2,}))\"|\b(?:error|warning) ([A-Z]{2,}-\d{3})\b")
NOT_IDS = {"XXXX-XX-XX"}     # the placeholder date of a draft


def emitted_ids() -> dict[str, str]:
    found = {}
    for folder in ("toolchain", "sphinx_ext"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in EMITTED.finditer(path.read_text(encoding="utf-8")):
                found.setdefault(match.group(1) or match.group(2), str(path.relative_to(ROOT)))
    return {rule_id: where for rule_id, where in found.items() if rule_id not in NOT_IDS}


def test_every_id_the_code_emits_is_catalogued():
    emitted = emitted_ids()
    assert {"SCORE-012", "SCORE-021", "REVIEW-003", "DIFF-001", "BALLOT-COUNT"} <= set(emitted)
    known = rules.known_ids()
    assert {rule_id: where for rule_id, where in emitted.items() if rule_id not in known} == {}


def test_rules_lists_the_command_checks(capsys):
    out = run_rules(capsys, "SCORE-02", "DIFF")
    assert "SCORE-021" in out and "gbstd score" in out and "DIFF-001" in out


def test_sarif_describes_a_command_finding():
    from gbstd.findings import Finding
    from gbstd.report import sarif
    finding = Finding("SCORE-022", "error", "a.yaml", 3, "未能评分")
    [described] = sarif([finding])["runs"][0]["tool"]["driver"]["rules"]
    assert described["shortDescription"]["text"] == rules.COMMAND_CHECKS["SCORE-022"][1]
