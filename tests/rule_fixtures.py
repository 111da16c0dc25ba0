"""Helpers for the rule tests: the failing fixtures of tests/fixtures/rules/ and small documents."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml

from gbstd.check import check_paths
from gbstd.findings import Finding

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CORPUS = Path(__file__).parent.parent / "standards"


def expected(prefix: str) -> list[dict]:
    """The entries of expected.yaml whose rule id starts with ``prefix``."""
    entries = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
    return [e for e in entries if e["rule"].startswith(prefix)]


def check_fixture(fixture: str) -> list[Finding]:
    """Check a fixture; one inside a <RULE-ID>/ folder is checked with that folder as the corpus."""
    path = FIXTURES / fixture
    top = FIXTURES / Path(fixture).parts[0]
    if top.is_dir():
        return check_paths([str(top)], corpus_root=str(top))[0]
    return check_paths([str(path)])[0]


def assert_fixture_fails(entry: dict, all_entries: list[dict]) -> None:
    """The fixture gives the expected finding, and its rule reports nothing else in that file."""
    path = FIXTURES / entry["fixture"]
    findings = [f for f in check_fixture(entry["fixture"])
                if f.rule == entry["rule"] and Path(f.path).resolve() == path.resolve()]
    wanted = sorted(e["line"] for e in all_entries
                    if e["fixture"] == entry["fixture"] and e["rule"] == entry["rule"])
    assert sorted(f.line for f in findings) == wanted, [f.format() for f in findings]


def write(tmp_path: Path, relative: str, text: str) -> Path:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def fixture_text(fixture: str) -> str:
    return (FIXTURES / fixture).read_text(encoding="utf-8")


def check_folder(folder: Path) -> list[Finding]:
    return check_paths([str(folder)], corpus_root=str(folder))[0]


def of_rule(findings: list[Finding], rule: str, active_only: bool = True) -> list[Finding]:
    return [f for f in findings if f.rule == rule and not (active_only and f.suppressed_by)]


@functools.lru_cache(maxsize=1)
def _corpus() -> tuple[Finding, ...]:
    return tuple(check_paths([str(CORPUS)], corpus_root=str(CORPUS))[0])


def corpus_errors(prefix: str) -> list[Finding]:
    """Unsuppressed errors of the rules with ``prefix`` on the published corpus."""
    return [f for f in _corpus() if f.rule.startswith(prefix) and not f.suppressed_by
            and f.severity == "error"]
