"""Fuzzing the readers (issue #10): generated and mutated input never gives a traceback.

Every reader of outside input is driven with generated text: front matter, directive bodies,
formula LaTeX and expressions, whole documents, assessments, comment rounds, CSV and XLSX
comment tables, ballots. Each must either read the input or raise SourceError with a file
and a line (a finding); commands exit 0, 1 or 2; a failed run leaves its output as it was.

Fixed seed (``derandomize=True``) and a size CI affords. A longer run::

    GBSTD_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest tests/test_fuzz.py -q

(see tests/README.md).
"""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gbstd import cli, expressions
from gbstd.findings import SourceError
from gbstd.review import tables
from gbstd.review.ballots import load_ballot, tally
from gbstd.review.comments import load_round
from gbstd.source import formulas, indicators, jsonsafe, mathcheck, metadata, reader, yamlsafe
from gbstd.writers.mathml import MathError, to_mathml

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "fixtures" / "review" / "demo"
DOC = (ROOT / "tests" / "fixtures" / "hostile" / "formula-typos.md").read_text(encoding="utf-8")
EXAMPLES = int(os.environ.get("GBSTD_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))

# Pieces hostile input is made of: YAML and Markdown syntax, LaTeX, numbers, odd characters.
PIECES = ["\n", " ", "  ", ":", ": ", "- ", "#", "&a ", "*a", "[", "]", "{", "}", ",", "'", '"', "|", ">",
          "!!python/object:os.system", "!!binary", "<<: ", "~", "null", "true", "no", "0017", "12:30", "1e3",
          ".inf", "9" * 60, "\u2028", "\x85", "\t", "\x00", "\\", "\\frac{", "\\left(", "^", "_", "$", "%",
          "```{formula}", "```{indicator-table} 1", "```", ":::", "## 4 要求", "### 4.1", "a) ", "1) ",
          "注：", "<script>", "{math}`x`", "id: ", "latex: ", "points: ", "children:", "indicators:",
          "name: ", "symbols:", "expr: ", "表", "应", "——", "（", "）", "\r"]
SOUP = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)


def located(error: SourceError) -> None:
    assert error.path and error.line >= 1 and error.rule and error.message


def reads_or_reports(read, *args):
    try:
        return read(*args)
    except SourceError as error:
        located(error)
        return None


# ---------------------------------------------------------------- sources

@FUZZ
@given(SOUP)
def test_yaml_loader(text):
    reads_or_reports(yamlsafe.load, text, "x.yaml", 3, "测试")


@FUZZ
@given(SOUP)
def test_front_matter(text):
    reads_or_reports(metadata.parse, f"---\n{text}\n---\n\n# 标题\n", "x.md")


@FUZZ
@given(SOUP)
def test_formula_bodies(text):
    reads_or_reports(formulas.parse, text, "x.md", 5, "1", 4)


@FUZZ
@given(SOUP)
def test_indicator_table_bodies(text):
    reads_or_reports(indicators.parse, text, "x.md", 5, "A.1", "表")


LATEX = st.lists(st.sampled_from(["x", "1", "^", "_", "{", "}", "\\frac", "\\left(", "\\right)", "\\sum",
                                  "\\text{", "<", "&", "\\\\", "\\begin{cases}", "\\end{cases}", " ", "\\input",
                                  "用地", "\\sqrt", "[", "]", "'", "%", "#", "\\mathrm{", "\\,", "9" * 30]),
                 max_size=30).map("".join)


@FUZZ
@given(st.one_of(LATEX, st.text(max_size=40)))
def test_formula_latex(latex):
    problem = mathcheck.problem(latex)
    assert isinstance(problem, str)
    if not problem:
        out = to_mathml(latex)
        assert "<script" not in out and "href" not in out


@FUZZ
@given(st.lists(st.sampled_from(["a", "b", "1", "2.5", "+", "-", "*", "/", "(", ")", ",", "min", "max", "sum",
                                 "9" * 40, " ", "×", "$"]), max_size=60).map("".join))
def test_expressions(text):
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError:
        return
    expressions.names(node)
    expressions.unparse(node)
    try:
        expressions.evaluate(node, {"a": 1.0, "b": 2.0})
    except expressions.EvaluationError:
        pass


@FUZZ
@given(SOUP, st.integers(min_value=0, max_value=len(DOC)))
def test_whole_documents(tmp_path_factory, soup, at):
    path = tmp_path_factory.mktemp("doc") / "standard.md"
    path.write_text(DOC[:at] + soup + DOC[at:], encoding="utf-8")
    doc = reads_or_reports(reader.read, path)
    if doc is not None:
        assert all(f.line >= 1 and f.path for f in doc.errors)


# ---------------------------------------------------------------- JSON and assessments

@FUZZ
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                              st.text(max_size=5)),
                    lambda children: st.one_of(st.lists(children, max_size=4),
                                               st.dictionaries(st.text(max_size=4), children, max_size=4)),
                    max_leaves=20).map(repr), )
