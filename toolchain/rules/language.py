"""Verbal forms (GB/T 1.1 Annex C) and wording: self-reference, cross-references, doubled words."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Document
from . import DOCUMENT, Report, rule
from .text import REQUIREMENT, gb, mask, modal_verbs, phrases, prose, sentences


def _matches(doc: Document, pattern: re.Pattern) -> Iterator[tuple[int, re.Match]]:
    for piece in prose(doc):
        for m in pattern.finditer(piece.text):
            yield piece.line_at(m.start()), m


# The table of verbal forms (能愿动词) in each edition.
VERBAL_FORMS = {"2020": "附录C", "2009": "附录F"}


@rule("VERB-001", "error", "不使用“必须”代替“应”", clause=gb("附录C", "附录F"), scope=DOCUMENT)
def no_bixu(doc: Document, ctx) -> Iterator[Report]:
    for line, m in _matches(doc, re.compile("必须")):
        yield Report(line, "使用了“必须”：GB/T 1.1 的要求型条款用“应”", "把“必须”改为“应”")


NOT_PROHIBITION = re.compile(
    "不可能|不可或缺|不可避免|不可再生|不可抗力|不可逆|不可替代|不可分割|不可预见|不可回收|不可降解|必不可少|"
    "密不可分|不得不|不得已|[舍恨巴怪由免少要顾记]不得|明令禁止|被禁止|禁止类|禁止性")
PROHIBITION = {"2020": re.compile("不得|不可|禁止"), "2009": re.compile("不可")}


@rule("VERB-002", "error", "不使用“不得”“不可”“禁止”代替“不应”（2009：不使用“不可”）",
      clause=gb("附录C", "附录F"), scope=DOCUMENT)
def no_bude(doc: Document, ctx) -> Iterator[Report]:
    pattern = PROHIBITION[doc.meta.profile]
    for piece in prose(doc):
        for m in pattern.finditer(mask(piece.text, NOT_PROHIBITION)):
            yield Report(piece.line_at(m.start()),
                         f"使用了“{m.group()}”：按 {doc.meta.drafting_rules}，禁止型要求用“不应”",
                         f"把“{m.group()}”改为“不应”")


@rule("VERB-003", "warning", "不使用附录C（2009：附录F）以外的能愿动词（应当、务必、严禁）",
      clause=gb("9.1、附录C", "附录F"), scope=DOCUMENT)
def untabled_forms(doc: Document, ctx) -> Iterator[Report]:
    better = {"应当": "应", "务必": "应", "严禁": "不应"}
    table = f"GB/T 1.1—{doc.meta.profile} {VERBAL_FORMS[doc.meta.profile]}"
    for line, m in _matches(doc, re.compile("应当|务必|严禁")):
        yield Report(line, f"使用了“{m.group()}”，它不在 {table}的能愿动词之列",
                     f"改为“{better[m.group()]}”")


HEDGE = re.compile("尽可能|尽量|考虑|通常|原则上|一般(?=应|不应|情况下|来说|而言|地)")
HEDGE_ONLY = re.compile(r"^\s*(?:通常|一般|原则上)(?:情况下|来说|而言)?\s*$")


@rule("VERB-005", "error", "“尽可能”“尽量”“考虑”“通常”“一般”“原则上”不与“应”“不应”连用",
      clause=gb("9.4.2"), applies=("2020",), scope=DOCUMENT)
def hedged_requirements(doc: Document, ctx) -> Iterator[Report]:
    for piece in prose(doc):
        for sentence in sentences(piece.text):
            parts = phrases(sentence.group())
            for index, part in enumerate(parts):
                hedge = HEDGE.search(part.group())
                if not hedge:
                    continue
                same = [m for m in modal_verbs(part.group()) if m.group() in REQUIREMENT]
                following = parts[index + 1].group() if index + 1 < len(parts) else ""
                leading = HEDGE_ONLY.match(part.group()) and any(
                    m.group() in REQUIREMENT for m in modal_verbs(following))
                if same or leading:
                    yield Report(piece.line_at(sentence.start() + part.start() + hedge.start()),
                                 f"“{hedge.group()}”与“应”连用表示要求",
                                 f"要求不加“{hedge.group()}”；若是推荐，把“应”改为“宜”")
                    break


@rule("WORD-001", "error", "文件自称“本文件”（2009 版用“本标准”）", clause=gb("9.5.2"), applies=("2020",), scope=DOCUMENT)
def self_reference(doc: Document, ctx) -> Iterator[Report]:
    for line, m in _matches(doc, re.compile("本标准(?!化)|本部分")):
        yield Report(line, f"按 GB/T 1.1—2020，文件应自称“本文件”，而不是“{m.group()}”", f"把“{m.group()}”改为“本文件”")


@rule("WORD-002", "error", "引用章条、图表时不写页码", clause=gb("9.5.3"), scope=DOCUMENT)
def no_page_numbers(doc: Document, ctx) -> Iterator[Report]:
    for line, m in _matches(doc, re.compile(r"第\s*\d+\s*页")):
        yield Report(line, f"引用了页码“{m.group()}”", "改为引用章条、图、表或附录的编号")


INTERNAL = re.compile(r"第\s*\d+(?:\.\d+)+\s*条|(?<![\d.])\d+(?:\.\d+)*\s*节|第\s*\d+\s*节")


@rule("WORD-003", "warning", "提及本文件内容时写“第4章”“5.2”“图1”“表2”“附录C”", clause=gb("9.5.3"),
      applies=("2020",), scope=DOCUMENT)
def internal_references(doc: Document, ctx) -> Iterator[Report]:
    for line, m in _matches(doc, INTERNAL):
        yield Report(line, f"引用写成了“{m.group()}”", "章写“第4章”，条只写编号（如“5.2”），不写“第……条”“……节”")


DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,8}[，、]?)\1")   # 规定了规定了；基本信息表，基本信息表，


@rule("WORD-DUP", "error", "没有误重复的词语（如“规定了规定了”）", clause="编辑性检查（标准和编制说明）",
      kinds=("standard", "notes"), scope=DOCUMENT)
def doubled_words(doc: Document, ctx) -> Iterator[Report]:
    for line, m in _matches(doc, DOUBLED):
        word = m.group(1).rstrip("，、")
        yield Report(line, f"“{word}”重复了一次：“{m.group()}”", f"删去重复的“{word}”")
