"""What a source may not put into published outputs, removed from the doctree with a located finding.

Standards and notes are documents, not web pages or TeX programs:

- raw HTML in Markdown and the ``raw`` directive (``SAFE-001``) are replaced by
  their text, shown as written;
- ``include``, ``literalinclude`` and ``csv-table :file:`` (``SAFE-002``) are refused
  (the readers run with docutils' ``file_insertion_enabled`` off, so nothing is
  read; the finding says why);
- images must lie inside the project folder (``SAFE-002``) and exist (``FILE-004``);
- ``{math}`` blocks and roles pass the same LaTeX check as formulas (``MATH-001``).

Runs on the doctree of both readers (``gbstd.source.builder``), before any writer.
See docs/security.md.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from docutils import nodes

from . import mathcheck, tree
from ..findings import Finding, SourceError

# Raw nodes MyST makes itself for Markdown syntax (hard line breaks, strike-through).
MYST_RAW = {"<br />\n", "\\\\\n", "<s>", "</s>"}
INSERTING = re.compile(r"^\s*(?:```+|~~~+|:::+)\s*\{(include|literalinclude|csv-table|raw|eval-rst)\}(.*)$"
                       r"|^\s*\.\.\s+(include|literalinclude|csv-table|raw)::(.*)$")


MAX_DIGITS = 50     # a run of digits in a source: heading, list and formula numbers are read as numbers
_DIGIT_RUN = re.compile(r"\d{%d,}" % (MAX_DIGITS + 1))


def check_limits(body: str, path: str) -> None:
    """Refuse a source the readers cannot take apart safely (raises SourceError LIMIT-001)."""
    match = _DIGIT_RUN.search(body)
    if match:
        line = body.count("\n", 0, match.start()) + 1
        raise SourceError(path, line, "LIMIT-001", f"数字过长（{len(match.group())} 位，上限 {MAX_DIGITS} 位）",
                          "改正该数字；章条、列项、公式编号只用几位数字")


def sweep(doctree: nodes.document, path: str, source: str) -> list[Finding]:
    """Remove what a source may not publish; the findings that say where. Runs once per doctree."""
    if "gb_swept" not in doctree:
        doctree["gb_swept"] = _sweep(doctree, path, source)
    return list(doctree["gb_swept"])


SWEPT = (nodes.system_message, nodes.raw, nodes.image, nodes.math, nodes.math_block)


def _sweep(doctree: nodes.document, path: str, source: str) -> list[Finding]:
    findings = _directives(path, source)
    refused = {f.line for f in findings}
    found = tree.find(doctree, SWEPT)    # one walk for the four kinds below
    removed = False
    for message in [n for n in found if isinstance(n, nodes.system_message)]:
        if message.get("line") in refused and message.parent is not None:
            message.parent.remove(message)   # docutils' own "disabled"/"unknown directive" notice
            removed = True
    if removed:   # what the removed notices held is gone; raw and image nodes hold no other nodes
        found = tree.find(doctree, SWEPT[1:])
    raw_lines: set[int] = set()
    for raw in [n for n in found if isinstance(n, nodes.raw)]:
        if raw.get("gb_trusted") or raw.astext() in MYST_RAW:
            continue
        line = _line(raw)
        kind = "LaTeX" if raw.get("format") == "latex" else "HTML"
        if line not in raw_lines:   # <b>…</b>: one finding for the line
            raw_lines.add(line)
            findings.append(Finding("SAFE-001", "error", path, line,
                                    f"标准文件中不能使用原始 {kind}（按原文显示为文字，不会生效）",
                                    "删去 HTML 标记或 {raw} 指令，改用 Markdown 写法"))
        replacement = nodes.literal(raw.astext(), raw.astext()) if _inline(raw) else \
            nodes.literal_block(raw.astext(), raw.astext())
        raw.replace_self(replacement)
    for image in [n for n in found if isinstance(n, nodes.image)]:
        uri = image.get("uri", "")
        if "://" in uri or not _inside(path, uri):
            findings.append(Finding("SAFE-002", "error", path, _line(image),
                                    f"图片 “{uri}” 不在项目目录内", "把图片放在标准文件所在目录中"))
            image.replace_self(nodes.inline(text=f"〔图片 {uri} 未收录〕", classes=["gb-error"]))
        elif not (Path(path).resolve().parent / uri).is_file():
            findings.append(Finding("FILE-004", "error", path, _line(image), f"图片文件 “{uri}” 不存在",
                                    "检查文件名和路径（相对于标准文件所在目录），或把图片放到那里"))
            image.replace_self(nodes.inline(text=f"〔图片 {uri} 不存在〕", classes=["gb-error"]))
    for math in [n for n in found if isinstance(n, (nodes.math, nodes.math_block))]:
        problem = mathcheck.problem(math.astext())
        if problem:
            line = _line(math)
            findings.append(Finding("MATH-001", "error", path, line, f"数学式的 LaTeX 有误：{problem}",
                                    mathcheck.HINT))
            text = f"【源文件错误】MATH-001：{problem}（第 {line} 行）"
            if isinstance(math, nodes.math):
                math.replace_self(nodes.inline(text=text, classes=["gb-error"]))
            else:
                box = nodes.container(classes=["gb-error"])
                box += nodes.paragraph(text=text)
                math.replace_self(box)
    return findings


def _directives(path: str, source: str) -> list[Finding]:
    """Directives that would read other files; docutils refuses them, this says where and why."""
    findings = []
    for number, text in enumerate(source.split("\n"), 1):
        m = INSERTING.match(text)
        if not m:
            continue
        name, argument = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if name == "raw":
            continue   # reported with its node above
        if name != "eval-rst" and (name != "csv-table" or _has_file_option(source, number)):
            findings.append(Finding("SAFE-002", "error", path, number,
                                    f"标准文件中不能用 {{{name}}} 读入其他文件（{argument.strip()}）",
                                    "把内容直接写在文件中"))
    return findings


def _has_file_option(source: str, line: int) -> bool:
    following = source.split("\n")[line:line + 20]
    return any(re.match(r"^\s*:(file|url):", text) for text in following)


def _inside(path: str, uri: str) -> bool:
    folder = Path(path).resolve().parent
    target = Path(os.path.normpath(folder / uri))
    return target == folder or folder in target.parents


def _inline(node: nodes.Node) -> bool:
    return isinstance(node.parent, nodes.TextElement)


def _line(node: nodes.Node) -> int:
    while node is not None:
        if getattr(node, "line", None):
            return node.line
        node = node.parent
    return 1
