"""Lists (列项): markers, depth, lead-in, continuous numbering."""
from __future__ import annotations

from typing import Iterator

from ..source.markers import marker_kind
from ..model import Clause, Document, ListBlock, ListItem, Paragraph, iter_items
from . import DOCUMENT, Report, rule
from .text import gb

MARKER_HINT = "第一层次用“——”或“a)”，第二层次用“·”或“1)”"
FIRST_LEVEL = ("dash", "letter")
SECOND_LEVEL = ("dot", "number")


def lists(doc: Document) -> Iterator[tuple[Clause, int, ListBlock]]:
    for clause in doc.walk():
        for index, block in enumerate(clause.blocks):
            if isinstance(block, ListBlock):
                yield clause, index, block


def levels(items: list[ListItem]) -> Iterator[list[ListItem]]:
    """Each run of sibling items: the top level, then the children of each item, recursively."""
    if items:
        yield items
    for item in items:
        yield from levels(item.children)


@rule("LIST-001", "error", "列项使用“——”“a)”（第一层次）或“·”“1)”（第二层次），同一层次符号一致",
      clause=gb("7.5.3 表2"), scope=DOCUMENT)
def list_markers(doc: Document, ctx) -> Iterator[Report]:
    for _, _, block in lists(doc):
        if block.source == "markdown":
            yield Report(block.line, f"列项使用了 Markdown 列表符号 “{block.items[0].marker}”",
                         f"每项单独一行，以 GB 列项符号开头：{MARKER_HINT}")
            continue
        for siblings in levels(block.items):
            allowed = {1: FIRST_LEVEL, 2: SECOND_LEVEL}.get(siblings[0].level, FIRST_LEVEL + SECOND_LEVEL)
            for item in siblings:
                kind = marker_kind(item.marker)
                if kind == "other":
                    yield Report(item.line, f"列项符号 “{item.marker}” 不是 GB/T 1.1 规定的符号", MARKER_HINT)
                elif kind not in allowed:
                    yield Report(item.line, f"第{'一' if item.level == 1 else '二'}层次的列项不应使用 “{item.marker}”",
                                 MARKER_HINT)
                elif "）" in item.marker:
                    yield Report(item.line, f"列项编号 “{item.marker}” 使用了全角括号",
                                 f"写成 “{item.marker.replace('）', ')')}”", "warning")
            kinds = {marker_kind(i.marker) for i in siblings} - {"other"}
            if len(kinds) > 1:
                odd = next(i for i in siblings if marker_kind(i.marker) != marker_kind(siblings[0].marker))
                yield Report(odd.line, f"同一层次的列项混用了 “{siblings[0].marker}” 和 “{odd.marker}”",
                             "同一层次的列项使用同一种符号或编号")


@rule("LIST-002", "warning", "列项不宜超过两个层次", clause=gb("7.5.2"), applies=("2020",), scope=DOCUMENT)
def list_depth(doc: Document, ctx) -> Iterator[Report]:
    for _, _, block in lists(doc):
        for siblings in levels(block.items):
            if siblings[0].level > 2:
                yield Report(siblings[0].line, f"列项分到了 {siblings[0].level} 个层次",
                             "把第三层次的内容并入上一层次的项，或改写为段")


@rule("LIST-003", "warning", "列项由引语引出", clause=gb("7.5.1"), applies=("2020",), scope=DOCUMENT)
def list_lead_in(doc: Document, ctx) -> Iterator[Report]:
    for clause, index, block in lists(doc):
        before = clause.blocks[index - 1] if index else None
        if isinstance(before, ListBlock):
            continue  # a list continued after an interruption
        if not isinstance(before, Paragraph) or before.kind != "text":
            yield Report(block.line, "列项之前没有引语", "在列项之前写一句以“：”结尾的引语，如“……应符合下列要求：”")


