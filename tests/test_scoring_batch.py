"""Batch scoring (gbstd score --jsonl) streamed and in worker processes: the records are the
same bytes whichever way a batch is scored, and the fast JSON paths read and write exactly
what the standard library does."""
from __future__ import annotations

import json
import math
import random
import struct
import subprocess
import sys

import pytest

from scoring_support import ROOT, assessment, synthetic
from gbstd import cli
from gbstd.commands import score
from gbstd.scoring import published
from gbstd.source import jsonsafe


def _std_line(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- orjson only where it agrees


def test_dumps_line_writes_what_json_dumps_writes():
    rng = random.Random(14)
    values = [0.0, -0.0, 1e-4, 9.99e-5, 1e-5, 1.2345e-7, 5e-324, 1e16, 1e22, 2 ** 64, 2 ** 70, -(2 ** 63) - 1,
              "\ud800", "\udfff ok", "".join(map(chr, range(0x800))) + "\u2028\ufeff\U0001F600"]
    for _ in range(20_000):
        bits = struct.unpack("d", rng.getrandbits(64).to_bytes(8, "little"))[0]
        scaled = rng.uniform(-1, 1) * 10.0 ** rng.randint(-9, 19)
        values += [v for v in (bits, scaled, round(scaled, rng.randint(0, 6))) if math.isfinite(v)]
    for value in values:
        record = {"b": [value], "a": {"z": value, "y": 1}, "中": value}
        try:
            expected = _std_line(record)
        except UnicodeEncodeError:     # a lone surrogate: written escaped, still the same string
            assert json.loads(published.dumps_line(record)) == record
            continue
        assert published.dumps_line(record) == expected, value
    assert published._orjson_agrees()     # the fast path was taken for most of them


@pytest.mark.parametrize("text", [
    b'{"a": 1}', b'{"a": 1, "a": 2}', b'-0', b'-0.0', b'1E5', b'1e-400', b'2.2250738585072014e-308',
    b'18446744073709551615', b'18446744073709551616', b'-9223372036854775809', b'9' * 400, b'1.' + b'5' * 120,
    b'1e400', b'-1e400', b'NaN', b'Infinity', b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\ud83d\\ude00"',
    b'"a\x01b"', b'"\x7f"', b'"\\u0000"', b'\xef\xbb\xbf{}', b'"\xc3"', b'"\xed\xa0\x80"', b'{} ', b'{}\r',
    b'[1,]', b'01', b'.5', b'', b'  ', b'[' * 64 + b']' * 64, b'[' * 65 + b']' * 65, b'[' * 2000 + b']' * 2000,
    b'{"a": [' + b'{"b": 1},' * 100 + b'2]}', b'{"s": "[[[[' + b'[' * 100 + b'"}',
])
def test_loads_fast_reads_what_loads_reads(text):
    def outcome(read):
        try:
            return "value", repr(read(text)), type(read(text))
        except (json.JSONDecodeError, jsonsafe.LimitError, UnicodeDecodeError) as exc:
            return type(exc).__name__, str(exc), getattr(exc, "line", None)
    assert outcome(jsonsafe.loads_fast) == outcome(jsonsafe.loads)


# ---------------------------------------------------------------- streaming and workers


def _line(doc: dict) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A schema and a batch of 60 lines: good assessments, bad JSON, a blank line, a line that
    is not UTF-8, a line past a limit, CRLF endings, a long line, no newline at the end."""
    folder = tmp_path_factory.mktemp("batch")
    schema_path = folder / "schema.json"
    schema_path.write_text(published.dumps(synthetic()), encoding="utf-8")
    good = assessment("synthetic-enterprise.yaml")
    lines = []
    for n in range(60):
        doc = dict(good, applicant={"name": f"申请单位{n}"})
        lines.append(_line(doc) + (b"\r\n" if n % 7 == 3 else b"\n"))
    lines[5] = b"{not json\n"
    lines[11] = b"\n"
    lines[17] = "{\"applicant\": \"申请单位\"}".encode("gbk") + b"\n"
    lines[23] = b'{"a": ' + b"9" * 500 + b"}\n"
    lines[29] = _line(dict(good, overview="很长的说明" * 400)) + b"\n"
    lines[-1] = lines[-1].rstrip(b"\r\n")
    source = folder / "batch.jsonl"
    source.write_bytes(b"".join(lines))
    return schema_path, source


def _score_in_process(schema_path, source, out, fmt="json") -> int:
    return cli.main(["score", str(schema_path), str(source), "--jsonl", "--format", fmt, "-o", str(out)])


def test_batch_records_are_the_same_in_one_process_and_in_workers(batch, tmp_path, monkeypatch, capsys):
    schema_path, source = batch
    one = tmp_path / "one.jsonl"
    assert _score_in_process(schema_path, source, one) == 1
    serial_errors = capsys.readouterr().err
    records = [json.loads(line) for line in one.read_text(encoding="utf-8").splitlines()]
    assert [r["line"] for r in records] == list(range(1, 61))
    bad = {6: "JSON 语法错误", 12: "空行", 18: "不是 UTF-8", 24: "整数超过"}
    assert {r["line"]: r["errors"][0]["message"] for r in records if r.get("status") == "error"}.keys() == bad.keys()
    for line, words in bad.items():
        assert words in records[line - 1]["errors"][0]["message"]
        assert f"{source}:{line}: 错误 " in serial_errors
    assert records[29]["overview"] == "很长的说明" * 400
    assert all(published.problems("assessment-result", r) == [] for r in records if r.get("status") != "error")
    # workers: tiny chunks, so there are many, some cut in the long line and at CRLF ends
    monkeypatch.setattr(score, "PARALLEL_FROM", 2)
    monkeypatch.setattr(score, "CHUNK_BYTES", 1500)
    monkeypatch.setattr(score, "_cores", lambda: 2)
    many = tmp_path / "many.jsonl"
    assert _score_in_process(schema_path, source, many) == 1
    assert many.read_bytes() == one.read_bytes()
    assert capsys.readouterr().err == serial_errors
    text_one, text_many = tmp_path / "one.txt", tmp_path / "many.txt"
    _score_in_process(schema_path, source, text_many, "text")
    monkeypatch.setattr(score, "PARALLEL_FROM", 1 << 40)
    _score_in_process(schema_path, source, text_one, "text")
    assert text_many.read_bytes() == text_one.read_bytes()
    assert len(text_one.read_text(encoding="utf-8").splitlines()) == 60


def test_batch_in_workers_to_a_pipe(batch, tmp_path):
    """Standard output as a pipe: the workers' records are copied into it in order."""
    schema_path, source = batch
    expected = tmp_path / "expected.jsonl"
    subprocess.run([sys.executable, "-m", "gbstd", "score", str(schema_path), str(source), "--jsonl",
                    "--format", "json", "-o", str(expected)], cwd=ROOT, capture_output=True, check=False)
    program = ("import sys; from gbstd.commands import score; from gbstd import cli; "
               "score.PARALLEL_FROM, score.CHUNK_BYTES, score._cores = 2, 4000, lambda: 2; "
               "sys.exit(cli.main(sys.argv[1:]))")
    run = subprocess.run([sys.executable, "-c", program, "score", str(schema_path), str(source), "--jsonl",
                          "--format", "json"], cwd=ROOT, capture_output=True)
    assert run.returncode == 1 and b"Traceback" not in run.stderr
    assert run.stdout == expected.read_bytes()
