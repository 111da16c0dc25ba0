"""The documentation's complete example is a real, clean document."""
from __future__ import annotations

import re
from pathlib import Path

from gbstd.check import check_paths

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_complete_example_in_authoring_guide_checks_clean(tmp_path):
    text = (DOCS / "authoring.md").read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1]
    example = re.search(r"^````markdown\n(.*?)^````$", section, re.S | re.M).group(1)
    path = tmp_path / "example-enterprise" / "standard.md"
    path.parent.mkdir()
    path.write_text(example, encoding="utf-8")
    findings, docs = check_paths([str(path)])
    assert len(docs) == 1 and docs[0].indicator_tables and docs[0].formulas and docs[0].terms
    assert [f.format() for f in findings if f.severity != "info"] == []
