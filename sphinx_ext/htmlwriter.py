"""The HTML translator and maths renderer of the site.

- Tables sit in a scroll container (a focusable region named after the table),
  so a wide indicator table scrolls sideways on a phone instead of squeezing
  its columns to one character; header cells get ``scope="col"``, the name
  cells of indicator groups become ``<th scope="rowgroup">`` and each
  first-level group its own ``<tbody>``.
- ``{math}`` roles and directives are written as MathML at build time
  (latex2mathml through gbstd.writers.mathml), like ``{formula}``: no MathJax, no CDN, nothing fetched.
"""
from __future__ import annotations

import html

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.writers.html5 import HTML5Translator

from ..writers.mathml import MathError, to_mathml

logger = logging.getLogger("gbstd")
RENDERER = "gbstd-mathml"


class GbHTMLTranslator(HTML5Translator):
    def __init__(self, document: nodes.document, builder) -> None:
        super().__init__(document, builder)
        # docutils adds a viewport meta tag that Sphinx's layout already writes: keep one
        self.meta = [m for m in self.meta if 'name="viewport"' not in m]

    def visit_table(self, node: nodes.table) -> None:
        title = next(iter(node.findall(nodes.title)), None)
        label = html.escape(title.astext() if title is not None else "表格", quote=True)
        self.body.append(f'<div class="gb-table-scroll" role="region" tabindex="0" aria-label="{label}">\n')
        super().visit_table(node)

    def depart_table(self, node: nodes.table) -> None:
        super().depart_table(node)
        self.body.append("</div>\n")

    def visit_row(self, node: nodes.row) -> None:
        # a new first-level group opens a new row group (not before the first row)
        if "gb-group-start" in node["classes"] and node.parent.index(node) > 0:
            self.body.append("</tbody>\n<tbody>\n")
        super().visit_row(node)

    def visit_entry(self, node: nodes.entry) -> None:
        super().visit_entry(node)
        start = len(self.body) - 1
        while not self.body[start].startswith("<t"):   # Sphinx may append text after the tag
            start -= 1
        tag = self.body[start]
        if isinstance(node.parent.parent, nodes.thead):
            self.body[start] = '<th scope="col"' + tag[3:]
        elif "gb-rowgroup" in node["classes"] and tag.startswith("<td"):
            self.body[start] = '<th scope="rowgroup"' + tag[3:]
            self.context[-1] = "</th>\n"


def mathml(latex: str, display: str, node: nodes.Node) -> str:
    """MathML of a {math} node; LaTeX the maths check refused never gets here (gbstd.source.safety)."""
    try:
        return to_mathml(latex, display=display)
    except MathError as error:   # the check passed it but the converter did not: say where
        logger.warning(f"MATH-001（错误）：数学式的 LaTeX 有误：{error}", location=node,
                       type="gbstd", subtype="MATH-001")
        return f'<code class="gb-error">{html.escape(latex)}</code>'


def visit_math(self: HTML5Translator, node: nodes.math) -> None:
    self.body.append(mathml(node.astext(), "inline", node))
    raise nodes.SkipNode


def visit_math_block(self: HTML5Translator, node: nodes.math_block) -> None:
    number = f'<span class="gb-formula-no">（{node["number"]}）</span>' if node.get("number") else ""
    self.body.append(self.starttag(node, "div", CLASS="gb-formula-line gb-math-block"))
    self.body.append(f'<div class="gb-formula-math">{mathml(node.astext(), "block", node)}</div>'
                     f"{number}</div>\n")
    raise nodes.SkipNode


def on_config_inited(app: Sphinx, config) -> None:
    if not config.html_math_renderer:
        config.html_math_renderer = RENDERER


def setup(app: Sphinx) -> dict:
    app.set_translator("html", GbHTMLTranslator)
    app.add_html_math_renderer(RENDERER, (visit_math, None), (visit_math_block, None))
    app.connect("config-inited", on_config_inited)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
