"""Conformance vectors: assessments with the verdict the reference scorer gives them.

For every published scoring schema, ``build/schemas/<slug>-<id>.vectors.json``
(format ``scoring-vectors``, docs/scoring.md): a downstream scorer runs each
vector's ``assessment`` and compares its own verdict with ``expected``. The
vectors are made without randomness from the schema alone, so a file changes
exactly when its scoring schema changes. They cover every branch the scorer
has: each veto item failed or left out, every answer each item can take and the
ones it cannot, not-applicable items and variants, band edges (exactly at a
bound and just past it), grade edges (exactly at a minimum, just below it and
the half-up rounding between), formula inputs at their limits, wrong units and
types, and assessments the input schema refuses (``{"error": "SCORE-021"}``).
"""
from __future__ import annotations

import copy
import json
import math

from . import published, semantic
from .scorer import AssessmentError, Scorer, canonical_sha256

INPUT_URL = published.url("assessment-input")
APPLICANT = {"name": "一致性测试单位"}
DOUBLE_MAX = 1.7976931348623157e308
DOUBLE_MIN = 5e-324


def verdict(result: dict) -> dict:
    """What a scorer decides about one assessment, without the wording of its messages
    (the browser scorer's GBScore.verdict is the same function)."""
    found = {"outcome": result["outcome"], "raw": result["raw"], "maximum": result["maximum"],
             "normalized": result["normalized"], "grade": result["grade"]["code"] if result["grade"] else None,
             "gates_failed": list(result["gates_failed"]),
             "gates": {g["id"]: g["status"] for g in result["gates"]},
             "items": {}, "metrics": {m["id"]: m["value"] for m in result["metrics"]},
             "messages": len(result["messages"])}
    for item in result["items"]:
        entry = {"status": item["status"], "earned": item["earned"], "available": item["available"]}
        if "level" in item:
            entry["level"] = item["level"]
        found["items"][item["id"]] = entry
    return found


def expected(scorer: Scorer, assessment: dict) -> dict:
    try:
        return verdict(scorer.score(assessment))
    except AssessmentError:
        return {"error": "SCORE-021"}


def document(schema: dict, file: str = "") -> dict:
    """The vector file of one scoring schema."""
    scorer = Scorer(schema)
    vectors = _Vectors(schema, scorer).all()
    return {
        "$schema": published.url("scoring-vectors"),
        "schema_version": published.VERSIONS["scoring-vectors"],
        "generator": dict(published.GENERATOR),
        "scoring_schema": {"id": schema["id"], "file": file or f"{schema['standard']['slug']}-{schema['id']}.json",
                           "sha256": canonical_sha256(schema), "schema_version": schema["schema_version"],
                           "designation": schema["standard"]["designation"],
                           "edition": schema["standard"].get("edition")},
        "vectors": vectors,
    }


def dumps(doc: dict) -> str:
    """The canonical text of a vector file: sorted keys, one vector per line (diffs stay readable)."""
    head = {k: v for k, v in doc.items() if k != "vectors"}
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, indent=2)
    lines = ",\n".join("    " + json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                        for v in doc["vectors"])
    return text[:-2] + ',\n  "vectors": [\n' + lines + "\n  ]\n}\n"


