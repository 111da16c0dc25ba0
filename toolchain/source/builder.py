"""docutils doctree → Document model (no Sphinx import).

Used by the Sphinx extension on the doctree Sphinx built, and by the
standalone reader (``gbstd.source.reader``) on a doctree docutils built.
"""
from __future__ import annotations

import re

from docutils import nodes

from .. import designations
from . import safety, tree
from ..findings import Finding
from .gblists import LIST_MARKER, marker_kind, marker_level
from ..model import (Block, Citation, Clause, Document, Figure, Footnote, Framework, Formula, Gap, IndicatorTable,
                    ListBlock, ListItem, Metadata, NormativeReference, Paragraph, Suppression,
                    Table, Term, ValueRef)

UNNUMBERED = {"前言": "foreword", "引言": "introduction", "参考文献": "bibliography", "索引": "index"}
ANNEX = re.compile(r"^附录\s*(?P<letter>[A-Z])\s*(?P<label>[（(](?P<role>规范性|资料性)(?:附录)?[)）])\s*(?P<title>.*)$")
ANNEX_CLAUSE = re.compile(r"^(?P<number>[A-Z]\.\d+(?:\.\d+)*)(?:\s+(?P<title>.*))?$")
NUMBERED = re.compile(r"^(?P<number>\d+(?:\.\d+)*)(?:\s+(?P<title>.*))?$")
NOTE = re.compile(r"^(?P<label>注\s*\d*)\s*[：:]")
EXAMPLE = re.compile(r"^(?P<label>示例\s*\d*)\s*[：:]")
TABLE_TITLE = re.compile(r"^表\s*(?P<number>[A-Z]?\.?\d+)\s*(?P<caption>.*)$")
FIGURE_TITLE = re.compile(r"^图\s*(?P<number>[A-Z]?\.?\d+)\s*(?P<caption>.*)$")
PROVISION = re.compile(r"应|宜|可|按|符合|依据|遵照|参照|采用|满足")
SUPPRESS = re.compile(r"^%\s*gbstd:\s*ignore\s+(?P<rule>[A-Z][A-Z0-9-]*)\s*(?P<reason>.*)$")
SENTENCE_END = re.compile(r"[。；\n]")
ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s|$)")
TERM_SOURCE = re.compile(r"^\[(?:来源[：:]\s*)?(?P<source>[^\]]+)\]$")


def build(doctree: nodes.document, meta: Metadata, path: str, slug: str, source: str) -> Document:
    doc = Document(path=path, slug=slug, meta=meta, errors=list(meta.problems))
    doc.errors += safety.sweep(doctree, path, source)
    top = [n for n in doctree.children if isinstance(n, nodes.section)]
    if not top:
        doc.errors.append(Finding("HEAD-001", "error", path, 1, "文件没有一级标题（文件名称）",
                                  "在元数据之后写 # 文件名称"))
        return doc
    if len(top) > 1:
        doc.errors.append(Finding("HEAD-001", "error", path, _line(top[1]),
                                  "文件只能有一个一级标题（#），其余标题应为 ## 及以下",
                                  "把章标题写成 ## 1 范围"))
    root = top[0]
    doc.title = root[0].astext()
    doc.title_line = _line(root)
    preamble = Clause(kind="section", title="", line=doc.title_line, heading_level=1)
    _fill(doc, preamble, root, level=1, lines=source.split("\n"))
    doc.clauses = preamble.children
    for block in preamble.blocks:  # text between the title and the first chapter
        doc.errors.append(Finding("STRUCT-001", "error", path, getattr(block, "line", doc.title_line),
                                  "文件名称与第一个章标题之间不应有正文", "把这段内容移入前言、引言或相应的章"))
    doc.references = _references(doc)
    doc.citations = _citations(doc)
    doc.footnotes = _footnotes(doctree)
    doc.suppressions = meta.suppress + block_suppressions(source)
    return doc


