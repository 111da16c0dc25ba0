"""What the .docx writer takes from a paragraph besides its plain text.

The model keeps a paragraph as plain text (``Paragraph.text``, the doctree's ``astext()``);
the doctree the model was built from still has the inline markup. ``SourceInline`` keeps,
per source line, the inline pieces the writer prints as something other than plain runs:
equations (``{math}`` roles), emphasis (``**bold**``, ``*italic*``, ``{sub}``, ``{sup}``)
and footnote references (``[^1]``), each with its place in the paragraph's text.

``references`` finds the cross-references a paragraph makes to the document itself
(第5章, 见 5.2, 表1, 公式（3）, 附录A), which the writer prints as REF fields to
bookmarks on their targets (``bookmark_name``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from docutils import nodes

from ..model import Document, Formula, IndicatorTable, Table

# doctree node → kind of inline piece
_KINDS = ((nodes.math, "math"), (nodes.strong, "strong"), (nodes.emphasis, "emphasis"),
          (nodes.subscript, "subscript"), (nodes.superscript, "superscript"),
          (nodes.footnote_reference, "footnote"))
EMPHASIS = ("strong", "emphasis", "subscript", "superscript")


@dataclass
class Inline:
    kind: str          # math | strong | emphasis | subscript | superscript | footnote
    text: str          # as in the model's text: the LaTeX, the emphasised words, the footnote's number
    from_end: int      # where it starts, counted back from the end of its paragraph's text
    note: str = ""     # footnote: its text
    label: str = ""    # footnote: its label as written ([^a] → a)


@dataclass
class SourceInline:
    """Inline pieces by the line of their paragraph, and ```` ```{math} ```` blocks by line
    (the model keeps a ``{math}`` role as its LaTeX text and drops a block; the doctree has both)."""
    inline: dict[int, list[Inline]] = field(default_factory=dict)
    display: list[tuple[int, str]] = field(default_factory=list)
    # table cells (the model keeps a cell as its text): text → the pieces of each cell so written
    cells: dict[str, list[list[Inline]]] = field(default_factory=dict)

    @classmethod
    def of(cls, doctree: nodes.document | None) -> "SourceInline":
        found = cls()
        if doctree is None:
            return found
        for node in doctree.findall(nodes.math_block):
            found.display.append((node.line or 0, node.astext()))
        found.display.sort()
        for paragraph in doctree.findall(nodes.paragraph):
            if any(isinstance(a, nodes.footnote) for a in _ancestors(paragraph)):
                continue     # a footnote's own text: written into the footnote
            pieces: list[tuple[int, nodes.Element, str]] = []
            _collect(paragraph, 0, pieces)
            if not pieces:
                continue
            end = len(paragraph.astext().rstrip())
            line = paragraph.line or next((n.line for _, n, _ in pieces if n.line), 0) or 0
            into = found.inline.setdefault(line, [])
            if any(isinstance(a, nodes.entry) for a in _ancestors(paragraph)):
                into = []
                found.cells.setdefault(paragraph.astext(), []).append(into)
            for start, node, kind in pieces:
                note = label = ""
                if kind == "footnote":
                    target = doctree.ids.get(node.get("refid", ""))
                    if target is None:
                        continue
                    note = "\n".join(p.astext() for p in target.findall(nodes.paragraph))
                    label = (target.get("names") or [node.astext()])[0]
                into.append(Inline(kind, node.astext(), end - start, note, label))
        return found

    def cell(self, text: str) -> list[Inline]:
        """The pieces of the next table cell written ``text`` (cells are taken in order)."""
        waiting = self.cells.get(text)
        return waiting.pop(0) if waiting else []


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _collect(node: nodes.Element, position: int, pieces: list) -> int:
    """Walk ``node``'s children keeping the offset into its ``astext()``; outermost pieces only."""
    for child in node.children:
        kind = next((k for cls, k in _KINDS if isinstance(child, cls)), None)
        if kind is not None:
            pieces.append((position, child, kind))
        elif isinstance(child, nodes.Element):
            _collect(child, position, pieces)
        position += len(child.astext())
    return position


# ---------------------------------------------------------------- cross-references

def bookmark_name(kind: str, number: str) -> str:
    """The bookmark on a target's number: ``_Ref_gbstd_c5_2`` (clause 5.2), ``_t``\u202f表,
    ``_f`` 公式, ``_a`` 附录. A leading underscore hides it in Word's bookmark list, as
    Word's own cross-reference bookmarks (``_Ref…``) are."""
    return f"_Ref_gbstd_{kind}{re.sub(r'[^0-9A-Za-z]', '_', number)}"[:40]


def targets(doc: Document) -> set[tuple[str, str]]:
    """Every (kind, number) a cross-reference can point at: clauses and chapters (c),
    tables (t), numbered formulas (f), annexes (a)."""
    found: set[tuple[str, str]] = set()
    for clause in doc.walk():
        if clause.kind == "annex" and clause.annex_letter:
            found.add(("a", clause.annex_letter))
        elif clause.number and clause.kind in ("chapter", "clause", "annex-clause"):
            found.add(("c", clause.number))
    for _, block in doc.blocks():
        if isinstance(block, (Table, IndicatorTable)) and block.number:
            found.add(("t", block.number))
        elif isinstance(block, Formula) and block.number:
            found.add(("f", block.number))
    return found


_NUMBER = r"(?:\d+|[A-Z])(?:\.\d+)+"
REFERENCE = re.compile(
    r"第\s*(?P<chapter>\d+)\s*章"
    rf"|(?:[见按照据合足至和或、与及]|参见|依据)\s*(?P<clause>{_NUMBER})(?![\d.]*\d)"
    r"|表\s*(?P<table>[A-Z]?\.?\d+(?:\.\d+)?)(?![\d.]*\d)"
    r"|式\s*[（(]\s*(?P<formula>[A-Z]?\.?\d+)\s*[)）]"
    r"|附录\s*(?P<annex>[A-Z])(?![A-Za-z])")
_GROUP_KIND = {"chapter": "c", "clause": "c", "table": "t", "formula": "f", "annex": "a"}


def references(text: str, known: set[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, bookmark) of every number in ``text`` that refers to a target of the
    document: only the number is the field (“表” and “（”…“）” stay text), so that the
    field's result, the bookmarked number, reads the same after Word updates it."""
    found = []
    for m in REFERENCE.finditer(text):
        group = next(g for g in _GROUP_KIND if m.group(g))
        number, kind = m.group(group), _GROUP_KIND[group]
        if (kind, number) in known:
            found.append((m.start(group), m.end(group), bookmark_name(kind, number)))
    return found
