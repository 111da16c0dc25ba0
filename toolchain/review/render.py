"""The review forms as HTML: 意见汇总处理表 (附件4) and 函审结论表 (附件6).

Rendered with the autoescaping Jinja2 environment of ``toolchain.html``: every
field of a record is escaped, whatever the commenter wrote.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import html, latex
from ..findings import SourceError
from .ballots import VOTES, Ballot, Tally
from .comments import COMMENT_TYPES, UNIT_KEYS, UNIT_LABELS, Round
from .files import replace_atomically


def _counts(round_: Round) -> list[tuple[str, str, int | None]]:
    """The four unit counts of 附件4: (mark, label, value)."""
    return [(mark, UNIT_LABELS[key].replace("征求意见稿", round_.stage or "征求意见稿"),
             getattr(round_.units, key)) for mark, key in zip("①②③④", UNIT_KEYS)]


def comments_fragment(round_: Round) -> str:
    """The form as an HTML fragment (for a page of the site)."""
    return html.render("forms/comments.html.j2", round=round_, counts=_counts(round_),
                       types=COMMENT_TYPES, summary=round_.tally_sentence())


def comments_latex(round_: Round) -> str:
    """The form as a standalone LaTeX document (xelatex); every field escaped."""
    return latex.render("forms-comments.tex.j2", round=round_, counts=_counts(round_),
                        summary=round_.tally_sentence(), **latex.FONTS)


def comments_pdf(round_: Round, target: str | Path) -> None:
    """Typeset the form with latexmk (xelatex) into ``target``."""
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise SourceError(round_.path, 1, "REVIEW-006", "生成 PDF 需要 latexmk 和 xelatex",
                          "安装 TeX Live（texlive-xetex、latexmk），或改为生成 HTML")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "form.tex").write_text(comments_latex(round_), encoding="utf-8")
        result = subprocess.run(["latexmk", "-pdfxe", "-interaction=nonstopmode", "-halt-on-error",
                                 "-file-line-error", "-silent", "form.tex"],
                                cwd=work, capture_output=True, text=True, errors="replace")
        if result.returncode != 0 or not (work / "form.pdf").exists():
            log = work / "form.log"
            errors = latex.latex_errors(log.read_text(errors="replace") if log.exists() else result.stdout)
            raise SourceError(round_.path, 1, "REVIEW-006", "PDF 排版失败：" + "；".join(errors or ["（日志中没有错误行）"]),
                              "检查 TeX Live 与 Noto CJK 字体是否已安装")
        replace_atomically(target, lambda temporary: shutil.copyfile(work / "form.pdf", temporary))


def ballot_fragment(ballot: Ballot, result: Tally) -> str:
    return html.render("forms/ballot.html.j2", ballot=ballot, tally=result, votes=VOTES)


def page(title: str, fragment: str) -> str:
    """A standalone HTML page around a form fragment."""
    return html.render("forms/page.html.j2", title=title, body=fragment)
