"""The rule catalogue: each rule is a small function over the document model.

A rule module registers its rules with the ``rule`` decorator::

    @rule("NREF-006", "error", "规范性引用文件与正文引用双向一致", clause="8.6.3.1")
    def listed_and_cited(doc, ctx):
        yield Report(line, "message", "hint")

A rule yields ``Report`` objects; the runner (``toolchain.check``) turns them
into located findings, applies suppressions and sorts them.
"""
from __future__ import annotations

import functools
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from ..model import Document


@dataclass(frozen=True)
class Report:
    line: int
    message: str
    hint: str = ""
    severity: str = ""        # overrides the rule's default (e.g. 宜 constraints → warning)
    path: str = ""            # another file of the corpus (cross-document rules)


@dataclass
class Context:
    """What a rule may look at besides its own document."""
    corpus: dict[str, list[Document]] = field(default_factory=dict)   # slug -> documents

    def standard(self, slug: str) -> Document | None:
        return next((d for d in self.corpus.get(slug, []) if not d.is_notes), None)


RuleFunc = Callable[[Document, Context], Iterable[Report]]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    statement: str
    clause: str               # where the rule comes from (GB/T 1.1-2020 clause or other source)
    applies: tuple[str, ...]  # GB/T 1.1 profiles: "2020", "2009"
    kinds: tuple[str, ...]    # document kinds: "standard", "notes"
    func: RuleFunc


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, statement: str, clause: str = "",
         applies: tuple[str, ...] = ("2020", "2009"), kinds: tuple[str, ...] = ("standard",)):
    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(rule_id, severity, statement, clause, applies, kinds, func)
        return func
    return register


@functools.cache
def load_all() -> dict[str, Rule]:
    """Import every rule module of this package (they register on import); once per process."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return RULES


def applicable(doc: Document) -> Iterator[Rule]:
    for candidate in load_all().values():
        if doc.meta.kind in candidate.kinds and doc.meta.profile in candidate.applies:
            yield candidate
