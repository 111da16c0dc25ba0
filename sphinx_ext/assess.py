"""Self-assessment pages in the HTML site: one per scoring schema (and per variant), generated
from the schema, plus an index of the published scoring schemas; linked from each standard's page.

The page scores in the browser with templates/assess/static/gb-assess-scorer.js, which
interprets the same schema and the same expression trees as the reference scorer
(gbstd.scoring.assess prepares the data). Nothing is added for standards without
indicator tables, nor in other builders.
"""
from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from ..scoring import assess
from ..writers import html
from . import documents

INDEX = "assess/index"


def _pages_for(app: Sphinx, docname: str) -> list[dict]:
    """The self-assessment pages of one document, made when first asked for in this process.
    Each process of a parallel write makes those of the pages it writes, and sends them back
    (``gbstd.sphinx.parallel.SHARED``): no process makes all of them before writing starts."""
    made = app.gb_assess_of
    if docname not in made:
        doc = documents(app.env).get(docname)
        if doc is None or doc.is_notes:
            made[docname] = []
        else:
            if app.gb_assess_known is None:
                app.gb_assess_known = assess.known_standards(_standards(app))
            made[docname] = assess.pages_of(doc, app.confdir, app.gb_assess_known)
    return made[docname]


def _standards(app: Sphinx) -> list:
    return [doc for doc in documents(app.env).values() if not doc.is_notes]


def _pages(app: Sphinx) -> list[dict]:
    """Every self-assessment page, in the order of their standards' slugs."""
    return [page for doc in sorted(_standards(app), key=lambda d: d.slug) for page in _pages_for(app, doc.docname)]


def _prefix(pagename: str) -> str:
    return "../" * pagename.count("/")


def on_collect_pages(app: Sphinx):
    if app.builder.format != "html":
        return
    pages = _pages(app)
    for page in pages:
        prefix = _prefix(page["name"])
        body = html.render("assess/page.html.j2", page=page, prefix=prefix, standard=page["standard"], table=page["table"],
                           standard_href=app.builder.get_relative_uri(page["name"], page["docname"]),
                           index_href=app.builder.get_relative_uri(page["name"], INDEX))
        yield page["name"], {"title": page["title"], "body": body}, "page.html"
    if pages:
        rows = [dict(page, href=app.builder.get_relative_uri(INDEX, page["name"]),
                     standard_href=app.builder.get_relative_uri(INDEX, page["docname"])) for page in pages]
        body = html.render("assess/index.html.j2", rows=rows, prefix=_prefix(INDEX))
        yield INDEX, {"title": "评分模式与自评", "body": body}, "page.html"


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    mine = _pages_for(app, docname)
    if not mine:
        return
    links = [{"href": app.builder.get_relative_uri(docname, page["name"]), "label": page["link_label"]}
             for page in mine]
    links.append({"href": app.builder.get_relative_uri(docname, INDEX), "label": "全部评分模式与一致性测试向量"})
    doctree.append(nodes.raw("", html.render("forms/review-links.html.j2", heading="自评", links=links),
                             format="html"))


def on_env_updated(app: Sphinx, env) -> None:
    app.gb_assess_of, app.gb_assess_known = {}, None     # made from the documents of this build


def on_builder_inited(app: Sphinx) -> None:
    app.gb_assess_of, app.gb_assess_known = {}, None
    static = str(html.TEMPLATES / "assess" / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-updated", on_env_updated)
    app.connect("html-collect-pages", on_collect_pages)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
