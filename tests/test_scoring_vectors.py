"""Conformance vectors (gbstd.scoring.vectors): published format, coverage of every branch,
determinism, the CLI, and the reference scorer passing all of them.

Coverage expectations are written here from the schemas' own numbers (grade minimums, band
bounds, veto items), never taken from the generator.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gbstd.scoring import Scorer, published, semantic, vectors
from gbstd.scoring.scorer import canonical_sha256
from scoring_support import ROOT, SYNTHETIC, schema, stock_validator, synthetic

CORPUS = [("green-enterprise", "green-enterprise"), ("green-logistics", "green-logistics-enterprise"),
          ("green-logistics", "green-logistics-project"), ("gbt-36132", "gbt-36132"),
          ("sz-green-industry-guide", "sz-green-industry-example")]


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[dict, dict]]:
    found = {table: (schema(slug, table),) for slug, table in CORPUS}
    found["synthetic-logistics"] = (synthetic(),)
    return {key: (s[0], vectors.document(s[0])) for key, s in found.items()}


def by_id(doc: dict) -> dict[str, dict]:
    return {v["id"]: v for v in doc["vectors"]}


def test_vector_files_are_valid_and_name_their_schema(documents):
    # the stock validator once (it is slow), jsonschema-rs for every file
    assert list(stock_validator("scoring-vectors").iter_errors(documents["synthetic-logistics"][1])) == []
    for key, (schema_, doc) in documents.items():
        assert published.problems("scoring-vectors", doc) == [], key
        assert doc["scoring_schema"]["id"] == schema_["id"]
        assert doc["scoring_schema"]["sha256"] == canonical_sha256(schema_)
        assert doc["scoring_schema"]["schema_version"] == schema_["schema_version"]
        ids = [v["id"] for v in doc["vectors"]]
        assert len(ids) == len(set(ids)), key
        assert 50 <= len(ids) <= 1000, (key, len(ids))
        # the valid ones are valid assessment inputs; the invalid ones are not
        for vector in doc["vectors"]:
            broken = bool(published.problems("assessment-input", vector["assessment"]))
            if broken:
                assert vector["expected"] == {"error": "SCORE-021"}, vector["id"]


def test_reference_scorer_passes_all_vectors(documents):
    for key, (schema_, doc) in documents.items():
        scorer = Scorer(json.loads(json.dumps(schema_)))     # a fresh scorer from the JSON text
        failures = [v["id"] for v in doc["vectors"] if vectors.expected(scorer, v["assessment"]) != v["expected"]]
        assert failures == [], key


def test_every_veto_item_and_every_item_has_its_branches(documents):
    for key, (schema_, doc) in documents.items():
        found = by_id(doc)
        for gate in schema_["gates"]:
            assert found[f"gate/{gate['id']}/fail"]["expected"]["outcome"] == "disqualified"
            assert found[f"gate/{gate['id']}/fail"]["expected"]["gates_failed"] == [gate["id"]]
            assert found[f"gate/{gate['id']}/missing"]["expected"]["outcome"] == "incomplete"
            assert found[f"gate/{gate['id']}/level"]["expected"]["gates"][gate["id"]] == "error"
        for item in semantic.units(schema_):
            for case in ("missing", "not-assessed", "not-applicable"):
                assert f"item/{item['id']}/{case}" in found, (key, item["id"], case)
            na = found[f"item/{item['id']}/not-applicable"]["expected"]["items"][item["id"]]
            allowed = schema_["scoring"]["normalization"] == "applicable" and item.get("requirement") != "mandatory"
            assert na["status"] == ("not-applicable" if allowed else "error"), (key, item["id"])
        codes = {v["expected"].get("error") for v in doc["vectors"]}
        assert codes == {None, "SCORE-021"}
        assert sum(1 for v in doc["vectors"] if "error" in v["expected"]) >= 20


def test_manual_item_edges_by_hand(documents):
    _, doc = documents["green-logistics-enterprise"]
    found = by_id(doc)
    # 先进性 has 20 points: 20 is full marks, 20.01 and -0.01 are refused
    assert found["item/advance/scored-max"]["expected"]["items"]["advance"] == \
        {"status": "scored", "earned": 20, "available": 20}
    assert found["item/advance/scored-over"]["expected"]["items"]["advance"]["status"] == "error"
    assert found["item/advance/scored-negative"]["expected"]["items"]["advance"]["status"] == "error"
    assert found["item/advance/scored-half"]["expected"]["items"]["advance"]["earned"] == 10


def test_grade_edges_exactly_at_and_just_below_every_minimum(documents):
    """绿色物流 E.1: 85/70/60 (seed 001); the synthetic project variant: 80/60/0 over applicable items."""
    cases = {("green-logistics-enterprise", ""): {"dark": (85, "mid"), "mid": (70, "light"), "light": (60, None)},
             ("synthetic-logistics", "@enterprise"): {"dark": (85, "mid"), "mid": (70, "light"), "light": (60, None)},
             ("synthetic-logistics", "@project"): {"dark": (80, "mid"), "mid": (60, "light")}}
    for (key, tag), grades in cases.items():
        found = by_id(documents[key][1])
        for code, (minimum, below) in grades.items():
            at = found[f"grade/{code}/at{tag}"]["expected"]
            assert (at["normalized"], at["grade"]) == (minimum, code), (key, code)
            under = found[f"grade/{code}/below{tag}"]["expected"]
            assert (under["normalized"], under["grade"]) == (minimum - 0.01, below), (key, code)
            # x.995 rounds half-up to the minimum; x.99499 stays below it
            assert found[f"grade/{code}/rounds-up{tag}"]["expected"]["grade"] == code
            assert found[f"grade/{code}/rounds-down{tag}"]["expected"]["grade"] == below


def test_band_edges_of_the_synthetic_carbon_item(documents):
    """降碳效益: d ≥ 20 → 10, d ≥ 10 → 6, d ≥ 0 → 2, else 0 (the synthetic fixture's bands)."""
    found = by_id(documents["synthetic-logistics"][1])
    for n, (edge, at_points, below_points) in enumerate([(20, 10, 6), (10, 6, 2), (0, 2, 0)]):
        at = found[f"band/carbon/{n}-min-at"]["expected"]
        assert at["metrics"]["d"] == edge and at["items"]["carbon"]["earned"] == at_points
        beyond = found[f"band/carbon/{n}-min-beyond"]["expected"]
        assert edge - 1e-6 < beyond["metrics"]["d"] < edge and beyond["items"]["carbon"]["earned"] == below_points


def test_input_limits_and_units(documents):
    found = by_id(documents["green-enterprise"][1])
    # n = N / A: A = 0 divides by zero, the largest double overflows nothing by itself, text is refused
    assert found["input/A/zero"]["expected"]["metrics"]["n"] is None
    assert found["input/N/max-double"]["expected"]["metrics"]["n"] is not None
    assert found["input/A/min-double"]["expected"]["metrics"]["s_A3"] is None       # overflow: not finite
    assert found["input/A/text"]["expected"]["metrics"]["n"] is None
    assert found["input/W_n/empty-list"]["expected"]["metrics"]["w"] is None
    assert found["input/N/unit-wrong"]["expected"]["metrics"]["n"] is None
    units = [v for v in documents["green-enterprise"][1]["vectors"] if v["id"].startswith("input/N/unit-")]
    assert sum(1 for v in units if v["expected"]["metrics"]["n"] is not None) == 3      # 吨标准煤, 吨标准煤（tce）, tce


def test_vectors_are_deterministic_and_follow_the_schema(documents):
    schema_, doc = documents["synthetic-logistics"]
    again = vectors.document(synthetic())
    assert vectors.dumps(again) == vectors.dumps(doc)
    changed = synthetic()
    changed["grades"][0]["min"] = 86
    moved = vectors.document(changed)
    assert moved["scoring_schema"]["sha256"] != doc["scoring_schema"]["sha256"]
    assert by_id(moved)["grade/dark/at"]["expected"]["normalized"] == 86


def test_gbstd_schema_vectors_cli(tmp_path):
    out = tmp_path / "v.json"
    result = subprocess.run([sys.executable, "-m", "gbstd", "schema", str(SYNTHETIC), "--vectors", "-o", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["scoring_schema"]["id"] == "synthetic-logistics"
    assert list(stock_validator("scoring-vectors").iter_errors(doc)) == []


def test_documented_vectors_are_what_the_reference_scorer_says():
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    blocks = [json.loads(b.split("```", 1)[0]) for b in text.split("```json\n")[1:]]
    by_name = {b["$schema"].rsplit("/", 1)[1].removesuffix(".json"): b for b in blocks}
    scorer = Scorer(by_name["scoring-schema"])
    documented = by_name["scoring-vectors"]
    assert documented["scoring_schema"]["sha256"] == scorer.sha256
    for vector in documented["vectors"]:
        assert vectors.expected(scorer, vector["assessment"]) == vector["expected"], vector["id"]
