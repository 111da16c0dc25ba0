"""规范性引用文件: lead-in, entries, order, and the two-way check against the text."""
from __future__ import annotations

import re
from typing import Iterator

from .. import designations
from ..model import Citation, Clause, Document, ListBlock, NormativeReference, Paragraph, Table
from . import DOCUMENT, Report, rule
from .text import (boilerplate_error, declares_gap, gb, only_gap, prose, references_chapter, squeeze,
                   terms_chapter)

LEAD_IN = {
    "2020": "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
            "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。",
    "2009": "下列文件对于本文件的应用是必不可少的。凡是注日期的引用文件，仅注日期的版本适用于本文件。"
            "凡是不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。",
}
LEAD_IN_START = re.compile(r"^下列文件")
NONE = "本文件没有规范性引用文件。"
LEGACY_2000 = "下列文件中的条款通过本标准的引用而成为本标准的条款"
NUMBERED_ENTRY = re.compile(r"^\s*(?:\[\d+\]|\d+[.、)）]|[（(]\d+[)）])")


def _listing(doc: Document) -> Clause | None:
    chapter = references_chapter(doc)
    return None if chapter is None or only_gap(chapter) else chapter


def _lead_in(clause: Clause) -> Paragraph | None:
    return next((p for p in clause.blocks if isinstance(p, Paragraph) and LEAD_IN_START.match(p.text)), None)


def _none_sentence(clause: Clause) -> Paragraph | None:
    return next((p for p in clause.blocks if isinstance(p, Paragraph) and squeeze(p.text) == NONE), None)


@rule("NREF-001", "error", "规范性引用文件的引导语与 GB/T 1.1 规定的一致", clause=gb("8.6.2"), scope=DOCUMENT)
def lead_in(doc: Document, ctx) -> Iterator[Report]:
    chapter = _listing(doc)
    if chapter is None:
        return
    expected = LEAD_IN[doc.meta.profile]
    paragraph = _lead_in(chapter)
    if paragraph is None:
        if doc.references:
            yield Report(doc.references[0].line, "规范性引用文件清单之前缺少引导语", f"在清单之前写：{expected}")
        return
    wrong = boilerplate_error(paragraph.text, LEAD_IN, doc.meta.profile, "引导语")
    if wrong and squeeze(paragraph.text).startswith(squeeze(LEGACY_2000)):
        wrong = "引导语使用了 GB/T 1.1—2000 的表述"
    if wrong:
        yield Report(paragraph.line, wrong, f"写成：{expected}")


@rule("NREF-002", "error", "没有规范性引用文件时写“本文件没有规范性引用文件。”，与清单互斥",
      clause=gb("8.6.2"), applies=("2020",), scope=DOCUMENT)
def none_sentence(doc: Document, ctx) -> Iterator[Report]:
    chapter = _listing(doc)
    if chapter is None:
        return
    none = _none_sentence(chapter)
    if none is not None and (doc.references or _lead_in(chapter)):
        yield Report(none.line, "“本文件没有规范性引用文件。”与引导语或清单同时出现",
                     "有规范性引用文件时删去这句；没有时删去引导语和清单")
    elif none is None and not doc.references and not declares_gap(chapter):
        yield Report(chapter.line, "第2章既没有规范性引用文件清单，也没有“本文件没有规范性引用文件。”",
                     f"没有规范性引用文件时写：{NONE}")


@rule("NREF-003", "error", "规范性引用文件不分条，清单条目不编号、不用列项", clause=gb("8.6"), scope=DOCUMENT)
def not_subdivided(doc: Document, ctx) -> Iterator[Report]:
    chapter = _listing(doc)
    if chapter is None:
        return
    for child in chapter.children:
        yield Report(child.line, f"第2章不应分条：“{child.heading}”", "删去第2章中的标题")
    for block in chapter.blocks:
        if isinstance(block, ListBlock):
            yield Report(block.line, "规范性引用文件清单不应写成列项", "每个文件单独一段：GB/T 24001 环境管理体系 要求及使用指南")
        elif isinstance(block, Table):
            yield Report(block.line, "规范性引用文件清单不应写成表", "每个文件单独一段")
        elif isinstance(block, Paragraph) and NUMBERED_ENTRY.match(block.text):
            yield Report(block.line, "规范性引用文件条目不应编号", "删去条目前的序号")


