"""Docutils directives and roles of the authoring format (no Sphinx needed).

Each directive parses its body into a model object, keeps it on the node it
returns (``node["gb_model"]``) for ``gbstd.source.builder``, and renders docutils
nodes that every builder can write. A malformed body does not stop the
build: the directive returns a visible placeholder carrying the finding
(``node["gb_error"]``), which the reader reports with file and line.
"""
from __future__ import annotations

from contextlib import contextmanager

from docutils import nodes
from docutils.parsers.rst import Directive, directives, roles
from docutils.transforms import Transform

from ..writers import doctree_writer
from . import formulas, indicators, yamlsafe
from ..findings import SourceError
from ..model import Framework, FrameworkIndicator, Gap, IndicatorTable, Term, ValueRef


# Whether the directives render their models as display nodes (tables, MathML, LaTeX): only
# a builder that writes needs them, and rendering was about a fifth of reading a standard
# with indicator tables and formulas. ``gbstd check`` reads without (``models_only``); the
# model is the same either way (tests/test_reader.py compares them).
_DISPLAY = True


@contextmanager
def models_only():
    """Read without display nodes for indicator tables and formulas (a bare container keeps
    the model; the builder never looks inside it)."""
    global _DISPLAY
    before, _DISPLAY = _DISPLAY, False
    try:
        yield
    finally:
        _DISPLAY = before


class _ModelDirective(Directive):
    has_content = True

    def source_path(self) -> str:
        return self.state.document.current_source or self.state.document["source"]

    def body_first_line(self) -> int:
        """1-based file line of the first content line."""
        return self.lineno + self.content_offset + 1

    def run(self) -> list[nodes.Node]:
        try:
            return self.build()
        except SourceError as error:
            return [error_node(error)]

    def build(self) -> list[nodes.Node]:  # pragma: no cover - abstract
        raise NotImplementedError


def _bare(model, line: int, kind: type[nodes.Element] = nodes.container) -> nodes.Element:
    """A model without its display (``models_only``); an indicator table stays a table node,
    which is where a grade table looks for it."""
    node = kind(classes=["gb-model"])
    node["gb_model"] = model
    node.line = line
    return node


def error_node(error: SourceError) -> nodes.Element:
    box = nodes.container(classes=["gb-error"])
    box += nodes.paragraph(text=f"【源文件错误】{error.rule}：{error.message}（第 {error.line} 行）")
    box["gb_error"] = error.as_finding()
    return box


class IndicatorTableDirective(_ModelDirective):
    required_arguments = 1
    option_spec = {"caption": directives.unchanged}

    def build(self):
        number = self.arguments[0]
        table = indicators.parse("\n".join(self.content), self.source_path(), self.body_first_line(),
                                 number, self.options.get("caption", ""))
        table.line = self.lineno
        if not _DISPLAY:
            return [_bare(table, self.lineno, nodes.table)]
        node = doctree_writer.indicator_table(table)
        node["gb_model"] = table
        node.line = self.lineno
        grades = doctree_writer.grades_note(table)
        return [node] + ([grades] if grades is not None else [])


class FormulaDirective(_ModelDirective):
    optional_arguments = 1   # no number: an unnumbered formula (one the text does not refer to)

    def build(self):
        number = self.arguments[0] if self.arguments else ""
        formula = formulas.parse("\n".join(self.content), self.source_path(),
                                 self.body_first_line(), number, self.lineno)
        if not _DISPLAY:
            return [_bare(formula, self.lineno)]
        node = doctree_writer.formula(formula)
        node["gb_model"] = formula
        node.line = self.lineno
        return [node]


class TermDirective(_ModelDirective):
    required_arguments = 1
    option_spec = {"term": directives.unchanged_required, "en": directives.unchanged,
                   "source": directives.unchanged, "modified": directives.flag,
                   "symbol": directives.unchanged}

    def build(self):
        if "term" not in self.options:
            raise SourceError(self.source_path(), self.lineno, "TERM-002",
                              f"术语条目 {self.arguments[0]} 缺少 :term: 选项", "写成 :term: 绿色工厂")
        term = Term(number=self.arguments[0], term=self.options["term"], line=self.lineno,
                    en=self.options.get("en", ""), source=self.options.get("source", ""),
                    modified="modified" in self.options, symbol=self.options.get("symbol", ""))
        node = nodes.container(classes=["gb-term"])
        node.line = self.lineno
        self.state.nested_parse(self.content, self.content_offset, node)
        node["gb_model"] = term
        doctree_writer.term_heading(node, term)
        return [node]


class GapDirective(_ModelDirective):
    def build(self):
        text = "\n".join(self.content).strip()
        node = doctree_writer.gap(text, inline=False)
        node["gb_model"] = Gap(text=text, line=self.lineno)
        node.line = self.lineno
        return [node]