def _ordinal(marker: str) -> int | None:
    kind = marker_kind(marker)
    if kind == "letter":
        return ord(marker[0]) - ord("a") + 1
    if kind == "number":
        return int(marker[:-1])
    return None


@rule("LIST-004", "error", "列项编号 a)、b)、c)… 和 1)、2)、3)… 连续", clause=gb("7.5.3"), scope=DOCUMENT)
def list_numbering(doc: Document, ctx) -> Iterator[Report]:
    last_top: dict[int, int] = {}     # id(clause) -> ordinal of the last top-level item
    for clause, _, block in lists(doc):
        for siblings in levels(block.items):
            numbered = [(i, _ordinal(i.marker)) for i in siblings if _ordinal(i.marker) is not None]
            if not numbered:
                continue
            start = 1
            if siblings is block.items and numbered[0][1] == last_top.get(id(clause), 0) + 1:
                start = numbered[0][1]  # continues a list interrupted by a note or paragraph
            expected = start
            for item, ordinal in numbered:
                if ordinal != expected:
                    yield Report(item.line, f"列项编号 “{item.marker}” 不连续（应为第{expected}项）",
                                 "列项编号依次连续，从 a) 或 1) 起")
                expected = ordinal + 1
            if siblings is block.items:
                last_top[id(clause)] = numbered[-1][1]


ITEM_END = "；;。：:"


def _end(text: str) -> str:
    text = text.rstrip()
    return text[-1] if text else ""


@rule("LIST-005", "warning", "列项的引语以“：”结尾；各项以“；”结尾、最后一项以“。”结尾，或各项都是以“。”结尾的句子",
      clause=gb("7.5.4"), scope=DOCUMENT)
def list_punctuation(doc: Document, ctx) -> Iterator[Report]:
    """GB/T 1.1—2020 7.5.4 and its examples: the lead-in ends with “：” (a complete sentence
    ending “。” only when every item is a sentence ending “。”); items end with “；”, the
    last with “。”; an item that has sub-items ends with “：” (or “；”); or every item is a
    sentence ending “。”. Noun items without punctuation occur in older standards but are
    not what 7.5.4 shows: reported once per list, at the first item that breaks the pattern."""
    for clause, index, block in lists(doc):
        if block.source != "gb":
            continue
        items = list(iter_items(block.items))
        all_sentences = all(_end(i.text) == "。" for i in items if not i.children)
        before = clause.blocks[index - 1] if index else None
        if (isinstance(before, Paragraph) and before.kind == "text" and _end(before.text) == "。"
                and not all_sentences):
            yield Report(before.line, "列项的引语以“。”结尾",
                         "引语以“：”结尾（如“……应符合下列要求：”）；只有各项都是以“。”结尾的完整句子时，引语才可以是以“。”结尾的句子")
        last = _continues(clause, index)
        for position, item in enumerate(items):
            end = _end(item.text)
            is_last = position == len(items) - 1 and not last
            if item.children:
                wanted = "：:；;。"
            elif is_last:
                wanted = "。"
            else:
                # “。” is accepted inside a list: published standards end an item that is a full
                # sentence, or the last item of a sub-list, with “。” (GB/T 36132—2018, 4.3.1)
                wanted = "；;。"
            if end not in wanted:
                said = f"以“{end}”结尾" if end and not end.isalnum() and end not in ")）" else "没有标点"
                where = "最后一项" if is_last and not item.children else "列项"
                yield Report(item.line, f"{where}“{item.marker} {item.text.strip()[:20]}”{said}",
                             "各项以“；”结尾，最后一项以“。”结尾；有下一层次的项以“：”结尾；或各项都写成以“。”结尾的句子")
                break


def _continues(clause: Clause, index: int) -> bool:
    """The list goes on after a note or paragraph (a later list of the clause numbered on)."""
    following = clause.blocks[index + 1:]
    return any(isinstance(b, ListBlock) for b in following[:2]) and isinstance(following[0], Paragraph) \
        and following[0].kind in ("note", "example") if following else False
