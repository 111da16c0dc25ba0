"""LaTeX → MathML for the HTML, with nothing but MathML in the result.

latex2mathml unescapes its output, so ``\\text{<script>}`` would come out as a
live element. Here the element tree is kept, every element and attribute is
checked against an allow-list (no ``href``, no event handlers) and the tree is
serialised escaped.
"""
from __future__ import annotations

import functools
import re
from xml.etree.ElementTree import Element, tostring

from latex2mathml.converter import Converter

ELEMENTS = {"math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msub", "msup", "msubsup",
            "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
            "mstyle", "mpadded", "mphantom", "menclose", "mfenced", "semantics", "annotation",
            "mlabeledtr", "merror"}
ATTRIBUTES = {"xmlns", "display", "mathvariant", "stretchy", "fence", "separator", "lspace",
              "rspace", "linethickness", "columnalign", "columnlines", "rowlines", "rowspacing",
              "columnspacing", "displaystyle", "scriptlevel", "width", "height", "depth", "accent",
              "accentunder", "movablelimits", "form", "largeop", "symmetric", "minsize", "maxsize",
              "notation", "open", "close", "separators", "class", "frame", "framespacing",
              "equalrows", "equalcolumns", "rowalign", "voffset", "encoding", "linebreak"}
_ENTITY = re.compile(r"&amp;(#x[0-9A-Fa-f]+;|#\d+;)")


class MathError(Exception):
    """LaTeX that the converter cannot read; the message says what, in Chinese."""


def to_mathml(latex: str, display: str = "inline") -> str:
    mathml, error = _converted(latex, display)
    if error is not None:
        raise MathError(error)
    return mathml


@functools.lru_cache(maxsize=8192)
def _converted(latex: str, display: str) -> tuple[str, str | None]:
    """(MathML, None) or ("", why not). Kept: a corpus writes the same symbols again and
    again (every “式中” list), and the converter is a large part of building a page."""
    try:
        tree = Converter(display=display).convert_to_element(latex)
        _clean(tree)
    except MathError as error:
        return "", str(error)
    except RecursionError:
        return "", "公式嵌套过深"
    except Exception as exc:   # latex2mathml raises many kinds for malformed LaTeX
        return "", _reason(exc)
    # latex2mathml stores entities (&#x0003C;) as text; keep those, escape everything else
    return _ENTITY.sub(r"&\1", tostring(tree, encoding="unicode")), None


def _clean(element: Element) -> None:
    if element.tag not in ELEMENTS:
        raise MathError(f"公式产生了不允许的 MathML 元素 <{element.tag}>")
    for name in list(element.attrib):
        if name not in ATTRIBUTES:
            del element.attrib[name]
    for child in element:
        _clean(child)


REASONS = {
    "DoubleSuperscriptsError": "连续两个上标（如 x^2^3），应写成 {x^2}^3 或 x^{2^3}",
    "DoubleSubscriptsError": "连续两个下标（如 x_1_2），应加花括号分组",
    "MissingSuperScriptOrSubscriptError": "^ 或 _ 后缺少内容",
    "ExtraLeftOrMissingRightError": "\\left 与 \\right 不成对",
    "MissingEndError": "\\begin 缺少对应的 \\end",
    "NumeratorNotFoundError": "\\frac 缺少分子",
    "DenominatorNotFoundError": "\\frac 缺少分母",
    "NoAvailableTokensError": "命令缺少参数（如 \\frac{ 或 \\sqrt 后为空）",
    "InvalidStyleForGenfracError": "分式样式不正确",
    "InvalidAlignmentError": "矩阵或数组的对齐方式不正确",
    "InvalidWidthError": "宽度不正确",
    "LimitsMustFollowMathOperatorError": "\\limits 只能跟在 \\sum、\\int 等运算符后",
}


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    return REASONS.get(name, f"LaTeX 无法解析（{name}）")
