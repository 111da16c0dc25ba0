"""附录: headings and labels, lettering, numbering inside, citation in the text."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Document
from . import DOCUMENT, Report, rule
from .text import gb, prose


@rule("ANNEX-001", "error", "附录标题为 附录A（规范性）/（资料性）标题（2009：（规范性附录）/（资料性附录））",
      clause=gb("8.12、10.4.1"), scope=DOCUMENT)
def annex_heading(doc: Document, ctx) -> Iterator[Report]:
    labels = doc.meta.annex_labels
    for annex in doc.annexes:
        right = labels[0] if annex.annex_role == "规范性" else labels[1]
        if annex.annex_role_label not in labels:
            yield Report(annex.line, f"附录{annex.annex_letter}的性质写作“{annex.annex_role_label}”，"
                         f"按 {doc.meta.drafting_rules} 应写“{right}”",
                         f"写成 附录{annex.annex_letter}{right}{annex.title}")
        elif not annex.heading.startswith(f"附录{annex.annex_letter}（"):
            yield Report(annex.line, f"附录标题 “{annex.heading}” 的写法不规范",
                         f"写成 附录{annex.annex_letter}{right}{annex.title}（“附录”与字母之间不空格）")
        if not annex.title:
            yield Report(annex.line, f"附录{annex.annex_letter}没有标题", f"写成 附录{annex.annex_letter}{right}标题")


@rule("ANNEX-002", "error", "附录用大写拉丁字母从 A 起连续编号", clause=gb("9.6"), scope=DOCUMENT)
def annex_letters(doc: Document, ctx) -> Iterator[Report]:
    for index, annex in enumerate(doc.annexes):
        expected = chr(ord("A") + index)
        if annex.annex_letter != expected:
            yield Report(annex.line, f"附录编号应为 {expected}，实际为 {annex.annex_letter}",
                         f"附录依次编为附录A、附录B……；本附录改为附录{expected}，并改正其中的编号")
            return


@rule("ANNEX-003", "error", "附录中的条编号以附录字母开头（A.1、A.1.1），从 1 起", clause=gb("9.6"), scope=DOCUMENT)
def annex_clause_numbers(doc: Document, ctx) -> Iterator[Report]:
    for annex in doc.annexes:
        for clause in annex.walk():
            if clause is annex or not clause.number:
                continue
            if clause.kind != "annex-clause" or clause.number[0] != annex.annex_letter:
                yield Report(clause.line, f"附录{annex.annex_letter}中的条 “{clause.number}” 应以 “{annex.annex_letter}.” 开头",
                             f"写成 {annex.annex_letter}.1、{annex.annex_letter}.2 …")
        for parent in annex.walk():
            for child in parent.children:
                if (child.kind == "annex-clause" and child.number[0] == annex.annex_letter
                        and child.depth == parent.depth + 1 and not child.number.startswith(parent.number + ".")):
                    yield Report(child.line, f"条 {child.number} 位于 {parent.number} 之下，编号应以 “{parent.number}.” 开头",
                                 f"改为 {parent.number}.{child.number.rsplit('.', 1)[-1]}")


MENTION = re.compile(r"附录\s*(?P<letter>[A-Z])(?![A-Za-z])|(?:表|图|公式[（(])\s*(?P<item>[A-Z])\.\d")


def _mentions(doc: Document) -> dict[str, list[tuple[int, bool]]]:
    """Annex letter -> (line, explicit) of each mention outside that annex; explicit = “附录X”."""
    owner = {}
    for annex in doc.annexes:
        for clause in annex.walk():
            owner[id(clause)] = annex.annex_letter
    found: dict[str, list[tuple[int, bool]]] = {}
    for piece in prose(doc):
        if piece.kind == "heading" and piece.clause.kind == "annex":
            continue
        for m in MENTION.finditer(piece.text):
            letter = m["letter"] or m["item"]
            if owner.get(id(piece.clause)) != letter:
                found.setdefault(letter, []).append((piece.line_at(m.start()), bool(m["letter"])))
    return found


@rule("ANNEX-004", "warning", "每个附录都在正文中提及，附录按提及的先后排列", clause="GB/T 1.1—2020（未证实，警告）", scope=DOCUMENT)
def annexes_cited(doc: Document, ctx) -> Iterator[Report]:
    mentions = _mentions(doc)
    first_explicit = []
    for annex in doc.annexes:
        letter = annex.annex_letter
        if letter not in mentions:
            yield Report(annex.line, f"附录{letter}在正文中没有被提及",
                         f"在相关条文中提及附录{letter}（如“见附录{letter}”“应符合附录{letter}的规定”）")
        explicit = [line for line, named in mentions.get(letter, []) if named]
        if explicit:
            first_explicit.append((min(explicit), annex))
    ordered = sorted(first_explicit, key=lambda pair: pair[0])
    for (line, annex), (_, by_position) in zip(ordered, first_explicit):
        if annex is not by_position:
            yield Report(by_position.line, f"附录{by_position.annex_letter}的排列与正文中提及的先后不一致"
                         f"（第 {line} 行先提及附录{annex.annex_letter}）",
                         "按正文中首次提及的先后排列附录")
            return


RESERVED = ("范围", "规范性引用文件", "术语和定义")


@rule("ANNEX-006", "warning", "附录中不设“范围”“规范性引用文件”“术语和定义”", clause="第三方规则（未证实，警告）", scope=DOCUMENT)
def no_reserved_titles(doc: Document, ctx) -> Iterator[Report]:
    for annex in doc.annexes:
        for clause in annex.walk():
            if clause is not annex and clause.title in RESERVED:
                yield Report(clause.line, f"附录{annex.annex_letter}中设了“{clause.title}”",
                             "这些要素只在正文第1～3章中设置；附录中用其他标题")
