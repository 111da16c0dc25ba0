"""Evaluation reports (评价报告) from a scoring schema and a result.

The sections follow the report templates the seeds describe (封面、基本信息、
基本情况概述、认定情况、评分表、评价结论、附录). ``report_context`` prepares the
data once; the HTML template (and a LaTeX one for PDF) only lay it out.
"""
from __future__ import annotations

import re
from pathlib import Path

import jinja2

from ..writers import latex
from ..paths import TEMPLATES
from . import semantic

TEMPLATE = "forms/evaluation-report.html.j2"
LATEX_TEMPLATE = "evaluation-report.tex.j2"
# results as printed for people; the result document (JSON) keeps the ids
OUTCOME_LABELS = {"graded": "达到等级", "below-grades": "未达等级", "incomplete": "信息不全",
                  "disqualified": "一票否决", "scored": "已计分", "error": "有误"}
STATUS_LABELS = {
    "scored": "已评分", "not-applicable": "不适用", "excluded": "不参评", "not-assessed": "未评价",
    "error": "有误", "unscorable": "标准未给分值",
    "pass": "符合", "fail": "不符合",
}
MODEL_LABELS = {"none": "原始得分，不折算", "applicable": "按参评项折算为百分制"}
APPLICANT_LABELS = {"name": "名称", "credit_code": "统一社会信用代码", "address": "地址",
                    "industry": "所属行业", "contact": "联系人", "phone": "联系电话"}
