"""Sphinx adapter for the gbstd toolchain.

Thin by design: it registers the toolchain's directives and roles, hands each
source to the toolchain (front matter, GB list lines), builds the model from
the doctree Sphinx produced, runs the checker and reports findings as Sphinx
warnings located at ``docname:line`` with the rule id, and decorates pages
(cover, 目次, annex headings, links between a standard and its notes).
"""
from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import Directive
from sphinx.application import Sphinx
from sphinx.util import logging

from toolchain import __version__, builder, check, directives, gblists, html, reader
from toolchain.findings import SourceError
from toolchain.model import Document, ValueRef
from toolchain.values import resolve_value

logger = logging.getLogger("gbstd")
_raw_sources: dict[str, str] = {}   # docname -> source text, between source-read and doctree-read


class CorpusIndexDirective(Directive):
    """Placeholder for the table of all documents, filled in when all are read."""

    def run(self):
        return [nodes.container(classes=["gb-corpus-index"])]


def _docs(env) -> dict[str, Document]:
    if not hasattr(env, "gb_docs"):
        env.gb_docs = {}
    return env.gb_docs


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    text = source[0]
    if not text.startswith("---"):
        return
    path = str(app.env.doc2path(docname))
    try:
        meta, body = reader.prepare_body(text, path)
    except SourceError as error:
        _warn(app, docname, error.as_finding())
        return
    source[0] = body
    _raw_sources[docname] = text
    app.env.gb_pending_meta = getattr(app.env, "gb_pending_meta", {})
    app.env.gb_pending_meta[docname] = meta


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    docname = app.env.docname
    meta = getattr(app.env, "gb_pending_meta", {}).pop(docname, None)
    if meta is None:
        return
    gblists.split_paragraphs(doctree)
    path = str(app.env.doc2path(docname))
    _docs(app.env)[docname] = builder.build(doctree, meta, path, Path(path).parent.name,
                                            _raw_sources.pop(docname, ""))


def on_purge(app: Sphinx, env, docname: str) -> None:
    _docs(env).pop(docname, None)


def on_merge(app: Sphinx, env, docnames, other) -> None:
    for docname in docnames:
        if docname in _docs(other):
            _docs(env)[docname] = _docs(other)[docname]


def on_check_consistency(app: Sphinx, env) -> None:
    docs = _docs(env)
    ctx = check.build_context(list(docs.values()))
    by_path = {doc.path: name for name, doc in docs.items()}
    suppressed = 0
    for docname in sorted(docs):
        for finding in check.check_document(docs[docname], ctx):
            if finding.suppressed_by:
                suppressed += 1
            elif finding.severity != "info":
                _warn(app, by_path.get(finding.path, docname), finding)
    if suppressed:
        logger.info(f"gbstd: {suppressed} 条检查结果已按声明的理由抑制（gbstd check 列出全部）")


def _warn(app: Sphinx, docname: str, finding) -> None:
    message = f"{finding.severity} {finding.rule}: {finding.message}"
    if finding.hint:
        message += f"（提示：{finding.hint}）"
    logger.warning(message, location=(docname, finding.line), type="gbstd", subtype=finding.rule)


# ---------------------------------------------------------------- page decoration

def on_doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    docs = _docs(app.env)
    for placeholder in list(doctree.findall(nodes.container)):
        if "gb-corpus-index" in placeholder["classes"]:
            placeholder.replace_self(nodes.raw("", _corpus_index(app, docname, docs), format="html"))
    doc = docs.get(docname)
    if doc is None:
        return
    _resolve_values(doctree, doc, docs)
    _style_headings(doctree, doc)
    if doc.meta.profile == "2009":
        for para in list(doctree.findall(nodes.paragraph)):
            if "gb-term-source" in para["classes"]:  # 2009 form: [GB/T x—yyyy，定义3.1]
                para.replace_self(nodes.paragraph(text=para.astext().replace("[来源：", "[", 1),
                                                  classes=para["classes"]))
    root = next(n for n in doctree.children if isinstance(n, nodes.section))
    anchors = {_title_line(s): s["ids"][0] for s in doctree.findall(nodes.section) if s["ids"]}
    index = doctree.index(root)
    doctree.insert(index, nodes.raw("", html.cover(doc, _related(app, docname, doc, docs)), format="html"))
    if not doc.is_notes:
        doctree.insert(index + 1, nodes.raw("", html.toc(doc, anchors), format="html"))


def _title_line(section: nodes.section) -> int:
    return section[0].line if section.children and section[0].line else 0


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
        for text in (f"附录{clause.annex_letter}", f"（{clause.annex_role}）", clause.title):
            title += nodes.inline(text=text, classes=["gb-annex-line"])


def _resolve_values(doctree: nodes.document, doc: Document, docs: dict[str, Document]) -> None:
    standard = next((d for d in docs.values() if d.slug == doc.meta.explains and not d.is_notes), None)
    for node in doctree.findall(nodes.inline):
        ref = node.get("gb_model")
        if isinstance(ref, ValueRef):
            value = resolve_value(standard, ref.key) if standard else None
            node.children = [nodes.Text(value if value is not None else f"〔{ref.key}〕")]


def _related(app: Sphinx, docname: str, doc: Document, docs: dict[str, Document]) -> list[dict]:
    links = []
    for other_name, other in sorted(docs.items()):
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
        })
    return html.render("html/corpus-index.html.j2", rows=rows)


def on_builder_inited(app: Sphinx) -> None:
    static = str(html.TEMPLATES / "html" / "static")
    if static not in app.config.html_static_path:
        app.config.html_static_path.append(static)


def setup(app: Sphinx) -> dict:
    for name, directive in directives.DIRECTIVES.items():
        app.add_directive(name, directive)
    for name, role in directives.ROLES.items():
        app.add_role(name, role)
    app.add_directive("corpus-index", CorpusIndexDirective)
    app.add_css_file("gb.css")
    app.connect("builder-inited", on_builder_inited)
    app.connect("source-read", on_source_read)
    app.connect("doctree-read", on_doctree_read)
    app.connect("env-purge-doc", on_purge)
    app.connect("env-merge-info", on_merge)
    app.connect("env-check-consistency", on_check_consistency)
    app.connect("doctree-resolved", on_doctree_resolved)
    return {"version": __version__, "env_version": 1,
            "parallel_read_safe": True, "parallel_write_safe": True}
