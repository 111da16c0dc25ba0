"""Findings of ``gbstd check`` kept between runs, per document, beside the model cache.

A check of an unchanged corpus should not run 120 rules over every model again. What a
rule's findings depend on is declared with the rule (its scope, ``gbstd.rules``), and each
document's findings are stored per rule with the key of what they were computed for:

- the entry itself is stored under the document's model key (``gbstd.modelcache``: the
  file's bytes, path, folder listing and the toolchain), so findings of **document** rules
  are valid as long as the entry is found;
- a **files** rule's findings carry a hash of the files it reads (their bytes; a folder's
  listing; a missing file as missing), taken again on every check;
- a **corpus** rule's findings carry the model keys of the documents it reads
  (``refers``, worked out again on every check from the summaries of the corpus).

A part whose key no longer matches is computed again from the models (read from the model
cache); everything else comes from the entry, so an unchanged document costs reading its
file, a hash and one small entry, and no model is loaded. The entry also keeps the
document's ``DocumentSummary``, from which the index of the corpus is built that
cross-document rules look their documents up in. Entries are signed and unpickled like the
models (``gbstd.modelcache``, docs/security.md).

A file without an entry (a first check, an edit) is read in a worker process
(``gbstd.check.read_all``), and the same worker runs its document and files rules
(``first_check``), so on a cold check the rules run in parallel with the reading; the
parent runs only the corpus rules. Models are not sent back to the parent: the parts still
to compute take them from the model cache one document at a time (holding only the
documents others read, such as a guideline), so the parent's memory does not grow with the
corpus. The checker reads without display nodes
(``gbstd.source.directives.models_only``).

Every part is computed by the same functions as an uncached check (``gbstd.check``), and
assembled in the same order, so a cached check reports exactly what an uncached one does
(``tests/test_rule_scopes.py`` compares them byte for byte after edits of several kinds).
A rule is run with only what its scope allows: a document rule gets an empty context, a
corpus rule the documents it declared (so a rule that reads more than it declares reports
differently from an uncached check, and the comparison fails).
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import modelcache, rules
from .check import declared, finish, lookup, read_all, rule_findings, sort_key
from .findings import Finding
from .model import Document, DocumentSummary, Suppression

SECTION = "findings"


@dataclass
class Part:
    """One rule's findings about a document, and the key of what they were computed for
    (``None``: of inputs that cannot be named; computed again on every check)."""
    key: bytes | None
    findings: list[Finding]


@dataclass
class Checked:
    """What a check found in one document, stored under its model key."""
    summary: DocumentSummary
    errors: list[Finding]                 # reading errors
    declared: list[Finding]               # declared gaps, suppressions without a reason
    suppressions: list[Suppression]
    rules: list[str]                      # the rules that apply to it, in the runner's order
    parts: dict[str, Part] = field(default_factory=dict)   # rule id -> findings, once computed

    @classmethod
    def of(cls, doc: Document) -> "Checked":
        return cls(DocumentSummary.of(doc), list(doc.errors), declared(doc), list(doc.suppressions),
                   [r.id for r in rules.applicable(doc)])

    def findings(self) -> list[Finding]:
        """Suppressed and sorted, as ``gbstd.check.check_document`` gives them."""
        found = list(self.errors)
        for rule_id in self.rules:
            found += self.parts[rule_id].findings
        return finish(self.summary.path, self.suppressions, found + self.declared)


modelcache.add_section(SECTION, Checked, Part)


def first_check(result: Document | Finding, targets: frozenset[str]) -> tuple[Finding | None, Checked | None]:
    """A new entry for a document just read; for a document being checked (in ``targets``),
    with the findings of its document and files rules (the corpus rules need the others).
    The model itself is not returned (it is in the model cache: sending it costs more); the
    finding that says why a file cannot be read is."""
    if not isinstance(result, Document):
        return result, None
    entry = Checked.of(result)
    if result.path in targets:
        keys = _Keys({}, {})
        for rule_id in entry.rules:
            candidate = rules.RULES[rule_id]
            if candidate.scope != rules.CORPUS:
                entry.parts[rule_id] = Part(keys.of(candidate, entry.summary),
                                            rule_findings(candidate, result, rules.Context()))
    return None, entry


class _Keys:
    """The key of each part of a document's findings, as the corpus stands now."""

    def __init__(self, index: dict[str, list[DocumentSummary]], keys: dict[str, list[bytes]]):
        self.index = index
        self.keys = keys                           # slug -> model keys of its documents
        self._files: dict[tuple, bytes | None] = {}

    def of(self, candidate: rules.Rule, summary: DocumentSummary) -> bytes | None:
        if candidate.scope == rules.DOCUMENT:
            return b""
        digest = hashlib.sha256(candidate.scope.encode())
        if candidate.scope == rules.CORPUS:
            for slug in candidate.refers(summary, self.index):
                digest.update(f"{slug}\0".encode("utf-8", "surrogateescape"))
                for key in self.keys.get(slug, []):
                    digest.update(key)
            return digest.digest()
        files = self._files_key(candidate, summary.path)
        if files is None:
            return None
        digest.update(files)
        return digest.digest()

    def _files_key(self, candidate: rules.Rule, source: str) -> bytes | None:
        memo = (candidate.files, source)
        if memo not in self._files:
            named = candidate.files(source)
            self._files[memo] = None if named is None else _state(named)
        return self._files[memo]


