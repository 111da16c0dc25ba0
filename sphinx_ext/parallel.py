"""The HTML build on more than one core (``sphinx-build -j N``; ``gbstd build`` passes the
usable cores).

Sphinx's own parallel build does not pay here. Its parallel read forks a process per chunk of
documents, each forked from a parent that has merged every chunk read so far, and each sends
its whole environment back: the work grows with the square of the corpus (slower than a serial
read at 1,000 standards). Its parallel write resolves every page in the parent (loading the
pickled doctree, post-transforms, gbstd's page decoration, the search index) and leaves only
the HTML translation to the workers: the parent stays the bottleneck (at 200 standards two
thirds of the writing were in the parent, and the write took 0.93 of the serial time).

This HTML builder splits both phases instead into N contiguous parts of the sorted document
names, one per process; the parent does the first part itself, while the others are done in
forked processes (``sphinx.util.parallel.ParallelTasks``: their warnings are replayed in the
parent, so ``-W`` fails the build as a serial one does; a worker that fails fails the build):

- **reading**: every document to read is purged first; each worker is forked before the
  parent reads anything, so it carries only what the environment held before this read (in a
  clean build: nothing) and sends back its environment once (gbstd's models only of its own
  documents); the parent merges the parts in order, so everything is in the order a serial read
  leaves it. When most of the corpus is not read again (an incremental build) the read is
  serial: a worker would send back the whole environment for a few documents.
- **writing**: the parent writes the first page (templates compiled and gbstd's per-build
  tables made before forking, so no worker makes them again), then each worker loads,
  resolves and writes the pages of its part completely and sends back what the parent needs
  at the end: its pages' part of the search index and the images they use. The parent merges
  them in order after its own part: the search index and the pages are byte-identical to a
  serial build's (``tests/test_parallel_build.py``).

With one core (``-j 1``), too few documents, or without ``fork``, Sphinx's serial read and
write run as they are; so they do when an extension (of a project's conf.py) does not declare
itself safe in parallel (Sphinx would warn, and a strict build would fail on that warning).
"""
from __future__ import annotations

import pickle
import signal
from collections.abc import Sequence

from sphinx.application import Sphinx
from sphinx.builders import _write_docname
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.util import logging
from sphinx.util.parallel import ParallelTasks

from .. import forked
from . import collector, documents

logger = logging.getLogger("gbstd")

# Fewer documents than this per process: not worth a fork (an edit's few pages).
READ_PER_PROCESS_FROM = 2
WRITE_PER_PROCESS_FROM = 8
WRITE_PIECES = 3      # forked workers one after the other per writing part (see _write_parallel)

# What extensions make per page while pages are written and the parent needs at the end: dicts
# on the application, whose entries each writing worker sends back (gbstd.sphinx.assess: the
# self-assessment pages of each standard, written by the parent with the other extension pages).
SHARED = ("gb_assess_of",)

# The search index's per-page tables (sphinx.search.IndexBuilder), merged after a parallel write.
INDEX_PAGES = ("_titles", "_filenames", "_all_titles", "_index_entries")
INDEX_WORDS = ("_mapping", "_title_mapping")


def parts(names: Sequence[str], count: int) -> list[list[str]]:
    """``names`` in ``count`` contiguous parts of (nearly) equal size, in order."""
    size, rest = divmod(len(names), count)
    found, start = [], 0
    for index in range(count):
        end = start + size + (1 if index < rest else 0)
        found.append(list(names[start:end]))
        start = end
    return found


class _Results:
    """Results of ParallelTasks' workers, kept by part number and handed out in order."""

    def __init__(self) -> None:
        self.found: dict[int, object] = {}

    def keeper(self, index: int):
        return lambda arg, result: self.found.__setitem__(index, result)

    def in_order(self) -> list:
        return [self.found[index] for index in sorted(self.found)]


def _worker_start() -> None:
    forked.die_with_parent()     # a killed build leaves no worker writing into its output
    # Ctrl-C in a terminal reaches the whole process group: the parent stops the workers
    # (``_stop``) and says 已中断; a worker's own interrupt would fail the build with a traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(tasks: ParallelTasks) -> None:
    """End the workers after an exception or an interrupt in the parent, whatever state each is
    in (the interrupt may have come while one was being forked); the parent's exception is the
    one reported."""
    for process in list(tasks._procs.values()):
        try:
            if process.pid is not None and process.is_alive():
                process.terminate()
        except Exception:       # noqa: BLE001 - cleaning up after another exception
            pass


