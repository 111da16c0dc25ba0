"""LaTeX pieces for the PDF, rendered from the model (no Sphinx): escaping, covers, headings, preamble.

Templates live in templates/latex/*.j2. Their environment escapes every value
it prints (``finalize``), so a template cannot forget to escape a
user-supplied string; LaTeX mark-up belongs in the templates themselves.
``compile_pdf`` typesets the standalone documents (review forms, evaluation
reports) the same way.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2

from .findings import SourceError
from .html import TEMPLATES, family_line, notes_subject, shown, toc_entries
from .model import Clause, Document
from .files import replace_atomically

# Each special character of LaTeX, as text.
_SPECIALS = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
    # brackets could be read as the optional argument of a preceding \\ or macro
    "[": "{[}", "]": "{]}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _SPECIALS))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")

NOTES_KIND = "编制说明"
PATENT_SENTENCE = "在提交反馈意见时，请将您知道的相关专利连同支持性文件一并附上。"
# Headings GB/T 1.1 prints centred, on a page of their own, letter-spaced.
CENTRED_HEADINGS = {"foreword": "前　　言", "introduction": "引　　言",
                    "bibliography": "参　考　文　献", "index": "索　　引"}


def latex_escape(text: object) -> str:
    """Text → LaTeX source that prints exactly that text (xelatex, Unicode)."""
    text = _CONTROL.sub("", str(text))
    text = _SPECIAL.sub(lambda m: _SPECIALS[m.group()], text)
    # a line break would end a macro argument's paragraph; keep the text on one line
    return re.sub(r"\s*\n\s*", " ", text)


def cjk_in_math(latex: str) -> str:
    """Wrap runs of Chinese in ``\\text{}``: maths fonts have no CJK glyphs (A_{用地})."""
    return _CJK_RUN.sub(lambda m: r"\text{" + m.group() + "}", latex)


def _finalize(value: object) -> str:
    return "" if value is None else latex_escape(value)


_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES / "latex")),
    block_start_string="<%", block_end_string="%>",
    variable_start_string="<<", variable_end_string=">>",
    comment_start_string="<#", comment_end_string="#>",
    finalize=_finalize, undefined=jinja2.StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, autoescape=False)


def render(template: str, **context) -> str:
    return _env.get_template(template).render(**context)


# ---------------------------------------------------------------- covers

def stage_lines(doc: Document) -> list[str]:
    """The stage line of a draft and, for drafts open to comment, the patent sentence."""
    stage = doc.meta.stage
    if not stage or stage == "发布稿":
        return []
    lines = [f"（{stage}）"]
    if stage in ("征求意见稿", "送审稿"):
        lines.append(PATENT_SENTENCE)
    return lines


def cover_context(doc: Document) -> dict:
    """Everything the cover prints, as plain text (the template escapes it)."""
    meta = doc.meta

    def field(key: str) -> str:
        return shown(doc, key)

    title = meta.title or doc.title
    context = {"title": title, "provenance": meta.provenance}
    if doc.is_notes:
        context.update(designation="", title_lines=[notes_subject(doc), NOTES_KIND],
                       stage=f"（{meta.stage}）" if meta.stage else "",
                       drafting_group=meta.drafting_group or _labelled_gap(doc, "drafting_group", "编制组"),
                       date=meta.date or _labelled_gap(doc, "date", "日期"))
        return context
    ccs_label = "CCS " if meta.profile == "2020" else ""
    context.update(
        designation=field("designation"),
        ics=f"ICS {field('ics')}", ccs=f"{ccs_label}{field('ccs')}",
        family_line=family_line(doc),
        replaces=f"代替 {'、'.join(meta.replaces)}" if meta.replaces else "",
        title_lines=[element for element in title.split("　") if element.strip()],
        title_en=meta.title_en,
        stage_lines=stage_lines(doc),
        issued=f"{field('issued')}发布", implemented=f"{field('implemented')}实施",
        issuers=meta.issuer or [field("issuer")],
    )
    return context


def _labelled_gap(doc: Document, key: str, label: str) -> str:
    """A gap on the notes cover says what is missing: 编制组（未给出）."""
    return f"{label}{shown(doc, key)}" if key in doc.meta.gaps else ""


def cover(doc: Document) -> str:
    """The cover page, the document's running-header data and the PDF metadata."""
    template = "notes-cover.tex.j2" if doc.is_notes else "cover.tex.j2"
    return render(template, **cover_context(doc))


# ---------------------------------------------------------------- headings and page flow

def heading(clause: Clause) -> str:
    """LaTeX for a heading's title: number and title, annex on three lines, centred headings.

    Each form is a robust macro of the preamble; the PDF bookmark gets plain text.
    The annex label is printed as written: （规范性） under GB/T 1.1—2020,
    （规范性附录） under —2009.
    """
    if clause.kind == "annex":
        parts = (f"附录{clause.annex_letter}", clause.annex_role_label, clause.title)
        return _macro("gbannextitle", parts, "".join(parts))
    if clause.kind in CENTRED_HEADINGS:
        return _macro("gbcentredtitle", (CENTRED_HEADINGS[clause.kind],), clause.title)
    if clause.number:
        return _macro("gbnumberedtitle", (clause.number, clause.title),
                      f"{clause.number} {clause.title}".rstrip())
    return latex_escape(clause.title or clause.heading)


