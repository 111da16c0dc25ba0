"""Formulas: the 式中 list explains every symbol once, with its unit; formulas are referred to."""
from __future__ import annotations

import re
from typing import Iterator

from ..source.formulas import expression_names
from ..model import Document, Formula, IndicatorTable, ListBlock, Paragraph, Table, Term, iter_items
from . import DOCUMENT, Report, rule
from .text import gb

# A unit stated in the meaning itself (“……，单位视物料种类而定”) counts as a unit.
UNIT_IN_MEANING = re.compile(r"单位(?:为|是|视|按|以)")


@rule("FORMULA-UNDEF", "error", "机器表达式中的每个符号都在“式中”说明", clause="GB/T 1.1—2020 9.9.3", scope=DOCUMENT)
def symbols_defined(doc: Document, ctx) -> Iterator[Report]:
    for formula in doc.formulas:
        defined = {s.id for s in formula.symbols}
        for name in sorted(expression_names(formula) - defined):
            yield Report(formula.expr_line, f"公式（{formula.number}）的表达式使用了符号 “{name}”，“式中”没有说明它",
                         f"在 symbols: 中加上 {{symbol: {name}, meaning: 释文, unit: 单位}}，"
                         "或改正 expr: 中的符号 id")


@rule("FORMULA-DUP", "error", "同一公式的“式中”不重复说明同一符号", clause="GB/T 1.1—2020 9.9.3", scope=DOCUMENT)
def symbols_once(doc: Document, ctx) -> Iterator[Report]:
    for formula in doc.formulas:
        seen: dict[str, int] = {}
        for symbol in formula.symbols:
            key = re.sub(r"\s+", "", symbol.symbol)
            if key in seen or symbol.id in seen:
                yield Report(symbol.line, f"公式（{formula.number}）的“式中”把符号 “{symbol.symbol}” 说明了两次"
                             f"（第 {seen.get(key, seen.get(symbol.id))} 行已说明）",
                             "不同的量用不同的符号（例如加下标区分），每个符号只说明一次")
            seen.setdefault(key, symbol.line)
            seen.setdefault(symbol.id, symbol.line)


@rule("FORMULA-UNIT", "warning", "“式中”的符号给出单位（无量纲的结果量除外）", clause="GB/T 1.1—2020 9.9.3", scope=DOCUMENT)
def symbols_have_units(doc: Document, ctx) -> Iterator[Report]:
    for formula in doc.formulas:
        for symbol in formula.symbols[1:]:  # the first symbol is the result; a ratio has no unit
            if not symbol.unit.strip() and not UNIT_IN_MEANING.search(symbol.meaning):
                yield Report(symbol.line, f"公式（{formula.number}）的符号 “{symbol.symbol}” 没有给出单位",
                             "写 unit:（如 unit: 吨（t）或 unit: \"%\"），单位因对象而异时在释文中写“单位视……而定”")


def _texts(doc: Document) -> Iterator[str]:
    """All running text of a document where a formula can be referred to."""
    for _, block in doc.blocks():
        if isinstance(block, Paragraph):
            yield block.text
        elif isinstance(block, ListBlock):
            yield from (item.text for item in iter_items(block.items))
        elif isinstance(block, Term):
            yield block.definition
            yield from (p.text for p in block.notes + block.examples)
        elif isinstance(block, Table):
            yield from (cell for row in block.rows for cell in row)
        elif isinstance(block, Formula):
            yield from (s.meaning for s in block.symbols)
        elif isinstance(block, IndicatorTable):
            yield from (i.criteria for i in block.walk())
            yield from (level.criterion for i in block.walk() for level in i.levels)


REFERENCE = re.compile(r"式\s*[（(]\s*([A-Z]?\.?\d+)\s*[)）]")


def referred_formulas(doc: Document) -> set[str]:
    """Numbers of the formulas the text refers to as 公式（n） or 式（n）."""
    return {m.group(1) for text in _texts(doc) for m in REFERENCE.finditer(text)}


@rule("FORMULA-REF", "warning", "每个编号的公式都在正文中以“公式（n）”被提及", clause="GB/T 1.1—2020 9.9.2", scope=DOCUMENT)
def formulas_referred_to(doc: Document, ctx) -> Iterator[Report]:
    referred = referred_formulas(doc)
    for formula in doc.formulas:
        if formula.number not in referred:
            yield Report(formula.line, f"公式（{formula.number}）在正文中没有被提及",
                         f"在正文中写“按公式（{formula.number}）计算”；不被提及的公式不编号")


@rule("FORMULA-CYCLE", "error", "公式之间不循环引用（一个公式的表达式不使用依赖它自身的结果）",
      clause="公式计算（docs/authoring.md）", scope=DOCUMENT)
def no_cycles(doc: Document, ctx) -> Iterator[Report]:
    formulas = doc.formulas
    producers: dict[str, list[int]] = {}
    for index, formula in enumerate(formulas):
        if formula.result is not None:
            producers.setdefault(formula.result.id, []).append(index)
    # uses[i]: the formulas whose result formula i's expression takes as input
    uses = [[j for name in sorted(expression_names(f)) for j in producers.get(name, [])]
            for f in formulas]
    reported: set[frozenset[int]] = set()
    for index in range(len(formulas)):
        cycle = _cycle_from(index, uses)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            path = " → ".join(f"公式（{formulas[i].number}）" for i in cycle + [cycle[0]])
            yield Report(formulas[cycle[0]].line,
                         f"公式循环引用：{path}（每个公式的表达式使用了下一个公式的结果符号）",
                         "检查结果符号是否写错，或把循环中的某个量改为输入量")


