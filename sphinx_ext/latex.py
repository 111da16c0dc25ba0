"""PDF (LaTeX builder) decoration: one LaTeX document per standard and per note, GB layout.

The cover, 目次 and page flow are raw LaTeX rendered by ``gbstd.writers.latex``;
this module only places them in the doctree and marks GB blocks with classes
that the preamble styles (``\\begin{sphinxclassgb-…}``).
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Set
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.latex import LaTeXBuilder as SphinxLaTeXBuilder
from sphinx.config import Config

from .. import buildstamp, sources, texstate
from ..writers import latex
from ..source.builder import EXAMPLE, FIGURE_TITLE, NOTE, TABLE_TITLE
from ..source.gblists import LIST_MARKER, neighbour_text
from ..writers.doctree_writer import table_columns, table_headers, table_rows
from ..writers.html import TEMPLATES
from ..cjk import split_author_spaces
from ..model import Clause, Document, IndicatorTable

from . import documents, open_findings, prose_texts, replace_text
from .incremental import Shown, signature

CENTRED_COLUMNS = ("level1", "no", "points", "requirement")


def on_config_inited(app: Sphinx, config: Config) -> None:
    """latex_documents: one entry per corpus document (``gbstd_pdf_only`` chooses which of them
    are written: ``LaTeXBuilder``, so that every .tex is the same whichever are asked for)."""
    if config.latex_documents and config.latex_documents[0][0] != config.root_doc:
        return  # set explicitly in conf.py
    config.latex_documents = [(docname, f"{texstate.target_name(docname)}.tex", "", "", "howto", False)
                              for docname in sources.corpus_docnames(Path(app.srcdir))]


# Configuration values that do not change what a .tex says: which documents are written,
# whether warnings are shown.
NOT_SHOWN = {"gbstd_pdf_only", "latex_documents", "suppress_warnings"}


def _stable(value):
    """A configuration value as plain data that prints the same in every process (a function
    or other object by its type: conf.py's own bytes stand for what it defines)."""
    if isinstance(value, dict):
        return sorted((str(key), _stable(item)) for key, item in value.items())
    if isinstance(value, (set, frozenset)):
        return sorted(repr(_stable(item)) for item in value)
    if isinstance(value, (list, tuple)):
        return [_stable(item) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Path):
        return str(value)
    return type(value).__qualname__


class LaTeXBuilder(SphinxLaTeXBuilder):
    """Sphinx's LaTeX builder, but a .tex is written only when its content may have changed.

    Sphinx writes every .tex on every run (about 0.15 s each). Each .tex gets a signature: its
    document (the time it was last read) and the documents its toctrees include, what it
    takes from other documents (``Shown``, as the HTML pages), the configuration, conf.py, the
    toolchain and the date Sphinx prints in it. A .tex whose signature is the one recorded
    when it was written (``texstate.WRITTEN``), whose file is still as written and whose
    images are in place is left as it is: it would be written with the same bytes.
    """

    def init(self) -> None:
        super().init()
        self._gb_writing: dict[str, tuple[str, str]] | None = None    # docname → (target, signature)

    def write_documents(self, docnames: Set[str]) -> None:
        path = self.outdir / texstate.WRITTEN
        record = texstate.load(path)
        only = {name for name in self.config.gbstd_pdf_only.split(",") if name}
        signatures = self._signatures([entry[0] for entry in self.document_data])
        self._gb_record, self._gb_record_path, self._gb_images = record, path, {}
        self._gb_targets = {entry[1] for entry in self.document_data}
        self._gb_writing = {}
        wanted = []
        for entry in self.document_data:
            docname, target = entry[0], entry[1]
            if only and docname not in only:
                continue
            known = record.get(target)
            if isinstance(known, dict) and known.get("signature") == signatures[docname] \
                    and texstate.digest(self.outdir / target) == known.get("tex") \
                    and all((self.outdir / image).is_file() for image in known.get("images", [])):
                continue
            wanted.append(entry)
            self._gb_writing[docname] = (target, signatures[docname])
        self.document_data = wanted
        super().write_documents(docnames)

    def post_process_images(self, doctree: nodes.Node) -> None:
        super().post_process_images(doctree)
        self._gb_images[doctree.get("docname")] = sorted(
            {self.images[node["uri"]] for node in doctree.findall(nodes.image) if node["uri"] in self.images})

    def finish(self) -> None:
        super().finish()       # the images are copied here
        if self._gb_writing is None:
            return
        record = {target: entry for target, entry in self._gb_record.items() if target in self._gb_targets}
        for docname, (target, signature_) in self._gb_writing.items():
            record[target] = {"signature": signature_, "tex": texstate.digest(self.outdir / target),
                              "images": self._gb_images.get(docname, [])}
        texstate.save(self._gb_record_path, record)

    def _signatures(self, docnames: list[str]) -> dict[str, str]:
        env, shown = self.env, Shown(self.env)
        toolchain = hashlib.sha256()
        buildstamp.toolchain(toolchain)
        conf = Path(self.confdir, "conf.py")
        common = [self.context.get("date"), toolchain.hexdigest(),
                  texstate.digest(conf) if conf.is_file() else None,
                  [(option.name, _stable(option.value)) for option in self.config
                   if option.name not in NOT_SHOWN]]
        found = {}
        for docname in docnames:
            included, todo = set(), [docname]
            while todo:
                for child in env.toctree_includes.get(todo.pop(), ()):
                    if child not in included:
                        included.add(child)
                        todo.append(child)
            found[docname] = signature([common, (docname, shown.read.get(docname)),
                                        sorted((name, shown.read.get(name)) for name in included),
                                        *shown.parts(docname)])
        return found


def on_builder_inited(app: Sphinx) -> None:
    if app.builder.name != "latex":
        return
    # Sphinx looks up its LaTeX table templates in templates_path: ours gives 表X（续）.
    overrides = str(TEMPLATES / "latex" / "sphinx")
    if overrides not in app.config.templates_path:
        app.config.templates_path.append(overrides)


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name != "latex":
        return
    doc = documents(app.env).get(docname)
    root = next((n for n in doctree.children if isinstance(n, nodes.section)), None)
    if doc is None or root is None:
        return
    labels = _style_headings(root, doc)
    if open_findings(app.env).get(docname):   # only a draft build gets this far with them
        doctree.insert(doctree.index(root), _raw(f"\\gbopenfindings{{{open_findings(app.env)[docname]}}}"))
    _mark_where_lists(doctree)
    _prepare_maths(doctree)
    _mark_paragraphs(doctree)
    _hang_markers(doctree)
    _prepare_tables(doctree)
    _prepare_figures(doctree)
    _protect_author_spaces(doctree)
    _place_page_flow(doctree, root, doc, labels)


def _raw(text: str) -> nodes.raw:
    return nodes.raw("", text, format="latex")


def _style_headings(root: nodes.section, doc: Document) -> dict[int, str]:
    """GB headings; each gets a label for the 目次. Returns heading line → label."""
    clauses: dict[int, Clause] = {c.line: c for c in doc.walk()}
    labels = {}
    for section in list(root.findall(nodes.section)):
        clause = clauses.get(section[0].line or 0) if section is not root else None
        if clause is None:
            continue
        labels[clause.line] = f"gbclause{len(labels) + 1}"
        if clause.untitled:
            _run_in(section, clause, labels[clause.line])
            continue
        section[0].children = [_raw(latex.heading(clause))]
        section.insert(1, _raw(f"\\label{{{labels[clause.line]}}}"))
        if latex.starts_on_new_page(clause):
            section.parent.insert(section.parent.index(section), _raw(r"\clearpage"))
    return labels


def _run_in(section: nodes.section, clause: Clause, label: str) -> None:
    """An untitled clause is no heading: its number runs into its first paragraph
    ("4.3.1　最高管理者：…"), or stands alone before a block that is no plain paragraph
    (a list, a table, a gap); no bookmark, no 目次 entry. The section is dissolved."""
    number = _raw(latex.run_in_number(clause.number, label))
    body = section.children[1:]
    first = body[0] if body else None
    if isinstance(first, nodes.container) and "gb-gap" in first["classes"] and first.children:
        first = first[0]    # a gap in place of the text: the number runs into it
    if isinstance(first, nodes.paragraph) and not [c for c in first["classes"] if c != "gb-gap"]:
        first.insert(0, number)
    else:
        body.insert(0, nodes.paragraph("", "", number))
    section.replace_self(body)


def _protect_author_spaces(doctree: nodes.document) -> None:
    """An author's space between Chinese characters prints (\\gbspace; see gbstd.cjk);
    “……” extracts as itself (\\gbellipsis)."""
    for text in prose_texts(doctree):
        value = str(text)
        if " " not in value:
            continue
        before, after = neighbour_text(text, -1)[-1:], neighbour_text(text, 1)[:1]
        parts = split_author_spaces(before + value + after)
        if len(parts) == 1:
            continue
        parts[0], parts[-1] = parts[0][len(before):], parts[-1][:len(parts[-1]) - len(after)]
        pieces: list[nodes.Node] = []
        for n, part in enumerate(parts):
            if n:
                pieces.append(_raw(r"\gbspace{}"))
            if part:
                pieces.append(nodes.Text(part))
        replace_text(text, pieces)
    for text in prose_texts(doctree):
        if "…" not in text:
            continue
        pieces, start = [], 0
        for run in latex.ELLIPSIS.finditer(str(text)):
            pieces += [nodes.Text(str(text)[start:run.start()]), _raw(latex.ellipsis(run.group()))]
            start = run.end()
        pieces.append(nodes.Text(str(text)[start:]))
        replace_text(text, [p for p in pieces if p.astext()])


def _mark_paragraphs(doctree: nodes.document) -> None:
    """Paragraph classes reach LaTeX only on containers: move them there; mark 注 and 示例."""
    for paragraph in list(doctree.findall(nodes.paragraph)):
        classes = [c for c in paragraph["classes"] if c.startswith("gb-")]
        if not classes and not isinstance(paragraph.parent, nodes.entry):
            text = paragraph.astext()
            classes = ["gb-note"] if NOTE.match(text) else ["gb-example"] if EXAMPLE.match(text) else []
        if classes:
            box = nodes.container(classes=classes)
            paragraph.replace_self(box)
            box += paragraph


def _mark_where_lists(doctree: nodes.document) -> None:
    """A 式中 list written as paragraphs ("式中：", then "{math}`k_i`——…" lines) gets the
    classes of a formula's own list, so that every 式中 list looks the same."""
    for paragraph in list(doctree.findall(nodes.paragraph)):
        if paragraph["classes"] or paragraph.astext().strip() != "式中：":
            continue
        paragraph["classes"].append("gb-where")
        sibling = paragraph.next_node(descend=False, siblings=True)
        while (isinstance(sibling, nodes.paragraph) and not sibling["classes"] and sibling.children
               and isinstance(sibling[0], nodes.math) and sibling.astext()[len(sibling[0].astext()):].startswith("——")):
            sibling["classes"].append("gb-where-item")
            sibling = sibling.next_node(descend=False, siblings=True)


def _where_symbol(item: nodes.paragraph) -> tuple[nodes.Node, str] | None:
    """The symbol of a 式中 line and its LaTeX: a raw $…$ (formula directive) or a math role."""
    for child in item.children:
        if isinstance(child, nodes.raw) and child.get("format") == "latex":
            return child, child.astext()
        if isinstance(child, nodes.math):
            return child, f"${latex.cjk_in_math(child.astext())}$"
    return None


def _prepare_maths(doctree: nodes.document) -> None:
    """CJK in formulas as text; the symbols of a 式中 list in one column (the widest sets it)."""
    for formula in doctree.findall(nodes.container):
        if "gb-formula" not in formula["classes"]:
            continue
        for raw in list(formula.findall(nodes.raw)):
            if raw.get("format") == "latex":
                raw.replace_self(_raw(latex.cjk_in_math(raw.astext())))
    for where in list(doctree.findall(nodes.paragraph)):
        if "gb-where" not in where["classes"]:
            continue
        items, sibling = [], where.next_node(descend=False, siblings=True)
        while isinstance(sibling, nodes.paragraph) and "gb-where-item" in sibling["classes"]:
            items.append(sibling)
            sibling = sibling.next_node(descend=False, siblings=True)
        symbols = [_where_symbol(item) for item in items]
        if not items or None in symbols:
            continue
        where += _raw(r"\gbwherecolumn{" + "".join(r"\gbwheremeasure{" + s + "}" for _, s in symbols) + "}")
        for node, symbol in symbols:
            node.replace_self(_raw(r"\gbwheresymbol{" + symbol + "}"))


def _hang_markers(doctree: nodes.document) -> None:
    """List items (a), 1), ——) and notes (注1：) hang exactly under their text: the marker
    goes in a box that sets the hanging indentation (\\gbhang); an opening 《 or （ right
    after it loses the blank half of its full-width box."""
    for paragraph in list(doctree.findall(nodes.paragraph)):
        box = paragraph.parent
        classes = box["classes"] if isinstance(box, nodes.container) else []
        if not ({"gb-list-item", "gb-note"} & set(classes + paragraph["classes"])):
            continue
        first = paragraph[0] if paragraph.children else None
        if not isinstance(first, nodes.Text):
            continue
        match = (NOTE if "gb-note" in classes else LIST_MARKER).match(str(first))
        if not match:
            continue
        marker, rest = match.group().strip(), str(first)[match.end():].lstrip()
        if "gb-note" in classes:   # 注1： as GB prints it: no space before the number, none after the colon
            hang = r"\gbhang[0pt]{" + re.sub(r"\s*(\d+)", r"\\hbox{\1}", latex.latex_escape(marker), 1) + "}"
        else:
            hang = r"\gbhang{" + latex.latex_escape(marker) + "}"
        if rest[:1] in "《（“‘〔【":
            hang += r"\gbopeningpunct"
        paragraph[0:1] = [_raw(hang)] + ([nodes.Text(rest)] if rest else [])


def _prepare_tables(doctree: nodes.document) -> None:
    """Every table a longtable (breaks across pages); GB title; indicator tables get widths."""
    for table in list(doctree.findall(nodes.table)):
        table["classes"].append("longtable")
        title = next(iter(table.findall(nodes.title)), None)
        match = TABLE_TITLE.match(title.astext()) if title is not None else None
        if match:
            title.children = [_raw(latex.table_caption(match["number"], match["caption"]))]
        if not isinstance(table.get("gb_model"), IndicatorTable) and "colwidths-given" not in table["classes"]:
            _plain_table_widths(table)     # from the text as written (before the mark-up below)
        # header cells and the 合计 row centred across the width of their (merged) cells
        rows = [row for row in table.findall(nodes.row)
                if isinstance(row.parent, nodes.thead) or "gb-total-row" in row["classes"]]
        for row in rows:
            for paragraph in row.findall(nodes.paragraph):
                paragraph.insert(0, _raw(r"\gbcentredcell{"))
                paragraph += _raw("}")
        model = table.get("gb_model")
        if isinstance(model, IndicatorTable):
            _prepare_indicator_table(table, model)


def _prepare_figures(doctree: nodes.document) -> None:
    """GB figures: the title under the figure as written (图1　title, not LaTeX's “图 1:”), after
    the key and the notes (GB/T 1.1—2020, 9.7.3–9.7.5: 标引序号说明 and 图注 above the title)."""
    for figure in list(doctree.findall(nodes.figure)):
        caption = next((c for c in figure.children if isinstance(c, nodes.caption)), None)
        if caption is None:
            continue
        match = FIGURE_TITLE.match(caption.astext().strip())
        number, title = (f"图{match['number']}", match["caption"]) if match else ("", caption.astext())
        figure.remove(caption)
        figure += _raw(latex.figure_caption(number, title.strip()))


def _prepare_indicator_table(table: nodes.table, model: IndicatorTable) -> None:
    """Column widths from the text; name cells keep （合计 N 分） whole; first-level groups marked.

    The merged cell of a first-level group gives the preamble the name that a
    continuation page repeats (\\gbgroup); see templates/latex/preamble.tex.j2.
    """
    roles = table_columns(model)
    cells = table_rows(model)
    widths = latex.indicator_column_widths(roles, table_headers(model), cells)
    spec = "|".join((r">{\gbcentredcolumn}" if role in CENTRED_COLUMNS else "")
                    + f"\\X{{{width}}}{{{sum(widths)}}}" for role, width in zip(roles, widths))
    table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=f"|{spec}|"))
    body = [row for row in table.findall(nodes.row) if isinstance(row.parent, nodes.tbody)]
    text_widths = latex.text_widths(widths)
    for row, row_cells in zip(body, cells):
        entries = iter(row.children)
        for role, cell, width in zip(roles, row_cells, text_widths):
            if cell is None:
                continue
            paragraph = next(entries)[0]
            if role.startswith("level"):
                _keep_points_whole(paragraph)
            _keep_last_characters_together(paragraph, width)
            if role == "level1" and cell[1] > 1:
                name = latex.POINTS_SUFFIX.sub("", cell[0])
                paragraph.insert(0, _raw(r"\gbgroup{" + latex.latex_escape(f"{name}（续）") + "}"))


