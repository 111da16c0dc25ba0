"""gbstd score: score assessments against a scoring schema (the reference scorer).

The output format is ``--format``, else the suffix of ``-o`` (.json, .html,
.pdf), else the text summary. With ``--jsonl`` every input line gives exactly
one output record, in order: the result with its ``line``, or for a line that
could not be scored ``{"line": n, "status": "error", "errors": [{rule,
message, hint}]}`` (text: one tab-separated line each, the line number first).

Exit codes: 0 scored; 1 an assessment (with --jsonl: any line) was invalid or
an item could not be scored (the result says which and why; every such
problem is an error on stderr, located at the offending key or batch line);
2 could not run (unreadable files, a schema with errors, a PDF that could not
be typeset or written).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

from ..source import jsonsafe, yamlsafe
from ..findings import Finding, SourceError
from ..scoring import AssessmentError, SchemaError, Scorer, published, report
from ..files import write_text


FORMATS = ("json", "text", "html", "pdf")
FORMAT_BY_SUFFIX = {".json": "json", ".html": "html", ".htm": "html", ".pdf": "pdf"}
JSON_ERRORS = {
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有用双引号括起的键（或多了一个逗号）",
    "Expecting ':' delimiter": "键后缺少冒号",
    "Expecting ',' delimiter": "缺少逗号",
    "Unterminated string starting at": "字符串缺少结束的引号",
    "Extra data": "JSON 值之后还有多余的内容",
    "Invalid control character at": "字符串中有控制字符（如未转义的换行）",
    "Invalid \\escape": "无效的转义（\\ 后只能跟 \" \\ / b f n r t u）",
}
QUOTED = re.compile(r"“([^”]+)”")


class _Unusable(Exception):
    """A file that cannot be used at all; the message says why."""


def load_scorer(path: Path) -> Scorer:
    try:
        data = path.read_bytes()
        schema = jsonsafe.loads(data)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, jsonsafe.LimitError) as exc:
        raise _Unusable(f"{path}: 无法读取评分模式：{_unreadable(exc)}") from None
    try:
        return Scorer(schema, sha256=hashlib.sha256(data).hexdigest())
    except SchemaError as exc:
        raise _Unusable(f"{path}: {exc}") from None
    except (KeyError, TypeError, AttributeError):
        raise _Unusable(f"{path}: 不是评分模式文件（用 gbstd schema 生成）") from None


def _unreadable(error: Exception) -> str:
    """Why a file could not be read, in Chinese."""
    if isinstance(error, json.JSONDecodeError):
        return f"JSON 语法错误（第 {error.lineno} 行第 {error.colno} 列）：{JSON_ERRORS.get(error.msg, error.msg)}"
    if isinstance(error, UnicodeDecodeError):
        return "不是 UTF-8 编码的文本"
    if isinstance(error, jsonsafe.LimitError):
        return str(error)
    for kind, reason in ((FileNotFoundError, "文件不存在"), (IsADirectoryError, "这是一个目录"),
                         (PermissionError, "没有读取权限")):
        if isinstance(error, kind):
            return reason
    return getattr(error, "strerror", None) or str(error)


def load_assessment(path: Path, text: str) -> tuple[object, object]:
    """The assessment (JSON or YAML, by extension) and the same data with key lines.

    JSON is YAML, so the safe YAML loader gives the key lines of a JSON file too;
    the values themselves come from the JSON parser (YAML 1.1 reads 1e5 as text).
    """
    if path.suffix.lower() != ".json":
        data = yamlsafe.load(text, str(path), 1, "评估输入")
        return data, data
    try:
        data = jsonsafe.loads(text)
    except json.JSONDecodeError as exc:
        raise _syntax_error(str(path), exc, exc.lineno, "检查逗号、引号和括号") from None
    except jsonsafe.LimitError as exc:
        raise _limit_error(str(path), exc, exc.line) from None
    try:
        keyed = yamlsafe.load(text, str(path), 1, "评估输入")
    except SourceError:
        keyed = None       # JSON that YAML cannot read (a tab before a key): lines unknown
    return data, keyed


def _limit_error(path: str, error: jsonsafe.LimitError, line: int) -> SourceError:
    return SourceError(path, line, "LIMIT-001", f"评估输入：{error}", "这不像正常的评估输入；上限见 docs/security.md")


def _syntax_error(path: str, error: json.JSONDecodeError, line: int, hint: str) -> SourceError:
    return SourceError(path, line, "SCORE-020",
                       f"JSON 语法错误（第 {error.colno} 列）：{JSON_ERRORS.get(error.msg, error.msg)}", hint)


def _line_of(keyed, path: tuple) -> int:
    """The source line of the deepest key of the JSON ``path`` found in ``keyed`` (the data
    with key lines); for the top level, the line of the first key; 1 when unknown."""
    lines = getattr(keyed, "lines", None)
    line = min(lines.values()) if lines else 1
    for part in path:
        if isinstance(keyed, dict) and str(part) in keyed:
            line = yamlsafe.line_of(keyed, str(part), line)
            keyed = keyed[str(part)]
        elif isinstance(keyed, list) and isinstance(part, int) and part < len(keyed):
            keyed = keyed[part]
        else:
            break
    return line


def _item_line(keyed, entry: dict) -> int:
    """Where an item or gate in error is answered: the input its message names, else its
    response, else (a computed item without one) the inputs."""
    given = keyed.get("inputs") if isinstance(keyed, dict) else None
    named = next((n for n in QUOTED.findall(entry["message"]) if isinstance(given, dict) and n in given), None)
    if named:
        return _line_of(keyed, ("inputs", named))
    answered = isinstance(keyed, dict) and entry["id"] in (keyed.get("responses") or {})
    return _line_of(keyed, ("inputs",) if "metric" in entry and not answered else ("responses", entry["id"]))


def _score(scorer: Scorer, assessment, keyed, path: str, line: int | None = None) -> tuple[dict | None, list[Finding]]:
    """The result and the located problems: why the assessment cannot be scored (SCORE-021),
    or which items could not be (SCORE-022). ``line`` is the assessment's line in a batch: it
    locates every problem and is carried in the result."""
    if not isinstance(assessment, dict):
        return None, [Finding("SCORE-021", "error", path, line or 1, "评估输入应是一个对象（键: 值）",
                              "参照 docs/scoring.md 中的示例")]
    try:
        result = scorer.score(assessment)
    except AssessmentError as exc:
        return None, sorted((Finding("SCORE-021", "error", path, line or _line_of(keyed, p.located), p.message,
                                     p.hint or "参照 docs/scoring.md 中的评估输入格式") for p in exc.problems),
                            key=lambda finding: finding.line)
    if line is not None:
        result["line"] = line
    invalid = published.problems("assessment-result", result)
    if invalid:
        raise RuntimeError(f"评分结果不符合已发布的 JSON Schema：{list(map(str, invalid[:3]))}")
    return result, [Finding("SCORE-022", "error", path, line or _item_line(keyed, entry),
                            f"“{entry['title']}”（{entry['id']}）未能评分：{entry['message']}",
                            "改正该项的答复或所需的输入后重新评分")
                    for entry in result["gates"] + result["items"] if entry["status"] == "error"]


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
            raise _Unusable(f"{path}: 无法读取评估输入：{_unreadable(exc)}") from None
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
            result, findings = _score(scorer, *load_assessment(path, text), str(path))
        except SourceError as error:
            result, findings = None, [error.as_finding()]
        if result and fmt == "pdf":
            try:
                report.render_pdf(scorer.schema, result, output, str(path))
            except SourceError as error:
                print(error.as_finding().format(), file=sys.stderr)
                return 2
        chunks = [_render(scorer, result, fmt)] if result and fmt != "pdf" else []
    if output and chunks:
        write_text(output, "".join(chunks))
    else:
        sys.stdout.write("".join(chunks))
    for finding in findings:
        print(finding.format(), file=sys.stderr)
    return 1 if any(f.severity == "error" for f in findings) else 0


def _batch(scorer: Scorer, path: Path, text: str, fmt: str) -> tuple[list[str], list[Finding]]:
    """One assessment per line (lines end with \\n); one record per line, in order."""
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()            # the newline that ends the last line
    chunks, findings = [], []
    for number, line in enumerate(lines, 1):
        result, problems = _score_line(scorer, line, str(path), number)
        findings += problems
        chunks.append(_record(result, problems, number, fmt) + "\n")
    return chunks, findings


def _score_line(scorer: Scorer, line: str, path: str, number: int) -> tuple[dict | None, list[Finding]]:
    if not line.strip():
        return None, [Finding("SCORE-020", "error", path, number, "空行：没有评估输入",
                              "每行一个完整的 JSON 对象；删去空行")]
    try:
        assessment = jsonsafe.loads(line)
    except json.JSONDecodeError as exc:
        return None, [_syntax_error(path, exc, number, "每行一个完整的 JSON 对象").as_finding()]
    except jsonsafe.LimitError as exc:
        return None, [_limit_error(path, exc, number).as_finding()]
    try:
        return _score(scorer, assessment, None, path, number)
    except SourceError as error:
        return None, [error.as_finding()]


def _record(result: dict | None, problems: list[Finding], number: int, fmt: str) -> str:
    """The output line of input line ``number``: its result, or an error record."""
    if fmt == "json":
        record = result or {"line": number, "status": "error",
                            "errors": [{"rule": f.rule, "message": f.message, "hint": f.hint} for f in problems]}
        return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if result:
        return f"{number}\t{report.summary_line(result)}"
    return "\t".join((str(number), "", "有误", "—", "—", "；".join(f"{f.rule} {f.message}" for f in problems)))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("score", help="按评分模式为评估输入计分（参考评分器）")
    parser.add_argument("schema", help="评分模式 JSON（gbstd schema 或 gbstd build 生成）")
    parser.add_argument("assessment", help="评估输入（JSON 或 YAML；--jsonl 时每行一个 JSON）")
    parser.add_argument("--jsonl", action="store_true", help="批量：每行一个评估输入；每行输出一条记录（结果，或该行的错误），带输入行号")
    parser.add_argument("--format", choices=FORMATS,
                        help="json：结果文档；text：摘要；html、pdf：评价报告"
                             "（默认按 -o 的扩展名 .json/.html/.pdf，否则为 text）")
    parser.add_argument("-o", "--output", help="写入文件（默认标准输出；pdf 必须指定）")
    parser.set_defaults(func=run)
