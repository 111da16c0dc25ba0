"""Figures a note takes from its standard (the {std-value} role)."""
from __future__ import annotations

from gbstd.model import Clause, Document, Grade, Indicator, IndicatorTable, Metadata, Variant
from gbstd.values import resolve_value


def standard() -> Document:
    table = IndicatorTable(
        number="E.1", caption="指标表", id="enterprise", line=1, total=100,
        indicators=[Indicator(id="tech", name="技术表现", line=2, points=40)],
        grades=[Grade(id="dark", label="深绿", min=85)],
        variants=[Variant(id="project", grades=[Grade(id="dark", label="深绿", min=80)])])
    doc = Document(path="s.md", slug="s", meta=Metadata())
    doc.clauses = [Clause(kind="annex", title="指标表", line=1, heading_level=2, number="E",
                          annex_letter="E", blocks=[table])]
    return doc


def test_points_total_and_grades():
    doc = standard()
    assert resolve_value(doc, "points:tech") == "40"
    assert resolve_value(doc, "points:技术表现") == "40"
    assert resolve_value(doc, "total") == "100"
    assert resolve_value(doc, "grade:dark") == "85"
    assert resolve_value(doc, "count:annexes") == "1"


def test_a_variant_has_its_own_grades():
    doc = standard()
    assert resolve_value(doc, "grade:project/dark") == "80"
    assert resolve_value(doc, "grade:enterprise/dark") == "85"
    assert resolve_value(doc, "grade:nope/dark") is None
