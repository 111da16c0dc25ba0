"""How far short of the bottom of the text block each page of the corpus PDFs ends.

    .venv/bin/python scripts/pdf_page_fill.py [build/pdf] [--pages]

For every page that could have been full — not a cover, not the last page before a
forced page break (目次, 前言, 引言, the body, an annex, 参考文献) and not a document's
last page — it takes the last line of text above the footer (pdftotext -bbox-layout)
and says how many body lines (17 pt) would still fit below it. The figure in
docs/pdf.md ("Page bottoms") comes from here.
"""
from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from pypdf import PdfReader

MM = 72 / 25.4
TEXT_BOTTOM = 841.89 - 25 * MM          # the geometry of gbstd.writers.latex: bottom=25mm
FOOTER_TOP = TEXT_BOTTOM + 4 * MM       # the page number sits footskip (12 mm) below the text
HEADER_BOTTOM = 30 * MM - 4 * MM
LINE = 17.0                             # \baselineskip of the body (五号 on 17 pt)
DESCENT = 1.5                           # a line's box ends this far below its baseline
# a page that starts one of these began after a forced page break
NEW_PAGE = re.compile(r"^(附\s*录|前\s*言|引\s*言|参\s*考\s*文\s*献|目\s*次|索\s*引)")


def pages(pdf: Path) -> list[list[tuple[float, str]]]:
    """Per page, its lines of text between header and footer: (bottom, text)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True).stdout
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    root = ET.fromstring(xml.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    result = []
    for page in root.iter("page"):
        lines = []
        for line in page.iter("line"):
            top, bottom = float(line.get("yMin")), float(line.get("yMax"))
            if top > HEADER_BOTTOM and top < FOOTER_TOP:
                lines.append((bottom, "".join(w.text or "" for w in line.iter("word"))))
        result.append(sorted(lines))
    return result


def shortfalls(pdf: Path) -> list[tuple[str, float]]:
    """(page label, body lines left empty at its foot) for each page that could have been full."""
    labels = list(PdfReader(str(pdf)).page_labels)
    content = pages(pdf)
    result = []
    for n, lines in enumerate(content[:-1]):
        following = content[n + 1]
        if labels[n] in ("封面", "封二") or not lines:
            continue
        first_line = "".join(text for bottom, text in following if bottom < following[0][0] + 2)
        if following and NEW_PAGE.match(first_line):
            continue
        if labels[n + 1] == "1" or (labels[n + 1] in ("I", "II") and labels[n] != "I"):
            continue                  # the body (or 目次, 前言) starts on the next page
        last = max(bottom for bottom, _ in lines)
        result.append((labels[n], max(0.0, (TEXT_BOTTOM - (last - DESCENT)) / LINE)))
    return result


def main(argv: list[str]) -> int:
    folder = Path(next((a for a in argv if not a.startswith("--")), "build/pdf"))
    total_pages = total_lines = short_pages = 0
    for pdf in sorted(folder.glob("*.pdf")):
        found = shortfalls(pdf)
        lines = sum(short for _, short in found)
        short = [f"{label}:{value:.1f}" for label, value in found if value >= 1.5]
        total_pages, total_lines, short_pages = total_pages + len(found), total_lines + lines, \
            short_pages + len(short)
        print(f"{pdf.name}: {len(found)} pages, {lines:.1f} lines short, "
              f"{len(short)} pages ≥ 1.5 lines short" + (f" ({' '.join(short)})" if "--pages" in argv else ""))
    if total_pages:
        print(f"all: {total_pages} pages, {total_lines:.1f} lines short "
              f"({total_lines / total_pages:.2f} a page), {short_pages} pages ≥ 1.5 lines short")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
