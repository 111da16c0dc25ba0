"""Sphinx adapter for the gbstd toolchain.

Thin by design: it registers the toolchain's directives and roles, hands each
source to the toolchain (front matter, GB list lines), builds the model from
the doctree Sphinx produced, runs the checker and reports findings as Sphinx
warnings located at ``docname:line`` with the rule id, and decorates pages
(cover, 目次, annex headings, links between a standard and its notes).
"""
from __future__ import annotations

import logging as std_logging
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.build_phase import BuildPhase

from .. import __version__, check, forked, sources
from ..source import builder, directives, gblists, reader, safety
from ..findings import SourceError
from ..model import Document

logger = logging.getLogger("gbstd")
_raw_sources: dict[str, str] = {}   # docname -> source text, between source-read and doctree-read


# Output-specific parts, each a Sphinx extension of its own.
SUBMODULES = ["gbstd.sphinx.pages", "gbstd.sphinx.htmlwriter", "gbstd.sphinx.search",
              "gbstd.sphinx.latex", "gbstd.sphinx.forms", "gbstd.sphinx.assess",
              "gbstd.sphinx.incremental", "gbstd.sphinx.collector", "gbstd.sphinx.parallel"]


def documents(env) -> dict[str, Document]:
    if not hasattr(env, "gb_docs"):
        env.gb_docs = {}
    return env.gb_docs


def in_folders(app: Sphinx) -> dict[str, list[tuple[str, Document]]]:
    """slug → (docname, document) of its folder, and ("explained", slug) → those of the notes
    that explain it, in the order of ``documents``. Made once per build when writing starts
    (env-updated forgets it), so that no page scans the corpus."""
    found = getattr(app, "gb_in_folders", None)
    if found is None:
        found = app.gb_in_folders = {}
        for name, doc in documents(app.env).items():
            found.setdefault(doc.slug, []).append((name, doc))
            if doc.is_notes and doc.meta.explains:
                found.setdefault(("explained", doc.meta.explains), []).append((name, doc))
    return found


def is_site_page(app: Sphinx, docname: str) -> bool:
    return docname == app.config.root_doc or docname.split("/")[0] == sources.SITE_PAGES_FOLDER


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    path = str(app.env.doc2path(docname))
    if is_site_page(app, docname):   # the index and the manual are not standards documents
        return
    try:
        meta, body = reader.prepare_body(text, path)
    except SourceError as error:
        _warn(app, docname, error.as_finding())
        return
    source[0] = body
    _raw_sources[docname] = text
    app.env.gb_pending_meta = getattr(app.env, "gb_pending_meta", {})
    app.env.gb_pending_meta[docname] = meta


def on_env_before_read_docs(app: Sphinx, env, docnames) -> None:
    env.settings["file_insertion_enabled"] = False   # no include: see gbstd.source.safety


# ---------------------------------------------------------------- gbstd build: LaTeX beside the pages
# ``gbstd build`` (gbstd.commands.build) starts its PDF step in a forked child as soon as the
# HTML step's environment is read, checked and saved, while the parent writes the pages:
# ``when_html_writing`` is run (and emptied) when an HTML builder starts writing. The child's
# own Sphinx loads that environment; should it have documents to read (and so doctrees to
# write, which the parent may be loading), ``before_reading`` makes it wait until the parent's
# pages are written: it then runs exactly as a LaTeX step after the HTML step does.
when_html_writing: list = []
before_reading: list = []


def on_write_started(app: Sphinx, builder) -> None:
    if builder.format == "html":
        while when_html_writing:
            when_html_writing.pop(0)()


def on_read_docs(app: Sphinx, env, docnames) -> None:
    if docnames:
        for hook in before_reading:
            hook()


def on_doctree_sweep(app: Sphinx, doctree: nodes.document) -> None:
    """Before Sphinx copies titles into its tables of contents: nothing raw from a source."""
    docname = app.env.docname
    if docname in _raw_sources:
        safety.sweep(doctree, str(app.env.doc2path(docname)), _raw_sources[docname])


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    meta = getattr(app.env, "gb_pending_meta", {}).pop(docname, None)
    if meta is None:
        return
    gblists.split_paragraphs(doctree)
    path = str(app.env.doc2path(docname))
    doc = builder.build(doctree, meta, path, Path(path).parent.name, _raw_sources.pop(docname, ""))
    builder.assign_anchors(doctree, doc)
    documents(app.env)[docname] = doc


