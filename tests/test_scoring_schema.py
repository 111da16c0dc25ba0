"""Scoring schemas: the published JSON Schemas, the writer, the semantic checks, the build step."""
from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from scoring_support import FIXTURES, ROOT, SYNTHETIC, assessment, schema, stock_validator, synthetic
from gbstd.source import reader
from gbstd.cli import main
from gbstd.commands.schema import build_schemas
from gbstd.findings import SourceError
from gbstd.scoring import Scorer, published, semantic, writer

CORPUS_TABLES = [("green-enterprise", "green-enterprise"), ("gbt-36132", "gbt-36132"),
                 ("green-logistics", "green-logistics-enterprise"),
                 ("green-logistics", "green-logistics-project"),
                 ("sz-green-industry-guide", "sz-green-industry-example")]


# ---------------------------------------------------------------- published JSON Schemas


@pytest.mark.parametrize("name", published.NAMES)
def test_published_schema_is_valid_2020_12_with_versioned_id(name):
    document = json.loads((ROOT / "toolchain" / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    version = published.VERSIONS[name]
    major_minor = ".".join(version.split(".")[:2])
    assert document["$id"] == published.url(name) == \
        f"https://gbstd.example.org/schemas/{name}/{major_minor}/{name}.json"
    # the full version the package writes is one the schema accepts, and only that major.minor
    version_schema = document["properties"]["schema_version"]
    pattern = (document["$defs"]["format-version"] if "$ref" in version_schema else version_schema)["pattern"]
    assert re.fullmatch(pattern, version) and re.fullmatch(pattern, f"{major_minor}.7")
    assert not re.fullmatch(pattern, "1.9.0")
    # instances must name exactly this schema
    assert document["properties"]["$schema"] == {"const": document["$id"]}


def test_format_checking_is_on():
    bad = assessment("synthetic-project.yaml") | {"date": "2025-02-30"}
    assert any("date" in e.message for e in stock_validator("assessment-input").iter_errors(bad))


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".yaml", ".json")))
def test_every_example_assessment_is_valid(name):
    errors = list(stock_validator("assessment-input").iter_errors(assessment(name)))
    assert errors == []


