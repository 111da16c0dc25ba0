"""范围: statements only, in the usual sentence patterns."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Document
from . import DOCUMENT, Report, rule
from .text import (PERMISSION, RECOMMENDATION, REQUIREMENT, SELF, gb, only_gap, prose, scope_chapter,
                   provisions, self_reference, text_paragraphs)

SUBJECT = re.compile(r"^" + SELF + r"(?:[^。，]{0,20}?)(?:规定|确立|描述|提供|给出|界定)了")


@rule("SCOPE-001", "error", "范围使用陈述型条款，不包含要求、推荐、允许型条款", clause=gb("8.5"), scope=DOCUMENT)
def statements_only(doc: Document, ctx) -> Iterator[Report]:
    chapter = scope_chapter(doc)
    if chapter is None:
        return
    for piece in prose(doc):
        if piece.clause is chapter and piece.kind != "heading":
            for m in provisions(piece.text, REQUIREMENT + RECOMMENDATION + PERMISSION):
                yield Report(piece.line_at(m.start()), f"范围中使用了能愿动词“{m.group()}”，范围不应包含条款",
                             f"改为陈述，如“{self_reference(doc)}适用于……”；要求写入正文")
                break


@rule("SCOPE-002", "warning", "范围以“本文件规定了/确立了/给出了……”开始，并说明适用界限（适用于……）",
      clause=gb("8.5"), scope=DOCUMENT)
def scope_sentences(doc: Document, ctx) -> Iterator[Report]:
    chapter = scope_chapter(doc)
    if chapter is None or only_gap(chapter):
        return
    paragraphs = text_paragraphs(chapter)
    own = self_reference(doc)
    if not paragraphs:
        yield Report(chapter.line, "范围没有内容", f"写“{own}规定了……。”和“{own}适用于……。”")
        return
    if not SUBJECT.match(paragraphs[0].text):
        yield Report(paragraphs[0].line, "范围的第一段宜以“" + own + "规定了/确立了/描述了/提供了/给出了/界定了……”开始",
                     f"写成“{own}规定了……”")
    if not any("适用于" in p.text for p in paragraphs):
        yield Report(paragraphs[-1].line, "范围没有说明适用界限", f"写“{own}适用于……。”")
