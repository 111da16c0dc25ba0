"""`gbstd check` of an older commit against this checkout, alternately, in CPU seconds.

    .venv/bin/python benchmarks/ab_bench.py --before 0b718bb --mode recheck [--standards 200] [--pairs 3]
    .venv/bin/python benchmarks/ab_bench.py --before 0b718bb --mode cold [--standards 1000] [--pairs 2]
    .venv/bin/python benchmarks/ab_bench.py --tiny       # what the test suite runs

The older commit's ``toolchain/`` is unpacked with ``git archive`` into a temporary folder
and put first on ``PYTHONPATH`` (as the package ``gbstd``, with this checkout's templates),
so both versions run with the same Python, libraries and inputs. Each version gets its own
copy of a generated project (``check_bench.generate``; their caches are not compatible).

``recheck``: one check to fill the cache, then per pair a one-line edit of one standard and a
check, for each version. ``cold``: per pair the output folder is removed and the corpus
checked. The machine is shared, so the runs of the two versions alternate and the figures
to compare are CPU seconds (user + system, worker processes included); wall seconds and
the peak memory of the largest process are printed too.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE)]
import check_bench  # noqa: E402  (the generated corpus)


def unpack(commit: str, folder: Path) -> Path:
    """The ``gbstd`` package of ``commit``, importable from ``folder``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "toolchain"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    package = folder / "gbstd"
    (folder / "toolchain").rename(package)
    (package / "templates").symlink_to(ROOT / "templates")
    (package / "sphinx").symlink_to(ROOT / "sphinx_ext")
    return folder


def run(folder: Path, pythonpath: str) -> dict:
    env = {**os.environ, "PYTHONPATH": pythonpath}
    env.pop("GBSTD_NO_CACHE", None)
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "gbstd", "check"], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    if status not in (0, 256):          # 1: the corpus has errors (a generated one has none)
        sys.exit(f"gbstd check failed in {folder}:\n{output[-3000:]}")
    return {"wall": time.perf_counter() - start, "cpu": usage.ru_utime + usage.ru_stime,
            "memory": usage.ru_maxrss / 1024, "summary": output.strip().splitlines()[-1]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", default="HEAD", help="the older commit (default HEAD: compares with itself)")
    parser.add_argument("--mode", choices=("recheck", "cold"), default="recheck")
    parser.add_argument("--standards", type=int, default=0, help="default 200 (recheck), 1000 (cold)")
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--tiny", action="store_true", help="CI mode: 3 standards, one pair")
    args = parser.parse_args()
    if args.tiny:
        args.standards, args.pairs = 3, 1
    count = args.standards or (200 if args.mode == "recheck" else 1000)
    with tempfile.TemporaryDirectory(prefix="gbstd-ab-bench-") as tmp:
        work = Path(tmp)
        versions = {"before": str(unpack(args.before, work / "before")), "after": ""}
        projects = {}
        for name in versions:
            projects[name] = work / f"project-{name}"
            projects[name].mkdir()
            shutil.copy(ROOT / "gbstd.toml", projects[name] / "gbstd.toml")
            check_bench.generate(projects[name] / "standards", count)
            if args.mode == "recheck":
                run(projects[name], versions[name])
        results: dict[str, list[dict]] = {name: [] for name in versions}
        for _ in range(args.pairs):
            for name, pythonpath in versions.items():
                folder = projects[name]
                if args.mode == "recheck":
                    with (folder / "standards" / "bench-001" / "standard.md").open("a", encoding="utf-8") as stream:
                        stream.write("\n本条为基准测试所加。\n")
                else:
                    shutil.rmtree(folder / "build", ignore_errors=True)
                results[name].append(run(folder, pythonpath))
        print(f"{args.mode}, {count} standards, {args.pairs} pairs, before = {args.before}; "
              f"load average at the end {os.getloadavg()[0]:.1f}")
        for name, runs in results.items():
            cpu, wall = [r["cpu"] for r in runs], [r["wall"] for r in runs]
            print(f"{name}: CPU s min {min(cpu):.2f} median {statistics.median(cpu):.2f}; wall s min "
                  f"{min(wall):.2f} median {statistics.median(wall):.2f}; peak memory "
                  f"{max(r['memory'] for r in runs):.0f} MiB; {runs[-1]['summary']}")
        ratio = min(r["cpu"] for r in results["after"]) / min(r["cpu"] for r in results["before"])
        print(f"ratio after/before (CPU, min): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
