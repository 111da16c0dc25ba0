"""GB/T 1.1 structure and language rules: wording, severities and numbering details.

Each fixture of these rules is tests/fixtures/rules/clean-2020.md or clean-2009.md with one
defect; tests/test_rules_fixtures.py checks that each gives exactly the findings expected.yaml
lists for it. This file checks what a table of lines cannot: messages, severities, profiles.
"""
from __future__ import annotations

import functools

import pytest

import rule_fixtures
from rule_fixtures import FIXTURES
from gbstd import rules
from gbstd.model import Clause
from gbstd.rules.numbering import out_of_sequence

check_fixture = functools.lru_cache(maxsize=None)(rule_fixtures.check_fixture)


def test_clean_fixtures_are_the_two_profiles():
    first = (FIXTURES / "clean-2020.md").read_text(encoding="utf-8")
    second = (FIXTURES / "clean-2009.md").read_text(encoding="utf-8")
    assert "drafting_rules: GB/T 1.1—2020" in first and "drafting_rules: GB/T 1.1—2009" in second


def test_severity_follows_the_catalogue():
    catalogue = rules.load_all()
    assert catalogue["NREF-006"].severity == "error"
    assert catalogue["NUM-007"].severity == "warning"      # 不宜 / unconfirmed verb
    assert catalogue["ANNEX-004"].severity == "warning"    # U
    assert catalogue["ANNEX-006"].severity == "warning"    # U
    assert catalogue["VERB-005"].applies == ("2020",)
    assert catalogue["NUM-006"].applies == ("2020",)


def _messages(fixture: str, rule: str) -> list[tuple[str, str]]:
    return [(f.message, f.hint) for f in check_fixture(fixture) if f.rule == rule]


def test_sequence_hint_gives_the_whole_number():
    assert _messages("NUM-004.md", "NUM-004") == [
        ("条编号 4.3 不连续（4 之下上一条的序号为 1）", "同级条依次编号：本条应为 4.2")]


@pytest.mark.parametrize("numbers, breaks", [
    (["1", "2", "3"], []),
    (["1", "3", "4"], [("3", 1, 2)]),         # one number skipped: the rest follow on from it
    (["1", "3", "3"], [("3", 1, 2)]),         # one number mistyped: the next one is in place
    (["1", "2", "2", "3"], [("2", 2, 3)]),    # a number repeated
    (["4.1", "4.3"], [("4.3", 1, 2)]),
])
def test_a_break_in_numbering_is_reported_once(numbers, breaks):
    siblings = [Clause(kind="clause", title="标题", line=n, heading_level=3, number=number)
                for n, number in enumerate(numbers, 1)]
    assert [(c.number, previous, position) for c, previous, position in out_of_sequence(siblings)] == breaks


@pytest.mark.parametrize("fixture, rule, wording", [
    ("COVER-001.md", "COVER-001", "封面缺少 ICS 号（前置元数据 ics）"),
    ("NUM-002.md", "NUM-002", "条 4.2.1.1.1.1.1 超过了 5 个层次"),
    ("LIST-002.md", "LIST-002", "列项分到了 3 个层次"),
])
def test_wording_spaces_latin_and_uses_arabic_counts(fixture, rule, wording):
    assert [message for message, _ in _messages(fixture, rule)] == [wording]
