"""Model → docutils nodes, so that every Sphinx builder (HTML, LaTeX) can write them.

Indicator tables become real docutils tables with row spans; formulas carry
MathML for HTML and LaTeX for PDF as raw nodes; terms get the GB layout.
"""
from __future__ import annotations

import html

from docutils import nodes
from .mathml import to_mathml as latex_to_mathml

from ..source.indicators import format_points
from ..model import Formula, Framework, Indicator, IndicatorTable, Term


# ---------------------------------------------------------------- indicator tables

def _no_depth(table: IndicatorTable) -> int:
    """The level whose 序号 is printed (0: none carries one): the deepest numbered level."""
    depths = [i.depth for i in table.walk() if i.no]
    return max(depths) if depths else 0


def table_columns(table: IndicatorTable) -> list[str]:
    """The column roles of an indicator table, in print order.

    序号 stands before the level it numbers: first when it numbers 一级指标
    (as in GB/T 36132 表B.1), after 一级指标 when it numbers 二级指标 (表B.1 of
    绿色企业评价通则).
    """
    depth = max(i.depth for i in table.walk())
    levels = ["level1", "level2", "level3"][:depth]
    no_depth = _no_depth(table)
    if no_depth:
        levels.insert(no_depth - 1, "no")
    roles = levels + ["points"]
    if any(i.requirement for i in table.walk()):
        roles.append("requirement")
    roles.append("criteria")
    return roles


DEFAULT_HEADERS = {"level1": "一级指标", "no": "序号", "level2": "二级指标", "level3": "三级指标",
                   "points": "分值", "requirement": "必选/可选", "criteria": "评分标准"}


def table_headers(table: IndicatorTable) -> list[str]:
    roles = table_columns(table)
    if table.columns and len(table.columns) == len(roles):
        return list(table.columns)
    return [DEFAULT_HEADERS[r] for r in roles]


def table_rows(table: IndicatorTable) -> list[list[tuple[str, int] | None]]:
    """Rows of (text, rowspan) cells; None where a cell above spans into the row.

    One row per leaf; a non-leaf indicator's cells (name, and 序号 when it is
    numbered at that level) span its leaves.
    """
    roles = table_columns(table)
    name_roles = [r for r in roles if r.startswith("level")]
    no_depth = _no_depth(table)
    rows: list[list[tuple[str, int] | None]] = []

    def leaves(indicator: Indicator) -> int:
        return sum(leaves(c) for c in indicator.children) if indicator.children else 1

    def emit(indicator: Indicator, inherited: dict[str, tuple[str, int] | None],
             requirement: str = "") -> None:
        cells = dict(inherited)
        requirement = indicator.requirement or requirement   # 必选/可选 holds for the levels below
        level_role = name_roles[min(indicator.depth, len(name_roles)) - 1]
        label = indicator.name
        if indicator.children and indicator.points is not None:
            label += f"（合计 {format_points(indicator.points)} 分）" if indicator.depth == 1 \
                else f"（{format_points(indicator.points)} 分）"
        cells[level_role] = (label, leaves(indicator))
        if indicator.depth == no_depth or (indicator.is_leaf and indicator.depth < no_depth):
            cells["no"] = (indicator.no or "—", leaves(indicator))
        if indicator.children:
            for n, child in enumerate(indicator.children):
                emit(child, cells if n == 0 else {k: None for k in cells}, requirement)
            return
        for role in name_roles[name_roles.index(level_role) + 1:]:
            cells[role] = ("—", 1)
        cells["points"] = (format_points(indicator.points), 1)
        cells["requirement"] = (requirement or "—", 1)
        cells["criteria"] = (_criteria_text(indicator), 1)
        rows.append([cells.get(role, ("", 1)) for role in roles])

    for indicator in table.indicators:
        emit(indicator, {})
    return rows


def grades_note(table: IndicatorTable) -> nodes.container | None:
    """The grade thresholds and variants of a table, printed under it (they are part of the standard)."""
    lines = []
    if table.grades:
        lines.append("评价等级：" + _grades_text(table.grades) + "。")
    if table.normalization == "applicable":
        lines.append("综合评价得分按参评项得分占参评项总分的比例折算为百分制。")
    for variant in table.variants:
        parts = []
        if variant.exclude:
            names = [i.name for i in table.walk() if i.id in variant.exclude]
            parts.append("不参评：" + "、".join(names or variant.exclude))
        if variant.grades:
            parts.append("评价等级：" + _grades_text(variant.grades))
        if variant.normalization == "applicable":
            parts.append("按参评项折算为百分制")
        lines.append(f"{variant.label or variant.id}：" + "；".join(parts or ["同上"]) + "。")
    if not lines:
        return None
    box = nodes.container(classes=["gb-grades", "gb-generated"])
    for line in lines:
        box += nodes.paragraph(text=line)
    return box


def _grades_text(grades) -> str:
    return "；".join(f"{g.label or g.id}，综合评价得分≥{format_points(g.min)} 分" if not g.note
                    else f"{g.label or g.id}，{g.note}" for g in grades)


