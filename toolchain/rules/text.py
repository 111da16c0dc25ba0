"""What the GB/T 1.1 rules share: the running text of a document, modal verbs, elements.

``prose(doc)`` yields every piece of running text with its source line, with
quotations, titles in 《》 and gap marks masked so that words quoted from other
documents are not read as this document's wording. ``modal_verbs`` finds the
verbal forms of GB/T 1.1 Annex C after taking out words that merely contain
their characters (应用, 适宜, 可能 … — the tokenisation note VERB-010).
"""
from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

from ..model import (Clause, Document, Figure, Formula, Gap, IndicatorTable, ListBlock, Paragraph, Table,
                     Term, iter_items)

T = TypeVar("T")
MASK = "□"
QUOTED = re.compile(r"《[^》]*》|“[^”]*”|「[^」]*」|〔[^〕]*〕")


def mask(text: str, pattern: re.Pattern = QUOTED) -> str:
    """``text`` with every match of ``pattern`` blanked out, keeping positions."""
    return pattern.sub(lambda m: MASK * len(m.group()), text)


# ---------------------------------------------------------------- running text


@dataclass(frozen=True)
class Prose:
    raw: str          # as written
    text: str         # quotations and gap marks masked
    line: int
    clause: Clause
    kind: str         # heading | text | note | example | item | definition | term-note | term-example | cell | indicator | symbol

    def line_at(self, position: int) -> int:
        return self.line + self.raw.count("\n", 0, position)


def _prose(raw: str, line: int, clause: Clause, kind: str) -> Prose:
    return Prose(raw, mask(raw), line, clause, kind)


def once_per_document(gather: Callable[[Document], Iterable[T]]) -> Callable[[Document], list[T]]:
    """``gather(doc)`` run once per document, its items kept in a list until the document is
    dropped. For what many rules read: rules read a document, never change it."""
    found: dict[int, list[T]] = {}

    @functools.wraps(gather)
    def gathered(doc: Document) -> list[T]:
        items = found.get(id(doc))
        if items is None:
            items = found[id(doc)] = list(gather(doc))
            weakref.finalize(doc, found.pop, id(doc), None)
        return items
    return gathered


def prose(doc: Document, kinds: tuple[str, ...] | None = None) -> Iterator[Prose]:
    """The running text of ``doc``: headings, paragraphs, list items, term entries, table cells.

    The entries of 规范性引用文件 and 参考文献 are titles of other documents, not
    this document's wording, and are left out. Gathered once per document: most rules read
    it, and gathering it (masking every piece) was half the time of the rules.
    """
    pieces = _gather(doc)
    return iter(pieces) if kinds is None else (piece for piece in pieces if piece.kind in kinds)


@once_per_document
def _gather(doc: Document) -> Iterator[Prose]:
    listing = references_chapter(doc)
    for clause in doc.walk():
        pieces = [] if clause is listing or clause.kind == "bibliography" else _block_prose(clause)
        if clause.title and clause.kind != "section":
            pieces.insert(0, _prose(clause.title, clause.line, clause, "heading"))
        yield from pieces


def _block_prose(clause: Clause) -> list[Prose]:
    found: list[Prose] = []
    for block in clause.blocks:
        if isinstance(block, Paragraph):
            found.append(_prose(block.text, block.line, clause, block.kind))
        elif isinstance(block, ListBlock):
            found += [_prose(item.text, item.line, clause, "item") for item in iter_items(block.items)]
        elif isinstance(block, Term):
            if block.definition:
                found.append(_prose(block.definition, block.definition_line or block.line, clause,
                                    "definition"))
            found += [_prose(p.text, p.line, clause, f"term-{p.kind}") for p in block.notes + block.examples]
            found += [_prose(p.text, p.line, clause, "definition") for p in block.extra]
        elif isinstance(block, Table):
            found += [_prose(cell, block.line, clause, "cell") for row in block.rows for cell in row]
        elif isinstance(block, IndicatorTable):
            for indicator in block.walk():
                texts = [indicator.name, indicator.criteria] + [level.criterion for level in indicator.levels]
                found += [_prose(t, indicator.line, clause, "indicator") for t in texts if t]
        elif isinstance(block, Formula):
            found += [_prose(s.meaning, s.line, clause, "symbol") for s in block.symbols if s.meaning]
        elif isinstance(block, Figure):
            found += [_prose(p.text, p.line, clause, p.kind) for p in block.notes]
    return found


# ---------------------------------------------------------------- sentences and verbal forms

SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
PHRASE = re.compile(r"[^，。；：！？、,;:\n]+")