def _entries(doc: Document, chapter: Clause) -> Iterator[Paragraph]:
    lead, none = _lead_in(chapter), _none_sentence(chapter)
    for block in chapter.blocks:
        if (isinstance(block, Paragraph) and block.kind == "text" and block is not lead and block is not none
                and not NUMBERED_ENTRY.match(block.text)):
            yield block


@rule("NREF-004", "warning", "清单条目为：文件编号（所有部分）、空一个字、文件名称，末尾无标点",
      clause=gb("8.6.3、10.3.4"), scope=DOCUMENT)
def entry_format(doc: Document, ctx) -> Iterator[Report]:
    chapter = _listing(doc)
    if chapter is None:
        return
    for paragraph in _entries(doc, chapter):
        text = paragraph.text.strip()
        designation = designations.parse_one(text)
        if designation is None:
            yield Report(paragraph.line, "无法从这一条目识别出文件编号",
                         "写成 文件编号　文件名称，如 GB/T 24001 环境管理体系 要求及使用指南")
        elif (text[(end := designations.entry_end(text, designation)):end + 1] not in (" ", "\u3000")
              or not text[end:].strip()):
            yield Report(paragraph.line, f"条目 “{text}” 的文件编号与文件名称之间应空一个字",
                         f"写成 {designation.raw}　文件名称")
        elif text[-1] in "。；，;,.":
            yield Report(paragraph.line, f"条目 “{text}” 末尾不应有标点", "删去末尾的标点")


def family_rank(designation: designations.Designation) -> int | None:
    """NREF-005 groups: national, industry, local, group, ISO/IEC, others. Metrology (JJF/JJG),
    enterprise (Q/) and unknown codes have no place 8.6.3.2 gives them: not compared."""
    order = {"national": 0, "industry": 1, "local": 2, "group": 3, "international": 4, "foreign": 5}
    return order.get(designation.family)


@rule("NREF-005", "warning", "清单按国家、行业、地方、团体、ISO/IEC、其他的顺序排列，组内按代号和顺序号排列",
      clause=gb("8.6.3.2"), applies=("2020",), scope=DOCUMENT)
def entry_order(doc: Document, ctx) -> Iterator[Report]:
    previous = None
    for reference in doc.references:
        current = designations.parse_one(reference.raw)
        if current is None or family_rank(current) is None:
            continue
        if previous is not None:
            key, last = (family_rank(current), designations.sort_key(current)), \
                (family_rank(previous), designations.sort_key(previous))
            if key < last:
                yield Report(reference.line, f"{current.key} 应排在 {previous.key} 之前",
                             "国家标准（GB、GB/T、GB/Z 合并按顺序号）、行业、地方、团体、ISO/IEC、其他依次排列")
        previous = current


def normative_citations(doc: Document) -> list[Citation]:
    """Citations that make a document normative: provisions in the body, and the 术语 lead-in."""
    terms = terms_chapter(doc)
    own = designations.parse_one(doc.meta.designation)
    found = []
    for citation in doc.citations:
        by_terms = (terms is not None and citation.clause == terms.number and citation.context == "body"
                    and "界定的" in citation.sentence)
        if (citation.normative or by_terms) and not (own and citation.designation == own.key):
            found.append(citation)
    return found


CONTEXT_NAMES = {"body": "正文，非条款", "foreword": "前言", "introduction": "引言", "note": "注",
                 "example": "示例", "term": "术语定义", "term-source": "术语来源", "bibliography": "参考文献",
                 "informative-annex": "资料性附录", "table": "指标表", "formula": "式中"}


def _covers(reference: NormativeReference, key: str) -> bool:
    return key == reference.designation or (reference.all_parts and key.startswith(reference.designation + "."))


@rule("NREF-006", "error", "清单中的文件都在正文中规范性引用，正文规范性引用的文件都列入清单",
      clause=gb("8.6.3.1、9.5.4.2"), scope=DOCUMENT)
