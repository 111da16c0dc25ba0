"""How long `gbstd import` takes for a 20-page standard (target ≤ 2 s on 2 cores).

The standard is generated with the fixture generator of the importer tests
(tests/fixtures/docx/make_fixtures.py), written the way most real drafts are: style
"Normal" only, typed clause numbers, bold runs for headings — the path of the importer
that does the most work. It has the fixture's front matter, terms, formula, tables and
annex, plus chapters of generated clauses (each a titled clause with two paragraphs and a
four-item list) until it reaches about 20 A4 pages when LibreOffice prints it
(``--pages`` measures that; 46 generated clauses give about 20 pages).

    .venv/bin/python benchmarks/import_bench.py [--clauses 46] [--repeat 5] [--pages] [--update-readme]
    .venv/bin/python benchmarks/import_bench.py --tiny          # what the test suite runs

It reports the best of ``--repeat`` imports (in-process, pandoc included) and the ratio
to the 2 s target; ``--update-readme`` writes them into benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "docx"))
import make_fixtures  # noqa: E402  (the fixture generator, run as a library)

from gbstd.importers.docx import import_docx  # noqa: E402

README = Path(__file__).resolve().parent / "README.md"
TARGET = 2.0
SENTENCE = ("企业应建立并保持与本条要求相适应的管理制度，明确职责分工和工作流程，定期开展内部检查，"
            "对发现的问题制定整改措施并跟踪落实，相关记录应至少保存三年。")


def spec(clauses: int) -> list:
    """The fixture standard with ``clauses`` generated clauses in chapters 7, 8, … (8 per chapter)."""
    base = make_fixtures.variant("autonum")
    annex = next(n for n, e in enumerate(base) if e[0] == "annex")
    extra = []
    for n in range(clauses):
        chapter, clause = 7 + n // 8, n % 8 + 1
        if clause == 1:
            extra.append(("h", 1, str(chapter), f"第{chapter}章要求"))
        extra += [("h", 2, f"{chapter}.{clause}", f"管理要求{n + 1}"), ("p", SENTENCE), ("p", SENTENCE),
                  ("p", "企业应满足以下要求："),
                  ("list", [(f"{m})", f"第{k}项要求的具体内容应形成文件；", 1)
                            for k, m in zip(range(1, 5), "abcd")])]
    return base[:annex] + extra + base[annex:]


def build(clauses: int, folder: Path) -> Path:
    path = folder / f"bench-{clauses}.docx"
    make_fixtures.build_direct(spec(clauses), path)
    return path


def pages(path: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = make_fixtures.soffice(path, "pdf", Path(tmp))
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def measure(path: Path, repeat: int) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = import_docx(str(path), slug="bench")
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clauses", type=int, default=46)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pages", action="store_true", help="count the pages LibreOffice prints")
    parser.add_argument("--tiny", action="store_true", help="2 clauses, 1 run: that the benchmark works")
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args(argv)
    if args.tiny:
        args.clauses, args.repeat = 2, 1
    with tempfile.TemporaryDirectory() as tmp:
        path = build(args.clauses, Path(tmp))
        page_count = pages(path) if args.pages else None
        seconds, result = measure(path, args.repeat)
        counts = result.counts
    per_20 = seconds * 20 / page_count if page_count else seconds
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
             f"Python {platform.python_version()} (load average: {os.getloadavg()[0]:.1f}).",
             "",
             "| document | clauses | pages | import (best of {}) | per 20 pages | ratio to 2 s target |".format(args.repeat),
             "|---|---|---|---|---|---|",
             f"| generated draft, typed numbers | {counts['chapter'] + counts['clause']} | "
             f"{page_count or '—'} | {seconds:.2f} s | {per_20:.2f} s | {per_20 / TARGET:.2f} |"]
    print("\n".join(lines))
    if args.update_readme:
        text = README.read_text(encoding="utf-8")
        block = "<!-- import-results -->\n" + "\n".join(lines) + "\n<!-- /import-results -->"
        text = re.sub(r"<!-- import-results -->.*<!-- /import-results -->", block, text, flags=re.S)
        README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