def on_purge(app: Sphinx, env, docname: str) -> None:
    documents(env).pop(docname, None)
    _warned(env).discard(docname)


def on_merge(app: Sphinx, env, docnames, other) -> None:
    for docname in sorted(docnames):     # a frozenset: in the order a serial read adds them
        if docname in documents(other):
            documents(env)[docname] = documents(other)[docname]
    _warned(env).update(_warned(other) & set(docnames))


# ---------------------------------------------------------------- strict on every run
# Sphinx re-reads only changed documents and reports their warnings only then. A build
# stays strict on every run because (1) the checker runs over all documents of the
# environment after every read (env-updated), and (2) a document that warned while it was
# read, or has open findings, is read again on the next run (env-get-outdated), so that
# reader, MyST and directive warnings come back too.

def _warned(env) -> set[str]:
    if not hasattr(env, "gb_warned"):
        env.gb_warned = set()
    return env.gb_warned


def open_findings(env) -> dict[str, int]:
    """docname → number of unsuppressed errors and warnings found by the last check."""
    if not hasattr(env, "gb_open"):
        env.gb_open = {}
    return env.gb_open


# Text that is not running text: code, output passed through, maths.
NOT_PROSE = (nodes.literal_block, nodes.raw, nodes.literal, nodes.math, nodes.math_block)


def prose_texts(doctree: nodes.Node) -> list[nodes.Text]:
    """The Text nodes of the running text, listed first so that callers may replace them."""
    return [text for text in doctree.findall(nodes.Text) if not isinstance(text.parent, NOT_PROSE)]


def replace_text(text: nodes.Text, pieces: list[nodes.Node]) -> None:
    """Put ``pieces`` where ``text`` is. Found by identity: equal Text siblings compare equal."""
    parent = text.parent
    index = next(i for i, child in enumerate(parent.children) if child is text)
    parent[index:index + 1] = pieces


class _ReadWarnings(std_logging.Handler):
    """Remembers which documents warned while Sphinx read them."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(std_logging.WARNING)
        self.app = app
        self.paused = False

    def emit(self, record: std_logging.LogRecord) -> None:
        env = getattr(self.app, "env", None)
        if env is None or self.paused or self.app.phase != BuildPhase.READING:
            return
        # reading in parallel (-j), the warnings of each process are replayed afterwards
        # in this one, where no document is being read: the location names the document
        docname = env.docname or _located_docname(env, getattr(record, "location", None))
        if docname:
            _warned(env).add(docname)


def _located_docname(env, location) -> str | None:
    """The document a warning's location names: (docname, line), "path:line" or a path."""
    if isinstance(location, tuple):
        location = location[0]
    if not isinstance(location, str) or not location:
        return None
    if location in env.found_docs:
        return location
    path = location.rsplit(":", 1)[0] if location.rsplit(":", 1)[-1].isdigit() else location
    try:
        return env.path2doc(path)
    except (ValueError, OSError):
        return None


def on_get_outdated(app: Sphinx, env, added, changed, removed) -> list[str]:
    again = (_warned(env) | {d for d, count in open_findings(env).items() if count}) & env.found_docs
    return sorted(again - set(removed))


def on_env_updated(app: Sphinx, env) -> list[str]:
    """Check every document, whether read in this run or not; report what is open."""
    app.gb_in_folders = None
    if not app.config.gbstd_check:  # the benchmark's baseline: the same build without the checker
        return []
    docs = documents(env)
    ctx = check.build_context(list(docs.values()))
    by_path = {doc.path: name for name, doc in docs.items()}
    before, counts = dict(open_findings(env)), {}
    suppressed = 0
    handler = getattr(app, "gb_read_warnings", None)
    if handler is not None:
        handler.paused = True   # these are not warnings of reading: they come again every run
    names = sorted(docs)
    for docname, findings in zip(names, _checked(app, [docs[name] for name in names], ctx)):
        for finding in findings:
            if finding.suppressed_by:
                suppressed += 1
            elif finding.severity != "info":
                # a finding in a comment round or ballot (YAML) is located in that file
                _warn(app, by_path.get(finding.path) or f"{finding.path}:{finding.line}", finding)
                counts[docname] = counts.get(docname, 0) + 1
    if handler is not None:
        handler.paused = False
    env.gb_open = counts
    if suppressed:
        logger.info(f"gbstd: {suppressed} 条检查结果已按声明的理由抑制（gbstd check 列出全部）")
    # pages that show (or showed) the open-findings mark are written again
    changed = {d for d in set(before) | set(counts) if before.get(d) != counts.get(d)}
    return sorted(changed & set(docs))


