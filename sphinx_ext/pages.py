"""HTML page decoration: cover block, 目次, annex headings, links, the corpus index."""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx

from ..quantities import bind_values_to_units
from ..source import gblists
from ..source.builder import FIGURE_TITLE, lone_image
from ..writers import html
from ..model import Document, ValueRef
from ..values import resolve_value

from . import documents, in_folders, open_findings, prose_texts, replace_text


class CorpusIndexDirective(Directive):
    """Placeholder for the table of all documents, filled in when all are read."""

    def run(self):
        return [nodes.container(classes=["gb-corpus-index"])]


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    docs = documents(app.env)
    for placeholder in list(doctree.findall(nodes.container)):
        if "gb-corpus-index" in placeholder["classes"]:
            placeholder.replace_self(nodes.raw("", _corpus_index(app, docname, docs), format="html"))
    gblists.join_cjk_lines(doctree)
    _bind_units(doctree)
    _titled_images(doctree)
    doc = docs.get(docname)
    if doc is None:
        return
    _resolve_values(doctree, doc, in_folders(app))
    _style_headings(doctree, doc)
    _mark_notes(doctree)
    if doc.meta.profile == "2009":
        for para in list(doctree.findall(nodes.paragraph)):
            if "gb-term-source" in para["classes"]:  # 2009 form: [GB/T x—yyyy，定义3.1]
                para.replace_self(nodes.paragraph(text=para.astext().replace("[来源：", "[", 1),
                                                  classes=para["classes"]))
    if app.builder.format != "html":  # the PDF's cover and 目次: gbstd.sphinx.latex
        return
    _run_in_untitled(doctree, doc)
    _order_figures(doctree)
    root = next((n for n in doctree.children if isinstance(n, nodes.section)), None)
    index = doctree.index(root) if root is not None else len(doctree.children)  # no title: HEAD-001
    anchors = {_title_line(s): s["ids"][0] for s in doctree.findall(nodes.section) if s["ids"]}
    doctree.insert(index, nodes.raw("", html.cover(doc, _related(app, docname, doc, docs)), format="html"))
    if not doc.is_notes:
        doctree.insert(index + 1, nodes.raw("", html.toc(doc, anchors), format="html"))


def _bind_units(doctree: nodes.document) -> None:
    """No line break between a value and its unit (40 ℃), in HTML and PDF alike."""
    for text in prose_texts(doctree):
        bound = bind_values_to_units(str(text))
        if bound != text:
            replace_text(text, [nodes.Text(bound)])


def _titled_images(doctree: nodes.document) -> None:
    """An image standing alone whose text alternative is a figure title (``![图2 标题](x.png)``)
    is a figure: it gets its title printed under it, like a ``{figure}``."""
    for paragraph in list(doctree.findall(nodes.paragraph)):
        image = lone_image(paragraph)
        if image is None or not FIGURE_TITLE.match(image.get("alt", "").strip()):
            continue
        figure = nodes.figure("", image.deepcopy(), nodes.caption("", image["alt"].strip()))
        figure.source, figure.line = paragraph.source, paragraph.line
        anchor = nodes.make_id("figure-" + FIGURE_TITLE.match(image["alt"].strip())["number"])
        if anchor in doctree.ids:   # a figure number used twice (FIG-001 reports it)
            doctree.set_id(figure)
        else:
            figure["ids"].append(anchor)
            doctree.ids[anchor] = figure
        paragraph.replace_self(figure)


def _order_figures(doctree: nodes.document) -> None:
    """A figure's title under its key and notes (GB/T 1.1—2020, 9.7.3–9.7.5), and the title as
    the image's text alternative where the author gave none."""
    for figure in doctree.findall(nodes.figure):
        caption = next((c for c in figure.children if isinstance(c, nodes.caption)), None)
        if caption is None:
            continue
        for image in figure.findall(nodes.image):
            if not image.get("alt") or image["alt"] == image.get("uri"):
                image["alt"] = caption.astext()
        for legend in list(figure.findall(nodes.legend)):   # out of <figcaption>, above the title
            legend.replace_self(nodes.container("", *legend.children, classes=["legend"]))
        figure.remove(caption)
        figure += caption


def _side_column(app: Sphinx, pagename: str, context: dict, doctree: nodes.document | None) -> None:
    """Side column of a document's page: its other forms (PDF, Word, schemas) and its 目次."""
    doc = documents(app.env).get(pagename)
    if doc is None or doctree is None:
        return
    to_build = "../" * (pagename.count("/") + 1)
    context["gb_downloads"] = html.downloads(doc, pagename, to_build, Path(app.outdir).parent,
                                             app.config.gbstd_word_files)
    if not doc.is_notes:
        anchors = {_title_line(s): s["ids"][0] for s in doctree.findall(nodes.section) if s["ids"]}
        context["gb_nav"] = [e for e in html.toc_entries(doc, anchors) if e["anchor"]]
        context["gb_skip"] = "#gb-text"


def _title_line(section: nodes.section) -> int:
    return section[0].line if section.children and section[0].line else 0


def _mark_notes(doctree: nodes.document) -> None:
    """注 and 示例 paragraphs get a class: they print smaller than the body text."""
    for para in doctree.findall(nodes.paragraph):
        text = para.astext()
        if gblists.NOTE_START.match(text):
            para["classes"].append("gb-example" if text.startswith("示例") else "gb-note")