def _footnotes(doctree: nodes.document) -> list[Footnote]:
    """The footnotes (MyST moves their definitions to the end of the doctree), in the order of
    their first reference, each with the lines that refer to it."""
    found: dict[str, Footnote] = {}
    notes_and_refs = tree.find(doctree, (nodes.footnote, nodes.footnote_reference))
    for node in [n for n in notes_and_refs if isinstance(n, nodes.footnote)]:
        label = (node.get("names") or [node[0].astext() if node.children else ""])[0]
        text = "\n".join(p.astext() for p in tree.find(node, nodes.paragraph))
        found[label] = Footnote(label=label, text=text, line=node.line or _line(node))
    for ref in [n for n in notes_and_refs if isinstance(n, nodes.footnote_reference)]:
        label = ref.get("refname") or next((f for f in found if ref.get("refid") in
                                            doctree.ids and doctree.ids[ref["refid"]].get("names") == [f]), "")
        footnote = found.get(label)
        if footnote is None:
            continue
        footnote.references.append(ref.line or _line(ref.parent))
        footnote.in_table = footnote.in_table or any(isinstance(a, nodes.table) for a in _ancestors(ref))
    return sorted(found.values(), key=lambda f: min(f.references, default=f.line))


def _ancestors(node: nodes.Node):
    while node.parent is not None:
        node = node.parent
        yield node


def _line(node: nodes.Node) -> int:
    if isinstance(node, nodes.section) and node.children and node[0].line:
        return node[0].line
    return node.line or (node.parent and _line(node.parent)) or 1


# ---------------------------------------------------------------- clauses

def _clause_from_heading(doc: Document, heading: str, line: int, level: int) -> Clause:
    heading = heading.strip()
    if heading in UNNUMBERED:
        return Clause(kind=UNNUMBERED[heading], title=heading, line=line, heading_level=level,
                      heading=heading)
    m = ANNEX.match(heading)
    if m:
        return Clause(kind="annex", title=m["title"].strip(), line=line, heading_level=level,
                      number=m["letter"], heading=heading, annex_letter=m["letter"],
                      annex_role=m["role"], annex_role_label=m["label"])
    m = ANNEX_CLAUSE.match(heading) or NUMBERED.match(heading)
    if m:
        number = m["number"]
        kind = "annex-clause" if number[0].isalpha() else ("chapter" if "." not in number else "clause")
        title = (m["title"] or "").strip()
        if number == "0" and title in UNNUMBERED:
            kind = UNNUMBERED[title]
        return Clause(kind=kind, title=title, line=line, heading_level=level, number=number,
                      heading=heading)
    if not doc.is_notes and heading.startswith("附录"):
        normative, informative = doc.meta.annex_labels
        doc.errors.append(Finding("ANNEX-001", "error", doc.path, line,
                                  f"附录标题 “{heading}” 无法识别",
                                  f"写成 附录A{normative}标题 或 附录A{informative}标题"))
    elif not doc.is_notes:
        doc.errors.append(Finding("HEAD-002", "error", doc.path, line,
                                  f"标题 “{heading}” 没有可识别的编号",
                                  "章条标题写成 “5.1 标题”；前言、引言、参考文献、索引不编号"))
    return Clause(kind="section", title=heading, line=line, heading_level=level, heading=heading)


def _fill(doc: Document, clause: Clause, section: nodes.section, level: int, lines: list[str]) -> None:
    for child in section.children[1:]:
        if isinstance(child, nodes.section):
            line = _line(child)
            sub = _clause_from_heading(doc, child[0].astext(), line, _markup_level(lines, line, level + 1))
            _fill(doc, sub, child, level + 1, lines)
            clause.children.append(sub)
        else:
            _blocks(doc, clause, child)


def _markup_level(lines: list[str], line: int, nesting: int) -> int:
    """The number of # of the Markdown heading on ``line``; the nesting depth when not found."""
    m = ATX_HEADING.match(lines[line - 1]) if 0 < line <= len(lines) else None
    return len(m.group(1)) if m else nesting


