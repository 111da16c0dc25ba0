"""Incremental builds equal clean builds: build, edit, build again; the HTML, the schemas, the
LaTeX sources, the PDFs and the Word files are identical to a clean build of the edited sources
(issue 14). Sphinx keeps its pages in build/.html and its .tex files in build/.latex and writes
only those that may have changed; build/html is replaced whole, and a file whose bytes did not
change stays the same file (same inode): it is never rewritten. latexmk runs only for a .tex
that changed, ``gbstd build --pdf`` of a document whose .tex is current starts no Sphinx, and a
Word file is written again only for a document that changed. The incremental builds run on two
cores (the PDF step beside the HTML pages, schemas and Word beside both); the clean builds they
are compared with run on one core, each step after the other."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pdf_support import needs_tex, pdf_text

STEPS = ["--only", "html", "--only", "schemas", "--only", "pdf", "--only", "docx"]
STANDARD = "standards/example/standard.md"


def _one_core() -> None:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def _build(project: Path, *extra: str, cache: bool = True, steps: list[str] = STEPS, ok: bool = True,
           sequential: bool = False) -> str:
    # SOURCE_DATE_EPOCH: the date Sphinx prints in a .tex is the same in every build
    env = {**os.environ, "GBSTD_NO_CACHE": "" if cache else "1", "SOURCE_DATE_EPOCH": "1764979200"}
    run = subprocess.run([sys.executable, "-m", "gbstd", "build", *steps, *extra], cwd=project, env=env,
                         capture_output=True, text=True, preexec_fn=_one_core if sequential else None)
    assert (run.returncode == 0) == ok, run.stdout[-2000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


def _files(folder: Path) -> dict[str, bytes]:
    """Every output, the PDFs as their text; and the .tex files Sphinx keeps in build/.latex."""
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    files = {k: v for k, v in files.items() if not (k.startswith(".") or "/." in k)}  # stamps, doctrees, work
    files.update({k: pdf_text(folder / k).encode() for k in files if k.endswith(".pdf")})
    files.update({k: _parts(folder / k) for k in files if k.endswith(".docx")})
    files.update({f".latex/{p.name}": p.read_bytes() for p in sorted((folder / ".latex").glob("*.tex"))})
    return files


def _parts(docx: Path) -> bytes:
    """A Word file's parts, names and bytes (the zip's entry times differ between any two builds)."""
    with zipfile.ZipFile(docx) as archive:
        return b"".join(name.encode() + b"\0" + archive.read(name) for name in sorted(archive.namelist()))


def _written(project: Path) -> dict[str, int]:
    """Each .tex file and PDF in build/.latex, with the time it was written."""
    latex = project / "build" / ".latex"
    return {p.name: p.stat().st_mtime_ns for p in sorted(latex.glob("*")) if p.suffix in (".tex", ".pdf")}


def _inodes(folder: Path) -> dict[str, int]:
    """Each file's inode: a file not written again keeps it."""
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _clean(project: Path, name: str) -> dict[str, bytes]:
    """A clean build of the project's sources as they are now, in a copy with no build/."""
    copy = project.parent / name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build"))
    _build(copy, cache=False, sequential=True)
    return _files(copy / "build")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("incremental") / "p"
    run = subprocess.run([sys.executable, "-m", "gbstd", "init", str(project)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    source, notes = project / STANDARD, project / "standards" / "example" / "notes.md"
    with notes.open("a", encoding="utf-8") as stream:     # the note shows a figure of the standard
        stream.write("\n## 十一、与标准的对照\n\n标准共有{std-value}`count:chapters`章。\n")
    _build(project)
    first, first_inodes = _files(project / "build"), _inodes(project / "build" / "html")
    first_docx = _inodes(project / "build" / "docx")
    # 0. nothing changed, built anyway: Sphinx writes no .tex, latexmk does not run
    before = _written(project)
    forced = _build(project, "--force")
    unchanged = {"forced": forced, "forced_written": _written(project) == before}
    # ... and a PDF of one document starts no Sphinx
    unchanged["pdf_only"] = _build(project, "--pdf", STANDARD, steps=[])
    # 1. one more line, a new designation (the note's page shows it), one more chapter (the
    # note's text says how many chapters the standard has: its .tex changes too)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("T/XXXX XXX—XXXX", "T/XXXX 002—XXXX")
                      .replace("## 附录A（规范性）", "## 6 评价报告\n\n评价报告应给出各项评价指标的得分。\n\n## 附录A（规范性）")
                      + "\n本文件的示例到此为止。\n", encoding="utf-8")
    _build(project)
    edited, edited_inodes = _files(project / "build"), _inodes(project / "build" / "html")
    docx_inodes = {"first": first_docx, "edited": _inodes(project / "build" / "docx")}
    edited_clean = _clean(project, "clean-edited")
    # 2. one PDF again: its .tex is current, its PDF is typeset again only when it is gone
    pdf = {"current": _build(project, "--pdf", STANDARD, steps=[])}
    (project / "build" / ".latex" / "example-standard.pdf").unlink()
    pdf["typeset"] = _build(project, "--pdf", STANDARD, steps=[])
    # ... and an error in another document fails it, as it always did (a strict build)
    kept = notes.read_text(encoding="utf-8")
    notes.write_text(kept.replace("stage: 征求意见稿", "stage: 不存在"), encoding="utf-8")
    pdf["failed"] = _build(project, "--pdf", STANDARD, steps=[], ok=False)
    notes.write_text(kept, encoding="utf-8")
    # 3. the explanatory note deleted: its page and PDF go, the standard's page links to it no more
    notes.unlink()
    index = project / "standards" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("*/notes\n", ""), encoding="utf-8")
    _build(project)
    return {"first": first, "first_inodes": first_inodes, "edited": edited, "edited_inodes": edited_inodes,
            "edited_clean": edited_clean, "removed": _files(project / "build"),
            "removed_clean": _clean(project, "clean-removed"), "unchanged": unchanged, "pdf": pdf,
            "docx_inodes": docx_inodes}


