"""The review forms: 意见汇总处理表 (附件4) and 函审结论表 (附件6), as HTML, LaTeX, PDF and Word.

HTML is rendered with the autoescaping Jinja2 environment of ``gbstd.writers.html``,
LaTeX with the escaping one of ``gbstd.writers.latex``: every field of a record is
printed as text, whatever the commenter wrote.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..writers import docx_forms, html, latex
from ..source import metadata
from ..findings import SourceError
from .ballots import VOTES, Ballot, Tally, rule_label
from .comments import COMMENT_TYPES, UNIT_KEYS, UNIT_LABELS, Round
from ..files import read_text, replace_atomically, write_text


def form_level(record_path: str) -> str:
    """How the forms name the document: 国家标准 for a national standard, else 标准.

    The 1990 forms are written for national standards; local and group bodies use
    the same forms with 标准. The record sits in <standard folder>/comments|ballots/.
    """
    source = Path(record_path).resolve().parent.parent / "standard.md"
    try:
        meta, _ = metadata.parse(read_text(source), str(source))
    except SourceError:
        return "标准"
    return "国家标准" if meta.family == "national" else "标准"


def _counts(round_: Round) -> list[tuple[str, str, int | None]]:
    """The four unit counts of 附件4: (mark, label, value)."""
    return [(mark, UNIT_LABELS[key].replace("征求意见稿", round_.stage or "征求意见稿"),
             getattr(round_.units, key)) for mark, key in zip("①②③④", UNIT_KEYS)]


def comments_fragment(round_: Round) -> str:
    """The form as an HTML fragment (for a page of the site)."""
    return html.render("forms/comments.html.j2", round=round_, counts=_counts(round_),
                       types=COMMENT_TYPES, summary=round_.tally_sentence(), level=form_level(round_.path))


def comments_latex(round_: Round) -> str:
    """The form as a standalone LaTeX document (xelatex); every field escaped."""
    return latex.render("forms-comments.tex.j2", round=round_, counts=_counts(round_), types=COMMENT_TYPES,
                        summary=round_.tally_sentence(), level=form_level(round_.path), **latex.fonts())


def write_comments(round_: Round, target: str | Path) -> None:
    """Write the 意见汇总处理表 into ``target``: .pdf, .tex, .docx or else HTML (see ``_write``)."""
    _write(target, round_.path, lambda: comments_latex(round_),
           lambda: page(f"意见汇总处理表 {round_.id}", comments_fragment(round_)),
           lambda: docx_forms.comments(round_, _counts(round_), COMMENT_TYPES, round_.tally_sentence(),
                                       form_level(round_.path)))


def ballot_fragment(ballot: Ballot, result: Tally) -> str:
    return html.render("forms/ballot.html.j2", ballot=ballot, tally=result, votes=VOTES,
                       level=form_level(ballot.path), rule_label=rule_label(result.rule))


def ballot_latex(ballot: Ballot, result: Tally) -> str:
    """The 函审结论表 as a standalone LaTeX document (xelatex); every field escaped."""
    return latex.render("forms-ballot.tex.j2", ballot=ballot, tally=result, votes=VOTES,
                        level=form_level(ballot.path), rule_label=rule_label(result.rule), **latex.fonts())


def write_ballot(ballot: Ballot, result: Tally, target: str | Path) -> None:
    """Write the 函审结论表 into ``target``: .pdf, .tex, .docx or else HTML (see ``_write``)."""
    _write(target, ballot.path, lambda: ballot_latex(ballot, result),
           lambda: page(f"函审结论表 {ballot.id}", ballot_fragment(ballot, result)),
           lambda: docx_forms.ballot(ballot, result, VOTES, form_level(ballot.path)))


def _write(target: str | Path, origin: str, latex_source: Callable[[], str], html_page: Callable[[], str],
           word: Callable[[], object]) -> None:
    """By the suffix of ``target``: .pdf typeset with xelatex, .tex the LaTeX source, .docx a Word
    file, else the HTML page. Written whole or not at all; problems are reported at ``origin``
    (the record file)."""
    suffix = Path(target).suffix.lower()
    if suffix == ".docx":
        document = word()
        replace_atomically(target, lambda temporary: document.save(str(temporary)))
    elif suffix == ".pdf":
        latex.compile_pdf(latex_source(), target, origin, "REVIEW-006")
    elif suffix == ".tex":
        write_text(target, latex_source())
    else:
        write_text(target, html_page())


def page(title: str, fragment: str) -> str:
    """A standalone HTML page around a form fragment."""
    return html.render("forms/page.html.j2", title=title, body=fragment)