def _plain_table_widths(table: nodes.table) -> None:
    """A plain table's columns take their widths from their text, as an indicator table's
    (unless its author gave them): no character alone on a line while another column has room."""
    tgroup = next(iter(table.findall(nodes.tgroup)), None)
    if tgroup is None:
        return
    columns = tgroup["cols"]
    grid: list[list[tuple[str, int] | None]] = []
    taken: set[tuple[int, int]] = set()        # (row, column) covered by a cell above or left
    placed: list[tuple[nodes.entry, int]] = []
    for r, row in enumerate(tgroup.findall(nodes.row)):
        cells: list[tuple[str, int] | None] = [None] * columns
        column = 0
        for entry in row.children:
            while (r, column) in taken:
                column += 1
            across, down = entry.get("morecols", 0) + 1, entry.get("morerows", 0) + 1
            for c in range(column, min(column + across, columns)):
                taken.update((r + d, c) for d in range(down))
            if across == 1 and column < columns:   # a cell across columns sets no width
                cells[column] = (entry.astext().replace("\n", " "), down)
                placed.append((entry, column))
            column += across
        grid.append(cells)
    widths = latex.table_column_widths(grid)
    spec = "|".join(f"\\X{{{width}}}{{{sum(widths)}}}" for width in widths)
    table.parent.insert(table.parent.index(table), addnodes.tabular_col_spec(spec=f"|{spec}|"))
    text_widths = latex.text_widths(widths)
    for entry, column in placed:
        for paragraph in entry.findall(nodes.paragraph):
            _keep_last_characters_together(paragraph, text_widths[column])


