"""gbstd score: score assessments against a scoring schema (the reference scorer).

The output format is ``--format``, else the suffix of ``-o`` (.json, .html,
.pdf), else the text summary. Exit codes: 0 scored; 1 an assessment was
invalid or an item could not be scored (the result says which and why); 2
could not run (unreadable files, a schema with errors, a PDF that could not
be typeset or written).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from .. import yamlsafe
from ..findings import Finding, SourceError
from ..scoring import AssessmentError, SchemaError, Scorer, published, report
from .schema import write_output


FORMATS = ("json", "text", "html", "pdf")
FORMAT_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".pdf": "pdf"}


class _Unusable(Exception):
    """A file that cannot be used at all; the message says why."""


def load_scorer(path: Path) -> Scorer:
    try:
        data = path.read_bytes()
        schema = json.loads(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Unusable(f"{path}: 无法读取评分模式：{exc}") from None
    try:
        return Scorer(schema, sha256=hashlib.sha256(data).hexdigest())
    except SchemaError as exc:
        raise _Unusable(f"{path}: {exc}") from None
    except (KeyError, TypeError, AttributeError):
        raise _Unusable(f"{path}: 不是评分模式文件（用 gbstd schema 生成）") from None


def load_assessment(path: Path, text: str):
    """JSON or YAML (by extension; YAML keeps line numbers for error messages)."""
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceError(str(path), exc.lineno, "SCORE-020", f"JSON 语法错误：{exc.msg}",
                              "检查逗号、引号和括号") from None
    return yamlsafe.load(text, str(path), 1, "评估输入")


def _line_of(data, where: str) -> int:
    """The source line of a JSON path such as ``responses/S1/status`` in YAML input (1 if unknown)."""
    line = 1
    for part in where.split("/"):
        if isinstance(data, dict) and part in data:
            line = yamlsafe.line_of(data, part, line)
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            break
    return line


def _score(scorer: Scorer, assessment, path: str, line: int | None = None) -> tuple[dict | None, list[Finding]]:
    """The result, or the located problems that keep the assessment from being scored."""
    if not isinstance(assessment, dict):
        return None, [Finding("SCORE-021", "error", path, line or 1, "评估输入应是一个对象（键: 值）",
                              "参照 docs/scoring.md 中的示例")]
    try:
        result = scorer.score(assessment)
    except AssessmentError as exc:
        findings = []
        for problem in exc.problems:
            where = problem.split(": ", 1)[0] if ": " in problem else ""
            findings.append(Finding("SCORE-021", "error", path, line or _line_of(assessment, where), problem,
                                    "参照 docs/scoring.md 中的评估输入格式"))
        return None, findings
    invalid = published.problems("assessment-result", result)
    if invalid:
        raise RuntimeError(f"评分结果不符合已发布的 JSON Schema：{invalid[:3]}")
    return result, []


def _item_findings(result: dict, path: str, line: int | None) -> list[Finding]:
    return [Finding("SCORE-022", "warning", path, line or 1, f"“{i['title']}”（{i['id']}）：{i['message']}", "")
            for i in result["gates"] + result["items"] if i["status"] == "error"]


def _render(scorer: Scorer, result: dict, fmt: str) -> str:
    if fmt == "json":
        return published.dumps(result)
    if fmt == "html":
        return report.render_html(scorer.schema, result)
    return report.render_text(scorer.schema, result)


def run(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    fmt = args.format or FORMAT_BY_SUFFIX.get(output.suffix.lower() if output else "", "text")
    if fmt == "pdf" and output is None:
        print("gbstd score: PDF 评价报告需要用 -o 指定输出文件", file=sys.stderr)
        return 2
    try:
        scorer = load_scorer(Path(args.schema))
        path = Path(args.assessment)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Unusable(f"{path}: 无法读取评估输入：{exc}") from None
    except _Unusable as exc:
        print(f"gbstd score: {exc}", file=sys.stderr)
        return 2
    if args.jsonl:
        if fmt in ("html", "pdf"):
            print("gbstd score: --jsonl 只能输出 json 或 text", file=sys.stderr)
            return 2
        chunks, findings = _batch(scorer, path, text, fmt)
    else:
        try:
            result, findings = _score(scorer, load_assessment(path, text), str(path))
        except SourceError as error:
            result, findings = None, [error.as_finding()]
        if result and fmt == "pdf":
            try:
                report.render_pdf(scorer.schema, result, output, str(path))
            except SourceError as error:
                print(error.as_finding().format(), file=sys.stderr)
                return 2
        chunks = [_render(scorer, result, fmt)] if result and fmt != "pdf" else []
        if result:
            findings += _item_findings(result, str(path), None)
    if output and chunks:
        write_output(output, "".join(chunks))
    else:
        sys.stdout.write("".join(chunks))
    for finding in findings:
        print(finding.format(), file=sys.stderr)
    return 1 if findings else 0


def _batch(scorer: Scorer, path: Path, text: str, fmt: str) -> tuple[list[str], list[Finding]]:
    """One assessment per line; one result (compact JSON or a summary line) per scored line."""
    chunks, findings = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            assessment = json.loads(line)
        except json.JSONDecodeError as exc:
            findings.append(Finding("SCORE-020", "error", str(path), number, f"JSON 语法错误：{exc.msg}",
                                    "每行一个完整的 JSON 对象"))
            continue
        result, problems = _score(scorer, assessment, str(path), number)
        findings += problems
        if result:
            findings += _item_findings(result, str(path), number)
            chunks.append(json.dumps(result, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"
                          if fmt == "json" else report.summary_line(result) + "\n")
    return chunks, findings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", help="按评分模式为评估输入计分（参考评分器）")
    parser.add_argument("schema", help="评分模式 JSON（gbstd schema 或 gbstd build 生成）")
    parser.add_argument("assessment", help="评估输入（JSON 或 YAML；--jsonl 时每行一个 JSON）")
    parser.add_argument("--jsonl", action="store_true", help="批量：每行一个评估输入，每行输出一个结果")
    parser.add_argument("--format", choices=FORMATS,
                        help="json：结果文档；text：摘要；html、pdf：评价报告"
                             "（默认按 -o 的扩展名 .json/.html/.pdf，否则为 text）")
    parser.add_argument("-o", "--output", help="写入文件（默认标准输出；pdf 必须指定）")
    parser.set_defaults(func=run)