def _cycle_from(start: int, uses: list[list[int]]) -> list[int]:
    """The formulas (indexes) of a cycle through ``start``, or [] when there is none."""
    stack = [(start, [start])]
    visited: set[int] = set()
    while stack:
        index, path = stack.pop()
        for used in uses[index]:
            if used == start:
                return path
            if used not in visited:
                visited.add(used)
                stack.append((used, path + [used]))
    return []


# ---------------------------------------------------------------- 式中 against the LaTeX

# LaTeX commands that are operators, layout or functions, not quantities.
NOT_SYMBOLS = set("""frac dfrac tfrac sum prod int left right times cdot div sqrt mathrm text textrm operatorname
max min log ln lg exp sin cos tan lim limits displaystyle quad qquad leq geq le ge neq approx pm mp
overline bar hat tilde vec dot ddot mathbf mathit boldsymbol big Big bigg Bigg cdots ldots dots infty
partial nabla in notin subset forall exists mid vert lvert rvert langle rangle lfloor rfloor lceil rceil
mathrm percent, % begin end array cases""".split())
_GROUP = r"\{(?:[^{}]|\{[^{}]*\})*\}"
TOKEN = re.compile(r"\\(?P<command>[A-Za-z]+)|(?P<letter>[A-Za-z](?![A-Za-z]))|(?P<word>[A-Za-z]{2,})")
SUBSCRIPT = re.compile(r"\s*_\s*(?P<sub>" + _GROUP + r"|\\?[A-Za-z0-9])")
SUPERSCRIPT = re.compile(r"\s*\^\s*(?:" + _GROUP + r"|\\?[A-Za-z0-9])")
WRAPPED = re.compile(r"\\(?:text|mathrm|textrm|operatorname|mathit|mathbf)\s*\{([^{}]*)\}")


def _normal(symbol: str) -> str:
    """“A_{\\text{总}}”, “A_{总}”, “A_总” → “A_总”."""
    text = WRAPPED.sub(r"\1", symbol)
    return re.sub(r"[\s{}]", "", text).replace("\\,", "")


def latex_symbols(latex: str) -> list[str]:
    """The quantities a formula's LaTeX uses, each with its subscript (s_{i}, A_{用地}, \\varepsilon):
    operators, functions, units in \\text{…}, exponents and the bounds of Σ/Π are left out."""
    found: list[str] = []
    # \text{}/\mathrm{} inside a subscript are part of the name (E_{\mathrm{ui}}); elsewhere
    # they are words or units, not quantities
    text = re.sub(r"_\s*(" + _GROUP + ")", lambda m: "_" + WRAPPED.sub(r"\1", m.group(1)), latex.replace("\\%", " "))
    text = re.sub(r"\\(?:text|mathrm|textrm|operatorname)\s*" + _GROUP, " ", text)
    position = 0
    while position < len(text):
        m = TOKEN.search(text, position)
        if m is None:
            break
        position = m.end()
        command = m["command"]
        if command in NOT_SYMBOLS or (command and command not in GREEK):
            if command in ("sum", "prod", "int", "lim"):   # skip the bounds: \sum_{i=1}^{n}
                for script in (SUBSCRIPT, SUPERSCRIPT, SUBSCRIPT):
                    s = script.match(text, position)
                    if s:
                        position = s.end()
                index = re.match(r"\s+[ijkn](?![A-Za-z_])", text[position:])
                if index:                   # “\sum i” as Word conversions write the index
                    position += index.end()
            continue
        name = m.group()
        if command == "Delta":      # ΔT is one quantity
            following = re.match(r"\s*([A-Za-z])(?![A-Za-z])", text[position:])
            if following:
                name += following.group(1)
                position += following.end()
        sub = SUBSCRIPT.match(text, position)
        if sub:
            name += "_" + sub["sub"]
            position = sub.end()
        sup = SUPERSCRIPT.match(text, position)
        if sup:
            position = sup.end()
        found.append(_normal(name))
    return found


CONSTANTS = {"e", "\\pi"}     # need no explanation unless the 式中 gives one
GREEK = set("""alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi
pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi
Sigma Upsilon Phi Psi Omega""".split())


@rule("FORM-002", "warning", "“式中”说明公式中的每个量，且只说明公式中出现的量", clause=gb("9.9.3"), scope=DOCUMENT)
def explained_symbols(doc: Document, ctx) -> Iterator[Report]:
    """Read from the LaTeX itself, so a formula without ``expr:`` is checked too. A run of
    letters (GDP, ab) counts as explained when it, or each of its letters, is explained."""
    for formula in doc.formulas:
        if not formula.symbols or formula.restored:
            continue
        explained = {_normal(s.symbol): s for s in formula.symbols}
        used = latex_symbols(formula.latex)
        missing = [u for u in dict.fromkeys(used)
                   if u not in explained and u not in CONSTANTS and not (u.isalpha() and u.isascii() and len(u) > 1
                                                  and all(c in explained for c in u))]
        if missing:
            yield Report(formula.line, f"公式（{formula.number or '无编号'}）中的 {'、'.join(missing)} 在“式中”没有说明",
                         "在 symbols 中为每个量写出符号、释义和单位")
        letters = {c for u in used for c in (u if u.isalpha() and u.isascii() else "")}
        written = _normal(formula.latex)
        for key, symbol in explained.items():
            if key not in used and not (len(key) == 1 and key in letters) and not (len(key) > 1 and key in written):
                yield Report(symbol.line, f"“式中”说明了 {symbol.symbol}，但公式（{formula.number or '无编号'}）中没有这个量",
                             "删去这条说明，或核对公式与符号的写法是否一致（如 s_{i} 与 s_i）")