class HTMLBuilder(StandaloneHTMLBuilder):
    """Sphinx's HTML builder, reading and writing in N parts on N cores (see the module)."""

    gb_reads_in_parts = True

    # ------------------------------------------------------------ reading

    def _read_parallel(self, docnames: list[str], nproc: int) -> None:
        kept = len(set(self.env.all_docs) - set(docnames))
        if len(docnames) < READ_PER_PROCESS_FROM * nproc or kept > len(docnames) or not forked.available():
            self._read_serial(docnames)
            return
        for docname in docnames:
            self.events.emit("env-purge-doc", self.env, docname)
            self.env.clear_doc(docname)
        mine, *theirs = parts(sorted(docnames), nproc)
        tasks, results = ParallelTasks(nproc - 1), _Results()
        try:
            for index, part in enumerate(theirs):
                tasks.add_task(self._read_part, part, results.keeper(index))
            for docname in mine:
                collector.document_done(self._app, self.env)
                self.read_doc(docname, _cache=False)
            collector.document_done(self._app, self.env)
        except BaseException:
            _stop(tasks)
            raise
        tasks.join()
        for part, data in zip(theirs, results.in_order()):
            self.env.merge_info_from(part, pickle.loads(data), self._app)   # from our own worker

    def _read_part(self, names: list[str]) -> bytes:
        """In a worker: read ``names``; the environment as pickled bytes, gbstd's models only of ``names``."""
        _worker_start()
        self.env._app = self._app
        for docname in names:
            collector.document_done(self._app, self.env)
            self.read_doc(docname, _cache=False)
        collector.document_done(self._app, self.env)
        models = documents(self.env)
        self.env.gb_docs = {name: models[name] for name in names if name in models}
        return pickle.dumps(self.env, pickle.HIGHEST_PROTOCOL)

    # ------------------------------------------------------------ writing

    def _write_parallel(self, docnames: Sequence[str], nproc: int) -> None:
        processes = nproc + 1             # Sphinx passes the number of workers besides the parent
        if len(docnames) < WRITE_PER_PROCESS_FROM * processes or not forked.available():
            self._write_serial(docnames)
            return
        mine, *theirs = parts(list(docnames), processes)
        _write_docname(mine[0], env=self.env, builder=self, tags=self.tags)   # warms every cache
        collector.before_fork(self._app)
        # each worker's part in a few pieces, each written by a newly forked worker: a worker's
        # memory grows as it touches what it shares with the parent (reference counts), and a
        # piece's worker ends before the next one starts
        pieces = [piece for part in theirs for piece in parts(part, min(WRITE_PIECES, len(part)))]
        tasks, results = ParallelTasks(nproc), _Results()
        try:
            for index, piece in enumerate(pieces):
                tasks.add_task(self._write_part, piece, results.keeper(index))
            for docname in mine[1:]:
                _write_docname(docname, env=self.env, builder=self, tags=self.tags)
                tasks._join_one()                  # the next piece starts when a worker is done
        except BaseException:
            _stop(tasks)
            raise
        tasks.join()
        for data in results.in_order():
            self._merge_written(data)

    def _write_part(self, names: list[str]) -> dict:
        """In a worker: write the pages ``names``; what the parent needs of them at the end."""
        _worker_start()
        indexer = self.indexer
        if indexer is not None:
            for name in INDEX_PAGES + INDEX_WORDS:
                setattr(indexer, name, {})
        images = dict(self.images)
        shared = {name: set(getattr(self._app, name, None) or ()) for name in SHARED}
        for docname in names:
            _write_docname(docname, env=self.env, builder=self, tags=self.tags)
        return {"index": None if indexer is None else {name: getattr(indexer, name)
                                                        for name in INDEX_PAGES + INDEX_WORDS},
                "images": {key: value for key, value in self.images.items() if key not in images},
                "shared": {name: {key: value for key, value in (getattr(self._app, name, None) or {}).items()
                                  if key not in shared[name]} for name in SHARED}}

    def _merge_written(self, data: dict) -> None:
        if data["index"] is not None and self.indexer is not None:
            for name in INDEX_PAGES:
                getattr(self.indexer, name).update(data["index"][name])
            for name in INDEX_WORDS:
                mapping = getattr(self.indexer, name)
                for word, pages in data["index"][name].items():
                    mapping.setdefault(word, set()).update(pages)
        self.images.update(data["images"])
        for name, entries in data["shared"].items():
            if getattr(self._app, name, None) is None:
                setattr(self._app, name, {})
            getattr(self._app, name).update(entries)


def on_builder_inited(app: Sphinx) -> None:
    """With an extension (of a project's conf.py) that does not say it is safe in parallel,
    Sphinx would warn, which fails a strict (-W) build; such a build runs in one process."""
    if app.parallel < 2:
        return
    unsafe = sorted(name for name, extension in app.extensions.items()
                    if not (getattr(extension, "parallel_read_safe", None)
                            and getattr(extension, "parallel_write_safe", None)))
    if unsafe:
        logger.info(f"gbstd: 扩展 {'、'.join(unsafe)} 未声明可以并行运行，按单进程构建")
        app.parallel = 1


def setup(app: Sphinx) -> dict:
    app.add_builder(HTMLBuilder, override=True)
    app.connect("builder-inited", on_builder_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
