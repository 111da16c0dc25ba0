"""Every benchmark runs, in its tiny mode, so that none of them rots (their figures mean nothing here).

The scripts run side by side (they are separate processes); each must finish,
print its result table and leave benchmarks/README.md alone.
"""
from __future__ import annotations

import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"

# script, tiny-mode arguments, a line its report must contain
RUNS = {
    "check_bench.py": (["--standards", "2", "--repeat", "1"], "| generated corpus (2 standards) |"),
    "score_bench.py": (["--assessments", "40", "--batch", "20"], "`gbstd score --jsonl --format json` on a 20-line batch"),
    "pdf_bench.py": (["--tiny"], "| bench-20-standard |"),
    "table_bench.py": (["--tiny"], "| `gbstd score --jsonl` (20 applicants) |"),
    "review_bench.py": (["--tiny"], "| `gbstd check`, one standard of 100 clauses |"),
    "ab_bench.py": (["--tiny"], "ratio after/before (CPU, min):"),
}

# scripts whose tiny mode another test runs already
ELSEWHERE = {"import_bench.py": "test_import_docx.py", "docx_bench.py": "test_docx_export.py"}


@pytest.fixture(scope="module")
def results() -> dict[str, subprocess.CompletedProcess]:
    readme = (BENCH / "README.md").read_bytes()

    def run(script: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(BENCH / script), *RUNS[script][0]], cwd=ROOT,
                              capture_output=True, text=True, timeout=900)

    with ThreadPoolExecutor(max_workers=len(RUNS)) as pool:
        done = dict(zip(RUNS, pool.map(run, RUNS)))
    assert (BENCH / "README.md").read_bytes() == readme, "a tiny run must not write the README"
    return done


def test_every_benchmark_script_is_run_by_a_test():
    assert sorted([*RUNS, *ELSEWHERE]) == sorted(p.name for p in BENCH.glob("*_bench.py"))
    for script, test in ELSEWHERE.items():
        assert script in (ROOT / "tests" / test).read_text(encoding="utf-8")


@pytest.mark.parametrize("script", sorted(RUNS))
def test_benchmark_runs_and_reports(results, script):
    result = results[script]
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert RUNS[script][1] in result.stdout


def test_table_bench_reports_every_row_of_the_issue(results):
    out = results["table_bench.py"].stdout
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| what")]
    assert len(rows) == 10      # the nine of the README's table and the huge check (4 standards here)
    for what in ("nothing changed", "one-line edit", "`gbstd check FILE`", "re-check", "HTML build",
                 "PDF, overhead over latexmk", "`gbstd score --jsonl`", "huge generated corpus, cold, one run (4 standards)"):
        assert any(what in row for row in rows), what