def sentences(text: str) -> Iterator[re.Match]:
    return SENTENCE.finditer(text)


def phrases(text: str) -> list[re.Match]:
    """The comma-separated parts of a sentence."""
    return list(PHRASE.finditer(text))


# Words that contain 应/宜/可/得 without being a verbal form (VERB-010). Longest first.
NOT_MODAL = sorted("""
应用 响应 相应 对应 供应 适应 反应 效应 应急 应对 回应 呼应 感应 应届 应变 应力 应收 应付 应税 应纳
答应 顺应 因应 报应
适宜 便宜 事宜 宜居 相宜 机宜
可能 不可能 有可能 可能性 可靠 可见 可行 许可 认可 可持续 可再生 可回收 可追溯 可溯源 可验证
可量化 可比较 可比 可操作 可计算 可选 可用 可控 可视 可信 可燃 可降解 可吸入 可得 可产出 可读 可变
可逆 可调 可测 可考核 可复制 可推广 可接受 可达 可循环 可利用 可重复 可替代 可拆解 可维护
可修复 可扩展 可获得 可获取 可计量 可核查 可监测 可是 可谓 可观 可贵 可惜 可笑 可疑 可口
不可或缺 必不可少 不可避免 不可抗力 不可预见 密不可分
""".split(), key=len, reverse=True)
NOT_MODAL_RE = re.compile("|".join(NOT_MODAL))
MODAL = re.compile(r"不应|不宜|不必|应该|应当|应|宜|可以|可")
REQUIREMENT = ("应", "不应", "应该", "应当")
RECOMMENDATION = ("宜", "不宜")
PERMISSION = ("可", "可以", "不必")


def modal_verbs(text: str) -> list[re.Match]:
    """Verbal forms (应, 不应, 宜, 不宜, 可, 不必 …) in ``text``, compounds taken out."""
    return list(MODAL.finditer(mask(text, NOT_MODAL_RE)))


def provisions(text: str, verbs: tuple[str, ...]) -> list[re.Match]:
    return [m for m in modal_verbs(text) if m.group() in verbs]


def self_reference(doc: Document) -> str:
    """How the document names itself: 本文件 (2020), 本标准 (2009)."""
    return "本文件" if doc.meta.profile == "2020" else "本标准"


SELF = r"本(?:文件|标准|部分)"


def squeeze(text: str) -> str:
    """Text with all spaces removed (ordinary and ideographic), for boilerplate comparison."""
    return re.sub(r"[\s\u3000]+", "", text)


def boilerplate_error(written: str, wording: dict[str, str], profile: str, what: str,
                      canonical=squeeze) -> str:
    """"" when ``written`` is the fixed wording of ``profile``; else what is wrong with it."""
    if canonical(written) == canonical(wording[profile]):
        return ""
    other = "2009" if profile == "2020" else "2020"
    if canonical(written) == canonical(wording[other]):
        return f"{what}使用了 GB/T 1.1—{other} 的表述，而本文件按 GB/T 1.1—{profile} 起草"
    return f"{what}的表述与规定的不一致"


# ---------------------------------------------------------------- elements


def chapter_titled(doc: Document, *titles: str, prefix: bool = False) -> Clause | None:
    for chapter in doc.chapters:
        if chapter.title in titles or (prefix and chapter.title.startswith(titles)):
            return chapter
    return None


def scope_chapter(doc: Document) -> Clause | None:
    return chapter_titled(doc, "范围")


def references_chapter(doc: Document) -> Clause | None:
    return chapter_titled(doc, "规范性引用文件")


def terms_chapter(doc: Document) -> Clause | None:
    return chapter_titled(doc, "术语", prefix=True)


def declares_gap(clause: Clause) -> bool:
    """The clause says part of its content is lost: findings about absent content stay silent."""
    return any(isinstance(block, Gap) for block in clause.blocks)


def only_gap(clause: Clause) -> bool:
    """The clause consists of nothing but a gap: it yields no content findings at all."""
    return bool(clause.blocks) and not clause.children and all(isinstance(b, Gap) for b in clause.blocks)


def text_paragraphs(clause: Clause) -> list[Paragraph]:
    return [b for b in clause.blocks if isinstance(b, Paragraph) and b.kind == "text"]


def gb(clause: str, clause_2009: str = "") -> str:
    """The source of a rule: a clause of GB/T 1.1—2020, and of GB/T 1.1—2009 when that
    edition has it elsewhere."""
    source = f"GB/T 1.1—2020，{clause}"
    return f"{source}（GB/T 1.1—2009，{clause_2009}）" if clause_2009 else source