class FrameworkDirective(_ModelDirective):
    def build(self):
        path, first = self.source_path(), self.body_first_line()
        data = yamlsafe.load("\n".join(self.content), path, first, "框架") or {}
        fields = yamlsafe.Fields(data, path, first, "框架", ("id", "level1", "constraints", "structure"))
        framework = Framework(id=fields.text("id") or "framework", line=self.lineno)
        for entry in fields.items("level1"):
            item = yamlsafe.Fields(entry, path, fields.line_of("level1"), "框架一级指标",
                                   ("name", "verb", "veto"))
            framework.level1.append(FrameworkIndicator(
                name=item.text("name"), verb=_verb(item, "verb"), veto=item.flag("veto")))
        for entry in fields.items("constraints"):
            item = yamlsafe.Fields(entry, path, fields.line_of("constraints"), "框架约束",
                                   ("kind", "names", "min", "verb"))
            if item.text("kind") != "min-share":
                item.fail("kind", f"未知的约束类型 “{item.text('kind')}”", "目前支持 kind: min-share")
            framework.constraints.append({"kind": "min-share", "names": item.texts("names"),
                                          "min": item.number("min", 0), "verb": _verb(item, "verb"),
                                          "line": item.first_line()})
        if data.get("structure") is not None:
            structure = yamlsafe.Fields(data["structure"], path, fields.line_of("structure"),
                                        "框架文件结构", ("verb", "chapters", "annexes"))
            framework.structure_verb = _verb(structure, "verb")
            framework.structure_chapters = structure.texts("chapters")
            framework.structure_annexes = structure.texts("annexes")
        node = doctree_writer.framework(framework)
        node["gb_model"] = framework
        node.line = self.lineno
        return [node]


def _verb(fields: yamlsafe.Fields, key: str) -> str:
    verb = fields.text(key, "应")
    if verb not in ("应", "宜"):
        fields.fail(key, f"约束用语 “{verb}” 不可识别", "写成 verb: 应（违反为错误）或 verb: 宜（违反为警告）")
    return verb


def gap_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    node = doctree_writer.gap(text, inline=True)
    node["gb_model"] = Gap(text=text, line=lineno, inline=True)
    return [node], []


def std_value_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """A figure taken from the explained standard; filled in when the corpus is known."""
    node = nodes.inline(text=f"〔{text}〕", classes=["std-value"])
    node["gb_model"] = ValueRef(key=text.strip(), line=lineno)
    return [node], []


class GradeTableDirective(_ModelDirective):
    """```{grade-table} 1``` with ``:caption:`` and ``:table:`` (the indicator table's number or
    id; the first one when not given): a table of the grades written from that table's
    ``grades:``. The indicator table may come later in the file, so the table is written by a
    transform once the whole document is parsed."""
    required_arguments = 1
    has_content = False
    option_spec = {"caption": directives.unchanged, "table": directives.unchanged,
                   "variant": directives.unchanged}

    def build(self):
        details = {"number": self.arguments[0], "caption": self.options.get("caption", "评价等级"),
                   "table": self.options.get("table", ""), "variant": self.options.get("variant", ""),
                   "line": self.lineno, "source": self.source_path()}
        pending = nodes.pending(GradeTableTransform, details)
        pending.line = self.lineno
        self.state.document.note_pending(pending)
        return [pending]


class GradeTableTransform(Transform):
    default_priority = 200     # before Sphinx numbers tables and figures (AutoNumbering, 210)

    def apply(self) -> None:
        details = self.startnode.details
        tables = [n["gb_model"] for n in self.document.findall(nodes.table)
                  if isinstance(n.get("gb_model"), IndicatorTable)]
        wanted = details["table"]
        table = next((t for t in tables if not wanted or wanted in (t.number, t.id)), None)
        grades = table.grades if table is not None else []
        if table is not None and details["variant"]:
            variant = next((v for v in table.variants if v.id == details["variant"]), None)
            grades = variant.grades if variant is not None and variant.grades else []
        if not grades:
            error = SourceError(details["source"], details["line"], "YAML-005",
                                f"grade-table 找不到{'表' + wanted if wanted else '指标表'}的 grades:",
                                "用 :table: 写指标表的编号（如 A.1）或 id，并在该指标表中写 grades:")
            self.startnode.replace_self(error_node(error))
            return
        node = doctree_writer.grade_table(details["number"], details["caption"], grades)
        node.line = details["line"]
        node.source = details["source"]
        self.startnode.replace_self(node)


DIRECTIVES = {
    "indicator-table": IndicatorTableDirective,
    "grade-table": GradeTableDirective,
    "formula": FormulaDirective,
    "term": TermDirective,
    "gap": GapDirective,
    "framework": FrameworkDirective,
}
ROLES = {"gap": gap_role, "std-value": std_value_role}


def register_with_docutils() -> None:
    """Make the directives and roles known to plain docutils (used outside Sphinx)."""
    for name, directive in DIRECTIVES.items():
        directives.register_directive(name, directive)
    for name, role in ROLES.items():
        roles.register_local_role(name, role)
