"""What the LaTeX folder (``build/.latex``) was made from, so that a build redoes only what changed.

Two records, JSON files in that folder (each written whole: ``gbstd.files.write_text``):

- ``WRITTEN``, kept by the Sphinx extension (``gbstd.sphinx.latex``): for each .tex file, the
  signature of everything it shows — its document, what it takes from other documents
  (``gbstd.sphinx.incremental.Shown``), the configuration, the toolchain, the date Sphinx prints
  — the hash of the file as it was written and the images it uses. A .tex whose signature did
  not change and whose file is still as written is not written again.
- ``PDFS``, kept by ``gbstd build``: for each document, the .tex and LaTeX support files its
  PDF was last typeset from (latexmk runs only for a document whose .tex or support files
  changed or whose PDF is gone), and the inputs of the last strict build that left its .tex
  current, with its open findings then: ``gbstd build --pdf`` of an unchanged project starts
  no Sphinx (``gbstd.commands.build``).

A record that cannot be read counts as empty: everything is done again.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .files import write_text

WRITTEN = ".gbstd-written.json"
PDFS = ".gbstd-pdfs.json"


def target_name(docname: str) -> str:
    """``green-logistics/notes`` → ``green-logistics-notes``: the name of its .tex and .pdf."""
    return docname.replace("/", "-")


def load(path: Path) -> dict:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def save(path: Path, record: dict) -> None:
    write_text(path, json.dumps(record, sort_keys=True, ensure_ascii=False, indent=0))


def digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def typeset_key(work: Path, name: str, support: str) -> str | None:
    """What the PDF of ``name`` is typeset from: its .tex and the support files (``support``)."""
    tex = digest(work / f"{name}.tex")
    return None if tex is None else hashlib.sha256(f"{tex}\0{support}".encode()).hexdigest()


def support(work: Path) -> str:
    """A hash of the files of the LaTeX folder that belong to no document — Sphinx's classes and
    packages, latexmkrc, the images — which every PDF is typeset with besides its own .tex.
    A document's files all start with the name of its .tex (``name.aux``, ``name.pdf``)."""
    documents = {path.stem for path in work.glob("*.tex")}
    found = hashlib.sha256()
    for path in sorted(work.rglob("*")):
        relative = path.relative_to(work)
        if path.is_dir() or relative.parts[0].startswith(".") or (
                len(relative.parts) == 1 and path.name.partition(".")[0] in documents):
            continue
        found.update(f"{relative.as_posix()}\0{digest(path)}\n".encode("utf-8", "surrogateescape"))
    return found.hexdigest()
