"""Incremental HTML builds that equal clean builds (and what the LaTeX step shares of it).

Sphinx writes a page again when its source changed; a page of this site also shows what
other files say. Each page gets a signature of everything it takes from outside its own
source, and a page whose signature changed is written again (``env-updated``):

- the pages next to it and above it (``<link rel="prev/next">`` carry their titles);
- for a standard or an explanatory note: the documents of its folder, the standard it
  explains, its parent guideline, the notes that explain it (cover links, values quoted
  from the standard, self-assessment links), and the review records of those folders
  (comment rounds and ballots: links with their tallies);
- whether its Word file is linked (it exists, or the build writes it), and its count of open
  findings;
- for a page with the corpus index or with references to other documents: every document.

A signature holds the time each of those documents was last read, so a page is written
again whenever one of them was read again. At the end of a successful build, pages and
images of documents that are gone are removed from the output folder (``build-finished``),
as a clean build would not have them, and so are words of the search index that no page
has any more.

What a document takes from other documents (``Shown``) is also what the signature of its .tex
is made of (``gbstd.sphinx.latex.LaTeXBuilder``), with what only the pages show (neighbours,
the Word file, review records) left out.
"""
from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from ..review.records import BALLOTS_FOLDER, COMMENTS_FOLDER
from ..texstate import target_name
from . import documents, open_findings


def _needs_corpus(env) -> dict[str, bool]:
    """docname → whether its page shows other documents (corpus index, cross references)."""
    if not hasattr(env, "gb_needs_corpus"):
        env.gb_needs_corpus = {}
    return env.gb_needs_corpus


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    wanted = (addnodes.pending_xref, nodes.container)
    _needs_corpus(app.env)[app.env.docname] = any(
        not isinstance(node, nodes.container) or "gb-corpus-index" in node["classes"]
        for node in doctree.findall(lambda node: isinstance(node, wanted)))


def on_purge(app: Sphinx, env, docname: str) -> None:
    _needs_corpus(env).pop(docname, None)


def on_merge(app: Sphinx, env, docnames, other) -> None:
    theirs = _needs_corpus(other)
    _needs_corpus(env).update({name: theirs[name] for name in docnames if name in theirs})


def _records(folder: Path) -> list:
    """Name, size and modification time of every review record in a document's folder."""
    found = []
    for sub in (COMMENTS_FOLDER, BALLOTS_FOLDER):
        for base, dirs, names in os.walk(folder / sub):
            dirs.sort()
            for name in sorted(names):
                path = Path(base, name)
                stat = path.stat()
                found.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return found


class Shown:
    """What the output of each document takes from other documents, worked out once per build
    for every builder that writes only what changed (the HTML pages here, the .tex files in
    ``gbstd.sphinx.latex``): the documents of its folder, the standard it explains, its parent
    guideline and the notes that explain it (cover links, values quoted from the standard); its
    count of open findings; every document when it shows the corpus index or cross references.
    A document is represented by the time it was last read, so anything read again counts."""

    def __init__(self, env) -> None:
        self.docs, self.read, self.counts = documents(env), env.all_docs, open_findings(env)
        self.in_folder, self.explained_by = defaultdict(list), defaultdict(list)
        for name, doc in self.docs.items():
            self.in_folder[doc.slug].append(name)
            if doc.meta.explains:
                self.explained_by[doc.meta.explains].append(name)
        self.corpus = repr(sorted((name, self.read.get(name), self.counts.get(name, 0))
                                  for name in env.found_docs))
        self.needs_corpus = _needs_corpus(env)

    def folders(self, name: str) -> list[str]:
        """The folders of the documents a document shows: its own, the one it explains, its parent's."""
        doc = self.docs.get(name)
        return [] if doc is None else sorted({doc.slug, doc.meta.explains or doc.slug, doc.meta.parent or doc.slug})

    def parts(self, name: str) -> list:
        parts: list = [self.counts.get(name, 0)]
        doc = self.docs.get(name)
        if doc is not None:
            related = {other for folder in self.folders(name) for other in self.in_folder.get(folder, ())}
            related.update(self.explained_by.get(doc.slug, ()))
            parts.append(sorted((other, self.read.get(other)) for other in related))
        if self.needs_corpus.get(name):
            parts.append(self.corpus)
        return parts