def _style_headings(doctree: nodes.document, doc: Document) -> None:
    """Annex headings print as three lines: 附录A / （规范性） / title."""
    annex_lines = {c.line: c for c in doc.annexes}
    for section in doctree.findall(nodes.section):
        clause = annex_lines.get(_title_line(section))
        if clause is None:
            continue
        section["classes"].append("gb-annex")
        title = section[0]
        title.children = []
        for text in (f"附录{clause.annex_letter}", clause.annex_role_label, clause.title):
            title += nodes.inline(text=text, classes=["gb-annex-line"])


def _run_in_untitled(doctree: nodes.document, doc: Document) -> None:
    """An untitled clause is no heading: its number runs into the first line of its text
    ("4.3.1　最高管理者：…"), or stands alone before a block that is no plain paragraph.
    The section stays (its id is the clause's anchor); only its title goes."""
    untitled = {c.line: c for c in doc.walk() if c.untitled}
    for section in list(doctree.findall(nodes.section)):
        clause = untitled.get(_title_line(section))
        if clause is None or not isinstance(section[0], nodes.title):
            continue
        section.remove(section[0])
        section["classes"].append("gb-untitled")
        number = nodes.inline(text=clause.number, classes=["gb-clause-no"])
        first = section[0] if section.children else None
        if isinstance(first, nodes.container) and "gb-gap" in first["classes"] and first.children:
            first = first[0]          # a gap in place of the text: the number runs into it
        if isinstance(first, nodes.paragraph) and not [c for c in first["classes"] if c != "gb-gap"]:
            first.insert(0, [number, nodes.Text("　")])
        else:
            section.insert(0, nodes.paragraph("", "", number, classes=["gb-clause-alone"]))


def _resolve_values(doctree: nodes.document, doc: Document, folders: dict[str, list]) -> None:
    standard = next((d for _, d in folders.get(doc.meta.explains, ()) if not d.is_notes), None)
    for node in doctree.findall(nodes.inline):
        ref = node.get("gb_model")
        if isinstance(ref, ValueRef):
            value = resolve_value(standard, ref.key) if standard else None
            node.children = [nodes.Text(value if value is not None else f"〔{ref.key}〕")]


def _related(app: Sphinx, docname: str, doc: Document, docs: dict[str, Document]) -> list[dict]:
    links = []
    folders = in_folders(app)
    # the only documents that can be related: those of the folder it explains, of its parent
    # guideline's folder, and the notes that explain it
    candidates = {name: other for key in (doc.meta.explains, doc.meta.parent, ("explained", doc.slug)) if key
                  for name, other in folders.get(key, ())}
    for other_name, other in sorted(candidates.items()):
        if doc.is_notes and not other.is_notes and other.slug == doc.meta.explains:
            label = f"所说明的标准：{other.meta.designation}《{other.title}》"
        elif not doc.is_notes and other.is_notes and other.meta.explains == doc.slug:
            label = "编制说明"
        elif not doc.is_notes and not other.is_notes and other.slug == doc.meta.parent:
            label = f"上位导则：{other.meta.designation}《{other.title}》"
        else:
            continue
        links.append({"href": app.builder.get_relative_uri(docname, other_name), "label": label})
    return links


FAMILY_NAMES = {"national": "国家标准", "industry": "行业标准", "local": "地方标准", "group": "团体标准"}


def _corpus_index(app: Sphinx, fromdoc: str, docs: dict[str, Document]) -> str:
    rows = []
    for docname, doc in sorted(docs.items(), key=lambda kv: (kv[1].slug, kv[1].is_notes)):
        target = docs.get(f"{doc.slug}/standard")
        rows.append({
            "designation": (target or doc).meta.designation or "—",
            "title": doc.meta.title or doc.title,
            "family": FAMILY_NAMES.get((target or doc).meta.family, "—"),
            "stage": doc.meta.stage or "—",
            "kind": "编制说明" if doc.is_notes else "标准",
            "href": app.builder.get_relative_uri(fromdoc, docname),
            "pdf": html.downloads(doc, docname, "../" * (fromdoc.count("/") + 1), None)[0]["href"],
        })
    return html.render("html/corpus-index.html.j2", rows=rows)


def on_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """How many findings are open on this page (on the index: in the corpus); only a draft is published so."""
    counts = open_findings(app.env)
    context["gb_open_findings"] = sum(counts.values()) if pagename == app.config.root_doc \
        else counts.get(pagename, 0)
    _side_column(app, pagename, context, doctree)


def on_config_inited(app: Sphinx, config) -> None:
    """The page layout (layout.html) comes with the package; a project's own templates_path goes first."""
    layouts = str(html.TEMPLATES / "html")
    if layouts not in config.templates_path:
        config.templates_path.append(layouts)


def on_builder_inited(app: Sphinx) -> None:
    static = str(html.TEMPLATES / "html" / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict:
    app.add_directive("corpus-index", CorpusIndexDirective)
    app.add_css_file("gb.css")
    # `gbstd build` with its Word step: every document's page links its Word file, as the pages
    # of a build after it (the files there) do
    app.add_config_value("gbstd_word_files", False, "", bool)
    app.connect("config-inited", on_config_inited)
    app.connect("builder-inited", on_builder_inited)
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-page-context", on_page_context)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
