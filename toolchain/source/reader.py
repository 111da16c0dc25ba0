"""Read one source file into the model without Sphinx (docutils + myst-parser).

The Sphinx extension reaches the same model from Sphinx's own doctree; this
path serves ``gbstd check`` and the tests, which need no full build.
"""
from __future__ import annotations

import io
from pathlib import Path

from docutils.core import publish_doctree
from myst_parser.parsers.docutils_ import Parser

from . import builder, directives, gblists, metadata, safety
from ..files import read_text
from ..model import Document

MYST_EXTENSIONS = ["colon_fence"]
_registered = False


def prepare_body(text: str, path: str):
    """Front matter → Metadata; body with front matter blanked and list markers escaped."""
    meta, body = metadata.parse(text, path)
    safety.check_limits(body, path)
    return meta, gblists.escape_list_markers(body)


def slug_of(path: Path) -> str:
    return path.resolve().parent.name


def read(path: str | Path, data: bytes | None = None) -> Document:
    """Parse a source file (``data``: its bytes, already read) into a Document; raises
    SourceError for unreadable input."""
    return parse(path, data)[0]


def parse(path: str | Path, data: bytes | None = None):
    """The Document and the docutils doctree it was built from (writers that need what the
    model does not keep, such as ``{math}`` roles, read it from the doctree)."""
    global _registered
    if not _registered:
        directives.register_with_docutils()
        _registered = True
    path = Path(path)
    text = read_text(path, data)
    meta, body = prepare_body(text, str(path))
    doctree = publish_doctree(
        body, source_path=str(path), parser=Parser(),
        settings_overrides={"report_level": 2, "halt_level": 5, "warning_stream": io.StringIO(),
                            "doctitle_xform": False, "myst_enable_extensions": MYST_EXTENSIONS,
                            "input_encoding": "unicode", "file_insertion_enabled": False})
    gblists.split_paragraphs(doctree)
    return builder.build(doctree, meta, str(path), slug_of(path), text), doctree
