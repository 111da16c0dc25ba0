"""gbstd score: score assessments against a scoring schema (the reference scorer).

The output format is ``--format``, else the suffix of ``-o`` (.json, .html,
.pdf), else the text summary. With ``--jsonl`` every input line gives exactly
one output record, in order: the result with its ``line``, or for a line that
could not be scored ``{"line": n, "status": "error", "errors": [{rule,
message, hint}]}`` (text: one tab-separated line each, the line number first).
A batch is streamed (read, scored and written a chunk of lines at a time; a big one by
one worker process per core), so its size is not bounded by memory. Lines end with
\n or \r\n; a line that is not UTF-8 gets an error record like any other bad line.

Exit codes: 0 scored; 1 an assessment (with --jsonl: any line) was invalid or
an item could not be scored (the result says which and why; every such
problem is an error on stderr, located at the offending key or batch line);
2 could not run (unreadable files, a schema with errors, a PDF that could not
be typeset or written).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, TextIO

from ..source import jsonsafe, yamlsafe
from ..findings import Finding, SourceError
from ..scoring import AssessmentError, SchemaError, Scorer, published, report
from ..files import replace_atomically, write_text
from ..forked import usable_cores as _cores


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
    # the result is not validated again here: the tests validate the scorer's results
    # against the published schema (tests/test_scoring_scorer.py)
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
    if args.jsonl and fmt in ("html", "pdf"):
        print("gbstd score: --jsonl 只能输出 json 或 text", file=sys.stderr)
        return 2
    try:
        scorer = load_scorer(Path(args.schema))
        path = Path(args.assessment)
        try:
            if args.jsonl:
                source = path.open("rb")     # streamed: one line at a time
            else:
                text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _Unusable(f"{path}: 无法读取评估输入：{_unreadable(exc)}") from None
    except _Unusable as exc:
        print(f"gbstd score: {exc}", file=sys.stderr)
        return 2
    if args.jsonl:
        with source:
            return _run_batch(scorer, source, str(path), fmt, output)
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


# ------------------------------------------------------------------ batches (--jsonl)
#
# A batch is streamed: lines are read, scored and written a chunk at a time, so memory
# stays flat whatever the size of the batch. A big batch is scored by one worker process
# per core: each reads its own byte range of the input and writes its records to a file
# of its own, which the parent appends to the output in input order (the kernel copies
# it), so no batch data passes through pipes and the output does not depend on the workers.

CHUNK_LINES = 256            # lines scored at a time, one process
CHUNK_BYTES = 1 << 20        # input bytes a worker scores at a time
PARALLEL_FROM = 4 << 20      # bytes of input; below this, worker processes cost more than they save


def _run_batch(scorer: Scorer, source: BinaryIO, path: str, fmt: str, output: Path | None) -> int:
    """Score every line of ``source``; records go to ``output`` (replaced only when the whole
    batch is written) or to standard output, each problem to stderr as it is found."""
    failed = False

    def report(findings: list[Finding]) -> None:
        nonlocal failed
        for finding in findings:
            print(finding.format(), file=sys.stderr)
        failed = failed or any(f.severity == "error" for f in findings)

    def write(stream: BinaryIO) -> None:
        size = _size(source)
        workers = min(_cores(), size // (PARALLEL_FROM // 2))
        if size < PARALLEL_FROM or workers < 2:
            for first, lines in _chunks(source):
                data, findings = _score_chunk(scorer, first, lines, path, fmt)
                stream.write(data)
                report(findings)
        else:
            _write_parallel(scorer, source, path, fmt, stream, workers, report)

    try:
        if output:
            def to_file(temporary: Path) -> None:
                with temporary.open("wb") as stream:
                    write(stream)
            replace_atomically(output, to_file)
        else:
            sys.stdout.flush()
            write(_binary(sys.stdout))
            sys.stdout.flush()
    except SourceError as error:
        print(error.as_finding().format(), file=sys.stderr)
        return 2
    return 1 if failed else 0


def _size(source: BinaryIO) -> int:
    """Bytes in ``source`` if it is a regular file (0 for a pipe: scored in one process)."""
    try:
        status = os.fstat(source.fileno())
    except (OSError, AttributeError, ValueError):
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0


def _binary(stream: TextIO) -> BinaryIO:
    """The byte stream under a text stream (one that has none gets the text decoded)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer

    class _Decoding:
        @staticmethod
        def write(data: bytes) -> None:
            stream.write(data.decode("utf-8"))
    return _Decoding()


