"""Structure: the elements a standard has, their order and their fixed chapter numbers."""
from __future__ import annotations

import re
from typing import Iterator

from .. import designations
from ..model import Clause, Document, Term
from . import DOCUMENT, Report, rule
from .numbering import out_of_sequence
from .text import (declares_gap, gb, references_chapter, scope_chapter, terms_chapter,
                   text_paragraphs)

RANK = {"foreword": 0, "introduction": 1, "chapter": 2, "annex": 3, "bibliography": 4, "index": 5}
ORDER_HINT = "要素的顺序为：前言、引言、各章、附录、参考文献、索引"
SYMBOLS = ("符号和缩略语", "符号", "缩略语", "缩略语和符号")


def _name(clause: Clause) -> str:
    return clause.heading or clause.title


@rule("STRUCT-001", "error", "要素按规定顺序编排：前言、引言、章、附录、参考文献、索引",
      clause=gb("6.2.2.2 表3、8.13、8.14"), scope=DOCUMENT)
def element_order(doc: Document, ctx) -> Iterator[Report]:
    highest: Clause | None = None
    for clause in doc.clauses:
        if clause.kind not in RANK:
            continue
        if highest is not None and RANK[clause.kind] < RANK[highest.kind]:
            yield Report(clause.line, f"“{_name(clause)}”不应位于“{_name(highest)}”之后", ORDER_HINT)
        elif highest is None or RANK[clause.kind] > RANK[highest.kind]:
            highest = clause


@rule("STRUCT-002", "error", "必备要素齐全：前言、范围、规范性引用文件、术语和定义、至少一个核心技术要素"
      "（2009：规范性引用文件、术语和定义为可选要素）", clause=gb("6.2.2.3 表3"), scope=DOCUMENT)
def mandatory_elements(doc: Document, ctx) -> Iterator[Report]:
    if doc.find("foreword") is None:
        yield Report(doc.title_line, "缺少前言", "在文件名称之后写 ## 前言")
    if scope_chapter(doc) is None:
        yield Report(doc.title_line, "缺少第1章“范围”", "写 ## 1 范围")
    if doc.meta.profile == "2020" and references_chapter(doc) is None:
        yield Report(doc.title_line, "缺少第2章“规范性引用文件”",
                     "没有规范性引用文件时也保留该章，写“本文件没有规范性引用文件。”")
    if doc.meta.profile == "2020" and terms_chapter(doc) is None:
        yield Report(doc.title_line, "缺少第3章“术语和定义”",
                     "没有需要界定的术语时也保留该章，写“本文件没有需要界定的术语和定义。”")
    not_core = ("范围", "规范性引用文件", "前言", "引言") + SYMBOLS
    core = [c for c in doc.chapters if c.title not in not_core and not c.title.startswith("术语")]
    if doc.chapters and not core:
        yield Report(doc.title_line, "文件没有核心技术要素（第3章之后的技术内容章）",
                     "在术语和定义之后写出规定技术内容的章")


def _expected_numbers(doc: Document) -> dict[str, str]:
    """Chapter number each fixed element must carry in this profile."""
    if doc.meta.profile == "2020":
        return {"范围": "1", "规范性引用文件": "2", "术语": "3"}
    present = ["范围"] + (["规范性引用文件"] if references_chapter(doc) else []) + ["术语"]
    return {title: str(n) for n, title in enumerate(present, 1)}


@rule("STRUCT-003", "error", "范围为第1章，规范性引用文件为第2章，术语和定义为第3章（符号和缩略语宜为第4章）",
      clause=gb("8.5—8.8"), scope=DOCUMENT)
def fixed_chapter_numbers(doc: Document, ctx) -> Iterator[Report]:
    expected = _expected_numbers(doc)
    for chapter in doc.chapters:
        key = "术语" if chapter.title.startswith("术语") else chapter.title
        if key in expected and chapter.number != expected[key]:
            yield Report(chapter.line, f"“{chapter.title}”应为第{expected[key]}章，实际为第{chapter.number}章",
                         f"写成 ## {expected[key]} {chapter.title}，并相应调整其他章的编号")
        elif chapter.title in SYMBOLS and chapter.number != "4":
            yield Report(chapter.line, f"“{chapter.title}”宜为第4章，实际为第{chapter.number}章",
                         "把符号和缩略语作为第4章，或并入第3章（如“术语、定义和缩略语”）", "warning")


