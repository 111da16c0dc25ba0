"""Properties of the reference scorer over generated assessments (hypothesis)."""
from __future__ import annotations

import copy

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring_support import schema, synthetic
from gbstd.scoring import Scorer, published, semantic

SCHEMAS = {"synthetic": synthetic(), "green-enterprise": schema("green-enterprise", "green-enterprise")}
SCORERS = {name: Scorer(s) for name, s in SCHEMAS.items()}
FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


def _response(unit: dict):
    points = unit["points"]
    kind = unit["method"]["kind"]
    options = [st.none(), st.just({"status": "not-assessed"}),
               st.just({"status": "not-applicable", "reason": "测试"})]
    if kind in ("manual", "boolean", "levels"):
        options.append(st.sampled_from([{"status": "pass"}, {"status": "fail"}]))
    if kind == "manual":
        options.append(st.floats(0, points).map(lambda p: {"status": "scored", "points": p}))
    if kind == "levels":
        codes = [level["code"] for level in unit["method"]["levels"]]
        options.append(st.sampled_from(codes).map(lambda c: {"status": "level", "level": c}))
    return st.one_of(*options)


@st.composite
def assessments(draw, name: str | None = None):
    name = name or draw(st.sampled_from(sorted(SCHEMAS)))
    emitted = SCHEMAS[name]
    responses = {}
    for unit in semantic.units(emitted):
        response = draw(_response(unit))
        if response is not None:
            responses[unit["id"]] = response
    for gate in emitted["gates"]:
        response = draw(st.sampled_from([None, {"status": "pass"}, {"status": "fail"}]))
        if response is not None:
            responses[gate["id"]] = response
    inputs = {i["id"]: (draw(st.lists(FINITE, max_size=4)) if i["type"] == "number-list" else draw(FINITE))
              for i in emitted["inputs"] if draw(st.booleans())}
    variants = [None] + [v["id"] for v in emitted["variants"]]
    doc = {"$schema": published.url("assessment-input"), "schema_version": "1.0.0",
           "scoring_schema": {"id": emitted["id"]}, "applicant": {"name": "生成的申请单位"},
           "variant": draw(st.sampled_from(variants)), "inputs": inputs, "responses": responses}
    return name, doc


@settings(max_examples=80, deadline=None)
@given(assessments())
def test_score_stays_within_bounds(case):
    name, doc = case
    result = SCORERS[name].score(doc)
    assert 0 <= result["raw"]
    if result["maximum"] is not None:
        assert result["raw"] <= result["maximum"] <= SCHEMAS[name]["scoring"]["total"]
    if result["normalized"] is not None:
        assert 0 <= result["normalized"] <= 100
    for item in result["items"]:
        if item["earned"] is not None:
            assert 0 <= item["earned"] <= item["available"]


@settings(max_examples=80, deadline=None)
@given(assessments("synthetic"), st.sampled_from(["catalog", "technical"]))
def test_a_failed_gate_always_disqualifies(case, gate):
    name, doc = case
    doc["responses"][gate] = {"status": "fail"}
    result = SCORERS[name].score(doc)
    assert result["outcome"] == "disqualified" and result["grade"] is None and gate in result["gates_failed"]


@settings(max_examples=80, deadline=None)
@given(assessments(), st.data())
def test_excluding_an_item_never_raises_the_maximum(case, data):
    name, doc = case
    before = SCORERS[name].score(doc)["maximum"]
    unit = data.draw(st.sampled_from(semantic.units(SCHEMAS[name])))
    excluded = copy.deepcopy(doc)
    excluded["responses"][unit["id"]] = {"status": "not-applicable", "reason": "测试"}
    after = SCORERS[name].score(excluded)["maximum"]
    if before is not None and after is not None:
        assert after <= before


@settings(max_examples=60, deadline=None)
@given(assessments(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_input_order(case, rng):
    name, doc = case
    shuffled = copy.deepcopy(doc)
    for key in ("responses", "inputs"):
        pairs = list(shuffled[key].items())
        rng.shuffle(pairs)
        shuffled[key] = dict(pairs)
    pairs = list(shuffled.items())
    rng.shuffle(pairs)
    shuffled = dict(pairs)
    assert published.dumps(SCORERS[name].score(doc)) == published.dumps(SCORERS[name].score(shuffled))


@settings(max_examples=60, deadline=None)
@given(assessments())
def test_every_result_is_valid_against_the_published_schema(case):
    name, doc = case
    assert published.problems("assessment-result", SCORERS[name].score(doc)) == []
