"""Review forms in the HTML site: each standard's comment rounds (意见汇总处理表) and
letter ballots (函审结论表) as pages of their own, linked from the standard's page;
the explanatory note lists the rounds with their tallies.

Nothing is added for documents without ``comments/`` or ``ballots/`` folders.
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx

from ..writers import html
from ..model import Document
from ..review import render
from ..review.ballots import tally
from ..review.records import BALLOTS_FOLDER, COMMENTS_FOLDER, records_for

from . import documents, in_folders


def _form_pages(doc: Document) -> list[dict]:
    """The pages of one standard's records: name, title, body."""
    records = records_for(doc.path)
    pages = []
    for round_ in records.rounds:
        pages.append({"name": f"{doc.slug}/{COMMENTS_FOLDER}/{Path(round_.path).stem}",
                      "title": f"意见汇总处理表 {round_.id}",
                      "label": f"意见汇总处理表 {round_.id}（{round_.stage or '征求意见'}）：{round_.tally_sentence()}",
                      "body": lambda r=round_: render.comments_fragment(r)})
    for ballot in records.ballots:
        result = tally(ballot, tuple(doc.meta.drafting_units))
        pages.append({"name": f"{doc.slug}/{BALLOTS_FOLDER}/{Path(ballot.path).stem}",
                      "title": f"函审结论表 {ballot.id}",
                      "label": f"函审结论表 {ballot.id}：{result.outcome}",
                      "body": lambda b=ballot, t=result: render.ballot_fragment(b, t)})
    return pages


def _standards(app: Sphinx) -> dict[str, Document]:
    return {doc.slug: doc for doc in documents(app.env).values() if not doc.is_notes}


def _standard(app: Sphinx, slug: str | None) -> Document | None:
    """The standard of a folder (the last one, as in ``_standards``), without scanning the corpus."""
    return next((doc for _, doc in reversed(in_folders(app).get(slug, [])) if not doc.is_notes), None)


def on_collect_pages(app: Sphinx):
    if app.builder.format != "html":
        return
    for slug, doc in sorted(_standards(app).items()):
        for page in _form_pages(doc):
            back = app.builder.get_relative_uri(page["name"], doc.docname)
            body = (f'<p class="gb-related"><a href="{back}">返回 {html.escape(doc.title)}</a></p>'
                    + page["body"]())
            yield page["name"], {"title": page["title"], "body": body}, "page.html"


def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "html":
        return
    doc = documents(app.env).get(docname)
    if doc is None:
        return
    standard = _standard(app, doc.meta.explains if doc.is_notes else doc.slug)
    pages = _form_pages(standard) if standard is not None else []
    if not pages:
        return
    links = [{"href": app.builder.get_relative_uri(docname, page["name"]), "label": page["label"]}
             for page in pages]
    heading = "意见处理情况（据意见处理记录）" if doc.is_notes else "审查记录"
    doctree.append(nodes.raw("", html.render("forms/review-links.html.j2", heading=heading, links=links),
                             format="html"))


def setup(app: Sphinx) -> dict:
    app.connect("html-collect-pages", on_collect_pages)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
