"""The HTML build in parts on two cores (``-j 2``, gbstd.sphinx.parallel) writes the same site as a
serial build, byte for byte (search index included), and stays strict: a warning raised in a worker
while it resolves a page (here a reference to a missing document, in the last page, which a worker
writes) fails a ``-W`` build as it fails a serial one. ``gbstd build`` passes -j from the usable
cores, and none with one core."""
from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import check_bench  # noqa: E402  (the generated corpus)

# Both builds in one fresh process; the parts' minimum sizes lowered so that 12 documents are read
# and written in parts; the parent counts the parts it handed to workers.
SCRIPT = r"""
import json, sys
from sphinx.cmd.build import build_main
import gbstd.sphinx.parallel as parallel

conf, source, out = sys.argv[1:4]
parallel.READ_PER_PROCESS_FROM = parallel.WRITE_PER_PROCESS_FROM = 1
handed = []

class Counted(parallel.ParallelTasks):
    def add_task(self, task, arg=None, result=None):
        handed.append((task.__name__, len(arg)))
        super().add_task(task, arg, result)

parallel.ParallelTasks = Counted
seen = {}
for name, jobs in (("serial", []), ("parallel", ["-j", "2"])):
    seen[name] = build_main(["-b", "html", "-q", "-W", "--keep-going", *jobs, "-c", conf,
                             "-d", out + f"/{name}-doctrees", source, out + f"/{name}"])
seen["handed"] = handed
print(json.dumps(seen))
"""


def _png() -> bytes:
    """A one-pixel PNG: an image only a worker's page uses (the index is the last page)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("parallel-build")
    check_bench.generate(work / "standards", 11)        # 12 documents: standards, a note, a guideline
    index = work / "standards" / "index.md"
    text = index.read_text(encoding="utf-8")
    index.write_text(text + "\n见 {doc}`missing/standard`。\n\n![示意](dot.png)\n", encoding="utf-8")
    (work / "standards" / "dot.png").write_bytes(_png())
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(work / "standards"), str(work)],
                         capture_output=True, text=True)
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    return {"seen": seen, "stderr": run.stderr, "line": len(text.splitlines()) + 2, "serial": _files(work / "serial"),
            "parallel": _files(work / "parallel")}


def test_reading_and_writing_were_done_in_parts(builds):
    handed = builds["seen"]["handed"]
    assert [name for name, _ in handed] == ["_read_part", "_write_part"]
    assert all(size >= 5 for _, size in handed)        # about half of the documents each


def test_the_site_is_the_same_as_a_serial_build(builds):
    serial, parallel = builds["serial"], builds["parallel"]
    assert "searchindex.js" in serial and "bench-010/notes.html" in serial
    assert any("assess-" in name for name in serial) and "_images/dot.png" in serial
    assert serial.keys() == parallel.keys()
    assert [name for name in serial if serial[name] != parallel[name]] == []


def test_a_warning_in_a_worker_fails_the_build(builds):
    assert builds["seen"]["serial"] == builds["seen"]["parallel"] == 1
    warning = f"index.md:{builds['line']}: WARNING: unknown document: 'missing/standard'"
    assert builds["stderr"].count(warning) == 2, builds["stderr"][-3000:]


def test_gbstd_build_asks_for_one_process_per_usable_core(monkeypatch):
    from gbstd.commands import build
    monkeypatch.setattr(build, "_cores", lambda: 2)
    assert build.jobs() == (["-j", "2"] if build.forked.available() else [])
    monkeypatch.setattr(build, "_cores", lambda: 1)
    assert build.jobs() == []