CHECK_IN_PARTS_FROM = 32   # documents; fewer are checked in this process (a fork costs more)


def _checked(app: Sphinx, docs: list[Document], ctx) -> list[list]:
    """``check.check_document`` of each of ``docs``. Built with -j (``gbstd.sphinx.parallel``),
    the second half is checked in a forked child on another core while this process checks
    the first: the same function on the same models and context (rules only read them), so
    the findings are those of a serial check, reported in the same order."""
    if app.parallel < 2 or len(docs) < CHECK_IN_PARTS_FROM or not forked.available():
        return [check.check_document(doc, ctx) for doc in docs]
    half = (len(docs) + 1) // 2
    child = forked.Forked(lambda: [check.check_document(doc, ctx) for doc in docs[half:]])
    try:
        mine = [check.check_document(doc, ctx) for doc in docs[:half]]
        return mine + child.result()
    finally:
        child.stop()


def _warn(app: Sphinx, where: str, finding) -> None:
    """Report a finding at ``where``: a docname, or "path:line" for a non-document file."""
    level = {"error": "错误", "warning": "警告"}.get(finding.severity, finding.severity)
    message = f"{finding.rule}（{level}）：{finding.message}"
    if finding.hint:
        message += f"（建议：{finding.hint}）"
    location = where if ":" in where else (where, finding.line)
    logger.warning(message, location=location, type="gbstd", subtype=finding.rule)


# ---------------------------------------------------------------- defaults: one line in conf.py
# ``extensions = ["gbstd.sphinx"]`` is a whole configuration: MyST, the page layout, the
# LaTeX engine, fonts and GB layout. A value set in conf.py (or with -D) wins; lists of
# MyST extensions and exclude patterns are extended, latex_elements merged key by key.

def defaults() -> dict:
    from ..writers.latex import sphinx_latex_elements
    return {
        "html_theme": "basic",
        "html_show_sourcelink": False,
        "html_show_sphinx": False,
        "html_copy_source": False,
        "html_last_updated_fmt": None,
        "html_use_index": False,   # the corpus has no index entries: no empty genindex page
        "latex_engine": "xelatex",
        "latex_elements": sphinx_latex_elements(),
        "latex_table_style": [],   # full grid, as GB tables are printed
        "latex_show_urls": "no",
        "latex_show_pagerefs": False,
        "latex_domain_indices": False,
    }


ADDED = {"myst_enable_extensions": ["colon_fence"],
         # review records live next to the sources; they are not pages
         "exclude_patterns": ["**/comments/**", "**/ballots/**"]}


def _set_by_project(config, name: str) -> bool:
    return name in config._raw_config or name in config.overrides


def on_config_inited(app: Sphinx, config) -> None:
    for name, value in defaults().items():
        if name == "latex_elements":
            config.latex_elements = {**value, **(config.latex_elements or {})}
        elif not _set_by_project(config, name):
            setattr(config, name, value)
    for name, items in ADDED.items():
        current = list(getattr(config, name) or [])
        setattr(config, name, current + [item for item in items if item not in current])
    if not _set_by_project(config, "html_title"):
        config.html_title = config.project


def setup(app: Sphinx) -> dict:
    app.setup_extension("myst_parser")
    app.connect("config-inited", on_config_inited, priority=100)
    for name, directive in directives.DIRECTIVES.items():
        app.add_directive(name, directive)
    for name, role in directives.ROLES.items():
        app.add_role(name, role)
    app.connect("env-before-read-docs", on_env_before_read_docs)
    app.connect("env-before-read-docs", on_read_docs, priority=1000)   # the final list of documents
    app.connect("write-started", on_write_started)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", on_doctree_sweep, priority=100)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.add_config_value("gbstd_check", True, "env", bool)
    app.connect("env-get-outdated", on_get_outdated)
    app.connect("env-updated", on_env_updated)
    handler = app.gb_read_warnings = _ReadWarnings(app)
    std_logging.getLogger("sphinx").addHandler(handler)
    app.connect("build-finished", lambda app, exc: std_logging.getLogger("sphinx").removeHandler(handler))
    for module in SUBMODULES:
        app.setup_extension(module)
    return {"version": __version__, "env_version": 2,
            "parallel_read_safe": True, "parallel_write_safe": True}
