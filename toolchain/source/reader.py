"""Read one source file into the model without Sphinx (docutils + myst-parser).

The Sphinx extension reaches the same model from Sphinx's own doctree; this
path serves ``gbstd check`` and the tests, which need no full build.
"""
from __future__ import annotations

import copy
import gc
import io
import os
from contextlib import contextmanager
from pathlib import Path

from docutils import nodes, utils
from docutils import io as docutils_io
from docutils.core import Publisher, publish_doctree
from docutils.frontend import get_default_settings
from myst_parser.mdit_to_docutils import base as myst_renderer
from myst_parser.parsers.docutils_ import Parser

from . import builder, directives, gblists, metadata, safety, tree
from ..files import read_text
from ..model import Document

MYST_EXTENSIONS = ["colon_fence"]
SETTINGS = {"report_level": 2, "halt_level": 5, "doctitle_xform": False, "myst_enable_extensions": MYST_EXTENSIONS,
            "input_encoding": "unicode", "file_insertion_enabled": False}
_registered = False
# docutils' settings, made once per process (and folder: docutils reads ./docutils.conf)
_settings: dict[str, object] = {}
_defaults: dict[type, object] = {}


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
    with _collector_paused():
        return _parse(path, data)[0]    # the doctree is garbage before the collector resumes


def parse(path: str | Path, data: bytes | None = None):
    """The Document and the docutils doctree it was built from (writers that need what the
    model does not keep, such as ``{math}`` roles, read it from the doctree)."""
    with _collector_paused():
        return _parse(path, data)


@contextmanager
def _heading_text_uncopied():
    """MyST's ``clean_astext`` without its deep copy when nothing would change in the copy.

    For every heading, MyST takes the title's text for its implicit target name with
    ``clean_astext``: a deep copy of the title, image alt texts blanked and raw nodes removed
    in the copy, then its text. A title without images or raw nodes (all but a few) has the
    same text without the copy, which was about a tenth of reading a 20,000-clause source.
    Swapped in only while this reader parses (MyST is pinned); Sphinx builds keep MyST's own.
    """
    original = getattr(myst_renderer, "clean_astext", None)
    if original is None:
        yield
        return

    def clean_astext(node: nodes.Element) -> str:
        if not tree.find(node, (nodes.image, nodes.raw)):
            return node.astext()
        return original(node)

    myst_renderer.clean_astext = clean_astext
    try:
        yield
    finally:
        myst_renderer.clean_astext = original


def _fresh(settings, warnings: bool = True):
    """A copy of docutils' settings for one parse: docutils sets the source path in them, and a
    parse records dependencies (and writes warnings) into objects of its own."""
    settings = copy.copy(settings)
    settings.record_dependencies = utils.DependencyList()
    if warnings:
        settings.warning_stream = io.StringIO()
    return settings


def _publish_settings():
    """The settings ``publish_doctree`` makes from ``SETTINGS`` for every call, made once.

    docutils builds an option parser from every component's settings specification on each
    call (and MyST once more, below): about a tenth of reading a file. The values are the
    same every time, so they are made once (as ``publish_doctree`` makes them) and copied.
    """
    folder = os.getcwd()
    if folder not in _settings:
        publisher = Publisher("standalone", Parser(), "null", source_class=docutils_io.StringInput,
                              destination_class=docutils_io.NullOutput)
        publisher.process_programmatic_settings(None, {**SETTINGS, "warning_stream": io.StringIO()}, None)
        _settings[folder] = publisher.settings
    return _fresh(_settings[folder])


@contextmanager
def _default_settings_kept():
    """MyST's ``make_document`` with docutils' default settings made once per parser class.

    MyST's renderer calls ``make_document()`` (a new option parser for the defaults) for every
    render, even when it is handed the document to render into and throws the new one away.
    Swapped in only while this reader parses, like ``_heading_text_uncopied``.
    """
    original = getattr(myst_renderer, "make_document", None)
    if original is None:
        yield
        return

    def make_document(source_path="notset", parser_cls=myst_renderer.RSTParser) -> nodes.document:
        if parser_cls not in _defaults:
            _defaults[parser_cls] = get_default_settings(parser_cls)
        return utils.new_document(source_path, settings=_fresh(_defaults[parser_cls], warnings=False))

    myst_renderer.make_document = make_document
    try:
        yield
    finally:
        myst_renderer.make_document = original


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while one file is read, then one young collection.

    Reading allocates hundreds of thousands of objects that live until the reading ends
    (tokens, docutils nodes, model objects). Left on, the collector walks them again and
    again as they pile up (a 20,000-clause source: about 2 s of 6.5 s CPU, mostly full
    collections). Paused, they all stay in the young generations; one collection of those
    (generation 1: what this reading allocated, never the older heap, so reading many
    files stays linear) frees the doctree of ``read`` and moves what lives on to the old
    generation, instead of many young collections re-walking them later."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


def _parse(path: str | Path, data: bytes | None = None):
    global _registered
    if not _registered:
        directives.register_with_docutils()
        _registered = True
    path = Path(path)
    text = read_text(path, data)
    meta, body = prepare_body(text, str(path))
    with _heading_text_uncopied(), _default_settings_kept():
        doctree = publish_doctree(body, source_path=str(path), parser=Parser(), settings=_publish_settings())
    gblists.split_paragraphs(doctree)
    return builder.build(doctree, meta, str(path), slug_of(path), text), doctree