@rule("STRUCT-004", "error", "章从 1 起连续编号，每章都有标题", clause=gb("7.2"), scope=DOCUMENT)
def chapters_continuous(doc: Document, ctx) -> Iterator[Report]:
    for chapter, previous, expected in out_of_sequence(doc.chapters):
        number = int(chapter.number)
        what = "重复" if number == previous else "不连续"
        yield Report(chapter.line, f"章编号 {number} {what}：上一章为第{previous}章" if previous
                     else f"第一章的编号应为 1，实际为 {number}",
                     f"本章应编号为 {expected}，其后各章依次顺延")
    for chapter in doc.chapters:
        if not chapter.title:
            yield Report(chapter.line, f"第{chapter.number}章没有标题", f"写成 ## {chapter.number} 章标题")


@rule("STRUCT-005", "error", "前言、引言不编号，前言不分条", clause=gb("8.3、8.4"), scope=DOCUMENT)
def foreword_unnumbered(doc: Document, ctx) -> Iterator[Report]:
    for clause in doc.clauses:
        if clause.title in ("前言", "引言") and clause.number:
            yield Report(clause.line, f"“{_name(clause)}”不应编号", f"写成 ## {clause.title}")
        if clause.kind == "foreword":
            for child in clause.children:
                yield Report(child.line, f"前言不应分条：“{_name(child)}”", "删去前言中的标题，把内容写成段")


BIBLIOGRAPHY_ENTRY = re.compile(r"^\[(\d+)\]")


def _bibliography_keys(doc: Document) -> set[str]:
    found = set()
    for clause in doc.clauses:
        if clause.kind == "bibliography":
            for sub in clause.walk():
                for paragraph in text_paragraphs(sub):
                    found |= {d.key for d in designations.find_all(paragraph.text)}
    return found


INFORMATIVE_CONTEXTS = ("body", "note", "example", "term", "term-source", "informative-annex",
                        "introduction", "table")


@rule("STRUCT-007", "error", "参考文献置于最后一个附录之后、不分条、不写成附录；资料性引用的文件列入参考文献",
      clause=gb("8.13"), scope=DOCUMENT)
def bibliography(doc: Document, ctx) -> Iterator[Report]:
    for annex in doc.annexes:
        if "参考文献" in annex.title:
            yield Report(annex.line, "参考文献不应写成附录", "把它改为附录之后的 ## 参考文献")
    listed = {r.designation for r in doc.references}
    own = designations.parse_one(doc.meta.designation)
    for clause in doc.clauses:
        if clause.kind != "bibliography":
            continue
        for child in clause.children:
            if child.number:
                yield Report(child.line, f"参考文献不应分条：“{_name(child)}”", "分组时用不编号的标题")
        expected = 1
        for paragraph in text_paragraphs(clause):
            m = BIBLIOGRAPHY_ENTRY.match(paragraph.text)
            if not m:
                yield Report(paragraph.line, "参考文献条目应以方括号序号开头，如 [1]", "写成 [1] GB/T 19000—2016 …",
                             "warning")
            elif int(m.group(1)) != expected:
                yield Report(paragraph.line, f"参考文献序号应为 [{expected}]，实际为 [{m.group(1)}]",
                             "参考文献序号从 [1] 起连续编排", "warning")
            expected += 1
    if doc.meta.profile != "2020":
        return
    in_bibliography = _bibliography_keys(doc)
    listing = doc.find("bibliography")
    if listing is not None and declares_gap(listing):
        return
    reported = set()
    for citation in doc.citations:
        if (citation.normative or citation.context not in INFORMATIVE_CONTEXTS
                or citation.designation in listed | in_bibliography | reported
                or (own and citation.designation == own.key)):
            continue
        reported.add(citation.designation)
        where = "未列入参考文献" if listing is not None else "文件也没有参考文献"
        yield Report(citation.line, f"引用了 {citation.designation}，它不在第2章中，{where}",
                     "资料性引用的文件列入参考文献（置于最后一个附录之后）；规范性引用的列入第2章")


@rule("STRUCT-008", "error", "目次不列出术语条目：术语不写成章条标题", clause=gb("8.2"), scope=DOCUMENT)
def terms_not_headings(doc: Document, ctx) -> Iterator[Report]:
    chapter = terms_chapter(doc)
    if chapter is None:
        return
    for clause in chapter.walk():
        if clause is chapter or declares_gap(clause):
            continue
        if not any(isinstance(b, Term) for sub in clause.walk() for b in sub.blocks):
            yield Report(clause.line, f"“{_name(clause)}”写成了标题，会作为术语条目列入目次",
                         "用 term 指令写术语条目（```{term} 3.1），章条标题只用于术语分组")
