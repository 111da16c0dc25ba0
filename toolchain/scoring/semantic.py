"""Checks on a scoring schema that JSON Schema cannot state.

Like trestle or oscal-cli after schema validation: ids unique, points add up,
references resolve, formulas have no cycles, levels and bands stay within the
item's points, grades are distinct, and the parent framework's constraints hold.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from .. import expressions
from ..model import POINTS_TOLERANCE, points_differ


@dataclass(frozen=True)
class Problem:
    rule: str
    id: str          # the indicator, metric, input, grade or variant at fault ("" for the whole schema)
    message: str
    hint: str = ""
    severity: str = "error"


def walk(indicators: list[dict]) -> Iterator[dict]:
    for node in indicators:
        yield node
        yield from walk(node.get("children", []))


def units(schema: dict) -> list[dict]:
    """The scored items (nodes with a method), in table order."""
    return [node for node in walk(schema["indicators"]) if "method" in node]


def check(schema: dict) -> list[Problem]:
    problems: list[Problem] = []
    for checker in (_unique_ids, _sums, _method_points, _references, _cycles, _grades, _conformance):
        problems += checker(schema)
    return problems


def _unique_ids(schema: dict) -> list[Problem]:
    problems = []
    indicator_ids = [n["id"] for n in walk(schema["indicators"])]
    indicator_ids += [a["id"] for n in walk(schema["indicators"]) for a in n.get("aspects", [])]
    indicator_ids += [g["id"] for g in schema["gates"]]
    quantity_ids = [q["id"] for q in schema["inputs"] + schema["metrics"]]
    for what, ids in (("指标", indicator_ids), ("输入量或计算量", quantity_ids),
                      ("等级", [g["code"] for g in schema["grades"]]),
                      ("变体", [v["id"] for v in schema["variants"]])):
        for ident in sorted({i for i in ids if ids.count(i) > 1}):
            problems.append(Problem("SCORE-010", ident, f"{what} id “{ident}” 重复",
                                    "评分模式中的 id 必须唯一"))
    for variant in schema["variants"]:
        codes = [g["code"] for g in variant.get("grades", [])]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(Problem("SCORE-010", variant["id"], f"变体 “{variant['id']}” 的等级 “{code}” 重复"))
    return problems


def _sums(schema: dict) -> list[Problem]:
    problems = []
    for node in walk(schema["indicators"]):
        children = node.get("children", [])
        points = [c["points"] for c in children]
        if node["points"] is None or not children or None in points:
            continue
        if points_differ(sum(points), node["points"]):
            problems.append(Problem("SCORE-011", node["id"],
                                    f"“{node['title']}” 为 {node['points']} 分，下级指标合计 {sum(points):g} 分",
                                    "核对该指标及其下级指标的分值"))
    top = [n["points"] for n in schema["indicators"]]
    total = schema["scoring"]["total"]
    if None not in top and points_differ(sum(top), total):
        problems.append(Problem("SCORE-011", "", f"一级指标合计 {sum(top):g} 分，与总分 {total:g} 不符",
                                "核对指标表的 total 和一级指标分值"))
    return problems


def _method_points(schema: dict) -> list[Problem]:
    problems = []
    for node in units(schema):
        method = node["method"]
        offered = [x["points"] for x in method.get("levels", []) + method.get("bands", [])]
        if node["points"] is not None and offered and max(offered) > node["points"] + POINTS_TOLERANCE:
            problems.append(Problem("SCORE-012", node["id"],
                                    f"“{node['title']}” 为 {node['points']:g} 分，但评分档最高给 {max(offered):g} 分",
                                    "评分档的分值不能超过指标分值"))
        codes = [level["code"] for level in method.get("levels", [])]
        if len(set(codes)) != len(codes):
            problems.append(Problem("SCORE-010", node["id"], f"“{node['title']}” 的评分档编号重复"))
    return problems


def _references(schema: dict) -> list[Problem]:
    problems = []
    quantities = {q["id"] for q in schema["inputs"] + schema["metrics"]}
    scoreable = {n["id"] for n in walk(schema["indicators"])} | {g["id"] for g in schema["gates"]}
    for node in units(schema):
        metric = node["method"].get("metric")
        if metric and metric not in quantities:
            problems.append(Problem("SCORE-013", node["id"], f"“{node['title']}” 引用的计算量 “{metric}” 不存在",
                                    "metric 应为 metrics 或 inputs 中的 id"))
    for metric in schema["metrics"]:
        try:
            used = expressions.names(expressions.parse(metric["expr"]))
        except expressions.ExpressionError as exc:
            problems.append(Problem("SCORE-013", metric["id"], str(exc)))
            continue
        for name in sorted(used - quantities):
            problems.append(Problem("SCORE-013", metric["id"],
                                    f"公式（{metric['formula']}）的表达式用到未定义的符号 “{name}”",
                                    "表达式中的每个符号都要在式中符号说明里列出"))
        if used != set(metric["depends_on"]):
            problems.append(Problem("SCORE-013", metric["id"], f"“{metric['id']}” 的 depends_on 与表达式不符"))
    for variant in schema["variants"]:
        for ident in variant["exclude"]:
            if ident not in scoreable:
                problems.append(Problem("SCORE-013", variant["id"],
                                        f"变体 “{variant['id']}” 排除的指标 “{ident}” 不存在或不单独计分",
                                        "exclude 只能列指标表中的指标或否决项 id"))
    for constraint in schema.get("conforms_to", {}).get("constraints", []):
        for ident in constraint["ids"]:
            if ident not in scoreable:
                problems.append(Problem("SCORE-013", ident, f"上位框架约束引用的指标 “{ident}” 不存在"))
    return problems


def _cycles(schema: dict) -> list[Problem]:
    depends = {m["id"]: m["depends_on"] for m in schema["metrics"]}
    problems, state = [], {}

    def visit(ident: str, trail: list[str]) -> None:
        if state.get(ident) == "done" or ident not in depends:
            return
        if state.get(ident) == "active":
            cycle = trail[trail.index(ident):] + [ident]
            problems.append(Problem("SCORE-014", ident, "公式循环引用：" + " → ".join(cycle),
                                    "一个量不能直接或间接由它自己算出"))
            return
        state[ident] = "active"
        for dep in depends[ident]:
            visit(dep, trail + [ident])
        state[ident] = "done"

    for ident in sorted(depends):
        visit(ident, [])
    return problems


def metric_order(schema: dict) -> list[dict]:
    """Metrics in an order where each comes after those it depends on (schema must be acyclic)."""
    by_id = {m["id"]: m for m in schema["metrics"]}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(ident: str) -> None:
        if ident in placed or ident not in by_id:
            return
        placed.add(ident)
        for dep in by_id[ident]["depends_on"]:
            place(dep)
        ordered.append(by_id[ident])

    for ident in sorted(by_id):
        place(ident)
    return ordered


def _grades(schema: dict) -> list[Problem]:
    problems = []
    for owner, grades in [("", schema["grades"])] + [(v["id"], v["grades"]) for v in schema["variants"]
                                                      if "grades" in v]:
        mins = [g["min"] for g in grades]
        if len(set(mins)) != len(mins):
            problems.append(Problem("SCORE-015", owner, "两个等级的最低分相同，无法区分",
                                    "各等级的 min 应互不相同"))
    return problems


def _conformance(schema: dict) -> list[Problem]:
    problems = []
    points = {n["id"]: n["points"] for n in schema["indicators"]}
    total = schema["scoring"]["total"]
    for constraint in schema.get("conforms_to", {}).get("constraints", []):
        shares = [points.get(i) for i in constraint["ids"]]
        if not shares or None in shares:
            continue
        share = sum(shares) / total
        if share + 1e-9 < constraint["min"]:
            problems.append(Problem(
                "SCORE-016", "", f"{'、'.join(constraint['titles'])} 合计占 {share:.0%}，"
                f"上位框架要求不低于 {constraint['min']:.0%}", "调整这些一级指标的分值",
                "error" if constraint["obligation"] == "shall" else "warning"))
    return problems
