"""术语和定义: lead-in, entry structure and numbering, definition form, source, notes."""
from __future__ import annotations

import re
from typing import Iterator

from ..designations import family_of
from ..source.markers import marker_kind
from ..model import Clause, Document, IndicatorTable, ListBlock, Paragraph, Table, Term
from . import DOCUMENT, Report, rule
from .blocks import label_sequence
from .text import REQUIREMENT, RECOMMENDATION, gb, only_gap, provisions, terms_chapter, text_paragraphs

LEAD_INS = (
    (re.compile(r"^下列术语和定义适用于本文件。$"), True),
    (re.compile(r"^.+界定的以及下列术语和定义适用于本文件。$"), True),
    (re.compile(r"^.+界定的术语和定义适用于本文件。$"), False),
    (re.compile(r"^本文件没有需要界定的术语和定义。$"), False),
)
# GB/T 1.1—2020, 8.7.2: when terms of another document are repeated, the lead-in goes on
# “为了便于使用，以下重复列出了GB/T ××中的某些术语和定义。” (same paragraph or the next).
REPEATED = re.compile(r"为了?便于使用，以下重复列出了.+?中的(?:某些|一些|部分)?术语和定义。$")
LEAD_IN_HINT = "写“下列术语和定义适用于本文件。”，或“GB/T ××界定的（以及下列）术语和定义适用于本文件。”，或“本文件没有需要界定的术语和定义。”"


def _entries(doc: Document) -> Iterator[tuple[Clause, Term]]:
    for clause in doc.walk():
        for block in clause.blocks:
            if isinstance(block, Term):
                yield clause, block


@rule("TERM-001", "error", "术语和定义的引导语为规定的四种之一，且与有无术语条目相符", clause=gb("8.7.2"), scope=DOCUMENT)
def lead_in(doc: Document, ctx) -> Iterator[Report]:
    chapter = terms_chapter(doc)
    if chapter is None or only_gap(chapter):
        return
    has_entries = any(True for _ in _entries(doc))
    paragraphs = text_paragraphs(chapter)
    if not paragraphs:
        yield Report(chapter.line, "术语和定义缺少引导语", LEAD_IN_HINT)
        return
    first = paragraphs[0]
    text = REPEATED.sub("", re.sub(r"\s+", "", first.text))
    form = next((entries for pattern, entries in LEAD_INS if pattern.match(text)), None)
    if form is None:
        yield Report(first.line, "术语和定义的引导语不是规定的表述", LEAD_IN_HINT)
    elif form and not has_entries:
        yield Report(first.line, "引导语称“下列术语和定义适用于本文件”，但没有术语条目",
                     "写出术语条目，或改用“本文件没有需要界定的术语和定义。”")
    elif not form and has_entries:
        yield Report(first.line, "引导语表明本文件不界定术语，但下面给出了术语条目",
                     "改用“下列术语和定义适用于本文件。”或“……界定的以及下列术语和定义适用于本文件。”")


def _english_required(doc: Document) -> bool:
    """National and industry standards must give English equivalents; for others it is advice."""
    code = doc.meta.designation.split(" ")[0]
    return (doc.meta.family or (family_of(code) if code else "")) in ("national", "industry")


@rule("TERM-002", "error", "术语条目在第3章中，依次编号，含术语、英文对应词和定义", clause=gb("8.7.3、10.3.5"), scope=DOCUMENT)
def entry_structure(doc: Document, ctx) -> Iterator[Report]:
    chapter = terms_chapter(doc)
    in_terms = {id(c) for c in chapter.walk()} if chapter else set()
    expected: dict[int, int] = {}
    entries = list(_entries(doc))
    reordered = _reordered(entries)
    for clause, term in entries:
        if id(clause) not in in_terms:
            yield Report(term.line, f"术语条目 {term.number} 不在“术语和定义”一章中", "把术语条目移到第3章")
            continue
        position = expected.get(id(clause), 1)
        expected[id(clause)] = position + 1
        if id(clause) in reordered:
            if term is reordered[id(clause)][0]:
                earlier = reordered[id(clause)][1]
                yield Report(term.line, f"术语条目 {term.number} 排在 {earlier.number} 之前，条目未按编号顺序排列",
                             "按编号顺序排列术语条目（或按排列顺序重新编号）")
        elif term.number != f"{clause.number}.{position}":
            yield Report(term.line, f"术语条目编号 {term.number} 不对：按位置应为 {clause.number}.{position}",
                         f"写成 ```{{term}} {clause.number}.{position}")
        if term.term and not CJK.search(term.term):
            yield Report(term.line, f"术语条目 {term.number} 只有英文术语“{term.term}”，没有中文术语",
                         "在 :term: 写中文术语，英文对应词写在 :en:")
        if not term.definition:
            yield Report(term.line, f"术语条目 {term.number}“{term.term}”没有定义", "在指令体的第一段写出定义")
        if not term.en:
            yield Report(term.line, f"术语条目 {term.number}“{term.term}”没有英文对应词",
                         "写 :en: english equivalent", "" if _english_required(doc) else "warning")


