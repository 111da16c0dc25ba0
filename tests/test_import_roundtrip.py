"""Round trip: every corpus document → .docx (gbstd.writers.docx) → gbstd import → the same model.

Compared (tests/docx_support.elements): the clause tree with kinds, numbers, titles and
annex roles; terms with English equivalents, sources and definitions; normative
references; every indicator with its points, 序号, 必选/可选, veto, criteria, levels and
bands; grades and normalisation of every indicator table; every formula's LaTeX (by the
MathML it renders to) and its symbols with meanings and units.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from gbstd.importers.docx import import_docx
from gbstd.source import reader

from docx_support import compare

writer = pytest.importorskip("gbstd.writers.docx", reason="the .docx exporter is not on this branch yet")
ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted(ROOT.glob("standards/*/standard.md")) + sorted(ROOT.glob("standards/*/notes.md"))


@pytest.fixture(scope="module")
def round_trips(tmp_path_factory):
    out = {}
    root = tmp_path_factory.mktemp("roundtrip")
    for source in DOCUMENTS:
        original = reader.read(source)
        name = f"{original.slug}-{source.stem}"
        word = root / f"{name}.docx"
        writer.write(original, word)
        has_standard = source.name == "notes.md" and (source.parent / "standard.md").exists()
        result = import_docx(str(word), slug=original.slug, explains=original.slug if has_standard else "")
        target = root / original.slug / source.name
        target.parent.mkdir(exist_ok=True)
        target.write_text(result.markdown, encoding="utf-8")
        out[name] = (original, reader.read(target), result)
    return out


def test_round_trip_keeps_the_model(round_trips, capsys):
    equal_docs = equal = total = 0
    report = []
    for name, (original, imported, _) in round_trips.items():
        same, count, differences = compare(original, imported)
        equal += same
        total += count
        equal_docs += not differences
        report.append(f"  {name}: {same}/{count}" + ("" if not differences else "  " + differences[0][:300]))
    with capsys.disabled():
        print(f"\nWord round trip: documents {equal_docs}/{len(round_trips)} equal, "
              f"elements {equal}/{total} equal")
        print("\n".join(report))
    assert (equal_docs, equal) == (len(round_trips), total), "\n".join(report)