def test_json_loader(text):
    try:
        jsonsafe.loads(text.replace("None", "null").replace("True", "true").replace("False", "false")
                       .replace("'", '"'))
    except ValueError:
        pass      # JSONDecodeError and LimitError are both ValueErrors with a message


@pytest.fixture(scope="module")
def scoring_schema(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("schema") / "ge.json"
    assert cli.main(["schema", str(ROOT / "standards" / "green-enterprise" / "standard.md"), "-o", str(out)]) == 0
    return out


ASSESSMENT = (ROOT / "tests" / "fixtures" / "scoring" / "green-enterprise-b1.yaml").read_text(encoding="utf-8")


@FUZZ
@given(SOUP, st.integers(min_value=0, max_value=len(ASSESSMENT)), st.sampled_from(["a.yaml", "a.json"]))
def test_assessments(tmp_path_factory, scoring_schema, soup, at, name):
    folder = tmp_path_factory.mktemp("score")
    path = folder / name
    path.write_text(ASSESSMENT[:at] + soup + ASSESSMENT[at:], encoding="utf-8")
    out = folder / "result.json"
    out.write_text("previous result\n", encoding="utf-8")
    code = cli.main(["score", str(scoring_schema), str(path), "-o", str(out)])
    assert code in (0, 1, 2)
    if code != 0:
        assert out.read_text(encoding="utf-8") in ("previous result\n",) or out.read_text(encoding="utf-8")


# ---------------------------------------------------------------- review records and tables

COMMENTS = (DEMO / "comments" / "zq-01.yaml").read_text(encoding="utf-8")
BALLOT = (DEMO / "ballots" / "hs-01.yaml").read_text(encoding="utf-8")


@FUZZ
@given(SOUP, st.integers(min_value=0, max_value=len(COMMENTS)))
def test_comment_rounds_and_their_export(tmp_path_factory, soup, at):
    folder = tmp_path_factory.mktemp("round")
    path = folder / "zq.yaml"
    path.write_text(COMMENTS[:at] + soup + COMMENTS[at:], encoding="utf-8")
    target = folder / "out.xlsx"
    target.write_bytes(b"previous export")
    code = cli.main(["comments", "export", str(path), str(target)])
    assert code in (0, 1, 2)
    if code != 0:
        assert target.read_bytes() == b"previous export"     # a failed run publishes nothing
    reads_or_reports(load_round, path)


@FUZZ
@given(SOUP, st.integers(min_value=0, max_value=len(BALLOT)))
def test_ballots(tmp_path_factory, soup, at):
    path = tmp_path_factory.mktemp("ballot") / "hs.yaml"
    path.write_text(BALLOT[:at] + soup + BALLOT[at:], encoding="utf-8")
    ballot = reads_or_reports(load_ballot, path)
    if ballot is not None:
        tally(ballot)


CSV_HEAD = "序号,章条编号,意见内容,提出单位,处理意见\n"


@FUZZ
@given(st.lists(st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=6), max_size=8))
def test_csv_tables(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text(CSV_HEAD + "\n".join(",".join(row) for row in rows), encoding="utf-8")
    result = reads_or_reports(tables.import_table, path)
    if result is not None:
        _, problems = result
        assert all(p.row >= 1 for p in problems)


@pytest.fixture(scope="module")
def xlsx_bytes(tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("xlsx") / "r.xlsx"
    assert cli.main(["comments", "export", str(DEMO / "comments" / "zq-01.yaml"), str(out)]) == 0
    return out.read_bytes()


@FUZZ
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=12),
       st.booleans())
def test_xlsx_tables(tmp_path_factory, xlsx_bytes, flips, inner):
    data = bytearray(xlsx_bytes)
    if inner:      # mutate the sheet XML inside a well-formed archive
        packed = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as out:
            for entry in packed.infolist():
                part = bytearray(packed.read(entry.filename))
                if entry.filename.startswith("xl/worksheets/") and part:
                    for position, value in flips:
                        part[position % len(part)] = value
                out.writestr(entry.filename, bytes(part))
        data = bytearray(buffer.getvalue())
    else:
        for position, value in flips:
            data[position % len(data)] = value
    path = tmp_path_factory.mktemp("xlsx") / "t.xlsx"
    path.write_bytes(bytes(data))
    reads_or_reports(tables.import_table, path)


def test_a_failed_check_run_changes_no_published_output(tmp_path, capsys):
    """gbstd build refuses a corpus with errors and leaves build/ as it was."""
    corpus = tmp_path / "project"
    shutil.copytree(ROOT / "standards", corpus / "standards")
    (corpus / "gbstd.toml").write_text("[project]\n", encoding="utf-8")
    published = corpus / "build" / "schemas"
    published.mkdir(parents=True)
    (published / "index.json").write_text("good", encoding="utf-8")
    doc = corpus / "standards" / "green-enterprise" / "standard.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\n```{formula}\nlatex: x^2^3\n```\n", encoding="utf-8")
    code = cli.main(["--project", str(corpus), "build", "--only", "schemas"])
    capsys.readouterr()
    assert code == 1
    assert (published / "index.json").read_text(encoding="utf-8") == "good"
