"""Python's cyclic garbage collector during a Sphinx build, and doctrees not kept in memory.

Reading a corpus piles up millions of objects that live until the build ends (the
environment, tables of contents, gbstd's models) or until the document is written (its
doctree). Left to itself, the collector walks them again and again as they pile up: its
full collections were about 30 % of the CPU of a 200-standard HTML build. And Sphinx keeps
every doctree it read in memory until it writes the page (``env._write_doc_doctree_cache``),
about 0.65 MB per standard.

In a serial read, and in each process of ``gbstd.sphinx.parallel``'s read in parts (Sphinx's
own parallel read is left alone), this module:

- pauses the collector from the first document read until reading ends; before each
  document (``env-purge-doc``) one young collection (generation 1: what the previous
  document allocated, never the older heap) frees that document's garbage;
- lets Sphinx's in-memory doctree go before the next document is read: the pickled doctree
  Sphinx wrote anyway is what the writers load (as after a parallel read or in an
  incremental build), one page at a time, and its bytes are not kept after loading;
- when reading ends (``env-updated``, after the checker and every other handler), runs one
  full collection and freezes what is left (``gc.freeze``: the environment and the models
  stay until the end of the build, so writing each page does not walk them again), then
  turns the collector on again; ``build-finished`` unfreezes.
"""
from __future__ import annotations

import gc

from sphinx.application import Sphinx


WRITING_THRESHOLD = 100_000


def _state(app: Sphinx) -> dict:
    if not hasattr(app, "gb_collector"):
        app.gb_collector = {"reading": False, "frozen": False}
    return app.gb_collector


def on_before_read(app: Sphinx, env, docnames) -> None:
    state = _state(app)
    in_workers = app.parallel > 1 and not getattr(app.builder, "gb_reads_in_parts", False)
    if in_workers or not gc.isenabled() or not docnames:
        return   # Sphinx's own parallel read (or a caller manages the collector itself)
    state["reading"] = True
    gc.disable()


def _previous_document_done(env) -> None:
    env._write_doc_doctree_cache.clear()   # the writers load the pickled doctree
    gc.collect(1)


def document_done(app: Sphinx, env) -> None:
    """Before a document is read outside ``_read_serial`` (``gbstd.sphinx.parallel``, where every
    document is purged first): the one read before it is done."""
    if _state(app)["reading"]:
        _previous_document_done(env)


def on_purge(app: Sphinx, env, docname: str) -> None:
    """Before each document is read (Sphinx purges it first): the one read before it is done."""
    if _state(app)["reading"]:
        _previous_document_done(env)


def on_env_updated(app: Sphinx, env) -> None:
    state = _state(app)
    if not state["reading"]:
        return
    state["reading"] = False
    _previous_document_done(env)
    gc.collect()
    gc.freeze()
    state["frozen"] = True
    state["threshold"] = gc.get_threshold()
    gc.set_threshold(WRITING_THRESHOLD, *state["threshold"][1:])
    gc.enable()


def on_doctree_resolved(app: Sphinx, doctree, docname: str) -> None:
    """The page is being written: the bytes of its pickled doctree are not needed again."""
    if _state(app)["frozen"]:
        app.env._pickled_doctree_cache.pop(docname, None)


def on_build_finished(app: Sphinx, exception) -> None:
    state = _state(app)
    if state["reading"]:         # reading failed half-way
        state["reading"] = False
        gc.enable()
    if state["frozen"]:
        state["frozen"] = False
        gc.set_threshold(*state["threshold"])
        gc.unfreeze()


def setup(app: Sphinx) -> dict:
    app.connect("env-before-read-docs", on_before_read, priority=900)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-updated", on_env_updated, priority=1000)   # after every other handler
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("build-finished", on_build_finished, priority=1000)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