class _Vectors:
    def __init__(self, schema: dict, scorer: Scorer):
        self.schema, self.scorer = schema, scorer
        self.items = semantic.units(schema)
        self.inputs = {i["id"]: i for i in schema["inputs"]}
        self.metrics = {m["id"]: m for m in schema["metrics"]}
        self.variants = [None] + [v["id"] for v in schema["variants"]]
        self.out: list[dict] = []
        self.ids: set[str] = set()

    # ---------------------------------------------------------- building blocks

    def base(self, variant=None, full: bool = True) -> dict:
        assessment = {"$schema": INPUT_URL, "schema_version": published.VERSIONS["assessment-input"],
                      "scoring_schema": {"id": self.schema["id"]}, "applicant": dict(APPLICANT)}
        if variant is not None:
            assessment["variant"] = variant
        assessment["inputs"] = self.good_inputs()
        assessment["responses"] = {g["id"]: {"status": "pass"} for g in self.schema["gates"]}
        for item in self.items:
            answer = self.top(item) if full else self.bottom(item)
            if answer is not None:
                assessment["responses"][item["id"]] = answer
        return assessment

    def good_inputs(self) -> dict:
        """Every input a distinct small number (lists: two of them), so every formula computes."""
        values = {}
        for n, (ident, spec) in enumerate(sorted(self.inputs.items()), start=2):
            values[ident] = [n, n + 1] if spec["type"] == "number-list" else n
        return values

    @staticmethod
    def top(item: dict) -> dict | None:
        kind = item["method"]["kind"]
        if kind == "manual":
            return {"status": "scored", "points": item["points"]}
        if kind == "boolean":
            return {"status": "pass"}
        if kind == "levels":
            best = max(item["method"]["levels"], key=lambda level: level["points"])
            return {"status": "level", "level": best["code"]}
        if kind == "bands":
            return {"status": "computed"}
        return None

    @staticmethod
    def bottom(item: dict) -> dict | None:
        kind = item["method"]["kind"]
        if kind == "manual":
            return {"status": "scored", "points": 0}
        if kind in ("boolean", "levels"):
            return {"status": "fail"}
        if kind == "bands":
            return {"status": "computed"}
        return None

    def add(self, ident: str, description: str, covers: list[str], assessment: dict) -> dict:
        assert ident not in self.ids, ident
        self.ids.add(ident)
        vector = {"id": ident, "description": description, "covers": covers,
                  "assessment": assessment, "expected": expected(self.scorer, assessment)}
        self.out.append(vector)
        return vector

    def variant_tag(self, variant) -> str:
        return f"@{variant}" if variant else ""

    # ---------------------------------------------------------- the families

    def all(self) -> list[dict]:
        for variant in self.variants:
            tag = self.variant_tag(variant)
            label = f"（变体 {variant}）" if variant else ""
            self.add(f"full{tag}", f"每项满分、否决项全部符合{label}", ["baseline"], self.base(variant))
            self.add(f"zero{tag}", f"每项零分、否决项全部符合{label}", ["baseline"], self.base(variant, full=False))
            empty = self.base(variant)
            empty["responses"] = {}
            self.add(f"empty{tag}", f"没有任何回答：全部未评{label}", ["unanswered"], empty)
            self.grade_edges(variant)
        self.gates()
        for variant in self.variants:
            self.answers(variant)
        self.bands()
        self.input_limits()
        self.invalid()
        return self.out

    def gates(self) -> None:
        for gate in self.schema["gates"]:
            for status, covers in (("fail", "veto"), ("not-assessed", "unanswered"), ("level", "wrong-answer")):
                assessment = self.base()
                assessment["responses"][gate["id"]] = {"status": status, **({"level": "L1"} if status == "level" else {})}
                self.add(f"gate/{gate['id']}/{status}", f"否决项 {gate['title']} 答 {status}", [covers, "gate"], assessment)
            assessment = self.base()
            del assessment["responses"][gate["id"]]
            self.add(f"gate/{gate['id']}/missing", f"否决项 {gate['title']} 没有回答", ["unanswered", "gate"], assessment)
            for variant in self.variants[1:]:
                assessment = self.base(variant)
                assessment["responses"][gate["id"]] = {"status": "fail"}
                self.add(f"gate/{gate['id']}/fail@{variant}", f"否决项 {gate['title']} 不符合（变体 {variant}）",
                         ["veto", "variant"], assessment)

    def item_answers(self, item: dict) -> list[tuple[str, dict | None, list[str]]]:
        """(name, response, covers) for every answer worth trying on one item; None: no response."""
        kind, points = item["method"]["kind"], item["points"]
        answers = [("missing", None, ["unanswered"]), ("not-assessed", {"status": "not-assessed"}, ["unanswered"]),
                   ("not-applicable", {"status": "not-applicable", "reason": "不适用的理由"}, ["not-applicable"]),
                   ("noted", {**(self.top(item) or {"status": "not-assessed"}), "note": "说明", "evidence": ["证明材料.pdf"]},
                    ["notes"])]
        if kind == "manual":
            answers += [("scored-0", {"status": "scored", "points": 0}, ["points"]),
                        ("scored-max", {"status": "scored", "points": points}, ["points", "edge"]),
                        ("scored-half", {"status": "scored", "points": points / 2}, ["points"]),
                        ("scored-over", {"status": "scored", "points": points + 0.01}, ["wrong-answer", "edge"]),
                        ("scored-negative", {"status": "scored", "points": -0.01}, ["wrong-answer", "edge"]),
                        ("pass", {"status": "pass"}, ["points"]), ("fail", {"status": "fail"}, ["points"]),
                        ("level", {"status": "level", "level": "L1"}, ["wrong-answer"]),
                        ("computed", {"status": "computed"}, ["wrong-answer"])]
        elif kind == "boolean":
            answers += [("pass", {"status": "pass"}, ["points"]), ("fail", {"status": "fail"}, ["points"]),
                        ("scored", {"status": "scored", "points": 0}, ["wrong-answer"])]
        elif kind == "levels":
            answers += [(f"level-{level['code']}", {"status": "level", "level": level["code"]}, ["points"])
                        for level in item["method"]["levels"]]
            answers += [("fail", {"status": "fail"}, ["points"]),
                        ("level-unknown", {"status": "level", "level": "L99"}, ["wrong-answer"]),
                        ("pass", {"status": "pass"}, ["wrong-answer"])]
        elif kind == "bands":
            answers += [("computed", {"status": "computed"}, ["points"]), ("pass", {"status": "pass"}, ["wrong-answer"])]
        else:
            answers += [("pass", {"status": "pass"}, ["unscorable"]),
                        ("scored", {"status": "scored", "points": 1}, ["unscorable"])]
        return answers

    def answers(self, variant) -> None:
        tag = self.variant_tag(variant)
        excluded = self.scorer.plans[variant].excluded
        for item in self.items:
            if variant is not None and item["id"] not in excluded and \
                    self.scorer.plans[variant].normalization == self.schema["scoring"]["normalization"]:
                continue     # a variant that changes nothing for this item: the table's vectors cover it
            for name, response, covers in self.item_answers(item):
                if variant is not None and item["id"] in excluded and name not in ("missing", "noted", "fail"):
                    continue
                assessment = self.base(variant)
                if response is None:
                    assessment["responses"].pop(item["id"], None)
                else:
                    assessment["responses"][item["id"]] = response
                extra = ["variant", "excluded"] if item["id"] in excluded else (["variant"] if variant else [])
                self.add(f"item/{item['id']}/{name}{tag}", f"指标 {item['title']}：{name}", covers + extra,
                         assessment)

    # ---------------------------------------------------------- edges

    def grade_edges(self, variant) -> None:
        plan = self.scorer.plans[variant]
        tag = self.variant_tag(variant)
        manual = [i for i in self.items if i["method"]["kind"] == "manual" and i["id"] not in plan.excluded]
        if not plan.grades or not manual:
            return
        floors = []
        for discrete_full in (False, True):      # other items at their lowest, or at their highest
            zero = self.base(variant, full=False)
            if discrete_full:
                zero["responses"].update({i["id"]: self.top(i) for i in self.items
                                          if i["method"]["kind"] in ("boolean", "levels")})
            result = self.scorer.score(zero)
            if result["normalized"] is not None:
                maximum = self.schema["scoring"]["total"] if plan.normalization == "none" else result["maximum"]
                floors.append((zero, result["raw"], maximum))
        capacity = math.fsum(i["points"] for i in manual)
        for grade in plan.grades:
            for name, target in (("at", grade["min"]), ("below", grade["min"] - 0.01),
                                 ("rounds-up", grade["min"] - 0.005), ("rounds-down", grade["min"] - 0.00501)):
                for zero, floor, maximum in floors:
                    raw = target * maximum / 100 - floor
                    if 0 <= raw <= capacity:
                        break
                else:
                    continue
                assessment = copy.deepcopy(zero)
                if not self._spread(raw, manual, assessment):
                    continue
                self.add(f"grade/{grade['code']}/{name}{tag}",
                         f"得分 {target:g}（{grade['label']} 的下限 {grade['min']:g}：{name}）",
                         ["grade-edge", "rounding"] if "rounds" in name else ["grade-edge"], assessment)

    @staticmethod
    def _spread(raw: float, manual: list[dict], assessment: dict) -> bool:
        left = raw
        for item in manual:
            give = min(item["points"], left)
            give = float(f"{give:.15g}")
            assessment["responses"][item["id"]] = {"status": "scored", "points": give}
            left = left - give
            if left <= 1e-12:
                return True
        return left <= 1e-12

    def bands(self) -> None:
        for item in self.items:
            method = item["method"]
            if method["kind"] != "bands":
                continue
            for n, band in enumerate(method["bands"]):
                for bound in ("min", "max"):
                    if bound not in band:
                        continue
                    edge = band[bound]
                    step = 10 ** (math.floor(math.log10(abs(edge))) - 11) if edge else 1e-9
                    beyond = edge - step if bound == "min" else edge + step
                    for name, target in (("at", edge), ("beyond", beyond)):
                        if name == "at":
                            found = self._solve(method["metric"], target, lambda v, t=target: v == t)
                        else:      # strictly past the bound, and as close as a formula gets
                            found = self._solve(method["metric"], target, lambda v, e=edge, b=bound, s=step:
                                                (v < e if b == "min" else v > e) and abs(v - e) <= 100 * s)
                        if found is None:
                            continue
                        assessment = self.base()
                        assessment["inputs"] = found
                        self.add(f"band/{item['id']}/{n}-{bound}-{name}",
                                 f"指标 {item['title']}：{method['metric']} = {target!r}（第 {n + 1} 档 {bound} {edge:g}）",
                                 ["band-edge"], assessment)

    def _metric(self, inputs: dict, metric: str):
        assessment = self.base()
        assessment["inputs"] = inputs
        return next(m["value"] for m in self.scorer.score(assessment, validate=False)["metrics"] if m["id"] == metric)

    def _solve(self, metric: str, target: float, accept) -> dict | None:
        """Inputs (the good ones, one changed) that make ``metric`` about ``target`` and ``accept`` it."""
        for ident in self._raw_inputs(metric):
            if self.inputs[ident]["type"] != "number":
                continue
            inputs = self.good_inputs()

            def f(x):
                inputs[ident] = x
                value = self._metric(inputs, metric)
                return None if value is None else value - target
            x0, x1 = float(inputs[ident]), float(inputs[ident]) * 1.5 + 1
            f0, f1 = f(x0), f(x1)
            for _ in range(60):
                if f0 is None or f1 is None or f1 == f0:
                    break
                x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
                f1 = f(x1)
                if f1 == 0:
                    break
            if f1 is None:
                continue
            for digits in range(1, 18):
                candidate = float(f"{x1:.{digits}g}")
                inputs[ident] = candidate
                value = self._metric(inputs, metric)
                if value is not None and accept(value):
                    return dict(inputs)
        return None

    def _raw_inputs(self, metric: str) -> list[str]:
        found, todo = [], [metric]
        while todo:
            ident = todo.pop(0)
            for dep in self.metrics[ident]["depends_on"]:
                if dep in self.metrics:
                    todo.append(dep)
                elif dep not in found:
                    found.append(dep)
        return found

    def input_limits(self) -> None:
        for ident, spec in sorted(self.inputs.items()):
            cases = [("missing", None, ["input-missing"]), ("zero", 0, ["input-limit"]), ("negative", -1, ["input-limit"]),
                     ("max-double", DOUBLE_MAX, ["input-limit", "overflow"]),
                     ("min-double", DOUBLE_MIN, ["input-limit"]), ("tiny", 1e-300, ["input-limit"]),
                     ("text", "12", ["input-type"]), ("null", None, ["input-type"]),
                     ("bool", True, ["input-type"])]
            if spec["type"] == "number-list":
                cases += [("empty-list", [], ["input-limit"]), ("list-with-text", [1, "2"], ["input-type"]),
                          ("long-list", [0.1] * 10, ["input-limit"])]
            else:
                cases.append(("list", [1, 2], ["input-type"]))
            for alias in spec.get("unit_aliases") or []:
                cases.append((f"unit-{len(cases)}", {"value": 3, "unit": alias}, ["unit"]))
            if spec.get("unit_aliases"):
                cases.append(("unit-wrong", {"value": 3, "unit": "光年"}, ["unit", "input-type"]))
            for name, value, covers in cases:
                assessment = self.base()
                if name == "missing":
                    del assessment["inputs"][ident]
                else:
                    assessment["inputs"][ident] = value
                self.add(f"input/{ident}/{name}", f"输入 {ident}（{spec['label']}）：{name}", covers, assessment)

    def invalid(self) -> None:
        def change(ident, description, edit, covers=("invalid",)):
            assessment = self.base()
            edit(assessment)
            self.add(f"invalid/{ident}", description, list(covers), assessment)
        first_item = next((i["id"] for i in self.items), None)
        change("no-schema", "缺少 $schema", lambda a: a.pop("$schema"))
        change("schema-url", "$schema 是别的格式", lambda a: a.update({"$schema": published.url("scoring-schema")}))
        change("version", "schema_version 为 2.0.0", lambda a: a.update(schema_version="2.0.0"))
        change("other-schema", "scoring_schema.id 是另一个评分模式", lambda a: a["scoring_schema"].update(id="other"))
        change("sha256", "scoring_schema.sha256 与评分模式不一致", lambda a: a["scoring_schema"].update(sha256="0" * 64))
        change("sha256-pattern", "scoring_schema.sha256 写法不对", lambda a: a["scoring_schema"].update(sha256="ABC"))
        change("variant", "未知的变体", lambda a: a.update(variant="no-such-variant"))
        change("no-applicant", "缺少 applicant", lambda a: a.pop("applicant"))
        change("applicant-name", "applicant.name 为空", lambda a: a["applicant"].update(name=""))
        change("unknown-key", "顶层有未知的键", lambda a: a.update(aplicant={"name": "x"}))
        change("date", "date 不是日历上的日期", lambda a: a.update(date="2025-02-30"))
        change("no-responses", "缺少 responses", lambda a: a.pop("responses"))
        change("response-key", "responses 的键写法不对", lambda a: a["responses"].update({"1x": {"status": "pass"}}))
        change("input-key", "inputs 的键写法不对", lambda a: a["inputs"].update({"1x": 1}))
        change("input-extra", "inputs 的对象写法有未知的键", lambda a: a["inputs"].update({"x": {"value": 1, "u": "t"}}))
        if first_item:
            change("status", "status 不是可选值", lambda a: a["responses"].update({first_item: {"status": "skipped"}}))
            change("level-missing", "status level 缺少 level", lambda a: a["responses"].update({first_item: {"status": "level"}}))
            change("points-missing", "status scored 缺少 points",
                   lambda a: a["responses"].update({first_item: {"status": "scored"}}))
            change("points-text", "points 是文本", lambda a: a["responses"].update(
                {first_item: {"status": "scored", "points": "1"}}))
            change("reason-missing", "not-applicable 缺少 reason",
                   lambda a: a["responses"].update({first_item: {"status": "not-applicable"}}))
            change("evidence", "evidence 不是列表", lambda a: a["responses"].update(
                {first_item: {"status": "pass", "evidence": "x.pdf"}}))
        change("pinned", "scoring_schema.sha256 与评分模式一致：照常评分",
               lambda a: a["scoring_schema"].update(sha256=self.scorer.sha256), ["pinned"])
        change("date-ok", "date、assessor、overview 照抄到结果", lambda a: a.update(
            date="2024-02-29", assessor={"name": "评价机构"}, overview="概述"), ["metadata"])
        change("unknown-ids", "未知的指标和输入量：警告，不影响评分", lambda a: (
            a["responses"].update({"no_such_item": {"status": "pass"}}), a["inputs"].update({"no_such_input": 1})),
            ["messages"])