def _criteria_text(indicator: Indicator) -> str:
    parts = []
    if indicator.veto:
        parts.append("一票否决")
    if indicator.criteria:
        parts.append(indicator.criteria)
    parts += [f"{lv.criterion}（{format_points(lv.points)} 分）" for lv in indicator.levels]
    if indicator.bands:
        parts.append(_bands_text(indicator))
    if indicator.gap:
        parts.append(f"〔{indicator.gap}〕")
    return "；".join(parts) or "—"


def _bands_text(indicator: Indicator) -> str:
    """Bands as printed: the first band the metric falls in gives the points."""
    source = f"按公式（{indicator.metric}）计算的结果" if indicator.metric else "计算结果"
    steps = []
    for band in indicator.bands:
        limits = [f"≥{format_points(band.min)}" if band.min is not None else "",
                  f"≤{format_points(band.max)}" if band.max is not None else ""]
        condition = "且".join(x for x in limits if x)
        steps.append(f"{condition} 得 {format_points(band.points)} 分" if condition
                     else f"其他得 {format_points(band.points)} 分")
        if band.min is None and band.max is None:
            break
    return f"{source}：" + "；".join(steps) + "（依次判定，取首个符合的档）"


def indicator_table(table: IndicatorTable) -> nodes.table:
    headers = table_headers(table)
    node = nodes.table(classes=["gb-indicator-table"])
    node += nodes.title(text=f"表{table.number}　{table.caption}".rstrip())
    group = nodes.tgroup(cols=len(headers))
    node += group
    for role in table_columns(table):
        group += nodes.colspec(colwidth={"criteria": 40, "level1": 14, "level2": 18,
                                         "level3": 18}.get(role, 8))
    head = nodes.thead()
    group += head
    roles = table_columns(table)
    head += _row([(h, 1) for h in headers], roles, head=True)
    body = nodes.tbody()
    group += body
    for cells in table_rows(table):
        body += _row(cells, roles)
    unknown = any(i.points is None and not i.veto for i in table.indicators)  # a gap: no sum to print
    total = None if unknown else sum(i.points for i in table.indicators if i.points is not None)
    points_at = roles.index("points")          # 合计 spans the columns before 分值
    total_row = nodes.row(classes=["gb-total-row"])
    total_row += _entry("合计", morecols=points_at - 1)
    total_row += _entry(format_points(total), classes=["gb-col-points"])
    for role in roles[points_at + 1:]:
        total_row += _entry("", classes=[f"gb-col-{role}"])
    body += total_row
    return node


def _row(cells, roles: list[str], head: bool = False) -> nodes.row:
    """One table row; each cell carries its column role (``gb-col-points`` …) for alignment.

    A name cell of an indicator that has indicators below it is a group heading
    (``gb-rowgroup``; HTML writes it as ``<th scope="rowgroup">``), and a row that
    opens a first-level group is marked ``gb-group-start``.
    """
    row = nodes.row()
    deepest = max((r for r in roles if r.startswith("level")), default="")
    for role, cell in zip(roles, cells):
        if cell is None:
            continue
        classes = [f"gb-col-{role}"] + (["gb-col-first"] if role == roles[0] else [])
        if not head and role.startswith("level") and role != deepest:
            classes.append("gb-rowgroup")
            if role == "level1":
                row["classes"].append("gb-group-start")
        row += _entry(cell[0], morerows=cell[1] - 1, classes=classes)
    return row


def _entry(text: str, morerows: int = 0, morecols: int = 0, classes: list[str] | None = None) -> nodes.entry:
    entry = nodes.entry(classes=classes or [])
    if morerows:
        entry["morerows"] = morerows
    if morecols:
        entry["morecols"] = morecols
    entry += nodes.paragraph(text=text)
    return entry


# ---------------------------------------------------------------- formulas

def formula(model: Formula) -> nodes.container:
    node = nodes.container(classes=["gb-formula"])
    mathml = latex_to_mathml(model.latex, display="block")
    number = f"({model.number})" if model.number else ""     # printed alike in HTML and PDF
    node += trusted_raw(f'<div class="gb-formula-line"><div class="gb-formula-math">{mathml}</div>'
                        f'<span class="gb-formula-no">{html.escape(number)}</span></div>', "html")
    tag = f"\\tag*{{{number}}}" if number else ""
    node += trusted_raw("\\begin{equation*}\n" + model.latex + f"{tag}\n\\end{{equation*}}", "latex")
    if model.restored:
        node += nodes.paragraph(text=f"〔复原〕{model.restored}", classes=["gb-restored"])
    if model.symbols:
        node += nodes.paragraph(text="式中：", classes=["gb-where"])
        for n, symbol in enumerate(model.symbols):
            line = nodes.paragraph(classes=["gb-where-item"])
            line += inline_math(symbol.symbol)
            text = f"——{symbol.meaning}"
            if symbol.unit:
                text += f"，单位为{symbol.unit}"
            line += nodes.Text(text + ("。" if n == len(model.symbols) - 1 else "；"))
            node += line
    return node


