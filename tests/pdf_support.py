"""Shared by the tests of the standalone PDFs (evaluation report, review forms): what poppler
reads back from a PDF."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

needs_tex = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("xelatex", "latexmk", "pdftotext", "pdffonts")),
    reason="xelatex, latexmk and poppler are needed (make system-deps installs them)")


def pdf_text(path: Path, layout: bool = False) -> str:
    command = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def assert_cjk_fonts_embedded(path: Path) -> None:
    """Noto Serif CJK (body) and Noto Sans CJK (headings) are used, and every font is embedded."""
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert any("SerifCJK" in line for line in fonts) and any("SansCJK" in line for line in fonts), fonts
    for line in fonts:
        assert line.split()[-5] == "yes", f"not embedded: {line}"
