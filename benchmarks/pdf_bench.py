"""PDF build time per document, GB layout against Sphinx's stock LaTeX, in the same run.

For every corpus document and for a generated standard of about 20 pages, one run
times on this machine:

- **GB layout**: Sphinx's LaTeX builder with the project configuration (cover,
  目次, headers, GB tables; ``gbstd.sphinx.latex``), then ``latexmk`` (xelatex) for
  the document in a fresh folder, as a first ``gbstd build`` does;
- **baseline**: the same sources through the same builder without
  ``gbstd.sphinx.latex`` and with Sphinx's default layout, only the fonts set so that
  Chinese prints, then the same ``latexmk`` run.

Per document it reports pages, the latexmk wall and CPU time of each variant
(median of ``--repeat`` runs, variants interleaved), their CPU ratio and the PDF
build time of the GB layout (latexmk plus the document's share of the Sphinx step).
Target: ≤ 5 s for a 20-page standard. With ``--update-readme`` the table goes into
benchmarks/README.md.

    .venv/bin/python benchmarks/pdf_bench.py [--repeat 3] [--update-readme]
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
TARGET_SECONDS, TARGET_PAGES = 5.0, 20

# Sphinx's LaTeX with its own layout; only what Chinese text needs is set.
BASELINE_CONF = """
exec(compile(open({conf!r}, encoding="utf-8").read(), {conf!r}, "exec"))
import gbstd.sphinx
from gbstd.sources import corpus_docnames
from pathlib import Path
gbstd.sphinx.SUBMODULES = [m for m in gbstd.sphinx.SUBMODULES if m != "gbstd.sphinx.latex"]
latex_elements = {{"papersize": "a4paper", "fontpkg": r"\\setmainfont{{TeX Gyre Termes}}"
                  r"\\setsansfont{{TeX Gyre Heros}}\\setmonofont{{TeX Gyre Cursor}}"
                  r"\\setCJKmainfont{{Noto Serif CJK SC}}\\setCJKsansfont{{Noto Sans CJK SC}}"}}
latex_table_style = ["booktabs", "colorrows"]
latex_documents = [(d, d.replace("/", "-") + ".tex", "", "", "howto")
                   for d in corpus_docnames(Path({standards!r}))]