def _state(paths: list[Path]) -> bytes:
    """A hash of what the files say: a file's bytes, a folder's listing, a missing path as missing."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path}\0{os.path.realpath(path)}\0".encode("utf-8", "surrogateescape"))
        try:
            if path.is_dir():
                names = "\0".join(sorted(os.listdir(path)))
                digest.update(b"d" + hashlib.sha256(names.encode("utf-8", "surrogateescape")).digest())
            else:
                digest.update(b"f" + hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"-")
    return digest.digest()


def _context(candidate: rules.Rule, summary: DocumentSummary, index: dict[str, list[DocumentSummary]],
             documents: dict[str, list[int]], model) -> rules.Context:
    """What a rule of this scope may see: nothing, or the documents a corpus rule declared."""
    if candidate.scope != rules.CORPUS:
        return rules.Context()
    corpus = {slug: [doc for doc in map(model, documents[slug]) if isinstance(doc, Document)]
              for slug in candidate.refers(summary, index) if slug in documents}
    return rules.Context(corpus=corpus, index=index)


def check(targets: list[Path], context: list[Path], cache: modelcache.Cache,
          models: bool = True) -> tuple[list[Finding], list]:
    """``gbstd.check.check_paths`` with a cache: the same findings, computed only where their
    inputs changed."""
    paths = targets + context
    known = [lookup(path, cache) for path in paths]
    entries: list[Checked | None] = [cache.get(path, key, SECTION) if key is not None else None
                                     for path, (_, key) in zip(paths, known)]
    loaded: dict[int, Document | Finding] = {}

    def load(indices) -> None:
        todo = sorted(set(indices) - set(loaded))
        for index, result in zip(todo, read_all([paths[i] for i in todo], cache, [known[i] for i in todo])):
            loaded[index] = result

    # files without an entry: read (or taken from the model cache), and checked by the rules
    # that need no other document, in the worker process that read them
    fresh = [i for i, entry in enumerate(entries) if entry is None]
    targeted = frozenset(str(paths[i]) for i in fresh if i < len(targets))
    for i, (result, entry) in zip(fresh, read_all([paths[i] for i in fresh], cache, [known[i] for i in fresh],
                                                  partial(first_check, targets=targeted))):
        entries[i] = entry
        if result is not None:
            loaded[i] = result
    changed: set[int] = {i for i in fresh if entries[i] is not None}
    if models:
        load(range(len(targets)))

    index: dict[str, list[DocumentSummary]] = {}
    slugs: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        if entry is not None:
            index.setdefault(entry.summary.slug, []).append(entry.summary)
            slugs.setdefault(entry.summary.slug, []).append(i)
    keys = _Keys(index, {slug: [known[i][1] for i in members] for slug, members in slugs.items()})

    plan: dict[int, list[tuple[rules.Rule, bytes | None]]] = {}
    for i in range(len(targets)):
        entry = entries[i]
        if entry is None:
            continue
        for rule_id in entry.rules:
            candidate = rules.RULES[rule_id]
            key = keys.of(candidate, entry.summary)
            part = entry.parts.get(rule_id)
            if part is None or key is None or part.key != key:
                plan.setdefault(i, []).append((candidate, key))
    # computed one document at a time, with models from the model cache: a document's own, and
    # those its corpus rules read, held from their first reader to their last (a guideline by
    # all its standards; an explained standard by its notes and its own rules), then let go
    refers = {i: {j for candidate, _ in todo if candidate.scope == rules.CORPUS
                  for slug in candidate.refers(entries[i].summary, index) for j in slugs.get(slug, [])}
              for i, todo in plan.items()}
    readers: dict[int, int] = {}             # referred document -> plan items still to use it
    for referred in refers.values():
        for j in referred:
            readers[j] = readers.get(j, 0) + 1
    for j in readers:
        readers[j] += j in plan              # its own rules use it too
    held: dict[int, Document | Finding] = {}

    def model(i: int) -> Document | Finding:
        found = loaded.get(i, held.get(i))
        if found is None:
            found = read_all([paths[i]], cache, [known[i]])[0]
            if readers.get(i):
                held[i] = found
        return found

    def used(j: int) -> None:
        if j in readers:
            readers[j] -= 1
            if not readers[j]:
                held.pop(j, None)

    for i, todo in plan.items():
        doc, entry = model(i), entries[i]
        for candidate, key in todo:
            entry.parts[candidate.id] = Part(key, rule_findings(candidate, doc, _context(
                candidate, entry.summary, index, slugs, model)))
        changed.add(i)
        del doc
        for j in refers[i]:
            used(j)
        used(i)
    for i in sorted(i for i in changed if known[i][1] is not None):
        cache.put(paths[i], known[i][1], entries[i], SECTION)

    findings = [loaded[i] for i in range(len(targets)) if isinstance(loaded.get(i), Finding)]
    for i in range(len(targets)):
        if entries[i] is not None:
            findings += entries[i].findings()
    checked = [(loaded[i] if models else entries[i].summary) for i in range(len(targets)) if entries[i] is not None]
    return sorted(findings, key=sort_key), checked

