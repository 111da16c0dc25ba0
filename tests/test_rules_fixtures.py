"""Every rule fixture fails where its table says; the clean fixtures pass; nothing is left out.

The expectations are written by hand, beside the fixtures: tests/fixtures/rules/expected.yaml
({fixture, rule, line} per failing fixture) and clean.yaml (the fixtures that must pass). None
of them is taken from the registry, so a rule removed from the registry (or one that stops
firing) fails here, and a rule registered without fixtures fails here too.
"""
from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

import pytest
import yaml

import rule_fixtures
from rule_fixtures import FIXTURES
from gbstd import rules
from gbstd.check import check_paths

ROOT = Path(__file__).parent.parent
ENTRIES = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
CLEAN = yaml.safe_load((FIXTURES / "clean.yaml").read_text(encoding="utf-8"))
SEED_DEFECTS = yaml.safe_load((ROOT / "tests/fixtures/seed_defects/defects.yaml").read_text(encoding="utf-8"))
FIXTURE_NAMES = sorted({e["fixture"] for e in ENTRIES})
check_fixture = functools.lru_cache(maxsize=None)(rule_fixtures.check_fixture)
# Rules whose failing cases are edits of a demo standard with its review records, written in
# tests/test_review_rules.py (each test there names the rule it expects).
REVIEW_TESTS = ROOT / "tests" / "test_review_rules.py"
REVIEW_PREFIXES = ("REVIEW-FILE", "COMMENT-", "BALLOT-", "STAGE-")


def found(fixture: str) -> Counter:
    """(rule, line) of the active findings above info level in the fixture file itself."""
    path = (FIXTURES / fixture).resolve()
    return Counter((f.rule, f.line) for f in check_fixture(fixture)
                   if f.severity != "info" and not f.suppressed_by and Path(f.path).resolve() == path)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_fixture_gives_exactly_its_findings(fixture):
    wanted = Counter((e["rule"], e["line"]) for e in ENTRIES if e["fixture"] == fixture)
    assert found(fixture) == wanted


@functools.lru_cache(maxsize=None)
def _clean(entry: str):
    path = (FIXTURES / entry).resolve()
    if path.is_dir():
        return check_paths([str(path)], corpus_root=str(path))
    return check_paths([str(path)])


@pytest.mark.parametrize("entry", CLEAN)
def test_clean_fixture_passes_every_rule(entry):
    findings, docs = _clean(entry)
    assert docs
    assert [f.format() for f in findings if f.severity != "info" and not f.suppressed_by] == []


def test_every_rule_named_in_a_fixture_is_registered():
    known = rules.known_ids()
    named = {e["rule"] for e in ENTRIES} | {e["rule"] for e in SEED_DEFECTS}
    assert sorted(named - set(known)) == []


def test_every_registered_rule_has_a_failing_fixture():
    failing = {e["rule"] for e in ENTRIES}
    review_text = REVIEW_TESTS.read_text(encoding="utf-8")
    missing = [rule_id for rule_id in rules.load_all()
               if rule_id not in failing
               and not (rule_id.startswith(REVIEW_PREFIXES) and f'"{rule_id}"' in review_text)]
    assert missing == [], "这些规则在 tests/fixtures/rules/expected.yaml 中没有失败夹具"
    assert all((FIXTURES / f).exists() for f in FIXTURE_NAMES)


def test_every_registered_rule_has_a_passing_fixture():
    docs = [doc for entry in CLEAN for doc in _clean(entry)[1]]
    kinds = {(doc.meta.kind, doc.meta.profile) for doc in docs}
    assert any(doc.meta.parent for doc in docs) and any(doc.meta.kind == "notes" for doc in docs)
    uncovered = [r.id for r in rules.load_all().values()
                 if not any((kind, profile) in kinds for kind in r.kinds for profile in r.applies)]
    assert uncovered == []


def test_expected_table_is_well_formed():
    assert all(set(e) == {"fixture", "rule", "line"} and isinstance(e["line"], int) and e["line"] > 0
               for e in ENTRIES)
    assert len({(e["fixture"], e["rule"], e["line"]) for e in ENTRIES}) == len(ENTRIES)


@pytest.mark.parametrize("fixture", FIXTURE_NAMES)
def test_findings_say_what_and_how_in_chinese(fixture):
    for finding in check_fixture(fixture):
        if finding.rule in rules.load_all() and finding.severity != "info":
            assert finding.hint, finding.format()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in finding.message), finding.format()
