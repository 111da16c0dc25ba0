"""Word export time per document, as a ratio to reading the same document.

For every corpus document and for the generated standard of ``pdf_bench.py`` (about 20
printed pages: six chapters of six clauses with lists, five formulas, a 100-row indicator
table), one run measures in this process:

- **read**: source → model (``gbstd.source.reader.read``), what ``gbstd check`` does first;
- **export**: model → .docx in memory and saved (``gbstd.writers.docx.write``), including the
  one pandoc call that converts all formulas of the document to OMML.

Each is the fastest of ``--repeat`` runs (other processes on a shared machine only ever add
time), as CPU time of this process and its children (pandoc). The ratio export / read is
what the claim rests on; the seconds show the target (≤ 2 s for a 20-page standard on
2 cores). ``--pages`` converts the generated standard with LibreOffice to count its pages.
``--tiny`` (used by a test) measures the generated standard once and nothing else.

    .venv/bin/python benchmarks/docx_bench.py [--repeat 3] [--pages] [--update-readme]
"""
from __future__ import annotations

import argparse
import importlib.util
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = Path(__file__).resolve().parent / "README.md"
TARGET_SECONDS = 2.0

from gbstd.source.reader import read  # noqa: E402
from gbstd.writers import docx  # noqa: E402


def generated_standard() -> str:
    spec = importlib.util.spec_from_file_location("pdf_bench", Path(__file__).with_name("pdf_bench.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generated_standard()


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def fastest(action, repeat: int) -> tuple[float, float]:
    """(wall, CPU) seconds: the fastest of ``repeat`` runs."""
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), cpu()
        action()
        best = min(best, (time.perf_counter() - start_wall, cpu() - start_cpu), key=lambda x: x[1])
    return best


def pages(path: Path, folder: Path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        return "—"
    subprocess.run([soffice, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), str(path)], capture_output=True, check=True)
    info = subprocess.run(["pdfinfo", str(folder / f"{path.stem}.pdf")], capture_output=True, text=True).stdout
    return re.search(r"^Pages:\s+(\d+)", info, re.M)[1]


def measure(sources: list[Path], folder: Path, repeat: int, count_pages: bool) -> list[dict]:
    rows = []
    for source in sources:
        doc = read(source)
        target = folder / f"{source.parent.name}-{source.stem}.docx"
        read_wall, read_cpu = fastest(lambda: read(source), repeat)
        export_wall, export_cpu = fastest(lambda: docx.write(doc, target), repeat)
        rows.append({"name": source.parent.name + ("" if source.stem == "standard" else "/notes"),
                     "pages": pages(target, folder) if count_pages else "—",
                     "read": read_cpu, "export": export_cpu, "export_wall": export_wall,
                     "ratio": export_cpu / read_cpu})
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| document | pages | read CPU s | export CPU s | export wall s | export / read |",
             "|---|---:|---:|---:|---:|---:|"]
    lines += [f"| {r['name']} | {r['pages']} | {r['read']:.2f} | {r['export']:.2f} | {r['export_wall']:.2f} "
              f"| {r['ratio']:.1f} |" for r in rows]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", action="store_true", help="count pages with LibreOffice")
    parser.add_argument("--tiny", action="store_true", help="the generated standard once (for the tests)")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        generated = folder / "bench-20" / "standard.md"
        generated.parent.mkdir()
        generated.write_text(generated_standard(), encoding="utf-8")
        corpus = [] if args.tiny else sorted(p for p in (ROOT / "standards").glob("*/*.md")
                                             if p.stem in ("standard", "notes"))
        rows = measure(corpus + [generated], folder, 1 if args.tiny else args.repeat, args.pages)
    for row in rows:
        print(f"{row['name']} pages {row['pages']}: read {row['read']:.2f} s, export {row['export']:.2f} s CPU "
              f"({row['export_wall']:.2f} s wall), export / read {row['ratio']:.1f}")
    bench = rows[-1]
    print(f"20-page standard: export {bench['export']:.2f} s CPU, target ≤ {TARGET_SECONDS} s: "
          f"{'met' if bench['export'] <= TARGET_SECONDS else 'NOT met'}")
    if args.update_readme:
        marker = "<!-- docx-results -->"
        text = README.read_text(encoding="utf-8")
        result = (f"{marker}\nMeasured {time.strftime('%Y-%m-%d')} on {platform.machine()}, Python "
                  f"{platform.python_version()}, repeat {args.repeat} (fastest CPU time).\n\n{table(rows)}\n")
        text = re.sub(re.escape(marker) + r".*?(?=\n## |\Z)", lambda _: result, text, flags=re.S) \
            if marker in text else text.rstrip("\n") + "\n\n" + result
        README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
