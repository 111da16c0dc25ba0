"""Incremental builds equal clean builds: build, edit, build again; the HTML and the schemas are
byte-identical to a clean build of the edited sources (issue 14). Sphinx keeps its pages in
build/.html and writes only those that may have changed; build/html is replaced whole, and a
file whose bytes did not change stays the same file (same inode): it is never rewritten."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

STEPS = ["--only", "html", "--only", "schemas"]


def _build(project: Path, *extra: str, cache: bool = True) -> None:
    env = {**os.environ, "GBSTD_NO_CACHE": "" if cache else "1"}
    run = subprocess.run([sys.executable, "-m", "gbstd", "build", *STEPS, *extra], cwd=project, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]


def _files(folder: Path) -> dict[str, bytes]:
    files = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    return {k: v for k, v in files.items() if not (k.startswith(".") or "/." in k)}  # stamps, doctrees, work


def _inodes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def _clean(project: Path, name: str) -> dict[str, bytes]:
    """A clean build of the project's sources as they are now, in a copy with no build/."""
    copy = project.parent / name
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("build"))
    _build(copy, cache=False)
    return _files(copy / "build")


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("incremental") / "p"
    run = subprocess.run([sys.executable, "-m", "gbstd", "init", str(project)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    source = project / "standards" / "example" / "standard.md"
    _build(project)
    first, first_inodes = _files(project / "build"), _inodes(project / "build" / "html")
    # 1. one more line, and a new designation, which the explanatory note's page shows
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("T/XXXX XXX—XXXX", "T/XXXX 002—XXXX") + "\n本文件的示例到此为止。\n",
                      encoding="utf-8")
    _build(project)
    edited, edited_inodes = _files(project / "build"), _inodes(project / "build" / "html")
    edited_clean = _clean(project, "clean-edited")
    # 2. the explanatory note deleted: its page goes, the standard's page links to it no more
    (project / "standards" / "example" / "notes.md").unlink()
    index = project / "standards" / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("*/notes\n", ""), encoding="utf-8")
    _build(project)
    return {"first": first, "first_inodes": first_inodes, "edited": edited, "edited_inodes": edited_inodes,
            "edited_clean": edited_clean, "removed": _files(project / "build"),
            "removed_clean": _clean(project, "clean-removed")}


def _differences(incremental: dict, clean: dict) -> list[str]:
    return sorted(set(incremental) ^ set(clean)) + [k for k in clean if k in incremental and incremental[k] != clean[k]]


def test_incremental_build_equals_a_clean_build(builds):
    assert _differences(builds["edited"], builds["edited_clean"]) == []
    assert "本文件的示例到此为止。" in builds["edited"]["html/example/standard.html"].decode("utf-8")
    notes = builds["edited"]["html/example/notes.html"].decode("utf-8")
    assert "T/XXXX 002—XXXX" in notes and "T/XXXX XXX—XXXX" not in notes   # a page that shows the edited one


def test_a_deleted_document_is_gone_as_in_a_clean_build(builds):
    assert _differences(builds["removed"], builds["removed_clean"]) == []
    assert "html/example/notes.html" in builds["edited"] and "html/example/notes.html" not in builds["removed"]
    assert "编制说明" not in builds["removed"]["html/example/standard.html"].decode("utf-8")


def test_unchanged_outputs_are_not_written_again(builds):
    first, edited = builds["first"], builds["edited"]
    same = [k for k in first if k.startswith("html/") and edited.get(k) == first[k]]
    changed = [k for k in first if k.startswith("html/") and k in edited and edited[k] != first[k]]
    assert "html/_static/gb.css" in same and "html/example/standard.html" in changed
    kept = [k for k in same if builds["first_inodes"][k[5:]] == builds["edited_inodes"][k[5:]]]
    assert kept == same
    replaced = [k for k in changed if builds["first_inodes"][k[5:]] != builds["edited_inodes"][k[5:]]]
    assert replaced == changed


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
