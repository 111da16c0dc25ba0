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


def _pages(app: Sphinx) -> list[dict]:
    if not hasattr(app.env, "gb_assess_pages"):
        app.env.gb_assess_pages = assess.pages(
            [doc for doc in documents(app.env).values() if not doc.is_notes], app.confdir)
    return app.env.gb_assess_pages


def _pages_of(app: Sphinx) -> dict[str, list[dict]]:
    """docname → its self-assessment pages, in order (one pass over the pages, not one per page)."""
    pages = _pages(app)
    cached = getattr(app, "gb_assess_pages_of", None)
    if cached is None or cached[0] is not pages:
        grouped: dict[str, list[dict]] = {}
        for page in pages:
            grouped.setdefault(page["docname"], []).append(page)
        app.gb_assess_pages_of = cached = (pages, grouped)
    return cached[1]


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
    mine = _pages_of(app).get(docname)
    if not mine:
        return
    links = [{"href": app.builder.get_relative_uri(docname, page["name"]), "label": page["link_label"]}
             for page in mine]
    links.append({"href": app.builder.get_relative_uri(docname, INDEX), "label": "全部评分模式与一致性测试向量"})
    doctree.append(nodes.raw("", html.render("forms/review-links.html.j2", heading="自评", links=links),
                             format="html"))


def on_env_updated(app: Sphinx, env) -> None:
    if hasattr(env, "gb_assess_pages"):
        del env.gb_assess_pages          # recomputed from the documents of this build


def on_builder_inited(app: Sphinx) -> None:
    static = str(html.TEMPLATES / "assess" / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-updated", on_env_updated)
    app.connect("html-collect-pages", on_collect_pages)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
