"""LaTeX from sources: an allow-list of maths commands, checked before any writer sees it.

A formula's ``latex:``, a symbol and ``{math}`` reach xelatex as they are and the
HTML as MathML. ``problem(latex)`` says, in Chinese, what is wrong with one of
them (or returns ""): a command outside the allow-list (``\\input``, ``\\href``,
``\\def``…), characters that end maths mode or start a comment, unbalanced
braces, ``\\left``/``\\right`` or environments, nesting or length past the limits,
or LaTeX that the MathML converter cannot read (``x^2^3``, ``x^``).
Limits are documented in docs/security.md.
"""
from __future__ import annotations

import re

MAX_LENGTH = 4000          # characters of one formula
MAX_DEPTH = 40             # nested braces / \left…\right / environments
MAX_DIGITS = 100           # digits in one number

GREEK = """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu
nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta
Lambda Xi Pi Sigma Upsilon Phi Psi Omega""".split()
COMMANDS = set(GREEK) | set("""
frac dfrac tfrac cfrac sqrt sum prod coprod int iint iiint oint lim limits nolimits
left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr
text mathrm mathbf mathit mathsf mathtt mathcal mathbb boldsymbol operatorname textrm textit textbf
displaystyle textstyle scriptstyle
cdot cdots ldots dots vdots ddots times div pm mp ast star circ bullet
leq geq le ge neq ne approx equiv sim simeq cong propto ll gg lt gt
in notin ni subset subseteq supset supseteq cup cap setminus emptyset varnothing forall exists
to rightarrow leftarrow Rightarrow Leftarrow leftrightarrow Leftrightarrow mapsto uparrow downarrow
infty partial nabla prime degree angle perp parallel mid vert Vert lvert rvert lVert rVert
langle rangle lfloor rfloor lceil rceil lbrace rbrace lbrack rbrack
overline underline hat widehat bar vec tilde widetilde dot ddot check breve acute grave
overbrace underbrace overset underset stackrel
min max sup inf arg deg det exp log ln lg sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh
quad qquad hspace enspace
begin end hline
""".split())
ENVIRONMENTS = {"cases", "array", "matrix", "pmatrix", "bmatrix", "vmatrix", "Vmatrix",
                "aligned", "gathered", "split", "smallmatrix"}
# one-character control symbols: spacing and escaped specials
SYMBOLS = set(",;:!> {}%_&#$|\\")

_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}])|(\^\^)|([$%#])|(\d{" + str(MAX_DIGITS + 1) + r",})"
                    r"|([\x00-\x08\x0b-\x1f\x7f])", re.S)
_ENV = re.compile(r"\s*\{([^{}]*)\}")


def problem(latex: str) -> str:
    """What is wrong with this LaTeX, in Chinese, or "" when it is safe and well-formed."""
    if len(latex) > MAX_LENGTH:
        return f"公式过长（{len(latex)} 个字符，上限 {MAX_LENGTH}）"
    depth, stack = 0, []
    for match in _TOKEN.finditer(latex):
        command, brace, hats, special, digits, control = match.groups()
        if command is not None:
            if command.isalpha():
                if command not in COMMANDS:
                    return f"公式中不能使用命令 \\{command}（只允许数学命令）"
                if command in ("begin", "end"):
                    env = _ENV.match(latex, match.end())
                    name = env.group(1) if env else ""
                    if name not in ENVIRONMENTS:
                        return f"公式中不能使用环境 “{name}”（可用：{'、'.join(sorted(ENVIRONMENTS))}）"
                    if command == "begin":
                        stack.append(("env", name))
                    elif not stack or stack.pop() != ("env", name):
                        return f"\\end{{{name}}} 没有对应的 \\begin{{{name}}}"
                elif command == "left":
                    stack.append(("left", ""))
                elif command == "right":
                    if not stack or stack.pop() != ("left", ""):
                        return "\\right 没有对应的 \\left"
            elif command not in SYMBOLS:
                return f"公式中不能使用 \\{command}"
        elif brace == "{":
            depth += 1
            stack.append(("brace", ""))
        elif brace == "}":
            if not stack or stack.pop() != ("brace", ""):
                return "花括号不成对：多了 “}”，或与 \\left/\\begin 交错"
            depth -= 1
        elif hats:
            return "公式中不能使用 ^^ 字符代码"
        elif special:
            return f"公式中的 “{special}” 应写成 \\{special}"
        elif digits:
            return f"数字过长（超过 {MAX_DIGITS} 位）"
        elif control:
            return f"公式中有控制字符 U+{ord(control):04X}"
        if len(stack) > MAX_DEPTH:
            return f"公式嵌套过深（超过 {MAX_DEPTH} 层）"
    if stack:
        kind, name = stack[-1]
        return {"brace": "花括号不成对：缺少 “}”", "left": "\\left 缺少对应的 \\right",
                "env": f"\\begin{{{name}}} 缺少对应的 \\end{{{name}}}"}[kind]
    from ..writers.mathml import MathError, to_mathml
    try:
        to_mathml(latex)
    except MathError as error:
        return str(error)
    return ""


HINT = "改正 LaTeX；特殊字符写成 \\% \\# \\$，文字放在 \\text{} 中；只可用常见数学命令（见 docs/security.md）"
