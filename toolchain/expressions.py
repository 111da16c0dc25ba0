"""A small, safe arithmetic language for formula expressions (never ``eval``).

Grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Functions: ``min``, ``max``, ``sum`` (Σ over its arguments; a name bound to a list
of numbers stands for all of them). Names are symbol ids. ``sum`` is correctly rounded
(``math.fsum``), so that it gives the same double on every Python version and in the
browser (templates/assess/scorer.js interprets the same tree, see ``to_json``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable, Mapping

FUNCTIONS = {"min": min, "max": max, "sum": math.fsum}   # each takes the list of its arguments
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<op>[-+*/(),]))")


class ExpressionError(ValueError):
    """The expression text is not in the grammar."""


class EvaluationError(ValueError):
    """The expression is well formed but cannot be computed (missing input, ÷0)."""

    def __init__(self, message: str, name: str = ""):
        super().__init__(message)
        self.name = name          # the symbol at fault, when there is one


@dataclass(frozen=True)
class Node:
    kind: str                 # num | name | neg | bin | call
    value: object = None      # number, name, operator or function name
    args: tuple = ()


# Limits (docs/security.md): far above any real formula, low enough that parsing and every
# walk over the tree stay well inside Python's recursion limit.
MAX_LENGTH = 2000        # characters
MAX_NESTING = 40         # parentheses, unary minus signs in a row
MAX_TERMS = 200          # operators: the tree of a + b + … is this deep
MAX_NUMBER = 30          # characters of one number


def parse(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"表达式过长（{len(text)} 个字符，上限 {MAX_LENGTH}）")
    tokens = _tokenize(text)
    _check_limits(tokens)
    parser = _Parser(tokens, text)
    node = parser.expr()
    if parser.pos != len(tokens):
        raise ExpressionError(f"表达式 “{text}” 在 “{tokens[parser.pos][1]}” 处无法解析")
    return node


def names(node: Node) -> set[str]:
    if node.kind == "name":
        return {node.value}
    found: set[str] = set()
    for arg in node.args:
        found |= names(arg)
    return found


def spread_names(node: Node) -> set[str]:
    """Names written directly as arguments of min/max/sum: they may hold a list (Σ over it)."""
    found: set[str] = set()
    if node.kind == "call":
        found |= {arg.value for arg in node.args if arg.kind == "name"}
    for arg in node.args:
        found |= spread_names(arg)
    return found


def evaluate(node: Node, values: Mapping[str, object]) -> float:
    return compile_node(node)(values)


def compile_node(node: Node, checked: bool = False) -> Callable[[Mapping[str, object]], float]:
    """A function of the symbol values that computes the expression (closures, never ``eval``).

    A name given a list of numbers may only stand as an argument of min/max/sum,
    which then run over the list. The result must be a finite number.
    ``checked=True``: the caller has already checked that every value is a
    finite number or a list of them, so only the lookups are left.
    """
    compute = _compile(node)
    used = sorted(names(node))
    scalars = sorted(scalar_names(node))

    def run(values: Mapping[str, object]) -> float:
        if not checked:
            for name in used:
                _check(values, name)
        try:
            result = compute(values)
            finite = math.isfinite(result)
        except KeyError as missing:
            raise EvaluationError(f"缺少输入 “{missing.args[0]}”", missing.args[0]) from None
        except ZeroDivisionError:
            raise EvaluationError("除数为零") from None
        except TypeError:
            name = next((n for n in scalars if isinstance(values.get(n), list)), "")
            raise EvaluationError(f"输入 “{name}” 是一组数值，只能用在 sum/min/max 中", name) from None
        if not finite:
            raise EvaluationError("计算结果不是有限数值（数值溢出）")
        return result
    return run


def scalar_names(node: Node, spread_position: bool = False) -> set[str]:
    """Names used as plain numbers (not directly as an argument of min/max/sum)."""
    if node.kind == "name":
        return set() if spread_position else {node.value}
    found: set[str] = set()
    for arg in node.args:
        found |= scalar_names(arg, node.kind == "call")
    return found


def _compile(node: Node) -> Callable[[Mapping[str, object]], float]:
    if node.kind == "num":
        number = node.value
        return lambda values: number
    if node.kind == "name":
        name = node.value
        return lambda values: values[name]
    if node.kind == "neg":
        inner = _compile(node.args[0])
        return lambda values: -inner(values)
    if node.kind == "call":
        return _compile_call(node)
    left, right = (_compile(arg) for arg in node.args)
    if node.value == "+":
        return lambda values: left(values) + right(values)
    if node.value == "-":
        return lambda values: left(values) - right(values)
    if node.value == "*":
        return lambda values: left(values) * right(values)
    return lambda values: left(values) / right(values)


def _compile_call(node: Node) -> Callable[[Mapping[str, object]], float]:
    function, label = FUNCTIONS[node.value], node.value
    parts = [_spread(arg) for arg in node.args]

    def call(values):
        numbers = [number for part in parts for number in part(values)]
        if not numbers:
            raise EvaluationError(f"{label}() 没有可计算的数值（所给的列表为空）")
        return function(numbers)
    return call


def _spread(node: Node) -> Callable[[Mapping[str, object]], list]:
    if node.kind != "name":
        single = _compile(node)
        return lambda values: [single(values)]
    name = node.value
    return lambda values: value if isinstance(value := values[name], list) else [value]


def _check(values: Mapping[str, object], name: str) -> None:
    if name not in values:
        raise EvaluationError(f"缺少输入 “{name}”", name)
    value = values[name]
    if isinstance(value, list):
        if not all(_is_number(v) for v in value):
            raise EvaluationError(f"输入 “{name}” 的各项应为数值，实际为 {value!r}", name)
    elif not _is_number(value):
        raise EvaluationError(f"输入 “{name}” 应为数值，实际为 {value!r}", name)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def to_json(node: Node) -> list:
    """The tree as JSON for the browser scorer: ["num", v], ["name", id], ["neg", a],
    ["bin", op, a, b], ["call", fn, [args]]."""
    if node.kind in ("num", "name"):
        return [node.kind, node.value]
    if node.kind == "neg":
        return ["neg", to_json(node.args[0])]
    if node.kind == "call":
        return ["call", node.value, [to_json(arg) for arg in node.args]]
    return ["bin", node.value, to_json(node.args[0]), to_json(node.args[1])]


def rename(node: Node, mapping: Mapping[str, str]) -> Node:
    """The same expression with names replaced as ``mapping`` says."""
    if node.kind == "name":
        return Node("name", mapping.get(node.value, node.value))
    if not node.args:
        return node
    return Node(node.kind, node.value, tuple(rename(arg, mapping) for arg in node.args))


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def unparse(node: Node) -> str:
    """Expression text that parses back to the same tree (parentheses only where needed)."""
    if node.kind == "num":
        return repr(node.value)
    if node.kind == "name":
        return node.value
    if node.kind == "call":
        return f"{node.value}({', '.join(unparse(arg) for arg in node.args)})"
    if node.kind == "neg":
        inner = node.args[0]
        return "-" + (f"({unparse(inner)})" if inner.kind == "bin" else unparse(inner))
    left, right = node.args
    rank = _PRECEDENCE[node.value]
    left_text, right_text = unparse(left), unparse(right)
    if left.kind == "bin" and _PRECEDENCE[left.value] < rank:
        left_text = f"({left_text})"
    if right.kind == "bin" and _PRECEDENCE[right.value] <= rank:
        right_text = f"({right_text})"
    return f"{left_text} {node.value} {right_text}"


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens, pos = [], 0
    text = text.replace("×", "*").replace("÷", "/").replace("−", "-")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            if text[pos:].strip() == "":
                break
            raise ExpressionError(f"表达式中有无法识别的字符 “{text[pos:].strip()[:1]}”")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def _check_limits(tokens: list[tuple[str, str]]) -> None:
    depth = run = operators = 0
    for kind, value in tokens:
        if kind == "num" and len(value) > MAX_NUMBER:
            raise ExpressionError(f"表达式中的数字 “{value[:12]}…” 过长（上限 {MAX_NUMBER} 个字符）")
        depth += value == "("
        depth -= value == ")"
        run = run + 1 if value == "-" else 0
        operators += value in ("+", "-", "*", "/", ",")
        if depth > MAX_NESTING or run > MAX_NESTING:
            raise ExpressionError(f"表达式嵌套过深（括号或连续负号超过 {MAX_NESTING} 层）")
        if operators > MAX_TERMS:
            raise ExpressionError(f"表达式的项过多（运算符超过 {MAX_TERMS} 个）")


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], text: str):
        self.tokens, self.pos, self.text = tokens, 0, text

    def peek(self) -> str | None:
        return self.tokens[self.pos][1] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise ExpressionError(f"表达式 “{self.text}” 意外结束")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def expect(self, op: str) -> None:
        kind, value = self.take()
        if value != op:
            raise ExpressionError(f"表达式 “{self.text}” 在 “{value}” 处应为 “{op}”")

    def expr(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = Node("bin", self.take()[1], (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = Node("bin", self.take()[1], (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.take()
        if kind == "num":
            number = float(value)
            return Node("num", int(number) if number.is_integer() else number)
        if kind == "name":
            if self.peek() != "(":
                return Node("name", value)
            if value not in FUNCTIONS:
                raise ExpressionError(f"未知函数 “{value}”；可用：min、max、sum")
            self.take()
            args = [self.expr()]
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
            self.expect(")")
            return Node("call", value, tuple(args))
        if value == "(":
            node = self.expr()
            self.expect(")")
            return node
        raise ExpressionError(f"表达式 “{self.text}” 在 “{value}” 处无法解析")
