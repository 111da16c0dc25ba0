"""Hostile YAML and JSON (issue #10, items 3, 4, 6, 7, 20, 23): located findings, never a crash or a hang.

Every YAML the toolchain reads goes through gbstd.source.yamlsafe; each test below feeds one
of the issue's inputs to one of its readers (front matter, directive body, comment round,
ballot, assessment) through the command a user runs.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from gbstd import cli, expressions
from gbstd.findings import Finding, SourceError
from gbstd.source import jsonsafe, reader, yamlsafe

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "fixtures" / "review" / "demo"
DOC = (ROOT / "tests" / "fixtures" / "hostile" / "formula-typos.md").read_text(encoding="utf-8")
HEAD, _ = DOC.split("## 4 计算")

# 1 KB of aliases, 9 levels: 9**9 = 387,420,489 nodes once expanded
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))


def load(text: str, first_line: int = 1):
    return yamlsafe.load(text, "x.yaml", first_line, "测试")


def error_of(text: str, first_line: int = 1) -> SourceError:
    with pytest.raises(SourceError) as caught:
        load(text, first_line)
    return caught.value


# ---------------------------------------------------------------- the loader itself

def test_billion_laughs_is_refused_at_the_first_alias():
    error = error_of(LAUGHS, first_line=10)
    assert (error.rule, error.line) == ("LIMIT-001", 11)


def test_a_few_aliases_still_work():
    data = load("base: &b {points: 5}\nitems:\n  - *b\n  - *b\n")
    assert data["items"] == [{"points": 5}, {"points": 5}]
    assert data["base"].lines == {"points": 1}     # shifted once, not once per alias


@pytest.mark.parametrize("text, line", [("a: " + "[" * 1000 + "]" * 1000, 1),
                                        ("x:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)), 64)])
def test_deep_nesting_is_a_located_limit(text, line):
    error = error_of(text)
    assert (error.rule, error.line) == ("LIMIT-001", line)


@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_integers_are_a_located_limit(digits):
    error = error_of("a: 1\nb: " + "9" * digits + "\n")
    assert (error.rule, error.line) == ("LIMIT-001", 2)


def test_yaml_1_2_core_schema_keeps_text_as_written():
    data = load("line_no: 0017\nphone: 01012345670\nid: 001\ntime: 12:30\nno: no\non: yes\n"
                "n: 17\nf: 1e3\nh: 0x1F\no: 0o17\nd: 2018-05-14\n")
    assert data == {"line_no": "0017", "phone": "01012345670", "id": "001", "time": "12:30",
                    "no": "no", "on": "yes", "n": 17, "f": 1000.0, "h": 31, "o": 15, "d": "2018-05-14"}


def test_a_number_field_reports_text_that_yaml_1_1_read_as_a_number():
    data = load("units: {sent: 0017}\n")
    fields = yamlsafe.Fields(data["units"], "x.yaml", 1, "units", ("sent",))
    with pytest.raises(SourceError) as caught:
        fields.count("sent")
    assert caught.value.line == 1 and "0017" in caught.value.message


@pytest.mark.parametrize("value", [".inf", "-.inf", ".nan", "2.5", "-3"])
def test_a_count_is_a_finite_whole_number(value):
    fields = yamlsafe.Fields(load(f"eligible: {value}\n"), "x.yaml", 1, "ballot", ("eligible",))
    with pytest.raises(SourceError):
        fields.count("eligible")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_do_not_shift_error_lines(char):
    error = error_of(f"a: x{char}y\nb: {char}\nc: [\n")
    assert error.line == 4       # the end of the text, after three \n
    assert load(f"a: x{char}y\n") == {"a": f"x{char}y"}


def test_a_finding_quoting_a_key_with_line_breaks_stays_on_one_line():
    finding = Finding("YAML-003", "error", "x.yaml", 3, "未知的键 “a\nb\u2028c”", "提示\r")
    first, hint = finding.format().split("\n")
    assert "a\\nb\\u2028c" in first and hint.endswith("提示\\r")


# ---------------------------------------------------------------- expressions and JSON

@pytest.mark.parametrize("text", ["-" * 2000 + "1", "+".join(["a"] * 1000), "(" * 400 + "a" + ")" * 400,
                                  "9" * 400, "1" * 5000])
def test_expression_limits_are_errors_not_recursion(text):
    with pytest.raises(expressions.ExpressionError):
        expressions.parse(text)


@pytest.mark.parametrize("text", ['{"a": ' + "9" * 400 + "}", '{"a": ' + "9" * 5000 + "}",
                                  "[" * 100_000 + "]" * 100_000, '{"a": NaN}', '{"a": 1e999}'])
def test_json_limits(text):
    with pytest.raises(jsonsafe.LimitError):
        jsonsafe.loads(text)


def test_json_within_limits_reads_as_usual():
    assert jsonsafe.loads('{"a": [1, 2.5, "x\\"]"], "b": {"c": null}}') == {"a": [1, 2.5, 'x"]'], "b": {"c": None}}


# ---------------------------------------------------------------- through the commands

def _run(capsys, *args) -> tuple[int, str]:
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_check_refuses_laughs_in_front_matter_and_directive_bodies(tmp_path, capsys):
    front = HEAD.replace("drafting_rules:", LAUGHS + "drafting_rules:", 1)
    (tmp_path / "front.md").write_text(front + "## 4 计算\n\n正文。\n", encoding="utf-8")
    body = HEAD + "## 4 计算\n\n```{formula} 1\nlatex: x = 1\nrestored: r\nsymbols:\n" \
        + "".join("  " + line + "\n" for line in ["- {symbol: x, meaning: m}"]) + "```\n\n```{indicator-table} 1\n" \
        + ":caption: 表\n\n" + LAUGHS + "```\n"
    (tmp_path / "body.md").write_text(body, encoding="utf-8")
    code, out = _run(capsys, "check", str(tmp_path))
    assert code == 1 and "Traceback" not in out
    assert "body.md:37: 错误 LIMIT-001" in out     # the first alias of the table body
    assert "front.md:8: 错误 LIMIT-001" in out      # b: &b [*a, …], line 8


@pytest.mark.parametrize("what, line", [("heading", 24), ("list", 28), ("formula", 26)])
def test_numbers_longer_than_python_reads_are_a_located_limit(tmp_path, what, line):
    big = "9" * 5000
    body = {"heading": f"## {big} 计算\n\n正文。\n",
            "list": f"## 4 计算\n\n要求如下：\n\n{big}) 第一项；\n",
            "formula": f"## 4 计算\n\n```{{formula}} {big}\nlatex: x = 1\n```\n"}[what]
    path = tmp_path / "big.md"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        reader.read(path)
    assert (caught.value.rule, caught.value.line) == ("LIMIT-001", line)


@pytest.fixture()
def demo(tmp_path) -> Path:
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo"


def test_comment_export_refuses_laughs(demo, capsys):
    record = demo / "comments" / "zq-01.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "extra:\n" + "".join("  " + l + "\n" for l in LAUGHS.splitlines()),
                      encoding="utf-8")
    code, out = _run(capsys, "comments", "export", str(record), str(demo / "out.xlsx"))
    assert code == 2 and "LIMIT-001" in out and "Traceback" not in out
    assert not (demo / "out.xlsx").exists()


def test_comment_text_fields_keep_leading_zeros(demo, capsys):
    record = demo / "comments" / "zq-01.yaml"
    text = record.read_text(encoding="utf-8").replace("  - id: C-001\n", "  - id: 001\n    line_no: 0017\n", 1)
    record.write_text(text, encoding="utf-8")
    out = demo / "out.csv"
    code, _ = _run(capsys, "comments", "export", str(record), str(out), "--plain")
    assert code == 0
    written = out.read_text(encoding="utf-8-sig")
    assert "001" in written and "0017" in written


@pytest.mark.parametrize("edit, line", [("eligible: 4", "eligible: 4.5"), ("eligible: 4", "eligible: .inf"),
                                        ("rule: gb-1990", "rule: {approve: 1e-999999999}"),
                                        ("rule: gb-1990", "rule: {approve: '1e-999999999'}")])
def test_ballot_numbers_that_crashed_or_hung_are_findings(demo, capsys, edit, line):
    record = demo / "ballots" / "hs-01.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace(edit, line), encoding="utf-8")
    code, out = _run(capsys, "ballot", "tally", str(record))
    assert "Traceback" not in out and "内部错误" not in out
    if "approve: 1e" in line and "'" not in line:
        assert code in (0, 1)        # YAML 1.2 reads it as the number 0.0: a valid ratio
    else:
        assert code == 2 and "hs-01.yaml:" in out


@pytest.fixture(scope="module")
def scoring_schema(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("schema") / "ge.json"
    assert cli.main(["schema", str(ROOT / "standards" / "green-enterprise" / "standard.md"), "-o", str(out)]) == 0
    return out


@pytest.mark.parametrize("text", ['{"a": ' + "9" * 400 + "}", '{"a": ' + "9" * 5000 + "}",
                                  '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"])
def test_score_reports_limits_in_one_assessment(tmp_path, capsys, scoring_schema, text):
    path = tmp_path / "a.json"
    path.write_text(text, encoding="utf-8")
    code, out = _run(capsys, "score", str(scoring_schema), str(path))
    assert code == 1 and "a.json:1: 错误 LIMIT-001" in out and "Traceback" not in out


def test_score_refuses_laughs_in_yaml(tmp_path, capsys, scoring_schema):
    path = tmp_path / "a.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    code, out = _run(capsys, "score", str(scoring_schema), str(path))
    assert code == 1 and "a.yaml:2: 错误 LIMIT-001" in out


def test_score_jsonl_gives_each_bad_line_its_record_and_goes_on(tmp_path, capsys, scoring_schema):
    good = (ROOT / "tests" / "fixtures" / "scoring" / "green-enterprise-b1.yaml")
    assessment = yamlsafe.load(good.read_text(encoding="utf-8"), str(good), 1, "x")
    lines = ['{"a": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000, "not json",
             json.dumps(assessment, ensure_ascii=False)]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code = cli.main(["score", "--jsonl", "--format", "json", str(scoring_schema), str(path), "-o", str(out)])
    capsys.readouterr()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 1 and [r["line"] for r in records] == [1, 2, 3, 4]
    assert [r.get("status") for r in records[:3]] == ["error"] * 3
    assert records[0]["errors"][0]["rule"] == "LIMIT-001"
    assert records[3].get("status") != "error"
