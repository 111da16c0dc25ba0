"""The real defects of the seed documents, kept as fixtures: the checker catches each one.

tests/fixtures/seed_defects/defects.yaml lists, per defect, the fixture, the rule that must
fire and the line. A fixture inside a folder is checked with that folder as the corpus root
(the notes and their standard, or a parent guideline and its derived standard). Entries the
checker cannot catch carry an ``xfail`` reason written in defects.yaml and are expected to
fail, strictly; a rule missing from the registry is a failure, never an expected one.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gbstd.check import check_paths

SEEDS = Path(__file__).parent / "fixtures" / "seed_defects"
ENTRIES = yaml.safe_load((SEEDS / "defects.yaml").read_text(encoding="utf-8"))


def _param(entry: dict):
    reason = entry.get("xfail")
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(entry, marks=marks, id=f"{entry['file']}:{entry['line']}:{entry['rule']}")


def findings_for(entry: dict):
    path = SEEDS / entry["file"]
    folder = SEEDS / Path(entry["file"]).parts[0]
    if folder.is_dir():
        return path, check_paths([str(folder)], corpus_root=str(folder))[0]
    return path, check_paths([str(path)])[0]


@pytest.mark.parametrize("entry", [_param(e) for e in ENTRIES])
def test_seed_defect_is_caught(entry):
    path, findings = findings_for(entry)
    lines = [f.line for f in findings if f.rule == entry["rule"] and Path(f.path).resolve() == path.resolve()]
    assert entry["line"] in lines, f"{entry['rule']} 未在第 {entry['line']} 行报出（报在 {lines}）"


def test_every_entry_names_an_existing_fixture():
    missing = [e["file"] for e in ENTRIES if not (SEEDS / e["file"]).is_file()]
    assert missing == []


def test_informative_citation_in_a_2009_annex_is_not_reported():
    """The seed's informative annex cites GB/T 4754 with 宜参考: an informative citation, which a
    GB/T 1.1—2009 document only *may* list in a bibliography — not a defect, so nothing fires."""
    path = SEEDS / "004-unlisted-gbt4754.md"
    findings = check_paths([str(path)])[0]
    assert [f.format() for f in findings if f.rule in ("NREF-006", "STRUCT-007") and f.line == 46] == []
