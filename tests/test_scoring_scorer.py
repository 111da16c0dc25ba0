"""The reference scorer: worked examples (computed by hand), per-item problems, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from scoring_support import ROOT, assessment, responses_for, schema, stock_validator, synthetic
from gbstd.scoring import AssessmentError, SchemaError, Scorer, published, report, semantic, units


def items_of(result: dict) -> dict:
    return {item["id"]: item for item in result["items"]}


def base(schema_: dict, **extra) -> dict:
    doc = {"$schema": published.url("assessment-input"), "schema_version": "1.0.0",
           "scoring_schema": {"id": schema_["id"]}, "applicant": {"name": "测试单位"},
           "responses": responses_for(schema_)}
    doc.update(extra)
    return doc


# ---------------------------------------------------------------- worked examples


def test_green_enterprise_table_b1_worked_example():
    result = Scorer(schema("green-enterprise", "green-enterprise")).score(assessment("green-enterprise-b1.yaml"))
    # By hand, group by group (pass = full points, fail = 0, scored = points awarded):
    #   绿色战略   3 + 2 + 3 + 2 + 1.5 + 0 + 3 = 14.5
    #   绿色管理   3 + 3 + 2 + 3 + 3 + 0 + 2   = 16
    #   绿色创新   3 + 2 + 2 + 1 + 3 + 3 + 0   = 14
    #   绿色生产   3 + 1 + 3 + 2 + 2 + 3 + 2.5 = 16.5
    #   绿色社会责任 3 + 3 + 0 + 3 + 2 + 2 + 3 = 16
    #   total 14.5 + 16 + 14 + 16.5 + 16 = 77 of 100; normalisation none → 77 × 100 / 100 = 77
    assert (result["raw"], result["maximum"], result["normalized"]) == (77, 100, 77)
    assert result["model"] == "none" and result["outcome"] == "scored" and result["grade"] is None
    assert all(item["status"] == "scored" for item in result["items"])
    # The Annex A metrics, from the raw data by hand:
    #   n = N / A = 12000 / 60000 = 0.2 tce/万元          k = 1800 / 12000 × 100 = 15 %
    #   s_A3 = 300000 / 60000 = 5 t/万元                 t = (50000/50000 − 48000/60000) / 1 × 100 = 20 %
    #   w = (1200 + 300 + 450 + 50) / 60000 = 1/30 kg/万元  z = 9000 / (10000 + 0) × 100 = 90 %
    #   s_A7 = 45 / 50 × 100 = 90 %
    metrics = {m["id"]: m["value"] for m in result["metrics"]}
    assert metrics == pytest.approx({"n": 0.2, "k": 15, "s_A3": 5, "t": 20, "w": 1 / 30, "z": 90, "s_A7": 90})
    assert items_of(result)["energy_intensity"]["metric"] == {"id": "n", "value": pytest.approx(0.2)}
    assert published.problems("assessment-result", result) == []


def test_synthetic_enterprise_variant_worked_example():
    result = Scorer(synthetic()).score(assessment("synthetic-enterprise.yaml"))
    # d = (0.50 − 0.42) / 0.50 × 100 = 16 % → band “min 10” → 6 points; u = (40 + 50) / 100 × 100 = 90 %
    # 技术表现 8 (L1) + 9 + 6 + 10 = 33; 业务表现 12 + 10 = 22; 环境表现 6 + 6 + 6 = 18; 社会表现 4 + 0 = 4
    # raw 33 + 22 + 18 + 4 = 77 of 100, enterprise grades 85/70/60 → 70 ≤ 77 < 85 → 中绿
    assert (result["raw"], result["maximum"], result["normalized"]) == (77, 100, 77)
    assert result["grade"] == {"code": "mid", "label": "中绿", "min": 70} and result["outcome"] == "graded"
    assert items_of(result)["carbon"]["earned"] == 6
    assert {m["id"]: m["value"] for m in result["metrics"]} == pytest.approx({"d": 16, "u": 90})


def test_synthetic_project_variant_worked_example():
    result = Scorer(synthetic()).score(assessment("synthetic-project.yaml"))
    # variant project: 业务表现 and 社会表现 excluded; 资源综合利用效益 (10) not applicable.
    # applicable points: ip 8 + key_tech 12 + carbon 10 + ghg 8 + process 6 + pollutant 6 = 50
    # d = (0.50 − 0.35) / 0.50 × 100 = 30 % → 10 points
    # earned: 4 (L2) + 10 + 10 + 7 + 4 + 6 = 41 → 41 / 50 × 100 = 82 ≥ 80 → 深绿
    assert (result["raw"], result["maximum"], result["normalized"]) == (41, 50, 82)
    assert result["model"] == "applicable" and result["grade"]["label"] == "深绿"
    statuses = {i["id"]: i["status"] for i in result["items"]}
    assert statuses["growth"] == statuses["internal"] == "excluded"
    assert statuses["resource"] == "not-applicable"


def test_synthetic_project_compliance_only_light_green():
    """Seed 001: a project that passes the veto items is 浅绿 whatever it scores."""
    doc = assessment("synthetic-project.yaml")
    doc["responses"] = {"catalog": {"status": "pass"}, "technical": {"status": "pass"},
                        **{i: {"status": "fail"} for i in ("ip", "key_tech", "resource", "ghg", "process", "pollutant")}}
    doc["inputs"] = {"C_0": 1, "C_1": 2}      # emissions up: d = −100 % → no band → 0
    result = Scorer(synthetic()).score(doc)
    assert (result["raw"], result["maximum"], result["normalized"]) == (0, 60, 0)
    assert result["grade"]["label"] == "浅绿"


def test_enterprise_below_grades_and_failed_gate():
    scorer = Scorer(synthetic())
    doc = assessment("synthetic-enterprise.yaml")
    doc["responses"]["growth"] = {"status": "fail"}       # 77 − 12 = 65 → 浅绿 (≥ 60)
    doc["responses"]["market"] = {"status": "fail"}       # 65 − 10 = 55 → below every grade
    result = scorer.score(doc)
    assert result["normalized"] == 55 and result["outcome"] == "below-grades" and result["grade"] is None
    doc = assessment("synthetic-enterprise.yaml")
    doc["responses"]["technical"] = {"status": "fail"}
    result = scorer.score(doc)
    assert result["outcome"] == "disqualified" and result["gates_failed"] == ["technical"]
    assert result["grade"] is None and result["raw"] == 77
    assert "一票否决" in report.conclusion(result)


def test_gbt_36132_metric_from_raw_data_through_annex_a():
    result = Scorer(schema("gbt-36132", "gbt-36132")).score(assessment("gbt-36132-land.json"))
    # 公式（A.1） R = (A_总建筑物 + A_总构筑物) / A_用地 = (36000 + 4000) / 25000 = 1.6
    # 公式（A.2） r = (a_总建筑物 + a_总构筑物) / A_用地 × 100 % = (12000 + 3000) / 25000 × 100 = 60 %
    metrics = {m["id"]: m for m in result["metrics"]}
    assert metrics["R"]["value"] == pytest.approx(1.6) and metrics["r"]["value"] == pytest.approx(60)
    assert "缺少输入" in metrics["n"]["message"]           # no capacity data given
    # Table B.1 of GB/T 36132 only has placeholder weights: nothing can be scored
    assert result["outcome"] == "incomplete" and result["maximum"] is None and result["normalized"] is None
    assert {i["status"] for i in result["items"]} == {"unscorable"}


def test_logistics_enterprise_table_scores_at_the_level_the_notes_give_points():
    emitted = schema("green-logistics", "green-logistics-enterprise")
    doc = base(emitted, responses={**responses_for(emitted), "catalog": {"status": "pass"},
                                   "technical": {"status": "pass"}, "advance": {"status": "scored", "points": 15}})
    result = Scorer(emitted).score(doc)
    # everything full marks except 先进性 15 of 20 → 95 → 深绿 (≥ 85)
    assert (result["raw"], result["normalized"], result["grade"]["label"]) == (95, 95, "深绿")


# ---------------------------------------------------------------- per-item problems


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer(synthetic())


def project(**changes) -> dict:
    doc = assessment("synthetic-project.yaml")
    doc.update(changes)
    return doc


@pytest.mark.parametrize("inputs,expected", [
    ({"C_0": 0, "C_1": 0.3}, "除数为零"),
    ({"C_1": 0.3}, "缺少输入 “C_0”"),
    ({"C_0": {"value": 0.5, "unit": "kg"}, "C_1": 0.3}, "单位应为"),
    ({"C_0": "0.5", "C_1": 0.3}, "应为数值"),
    ({"C_0": True, "C_1": 0.3}, "应为数值"),
    ({"C_0": [0.5], "C_1": 0.3}, "应为数值"),
])
def test_metric_problems_become_the_item_status(scorer, inputs, expected):
    result = scorer.score(project(inputs=inputs))
    carbon = items_of(result)["carbon"]
    assert carbon["status"] == "error" and expected in carbon["message"]
    assert carbon["earned"] is None and carbon["available"] == 10
    assert result["outcome"] == "incomplete" and result["normalized"] is None


def test_list_input_sums_and_wrong_list(scorer):
    good = scorer.score(project(inputs={"C_0": 1, "C_1": 1, "U_i": [30, 30, 20], "W": 100}))
    assert {m["id"]: m["value"] for m in good["metrics"]}["u"] == pytest.approx(80)
    bad = scorer.score(project(inputs={"U_i": [30, "x"], "W": 100}))
    assert "一组数值" in {m["id"]: m for m in bad["metrics"]}["u"]["message"]


@pytest.mark.parametrize("unit,given", [
    ("千瓦时（kW·h）", "kWh"), ("千瓦时（kW·h）", "kW*h"), ("千瓦时（kW·h）", "kW h"), ("千瓦时（kW·h）", "kW⋅h"),
    ("千瓦时（kW·h）", "KWH"), ("千瓦时（kW·h）", "千瓦时"), ("千瓦时（kW·h）", "千瓦时(kW·h)"),
    ("平方米（m²）", "m2"), ("平方米（m²）", "m^2"), ("平方米（m²）", "m ²"), ("吨标准煤（tce）", "TCE"),
    ("吨二氧化碳当量/万元（tCO2e/万元）", "tCO₂e/万元"), ("兆帕（MPa）", "MPA"), ("%", "％"),
])
def test_equivalent_unit_spellings_are_accepted(unit, given):
    result = _score_with_unit(unit, given)
    assert items_of(result)["carbon"]["status"] == "scored", items_of(result)["carbon"].get("message")


@pytest.mark.parametrize("unit,given", [
    ("千瓦时（kW·h）", "MWh"), ("兆瓦（MW）", "mW"), ("毫瓦（mW）", "MW"), ("立方米（m³）", "M3"),
    ("兆帕（MPa）", "mPa"), ("平方米（m²）", "m3"),
])
def test_different_or_ambiguous_units_are_refused(unit, given):
    carbon = items_of(_score_with_unit(unit, given))["carbon"]
    assert carbon["status"] == "error" and f"单位应为 {unit}" in carbon["message"]


def test_one_normalisation_for_units():
    same = [("kW·h", "kWh", "kW*h", "kW h", "kW⋅h", "kW・h", "KWH", "ｋＷｈ"), ("m²", "m2", "m^2", "m 2"),
            ("tCO2e", "tCO₂e", "TCO2E"), ("m·s⁻¹", "m s-1")]
    for spellings in same:
        assert len({units.normalise(s) for s in spellings}) == 1, spellings
    for a, b in (("MW", "mW"), ("MPa", "mPa"), ("m3", "M3"), ("pF", "PF")):
        assert units.normalise(a) != units.normalise(b)


def _score_with_unit(unit: str, given: str) -> dict:
    """The synthetic project with C_0 (an input of the carbon item) in ``unit``, given as ``given``."""
    emitted = synthetic()
    [spec] = [i for i in emitted["inputs"] if i["id"] == "C_0"]
    spec["unit"], spec["unit_aliases"] = unit, units.spellings(unit)
    return Scorer(emitted).score(project(inputs={"C_0": {"value": 0.5, "unit": given}, "C_1": 0.4}))


@pytest.mark.parametrize("item,response,expected", [
    ("ip", {"status": "level", "level": "L9"}, "没有评分档 “L9”"),
    ("key_tech", {"status": "scored", "points": 13}, "超出 0～12 分"),
    ("key_tech", {"status": "level", "level": "L1"}, "只能答 scored、pass、fail"),
    ("carbon", {"status": "pass"}, "只能答 computed"),
    ("ghg", {"status": "not-applicable", "reason": "无"}, "必选指标"),
])
def test_bad_responses_become_the_item_status(scorer, item, response, expected):
    doc = project()
    doc["responses"][item] = response
    entry = items_of(scorer.score(doc))[item]
    assert entry["status"] == "error" and expected in entry["message"]


def test_not_applicable_needs_a_standard_that_normalises(scorer):
    doc = assessment("synthetic-enterprise.yaml")     # enterprise: normalisation none
    doc["responses"]["growth"] = {"status": "not-applicable", "reason": "无"}
    entry = items_of(scorer.score(doc))["growth"]
    assert entry["status"] == "error" and "不按参评项折算" in entry["message"] and entry["available"] == 15


def test_missing_response_blocks_a_final_result(scorer):
    doc = project()
    del doc["responses"]["process"]
    del doc["responses"]["catalog"]
    result = scorer.score(doc)
    assert items_of(result)["process"]["status"] == "not-assessed"
    assert result["outcome"] == "incomplete" and result["grade"] is None
    assert "无法给出评价结论" in report.conclusion(result)


def test_unknown_ids_are_reported_not_fatal(scorer):
    doc = project()
    doc["responses"]["nonsense"] = {"status": "pass"}
    doc["inputs"]["Q"] = 1
    messages = scorer.score(doc)["messages"]
    assert any("nonsense" in m for m in messages) and any("“Q”" in m for m in messages)


@pytest.mark.parametrize("changes,expected", [
    ({"variant": "factory"}, "未知的变体 “factory”"),
    ({"scoring_schema": {"id": "green-enterprise"}}, "green-enterprise"),
    ({"scoring_schema": {"id": "synthetic-logistics", "sha256": "0" * 64}}, "摘要"),
    ({"responses": {"ip": {"status": "level"}}}, "responses/ip 缺少必填的键 “level”"),
])
def test_assessment_level_problems_raise(scorer, changes, expected):
    with pytest.raises(AssessmentError) as caught:
        scorer.score(project(**changes))
    assert any(expected in p.message for p in caught.value.problems)


def test_broken_schema_is_refused():
    emitted = synthetic()
    emitted["scoring"]["total"] = 90
    with pytest.raises(SchemaError, match="SCORE-011"):
        Scorer(emitted)


def test_input_order_does_not_matter(scorer):
    doc = assessment("synthetic-enterprise.yaml")
    reordered = dict(reversed(list(doc.items())))
    reordered["responses"] = dict(reversed(list(doc["responses"].items())))
    assert published.dumps(scorer.score(doc)) == published.dumps(scorer.score(reordered))


def test_rounding_is_half_up_before_grading():
    emitted = synthetic()
    emitted["scoring"]["rounding"]["digits"] = 0
    scorer = Scorer(emitted)
    doc = assessment("synthetic-enterprise.yaml")
    # 77 (the worked example) + 3 (growth 12 → 15) + 2 (ghg 6 → 8) + 2.5 (responsibility 0 → 2.5) = 84.5
    doc["responses"]["growth"] = {"status": "scored", "points": 15}
    doc["responses"]["ghg"] = {"status": "scored", "points": 8}
    doc["responses"]["responsibility"] = {"status": "scored", "points": 2.5}
    result = scorer.score(doc)
    # 84.5 rounds half-up to 85 before it meets the 深绿 threshold (85)
    assert result["normalized"] == 85 and result["grade"]["label"] == "深绿"


# ---------------------------------------------------------------- CLI


def _gbstd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("schemas") / "synthetic.json"
    path.write_text(published.dumps(synthetic()), encoding="utf-8")
    return path


def test_cli_score_text_json_html(schema_file, tmp_path):
    source = ROOT / "tests" / "fixtures" / "scoring" / "synthetic-project.yaml"
    text = _gbstd("score", str(schema_file), str(source))
    assert text.returncode == 0, text.stderr
    assert "折算得分：82" in text.stdout and "深绿" in text.stdout
    as_json = _gbstd("score", str(schema_file), str(source), "--format", "json")
    result = json.loads(as_json.stdout)
    assert result["normalized"] == 82 and published.problems("assessment-result", result) == []
    target = tmp_path / "report.html"
    html = _gbstd("score", str(schema_file), str(source), "--format", "html", "-o", str(target))
    assert html.returncode == 0 and "五、评价结论" in target.read_text(encoding="utf-8")


def test_cli_score_locates_bad_yaml_input(schema_file, tmp_path):
    source = tmp_path / "bad.yaml"
    source.write_text(
        (ROOT / "tests" / "fixtures" / "scoring" / "synthetic-project.yaml").read_text(encoding="utf-8")
        .replace("process: {status: scored, points: 4}", "process: {status: skipped}"), encoding="utf-8")
    run = _gbstd("score", str(schema_file), str(source))
    line = next(n for n, t in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if "skipped" in t)
    assert run.returncode == 1 and f"{source}:{line}: 错误 SCORE-021" in run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""


def test_cli_score_item_errors_exit_1_with_result(schema_file, tmp_path):
    doc = project(inputs={"C_0": 0, "C_1": 1})
    source = tmp_path / "zero.json"
    source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run = _gbstd("score", str(schema_file), str(source), "--format", "json")
    assert run.returncode == 1 and "除数为零" in run.stderr
    assert json.loads(run.stdout)["outcome"] == "incomplete"


def test_cli_batch_gives_one_record_per_input_line(schema_file, tmp_path):
    """6 lines, one bad JSON, one invalid assessment, one empty: 6 records, in order, each
    with its input line; failed lines give error records; the exit code says a line failed."""
    invalid = project()
    del invalid["$schema"]
    lines = [json.dumps(project(), ensure_ascii=False), "{not json",
             json.dumps(assessment("synthetic-enterprise.yaml"), ensure_ascii=False),
             json.dumps(invalid, ensure_ascii=False), "",
             json.dumps(project(inputs={"C_0": 0, "C_1": 1}), ensure_ascii=False)]
    source = tmp_path / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = _gbstd("score", str(schema_file), str(source), "--jsonl", "--format", "json")
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5, 6]
    assert [r.get("status") for r in records] == [None, "error", None, "error", "error", None]
    assert [r.get("normalized") for r in records] == [82, None, 77, None, None, None]
    assert records[5]["outcome"] == "incomplete"                 # items in error: still a result
    error = stock_validator("assessment-result", "batch-error")
    for record in records:
        if record.get("status") == "error":
            assert list(error.iter_errors(record)) == []
        else:
            assert published.problems("assessment-result", record) == []
    assert records[1]["errors"][0]["rule"] == "SCORE-020" and "JSON 语法错误" in records[1]["errors"][0]["message"]
    [missing] = records[3]["errors"]
    assert missing["rule"] == "SCORE-021" and "“$schema”" in missing["message"]
    assert published.url("assessment-input") in missing["hint"]
    assert records[4]["errors"][0]["message"] == "空行：没有评估输入"
    for line, rule in ((2, "SCORE-020"), (4, "SCORE-021"), (5, "SCORE-020"), (6, "SCORE-022")):
        assert f"{source}:{line}: 错误 {rule}" in run.stderr
    assert run.returncode == 1 and "Traceback" not in run.stderr
    summary = _gbstd("score", str(schema_file), str(source), "--jsonl")
    rows = [row.split("\t") for row in summary.stdout.splitlines()]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5", "6"]
    assert rows[0][2:5] == ["达到等级", "82", "深绿"] and rows[1][2] == "有误" and rows[1][5].startswith("SCORE-020")


def test_cli_batch_without_failures_exits_0(schema_file, tmp_path):
    source = tmp_path / "good.jsonl"
    source.write_text(json.dumps(project(), ensure_ascii=False) + "\n"
                      + json.dumps(assessment("synthetic-enterprise.yaml"), ensure_ascii=False) + "\n",
                      encoding="utf-8")
    target = tmp_path / "out.jsonl"
    run = _gbstd("score", str(schema_file), str(source), "--jsonl", "--format", "json", "-o", str(target))
    assert run.returncode == 0 and run.stderr == ""
    assert [json.loads(line)["line"] for line in target.read_text(encoding="utf-8").splitlines()] == [1, 2]


def test_cli_located_chinese_messages_in_yaml_and_json(schema_file, tmp_path):
    """SCORE-021: Chinese message with the JSON path, a hint naming the expected value, and the
    line of the offending key, in YAML and in JSON alike."""
    doc = project()
    del doc["$schema"]
    doc["aplicant"] = doc.pop("applicant")
    doc["responses"]["process"] = {"status": "skipped"}
    as_json = tmp_path / "bad.json"
    as_json.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    as_yaml = tmp_path / "bad.yaml"
    as_yaml.write_text("# 评估输入\n" + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for source in (as_json, as_yaml):
        run = _gbstd("score", str(schema_file), str(source))
        text = source.read_text(encoding="utf-8").splitlines()
        first_key = next(n for n, t in enumerate(text, 1) if not t.startswith(("#", "{")))
        lines = {key: next(n for n, t in enumerate(text, 1) if key in t) for key in ("aplicant", "skipped")}
        assert f"{source}:{first_key}: 错误 SCORE-021: 顶层 缺少必填的键 “$schema”" in run.stderr
        assert f"建议：补上 $schema: {published.url('assessment-input')}" in run.stderr
        assert f"{source}:{lines['aplicant']}: 错误 SCORE-021: 顶层 中有未知的键 “aplicant”" in run.stderr
        assert "是否想写 “applicant”？" in run.stderr
        assert f"{source}:{lines['skipped']}: 错误 SCORE-021: responses/process/status 的值 “skipped” 不是可选值" \
            in run.stderr
        assert "is a required property" not in run.stderr and "Additional properties" not in run.stderr
        assert run.returncode == 1 and run.stdout == ""


def test_cli_item_errors_are_errors_at_the_offending_line(schema_file, tmp_path):
    """SCORE-022 says error and exits 1, at the line of the input or response concerned."""
    source = tmp_path / "items.yaml"
    source.write_text(
        (ROOT / "tests" / "fixtures" / "scoring" / "synthetic-project.yaml").read_text(encoding="utf-8")
        .replace("  C_0: 0.50", "  C_0: {value: 0.50, unit: kg}")
        .replace("ip: {status: level, level: L2}", "ip: {status: level, level: L9}"), encoding="utf-8")
    run = _gbstd("score", str(schema_file), str(source), "--format", "json")
    text = source.read_text(encoding="utf-8").splitlines()
    unit_line = next(n for n, t in enumerate(text, 1) if "unit: kg" in t)
    level_line = next(n for n, t in enumerate(text, 1) if "L9" in t)
    assert f"{source}:{unit_line}: 错误 SCORE-022: “降碳效益”（carbon）未能评分" in run.stderr
    assert f"{source}:{level_line}: 错误 SCORE-022: “有效知识产权”（ip）未能评分" in run.stderr
    assert "warning" not in run.stderr and run.returncode == 1
    assert json.loads(run.stdout)["outcome"] == "incomplete"


def test_cli_score_refuses_unusable_files(tmp_path):
    missing = _gbstd("score", str(tmp_path / "none.json"), str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "无法读取评分模式" in missing.stderr
    not_schema = tmp_path / "x.json"
    not_schema.write_text("{}", encoding="utf-8")
    run = _gbstd("score", str(not_schema), str(tmp_path / "none.yaml"))
    assert run.returncode == 2 and "评分模式有误" in run.stderr and "Traceback" not in run.stderr


def test_units_of_every_item_follow_the_tree():
    emitted = synthetic()
    assert [u["id"] for u in semantic.units(emitted)] == \
        [i["id"] for i in Scorer(emitted).score(assessment("synthetic-enterprise.yaml"))["items"]]


def test_float_noise_does_not_move_a_metric_across_a_band_edge(scorer):
    # by hand: d = (0.5 − 0.4) / 0.5 × 100 = 20 exactly → band “min 20” → 10 points
    # (in binary floating point the quotient is 19.999999999999996)
    result = scorer.score(project(inputs={"C_0": 0.5, "C_1": 0.4}))
    assert items_of(result)["carbon"]["earned"] == 10
    assert {m["id"]: m["value"] for m in result["metrics"]}["d"] == 20
