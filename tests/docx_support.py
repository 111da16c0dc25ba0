"""What a Word round trip must keep, as comparable plain data (shared by the import tests)."""
from __future__ import annotations

import re

from latex2mathml.converter import convert

from gbstd.model import Document, Indicator


def norm_latex(latex: str) -> str:
    """LaTeX compared by the MathML it renders to: spacing, braces and empty scripts do not count."""
    latex = re.sub(r"\^\{\}|_\{\}", "", latex)
    try:
        mathml = convert(latex)
    except Exception:   # noqa: BLE001 — an unparsable formula is compared as text
        return re.sub(r"\s+", "", latex)
    mathml = re.sub(r'\s+[a-z]+="[^"]*"', "", mathml)
    return re.sub(r"\s+", "", mathml)


def _requirement(indicator: Indicator, inherited: str) -> str:
    return indicator.requirement or inherited


def indicator_rows(doc: Document) -> list[tuple]:
    rows = []

    def walk(indicator: Indicator, path: tuple, requirement: str):
        requirement = _requirement(indicator, requirement)
        key = path + (indicator.name,)
        # What an indicator table prints: a group's gap and a metric without bands are not
        # printed (table_rows), so they cannot come back from any printed form.
        rows.append((key, indicator.points, indicator.no, requirement if indicator.is_leaf else "",
                     indicator.veto, indicator.criteria,
                     tuple((lv.points, lv.criterion) for lv in indicator.levels),
                     indicator.metric if indicator.bands else "",
                     tuple((b.min, b.max, b.points) for b in indicator.bands),
                     indicator.gap if indicator.is_leaf else ""))
        for child in indicator.children:
            walk(child, key, requirement)
    for table in doc.indicator_tables:
        for indicator in table.indicators:
            walk(indicator, (table.number,), "")
    return rows


def elements(doc: Document) -> dict[str, list]:
    """Every element a round trip must keep, grouped by kind, in document order."""
    return {
        "clauses": [(c.kind, c.number, c.title, c.annex_role) for c in doc.walk()],
        "terms": [(t.number, t.term, t.en, t.source, t.modified, t.definition) for t in doc.terms],
        "references": [(r.designation, r.year, r.title) for r in doc.references],
        "indicators": indicator_rows(doc),
        "tables": [(t.number, t.caption, t.total, tuple((g.label, g.min) for g in t.grades),
                    t.normalization) for t in doc.indicator_tables],
        "formulas": [(f.number, norm_latex(f.latex),
                      tuple((norm_latex(s.symbol), s.meaning, s.unit) for s in f.symbols))
                     for f in doc.formulas],
    }


def compare(expected: Document, actual: Document) -> tuple[int, int, list[str]]:
    """(equal elements, total elements, differences) between two models of one document."""
    equal = total = 0
    differences = []
    want, got = elements(expected), elements(actual)
    # numbered formulas are matched by number, so that one formula more or less does not
    # shift every later one
    numbered = {f[0] for f in want["formulas"] if f[0]}
    extra = [f for f in got["formulas"] if f[0] not in numbered and f not in want["formulas"]]
    got["formulas"] = [f for f in got["formulas"] if f not in extra]
    for item in extra:
        differences.append(f"formulas: extra {item[0] or '(unnumbered)'} {item[1][:80]}")
        total += 1
    for kind, items in want.items():
        others = got[kind]
        for n, item in enumerate(items):
            total += 1
            if n < len(others) and others[n] == item:
                equal += 1
            else:
                differences.append(f"{kind}[{n}]: expected {item!r}, got {others[n] if n < len(others) else None!r}")
        if len(others) > len(items):
            differences.append(f"{kind}: {len(others) - len(items)} extra: {others[len(items):]!r}")
            total += len(others) - len(items)
    return equal, total, differences