CJK = re.compile(r"[\u4e00-\u9fff]")


def _reordered(entries: list[tuple[Clause, Term]]) -> dict[int, tuple[Term, Term]]:
    """Clauses whose entries carry the right numbers in the wrong order: clause id -> (the first
    entry out of order, the entry with the lower number it stands before). One finding each."""
    by_clause: dict[int, tuple[Clause, list[Term]]] = {}
    for clause, term in entries:
        by_clause.setdefault(id(clause), (clause, []))[1].append(term)
    found = {}
    for key, (clause, terms) in by_clause.items():
        numbers = [t.number for t in terms]
        wanted = [f"{clause.number}.{n}" for n in range(1, len(terms) + 1)]
        if numbers != wanted and sorted(numbers, key=_order) == wanted:
            first = next(i for i, (a, b) in enumerate(zip(numbers, wanted)) if a != b)
            later = min(terms[first + 1:], key=lambda t: _order(t.number))
            found[key] = (terms[first], later)
    return found


def _order(number: str) -> tuple:
    return tuple(int(n) if n.isdigit() else 0 for n in number.split("."))


DEFINITION_START = re.compile(r"^(是指|系指|指|是)")
AFTER_TERM = re.compile(r"^(是指|系指|指|是|，|：)")


@rule("TERM-003", "warning", "定义是陈述，可替换术语，不以“是指”“指”“是”开头，不含要求或推荐", clause=gb("8.7"), scope=DOCUMENT)
def definition_form(doc: Document, ctx) -> Iterator[Report]:
    for _, term in _entries(doc):
        text = term.definition.strip()
        line = term.definition_line or term.line
        if not text:
            continue
        if DEFINITION_START.match(text) or (text.startswith(term.term) and AFTER_TERM.match(text[len(term.term):])):
            yield Report(line, f"术语 “{term.term}” 的定义不应以术语本身或“是指/指/是”开头：定义应能在上下文中代替术语",
                         "删去定义开头的术语和“是（指）”")
        found = provisions(text, REQUIREMENT + RECOMMENDATION)
        if found:
            yield Report(line, f"术语 “{term.term}” 的定义中有能愿动词“{found[0].group()}”：定义不应包含要求或推荐",
                         "把要求写入正文，或写成注")


DATED = r"^(?P<doc>[^，,]+?[—\-–－:：]\s?\d{4})"     # the separator itself is NREF-008's concern
SOURCE_2020 = re.compile(DATED + r"，\s*(?P<loc>[A-Z]?\d+(?:\.\d+)*|[A-Z])(?:，\s*有修改)?$")
SOURCE_2009 = re.compile(DATED + r"[，,]\s*(?:定义\s*)?(?P<loc>[A-Z]?\d+(?:\.\d+)*)$")


@rule("TERM-004", "warning", "术语来源写作 [来源：GB/T ××—年号，章条号]（2009：[GB/T ××—年号，定义×]）",
      clause=gb("8.7.3"), scope=DOCUMENT)
def source_form(doc: Document, ctx) -> Iterator[Report]:
    for _, term in _entries(doc):
        source = term.source.strip()
        if not source:
            continue
        line = term.source_line or term.line
        legacy = doc.meta.profile == "2020" and (
            re.search(r"[，,]\s*定义\s*\d", source)
            or (term.source_written and not re.match(r"^\[来源[：:]", term.source_written)))
        if source.startswith(("[", "来源")):
            yield Report(line, f"术语 {term.number} 的来源中写了“[”或“来源：”", "只写 文件编号—年号，章条号；方括号和“来源：”在排版时加上")
        elif legacy:
            yield Report(line, f"术语 {term.number} 的来源 “{term.source_written or source}” 使用了 GB/T 1.1—2009 的形式",
                         "写成 [来源：GB/T ××—年号，章条号]，或用 :source: GB/T ××—年号，章条号")
        elif not (SOURCE_2020 if doc.meta.profile == "2020" else SOURCE_2009).match(source):
            yield Report(line, f"术语 {term.number} 的来源 “{source}” 不合规：应为注日期的文件编号、逗号“，”、章条号",
                         "写成 GB/T 20000.1—2014，5.2")


@rule("TERM-005", "error", "术语条目中只有一个注时写“注：”，多个注时写“注1：”“注2：”……", clause=gb("9.11"), scope=DOCUMENT)
def entry_notes(doc: Document, ctx) -> Iterator[Report]:
    for _, term in _entries(doc):
        yield from label_sequence(term.notes, "注")


