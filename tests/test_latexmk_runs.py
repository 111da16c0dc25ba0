"""latexmk after an edit that only adds a page: one xelatex run, the same PDF as from scratch.

LaTeX writes the number of pages into the .aux, and latexmk runs xelatex again when the .aux
changed; nothing reads that number unless a package uses the kernel's last-page hook, so
``gbstd.writers.texrun`` has latexmk leave that line out of its comparison when the last run
loaded no such package (its .fls says so) or, before the first, the .tex names none."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gbstd.writers import texrun
from pdf_support import needs_tex

DOCUMENT = "\\documentclass{article}\n\\begin{document}\n\\tableofcontents\n\\section{One}\n%s\n\\end{document}\n"
PAGE = "Text.\\newpage\n"


def _latexmk(folder: Path, page_count_read: bool) -> str:
    env = {**texrun.tex_environment(), "SOURCE_DATE_EPOCH": "1764979200", "FORCE_SOURCE_DATE": "1"}
    run = subprocess.run(texrun.latexmk_command("doc.tex", None, page_count_read), cwd=folder, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:]
    return run.stdout + run.stderr


@needs_tex
@pytest.mark.skipif(shutil.which("latexmk") is None, reason="latexmk")
def test_a_new_page_alone_costs_no_second_run_and_changes_nothing(tmp_path):
    edited, scratch = tmp_path / "edited", tmp_path / "scratch"
    edited.mkdir()
    scratch.mkdir()
    (edited / "doc.tex").write_text(DOCUMENT % (PAGE * 2), encoding="utf-8")
    assert texrun.page_count_is_read(edited, "doc") is False            # the .tex names no such package
    _latexmk(edited, False)
    assert texrun.page_count_is_read(edited, "doc") is False            # article loads none
    assert "\\gdef \\@abspage@last{2}" in (edited / "doc.aux").read_text()
    (edited / "doc.tex").write_text(DOCUMENT % (PAGE * 3), encoding="utf-8")
    printed = _latexmk(edited, texrun.page_count_is_read(edited, "doc"))
    assert printed.count("Run number 1 of rule 'xelatex'") == 1
    assert "Run number 2 of rule 'xelatex'" not in printed
    assert "\\gdef \\@abspage@last{3}" in (edited / "doc.aux").read_text()   # one page more
    (scratch / "doc.tex").write_text(DOCUMENT % (PAGE * 3), encoding="utf-8")
    _latexmk(scratch, True)
    assert (edited / "doc.pdf").read_bytes() == (scratch / "doc.pdf").read_bytes()
    # without the pattern the same edit is typeset twice
    (edited / "doc.tex").write_text(DOCUMENT % (PAGE * 4), encoding="utf-8")
    assert "Run number 2 of rule 'xelatex'" in _latexmk(edited, True)


def test_a_package_that_reads_the_page_count_keeps_the_second_run(tmp_path):
    assert texrun.page_count_is_read(tmp_path, "doc")                  # nothing to go by
    (tmp_path / "doc.tex").write_text(DOCUMENT % PAGE, encoding="utf-8")
    assert not texrun.page_count_is_read(tmp_path, "doc")
    fls = tmp_path / "doc.fls"
    fls.write_text("INPUT /usr/share/texlive/texmf-dist/tex/latex/base/article.cls\n", encoding="utf-8")
    assert not texrun.page_count_is_read(tmp_path, "doc")
    fls.write_text(fls.read_text() + "INPUT /usr/share/texlive/texmf-dist/tex/latex/tagpdf/tagpdf.sty\n",
                   encoding="utf-8")
    assert texrun.page_count_is_read(tmp_path, "doc")                  # its last run loaded one
    fls.unlink()
    fmt = tmp_path / "format.fmt"
    (tmp_path / "format.json").write_text('{"inputs": {"/x/pdfmanagement-testphase.ltx": "1 2"}}', encoding="utf-8")
    assert texrun.page_count_is_read(tmp_path, "doc", fmt)             # its format was made with one
    (tmp_path / "doc.tex").write_text("\\DocumentMetadata{}\n" + DOCUMENT % PAGE, encoding="utf-8")
    assert texrun.page_count_is_read(tmp_path, "doc")                  # the .tex names one
    assert texrun.PAGE_COUNT_LINE not in " ".join(texrun.latexmk_command("doc.tex", None, True))
    assert texrun.PAGE_COUNT_LINE in texrun.latexmk_command("doc.tex", None, False)