def _differences(incremental: dict, clean: dict) -> list[str]:
    return sorted(set(incremental) ^ set(clean)) + [k for k in clean if k in incremental and incremental[k] != clean[k]]


@needs_tex
def test_incremental_build_equals_a_clean_build(builds):
    assert _differences(builds["edited"], builds["edited_clean"]) == []
    assert "本文件的示例到此为止。" in builds["edited"]["html/example/standard.html"].decode("utf-8")
    notes = builds["edited"]["html/example/notes.html"].decode("utf-8")
    assert "T/XXXX 002—XXXX" in notes and "T/XXXX XXX—XXXX" not in notes   # a page that shows the edited one
    # the LaTeX and PDF of both: the note's text takes the standard's number of chapters
    assert "本文件的示例到此为止。" in builds["edited"]["pdf/example-standard.pdf"].decode("utf-8")
    assert "标准共有\\DUrole{std-value}{6}章" in builds["edited"][".latex/example-notes.tex"].decode("utf-8")
    assert "标准共有 6 章" in builds["edited"]["pdf/example-notes.pdf"].decode("utf-8")
    assert "标准共有 5 章" in builds["first"]["pdf/example-notes.pdf"].decode("utf-8")
    assert "本文件的示例到此为止。".encode() in builds["edited"]["docx/example-standard.docx"]
    # a build with the Word step links the Word files from its first page on (the files are
    # written beside the pages or after them)
    for build in ("first", "edited_clean"):
        assert 'href="../../docx/example-standard.docx"' in builds[build]["html/example/standard.html"].decode()


@needs_tex
def test_only_the_word_file_of_the_edited_document_is_written_again(builds):
    first, edited = builds["docx_inodes"]["first"], builds["docx_inodes"]["edited"]
    assert set(first) == set(edited) == {"example-standard.docx", "example-notes.docx"}
    assert first["example-notes.docx"] == edited["example-notes.docx"]          # the same file
    assert first["example-standard.docx"] != edited["example-standard.docx"]


@needs_tex
def test_a_deleted_document_is_gone_as_in_a_clean_build(builds):
    assert _differences(builds["removed"], builds["removed_clean"]) == []
    assert "html/example/notes.html" in builds["edited"] and "html/example/notes.html" not in builds["removed"]
    for name in ("pdf/example-notes.pdf", ".latex/example-notes.tex"):
        assert name in builds["edited"] and name not in builds["removed"]
    assert "编制说明" not in builds["removed"]["html/example/standard.html"].decode("utf-8")


@needs_tex
def test_unchanged_outputs_are_not_written_again(builds):
    first, edited = builds["first"], builds["edited"]
    same = [k for k in first if k.startswith("html/") and edited.get(k) == first[k]]
    changed = [k for k in first if k.startswith("html/") and k in edited and edited[k] != first[k]]
    assert "html/_static/gb.css" in same and "html/example/standard.html" in changed
    kept = [k for k in same if builds["first_inodes"][k[5:]] == builds["edited_inodes"][k[5:]]]
    assert kept == same
    replaced = [k for k in changed if builds["first_inodes"][k[5:]] != builds["edited_inodes"][k[5:]]]
    assert replaced == changed


@needs_tex
def test_nothing_changed_nothing_written_or_typeset(builds):
    assert builds["unchanged"]["forced_written"]                   # no .tex or PDF written again
    assert "用 xelatex 构建 PDF：全部文件" in builds["unchanged"]["forced"]
    assert "gbstd: PDF 1/" not in builds["unchanged"]["forced"]      # latexmk not run


@needs_tex
def test_a_pdf_whose_latex_is_current_starts_no_sphinx(builds):
    for printed in (builds["unchanged"]["pdf_only"], builds["pdf"]["current"], builds["pdf"]["typeset"]):
        assert "LaTeX 源文件已是最新" in printed and "1 个 PDF 已写入" in printed
        assert f"{STANDARD} 有 0 个错误、0 个警告未处理" in printed
    assert "gbstd: PDF 1/1" not in builds["pdf"]["current"]          # its PDF is current too
    assert "gbstd: PDF 1/1 example-standard" in builds["pdf"]["typeset"]
    failed = builds["pdf"]["failed"]
    assert "LaTeX 源文件已是最新" not in failed and "notes.md" in failed and "build/pdf 保持原样" in failed


def test_pages_of_an_unfinished_run_or_another_toolchain_are_not_trusted(tmp_path):
    from gbstd.commands.build import TOOLCHAIN, UNFINISHED, _trusted_work_folder
    work = tmp_path / ".html"
    _trusted_work_folder(work)                      # a new folder: marked unfinished until Sphinx is done
    assert (work / UNFINISHED).exists()
    (work / "page.html").write_text("old", encoding="utf-8")
    _trusted_work_folder(work)                      # the run before did not finish: emptied
    assert not (work / "page.html").exists()
    (work / "page.html").write_text("old", encoding="utf-8")
    (work / UNFINISHED).unlink()                    # a finished run of this toolchain: kept
    _trusted_work_folder(work)
    assert (work / "page.html").exists()
    (work / UNFINISHED).unlink()
    (work / TOOLCHAIN).write_text("another version", encoding="utf-8")
    _trusted_work_folder(work)                      # written by another toolchain: emptied
    assert not (work / "page.html").exists()
