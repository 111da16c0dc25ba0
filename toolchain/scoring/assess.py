"""The data of the self-assessment pages: one page per scoring schema and variant.

Everything the page shows comes from the checked scoring schema (``writer.checked_schemas``)
and, for the criteria “as the standard writes them”, from the text of the clause each
indicator names. The page scores with templates/assess/static/gb-assess-scorer.js, which gets
the schema, the expression trees of its formulas (``expressions.to_json`` of the very trees
the reference scorer compiles), the published assessment-input JSON Schema and the
schema's sha256 — one semantics, checked by tests/test_assess_browser.py.
"""
from __future__ import annotations

import json
from pathlib import Path

from .. import expressions
from ..findings import SourceError
from ..model import Clause, Document, ListBlock, Paragraph
from ..source.builder import clause_anchor
from ..writers.mathml import MathError, to_mathml
from . import published, writer
from .scorer import canonical_sha256

KIND_LABELS = {"manual": "评审打分", "boolean": "符合/不符合", "levels": "按评分档", "bands": "按计算值分段",
               "unscorable": "未给出分值"}
NORMALIZATION = {"none": "按总分计（得分 × 100 ÷ 总分）",
                 "applicable": "按参评项折算（得分 ÷ 参评项总分 × 100）"}


def script_json(data) -> str:
    """JSON that is safe inside <script type="application/json">."""
    return (json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def scorer_data(schema: dict) -> dict:
    """What gb-assess-scorer.js needs besides the schema."""
    return {"schema": schema,
            "asts": {m["id"]: expressions.to_json(expressions.parse(m["expr"])) for m in schema["metrics"]},
            "sha256": canonical_sha256(schema),
            "inputSchema": published.load("assessment-input"),
            "inputUrl": published.url("assessment-input"),
            "inputVersion": published.VERSIONS["assessment-input"],
            "resultUrl": published.url("assessment-result"),
            "resultVersion": published.VERSIONS["assessment-result"],
            "generator": dict(published.GENERATOR)}


def pages(docs: list[Document], root) -> list[dict]:
    """Every self-assessment page of the standards ``docs``, in a fixed order."""
    known = known_standards(docs)
    return [page for doc in sorted(docs, key=lambda d: d.slug) for page in pages_of(doc, root, known)]


def known_standards(docs: list[Document]) -> dict[Path, Document]:
    """Resolved path → model of ``docs``: parents among them are not read again (``pages_of``)."""
    return {Path(doc.path).resolve(): doc for doc in docs}


def pages_of(doc: Document, root, known: dict[Path, Document]) -> list[dict]:
    """The self-assessment pages of one standard (``pages`` of all, in order of their slugs)."""
    if not doc.indicator_tables:
        return []
    try:
        schemas, _ = writer.checked_schemas(doc, Path(root), known)
    except SourceError:
        return []          # the checker reports it; no page for a schema with errors
    clauses = {c.number: c for c in doc.walk() if c.number}
    found = []
    for schema in schemas:
        base = f"{doc.slug}/assess-{schema['id']}"
        for variant in [None] + schema["variants"]:
            found.append(_page(doc, schema, clauses, base, variant))
    return found


def _page(doc: Document, schema: dict, clauses: dict[str, Clause], base: str, variant: dict | None) -> dict:
    table = schema["table"]
    name = f"{base}-{variant['id']}" if variant else base
    title = f"自评：{schema['standard']['title']}　表{table['number']}"
    if variant:
        title += f"（{variant.get('label') or variant['id']}）"
    file = f"{schema['standard']['slug']}-{schema['id']}.json"
    labels = {m["id"]: m["label"] for m in schema["metrics"]}
    return {
        "name": name, "docname": doc.docname, "title": title,
        "link_label": f"自评：表{table['number']} {table['caption']}"
                      + (f"（{variant.get('label') or variant['id']}）" if variant else ""),
        "schema": schema, "standard": schema["standard"], "table": table,
        "variant": variant["id"] if variant else None,
        "file": file, "vectors": file.removesuffix(".json") + ".vectors.json",
        "sha256": canonical_sha256(schema),
        "data": script_json(dict(scorer_data(schema), variant=variant["id"] if variant else None)),
        "groups": [_node(node, clauses, schema) for node in schema["indicators"]],
        "gates": [dict(gate, anchor=_anchor(clauses, gate.get("clause")),
                       text=_clause_text(clauses.get(gate.get("clause", "")))) for gate in schema["gates"]],
        "inputs": [dict(i, mathml=_mathml(i.get("symbol", "")),
                        used_labels=[labels.get(m, m) for m in i.get("used_by", [])]) for i in schema["inputs"]],
        "metrics": [_metric(m) for m in schema["metrics"]],
        "normalization": NORMALIZATION, "kinds": KIND_LABELS,
    }


def _node(node: dict, clauses: dict[str, Clause], schema: dict) -> dict:
    entry = dict(node, anchor=_anchor(clauses, node.get("clause")),
                 text=_clause_text(clauses.get(node.get("clause", ""))) if "method" in node else [])
    if "children" in node:
        entry["children"] = [_node(child, clauses, schema) for child in node["children"]]
    metric = node.get("method", {}).get("metric")
    if metric:
        entry["metric_info"] = next(_metric(m) for m in schema["metrics"] if m["id"] == metric)
    return entry


def _metric(metric: dict) -> dict:
    return dict(metric, mathml=_mathml(metric.get("latex", "")),
                shown=f"{metric['symbol']} = {expressions.unparse(expressions.parse(metric['expr']))}"
                .replace("*", "×").replace("/", "÷"))


def _mathml(latex: str) -> str:
    """Inline MathML, sanitised (Chromium and Firefox render it without scripts); "" when it does
    not convert (the text form of the expression is shown instead)."""
    if not latex:
        return ""
    try:
        return to_mathml(latex)
    except MathError:
        return ""


def _anchor(clauses: dict[str, Clause], number: str | None) -> str:
    clause = clauses.get(number or "")
    return clause_anchor(clause) if clause else ""


def _clause_text(clause: Clause | None, limit: int = 12) -> list[str]:
    """The requirement text of a clause as written: its paragraphs and list items."""
    if clause is None:
        return []
    lines = []
    for block in clause.blocks:
        if isinstance(block, Paragraph) and block.kind == "text":
            lines.append(block.text)
        elif isinstance(block, ListBlock):
            lines += [f"{item.marker} {item.text}" for item in block.items]
    return lines[:limit]

