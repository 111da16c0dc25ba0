"""Numbering of clauses and parts, and heading levels that match the numbers.

The numbering rules read the structure from the numbers (``enclosing``): a heading
written at the wrong level is HEAD-003's finding, and the NUM rules judge its number
as if it stood at the level its number gives it.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Clause, Document, Gap
from . import DOCUMENT, Report, rule
from .text import gb, only_gap, terms_chapter

BODY_NUMBER = re.compile(r"[1-9]\d*(?:\.[1-9]\d*)*")
TOP_LEVEL = ("foreword", "introduction", "chapter", "annex", "bibliography", "index")


def enclosing(doc: Document) -> Iterator[tuple[Clause, Clause]]:
    """Each numbered clause with the chapter, annex or clause its number puts it in: the nearest
    one before it at a lower depth. Heading levels play no part (HEAD-003 checks them), so a
    heading written at the wrong level is judged by its number, not by where it nests."""
    chain: list[Clause] = []
    for clause in doc.walk():
        if clause.kind in ("chapter", "annex"):
            chain = [clause]
        elif clause.kind in ("clause", "annex-clause") and chain:
            while chain[-1].depth >= clause.depth:
                chain.pop()
            yield clause, chain[-1]
            chain.append(clause)
        elif clause.kind in TOP_LEVEL:
            chain = []


def subdivided(doc: Document) -> Iterator[tuple[Clause, list[Clause]]]:
    """Each chapter, clause or annex with the clauses its number puts one level below it."""
    children: dict[int, list[Clause]] = {}
    for child, parent in enclosing(doc):
        if child.depth == parent.depth + 1:
            children.setdefault(id(parent), []).append(child)
    for parent in doc.walk():
        if id(parent) in children:
            yield parent, children[id(parent)]


def _last(number: str) -> int:
    return int(number.rsplit(".", 1)[-1])


def out_of_sequence(siblings: list[Clause]) -> Iterator[tuple[Clause, int, int]]:
    """Each of ``siblings`` (to be numbered 1, 2, … in order) whose last number neither follows
    the one before it nor equals its position: (clause, the number before it, its position).

    A number skipped (1, 3, 4) or mistyped (1, 3, 3) is thus reported once, at the clause
    where the sequence breaks, and not again at every sibling after it.
    """
    previous = 0
    for position, clause in enumerate(siblings, 1):
        number = _last(clause.number)
        if number not in (previous + 1, position):
            yield clause, previous, position
        previous = number


def _renumbered(doc: Document) -> dict[int, str]:
    """id() of each chapter or clause out of sequence (STRUCT-004, NUM-004) → the number it should have."""
    found = {id(chapter): str(n) for chapter, _, n in out_of_sequence(doc.chapters)}
    for parent, children in subdivided(doc):
        found.update((id(child), f"{parent.number}.{n}") for child, _, n in out_of_sequence(children))
    return found


@rule("NUM-001", "error", "条编号由阿拉伯数字加下脚点组成，并以上级编号开头", clause=gb("7.3.2"), scope=DOCUMENT)
def clause_number_syntax(doc: Document, ctx) -> Iterator[Report]:
    renumbered = _renumbered(doc)
    for child, parent in enclosing(doc):
        if child.depth > parent.depth + 1:
            yield Report(child.line, f"条 {child.number} 直接位于 {parent.number} 之下，缺少中间的层次",
                         "补上中间层次的条，或改正本条的编号")
        elif parent.kind not in ("chapter", "clause"):
            continue
        elif not BODY_NUMBER.fullmatch(child.number):
            yield Report(child.line, f"条编号 “{child.number}” 不合规：正文的条编号由不以 0 开头的阿拉伯数字和下脚点组成",
                         f"写成 {parent.number}.1、{parent.number}.2 …")
        # a child numbered after what its misnumbered parent should be: the parent's finding says it
        elif not child.number.startswith(parent.number + ".") \
                and renumbered.get(id(parent)) != child.number.rsplit(".", 1)[0]:
            yield Report(child.line, f"条 {child.number} 位于 {parent.number} 之下，编号应以 “{parent.number}.” 开头",
                         f"改为 {parent.number}.{_last(child.number)}，或把它移到所属的章条之下")


@rule("NUM-002", "error", "条最多分到第五层次（如 5.1.1.1.1.1）", clause=gb("7.3.1"), scope=DOCUMENT)
def clause_depth(doc: Document, ctx) -> Iterator[Report]:
    for clause in doc.walk():
        if clause.kind in ("clause", "annex-clause") and clause.number.count(".") > 5:
            yield Report(clause.line, f"条 {clause.number} 超过了 5 个层次",
                         "减少细分层次，可改用列项或段")


@rule("NUM-003", "error", "一个层次中有两个以上的条时才可设条", clause=gb("7.3.1"), scope=DOCUMENT)
def no_lone_subclause(doc: Document, ctx) -> Iterator[Report]:
    for parent, children in subdivided(doc):
        if len(children) == 1:
            child = children[0]
            yield Report(child.line, f"{parent.number} 之下只有一个条 {child.number}",
                         f"取消 {child.number} 的编号把内容并入 {parent.number}，或再设一个同级条")


@rule("NUM-004", "error", "同级条从 1 起连续编号，无重复、无空缺", clause=gb("7.3.2"), scope=DOCUMENT)
def siblings_continuous(doc: Document, ctx) -> Iterator[Report]:
    for parent, children in subdivided(doc):
        for child, previous, expected in out_of_sequence(children):
            what = "重复" if _last(child.number) == previous else "不连续"
            yield Report(child.line, f"条编号 {child.number} {what}（{parent.number} 之下上一条的序号为 {previous}）",
                         f"同级条依次编号：本条应为 {parent.number}.{expected}")


def _titled(clause: Clause) -> bool:
    return bool(clause.title)


def _lost(clause: Clause) -> bool:
    """An untitled clause whose content is declared lost: its title may be lost too."""
    return not clause.title and only_gap(clause)


@rule("NUM-005", "error", "同一层次的条有无标题应一致；第一层次的条宜有标题", clause=gb("7.3.3"), scope=DOCUMENT)
def sibling_titles(doc: Document, ctx) -> Iterator[Report]:
    terms = terms_chapter(doc)
    for parent, children in subdivided(doc):
        known = [c for c in children if not _lost(c)]
        titled = [c for c in known if _titled(c)]
        untitled = [c for c in known if not _titled(c)]
        if titled and untitled:
            odd, other = (untitled, titled) if len(untitled) <= len(titled) else (titled, untitled)
            for child in odd:
                state = "无标题" if child in untitled else "有标题"
                yield Report(child.line, f"{child.number} {state}，而同级的 {other[0].number} "
                             f"{'有' if other is titled else '无'}标题：同一层次的条有无标题应一致",
                             "给同级的条都加标题，或都不加")
        elif untitled and parent.depth == 1 and parent is not terms:
            yield Report(untitled[0].line, f"{parent.number} 之下的第一层次条（{untitled[0].number} 等）没有标题",
                         "第一层次的条宜给出条标题", "warning")


@rule("NUM-006", "error", "无标题的条不再分条", clause=gb("7.3.4"), applies=("2020",), scope=DOCUMENT)
def untitled_not_subdivided(doc: Document, ctx) -> Iterator[Report]:
    for parent, children in subdivided(doc):
        if parent.kind in ("clause", "annex-clause") and not parent.title:
            yield Report(parent.line, f"无标题的条 {parent.number} 不应再分条（其下有 {children[0].number}）",
                         f"给 {parent.number} 加标题，或取消其下的条")


@rule("NUM-007", "warning", "章或条与其第一个下级条之间不宜有悬置段", clause=gb("7.4"), scope=DOCUMENT)
def hanging_paragraph(doc: Document, ctx) -> Iterator[Report]:
    terms = terms_chapter(doc)
    for parent, children in subdivided(doc):
        if parent is terms:
            continue
        content = [b for b in parent.blocks if not isinstance(b, Gap)]
        if content:
            yield Report(content[0].line, f"{parent.number} 的标题与 {children[0].number} 之间有悬置段",
                         f"把这段内容移入新设的条（如 {children[0].number} 概述/通则），其后各条顺延")


PART = re.compile(r"^\S+\s(?P<number>[\dX]+)(?P<parts>(?:\.[\dX]+)*)(?:—[\dX]{4})?$")
PART_TITLE = re.compile(r"第(?P<n>\d+)部分[：:]")


@rule("NUM-009", "error", "部分编号只有一级，部分的名称含“第n部分：”", clause=gb("7.1"), scope=DOCUMENT)
def part_numbering(doc: Document, ctx) -> Iterator[Report]:
    m = PART.match(doc.meta.designation)
    if not m:
        return
    parts = m["parts"].split(".")[1:]
    line = doc.meta.line_of("designation")
    titled = PART_TITLE.search(doc.meta.title or doc.title)
    if len(parts) > 1:
        yield Report(line, f"文件编号 {doc.meta.designation} 把部分再分成了分部分", "部分编号只设一级，如 GB/T 20001.1")
    elif parts and not titled:
        yield Report(doc.meta.line_of("title"), f"文件编号 {doc.meta.designation} 表明这是一个部分，名称中应有“第{parts[0]}部分：”",
                     f"名称写成 引导元素　第{parts[0]}部分：补充元素")
    elif parts and titled and parts[0] != "X" * len(parts[0]) and titled["n"] != parts[0]:
        yield Report(doc.meta.line_of("title"), f"名称中为“第{titled['n']}部分”，而文件编号的部分号为 {parts[0]}",
                     "使名称中的部分号与文件编号一致")
    elif not parts and titled:
        yield Report(line, f"名称中有“第{titled['n']}部分”，而文件编号 {doc.meta.designation} 没有部分号",
                     f"文件编号写成 顺序号.{titled['n']}")


MAX_HEADING = 6     # the deepest Markdown heading
TOO_DEEP = re.compile(r"^(#{7,})\s*\S")


@rule("HEAD-003", "error", "标题级别与编号层次一致（## 章、### 5.1、#### 5.1.1；更深的条写 ######）",
      clause="源文件格式（docs/authoring.md）", scope=DOCUMENT)
def heading_level(doc: Document, ctx) -> Iterator[Report]:
    for clause in doc.walk():
        if clause.kind in TOP_LEVEL:
            expected = 2
        elif clause.kind in ("clause", "annex-clause"):
            expected = clause.depth + 1
        else:
            continue
        if expected > MAX_HEADING and clause.heading_level == MAX_HEADING:
            continue    # Markdown stops at ######: 5.1.1.1.1.1 is written ###### and read by its number
        if clause.heading_level != expected:
            yield Report(clause.line, f"“{clause.heading}”的标题级别为 {'#' * clause.heading_level}，"
                         f"按其编号应为 {'#' * min(expected, MAX_HEADING)}",
                         f"写成 {'#' * min(expected, MAX_HEADING)} {clause.heading}")
    for _, paragraph in doc.paragraphs():
        m = TOO_DEEP.match(paragraph.text)
        if m:
            yield Report(paragraph.line, f"“{m.group(1)}”不是标题：Markdown 的标题最多六个 #",
                         f"写成 ###### {paragraph.text[len(m.group(1)):].strip()}（更深的条按编号确定层次）")
