"""Run the rules over documents; apply suppressions; collect findings."""
from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Callable

from . import modelcache, rules
from .forked import usable_cores
from .findings import Finding, SourceError
from .model import Document, DocumentSummary, Suppression
from .sources import discover

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


UNUSED_SUPPRESSION = "GBSTD-UNUSED-SUPPRESSION"


def check_document(doc: Document, ctx: rules.Context) -> list[Finding]:
    """Findings for one document: reading errors, rule findings, declared gaps."""
    findings = list(doc.errors)
    for candidate in rules.applicable(doc):
        findings += rule_findings(candidate, doc, ctx)
    return finish(doc.path, doc.suppressions, findings + declared(doc))


def rule_findings(candidate: rules.Rule, doc: Document, ctx: rules.Context) -> list[Finding]:
    """What one rule reports about ``doc``, as located findings (before suppressions)."""
    return [Finding(candidate.id, report.severity or candidate.severity, report.path or doc.path, report.line,
                    report.message, report.hint) for report in candidate.func(doc, ctx)]


def declared(doc: Document) -> list[Finding]:
    """Findings of the document's own declarations: gaps, and suppressions without a reason."""
    findings = []
    for key, reason in doc.meta.gaps.items():
        findings.append(Finding("GAP-001", "info", doc.path, doc.meta.line_of("gaps"),
                                f"元数据 “{key}” 声明为缺失：{reason}", ""))
    for gap in doc.gaps:
        findings.append(Finding("GAP-001", "info", doc.path, gap.line, f"标记为缺失的内容：{gap.text}", ""))
    findings += [Finding("META-005", "error", doc.path, s.line, f"抑制 {s.rule} 没有写理由，不生效",
                         f"在规则编号后写明理由：% gbstd: ignore {s.rule} 原文如此：……")
                 for s in doc.suppressions if not s.reason]
    return findings


def finish(path: str, suppressions: list[Suppression], findings: list[Finding]) -> list[Finding]:
    """A document's findings with its suppressions applied (and the unused ones reported), sorted."""
    suppressions = [s for s in suppressions if s.reason]
    used: set[int] = set()
    findings = [_suppress(f, path, suppressions, used) for f in findings]
    findings += [_unused(s, path) for n, s in enumerate(suppressions) if n not in used]
    return sorted(findings, key=sort_key)


def _suppress(finding: Finding, path: str, suppressions: list[Suppression], used: set[int]) -> Finding:
    if finding.severity == "info" or finding.path != path:
        return finding
    for index, suppression in enumerate(suppressions):
        if suppression.covers(finding.rule, finding.line, finding.message):
            used.add(index)
            return replace(finding, suppressed_by=suppression.reason)
    return finding


def _unused(suppression: Suppression, path: str) -> Finding:
    if suppression.rule in rules.load_all():
        message = f"抑制 {suppression.rule} 没有抑制任何检查结果"
        hint = "问题已改正时删去这条抑制；否则检查它所在的位置（块抑制只管紧随其后的一个块）或 match"
    else:
        message = f"抑制的规则 {suppression.rule} 不存在"
        hint = "改正规则编号（gbstd rules 列出全部规则）"
    return Finding(UNUSED_SUPPRESSION, "warning", path, suppression.line, message, hint)


def sort_key(finding: Finding) -> tuple:
    return (finding.path, finding.line, SEVERITY_ORDER.get(finding.severity, 3), finding.rule)


def build_context(docs: list[Document]) -> rules.Context:
    corpus: dict[str, list[Document]] = {}
    index: dict[str, list[DocumentSummary]] = {}
    for doc in docs:
        corpus.setdefault(doc.slug, []).append(doc)
        index.setdefault(doc.slug, []).append(DocumentSummary.of(doc))
    return rules.Context(corpus=corpus, index=index)


PARALLEL_FROM = 16   # files; below this, worker processes cost more than they save


def read_all(paths: list[Path], cache: modelcache.Cache | None = None,
             known: list[tuple[bytes | None, bytes | None]] | None = None,
             then: Callable[[Document | Finding], object] | None = None) -> list:
    """Each file as a Document, or the finding that says why it cannot be read.

    With a ``cache``, a file whose entry was written for its current bytes is not read
    again (``gbstd.modelcache``); the others are read and stored. ``known`` gives each
    file's bytes and cache key when the caller has them already. Parsing dominates a
    check, so many files are read in one worker process per core. ``then`` (a function
    that can be pickled) is applied to each result where it was read, in the worker, and
    its results are returned instead.
    """
    results: list = [None] * len(paths)
    todo: list[tuple[int, Path, bytes | None, bytes | None]] = []
    for index, path in enumerate(paths):
        data, key = known[index] if known else lookup(path, cache)
        if key is not None:
            found = cache.get(path, key)
            if found is not None:
                results[index] = then(found) if then else found
        if results[index] is None:
            todo.append((index, path, data, key))
    read = partial(_read, cache=cache, then=then)
    workers = min(usable_cores(), len(todo) // (PARALLEL_FROM // 2))
    if len(todo) < PARALLEL_FROM or workers < 2:
        done = [read(path, data, key) for _, path, data, key in todo]
    else:
        with ProcessPoolExecutor(workers) as pool:
            done = list(pool.map(read, *zip(*[t[1:] for t in todo]),
                                 chunksize=max(1, len(todo) // (workers * 4))))
    for (index, *_), result in zip(todo, done):
        results[index] = result
    return results


def lookup(path: Path, cache: modelcache.Cache | None) -> tuple[bytes | None, bytes | None]:
    """A file's bytes and its cache key; (None, None) without a cache or when it cannot be read
    (the reader says why)."""
    if cache is None:
        return None, None
    try:
        data = path.read_bytes()
    except OSError:
        return None, None
    return data, cache.key(path, data)


def _read(path: Path, data: bytes | None = None, key: bytes | None = None,
          cache: modelcache.Cache | None = None, then: Callable | None = None):
    from .source import directives, reader   # imported only when a file is read: not for a cache hit
    try:
        with directives.models_only():        # the checker writes nothing: no display nodes
            result = reader.read(path, data)
    except SourceError as error:
        result = error.as_finding()
    if cache is not None and key is not None:
        cache.put(path, key, result)
    return then(result) if then else result


def check_paths(paths: list[str], corpus_root: str | None = None, cache: modelcache.Cache | None = None,
                models: bool = True) -> tuple[list[Finding], list]:
    """Read and check files; documents they refer to are read from ``corpus_root`` too.

    Returns the findings and the checked documents; with ``models=False`` and a cache, their
    ``DocumentSummary`` instead (enough for a report, and no model needs loading).
    """
    targets = discover(paths)
    known = {path.resolve() for path in targets}
    context = [p for p in discover([corpus_root]) if p.resolve() not in known] if corpus_root else []
    if cache is not None and not rules.undeclared():
        from . import findingscache
        return findingscache.check(targets, context, cache, models)
    results = read_all(targets + context, cache)
    docs = [r for r in results[:len(targets)] if isinstance(r, Document)]
    findings = [r for r in results[:len(targets)] if isinstance(r, Finding)]
    # a context file that cannot be read is reported when that file itself is checked
    ctx = build_context(docs + [r for r in results[len(targets):] if isinstance(r, Document)])
    for doc in docs:
        findings += check_document(doc, ctx)
    return sorted(findings, key=sort_key), docs
