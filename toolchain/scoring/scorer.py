"""The reference scorer: a scoring schema and an assessment → a result (result format 1.1).

``Scorer(schema)`` checks the schema once and compiles its formulas; ``score``
then runs on plain dicts, fast enough for batch use. Problems with one item
(missing input, ÷0, wrong unit or type, a response the item cannot take)
become that item's status and message; only problems with the assessment as a
whole (unknown variant, another schema) raise ``AssessmentError``.
"""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .. import expressions
from . import published, semantic, units

MISSING = object()
RESULT_URL = published.url("assessment-result")
# Statuses of items that stay in the maximum but leave the score without a final value.
BLOCKING = frozenset(("not-assessed", "error", "unscorable"))
SCORED_RESPONSES = {"boolean": ("pass", "fail"), "levels": ("level", "fail"),
                    "manual": ("scored", "pass", "fail"), "bands": ("computed",), "unscorable": ()}


class SchemaError(ValueError):
    """The scoring schema breaks the published JSON Schema or a semantic rule."""

    def __init__(self, problems: list[str]):
        super().__init__("评分模式有误：\n" + "\n".join(f"  {p}" for p in problems))
        self.problems = problems


class AssessmentError(ValueError):
    """The assessment as a whole cannot be scored against this schema; ``problems`` say where and why."""

    def __init__(self, problems: list[published.Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class _Input:
    id: str
    is_list: bool
    unit: str | None
    spellings: frozenset | None      # normalised accepted units; None: not checked


@dataclass(slots=True)
class _Item:
    id: str
    title: str
    group: str
    points: float | None
    kind: str
    mandatory: bool
    metric: str = ""
    levels: dict = field(default_factory=dict)
    bands: list = field(default_factory=list)
    accepts: tuple = ()               # responses that score the item
    unanswered: str = "not-assessed"  # the status when there is no response
    template: dict = field(default_factory=dict)   # its result entry, copied per assessment

    def __post_init__(self):
        self.accepts = SCORED_RESPONSES[self.kind]
        self.template = {"id": self.id, "title": self.title, "group": self.group,
                         "status": "scored", "earned": None, "available": self.points}
        if self.kind == "bands":
            self.unanswered = "computed"


@dataclass(slots=True)
class _Tally:
    entries: list          # the result entry of every item
    earned: list           # points earned by the scored items
    removed: float         # points of items left out of the maximum
    unknown_removed: int   # items without points left out of the maximum
    blocked: bool          # an item is not assessed, in error or unscorable


@dataclass
class _Plan:
    """What a variant changes: items left out, normalisation, grades."""
    excluded: frozenset
    normalization: str
    grades: list


def canonical_sha256(schema: dict) -> str:
    return hashlib.sha256(published.dumps(schema).encode("utf-8")).hexdigest()


class Scorer:
    def __init__(self, schema: dict, sha256: str | None = None, check: bool = True):
        if check:
            found = [str(p) for p in published.problems("scoring-schema", schema)]
            if not found:
                found = [f"{p.rule} {p.id}: {p.message}" for p in semantic.check(schema)
                         if p.severity == "error"]
            if found:
                raise SchemaError(found)
        self.schema = schema
        self.id = schema["id"]
        self.sha256 = sha256 or canonical_sha256(schema)
        scoring = schema["scoring"]
        self.total, self.digits = scoring["total"], scoring["rounding"]["digits"]
        self.quantum = Decimal(1).scaleb(-self.digits)
        self.inputs = [_Input(i["id"], i["type"] == "number-list", i["unit"],
                              frozenset(units.normalise(u) for u in i["unit_aliases"])
                              if i.get("unit_aliases") else None) for i in schema["inputs"]]
        self.metrics = [(m["id"], expressions.compile_node(expressions.parse(m["expr"]), checked=True), m["unit"])
                        for m in semantic.metric_order(schema)]   # each after the metrics it uses
        self.metric_ids = [m["id"] for m in schema["metrics"]]      # the order results list them in
        self.input_ids = frozenset(i.id for i in self.inputs)
        self.items = []
        for top in schema["indicators"]:
            self._collect(top, top["id"])
        self.gates = [(g["id"], g["title"]) for g in schema["gates"]]
        self.known = frozenset({i.id for i in self.items} | {g for g, _ in self.gates})
        self.points = math.fsum(i.points for i in self.items if i.points is not None)
        self.unknown_points = sum(1 for i in self.items if i.points is None)
        self.plans = {None: _Plan(frozenset(), scoring["normalization"], schema["grades"])}
        for variant in schema["variants"]:
            self.plans[variant["id"]] = _Plan(
                self._expand(set(variant["exclude"])),
                variant.get("normalization", scoring["normalization"]),
                variant.get("grades", schema["grades"]))

    def _collect(self, node: dict, group: str) -> None:
        if "children" in node:
            for child in node["children"]:
                self._collect(child, group)
            return
        method = node["method"]
        self.items.append(_Item(
            node["id"], node["title"], group, node["points"], method["kind"],
            node.get("requirement") == "mandatory", method.get("metric", ""),
            {level["code"]: level["points"] for level in method.get("levels", [])},
            [(b.get("min", -math.inf), b.get("max", math.inf), b["points"]) for b in method.get("bands", [])]))

    def _expand(self, ids: set[str]) -> frozenset:
        """Excluded ids with everything below them."""
        found = set(ids)
        for node in semantic.walk(self.schema["indicators"]):
            if node["id"] in ids:
                found |= {n["id"] for n in semantic.walk(node.get("children", []))}
        return frozenset(found)

    # ------------------------------------------------------------ scoring

    def score(self, assessment: dict, validate: bool = True) -> dict:
        """The result for one assessment; ``validate`` checks it against the published input schema."""
        if validate:
            found = published.problems("assessment-input", assessment)
            if found:
                raise AssessmentError(found)
        plan = self._plan(assessment)
        messages: list[str] = []
        values, errors = self._read_inputs(assessment.get("inputs") or {}, messages)
        metric_results = self._compute_metrics(values, errors)
        responses = assessment.get("responses") or {}
        if not self.known.issuperset(responses):
            messages += [f"responses 中的 “{ident}” 不是本评分模式的指标或否决项，已忽略"
                         for ident in sorted(responses.keys() - self.known)]
        gates = [self._gate(ident, title, responses.get(ident)) for ident, title in self.gates
                 if ident not in plan.excluded]
        items = self._items(responses, plan, values, errors)
        return self._result(assessment, plan, gates, items, metric_results, messages)

    def _plan(self, assessment: dict) -> _Plan:
        pin = assessment.get("scoring_schema") or {}
        problems = []
        if pin.get("id") not in (None, self.id):
            problems.append(published.Problem(
                ("scoring_schema", "id"), f"评估输入针对评分模式 “{pin.get('id')}”，而所给评分模式是 “{self.id}”",
                f"换用评分模式 “{pin.get('id')}”，或把 id 改为 {self.id}"))
        if pin.get("sha256") and pin["sha256"] != self.sha256:
            problems.append(published.Problem(
                ("scoring_schema", "sha256"), f"评估输入固定的评分模式摘要 {pin['sha256'][:12]}… 与所给评分模式 "
                f"{self.sha256[:12]}… 不一致：评分模式已更改", f"核对评分模式的改动后把 sha256 改为 {self.sha256}"))
        variant = assessment.get("variant")
        if variant not in self.plans:
            known = "、".join(sorted(k for k in self.plans if k))
            problems.append(published.Problem(
                ("variant",), f"未知的变体 “{variant}”",
                f"可选：{known}" if known else "本评分模式没有变体：删去 variant 或写 variant: ~"))
        if problems:
            raise AssessmentError(problems)
        return self.plans[variant]

    def _read_inputs(self, given: dict, messages: list[str]) -> tuple[dict, dict]:
        values, errors = {}, {}
        for spec in self.inputs:
            raw = given.get(spec.id, MISSING)
            if raw is MISSING:
                continue
            number = _number(raw)
            if number is not None:
                values[spec.id] = number
                continue
            unit = None
            if isinstance(raw, dict):
                unit, raw = raw.get("unit"), raw.get("value")
            problem = _type_problem(spec, raw) or _unit_problem(spec, unit)
            if problem:
                errors[spec.id] = problem
            elif isinstance(raw, list):
                values[spec.id] = [_number(v) for v in raw]
            else:
                values[spec.id] = _number(raw)
        if not self.input_ids.issuperset(given):
            messages += [f"inputs 中的 “{ident}” 不是本评分模式的输入量，已忽略"
                         for ident in sorted(given.keys() - self.input_ids)]
        return values, errors

    def _compute_metrics(self, values: dict, errors: dict) -> list[dict]:
        results = {}
        for ident, compute, unit in self.metrics:
            try:
                # 12 significant digits: float noise must not move a value across a band
                # edge ((0.5 − 0.4) / 0.5 × 100 is 19.999999999999996 in binary floating point)
                value = values[ident] = float(f"{compute(values):.12g}")
                results[ident] = {"id": ident, "value": value, "unit": unit}
            except expressions.EvaluationError as exc:
                message = errors.get(exc.name) or str(exc)
                errors[ident] = f"{ident}：{message}"
                results[ident] = {"id": ident, "value": None, "unit": unit, "message": message}
        return [results[ident] for ident in self.metric_ids]

    @staticmethod
    def _gate(ident: str, title: str, response: dict | None) -> dict:
        entry = {"id": ident, "title": title}
        status = response["status"] if response else "not-assessed"
        if status in ("pass", "fail", "not-assessed"):
            entry["status"] = status
        else:
            entry["status"] = "error"
            entry["message"] = f"否决项只能答 pass、fail 或 not-assessed，实际为 “{status}”"
        _copy_notes(response, entry)
        return entry

    def _items(self, responses: dict, plan: _Plan, values: dict, errors: dict) -> _Tally:
        """Every item's entry, and the sums the result needs (gathered here: this is the hot loop)."""
        tally = _Tally([], [], 0, 0, False)
        append, earn, answer, excluded = tally.entries.append, tally.earned.append, responses.get, plan.excluded
        for item in self.items:
            entry = item.template.copy()
            append(entry)
            response = answer(item.id)
            if response is None:
                status = item.unanswered
            else:
                status = response["status"]
                if "note" in response or "evidence" in response:
                    _copy_notes(response, entry)
            if item.metric:
                entry["metric"] = {"id": item.metric, "value": values.get(item.metric)}
            if item.id in excluded:
                entry["status"], entry["available"] = "excluded", 0
            elif status in item.accepts:
                # the common answers inline; levels and bands in _earned
                if status == "pass":
                    earn(item.points)
                    entry["earned"] = item.points
                elif status == "fail":
                    earn(0)
                    entry["earned"] = 0
                elif status == "scored" and 0 <= response["points"] <= item.points:
                    earn(response["points"])
                    entry["earned"] = response["points"]
                else:
                    earned, problem = self._earned(item, status, response, values, errors, entry)
                    if problem:
                        entry["status"], entry["message"] = "error", problem
                        tally.blocked = True
                    else:
                        earn(earned)
                        entry["earned"] = earned
                continue
            else:
                self._unscored(item, status, response, plan, entry)
                tally.blocked = tally.blocked or entry["status"] in BLOCKING
            if entry["available"] == 0:      # excluded or not applicable: out of the maximum
                if item.points is None:
                    tally.unknown_removed += 1
                else:
                    tally.removed += item.points
        return tally

    @staticmethod
    def _unscored(item: _Item, status: str, response: dict | None, plan: _Plan, entry: dict) -> None:
        """An item the response does not score: not applicable, not assessed, unscorable, or an error."""
        if status == "not-applicable":
            if plan.normalization == "applicable" and not item.mandatory:
                entry["status"], entry["available"], entry["reason"] = "not-applicable", 0, response["reason"]
                return
            why = "必选指标" if item.mandatory else "本标准不按参评项折算"
            entry["status"], entry["message"] = "error", f"{why}，不能标为不适用（只有变体可以排除指标）"
        elif item.kind == "unscorable":
            entry["status"], entry["message"] = "unscorable", "标准未给出该指标的分值"
        elif status == "not-assessed":
            entry["status"] = "not-assessed"
        else:
            entry["status"] = "error"
            entry["message"] = (f"按{_KIND_LABELS[item.kind]}评分的指标只能答 "
                                f"{'、'.join(item.accepts)}，实际为 “{status}”")

    @staticmethod
    def _earned(item: _Item, status: str, response: dict | None, values: dict, errors: dict,
                entry: dict) -> tuple[float | None, str]:
        if status == "level":
            entry["level"] = response["level"]
            if response["level"] not in item.levels:
                return None, f"没有评分档 “{response['level']}”；可选：{'、'.join(item.levels)}"
            return item.levels[response["level"]], ""
        if status == "scored":
            return None, f"得分 {response['points']:g} 超出 0～{item.points:g} 分"
        value = values.get(item.metric)
        if value is None:
            return None, errors.get(item.metric) or f"缺少输入 “{item.metric}”"
        return next((points for low, high, points in item.bands if low <= value <= high), 0), ""

    def _result(self, assessment: dict, plan: _Plan, gates: list, tally: _Tally,
                metrics: list, messages: list) -> dict:
        raw = math.fsum(tally.earned)
        unknown = self.unknown_points - tally.unknown_removed
        maximum = None if unknown else self.points - tally.removed
        failed = [g["id"] for g in gates if g["status"] == "fail"]
        blocked = tally.blocked or any(g["status"] in ("not-assessed", "error") for g in gates)
        normalized = None
        if plan.normalization == "none":
            normalized = self._round(raw * 100 / self.total)
        elif maximum:
            normalized = self._round(raw * 100 / maximum)
        elif maximum == 0:
            messages.append("没有参评项（全部不适用或被排除），无法折算得分")
            blocked = True
        grade = None
        if blocked:
            normalized = None
        if failed:
            outcome = "disqualified"
        elif blocked:
            outcome = "incomplete"
        elif not plan.grades:
            outcome = "scored"
        else:
            grade = next((g for g in plan.grades if normalized >= g["min"]), None)
            outcome = "graded" if grade else "below-grades"
        result = {
            "$schema": RESULT_URL,
            "schema_version": published.VERSIONS["assessment-result"],
            "generator": dict(published.GENERATOR),
            "scoring_schema": {"id": self.id, "designation": self.schema["standard"]["designation"],
                               "table": self.schema["table"]["number"], "sha256": self.sha256},
            "applicant": assessment.get("applicant") or {"name": ""},
            "variant": assessment.get("variant"),
            "model": plan.normalization,
            "outcome": outcome,
            "raw": self._round(raw),
            "maximum": None if maximum is None else self._round(maximum),
            "normalized": normalized,
            "grade": {k: grade[k] for k in ("code", "label", "min")} if grade else None,
            "gates_failed": failed,
            "gates": gates,
            "items": tally.entries,
            "metrics": metrics,
            "messages": messages,
        }
        for key in ("assessor", "date", "overview"):
            if key in assessment:
                result[key] = assessment[key]
        return result

    def _round(self, value: float) -> float:
        """Half-up on the decimal value as written (2.675 → 2.68), whole numbers as int."""
        if value == int(value):
            return int(value)
        text = repr(value)
        if "e" not in text and len(text) - text.index(".") - 1 <= self.digits:
            return value                 # already short enough: most scores are
        rounded = float(Decimal(text).quantize(self.quantum, ROUND_HALF_UP))
        return int(rounded) if rounded.is_integer() else rounded


_KIND_LABELS = {"boolean": "是否", "levels": "评分档", "manual": "评审打分", "bands": "计算量分段"}


def _copy_notes(response: dict | None, entry: dict) -> None:
    if response:
        for key in ("note", "evidence"):
            if key in response:
                entry[key] = response[key]


def _number(value) -> float | None:
    """A JSON number as the IEEE double every scorer computes with (Python's exact integers
    would differ from JavaScript's); None for anything else, or beyond the double range."""
    if type(value) not in (int, float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _is_number(value) -> bool:
    return _number(value) is not None


def _type_problem(spec: _Input, value) -> str:
    if _is_number(value) or (spec.is_list and isinstance(value, list) and all(map(_is_number, value))):
        return ""
    expected = "数值或一组数值" if spec.is_list else "数值"
    return f"输入 “{spec.id}” 应为{expected}，实际为 {value!r}"


def _unit_problem(spec: _Input, unit) -> str:
    if unit is None or spec.spellings is None or units.normalise(unit) in spec.spellings:
        return ""
    return f"输入 “{spec.id}” 的单位应为 {spec.unit}，实际为 “{unit}”"


def score(schema: dict, assessment: dict) -> dict:
    """Score one assessment (checks both documents; build a ``Scorer`` once for many)."""
    return Scorer(schema).score(assessment)
