"""Formulas: the YAML body of a ``formula`` directive → model."""
from __future__ import annotations

import re

from .. import expressions
from . import mathcheck, yamlsafe
from ..findings import SourceError
from ..model import Formula, Symbol

FORMULA_KEYS = ("latex", "expr", "restored", "symbols")
SYMBOL_KEYS = ("symbol", "id", "meaning", "unit")
NUMBER = re.compile(r"^(\d+|[A-Z]\.\d+)$")
PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
FONT_COMMAND = re.compile(r"\\(?:mathrm|mathit|mathbf|mathsf|text|textrm|operatorname)\s*")
COMMAND = re.compile(r"\\([A-Za-z]+)\s*")


def default_id(symbol: str) -> str:
    """The id a symbol gets when none is written: its LaTeX without backslashes, braces and
    font commands (\\eta → eta, P_{u} → P_u, \\rho_{\\mathrm{A}} → rho_A). Symbols that do not
    reduce to a plain name (N_{可再生}, x') need an ``id:``."""
    return re.sub(r"[{}\s]", "", COMMAND.sub(r"\1", FONT_COMMAND.sub("", symbol)))


def parse(body: str, path: str, first_line: int, number: str, directive_line: int) -> Formula:
    if number and not NUMBER.match(number):
        raise SourceError(path, directive_line, "FORM-001",
                          f"公式编号 “{number}” 不合规", "正文公式编号为 1、2…，附录中为 A.1、A.2…")
    name = f"公式（{number}）" if number else "公式"
    data = yamlsafe.load(body, path, first_line, name) or {}
    fields = yamlsafe.Fields(data, path, first_line, name, FORMULA_KEYS)
    latex = fields.text("latex")
    if not latex:
        raise SourceError(path, directive_line, "YAML-005", f"{name}缺少 latex",
                          "写成 latex: n = \\frac{N}{A}")
    _check_latex(fields, "latex", latex, name)
    formula = Formula(number=number, latex=latex, line=directive_line, expr=fields.text("expr"),
                      expr_line=fields.line_of("expr"), restored=fields.text("restored"))
    for entry in fields.items("symbols"):
        sym = yamlsafe.Fields(entry, path, fields.line_of("symbols"), "式中符号", SYMBOL_KEYS)
        symbol = sym.text("symbol")
        ident = sym.text("id") or default_id(symbol)
        if not symbol:
            sym.fail("symbol", "式中符号缺少 symbol", "写成 {symbol: n, meaning: 释文, unit: 单位}")
        if not PLAIN_ID.match(ident):
            line = sym.line_of("id") if sym.text("id") else sym.first_line()
            raise SourceError(path, line, "YAML-004", f"符号 “{symbol}” 不能自动得出标识（评分模式中的输入名），需另写 id",
                              "例如 {symbol: \"N_{可再生}\", id: N_renew, …}；id 由字母、数字和下划线组成")
        _check_latex(sym, "symbol", symbol, "式中符号")
        formula.symbols.append(Symbol(symbol=symbol, id=ident, meaning=sym.text("meaning"),
                                      unit=sym.text("unit"), line=sym.first_line()))
    if formula.expr:
        try:
            expressions.parse(formula.expr)
        except expressions.ExpressionError as exc:
            fields.fail("expr", str(exc), "表达式只能含数字、符号 id、+ - * /、括号和 min/max/sum")
    return formula


def _check_latex(fields: yamlsafe.Fields, key: str, latex: str, what: str) -> None:
    """LaTeX reaches xelatex and the MathML converter only when it is safe and well-formed."""
    problem = mathcheck.problem(latex)
    if problem:
        raise SourceError(fields.path, fields.line_of(key), "MATH-001", f"{what}的 LaTeX 有误：{problem}",
                          mathcheck.HINT)


def expression_names(formula: Formula) -> set[str]:
    return expressions.names(expressions.parse(formula.expr)) if formula.expr else set()