def _keep_last_characters_together(paragraph: nodes.paragraph, width: float) -> None:
    """A character that would stand alone on a line keeps the one before it (\\mbox): the
    line breaks a character earlier (温室气体排放 / 水平, not 温室气体排放水 / 平)."""
    children = list(paragraph.children)
    at = latex.stranded_pair("".join(str(c) for c in children if isinstance(c, nodes.Text)), width)
    offset = 0
    for child in children if at is not None else []:
        if not isinstance(child, nodes.Text):
            continue
        if offset <= at and at + 2 <= offset + len(child):
            value, cut = str(child), at - offset
            pieces = [nodes.Text(value[:cut]), _raw(r"\allowbreak\mbox{"), nodes.Text(value[cut:cut + 2]), _raw("}"),
                      nodes.Text(value[cut + 2:])]
            index = paragraph.index(child)
            paragraph[index:index + 1] = [p for p in pieces if not isinstance(p, nodes.Text) or str(p)]
            return
        offset += len(child)


def _keep_points_whole(paragraph: nodes.paragraph) -> None:
    """（合计 40 分） never breaks; the line may break before it (xeCJK allows it before （)."""
    text = paragraph.astext()
    points = latex.POINTS_SUFFIX.search(text)
    if points:
        paragraph[:] = [nodes.Text(text[:points.start(1)]), _raw(r"\mbox{"), nodes.Text(points[1]),
                        _raw("}"), nodes.Text(text[points.end(1):])]


def _place_page_flow(doctree: nodes.document, root: nodes.section, doc: Document,
                     labels: dict[int, str]) -> None:
    """Cover, then 目次 (front matter, I, II …), then the body from page 1."""
    front = [_raw(latex.cover(doc))]
    if not doc.is_notes:
        front.append(_raw(latex.toc(doc, labels)))
    position = doctree.index(root)
    for offset, node in enumerate(front):
        doctree.insert(position + offset, node)
    front_lines = {c.line for c in doc.clauses if c.kind in ("foreword", "introduction")}

    def in_front_matter(child: nodes.Node) -> bool:
        return isinstance(child, (nodes.title, nodes.raw)) or (
            isinstance(child, nodes.section) and child[0].line in front_lines)

    body_start = next((i for i, child in enumerate(root.children) if not in_front_matter(child)),
                      len(root.children))
    root.insert(body_start, _raw(latex.main_matter(doc)))
    if not doc.is_notes:
        root += _raw(r"\gbendline")


def setup(app: Sphinx) -> dict:
    app.add_builder(LaTeXBuilder, override=True)
    app.add_config_value("gbstd_pdf_only", "", "", types=[str])
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
