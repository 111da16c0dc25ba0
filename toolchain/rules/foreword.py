"""前言: drafting basis, patent notice, 提出/归口, drafters, replacement; no provisions.

A foreword that declares a gap (its source is lost in part) is not asked for the
sentences it lacks; the sentences it does have are still checked.
"""
from __future__ import annotations

import re
from typing import Iterator

from .. import designations
from ..model import Clause, Document, Formula, IndicatorTable, ListBlock, Paragraph, Table, iter_items
from . import DOCUMENT, Report, rule
from .text import (PERMISSION, RECOMMENDATION, REQUIREMENT, SELF, boilerplate_error, declares_gap, gb,
                   only_gap, prose, provisions, self_reference, squeeze)

BASIS = {
    "2020": "本文件按照GB/T 1.1—2020《标准化工作导则　第1部分：标准化文件的结构和起草规则》的规定起草。",
    "2009": "本标准按照GB/T 1.1—2009给出的规则起草。",
}
BASIS_START = re.compile(SELF + r"\s*(按照|依据|根据)\s*GB/T\s*1\.1")
PATENT = {
    "2020": "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别专利的责任。",
    "2009": "请注意本文件的某些内容可能涉及专利。本文件的发布机构不承担识别这些专利的责任。",
}
PATENT_START = re.compile(r"请注意.{0,6}的某些内容可能涉及专利")
PROPOSER_OWNER = re.compile(r"^" + SELF + r"由(?P<body>.+?)(?P<role>提出并归口|提出|归口)。$")
DRAFTERS = {"起草单位": re.compile(SELF + r"起草单位[：:]"), "主要起草人": re.compile(SELF + r"主要起草人[：:]")}
REPLACES = re.compile(SELF + r"代替")


def foreword(doc: Document) -> Clause | None:
    clause = doc.find("foreword")
    return None if clause is None or only_gap(clause) else clause


def _paragraphs(clause: Clause) -> list[Paragraph]:
    return [b for b in clause.blocks if isinstance(b, Paragraph)]


def _canonical(text: str) -> str:
    """Boilerplate as compared: spaces removed, 本标准/本部分 read as 本文件 (WORD-001 judges those)."""
    return squeeze(text).replace("本部分", "本文件").replace("本标准", "本文件")


@rule("FWD-001", "error", "前言的第一段为起草依据：本文件按照GB/T 1.1—2020……的规定起草。",
      clause=gb("8.3"), scope=DOCUMENT)
def drafting_basis(doc: Document, ctx) -> Iterator[Report]:
    clause = foreword(doc)
    if clause is None:
        return
    expected = BASIS[doc.meta.profile]
    paragraphs = _paragraphs(clause)
    for index, paragraph in enumerate(paragraphs):
        if not BASIS_START.match(paragraph.text):
            continue
        wrong = boilerplate_error(paragraph.text, BASIS, doc.meta.profile, "起草依据", _canonical)
        if wrong:
            yield Report(paragraph.line, wrong, f"写成：{expected}（按 2009 版起草时改正前置元数据 drafting_rules）")
        elif index:
            yield Report(paragraph.line, "起草依据应为前言的第一段", "把这一段移到前言的开头")
        return
    if not declares_gap(clause):
        yield Report(clause.line, "前言缺少起草依据", f"在前言第一段写：{expected}")


@rule("FWD-003", "error", "前言给出专利说明：请注意本文件的某些内容可能涉及专利……", clause=gb("8.3，附录D.2"), scope=DOCUMENT)
def patent_notice(doc: Document, ctx) -> Iterator[Report]:
    clause = foreword(doc)
    if clause is None:
        return
    expected = PATENT[doc.meta.profile]
    for paragraph in _paragraphs(clause):
        if not PATENT_START.search(paragraph.text):
            continue
        wrong = boilerplate_error(paragraph.text, PATENT, doc.meta.profile, "专利说明", _canonical)
        if wrong:
            yield Report(paragraph.line, wrong, f"写成：{expected}")
        return
    intro = doc.find("introduction")
    if intro is not None and "专利" in intro.text():
        return  # patents identified: the 引言 gives the patent information instead
    if not declares_gap(clause):
        yield Report(clause.line, "前言缺少专利说明", f"写：{expected}")


@rule("FWD-004", "error", "前言写明提出和归口：本文件由……提出。本文件由……归口。", clause=gb("8.3"), scope=DOCUMENT)
def proposer_owner(doc: Document, ctx) -> Iterator[Report]:
    clause = foreword(doc)
    if clause is None:
        return
    owner_named = False
    for paragraph in _paragraphs(clause):
        text = paragraph.text.strip()
        if not re.match(SELF + r"由", text) or ("提出" not in text and "归口" not in text):
            continue
        m = PROPOSER_OWNER.match(text)
        if not m:
            yield Report(paragraph.line, "提出、归口的表述不合规",
                         "写成“本文件由……提出。”“本文件由……归口。”或“本文件由……提出并归口。”")
            continue
        differing = [f"{key}（{getattr(doc.meta, key)}）" for role, key in (("提出", "proposer"), ("归口", "owner"))
                     if role in m["role"] and getattr(doc.meta, key) and getattr(doc.meta, key) not in m["body"]]
        if differing:
            yield Report(paragraph.line, f"前言中写的“{m['body']}”与前置元数据 {'、'.join(differing)} 不一致",
                         "使前言与前置元数据一致")
        owner_named = owner_named or "归口" in m["role"]
    if not owner_named and not declares_gap(clause):
        yield Report(clause.line, "前言缺少归口单位", f"写：{self_reference(doc)}由{doc.meta.owner or '……'}归口。")