def _blocks(doc: Document, clause: Clause, node: nodes.Node) -> None:
    error = node.get("gb_error") if isinstance(node, nodes.Element) else None
    if error is not None:
        doc.errors.append(error)
        return
    model = node.get("gb_model") if isinstance(node, nodes.Element) else None
    if isinstance(model, Term):
        _fill_term(model, node)
        _append(clause, model)
    elif isinstance(model, (IndicatorTable, Formula, Gap, Framework)):
        _append(clause, model)
    elif isinstance(node, nodes.figure):
        _append(clause, _figure(node))
    elif isinstance(node, nodes.paragraph) and lone_image(node) is not None:
        image = lone_image(node)
        _append(clause, _figure_titled(image.get("alt", ""), _line(node)))
    elif isinstance(node, nodes.paragraph):
        _append(clause, _paragraph(node))
        _inline_models(doc, clause, node)
    elif isinstance(node, nodes.container) and "gb-list" in node["classes"]:
        _append(clause, _gb_list(node))
        for item in node.children:
            _inline_models(doc, clause, item)
    elif isinstance(node, (nodes.bullet_list, nodes.enumerated_list)):
        _append(clause, _markdown_list(node))
    elif isinstance(node, nodes.table):
        _append(clause, _plain_table(node))
    elif isinstance(node, nodes.system_message):
        doc.errors.append(_system_message(doc, node))
    elif isinstance(node, (nodes.comment, nodes.target, nodes.literal_block, nodes.raw,
                           nodes.substitution_definition, nodes.footnote)) or (
            isinstance(node, nodes.Element) and "gb-generated" in node["classes"]):
        return   # not source text: written by the toolchain from a model it already has
    elif isinstance(node, nodes.Element):
        for child in node.children:
            _blocks(doc, clause, child)


def _append(clause: Clause, block: Block) -> None:
    """Add a block; consecutive GB lists written as separate paragraphs form one list."""
    previous = clause.blocks[-1] if clause.blocks else None
    if (isinstance(block, ListBlock) and isinstance(previous, ListBlock)
            and block.source == previous.source == "gb"):
        _merge_items(previous.items, block.items)
        return
    clause.blocks.append(block)


def _paragraph(node: nodes.paragraph) -> Paragraph:
    text = node.astext()
    line = node.line or _line(node)
    for kind, pattern in (("note", NOTE), ("example", EXAMPLE)):
        m = pattern.match(text)
        if m:
            return Paragraph(text=text, line=line, kind=kind, label=m["label"])
    return Paragraph(text=text, line=line)


def _inline_models(doc: Document, clause: Clause, node: nodes.Element) -> None:
    for inline in tree.find(node, nodes.inline):
        model = inline.get("gb_model")
        if isinstance(model, ValueRef):
            model.line = node.line or model.line
            doc.value_refs.append(model)
        elif isinstance(model, Gap):
            model.line = node.line or model.line
            clause.blocks.append(model)


def _gb_list(container: nodes.container) -> ListBlock:
    items = []
    for paragraph in container.children:
        text = paragraph.astext()
        marker = LIST_MARKER.match(text).group(1)
        items.append(ListItem(marker=marker, text=text[len(marker):].strip(),
                              line=paragraph.line or container.line or 0))
    block = ListBlock(items=[], line=container.line or items[0].line)
    _merge_items(block.items, items)
    return block


def _merge_items(into: list[ListItem], items: list[ListItem]) -> None:
    """Nest second-level markers (1), ·) under the preceding first-level item.

    A first-level marker of another kind right after a second-level item starts a
    third level (``a)`` › ``1)`` › ``——``), which the checker reports.
    """
    for item in items:
        parent = into[-1] if into else None
        if parent and marker_level(item.marker) == 2 and marker_level(parent.marker) == 1:
            item.level = 2
            parent.children.append(item)
        elif (parent and parent.children and marker_level(item.marker) == 1
              and marker_kind(item.marker) != marker_kind(parent.marker)):
            item.level = 3
            parent.children[-1].children.append(item)
        else:
            into.append(item)


def _markdown_list(node: nodes.Element) -> ListBlock:
    items = []
    for n, item in enumerate(node.children, 1):
        if isinstance(node, nodes.enumerated_list):
            marker = f"{n}{node.get('suffix', '.')}"
        else:
            marker = node.get("bullet", "-")
        items.append(ListItem(marker=marker, text=item.astext(), line=item.line or node.line or 0))
    return ListBlock(items=items, line=node.line or (items[0].line if items else 0), source="markdown")


def _plain_table(node: nodes.table) -> Table:
    title_node = next((c for c in node.children if isinstance(c, nodes.title)), None)
    title = title_node.astext() if title_node else ""
    m = TABLE_TITLE.match(title)
    rows = [[e.astext() for e in row.findall(nodes.entry)] for row in node.findall(nodes.row)]
    # a table directive's own line is its last line; its title carries the directive line
    line = (title_node.line if title_node else None) or node.line or _line(node)
    return Table(number=m["number"] if m else "", caption=(m["caption"] if m else title).strip(),
                 line=line, rows=rows,
                 has_header=any(isinstance(n, nodes.thead) for n in node.findall(nodes.thead)))