"""


def generated_standard(chapters: int = 6, clauses: int = 6) -> str:
    """A standard of about 20 pages: clauses with lists, five formulas, a 100-row indicator table."""
    text = ["---", "kind: standard", "designation: T/BENCH 020—2025", "family: group",
            "title: 二十页基准评价规范", "stage: 征求意见稿", "issuer: 基准协会", "ics: \"13.020.01\"",
            "ccs: Z 04", "issued: 2025-01-01", "implemented: 2025-06-01",
            "drafting_rules: GB/T 1.1—2020", "---", "", "# 二十页基准评价规范", "", "## 前言", "",
            "本文件按照 GB/T 1.1—2020 的规定起草。", ""]
    sentence = "企业应建立并实施与评价要求相适应的管理制度，明确职责分工，保存相关记录，并定期评审其有效性。"
    for chapter in range(1, chapters + 1):
        text += [f"## {chapter} 第{chapter}章要求", ""]
        for clause in range(1, clauses + 1):
            text += [f"### {chapter}.{clause} 要求{clause}", "", sentence * 3, "", "a) " + sentence,
                     "b) " + sentence, ""]
    text += ["## 附录A（规范性）计算方法", ""]
    for n in range(1, 6):
        text += [f"### A.{n} 指标{n}", "", f"按公式（A.{n}）计算。", "", "```{formula} " + f"A.{n}",
                 r"latex: 'k = \frac{N_{可再生}}{N} \times 100\%'", "symbols:",
                 "  - {symbol: k, meaning: 比例, unit: \"%\"}",
                 "  - {symbol: \"N_{可再生}\", id: N_renew, meaning: 可再生能源使用量, unit: 吨标准煤}",
                 "  - {symbol: N, meaning: 综合能源消费量, unit: 吨标准煤}", "```", ""]
    text += ["## 附录B（规范性）评价指标表", "", "```{indicator-table} B.1", ":caption: 评价指标表", "",
             "id: bench", "total: 100", "indicators:"]
    for group in range(4):   # 4 × 25 indicators of 1 point: total 100
        text += [f"  - id: g{group}", f"    name: 一级指标{group + 1}", "    points: 25", "    children:"]
        text += [f"      - {{id: g{group}i{i}, no: {group * 25 + i + 1}, name: 二级指标{i + 1}, "
                 f"points: 1, criteria: {sentence}}}" for i in range(25)]
    return "\n".join(text + ["```", ""])


def project(folder: Path, tiny: bool = False) -> Path:
    """A project with the real configuration and the corpus plus the generated standard."""
    shutil.copy(ROOT / "conf.py", folder / "conf.py")
    shutil.copytree(ROOT / "standards", folder / "standards")
    (folder / "standards" / "bench-20").mkdir()
    (folder / "standards" / "bench-20" / "standard.md").write_text(
        generated_standard(*((1, 2) if tiny else ())), encoding="utf-8")
    baseline = folder / "baseline-conf"
    baseline.mkdir()
    (baseline / "conf.py").write_text(BASELINE_CONF.format(conf=str(folder / "conf.py"),
                                                           standards=str(folder / "standards")),
                                      encoding="utf-8")
    return folder


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system, the command and its children) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)} in {cwd}\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def sphinx_latex(folder: Path, confdir: Path, out: Path) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return timed([sys.executable, "-m", "sphinx", "-b", "latex", "-q", "-D", "suppress_warnings=gbstd",
                  "-c", str(confdir), "-d", str(out / ".doctrees"), str(folder / "standards"), str(out)],
                 folder)


def latexmk(out: Path, name: str) -> tuple[float, float]:
    for stale in out.glob(f"{name}.*"):
        if stale.suffix != ".tex":
            stale.unlink()
    return timed(["latexmk", "-pdfxe", "-interaction=nonstopmode", "-halt-on-error", "-silent",
                  f"{name}.tex"], out)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def measure(folder: Path, repeat: int, only: list[str] | None = None) -> tuple[list[dict], dict[str, tuple[float, float]]]:
    variants = {"gb": folder, "baseline": folder / "baseline-conf"}
    sphinx = {name: sphinx_latex(folder, conf, folder / f"out-{name}") for name, conf in variants.items()}
    documents = sorted(p.stem for p in (folder / "out-gb").glob("*.tex"))
    names = [name for name in documents if not only or name in only]
    rows = []
    for name in names:
        runs = {variant: [] for variant in variants}
        for _ in range(repeat):
            for variant in variants:   # interleaved, so that load changes hit both alike
                runs[variant].append(latexmk(folder / f"out-{variant}", name))
        row = {"name": name, "pages": pages(folder / "out-gb" / f"{name}.pdf"),
               "baseline_pages": pages(folder / "out-baseline" / f"{name}.pdf")}
        for variant, values in runs.items():
            row[variant] = statistics.median(wall for wall, _ in values)
            row[f"{variant}_cpu"] = statistics.median(cpu for _, cpu in values)
        share = [value / len(documents) for value in sphinx["gb"]]
        row["total"], row["total_cpu"] = row["gb"] + share[0], row["gb_cpu"] + share[1]
        rows.append(row)
        print(f"{name}: {row}", file=sys.stderr)
    sphinx["documents"] = len(documents)
    return rows, sphinx


def render(rows: list[dict], sphinx: dict, repeat: int) -> str:
    load = os.getloadavg()[0]
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
             f"load {load:.1f} at the end, median of {repeat}. Times are wall (CPU) seconds; on a busy "
             "machine the CPU time is the steadier figure, on an idle one the two agree.", "",
             f"Sphinx → LaTeX for all {sphinx['documents']} documents: GB layout {sphinx['gb'][0]:.2f} "
             f"({sphinx['gb'][1]:.2f}) s, baseline {sphinx['baseline'][0]:.2f} ({sphinx['baseline'][1]:.2f}) s.",
             "", "| document | pages (GB / baseline) | latexmk, GB layout | latexmk, baseline "
             "| ratio (CPU) | PDF build, GB layout |",
             "|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        lines.append(f"| {row['name']} | {row['pages']} / {row['baseline_pages']} "
                     f"| {row['gb']:.2f} ({row['gb_cpu']:.2f}) | {row['baseline']:.2f} ({row['baseline_cpu']:.2f}) "
                     f"| {row['gb_cpu'] / row['baseline_cpu']:.2f} | {row['total']:.2f} ({row['total_cpu']:.2f}) |")
    bench = next(row for row in rows if row["name"] == "bench-20-standard")
    verdict = "meets" if bench["total"] <= TARGET_SECONDS else "misses"
    lines += ["", f"The generated standard (bench-20-standard, {bench['pages']} pages) builds in "
                  f"**{bench['total']:.2f} s** wall ({bench['total_cpu']:.2f} s CPU): it {verdict} the "
                  f"target of ≤ {TARGET_SECONDS:g} s for a {TARGET_PAGES}-page standard.", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--update-readme", action="store_true", help="write the results into README.md")
    parser.add_argument("--tiny", action="store_true",
                        help="CI mode: a 2-clause generated standard, only its PDF, once (figures mean nothing)")
    args = parser.parse_args()
    if args.tiny:
        args.repeat, args.update_readme = 1, False
    with tempfile.TemporaryDirectory(prefix="gbstd-pdf-bench-") as tmp:
        rows, sphinx = measure(project(Path(tmp), args.tiny), args.repeat,
                               ["bench-20-standard"] if args.tiny else None)
    report = render(rows, sphinx, args.repeat)
    print(report)
    if args.update_readme:
        text = README.read_text(encoding="utf-8")
        text = re.sub(r"(<!-- pdf-results -->\n).*(<!-- /pdf-results -->)", lambda m: m[1] + report + m[2],
                      text, flags=re.S)
        README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