ASSESSOR_LABELS = {"name": "评价机构", "members": "评价组成员", "contact": "联系人", "phone": "联系电话"}
# A standard's title: its subject, the kind of evaluation standard it is (绿色工厂 | 评价通则), and
# a remark in brackets (（试行）); the report is titled “<subject>评价报告<remark>”.
TITLE_PARTS = re.compile(r"^(?P<subject>.*?)(?:评价(?:技术)?(?:规范|通则|导则|标准|指南|准则|细则|方法|要求|办法|规程"
                         r"|指标体系)?)?(?P<remark>[（(][^（）()]*[）)])?$", re.S)

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                          autoescape=True, trim_blocks=True, lstrip_blocks=True,
                          keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def figure(value) -> str:
    """Points as people write them: 3, 2.5, 77.5; “—” when there is none."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:g}" if isinstance(value, float) else str(value)


def report_context(schema: dict, result: dict) -> dict:
    """Everything a report template shows, as plain strings and lists."""
    standard = schema["standard"]
    items = {item["id"]: item for item in result["items"]}
    variant = next((v for v in schema["variants"] if v["id"] == result["variant"]), None)
    quantities = {q["id"]: q for q in schema["inputs"] + schema["metrics"]}
    return {
        "title": report_title(standard["title"]),
        "standard": {"title": standard["title"], "designation": standard["designation"] or "",
                     "stage": standard["stage"] or ""},
        "table": f"表{schema['table']['number']}　{schema['table']['caption']}",
        "variant": (variant.get("label") or variant["id"]) if variant else "",
        "applicant_name": result["applicant"].get("name", ""),
        "applicant_rows": _rows(result["applicant"], APPLICANT_LABELS),
        "assessor_rows": _rows(result.get("assessor", {}), ASSESSOR_LABELS),
        "assessor_name": result.get("assessor", {}).get("name", ""),
        "date": result.get("date", ""),
        "overview": result.get("overview", ""),
        "gates": [_gate_row(g, schema) for g in result["gates"]],
        "groups": [_group(node, items, quantities) for node in schema["indicators"]],
        "totals": {"raw": figure(result["raw"]), "maximum": figure(result["maximum"]),
                   "normalized": figure(result["normalized"]), "total": figure(schema["scoring"]["total"]),
                   "model": MODEL_LABELS[result["model"]]},
        "metrics": [row for _, row in sorted(_metric_row(m, schema) for m in result["metrics"]
                                              if m["value"] is not None)],
        "conclusion": conclusion(result),
        "grade": result["grade"]["label"] if result["grade"] else "",
        "failed_gates": [g["title"] for g in result["gates"] if g["status"] == "fail"],
        "evidence": [{"title": i["title"], "files": i["evidence"]}
                     for i in result["gates"] + result["items"] if i.get("evidence")],
        "messages": result["messages"],
        "generator": f"{result['generator']['name']} {result['generator']['version']}",
        "sha256": result["scoring_schema"]["sha256"],
    }


def report_title(standard_title: str) -> str:
    """The report's title, “<subject>评价报告”: a standard whose title already names the
    evaluation (绿色工厂评价通则, 某某评价规范) gives 绿色工厂评价报告, not …评价通则评价报告;
    a bracketed remark at the end stays at the end."""
    parts = TITLE_PARTS.match(standard_title.strip())
    return f"{parts['subject']}评价报告{parts['remark'] or ''}"


def _rows(block: dict, labels: dict) -> list[dict]:
    return [{"label": labels.get(key, key), "value": str(value)} for key, value in block.items()]


def _gate_row(gate: dict, schema: dict) -> dict:
    source = next(g for g in schema["gates"] if g["id"] == gate["id"])
    return {"title": gate["title"], "clause": source.get("clause", ""),
            "status": STATUS_LABELS[gate["status"]], "failed": gate["status"] == "fail",
            "note": gate.get("message") or gate.get("note", "")}


def _group(node: dict, items: dict, quantities: dict) -> dict:
    rows = [_item_row(unit, items[unit["id"]], quantities) for unit in semantic.units({"indicators": [node]})]
    earned = [r["earned_value"] for r in rows if r["earned_value"] is not None]
    return {"title": node["title"], "points": figure(node["points"]), "rows": rows,
            "earned": figure(sum(earned)) if earned else "—"}


def _item_row(unit: dict, item: dict, quantities: dict) -> dict:
    notes = [item[key] for key in ("message", "reason", "note") if item.get(key)]
    if item.get("level"):
        level = next((x for x in unit["method"].get("levels", []) if x["code"] == item["level"]), {})
        notes.insert(0, f"评分档：{level.get('criterion') or item['level']}")
    if item.get("metric") and item["metric"]["value"] is not None:
        quantity = quantities[item["metric"]["id"]]
        notes.insert(0, f"计算值 {item['metric']['value']:.4g} {quantity['unit'] or ''}".rstrip())
    aspects = "、".join(a["title"] for a in unit.get("aspects", []))
    return {"no": unit.get("no", ""), "title": unit["title"], "clause": unit.get("clause", ""),
            "aspects": aspects, "criterion": unit["method"].get("criterion", ""),
            "available": figure(unit["points"]), "earned": figure(item["earned"]),
            "earned_value": item["earned"], "status": STATUS_LABELS[item["status"]],
            "flagged": item["status"] in ("error", "not-assessed", "unscorable"),
            "note": "；".join(notes)}


def _metric_row(metric: dict, schema: dict) -> tuple[tuple, dict]:
    """(sort key in formula order: A.2 before A.10, row)."""
    source = next(m for m in schema["metrics"] if m["id"] == metric["id"])
    annex, _, number = source["formula"].rpartition(".")
    return (annex, int(number)), {"label": source["label"], "formula": f"公式（{source['formula']}）",
                                  "value": f"{metric['value']:.6g}", "unit": metric["unit"] or ""}


def conclusion(result: dict) -> str:
    """The 评价结论 sentence."""
    if result["outcome"] == "disqualified":
        failed = "、".join(f"“{g['title']}”" for g in result["gates"] if g["status"] == "fail")
        return f"否决项{failed}不符合要求，一票否决，不予通过评价。"
    if result["outcome"] == "incomplete":
        open_items = [i for i in result["items"] + result["gates"]
                      if i["status"] in ("not-assessed", "error", "unscorable")]
        return (f"有 {len(open_items)} 项未评价、有误或标准未给分值，基础数据不全，"
                "无法给出评价结论。")
    score = f"综合评价得分 {figure(result['normalized'])} 分（{MODEL_LABELS[result['model']]}）"
    if result["outcome"] == "graded":
        return f"{score}，达到“{result['grade']['label']}”等级。"
    if result["outcome"] == "below-grades":
        return f"{score}，未达到最低评价等级。"
    return f"{score}。"


def render_html(schema: dict, result: dict) -> str:
    return _env.get_template(TEMPLATE).render(**report_context(schema, result))


def render_latex(schema: dict, result: dict) -> str:
    """The report as a standalone LaTeX document (xelatex); every value escaped."""
    return latex.render(LATEX_TEMPLATE, **report_context(schema, result), **latex.fonts())


def render_pdf(schema: dict, result: dict, target: str | Path, origin: str) -> None:
    """Typeset the report into ``target``; problems are reported at ``origin`` (the assessment)."""
    latex.compile_pdf(render_latex(schema, result), target, origin, "SCORE-023")


def render_text(schema: dict, result: dict) -> str:
    """A readable summary: score, model, grade, gates, then every item."""
    context = report_context(schema, result)
    lines = [context["title"],
             f"依据：{context['standard']['designation'] or '编号未定'}《{context['standard']['title']}》"
             f"　{context['table']}",
             f"申请单位：{context['applicant_name']}" + (f"　类型：{context['variant']}" if context["variant"] else ""),
             f"得分：{figure(result['raw'])} / {figure(result['maximum'])}　"
             f"折算得分：{figure(result['normalized'])}　计分方式：{MODEL_LABELS[result['model']]}",
             f"等级：{context['grade'] or '—'}　结果：{OUTCOME_LABELS.get(result['outcome'], result['outcome'])}",
             f"结论：{context['conclusion']}"]
    if context["gates"]:
        lines.append("否决项：" + "；".join(f"{g['title']} {g['status']}" for g in context["gates"]))
    lines.append("")
    for group in context["groups"]:
        lines.append(f"{group['title']}（{group['points']} 分，得 {group['earned']} 分）")
        for row in group["rows"]:
            note = f"　{row['note']}" if row["note"] else ""
            lines.append(f"  {row['no'] or '-':>3} {row['title']}　{row['earned']}/{row['available']}"
                         f"　{row['status']}{note}")
    lines += [f"注意：{m}" for m in result["messages"]]
    return "\n".join(lines) + "\n"


def summary_line(result: dict) -> str:
    """One line per assessment for batch output."""
    grade = result["grade"]["label"] if result["grade"] else "—"
    outcome = OUTCOME_LABELS.get(result["outcome"], result["outcome"])
    return (f"{result['applicant'].get('name', '')}\t{outcome}\t{figure(result['normalized'])}\t"
            f"{grade}\t{','.join(result['gates_failed'])}")
