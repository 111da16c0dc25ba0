"""Speed on big but plausible inputs (issue 10, item 24), as whole ``gbstd`` processes.

    .venv/bin/python benchmarks/review_bench.py [--repeat 3] [--comments 20000] [--rows 200000]
                                                [--clauses 20000] [--baseline REV]
                                                [--only export,import_xlsx,import_csv,check]
    .venv/bin/python benchmarks/review_bench.py --tiny     # what the test suite runs

Rows (inputs generated in a temporary folder):

1. ``gbstd comments export`` of a ``--comments``-comment YAML round to XLSX;
2. ``gbstd comments import`` of that XLSX back to YAML (its size is given: the "1 MB XLSX");
3. ``gbstd comments import`` of a ``--rows``-row CSV;
4. ``gbstd check --format json`` of one standard with ``--clauses`` numbered subclauses, as
   a first check: the project's caches (``build/.cache``) are removed before every run, so
   each run reads the source and writes its cache entries (a repeated run would otherwise
   only measure the cache).

Each figure is the minimum and median of ``--repeat`` runs, wall seconds and CPU seconds of
the process (user + system; on a busy shared machine only CPU is meaningful). With
``--baseline REV`` every command also runs with the package of git revision REV (exported
with ``git archive`` into a temporary folder put first on ``PYTHONPATH``), old and new
interleaved, and the table gives both and their ratio; the outputs (the XLSX, the YAML, the
check's JSON report) are compared before and after. ``--only`` runs some rows (the XLSX
import needs the export). ``--tiny`` uses small inputs and one
run: it proves the script still runs; its figures mean nothing.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]
import check_bench  # noqa: E402  (front matter, foreword, terms of a clean standard)
from gbstd.review.comments import COMMENT_FIELDS  # noqa: E402

GBSTD = [sys.executable, "-m", "gbstd"]
DISPOSITIONS = ("采纳", "部分采纳", "未采纳", "解释说明")


def comment(n: int) -> dict[str, str]:
    disposition = DISPOSITIONS[n % 4]
    return {"id": f"C-{n:06d}", "clause": f"{4 + n % 50}.{1 + n % 7}", "type": ("ge", "te", "ed")[n % 3],
            "text": f"第{n}条意见：本条的要求不够明确，建议补充可验证的指标。",
            "proposal": f"增加第{n}项量化要求。", "org": f"示例单位{n % 97}",
            "disposition": disposition, "response": "" if disposition == "采纳" else f"理由见第{n}次会议纪要。"}


def round_yaml(path: Path, count: int) -> None:
    lines = ["round:", "  id: ZQ-BENCH-01", "  stage: 征求意见稿", "  title: 基准测试评价规范",
             "  drafting_unit: 示例起草单位", "comments:"]
    for n in range(1, count + 1):
        c = comment(n)
        lines.append(f"  - id: {c['id']}")
        lines += [f"    {key}: \"{c[key]}\"" for key in ("clause", "type", "text", "proposal", "org",
                                                         "disposition", "response") if c[key]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def comments_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(COMMENT_FIELDS)
        for n in range(1, count + 1):
            c = comment(n)
            writer.writerow([c.get(name, "") for name in COMMENT_FIELDS])


def big_standard(path: Path, clauses: int) -> None:
    per = 200
    out = [check_bench.front_matter("bench-big", 1), check_bench.FOREWORD, check_bench.terms()]
    for chapter in range(4, 4 + (clauses + per - 1) // per):
        out.append(f"## {chapter} 第{chapter}组要求\n")
        for n in range(1, min(per, clauses - (chapter - 4) * per) + 1):
            out.append(f"### {chapter}.{n} 要求{n}\n\n企业应满足第{chapter}组的第{n}项要求，并保存记录。\n")
    path.write_text("\n".join(out), encoding="utf-8")


def timed(command: list, cwd: Path, ok=(0,), env=None, output: Path | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one process; its standard output kept in ``output``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in ok:
        sys.exit(f"failed ({result.returncode}): {' '.join(map(str, command))}\n"
                 f"{result.stdout[-2000:]}{result.stderr[-3000:]}")
    if output is not None:
        output.write_text(result.stdout, encoding="utf-8")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cells(path: Path) -> list:
    """Every sheet's title, state and cell values, as openpyxl reads them."""
    import openpyxl
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [(sheet.title, sheet.sheet_state, list(sheet.iter_rows(values_only=True))) for sheet in book.worksheets]
    finally:
        book.close()