def listed_and_cited(doc: Document, ctx) -> Iterator[Report]:
    chapter = references_chapter(doc)
    cited = normative_citations(doc)
    for reference in doc.references:
        if any(_covers(reference, c.designation) for c in cited):
            continue
        elsewhere = [c for c in doc.citations if _covers(reference, c.designation) and c.context != "reference-list"]
        if elsewhere:
            where = "、".join(f"第 {c.line} 行（{CONTEXT_NAMES.get(c.context, '正文')}）" for c in elsewhere[:3])
            yield Report(reference.line, f"{reference.designation} 列入了规范性引用文件，但只在{where}资料性地引用，"
                         "没有规范性引用", "在条款中规范性地引用它（如“应符合 GB/T ×× 的规定”），"
                         "否则从第2章删去并列入参考文献")
        else:
            yield Report(reference.line, f"{reference.designation} 列入了规范性引用文件，但正文没有引用它",
                         "在条款中引用它（如“应符合 GB/T ×× 的规定”），否则从第2章删去；资料性引用的文件列入参考文献")
    if chapter is None or declares_gap(chapter):
        return
    reported = set()
    for citation in cited:
        if citation.designation in reported or any(_covers(r, citation.designation) for r in doc.references):
            continue
        reported.add(citation.designation)
        yield Report(citation.line, f"正文规范性引用了 {citation.designation}，但它未列入第2章“规范性引用文件”",
                     f"在第2章清单中加入 {citation.designation} 及其名称")


SPECIFIC = re.compile(r"^\s*(?:中|的|中的)?\s*(?:第\s*\d+\s*章|\d+(?:\.\d+)+|[A-Z]\.\d+|表\s*[A-Z]?\.?\d|"
                      r"图\s*[A-Z]?\.?\d|附录\s*[A-Z]|公式\s*[（(])")


@rule("NREF-007", "error", "引用其他文件的具体章条、图、表、附录时注日期", clause=gb("9.5.4.1"), scope=DOCUMENT)
def dated_when_specific(doc: Document, ctx) -> Iterator[Report]:
    for piece in prose(doc):
        for d in designations.find_all(piece.text):
            if not d.year and not d.all_parts and SPECIFIC.match(piece.text[d.end:]):
                yield Report(piece.line_at(d.start), f"引用了 {d.key} 的具体内容，但没有注日期",
                             f"写成 {d.key}—年号（如 {d.key}—2018 中的 5.2）")
    undated = {r.designation: r for r in doc.references if not r.year}
    for citation in normative_citations(doc):
        if citation.year and citation.designation in undated:
            reference = undated.pop(citation.designation)
            yield Report(reference.line, f"正文注日期引用了 {citation.raw}，清单中 {citation.designation} 却未注日期",
                         f"清单中写成 {citation.designation}—{citation.year}", "warning")


@rule("NREF-008", "warning", "文件编号与年号之间用一字线“—”（ISO、IEC 用冒号）", clause=gb("8.6.3"), scope=DOCUMENT)
def year_separator(doc: Document, ctx) -> Iterator[Report]:
    for citation in doc.citations:
        if not citation.year:
            continue
        found = designations.parse_one(citation.raw)
        if found is None or found.family in ("foreign", "other") or found.code.startswith("ITU"):
            continue    # other bodies write their years their own way (ASTM D1234-18, IEEE 802.3-2018)
        international = found.family == "international"
        if (international and found.separator not in (":", "：")) or (not international and found.separator != "—"):
            right = f"{found.code} {found.number}{':' if international else '—'}{found.year}"
            yield Report(citation.line, f"“{citation.raw}”的编号与年号之间应为{'冒号' if international else '一字线“—”'}",
                         f"写成 {right}")


@rule("NREF-010", "warning", "引用所有部分时写“（所有部分）”，不注日期", clause=gb("8.6.3"), scope=DOCUMENT)
def all_parts_undated(doc: Document, ctx) -> Iterator[Report]:
    for citation in doc.citations:
        found = designations.parse_one(citation.raw)
        if found is not None and found.all_parts and found.year:
            yield Report(citation.line, f"“{citation.raw}”引用所有部分，不应注日期",
                         f"写成 {found.key}（所有部分）")
