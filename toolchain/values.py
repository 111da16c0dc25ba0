"""Figures a note can take from its standard: ``{std-value}`points:S1``` and friends."""
from __future__ import annotations

from .source.indicators import format_points
from .model import Document

COUNTS = ("chapters", "annexes", "terms")


def resolve_value(doc: Document, key: str) -> str | None:
    """The figure named by ``key`` in ``doc``, as printed; None when it does not exist.

    Keys: ``total`` (first indicator table), ``points:<indicator id or name>``
    (``points:<table id>/<indicator>`` to pick a table), ``grade:<grade id>``
    (``grade:<table or variant id>/<grade id>`` for a table's or a variant's own grades),
    ``count:chapters|annexes|terms``.
    """
    kind, _, name = key.partition(":")
    if kind == "count" and name in COUNTS:
        return str(len(getattr(doc, name)))
    tables = doc.indicator_tables
    if kind == "total":
        return format_points(tables[0].total) if tables else None
    table_key, _, item = name.rpartition("/")
    candidates = [t for t in tables if not table_key or table_key in (t.id, t.number)]
    for table in candidates:
        if kind == "points":
            indicator = table.find(item)
            if indicator is not None and indicator.points is not None:
                return format_points(indicator.points)
        if kind == "grade":
            grade = next((g for g in table.grades if g.id == item), None)
            if grade is not None:
                return format_points(grade.min)
    if kind == "grade" and table_key:
        for variant in (v for t in tables for v in t.variants if v.id == table_key):
            grade = next((g for g in variant.grades if g.id == item), None)
            if grade is not None:
                return format_points(grade.min)
    return None
