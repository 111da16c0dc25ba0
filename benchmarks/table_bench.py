"""Every row of the speed table of issue 14, measured in one run on this machine.

    .venv/bin/python benchmarks/table_bench.py [--repeat 3] [--standards 200] [--large 1000]
                                               [--applicants 100000] [--update-readme]
    .venv/bin/python benchmarks/table_bench.py --only huge_check [--huge 10000]
    .venv/bin/python benchmarks/table_bench.py --tiny      # what the test suite runs

Each figure is the minimum and the median of ``--repeat`` runs of a whole process
(wall seconds, and CPU seconds of the process and its children); peak memory is the
largest resident set of the measured process tree's biggest process (``wait4``).
Where a row has a baseline (start-up of the CLI; latexmk on the same .tex), the two are
run alternately in the same loop, so load from other work on the shared machine hits
both alike, and the ratio of their minima is given.

Rows:

1. ``gbstd build`` from an empty output folder of a copy of the project (the corpus);
2. ``gbstd build`` again, nothing changed;
3. ``gbstd build`` after a one-line edit of one standard (its HTML page and PDF rebuilt);
4. ``gbstd check FILE`` on the real corpus, against ``gbstd --version`` (start-up alone);
5. a re-check of a generated project of ``--standards`` standards after editing one file;
6. ``gbstd check`` of a generated corpus of ``--large`` standards, cold (the cache emptied
   before each run);
7. the HTML build (Sphinx, checker on) of the same generated corpus, with ``-j`` as ``gbstd build``
   passes it (one process per usable core);
8. one standard's PDF: ``gbstd build --pdf FILE`` against ``latexmk`` alone on the same .tex
   (the same latexmk command line, from the same precompiled format), in a project built
   before (the build rows' project, or a full build first) with that document's LaTeX outputs
   but its .tex deleted before each run;
9. ``gbstd score --jsonl`` on ``--applicants`` generated assessments;
10. ``gbstd check`` of a generated corpus of ``--huge`` standards (10,000), cold, once
    (about a quarter of an hour on two cores: only with ``--only huge_check``, never part
    of the README's table).

``--only GROUP`` (repeatable: build, check_file, pdf, recheck, large, large_check, score,
huge_check) measures only those rows (``large_check``: the check of the large corpus without
its HTML build) and does not write the README.

``--tiny`` uses a project of two generated standards and corpora of 3 standards (the huge
check: 4), 1 run each, measures every row including the huge check, and does not write the
README: it proves the script still runs (the test suite runs it), its figures mean nothing.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
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
import check_bench  # noqa: E402  (the generated corpus)
import score_bench  # noqa: E402  (generated assessments of Table B.1)
from gbstd.commands.build import jobs as build_jobs  # noqa: E402
from gbstd.scoring import published  # noqa: E402
from gbstd.writers import texformat  # noqa: E402
from gbstd.writers.texrun import latexmk_command, tex_environment  # noqa: E402

README = HERE / "README.md"
MARKERS = ("<!-- table-results -->", "<!-- /table-results -->")
GBSTD = [sys.executable, "-m", "gbstd"]

# (row, target as text, target in seconds or None, memory target in MiB or None)
TARGETS = {
    "clean": ("`gbstd build` from an empty build/", "≤ 12 s", 12, None),
    "noop": ("`gbstd build`, nothing changed", "≤ 1 s", 1, None),
    "edit": ("`gbstd build` after a one-line edit of one standard", "≤ 3 s", 3, None),
    "check_file": ("`gbstd check FILE`, real corpus", "≤ 0.3 s", 0.3, None),
    "recheck": ("re-check after editing one file", "≤ 1.5 s", 1.5, None),
    "check_large": ("`gbstd check`, large generated corpus, cold", "≤ 20 s (1,000)", 20, 2048),
    "html_large": ("HTML build, large generated corpus", "≤ 90 s, ≤ 1 GB (1,000)", 90, 1024),
    "check_huge": ("`gbstd check`, huge generated corpus, cold, one run", "≤ 200 s, ≤ 2 GB (10,000)", 200, 2048),
    "pdf": ("one standard's PDF, overhead over latexmk", "≤ 0.3 s CPU", None, None),
    "score": ("`gbstd score --jsonl`", "≤ 8 s, ≤ 200 MB (100,000)", 8, 200),
}


GROUPS = ("build", "check_file", "pdf", "recheck", "large", "large_check", "score", "huge_check")
DEFAULT = GROUPS[:-1]        # the table of the README: every row but the huge check


def timed(command: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of one command; it must succeed."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{output.decode(errors='replace')[-3000:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "memory": usage.ru_maxrss / 1024}


def summary(runs: list[dict]) -> dict:
    return {f"{key}_{how}": fn(r[key] for r in runs) for key in ("wall", "cpu", "memory")
            for how, fn in (("min", min), ("median", lambda v: statistics.median(list(v))))}


def project(folder: Path, tiny: bool) -> Path:
    """A copy of this project (gbstd.toml, conf.py, standards/), or a one-standard project."""
    folder.mkdir()
    shutil.copy(ROOT / "gbstd.toml", folder / "gbstd.toml")
    if tiny:   # a generated guideline and one standard derived from it, both clean
        check_bench.generate(folder / "standards", 2)
        (folder / "standards" / "index.md").write_text("# 基准语料\n\n```{toctree}\n:glob:\n\n*/standard\n```\n",
                                                      encoding="utf-8")   # no notes among two
    else:
        shutil.copy(ROOT / "conf.py", folder / "conf.py")
        shutil.copytree(ROOT / "standards", folder / "standards")
    return folder


def edited(path: Path) -> None:
    """A one-line edit that keeps the document clean: one more sentence at the end of the file."""
    with path.open("a", encoding="utf-8") as stream:
        stream.write("\n本条为基准测试所加。\n")


def build_rows(work: Path, repeat: int, tiny: bool) -> dict:
    runs = {"clean": [], "noop": [], "edit": []}
    source = "standards/bench-001/standard.md" if tiny else "standards/green-enterprise/standard.md"
    build = [*GBSTD, "build", *(["--only", "html", "--only", "schemas"] if tiny else [])]   # tiny: no xelatex here
    for run in range(repeat):
        folder = project(work / f"project-{run}", tiny)
        runs["clean"].append(timed(build, folder))
        runs["noop"].append(timed(build, folder))
        edited(folder / source)
        runs["edit"].append(timed(build, folder))
        if run:
            shutil.rmtree(folder)
    return {name: summary(values) for name, values in runs.items()}


def check_file_row(work: Path, repeat: int, tiny: bool) -> dict:
    folder = work / "project-0"
    source = "standards/bench-001/standard.md" if tiny else "standards/gbt-36132/standard.md"
    check, start = [], []
    for _ in range(repeat):
        start.append(timed([*GBSTD, "--version"], folder))
        check.append(timed([*GBSTD, "check", source], folder))
    return {**summary(check), "baseline": summary(start)}


def generated_project(folder: Path, count: int) -> Path:
    folder.mkdir()
    shutil.copy(ROOT / "gbstd.toml", folder / "gbstd.toml")
    check_bench.generate(folder / "standards", count)
    return folder


def recheck_row(work: Path, repeat: int, count: int) -> dict:
    folder = generated_project(work / "recheck", count)
    timed([*GBSTD, "check"], folder)   # a first check (fills any cache)
    runs = []
    for _ in range(repeat):
        edited(folder / "standards" / "bench-001" / "standard.md")
        runs.append(timed([*GBSTD, "check"], folder))
    return summary(runs)


def cold_check(folder: Path) -> dict:
    shutil.rmtree(folder / "build" / ".cache", ignore_errors=True)     # cold: an empty cache
    return timed([*GBSTD, "check", "standards"], folder)


def huge_row(work: Path, count: int) -> dict:
    """The 10,000-standard check: one run (a quarter of an hour here), its corpus removed after."""
    folder = generated_project(work / "huge", count)
    row = summary([cold_check(folder)])
    shutil.rmtree(folder)
    return row


def large_rows(work: Path, repeat: int, count: int, html_too: bool = True) -> dict:
    folder = generated_project(work / "large", count)
    check, html = [], []
    for run in range(repeat):
        check.append(cold_check(folder))
        if not html_too:
            continue
        out = work / f"large-html-{run}"
        # -j as `gbstd build` passes it: one process per usable core (gbstd.sphinx.parallel)
        html.append(timed([sys.executable, "-m", "sphinx", "-b", "html", "-q", *build_jobs(), "-c", str(ROOT),
                           "-d", str(out / "doctrees"), str(folder / "standards"), str(out / "html")]))
        shutil.rmtree(out)
    return {"check_large": summary(check), **({"html_large": summary(html)} if html_too else {})}


def pdf_row(work: Path, repeat: int, tiny: bool) -> dict:
    folder = work / "project-0"
    source = "standards/bench-001/standard.md" if tiny else "standards/gbt-36132/standard.md"
    name = source.split("/")[1] + "-standard"
    latex = folder / "build" / ".latex"
    if not (latex / f"{name}.tex").is_file():   # --only pdf: a previous build, as the build rows leave
        timed([*GBSTD, "build", *(["--pdf", source] if tiny else [])], folder)
    full, alone = [], []
    for _ in range(repeat):
        for leftover in latex.glob(f"{name}.*"):   # both from scratch: latexmk has to typeset
            if leftover.suffix != ".tex":
                leftover.unlink()
        full.append(timed([*GBSTD, "build", "--pdf", source], folder))
        for leftover in latex.glob(f"{name}.*"):
            if leftover.suffix != ".tex":
                leftover.unlink()
        # the same latexmk command gbstd runs: from the precompiled format, when there is one
        fmt = texformat.formats(latex, [name]).get(name)
        alone.append(timed(latexmk_command(f"{name}.tex", fmt), latex, env=tex_environment()))
    return {**summary(full), "baseline": summary(alone)}


def score_row(work: Path, repeat: int, count: int) -> dict:
    schema = score_bench.table_b1()
    schema_path, batch, out = work / "schema.json", work / "batch.jsonl", work / "out.jsonl"
    schema_path.write_text(published.dumps(schema), encoding="utf-8")
    sample = score_bench.assessments(schema, min(count, 1000))
    with batch.open("w", encoding="utf-8") as stream:
        for n in range(count):
            stream.write(json.dumps(sample[n % len(sample)], ensure_ascii=False) + "\n")
    runs = [timed([*GBSTD, "score", str(schema_path), str(batch), "--jsonl", "--format", "json", "-o", str(out)])
            for _ in range(repeat)]
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    if lines != count:
        sys.exit(f"gbstd score wrote {lines} results for {count} assessments")
    return summary(runs)


def render(rows: dict, args: argparse.Namespace) -> str:
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, {args.repeat} runs per row (load average at the end: "
             f"{os.getloadavg()[0]:.1f}). Wall and CPU seconds, min / median; memory: peak of the "
             "largest process.", "",
             "| what | wall (s) min / median | CPU (s) min / median | peak memory (MiB) | baseline, wall / CPU (s) min "
             "| target | met? |",
             "|---|---:|---:|---:|---:|---|---|"]
    sizes = {"recheck": f" ({args.standards} standards)", "check_large": f" ({args.large} standards)",
             "check_huge": f" ({args.huge:,} standards)",
             "html_large": f" ({args.large} standards)", "score": f" ({args.applicants:,} applicants)"}
    for key, (what, target, seconds, memory) in TARGETS.items():
        if key not in rows:
            continue
        row = rows[key]
        baseline = row.get("baseline")
        base = f"{baseline['wall_min']:.2f} / {baseline['cpu_min']:.2f}" if baseline else "—"
        if key == "pdf":
            overhead = row["cpu_min"] - baseline["cpu_min"]
            met = overhead <= 0.3
            target = f"{target} (measured overhead {overhead:+.2f} s CPU)"
        elif key == "check_file":
            met = row["wall_min"] <= seconds
            target = f"{target} (start-up alone {baseline['wall_min']:.2f} s)"
        else:
            met = row["wall_min"] <= seconds and (memory is None or row["memory_min"] <= memory)
        lines.append(f"| {what}{sizes.get(key, '')} | {row['wall_min']:.2f} / {row['wall_median']:.2f} "
                     f"| {row['cpu_min']:.2f} / {row['cpu_median']:.2f} | {row['memory_min']:.0f} | {base} "
                     f"| {target} | {'yes' if met else '**no**'} |")
    return "\n".join(lines + [""])


def byte_compile_toolchain() -> None:
    """Byte-compile gbstd's folders, as pip does when it installs a wheel: in an editable
    install under PYTHONDONTWRITEBYTECODE (set on this machine) every measured process would
    otherwise compile each module changed since its .pyc was written, ~0.1 s of start-up."""
    import compileall
    for folder in ("toolchain", "sphinx_ext"):
        compileall.compile_dir(ROOT / folder, quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--standards", type=int, default=200, help="project size of the re-check row")
    parser.add_argument("--large", type=int, default=1000, help="corpus size of the check and HTML rows")
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--huge", type=int, default=10_000, help="corpus size of the huge check (--only huge_check)")
    parser.add_argument("--tiny", action="store_true", help="CI mode: tiny inputs, one run, README untouched")
    parser.add_argument("--update-readme", action="store_true", help="write the results into README.md")
    parser.add_argument("--only", action="append", choices=GROUPS, help="measure only these rows (repeatable)")
    args = parser.parse_args()
    if args.tiny:
        args.repeat, args.standards, args.large, args.applicants, args.huge, args.update_readme = 1, 3, 3, 20, 4, False
    if args.only:
        args.update_readme = False     # the README table has every row or none
    groups = args.only or (GROUPS if args.tiny else DEFAULT)
    if not args.tiny:
        byte_compile_toolchain()
    with tempfile.TemporaryDirectory(prefix="gbstd-table-bench-") as tmp:
        work = Path(tmp)
        rows = build_rows(work, args.repeat, args.tiny) if "build" in groups else {}
        if {"check_file", "pdf"} & set(groups) and not (work / "project-0").exists():
            project(work / "project-0", args.tiny)
        if "check_file" in groups:
            rows["check_file"] = check_file_row(work, args.repeat, args.tiny)
        if "pdf" in groups:
            rows["pdf"] = pdf_row(work, args.repeat, args.tiny)
        if "recheck" in groups:
            rows["recheck"] = recheck_row(work, args.repeat, args.standards)
        if "large" in groups or "large_check" in groups:
            rows.update(large_rows(work, args.repeat, args.large, html_too="large" in groups))
        if "score" in groups:
            rows["score"] = score_row(work, args.repeat, args.applicants)
        if "huge_check" in groups:
            rows["check_huge"] = huge_row(work, args.huge)
    report = render(rows, args)
    print(report)
    if args.update_readme:
        text = README.read_text(encoding="utf-8")
        pattern = re.compile(re.escape(MARKERS[0]) + ".*?" + re.escape(MARKERS[1]), re.S)
        README.write_text(pattern.sub(lambda _: f"{MARKERS[0]}\n{report}{MARKERS[1]}", text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
