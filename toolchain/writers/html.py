"""HTML fragments rendered from the model with Jinja2 (autoescaped): cover, 目次, index."""
from __future__ import annotations

import re

import jinja2

from pathlib import Path

from ..model import Clause, Document
from ..paths import TEMPLATES
from .. import texstate


FAMILY_LINES = {
    "national": "中华人民共和国国家标准",
    "industry": "中华人民共和国行业标准",
    "local": "地方标准",
    "group": "团体标准",
}
LOCAL_LINES = {"DB44": "广东省地方标准", "DB4403": "深圳市地方标准"}
GAP_TEXT = "（未给出）"

_env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def family_line(doc: Document) -> str:
    designation = doc.meta.designation
    if doc.meta.family == "local":
        for prefix, line in sorted(LOCAL_LINES.items(), key=lambda kv: -len(kv[0])):
            if designation.startswith(prefix):
                return line
    return FAMILY_LINES.get(doc.meta.family, "")


def shown(doc: Document, key: str) -> str:
    """A metadata value for print; a declared gap prints as （未给出）."""
    value = getattr(doc.meta, key)
    if isinstance(value, list):
        value = "　".join(value)
    if not value and key in doc.meta.gaps:
        return GAP_TEXT
    return value


def notes_subject(doc: Document) -> str:
    """The title a note's cover prints above “编制说明”: the title without that suffix."""
    title = doc.meta.title or doc.title
    return re.sub(r"\s*编制说明$", "", title) or title


def toc_entries(doc: Document, anchors: dict[int, str]) -> list[dict]:
    """目次: 前言, 引言, chapters, first-level clauses, annexes, 参考文献 — never terms,
    never an untitled clause (it has no title to list).

    ``anchors`` maps a heading's source line to the id of its section.
    """
    entries = []
    for clause in doc.clauses:
        entries.append({"label": heading_label(clause), "anchor": anchors.get(clause.line, ""),
                        "level": 1})
        if clause.kind in ("chapter", "annex") and clause.number != "3":
            for child in clause.children:
                if child.untitled:
                    continue
                entries.append({"label": heading_label(child),
                                "anchor": anchors.get(child.line, ""), "level": 2})
    return entries


def downloads(doc: Document, docname: str, to_build: str, build: Path | None,
              word_files: bool = False) -> list[dict]:
    """Links from a page to the other forms of its document, in the build folder.

    ``to_build`` is the relative path from the page to the build folder (html/,
    pdf/, schemas/ and docx/ are siblings there). `gbstd build` always writes the
    PDF and the scoring schemas, so they are linked by name; the Word file when the
    same build writes it (``word_files``) or when it exists in ``build`` when the site
    is built.
    """
    from ..scoring.writer import file_name as schema_file_name   # (it imports the reader: not at start-up)
    name = texstate.target_name(docname)
    links = [{"label": "PDF（正式版式）", "href": f"{to_build}pdf/{name}.pdf", "type": "application/pdf"}]
    if build is not None and (word_files or (build / "docx" / f"{name}.docx").is_file()):
        links.append({"label": "Word（.docx）", "href": f"{to_build}docx/{name}.docx",
                      "type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
    if not doc.is_notes:
        for table in doc.indicator_tables:
            links.append({"label": f"评分模式（表{table.number}，JSON）",
                          "href": f"{to_build}schemas/{schema_file_name(doc.slug, table.id)}",
                          "type": "application/json"})
    return links


def heading_label(clause: Clause) -> str:
    if clause.kind == "annex":
        return f"附录{clause.annex_letter}{clause.annex_role_label}{clause.title}"
    if clause.number:
        return f"{clause.number}　{clause.title}".rstrip()
    return clause.title


def cover(doc: Document, related: list[dict]) -> str:
    template = "html/notes-cover.html.j2" if doc.is_notes else "html/cover.html.j2"
    return _env.get_template(template).render(
        doc=doc, meta=doc.meta, family_line=family_line(doc), notes_subject=notes_subject(doc),
        shown=lambda key: shown(doc, key), related=related)


def toc(doc: Document, anchors: dict[int, str]) -> str:
    return _env.get_template("html/toc.html.j2").render(entries=toc_entries(doc, anchors))


def escape(text: str) -> str:
    """Text for HTML, as the templates' autoescaping would print it."""
    return str(jinja2.utils.markupsafe.escape(text))


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)