def _macro(name: str, arguments: tuple[str, ...], bookmark: str) -> str:
    body = "\\" + name + "".join("{" + latex_escape(a) + "}" for a in arguments)
    return r"\texorpdfstring{" + body + "}{" + latex_escape(bookmark) + "}"


def toc(doc: Document, labels: dict[int, str]) -> str:
    """The 目次 page: ``labels`` maps a heading's source line to its LaTeX label."""
    return render("toc.tex.j2", entries=toc_entries(doc, labels))


def starts_on_new_page(clause: Clause) -> bool:
    return clause.kind == "annex" or clause.kind in CENTRED_HEADINGS


def main_matter(doc: Document) -> str:
    """Switch to Arabic page numbers from 1 and print the title at the top of page 1."""
    return r"\gbmainmatter{" + latex_escape(doc.meta.title or doc.title) + "}"


def table_caption(number: str, caption: str) -> str:
    """A table title: 表B.1　caption; remembered for the continued head 表B.1（续）."""
    return r"\gbtablecaption{" + latex_escape(f"表{number}") + "}{" + latex_escape(caption) + "}"


# ---------------------------------------------------------------- building

_LOG_ERROR = re.compile(r"^(?:\S+\.\w+:\d+: .*|! .*)$", re.M)


SOURCE_NAMES = ("standard", "notes")


def corpus_docnames(srcdir: Path) -> list[str]:
    """Documents of the corpus, as Sphinx docnames: ``<slug>/standard``, ``<slug>/notes``."""
    return sorted(f"{folder.name}/{name}" for folder in srcdir.iterdir() if folder.is_dir()
                  for name in SOURCE_NAMES if (folder / f"{name}.md").is_file())


def target_name(docname: str) -> str:
    """``green-logistics/notes`` → ``green-logistics-notes``: the name of its .tex and .pdf."""
    return docname.replace("/", "-")


def latex_errors(log: str, limit: int = 3) -> list[str]:
    """The first error lines of a LaTeX log (``file.tex:line: message`` or ``! message``)."""
    return [m.group().strip() for m in _LOG_ERROR.finditer(log)][:limit]


def compile_pdf(source: str, target: str | Path, origin: str, rule: str) -> None:
    """Typeset a standalone LaTeX document (xelatex via latexmk) into ``target``, whole or not at all.

    Problems are reported as a SourceError located at ``origin`` (the input the
    document was made from) under ``rule``: no TeX installation, or the first
    errors of the LaTeX log.
    """
    if shutil.which("latexmk") is None or shutil.which("xelatex") is None:
        raise SourceError(origin, 1, rule, "生成 PDF 需要 latexmk 和 xelatex",
                          "安装 TeX Live（texlive-xetex、latexmk），或改为生成 HTML")

    def typeset(temporary: Path) -> None:
        with tempfile.TemporaryDirectory() as folder:
            work = Path(folder)
            (work / "form.tex").write_text(source, encoding="utf-8")
            result = subprocess.run(["latexmk", "-pdfxe", "-interaction=nonstopmode", "-halt-on-error",
                                     "-file-line-error", "-silent", "form.tex"],
                                    cwd=work, capture_output=True, text=True, errors="replace")
            if result.returncode != 0 or not (work / "form.pdf").exists():
                log = work / "form.log"
                errors = latex_errors(log.read_text(errors="replace") if log.exists() else result.stdout)
                raise SourceError(origin, 1, rule, "PDF 排版失败：" + "；".join(errors or ["（日志中没有错误行）"]),
                                  "检查 TeX Live 与 Noto CJK 字体是否已安装")
            shutil.copyfile(work / "form.pdf", temporary)

    replace_atomically(target, typeset)


# ---------------------------------------------------------------- Sphinx configuration values

FONTS = {
    "latin_serif": "TeX Gyre Termes",   # has ≤ ≥ and matches 宋体 in weight
    "latin_sans": "TeX Gyre Heros",
    "latin_mono": "TeX Gyre Cursor",
    "latin_math": "TeX Gyre Termes Math",
    "cjk_serif": "Noto Serif CJK SC",   # 宋体-like body
    "cjk_sans": "Noto Sans CJK SC",     # 黑体-like headings
    "cjk_mono": "Noto Sans Mono CJK SC",
}


def sphinx_latex_elements() -> dict[str, str]:
    """``latex_elements`` of conf.py: fonts, A4 page, GB headings, headers, tables."""
    return {
        "papersize": "a4paper",
        "pointsize": "10pt",
        "classoptions": ",oneside",
        "babel": "",
        "fncychap": "",
        "fontpkg": render("fonts.tex.j2", **FONTS),
        "geometry": r"\usepackage[a4paper,top=30mm,bottom=25mm,left=25mm,right=20mm,"
                    r"headheight=14pt,headsep=8mm,footskip=12mm]{geometry}",
        "preamble": render("preamble.tex.j2"),
        "maketitle": "",          # the cover is part of each document's body
        "tableofcontents": "",    # 目次 follows the cover, see toc.tex.j2
        "printindex": "",
        "makeindex": "",
        "sphinxsetup": "TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, "
                       "OuterLinkColor={rgb}{0,0,0}",
    }
