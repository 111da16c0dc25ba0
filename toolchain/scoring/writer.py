"""Scoring schema writer: one indicator table of the model → a scoring-schema dict (format 1.0).

Formulas become ``inputs`` and ``metrics``. A formula's symbols are local to
it, so one symbol id may name different quantities in different formulas
(``S`` is 总新鲜水耗 in 公式（A.3） and 关键工序数量 in 公式（A.7） of 绿色企业评价通则);
occurrences are the same quantity when their meaning or their unit is the
same, and an id that still names several quantities is qualified with the
formula number (``S_A3``, ``S_A7``).
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .. import expressions
from ..source import reader
from ..findings import Finding, SourceError
from ..model import Document, Formula, Indicator, IndicatorTable, Symbol
from . import published, semantic, units

ROUNDING = {"digits": 2, "mode": "half-up"}
REQUIREMENTS = {"必选": "mandatory", "可选": "optional"}
OBLIGATIONS = {"应": "shall", "宜": "should"}
_EDITION = re.compile(r"—(\d{4})$")


def file_name(slug: str, table_id: str) -> str:
    """The name of a published schema in build/schemas/ (the HTML site links to it by this name)."""
    return f"{slug}-{table_id}.json"


def schema_for(doc: Document, table: IndicatorTable, parent: Document | None = None,
               root: Path | None = None) -> dict:
    """The scoring schema of ``table``; ``parent`` is the guideline a derived standard follows."""
    quantities = _Quantities(doc)
    schema = {
        "$schema": published.url("scoring-schema"),
        "schema_version": published.VERSIONS["scoring-schema"],
        "generator": dict(published.GENERATOR),
        "id": table.id,
        "standard": _standard(doc, root),
        "table": _table_block(doc, table),
        "scoring": {"total": table.total, "normalization": table.normalization, "scale": 100,
                    "rounding": dict(ROUNDING)},
        "indicators": [],
        "gates": [],
        "grades": _grades(table.grades),
        "variants": [_variant(v) for v in sorted(table.variants, key=lambda v: v.id)],
    }
    for indicator in table.indicators:
        _place(indicator, "", None, schema, quantities, doc.path)
    schema["metrics"] = quantities.metrics()
    schema["inputs"] = quantities.inputs()
    if parent is not None or doc.meta.parent:
        schema["conforms_to"] = _conformance(doc.meta.parent, parent, table)
    return schema


def checked_schemas(doc: Document, root: Path | None = None,
                    known: dict[Path, Document] | None = None) -> tuple[list[dict], list[Finding]]:
    """Schemas of every indicator table of ``doc``, each validated and semantically checked.

    Raises SourceError (with the other problems in ``extra``) when a schema has
    errors; returns the warnings with the schemas.
    """
    parent = parent_of(doc, known)
    schemas, findings = [], []
    for table in doc.indicator_tables:
        schema = schema_for(doc, table, parent, root)
        lines = source_lines(doc, table, schema)
        findings += [Finding("SCORE-000", "error", doc.path, table.line,
                             f"表{table.number} 的评分模式不符合已发布的 JSON Schema：{problem}",
                             "这是生成器的缺陷，请报告")
                     for problem in published.problems("scoring-schema", schema)]
        findings += [Finding(p.rule, p.severity, doc.path, lines.get(p.id, table.line),
                             f"表{table.number}：{p.message}", p.hint)
                     for p in semantic.check(schema)]
        schemas.append(schema)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise SourceError(first.path, first.line, first.rule, first.message, first.hint, extra=errors[1:])
    return schemas, findings


def parent_of(doc: Document, known: dict[Path, Document] | None = None) -> Document | None:
    """The parent guideline of a derived standard, from the folder beside the document's.

    ``known`` (resolved path → model) holds models already read, so the parent is not parsed again.
    """
    if not doc.meta.parent:
        return None
    path = Path(doc.path).resolve().parent.parent / doc.meta.parent / "standard.md"
    if known and path in known:
        return known[path]
    return reader.read(path) if path.exists() else None


def source_lines(doc: Document, table: IndicatorTable, schema: dict) -> dict[str, int]:
    """Source line of every id ``schema`` (of ``table``) holds, to locate semantic problems."""
    formulas = {f.number: f.line for f in doc.formulas}
    lines = {m["id"]: formulas.get(m["formula"], table.line) for m in schema["metrics"]}
    lines.update({i["id"]: lines.get(next(iter(i["used_by"]), ""), table.line) for i in schema["inputs"]})
    lines.update({indicator.id: indicator.line for indicator in table.walk()})
    lines.update({v.id: v.line for v in table.variants})
    lines.update({g.id: g.line for g in table.grades})
    return lines


# ---------------------------------------------------------------- standard


def _standard(doc: Document, root: Path | None) -> dict:
    meta = doc.meta
    source = Path(doc.path)
    edition = _EDITION.search(meta.designation or "")
    return {
        "slug": doc.slug,
        "designation": meta.designation or None,
        "title": meta.title or doc.title,
        "edition": edition.group(1) if edition else None,
        "stage": meta.stage or None,
        "drafting_rules": meta.drafting_rules,
        "source": {"path": _relative(source, root),
                   "sha256": hashlib.sha256(source.read_bytes()).hexdigest()},
    }


def _relative(path: Path, root: Path | None) -> str:
    resolved = path.resolve()
    if root is not None and resolved.is_relative_to(root.resolve()):
        return resolved.relative_to(root.resolve()).as_posix()
    return path.name


def _table_block(doc: Document, table: IndicatorTable) -> dict:
    block = {"number": table.number, "caption": table.caption}
    for clause, candidate in doc.blocks():
        if candidate is table and clause.number:
            block["clause"] = clause.number
    return block


def _grades(grades) -> list[dict]:
    ordered = sorted(grades, key=lambda g: -g.min)
    return [_without_empty({"code": g.id, "label": g.label or g.id, "min": g.min, "note": g.note})
            for g in ordered]


def _variant(variant) -> dict:
    block = {"id": variant.id, "label": variant.label, "exclude": sorted(set(variant.exclude)),
             "normalization": variant.normalization}
    block = _without_empty(block, keep=("exclude",))
    if variant.grades:
        block["grades"] = _grades(variant.grades)
    return block


def _without_empty(block: dict, keep: tuple[str, ...] = ()) -> dict:
    return {k: v for k, v in block.items() if k in keep or v not in ("", None, [])}


# ---------------------------------------------------------------- indicators


def _place(indicator: Indicator, inherited: str, group: str | None, schema: dict,
           quantities: "_Quantities", path: str, into: list | None = None) -> None:
    """Put ``indicator`` in the tree (``into``, default the top level) or, for a veto item, in gates."""
    target = schema["indicators"] if into is None else into
    requirement = REQUIREMENTS.get(indicator.requirement, inherited)
    base = _without_empty({"id": indicator.id, "title": indicator.name, "no": indicator.no,
                           "clause": indicator.clause})
    if indicator.veto:
        schema["gates"].append(_without_empty({
            **base, "criterion": indicator.criteria, "parent": group,
            "requirement": "mandatory", "effect": "disqualify"}))
        return
    scored_below = any(d.points is not None for c in indicator.children for d in c.walk())
    if indicator.children and (indicator.points is None or scored_below):
        node = {**base, "points": indicator.points,
                "requirement": REQUIREMENTS.get(indicator.requirement), "gap": indicator.gap}
        node = _without_empty(node, keep=("points",))
        node["children"] = []
        for child in indicator.children:
            _place(child, requirement, group or indicator.id, schema, quantities, path, node["children"])
        target.append(node)
        return
    node = _without_empty({**base, "points": indicator.points, "requirement": requirement,
                           "gap": indicator.gap}, keep=("points",))
    node["method"] = _method(indicator, quantities, path)
    if indicator.children:
        node["aspects"] = [_without_empty({"id": d.id, "title": d.name, "no": d.no, "clause": d.clause})
                           for c in indicator.children for d in c.walk()]
    target.append(node)


def _method(indicator: Indicator, quantities: "_Quantities", path: str) -> dict:
    if indicator.points is None:
        return {"kind": "unscorable", "reason": indicator.gap or "来源未给出分值"}
    metric = quantities.metric_of(indicator, path) if indicator.metric else ""
    if len(indicator.levels) == 1:
        return _without_empty({"kind": "boolean", "metric": metric, "criterion":
                               indicator.levels[0].criterion or f"满足即得 {indicator.points} 分"})
    if indicator.levels:
        return _without_empty({"kind": "levels", "metric": metric, "levels": [
            _without_empty({"code": f"L{n}", "points": level.points, "criterion": level.criterion})
            for n, level in enumerate(indicator.levels, 1)]})
    if indicator.bands:
        if not metric:
            raise SourceError(path, indicator.line, "SCORE-003",
                              f"指标 “{indicator.name}” 给出了 bands，但没有 metric",
                              "写 metric: A.1（所依据公式的编号）")
        return {"kind": "bands", "metric": metric, "bands": [
            {k: v for k, v in (("min", b.min), ("max", b.max), ("points", b.points)) if v is not None}
            for b in indicator.bands]}
    return _without_empty({"kind": "manual", "criterion": indicator.criteria, "metric": metric})


def _conformance(slug: str, parent: Document | None, table: IndicatorTable) -> dict:
    block: dict = {"standard": {"slug": slug}}
    if parent is None:
        return block
    block["standard"].update(_without_empty({"designation": parent.meta.designation,
                                             "title": parent.meta.title or parent.title}))
    if not parent.frameworks:
        return block
    framework = parent.frameworks[0]
    ids = {indicator.name: indicator.id for indicator in table.indicators}
    block["framework"] = framework.id
    block["level1"] = [{"title": f.name, "id": ids.get(f.name), "veto": f.veto,
                        "obligation": OBLIGATIONS.get(f.verb, "should")} for f in framework.level1]
    block["constraints"] = [
        {"kind": "min-share", "titles": list(c.get("names", [])),
         "ids": [ids[name] for name in c.get("names", []) if name in ids],
         "min": c["min"] / 100 if c["min"] > 1 else c["min"],
         "obligation": OBLIGATIONS.get(c.get("verb", "宜"), "should")}
        for c in framework.constraints if c.get("kind") == "min-share"]
    return block


# ---------------------------------------------------------------- formulas → inputs, metrics


@dataclass
class _Use:
    formula: Formula
    symbol: Symbol
    is_result: bool


class _Quantities:
    """Names the quantities of a document's formulas and lists them as metrics and inputs."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.clauses = {id(block): clause.number for clause, block in doc.blocks()}
        self.names: dict[tuple[int, str], str] = {}   # (id(formula), symbol id) → schema id
        self.used_results: set[str] = set()           # results of expr-less formulas scored by items
        uses: dict[str, list[_Use]] = {}
        for formula in doc.formulas:
            unlisted = sorted(expressions.names(expressions.parse(formula.expr)) - {s.id for s in formula.symbols}) \
                if formula.expr else []
            if unlisted:
                raise SourceError(doc.path, formula.line, "SCORE-013",
                                  f"公式（{formula.number}）的表达式用到式中没有列出的符号 “{unlisted[0]}”",
                                  "表达式中的每个符号都要在 symbols 中列出（含释文和单位）")
            for n, symbol in enumerate(formula.symbols):
                uses.setdefault(symbol.id, []).append(_Use(formula, symbol, n == 0))
        self.uses = uses
        for ident, occurrences in uses.items():
            groups = _same_quantity_groups(occurrences)
            for group in groups:
                results = [u for u in group if u.is_result]
                if len(results) > 1:
                    raise SourceError(doc.path, results[1].formula.line, "SCORE-001",
                                      f"符号 “{ident}” 在公式（{results[0].formula.number}）和"
                                      f"（{results[1].formula.number}）中都是计算结果，且含义相同",
                                      "一个量只由一个公式计算；如是不同的量，给其中一个另写 id")
                name = ident if len(groups) == 1 else f"{ident}_{_compact(group[0].formula.number)}"
                for use in group:
                    self.names[(id(use.formula), ident)] = name

    def name(self, formula: Formula, symbol_id: str) -> str:
        return self.names.get((id(formula), symbol_id), symbol_id)

    def metric_of(self, indicator: Indicator, path: str) -> str:
        formula = next((f for f in self.doc.formulas if f.number == indicator.metric), None)
        if formula is None or formula.result is None:
            raise SourceError(path, indicator.line, "SCORE-003",
                              f"指标 “{indicator.name}” 的 metric “{indicator.metric}” 没有对应的公式",
                              "metric 写公式编号，如 metric: A.1，且该公式要列出式中符号")
        name = self.name(formula, formula.result.id)
        if not formula.expr:
            self.used_results.add(name)
        return name

    def _renamed(self, formula: Formula) -> expressions.Node:
        mapping = {s.id: self.name(formula, s.id) for s in formula.symbols}
        return expressions.rename(expressions.parse(formula.expr), mapping)

    def metrics(self) -> list[dict]:
        found = []
        for formula in self.doc.formulas:
            if not formula.expr or formula.result is None:
                continue
            result = formula.result
            node = self._renamed(formula)
            found.append(_without_empty({
                "id": self.name(formula, result.id), "label": result.meaning or result.symbol,
                "symbol": result.symbol, "unit": result.unit or None, "formula": formula.number,
                "clause": self.clauses.get(id(formula), ""), "latex": formula.latex,
                "expr": expressions.unparse(node),
                "depends_on": sorted(expressions.names(node)), "restored": formula.restored},
                keep=("unit", "depends_on")))
        return sorted(found, key=lambda m: m["id"])

    def inputs(self) -> list[dict]:
        metric_ids = {m["id"] for m in self.metrics()}
        collected: dict[str, dict] = {}
        for formula in self.doc.formulas:
            if not formula.expr:
                continue
            node = self._renamed(formula)
            spread = expressions.spread_names(node)
            scalar = expressions.scalar_names(node)
            result = self.name(formula, formula.result.id) if formula.result else ""
            by_name = {self.name(formula, s.id): s for s in formula.symbols}
            for name in sorted(expressions.names(node) - metric_ids):
                symbol = by_name[name]          # every name is listed: checked in __init__
                entry = collected.setdefault(name, {
                    "id": name, "label": symbol.meaning, "used_by": set(), "symbol": symbol.symbol,
                    "unit": None, "aliases": [], "list": True})
                entry["used_by"].add(result)
                entry["list"] = entry["list"] and name in spread and name not in scalar
                if symbol.unit:
                    entry["unit"] = entry["unit"] or symbol.unit
                    entry["aliases"] += units.spellings(symbol.unit)
        for formula in self.doc.formulas:
            name = self.name(formula, formula.result.id) if formula.result else ""
            if name in self.used_results and name not in collected:
                symbol = formula.result
                collected[name] = {"id": name, "label": symbol.meaning, "symbol": symbol.symbol,
                                   "used_by": set(), "unit": symbol.unit or None,
                                   "aliases": units.spellings(symbol.unit), "list": False}
        return [self._input_entry(collected[name]) for name in sorted(collected)]

    @staticmethod
    def _input_entry(entry: dict) -> dict:
        block = {"id": entry["id"], "label": entry["label"], "symbol": entry["symbol"],
                 "type": "number-list" if entry["list"] else "number", "unit": entry["unit"],
                 "unit_aliases": list(dict.fromkeys(entry["aliases"])) if entry["unit"] else [],
                 "used_by": sorted(entry["used_by"] - {""})}
        return _without_empty(block, keep=("unit", "label"))


def _same_quantity_groups(uses: list[_Use]) -> list[list[_Use]]:
    """Occurrences of one symbol id, grouped: same meaning or same unit → same quantity."""
    groups: list[list[_Use]] = []
    for use in uses:
        joined = [g for g in groups if any(_same_quantity(use, other) for other in g)]
        merged = [use] + [u for g in joined for u in g]
        groups = [g for g in groups if g not in joined] + [merged]
    order = {id(u): n for n, u in enumerate(uses)}
    return sorted((sorted(g, key=lambda u: order[id(u)]) for g in groups),
                  key=lambda g: order[id(g[0])])


def _same_quantity(a: _Use, b: _Use) -> bool:
    if a.is_result and b.is_result:
        return a.symbol.meaning.strip() == b.symbol.meaning.strip()
    if a.symbol.meaning.strip() and a.symbol.meaning.strip() == b.symbol.meaning.strip():
        return True
    return bool(a.symbol.unit) and units.normalise(a.symbol.unit) == units.normalise(b.symbol.unit)


def _compact(number: str) -> str:
    return number.replace(".", "")