def lone_image(node: nodes.paragraph) -> nodes.image | None:
    """The image of a paragraph that holds nothing else (a figure written ``![图1 标题](x.png)``)."""
    children = [c for c in node.children if not (isinstance(c, nodes.Text) and not c.strip())]
    return children[0] if len(children) == 1 and isinstance(children[0], nodes.image) else None


def _figure_titled(title: str, line: int) -> Figure:
    m = FIGURE_TITLE.match(title.strip())
    return Figure(number=m["number"] if m else "", caption=(m["caption"] if m else title).strip(), line=line)


def _figure(node: nodes.figure) -> Figure:
    caption = next((c for c in node.children if isinstance(c, nodes.caption)), None)
    figure = _figure_titled(caption.astext() if caption else "", node.line or _line(node))
    for legend in node.findall(nodes.legend):
        for child in legend.findall(nodes.paragraph):
            paragraph = _paragraph(child)
            (figure.notes if paragraph.kind == "note" else figure.legend).append(paragraph)
    return figure


def _fill_term(term: Term, node: nodes.container) -> None:
    term.footnotes = [_line(ref) for ref in node.findall(nodes.footnote_reference)]
    for child in node.children:
        if isinstance(child, nodes.table):
            term.tables.append(_plain_table(child))
        if not isinstance(child, nodes.paragraph) or set(child["classes"]) & {
                "gb-term-number", "gb-term-name", "gb-term-source"}:
            continue
        paragraph = _paragraph(child)
        source = TERM_SOURCE.match(paragraph.text)
        if paragraph.kind == "note":
            term.notes.append(paragraph)
        elif paragraph.kind == "example":
            term.examples.append(paragraph)
        elif not term.definition:
            term.definition, term.definition_line = paragraph.text, paragraph.line
        elif source and not term.source:  # a source written as a line: [来源：…] or 2009 [GB/T …]
            term.source, term.source_line = source["source"], paragraph.line
            term.source_written = paragraph.text
        else:
            term.extra.append(paragraph)


def _system_message(doc: Document, node: nodes.system_message) -> Finding:
    text = node.astext().split("\n", 1)[-1] if "\n" in node.astext() else node.astext()
    severity = "error" if node.get("level", 2) >= 3 else "warning"
    return Finding("MYST-001", severity, doc.path, node.get("line") or 1, text.strip(),
                   "检查该处的 MyST 语法（指令名、围栏、缩进）")


# ---------------------------------------------------------------- references and citations

def _is_reference_list(clause: Clause) -> bool:
    """Chapter 2 “规范性引用文件”, found by its title so that a misnumbered one is still read."""
    return clause.kind == "chapter" and clause.title == "规范性引用文件"


def _references(doc: Document) -> list[NormativeReference]:
    chapter = next((c for c in doc.clauses if _is_reference_list(c)), None)
    if chapter is None:
        return []
    found = []
    for block in chapter.blocks:
        if not isinstance(block, Paragraph):
            continue
        designation = designations.parse_one(block.text)
        if designation is None:
            continue
        title = block.text[designations.entry_end(block.text, designation):].strip()
        found.append(NormativeReference(designation=designation.key, raw=block.text, line=block.line,
                                        year=designation.year, title=title,
                                        all_parts=designation.all_parts))
    return found


def _context(clause: Clause, paragraph_kind: str, annex_role: str) -> str:
    if paragraph_kind in ("note", "example"):
        return paragraph_kind
    if clause.kind in ("foreword", "introduction", "bibliography", "index"):
        return clause.kind
    if _is_reference_list(clause):
        return "reference-list"
    if annex_role == "资料性":
        return "informative-annex"
    return "body"