@rule("FWD-005", "warning", "前言写明起草单位和主要起草人", clause=gb("8.3"), scope=DOCUMENT)
def drafters(doc: Document, ctx) -> Iterator[Report]:
    clause = foreword(doc)
    if clause is None or declares_gap(clause):
        return
    texts = [p.text for p in _paragraphs(clause)]
    for label, pattern in DRAFTERS.items():
        if not any(pattern.match(t) for t in texts):
            yield Report(clause.line, f"前言缺少{label}", f"写：{self_reference(doc)}{label}：……。")


@rule("FWD-006", "error", "代替其他文件时，前言的代替说明与封面的被代替文件一致", clause=gb("8.3"), scope=DOCUMENT)
def replacement(doc: Document, ctx) -> Iterator[Report]:
    clause = foreword(doc)
    if clause is None:
        return
    declared = {d.key for r in doc.meta.replaces if (d := designations.parse_one(r))}
    statements = [p for p in _paragraphs(clause) if REPLACES.match(p.text)]
    named = {d.key for p in statements for d in designations.find_all(p.text)}
    for key in sorted(declared - named):
        if statements or not declares_gap(clause):
            yield Report(statements[0].line if statements else clause.line,
                         f"前置元数据 replaces 声明代替 {key}，前言中没有相应的代替说明",
                         f"写：本文件代替{key}—××××《……》，与{key}—××××相比，除结构调整和编辑性改动外，主要技术变化如下：")
    for paragraph in statements:
        for d in designations.find_all(paragraph.text):
            if d.key not in declared and d.key != _own_key(doc):
                yield Report(paragraph.line, f"前言称代替 {d.key}，而前置元数据 replaces 未声明",
                             f"在前置元数据中写 replaces: [{d.raw}]")
                break
    for paragraph in statements:
        index = clause.blocks.index(paragraph)
        following = clause.blocks[index + 1] if index + 1 < len(clause.blocks) else None
        if isinstance(following, ListBlock):
            for item in iter_items(following.items):
                if not re.search(r"[（(]见.+[）)]", item.text):
                    yield Report(item.line, "技术变化的列项没有指明所在的章条",
                                 "在每项末尾写（见×.×）", "warning")


def _own_key(doc: Document) -> str:
    own = designations.parse_one(doc.meta.designation)
    return own.key if own else ""


@rule("FWD-009", "error", "前言不包含要求、推荐、允许型条款，也不使用图、表、公式", clause=gb("8.3"), scope=DOCUMENT)
def no_provisions(doc: Document, ctx) -> Iterator[Report]:
    clause = doc.find("foreword")
    if clause is None:
        return
    for block in clause.blocks:
        if isinstance(block, (Table, IndicatorTable)):
            yield Report(block.line, "前言中不应有表", "把表移到正文或附录")
        elif isinstance(block, Formula):
            yield Report(block.line, "前言中不应有数学公式", "把公式移到正文或附录")
    for paragraph in _paragraphs(clause):   # lists here describe changes and editions: not scanned
        found = provisions(paragraph.text, REQUIREMENT + RECOMMENDATION + PERMISSION)
        if found:
            yield Report(paragraph.line, f"前言中使用了能愿动词“{found[0].group()}”，前言不应包含条款",
                         "把条款移到正文，前言只作陈述", "warning")


@rule("INTRO-001", "error", "引言不包含要求型条款（应、不应）；推荐型条款（宜、不宜）为警告", clause=gb("8.4"), scope=DOCUMENT)
def introduction_without_requirements(doc: Document, ctx) -> Iterator[Report]:
    """The 引言 says why the document was written and what is special about it: no requirement.
    可 is left alone here — in an 引言 it says what the document makes possible."""
    clause = doc.find("introduction")
    if clause is None:
        return
    inside = {id(c) for c in clause.walk()}
    for piece in prose(doc, kinds=("text", "item")):
        if id(piece.clause) not in inside:
            continue
        found = provisions(piece.text, REQUIREMENT + RECOMMENDATION)
        for match in found[:1]:
            verb = match.group()
            yield Report(piece.line_at(match.start()), f"引言中使用了能愿动词“{verb}”，引言不应包含条款",
                         "把要求或推荐移到正文相应的章条；引言只说明编制原因、技术内容的特殊信息",
                         "" if verb in REQUIREMENT else "warning")