def inline_math(latex: str) -> list[nodes.Node]:
    """A symbol printed inline: MathML in HTML, $…$ in LaTeX."""
    return [trusted_raw(latex_to_mathml(latex), "html"), trusted_raw(f"${latex}$", "latex")]


def trusted_raw(text: str, format: str) -> nodes.raw:
    """Raw output the toolchain made itself (from checked LaTeX, escaped text).

    Raw nodes without the mark come from a source (HTML in Markdown, ``{raw}``)
    and are removed by ``gbstd.source.safety``.
    """
    node = nodes.raw("", text, format=format)
    node["gb_trusted"] = True
    return node


# ---------------------------------------------------------------- terms, gaps, frameworks

def term_heading(node: nodes.container, term: Term) -> None:
    """Prefix the entry with its number and term line; append the source."""
    number = nodes.paragraph(text=term.number, classes=["gb-term-number"])
    name = nodes.paragraph(classes=["gb-term-name"])
    name += nodes.strong(text=term.term)
    if term.en:
        name += nodes.Text("　")
        name += nodes.strong(text=term.en, classes=["language-en"])   # HTML: lang="en"
    node.insert(0, name)
    node.insert(0, number)
    if term.source:
        suffix = "，有修改" if term.modified else ""
        node += nodes.paragraph(text=f"[来源：{term.source}{suffix}]", classes=["gb-term-source"])


def gap(text: str, inline: bool) -> nodes.Element:
    if inline:
        return nodes.inline(text=f"〔{text}〕", classes=["gb-gap"])
    box = nodes.container(classes=["gb-gap"])
    box += nodes.paragraph(text=f"〔原文缺失〕{text}")
    return box


VERB_ORDER = ("应", "宜", "可")


def _series(names: list[str]) -> str:
    """A、B和C: how GB text enumerates."""
    return names[0] if len(names) == 1 else "、".join(names[:-1]) + "和" + names[-1]


def framework_provisions(model: Framework) -> list[str]:
    """A framework as the provisions of standard text (GB wording, 应/宜/可), one per item.

    Shared by every writer: the PDF and the HTML print these sentences as a list, never
    the framework's id.
    """
    provisions = []
    for verb in VERB_ORDER:
        named = [i.name for i in model.level1 if i.verb == verb]
        if not named:
            continue
        sentence = f"评价指标体系的一级指标{verb}包括{_series(named)}"
        vetoes = [i.name for i in model.level1 if i.verb == verb and i.veto]
        if vetoes:
            sentence += f"，其中{_series(vetoes)}{verb}设为一票否决项"
        provisions.append(sentence)
    for constraint in model.constraints:
        names = constraint["names"]
        provisions.append(f"{_series(names)}{len(names)}类指标的分值之和占总分的比例{constraint['verb']}"
                          f"不低于{constraint['min']}%")
    if model.structure_chapters:
        sentence = f"文件{model.structure_verb}包括以下章：{'、'.join(model.structure_chapters)}"
        if model.structure_annexes:
            sentence += f"；以及以下附录：{'、'.join(model.structure_annexes)}"
        provisions.append(sentence)
    return provisions


def framework(model: Framework) -> nodes.container:
    """The framework as a GB list a) b) c) of provisions (see ``framework_provisions``)."""
    box = nodes.container(classes=["gb-list"])
    provisions = framework_provisions(model)
    for n, provision in enumerate(provisions):
        end = "。" if n == len(provisions) - 1 else "；"
        box += nodes.paragraph(text=f"{chr(ord('a') + n)}) {provision}{end}",
                               classes=["gb-list-item", "gb-level-1"])
    return box


# ---------------------------------------------------------------- grade tables

def grade_table(number: str, caption: str, grades, heading: str = "综合评价得分") -> nodes.table:
    """A plain table of the grades (表1 评价等级): written from ``grades:`` so that it cannot
    disagree with what the scoring uses. The best grade gets “≥min 分”, each other grade
    “min 分≤得分<the next better grade's min 分”."""
    node = nodes.table(classes=["gb-grade-table"])
    node += nodes.title(text=f"表{number}　{caption}".rstrip())
    group = nodes.tgroup(cols=2)
    node += group
    group += nodes.colspec(colwidth=20)
    group += nodes.colspec(colwidth=40)
    head = nodes.thead()
    group += head
    head += _plain_row(["评价等级", heading])
    body = nodes.tbody()
    group += body
    ordered = sorted(grades, key=lambda g: -g.min)
    for better, grade in zip([None] + ordered, ordered):
        if better is None:
            text = f"≥{format_points(grade.min)} 分"
        else:
            text = f"{format_points(grade.min)} 分≤{heading}<{format_points(better.min)} 分"
        body += _plain_row([grade.label or grade.id, text])
    return node


def _plain_row(texts: list[str]) -> nodes.row:
    row = nodes.row()
    for text in texts:
        row += _entry(text)
    return row