def _lines(data: bytes) -> list[bytes]:
    """The lines of ``data`` (each ends with \n, or \r\n: the \r is dropped; a last line
    without one counts too)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _chunks(source: BinaryIO) -> Iterator[tuple[int, list[bytes]]]:
    """(number of the first line, its lines) for every CHUNK_LINES lines of ``source``."""
    first, lines = 1, []
    for line in source:
        lines += _lines(line)
        if len(lines) == CHUNK_LINES:
            yield first, lines
            first, lines = first + CHUNK_LINES, []
    if lines:
        yield first, lines


def _ranges(source: BinaryIO) -> Iterator[tuple[int, int, int]]:
    """(offset, length, number of its first line) of pieces of about CHUNK_BYTES of
    ``source``, each ending after a \n (or at the end of the file)."""
    offset, first, carry = 0, 1, b""
    while True:
        block = source.read(CHUNK_BYTES)
        if not block:
            break
        end = block.rfind(b"\n") + 1
        if end == 0:                    # a line longer than a block: read on
            carry += block
            continue
        piece = len(carry) + end
        yield offset, piece, first
        first += carry.count(b"\n") + block.count(b"\n", 0, end)
        offset += piece
        carry = block[end:]
    if carry:
        yield offset, len(carry), first


def _write_parallel(scorer: Scorer, source: BinaryIO, path: str, fmt: str, stream: BinaryIO,
                    workers: int, report: Callable[[list[Finding]], None]) -> None:
    with tempfile.TemporaryDirectory(prefix="gbstd-score-") as folder, \
            ProcessPoolExecutor(workers, initializer=_start_worker,
                                initargs=(scorer.schema, scorer.sha256, source.name, folder, path, fmt)) as pool:
        pending: deque = deque()

        def take() -> None:
            written, findings = pending.popleft().result()
            with open(written, "rb") as piece:
                _append(piece, stream)
            os.remove(written)
            report(findings)

        for number, (offset, length, first) in enumerate(_ranges(source)):
            pending.append(pool.submit(_score_range, number, offset, length, first))
            if len(pending) >= 2 * workers:       # a bounded window: memory and disk stay flat
                take()
        while pending:
            take()


def _append(piece: BinaryIO, stream: BinaryIO) -> None:
    """Copy ``piece`` to the end of ``stream``: in the kernel where it can, else through memory."""
    stream.flush()
    try:
        target = stream.fileno()
        size = os.fstat(piece.fileno()).st_size
        while size > 0:
            sent = os.sendfile(target, piece.fileno(), None, size)
            if sent == 0:
                raise OSError("sendfile sent nothing")
            size -= sent
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        shutil.copyfileobj(piece, stream)       # where it stopped: sendfile moved piece's offset


_WORKER: dict = {}


def _start_worker(schema: dict, sha256: str, source: str, folder: str, path: str, fmt: str) -> None:
    _WORKER.update(scorer=Scorer(schema, sha256=sha256, check=False),    # checked by the parent
                   source=open(source, "rb"), folder=folder, path=path, fmt=fmt)


def _score_range(number: int, offset: int, length: int, first: int) -> tuple[str, list[Finding]]:
    """Score the lines in one byte range of the batch; their records go to a file of their own."""
    source = _WORKER["source"]
    source.seek(offset)
    data, findings = _score_chunk(_WORKER["scorer"], first, _lines(source.read(length)),
                                  _WORKER["path"], _WORKER["fmt"])
    written = os.path.join(_WORKER["folder"], f"{number}.part")
    with open(written, "wb") as piece:
        piece.write(data)
    return written, findings


def _score_chunk(scorer: Scorer, first: int, lines: list[bytes], path: str,
                 fmt: str) -> tuple[bytes, list[Finding]]:
    out, findings = [], []
    for number, line in enumerate(lines, first):
        result, problems = _score_line(scorer, line, path, number)
        findings += problems
        out.append(_record(result, problems, number, fmt))
    return b"".join(out), findings


def _score_line(scorer: Scorer, line: bytes, path: str, number: int) -> tuple[dict | None, list[Finding]]:
    try:
        assessment = jsonsafe.loads_fast(line)
    except (json.JSONDecodeError, jsonsafe.LimitError, UnicodeDecodeError):
        return None, _unparsed(line, path, number)
    try:
        return _score(scorer, assessment, None, path, number)
    except SourceError as error:
        return None, [error.as_finding()]


def _unparsed(line: bytes, path: str, number: int) -> list[Finding]:
    """Why a line is not an assessment: not UTF-8, blank, not JSON, or past a limit."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return [Finding("SCORE-020", "error", path, number, "该行不是 UTF-8 编码的文本",
                        "以 UTF-8 编码保存批量文件")]
    if not text.strip():
        return [Finding("SCORE-020", "error", path, number, "空行：没有评估输入",
                        "每行一个完整的 JSON 对象；删去空行")]
    try:
        jsonsafe.loads(text)
    except json.JSONDecodeError as exc:
        return [_syntax_error(path, exc, number, "每行一个完整的 JSON 对象").as_finding()]
    except jsonsafe.LimitError as exc:
        return [_limit_error(path, exc, number).as_finding()]
    raise AssertionError(f"line {number} is JSON after all")     # loads_fast and loads disagree


def _record(result: dict | None, problems: list[Finding], number: int, fmt: str) -> bytes:
    """The output line of input line ``number`` (with its newline): its result, or an error record."""
    if fmt == "json":
        record = result or {"line": number, "status": "error",
                            "errors": [{"rule": f.rule, "message": f.message, "hint": f.hint} for f in problems]}
        return published.dumps_line(record) + b"\n"
    if result:
        text = f"{number}\t{report.summary_line(result)}"
    else:
        text = "\t".join((str(number), "", "有误", "—", "—", "；".join(f"{f.rule} {f.message}" for f in problems)))
    return (text + "\n").encode("utf-8", "backslashreplace")


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