def _citations(doc: Document) -> list[Citation]:
    citations: list[Citation] = []
    # codes of the reference list nobody listed in gbstd.designations: cited as they are listed
    listed = tuple(sorted({d.code for r in doc.references if (d := designations.parse_one(r.raw))
                           and d.family == "other"}))

    def scan(text: str, line: int, clause: Clause, context: str, provision: bool = False) -> None:
        for d in designations.find_all(text, listed):
            sentence = _sentence(text, d.start, d.end)
            citations.append(Citation(
                designation=d.key, raw=d.raw, line=line + text.count("\n", 0, d.start), year=d.year,
                context=context, clause=clause.number, sentence=sentence,
                normative=context == "body" and (provision or bool(PROVISION.search(sentence)))))

    for top in doc.clauses:
        role = top.annex_role
        for clause in top.walk():
            previous = None
            for block in clause.blocks:
                if isinstance(block, Paragraph):
                    scan(block.text, block.line, clause, _context(clause, block.kind, role))
                elif isinstance(block, ListBlock):
                    # the items complete their lead-in: “…应满足以下要求：” makes each item a provision
                    lead_in = (isinstance(previous, Paragraph) and previous.kind == "text"
                               and bool(PROVISION.search(previous.text.rsplit("。", 2)[-1] or previous.text)))
                    context = _context(clause, "text", role)
                    for item in _walk_items(block.items):
                        scan(item.text, item.line, clause, context, lead_in)
                elif isinstance(block, Table):
                    # a table of a normative element is normative content (GB/T 1.1—2020, 9.3)
                    context = _context(clause, "text", role)
                    for offset, row in enumerate(block.rows):
                        for cell in row:
                            scan(cell, block.line, clause, context, True)
                elif isinstance(block, Term):
                    scan(block.definition, block.definition_line or block.line, clause, "term")
                    for note in block.notes + block.examples:
                        scan(note.text, note.line, clause, note.kind)
                    if block.source:
                        scan(block.source, block.source_line or block.line, clause, "term-source")
                elif isinstance(block, Formula):  # 式中 text can cite normatively (…参照 GB/T 50353)
                    for symbol in block.symbols:
                        scan(f"{symbol.meaning}，{symbol.unit}", symbol.line, clause,
                             _context(clause, "text", role))
                elif isinstance(block, IndicatorTable):
                    for indicator in block.walk():
                        scan(indicator.criteria, indicator.line, clause, "table")
                previous = block
    return citations


def _walk_items(items: list[ListItem]):
    for item in items:
        yield item
        yield from _walk_items(item.children)


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = SENTENCE_END.search(text, end)
    return text[left: right.end() if right else len(text)]


# ---------------------------------------------------------------- suppressions

def block_suppressions(source: str) -> list[Suppression]:
    """``% gbstd: ignore RULE reason`` lines: each covers the block that follows it."""
    lines = source.split("\n")
    found = []
    for index, text in enumerate(lines):
        m = SUPPRESS.match(text.strip())
        if not m:
            continue
        first, last = _next_block(lines, index + 1)
        found.append(Suppression(rule=m["rule"], reason=m["reason"].strip(), line=index + 1,
                                 scope="block", first_line=first, last_line=last))
    return found


def _next_block(lines: list[str], start: int) -> tuple[int, int]:
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    first = index
    fence = re.match(r"^\s*(`{3,}|:{3,})", lines[index]) if index < len(lines) else None
    if fence:
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence.group(1)):
            index += 1
        return first + 1, index + 1
    if index < len(lines) and lines[index].lstrip().startswith("#"):
        return first + 1, first + 1
    while index < len(lines) and lines[index].strip():
        index += 1
    return first + 1, index


# ---------------------------------------------------------------- anchors

def clause_anchor(clause: Clause) -> str:
    """A stable HTML id for a clause: clause-5-1, annex-a, clause-a-1, foreword …"""
    if clause.kind == "annex":
        return f"annex-{clause.annex_letter.lower()}"
    if clause.number:
        return "clause-" + clause.number.lower().replace(".", "-")
    return {"foreword": "foreword", "introduction": "introduction", "bibliography": "bibliography",
            "index": "index"}.get(clause.kind, "")


def assign_anchors(doctree: nodes.document, doc: Document) -> None:
    """Give each clause's section its stable id first, so links survive edits elsewhere."""
    by_line = {c.line: c for c in doc.walk()}
    for section in doctree.findall(nodes.section):
        clause = by_line.get(_line(section))
        anchor = clause_anchor(clause) if clause else ""
        if anchor and anchor not in doctree.ids:
            section["ids"].insert(0, anchor)
            doctree.ids[anchor] = section
