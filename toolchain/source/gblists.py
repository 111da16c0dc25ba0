"""GB-style lists and notes written as marker lines → separate doctree items.

Committees write list items as lines that start with their marker (``a)``,
``——``, ``1)``, ``·``) and notes as lines starting with ``注：``. Markdown
joins such lines into one paragraph; this pass splits them again so that
every item is its own paragraph, with its own source line.
"""
from __future__ import annotations

import re

from docutils import nodes

from ..cjk import CJK
from . import tree
from .markers import LIST_MARKER, NOTE_START, marker_kind, marker_level  # noqa: F401  (used here and by users of gblists)

ESCAPABLE = re.compile(r"^(\s*)(\d+)\)")
FENCE = re.compile(r"^\s*(`{3,}|:{3,})")


def escape_list_markers(body: str) -> str:
    """Keep CommonMark from turning ``1) …`` lines into its own ordered lists.

    Line-preserving: only a backslash is inserted; fenced blocks are untouched.
    """
    out, fence = [], None
    for line in body.split("\n"):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)[0] * len(match.group(1))
        elif fence is not None and line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
            fence = None
        elif fence is None:
            line = ESCAPABLE.sub(r"\1\2\\)", line)
        out.append(line)
    return "\n".join(out)


def split_paragraphs(document: nodes.Node) -> None:
    for paragraph in tree.find(document, nodes.paragraph):
        if isinstance(paragraph.parent, (nodes.entry, nodes.list_item)) or "gb-list-item" in paragraph["classes"]:
            continue
        if paragraph["classes"]:
            continue
        if not any(isinstance(c, nodes.Text) and "\n" in c for c in paragraph.children) \
                and not LIST_MARKER.match(paragraph.astext()):
            continue    # one line, not an item: what the test below finds, without copying the line
        lines = _lines(paragraph)
        if len(lines) < 2 and not _is_marker_line(lines[0] if lines else []):
            continue
        replacement = _regroup(paragraph, lines)
        if replacement is not None:
            paragraph.replace_self(replacement)


def _lines(paragraph: nodes.paragraph) -> list[list[nodes.Node]]:
    lines: list[list[nodes.Node]] = [[]]
    for child in paragraph.children:
        if isinstance(child, nodes.Text):
            parts = str(child).split("\n")
            for n, part in enumerate(parts):
                if n:
                    lines.append([])
                if part:
                    lines[-1].append(nodes.Text(part))
        else:
            lines[-1].append(child.deepcopy())
    return lines


def _text(line: list[nodes.Node]) -> str:
    return "".join(n.astext() for n in line)


def _is_marker_line(line: list[nodes.Node]) -> bool:
    return bool(LIST_MARKER.match(_text(line)))


def _regroup(paragraph: nodes.paragraph, lines: list[list[nodes.Node]]):
    starts = [i for i, line in enumerate(lines)
              if LIST_MARKER.match(_text(line)) or NOTE_START.match(_text(line))]
    if not starts or (starts == [0] and not _is_marker_line(lines[0])):
        return None
    result: list[nodes.Node] = []
    base = paragraph.line or 0
    if starts[0] > 0:
        result.append(_paragraph(lines[: starts[0]], base, []))
    container = None
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        text = _text(lines[start])
        if NOTE_START.match(text):
            container = None
            result.append(_paragraph(lines[start:end], base + start, []))
            continue
        marker = LIST_MARKER.match(text).group(1)
        if container is None:
            container = nodes.container(classes=["gb-list"])
            container.line = base + start
            result.append(container)
        container += _paragraph(lines[start:end], base + start,
                                ["gb-list-item", f"gb-level-{marker_level(marker)}"])
    return result


def _paragraph(lines: list[list[nodes.Node]], line: int, classes: list[str]) -> nodes.paragraph:
    paragraph = nodes.paragraph(classes=classes)
    for n, part in enumerate(lines):
        if n and part and paragraph.children:
            paragraph += nodes.Text("")  # continuation lines join without a break
        for child in part:
            paragraph += child
    paragraph.line = line
    return paragraph


def join_cjk_lines(document: nodes.Node) -> None:
    """Drop soft line breaks between Chinese characters before writing.

    Markdown turns a line break inside a paragraph into a space, which is right
    for Latin text and wrong between Chinese characters. Done at write time
    only: the model keeps the breaks, which locate findings on their lines.
    A break may sit in its own Text node, so neighbours are looked at too.
    """
    for text in list(document.findall(nodes.Text)):
        value = str(text)
        if "\n" not in value or isinstance(text.parent, (nodes.literal_block, nodes.raw)):
            continue
        before = neighbour_text(text, -1)
        after = neighbour_text(text, 1)
        joined = []
        for n, char in enumerate(value):
            if char == "\n":
                left = value[n - 1] if n else before[-1:]
                right = value[n + 1] if n + 1 < len(value) else after[:1]
                if left and right and CJK.match(left) and CJK.match(right):
                    continue
            joined.append(char)
        if len(joined) != len(value):
            text.parent.replace(text, nodes.Text("".join(joined)))


def neighbour_text(node: nodes.Text, step: int) -> str:
    """The text of the sibling before (step -1) or after (step 1) ``node``; "" at either end.
    Found by identity: equal Text siblings compare equal."""
    siblings = node.parent.children
    index = next(i for i, child in enumerate(siblings) if child is node) + step
    return siblings[index].astext() if 0 <= index < len(siblings) else ""