@rule("TERM-006", "error", "术语条目中不用表，也不用脚注", clause=gb("6.2.2.3 表3"), applies=("2020",), scope=DOCUMENT)
def no_tables(doc: Document, ctx) -> Iterator[Report]:
    chapter = terms_chapter(doc)
    if chapter is None:
        return
    for clause in chapter.walk():
        for block in clause.blocks:
            if isinstance(block, (Table, IndicatorTable)):
                yield Report(block.line, "术语和定义中不应有表", "把表中的内容写成术语条目")
    for _, term in _entries(doc):
        for table in term.tables:
            yield Report(table.line, f"术语条目 {term.number} 中不应有表", "把内容写成定义、注或示例")
        for line in term.footnotes:
            yield Report(line, f"术语条目 {term.number} 中不应有脚注", "改写成术语条目的注")


# ---------------------------------------------------------------- 符号和缩略语 (GB/T 1.1—2020, 8.8)

SYMBOL_CHAPTERS = ("符号和缩略语", "缩略语和符号", "符号", "缩略语")
SYMBOL_LEAD_INS = ("下列符号适用于本文件。", "下列缩略语适用于本文件。", "下列符号和缩略语适用于本文件。",
                   "下列缩略语和符号适用于本文件。")
# An entry: the symbol or abbreviation, then “：” or a space, then what it stands for
# (ETC：电子收费（Electronic Toll Collection）; CO2 二氧化碳; $\eta$ 效率).
SYMBOL_ENTRY = re.compile(r"^(?:\$[^$]+\$|[A-Za-z0-9Α-Ωα-ω\-./_()²³·′\u2080-\u2089\u2070-\u2079%‰]+)(?:\s*[：:]\s*|\s+)\S")


def _symbol_chapter(doc: Document) -> Clause | None:
    return next((c for c in doc.chapters if c.title in SYMBOL_CHAPTERS), None)


@rule("SYM-001", "warning", "符号和缩略语的引导语为“下列符号（和缩略语）适用于本文件。”", clause=gb("8.8"), scope=DOCUMENT)
def symbols_lead_in(doc: Document, ctx) -> Iterator[Report]:
    for clause in _symbol_sections(doc):
        paragraphs = [b for b in clause.blocks if isinstance(b, Paragraph) and b.kind == "text"]
        if not paragraphs or only_gap(clause):
            continue
        first = re.sub(r"\s+", "", paragraphs[0].text.split("\n")[0])
        if first not in SYMBOL_LEAD_INS:
            yield Report(paragraphs[0].line, f"“{clause.title}”的引导语不是规定的表述",
                         "写“下列符号适用于本文件。”“下列缩略语适用于本文件。”或“下列符号和缩略语适用于本文件。”")


def _symbol_sections(doc: Document) -> list[Clause]:
    """The 符号和缩略语 chapter, or its subclauses 4.1 符号 / 4.2 缩略语 when it is divided."""
    chapter = _symbol_chapter(doc)
    if chapter is None:
        return []
    subclauses = [c for c in chapter.children if c.title in SYMBOL_CHAPTERS]
    return subclauses or [chapter]


@rule("SYM-002", "error", "符号和缩略语一章只有引导语和不编号的符号、缩略语清单", clause=gb("8.8"), scope=DOCUMENT)
def symbols_list_only(doc: Document, ctx) -> Iterator[Report]:
    for clause in _symbol_sections(doc):
        if only_gap(clause):
            continue
        lead_in_seen = False
        for block in clause.blocks:
            if isinstance(block, Paragraph) and block.kind == "text":
                lines = block.text.split("\n")
                if not lead_in_seen:
                    lead_in_seen = True
                    lines = lines[1:]
                for offset, line in enumerate(lines):
                    if line.strip() and not SYMBOL_ENTRY.match(line.strip()):
                        yield Report(block.line + offset + (block.text.count("\n") - len(lines) + 1),
                                     f"“{line.strip()[:20]}”不是符号或缩略语条目",
                                     "本章只写引导语和条目（符号或缩略语、空格或“：”、释义）；其他内容移到相应的章")
                        break
            elif isinstance(block, ListBlock) and any(marker_kind(i.marker) in ("letter", "number")
                                                      for i in block.items):
                yield Report(block.line, "符号和缩略语条目编了序号",
                             "条目之前不给出序号：每行写“符号　释义”或“缩略语：全称”")
            elif isinstance(block, (Table, IndicatorTable, Term)):
                yield Report(block.line, f"“{clause.title}”中不应有{'表' if not isinstance(block, Term) else '术语条目'}",
                             "本章只写引导语和符号、缩略语条目")