def signature(parts: list) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def signatures(app: Sphinx, env) -> dict[str, str]:
    """docname → hash of what its page takes from other files: ``Shown``, and the pages next to
    it (``<link rel="prev/next">``), whether its Word file exists (the download link) and the
    review records of the folders it shows (links with their tallies)."""
    shown = Shown(env)
    relations = env.collect_relations()
    downloads = Path(app.outdir).parent / "docx"
    srcdir = Path(app.srcdir)
    return {name: signature([[(other, shown.read.get(other)) for other in relations.get(name, ())],
                             app.config.gbstd_word_files or (downloads / f"{target_name(name)}.docx").is_file(),
                             [(folder, _records(srcdir / folder)) for folder in shown.folders(name)],
                             *shown.parts(name)])
            for name in env.found_docs}


def on_env_updated(app: Sphinx, env) -> list[str]:
    """The pages whose signature changed since the last build (all of them the first time)."""
    if app.builder.format != "html":
        return []
    before = getattr(env, "gb_signatures", {})
    env.gb_signatures = now = signatures(app, env)
    return sorted(name for name, signature in now.items() if before.get(name) != signature)


# ---------------------------------------------------------------- pages of documents that are gone

def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    app.gb_pages_written.add(pagename)   # in the main process: every page that is not a document's


def on_build_finished(app: Sphinx, exception) -> None:
    """Remove what a clean build would not write: pages of removed documents and of pages no
    longer generated (review forms, self-assessments), images no document uses."""
    if exception is not None or app.builder.name != "html":
        return
    outdir = Path(app.outdir)
    builder, env = app.builder, app.env
    pages = {str(builder.get_outfilename(name)) for name in env.found_docs | app.gb_pages_written}
    extra = {str(outdir / path.relative_to(folder))
             for folder in map(Path, (os.path.join(app.confdir, p) for p in app.config.html_extra_path))
             for path in (folder.rglob("*") if folder.is_dir() else [folder])}
    for path in outdir.rglob(f"*{builder.out_suffix}"):
        top = path.relative_to(outdir).parts[0]
        if not top.startswith(("_", ".")) and str(path) not in pages and str(path) not in extra:
            path.unlink()
            for folder in path.parents:      # a folder left empty: a clean build has none
                if folder == outdir or any(folder.iterdir()):
                    break
                folder.rmdir()
    images = {unique for _, unique in env.images.values()}
    folder = outdir / builder.imagedir
    for path in folder.iterdir() if folder.is_dir() else []:
        if path.is_file() and path.name not in images:
            path.unlink()
    downloads = {dest for _, dest in env.dlfiles.values()}
    folder = outdir / "_downloads"
    for path in folder.rglob("*") if folder.is_dir() else []:
        if path.is_file() and path.relative_to(folder).as_posix() not in downloads:
            path.unlink()


def on_collect_pages(app: Sphinx):
    """Before the search index is written: words left with no page. Sphinx prunes the pages
    written again from the index it loads, but keeps their words with empty page lists,
    which a clean build does not have (sphinx.search.IndexBuilder.prune)."""
    indexer = getattr(app.builder, "indexer", None)
    for mapping in (getattr(indexer, "_mapping", {}), getattr(indexer, "_title_mapping", {})):
        for word in [word for word, pages in mapping.items() if not pages]:
            del mapping[word]
    return []


def on_builder_inited(app: Sphinx) -> None:
    app.gb_pages_written = set()


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("env-updated", on_env_updated, priority=900)   # after the checker counted findings
    app.connect("html-page-context", on_page_context)
    app.connect("html-collect-pages", on_collect_pages)
    app.connect("build-finished", on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
