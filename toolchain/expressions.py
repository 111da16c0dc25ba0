"""A small, safe arithmetic language for formula expressions (never ``eval``).

Grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*
    unary  := "-" unary | atom
    atom   := NUMBER | NAME | NAME "(" expr ("," expr)* ")" | "(" expr ")"

Functions: ``min``, ``max``, ``sum`` (Σ over its arguments). Names are symbol ids.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

FUNCTIONS = {"min": min, "max": max, "sum": lambda *xs: sum(xs)}
_TOKEN = re.compile(r"\s*(?:(?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
                    r"|(?P<op>[-+*/(),]))")


class ExpressionError(ValueError):
    """The expression text is not in the grammar."""


class EvaluationError(ValueError):
    """The expression is well formed but cannot be computed (missing input, ÷0)."""


@dataclass(frozen=True)
class Node:
    kind: str                 # num | name | neg | bin | call
    value: object = None      # number, name, operator or function name
    args: tuple = ()


def parse(text: str) -> Node:
    tokens = _tokenize(text)
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


def evaluate(node: Node, values: dict[str, float]) -> float:
    if node.kind == "num":
        return node.value
    if node.kind == "name":
        if node.value not in values:
            raise EvaluationError(f"缺少输入 “{node.value}”")
        value = values[node.value]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise EvaluationError(f"输入 “{node.value}” 应为数值，实际为 {value!r}")
        return value
    if node.kind == "neg":
        return -evaluate(node.args[0], values)
    if node.kind == "call":
        return FUNCTIONS[node.value](*(evaluate(a, values) for a in node.args))
    left, right = (evaluate(a, values) for a in node.args)
    if node.value == "+":
        return left + right
    if node.value == "-":
        return left - right
    if node.value == "*":
        return left * right
    if right == 0:
        raise EvaluationError("除数为零")
    return left / right


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