BREAKS = {
    "missing applicant": lambda d: d.pop("applicant"),
    "impossible date": lambda d: d.update(date="2025-02-30"),
    "scored without points": lambda d: d["responses"].update(ip={"status": "scored"}),
    "unknown key": lambda d: d.update(extra=1),
    "bad input name": lambda d: d["inputs"].update({"1bad": 3}),
    "unknown status": lambda d: d["responses"].update(ip={"status": "skipped"}),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_runtime_validation_agrees_with_stock_jsonschema(name):
    """The scorer validates with jsonschema-rs for speed; it must find what stock jsonschema finds."""
    doc = assessment("synthetic-project.yaml")
    BREAKS[name](doc)
    stock = {"/".join(map(str, e.absolute_path)) or "（顶层）"
             for e in stock_validator("assessment-input").iter_errors(doc)}
    assert stock and stock == {p.where for p in published.problems("assessment-input", doc)}


def test_validation_problems_are_chinese_with_path_hint_and_key():
    doc = assessment("synthetic-project.yaml")
    del doc["$schema"]
    doc.update(schema_version="2", date="2025-02-30", aplicant={"name": "x"}, variant=3)
    doc["scoring_schema"]["id"] = 1
    doc["responses"]["ip"] = {"status": "skipped"}
    doc["inputs"].update({"1bad": 3, "C_1": {"value": 1, "unti": "t"}})
    found = {p.where + " " + p.message: p for p in published.problems("assessment-input", doc)}
    expected = {
        "（顶层） 顶层 缺少必填的键 “$schema”": f"补上 $schema: {published.url('assessment-input')}",
        "（顶层） 顶层 中有未知的键 “aplicant”": "是否想写 “applicant”？",
        "schema_version schema_version 的值 “2” 写法不对": 'schema_version 应为："1.0.0"（带引号的文本）',
        "date date 的值 “2025-02-30” 不是有效的日期": "date 应为：日历上存在的日期，写成 YYYY-MM-DD，如 2025-06-30",
        "variant variant 应为文本或空值（null 或 ~），实际为数值 3": "variant 应为：文本或空值（null 或 ~）",
        "scoring_schema/id scoring_schema/id 应为文本，实际为数值 1": "id 应为：文本",
        "responses/ip/status responses/ip/status 的值 “skipped” 不是可选值":
            "status 应为：pass、fail、level、scored、computed、not-applicable、not-assessed 之一",
        "inputs inputs 中的键 “1bad” 不合规则": "键应为以字母或下划线开头、由字母、数字和下划线组成的编号，如 C_0",
        "inputs/C_1 inputs/C_1 中有未知的键 “unti”": "是否想写 “unit”？",
    }
    assert {text: p.hint for text, p in found.items()} == expected
    # the key a problem is located by: an unknown key itself, else the value's own key
    assert found["（顶层） 顶层 中有未知的键 “aplicant”"].located == ("aplicant",)
    assert found["inputs inputs 中的键 “1bad” 不合规则"].located == ("inputs", "1bad")
    assert found["（顶层） 顶层 缺少必填的键 “$schema”"].located == ()


def test_docs_batch_error_record_is_valid():
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    record = json.loads(text.split("**Batches**", 1)[1].split("```\n", 2)[1])
    assert record["status"] == "error" and list(stock_validator("assessment-result", "batch-error")
                                                .iter_errors(record)) == []


def test_cli_schema_of_a_missing_file_says_so_in_chinese(tmp_path, capsys):
    assert main(["schema", str(tmp_path / "none.md")]) == 2
    assert f"gbstd schema: 找不到文件：{tmp_path / 'none.md'}" in capsys.readouterr().err


def test_docs_examples_are_valid():
    """Every ```json block of docs/scoring.md names a published schema and is valid against it."""
    text = (ROOT / "docs" / "scoring.md").read_text(encoding="utf-8")
    blocks = [json.loads(b.split("```", 1)[0]) for b in text.split("```json\n")[1:]]
    by_name = {}
    for block in blocks:
        name = block["$schema"].rsplit("/", 1)[1].removesuffix(".json")
        assert list(stock_validator(name).iter_errors(block)) == [], block["$schema"]
        by_name[name] = block
    assert sorted(by_name) == sorted(published.NAMES)
    assert semantic.check(by_name["scoring-schema"]) == []
    # the documented result is what the scorer makes of the documented input
    result = Scorer(by_name["scoring-schema"]).score(by_name["assessment-input"])
    for key in ("generator",):
        result.pop(key), by_name["assessment-result"].pop(key)
    assert result == by_name["assessment-result"]


# ---------------------------------------------------------------- emitted schemas


@pytest.mark.parametrize("slug,table_id", CORPUS_TABLES)
def test_corpus_schema_valid_and_semantically_clean(slug, table_id):
    emitted = schema(slug, table_id)
    assert list(stock_validator("scoring-schema").iter_errors(emitted)) == []
    assert [p for p in semantic.check(emitted) if p.severity == "error"] == []
    assert emitted["$schema"] == published.url("scoring-schema")
    assert emitted["generator"] == {"name": "gbstd", "version": published.GENERATOR["version"]}
    assert emitted["schema_version"] == "1.0.0"


def test_synthetic_schema_valid_and_semantically_clean():
    emitted = synthetic()
    assert list(stock_validator("scoring-schema").iter_errors(emitted)) == []
    assert semantic.check(emitted) == []


def test_green_enterprise_table_b1():
    emitted = schema("green-enterprise", "green-enterprise")
    units = semantic.units(emitted)
    assert len(units) == 35
    assert [n["points"] for n in emitted["indicators"]] == [20] * 5
    assert emitted["scoring"] == {"total": 100, "normalization": "none", "scale": 100,
                                  "rounding": {"digits": 2, "mode": "half-up"}}
    # B.1 gives no criteria: every item is scored by the assessor, metrics shown where a formula applies
    assert {u["method"]["kind"] for u in units} == {"manual"}
    by_id = {u["id"]: u for u in units}
    assert by_id["energy_intensity"]["method"] == {"kind": "manual", "metric": "n"}
    assert emitted["standard"]["source"]["path"] == "standards/green-enterprise/standard.md"
    assert emitted["gates"] == [] and emitted["grades"] == []


def test_symbol_reused_for_two_quantities_is_qualified_by_formula():
    """S is 总新鲜水耗 in A.3 and 关键工序数量 in A.7; N and A are the same quantity everywhere."""
    emitted = schema("green-enterprise", "green-enterprise")
    metrics = {m["id"]: m for m in emitted["metrics"]}
    inputs = {i["id"]: i for i in emitted["inputs"]}
    assert metrics["s_A3"]["expr"] == "S_A3 / A" and metrics["s_A3"]["formula"] == "A.3"
    assert metrics["s_A7"]["expr"] == "S_A7 / G * 100"
    assert inputs["S_A3"]["unit"] == "吨（t）" and inputs["S_A7"]["unit"] == "个"
    assert "S" not in inputs and "s" not in metrics
    assert inputs["A"]["used_by"] == ["n", "s_A3", "w"]
    # N is written 吨标准煤 in A.1 and 吨标准煤（tce） in A.2: one input, every spelling accepted
    assert inputs["N"]["used_by"] == ["k", "n"]
    assert set(inputs["N"]["unit_aliases"]) == {"吨标准煤", "吨标准煤（tce）", "tce"}
    # Σ over the pollutants: a list input
    assert inputs["W_n"]["type"] == "number-list" and inputs["A"]["type"] == "number"


def test_unscorable_items_say_so_instead_of_inventing_points():
    emitted = schema("gbt-36132", "gbt-36132")
    units = semantic.units(emitted)
    assert units and all(u["points"] is None and u["method"]["kind"] == "unscorable" for u in units)
    assert all("X %" in u["method"]["reason"] for u in units)
    assert {m["id"] for m in emitted["metrics"]} >= {"R", "r", "n", "K_w"}
    assert emitted["standard"]["edition"] == "2018" and emitted["standard"]["stage"] == "发布稿"


def test_logistics_gates_aspects_and_parent_framework():
    emitted = schema("green-logistics", "green-logistics-enterprise")
    assert [g["id"] for g in emitted["gates"]] == ["catalog", "technical"]
    assert all(g["effect"] == "disqualify" and g["requirement"] == "mandatory" for g in emitted["gates"])
    assert [g["min"] for g in emitted["grades"]] == [85, 70, 60]
    # 先进性 has 20 points and sub-indicators without points: one item, its sub-indicators as aspects
    advance = next(u for u in semantic.units(emitted) if u["id"] == "advance")
    assert advance["points"] == 20 and [a["id"] for a in advance["aspects"]] == \
        ["advance-ip", "advance-std", "advance-key"]
    assert sum(u["points"] for u in semantic.units(emitted)) == 100
    conforms = emitted["conforms_to"]
    assert conforms["standard"]["slug"] == "sz-green-industry-guide"
    assert conforms["constraints"] == [{"kind": "min-share", "titles": ["技术表现", "业务表现", "行业表现"],
                                        "ids": ["tech", "business"], "min": 0.7, "obligation": "shall"}]
    project = schema("green-logistics", "green-logistics-project")
    assert project["scoring"]["normalization"] == "applicable"
    assert [(g["code"], g["min"]) for g in project["grades"]] == [("dark", 80), ("mid", 60), ("light", 0)]


def test_synthetic_methods_and_variants():
    emitted = synthetic()
    methods = {u["id"]: u["method"] for u in semantic.units(emitted)}
    assert methods["ip"]["kind"] == "levels" and [lv["code"] for lv in methods["ip"]["levels"]] == ["L1", "L2"]
    assert methods["resource"] == {"kind": "boolean", "metric": "u", "criterion": "废弃物综合利用率不低于 90%"}
    assert methods["carbon"]["kind"] == "bands" and methods["carbon"]["metric"] == "d"
    project = next(v for v in emitted["variants"] if v["id"] == "project")
    assert project["exclude"] == ["business", "social"] and project["normalization"] == "applicable"
    ghg = next(u for u in semantic.units(emitted) if u["id"] == "ghg")
    assert ghg["requirement"] == "mandatory"        # its own 必选 beats the group's 可选


# ---------------------------------------------------------------- semantic checks


def _rules(emitted: dict) -> set[str]:
    return {p.rule for p in semantic.check(emitted)}


def test_semantic_duplicate_id():
    emitted = synthetic()
    emitted["gates"][1]["id"] = "catalog"
    assert "SCORE-010" in _rules(emitted)


def test_semantic_sum_mismatch():
    emitted = synthetic()
    semantic.units(emitted)[0]["points"] = 7
    assert "SCORE-011" in _rules(emitted)


def test_semantic_total_mismatch():
    emitted = synthetic()
    emitted["scoring"]["total"] = 90
    assert "SCORE-011" in _rules(emitted)


def test_semantic_levels_above_points():
    emitted = synthetic()
    ip = next(u for u in semantic.units(emitted) if u["id"] == "ip")
    ip["method"]["levels"][0]["points"] = 9
    assert "SCORE-012" in _rules(emitted)


def test_semantic_unresolved_references():
    emitted = synthetic()
    next(u for u in semantic.units(emitted) if u["id"] == "carbon")["method"]["metric"] = "nowhere"
    emitted["variants"][1]["exclude"].append("ghost")
    problems = [p for p in semantic.check(emitted) if p.rule == "SCORE-013"]
    assert {p.id for p in problems} == {"carbon", "project"}


def test_semantic_formula_cycle():
    emitted = synthetic()
    d = next(m for m in emitted["metrics"] if m["id"] == "d")
    u = next(m for m in emitted["metrics"] if m["id"] == "u")
    d["expr"], d["depends_on"] = "u + C_0", ["C_0", "u"]
    u["expr"], u["depends_on"] = "d * 2", ["d"]
    assert any(p.rule == "SCORE-014" and "d → u → d" in p.message for p in semantic.check(emitted))


def test_semantic_parent_share():
    emitted = synthetic()
    emitted["conforms_to"]["constraints"][0]["min"] = 0.8     # tech 40 + business 30 = 70 %
    assert any(p.rule == "SCORE-016" and p.severity == "error" for p in semantic.check(emitted))


GROWTH_14 = ("{id: growth, no: 5, name: 发展能力, points: 15}", "{id: growth, no: 5, name: 发展能力, points: 14}")


def broken_synthetic(folder: Path, old: str, new: str) -> tuple[Path, list[str]]:
    """A copy of the synthetic standard with one change, at folder/logistics/standard.md."""
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert old in text
    source = folder / "logistics" / "standard.md"
    source.parent.mkdir(parents=True)
    source.write_text(text.replace(old, new), encoding="utf-8")
    return source, text.replace(old, new).splitlines()


def line_with(lines: list[str], needle: str) -> int:
    return next(n for n, text in enumerate(lines, 1) if needle in text)


def test_writer_reports_bands_without_metric_at_its_line(tmp_path):
    source, lines = broken_synthetic(tmp_path, "            metric: A.1\n", "")
    with pytest.raises(SourceError) as caught:
        writer.checked_schemas(reader.read(source))
    assert caught.value.rule == "SCORE-003" and caught.value.line == line_with(lines, "id: carbon")


def test_writer_reports_semantic_errors_located(tmp_path):
    source, lines = broken_synthetic(tmp_path, *GROWTH_14)
    with pytest.raises(SourceError) as caught:
        writer.checked_schemas(reader.read(source))
    assert caught.value.rule == "SCORE-011" and caught.value.line == line_with(lines, "id: business")
    assert "合计 29" in caught.value.message


# ---------------------------------------------------------------- build step and CLI


def test_build_step_is_deterministic_and_complete(tmp_path):
    args = argparse.Namespace()
    assert build_schemas(ROOT, tmp_path / "a", args) and build_schemas(ROOT, tmp_path / "b", args)
    first = {p.name: p.read_bytes() for p in (tmp_path / "a" / "schemas").iterdir()}
    second = {p.name: p.read_bytes() for p in (tmp_path / "b" / "schemas").iterdir()}
    assert first == second
    index = json.loads(first["index.json"])
    listed = [e["file"] for e in index["schemas"]] + [e["vectors"] for e in index["schemas"]]
    assert sorted(listed) == sorted(set(first) - {"index.json"})
    assert all(e["vectors"] == e["file"].removesuffix(".json") + ".vectors.json" for e in index["schemas"])
    assert {f"{slug}-{table}.json" for slug, table in CORPUS_TABLES} <= set(first)
    assert not list((tmp_path / "a").glob(".*tmp"))
    assert not any(re.search(rb"\d{4}-\d\d-\d\d[T ]\d\d:", data) for data in first.values())  # no timestamps


def test_build_step_failure_leaves_previous_output(tmp_path):
    root = tmp_path / "project"
    broken_synthetic(root / "standards", *GROWTH_14)
    out = tmp_path / "out"
    (out / "schemas").mkdir(parents=True)
    (out / "schemas" / "old.json").write_text("{}", encoding="utf-8")
    assert build_schemas(root, out, argparse.Namespace()) is False
    assert [p.name for p in (out / "schemas").iterdir()] == ["old.json"]
    assert not (out / ".schemas.tmp").exists()


def _gbstd(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", *args], capture_output=True, text=True, cwd=ROOT)


def test_cli_schema_writes_the_same_bytes_as_the_build(tmp_path):
    target = tmp_path / "ge.json"
    run = _gbstd("schema", "standards/green-enterprise/standard.md", "-o", str(target))
    assert run.returncode == 0, run.stderr
    assert target.read_text(encoding="utf-8") == published.dumps(schema("green-enterprise", "green-enterprise"))


def test_cli_schema_asks_which_table():
    run = _gbstd("schema", "standards/green-logistics/standard.md")
    assert run.returncode == 2 and "E.1" in run.stderr and "--table" in run.stderr
    run = _gbstd("schema", "standards/green-logistics/standard.md", "--table", "E.2")
    assert run.returncode == 0 and json.loads(run.stdout)["id"] == "green-logistics-project"


def test_cli_schema_reports_located_error(tmp_path):
    source, _ = broken_synthetic(tmp_path, *GROWTH_14)
    run = _gbstd("schema", str(source), "-o", str(tmp_path / "out.json"))
    assert run.returncode == 1 and f"{source}:" in run.stderr and "SCORE-011" in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "out.json").exists()


def test_formula_problems_are_located_at_the_formula(tmp_path):
    # the expression names a symbol the 式中 list does not give
    source, lines = broken_synthetic(tmp_path, "expr: sum(U_i) / W * 100", "expr: sum(U_i) / W * 100 + V")
    with pytest.raises(SourceError) as caught:
        writer.checked_schemas(reader.read(source))
    assert caught.value.rule == "SCORE-013" and "“V”" in caught.value.message
    assert caught.value.line == line_with(lines, "{formula} A.2")
