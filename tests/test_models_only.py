"""The checker reads without display nodes (gbstd.source.directives.models_only): the model of
every corpus and fixture file with indicator tables, formulas or grade tables is the same
as when it is read for a writer, reading errors included."""
from __future__ import annotations

import pickle
import re
from pathlib import Path

from docutils import nodes

from gbstd.findings import SourceError
from gbstd.source import directives, reader

ROOT = Path(__file__).resolve().parent.parent
DISPLAYED = re.compile(r"\{(indicator-table|formula|grade-table)\}")


def _read(path: Path):
    try:
        return reader.read(path)
    except SourceError as error:
        return error.as_finding()


def test_models_only_reads_the_same_models():
    paths = [p for folder in ("standards", "tests/fixtures") for p in sorted((ROOT / folder).rglob("*.md"))
             if DISPLAYED.search(p.read_text(encoding="utf-8", errors="replace"))]
    assert len(paths) > 100
    for path in paths:
        with directives.models_only():
            bare = _read(path)
        assert pickle.dumps(bare) == pickle.dumps(_read(path)), path
    assert directives._DISPLAY        # switched back on


def _raw_html(doctree) -> int:
    return sum(1 for n in doctree.findall(nodes.raw) if n.get("format") == "html")


def test_the_bare_nodes_keep_the_models_but_render_nothing():
    path = ROOT / "standards" / "gbt-36132" / "standard.md"
    _, shown = reader.parse(path)
    with directives.models_only():
        _, doctree = reader.parse(path)
    bare = [n for n in doctree.findall(nodes.Element) if "gb-model" in n["classes"]]
    assert bare and all(n.get("gb_model") is not None and not n.children for n in bare)
    assert _raw_html(shown) > 0 and _raw_html(doctree) == 0      # no MathML, no rendered tables