def baseline_package(revision: str, folder: Path) -> Path:
    """The package ``gbstd`` of ``revision`` laid out as the editable install maps it."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "toolchain", "sphinx_ext", "templates"],
                             capture_output=True, check=True).stdout
    unpacked = folder / "src"
    unpacked.mkdir()
    subprocess.run(["tar", "-x", "-C", str(unpacked)], input=archive, check=True)
    package = folder / "pkg" / "gbstd"
    shutil.copytree(unpacked / "toolchain", package)
    shutil.copytree(unpacked / "sphinx_ext", package / "sphinx")
    shutil.copytree(unpacked / "templates", package / "templates")
    return folder / "pkg"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--comments", type=int, default=20000)
    parser.add_argument("--rows", type=int, default=200000)
    parser.add_argument("--clauses", type=int, default=20000)
    parser.add_argument("--baseline", metavar="REV", help="also run the package of this git revision (A/B)")
    parser.add_argument("--only", default="export,import_xlsx,import_csv,check",
                        help="comma-separated rows to run (default: all)")
    parser.add_argument("--tiny", action="store_true")
    args = parser.parse_args()
    only = set(args.only.split(","))
    if "import_xlsx" in only:
        only.add("export")
    if args.tiny:
        args.repeat, args.comments, args.rows, args.clauses = 1, 50, 200, 100
    variants = {"new": None}
    with tempfile.TemporaryDirectory(prefix="review-bench-") as folder:
        work = Path(folder)
        if args.baseline:
            old = baseline_package(args.baseline, work)
            variants = {"old": {**os.environ, "PYTHONPATH": str(old)}, "new": None}
        (work / "gbstd.toml").write_text((ROOT / "gbstd.toml").read_text(encoding="utf-8"), encoding="utf-8")
        (work / "standards" / "bench-big").mkdir(parents=True)
        round_yaml(work / "round.yaml", args.comments)
        comments_csv(work / "rows.csv", args.rows)
        big_standard(work / "standards" / "bench-big" / "standard.md", args.clauses)
        for name in variants:       # one folder per variant, the same inputs and file names
            (work / name).mkdir()
            for part in ("gbstd.toml", "standards", "round.yaml", "rows.csv"):
                (work / name / part).symlink_to(work / part)
        runs = {(key, name): [] for key in ("export", "import_xlsx", "import_csv", "check") for name in variants}
        for run in range(args.repeat):
            for name, env in variants.items():
                here = work / name
                if "check" in only:
                    shutil.rmtree(here / "build" / ".cache", ignore_errors=True)   # a first check, every time
                commands = {
                    "export": ([*GBSTD, "comments", "export", "round.yaml", "round.xlsx"], (0,), env, None),
                    "import_xlsx": ([*GBSTD, "comments", "import", "round.xlsx", f"back-{run}.yaml"], (0,), env,
                                    None),
                    "import_csv": ([*GBSTD, "comments", "import", "rows.csv", f"rows-{run}.yaml"], (0,), env, None),
                    "check": ([*GBSTD, "check", "--format", "json", "standards/bench-big/standard.md"], (0, 1),
                              env, here / f"check-{run}.json"),
                }
                for key, (command, ok, environment, output) in commands.items():
                    if key in only:
                        runs[key, name].append(timed(command, here, ok=ok, env=environment, output=output))
        if args.baseline:   # the same outputs, byte for byte (an XLSX at least cell for cell)
            for part in ("round.xlsx", "back-0.yaml", "rows-0.yaml", "check-0.json"):
                if not (work / "new" / part).exists():
                    continue
                same = (work / "old" / part).read_bytes() == (work / "new" / part).read_bytes()
                if not same and part.endswith(".xlsx") and cells(work / "old" / part) == cells(work / "new" / part):
                    print(f"{part}: other bytes before and after, the same cells (as openpyxl reads them)")
                    continue
                print(f"{part}: {'identical before and after' if same else '**differs** before and after'}")
        size = (work / "new" / "round.xlsx").stat().st_size / 1e6 if "export" in only else 0
    rows = [("export", f"`gbstd comments export`, {args.comments:,} comments → XLSX", "≤ 2 s", 2),
            ("import_xlsx", f"`gbstd comments import`, that XLSX ({size:.1f} MB) → YAML", "≤ 2 s", 2),
            ("import_csv", f"`gbstd comments import`, {args.rows:,}-row CSV → YAML", "≤ 10 s", 10),
            ("check", f"`gbstd check`, one standard of {args.clauses:,} clauses", "≤ 5 s", 5)]
    print(f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
          f"{args.repeat} run(s) each, seconds as min / median; load average at the end "
          f"{os.getloadavg()[0]:.1f}.\n")

    def figures(values: list[tuple[float, float]], which: int) -> str:
        column = [v[which] for v in values]
        return f"{min(column):.2f} / {statistics.median(column):.2f}"

    if args.baseline:
        print(f"| what | before ({args.baseline}): wall | before: CPU | after: wall | after: CPU "
              f"| ratio CPU (min) | target | met (CPU) |")
        print("|---|---:|---:|---:|---:|---:|---|---|")
    else:
        print("| what | wall | CPU | target | met (CPU) |")
        print("|---|---:|---:|---|---|")
    for key, label, target, limit in rows:
        new = runs[key, "new"]
        if not new:
            continue
        met = "yes" if min(v[1] for v in new) <= limit else "**no**"
        if args.baseline:
            old = runs[key, "old"]
            ratio = min(v[1] for v in new) / max(min(v[1] for v in old), 1e-9)
            print(f"| {label} | {figures(old, 0)} | {figures(old, 1)} | {figures(new, 0)} | {figures(new, 1)} "
                  f"| {ratio:.2f} | {target} | {met} |")
        else:
            print(f"| {label} | {figures(new, 0)} | {figures(new, 1)} | {target} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
