"""Which files of a project are its documents, and whether each can be read at all.

Kept apart from the checker (``gbstd.check``, which imports the model and the rules): every
``gbstd build`` asks this first, also one that has nothing else to do.
"""
from __future__ import annotations

from pathlib import Path

from .files import read_text
from .findings import Finding, SourceError

RECORD_FOLDERS = {"comments", "ballots"}   # review records and old drafts, not documents
# Plain pages of the site (the user manual, a committee's own help pages): published with the
# corpus, never checked as standards documents.
SITE_PAGES_FOLDER = "manual"


def discover(paths: list[str]) -> list[Path]:
    """Source files named on the command line: files, or folders searched for *.md."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*.md") if p.name != "index.md"
                            and not (RECORD_FOLDERS | {SITE_PAGES_FOLDER}) & set(p.relative_to(path).parts[:-1]))
        else:
            files.append(path)
    return files


def unreadable(folder: Path) -> list[Finding]:
    """Source files Sphinx could not even decode (not UTF-8, unreadable): checked before a build."""
    findings = []
    for path in discover([str(folder)]):
        try:
            read_text(path)
        except SourceError as error:
            findings.append(error.as_finding())
    return findings


SOURCE_NAMES = ("standard", "notes")


def corpus_docnames(srcdir: Path) -> list[str]:
    """Documents of the corpus, as Sphinx docnames: ``<slug>/standard``, ``<slug>/notes``."""
    return sorted(f"{folder.name}/{name}" for folder in srcdir.iterdir() if folder.is_dir()
                  for name in SOURCE_NAMES if (folder / f"{name}.md").is_file())
