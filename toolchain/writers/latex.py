"""LaTeX pieces for the PDF, rendered from the model (no Sphinx): escaping, covers, headings, preamble.

Templates live in templates/latex/*.j2. Their environment escapes every value
it prints (``finalize``), so a template cannot forget to escape a
user-supplied string; LaTeX mark-up belongs in the templates themselves.
``compile_pdf`` typesets the standalone documents (review forms, evaluation
reports) the same way.
"""
from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import jinja2

from ..findings import SourceError
from . import cjkfonts
from .html import TEMPLATES, family_line, notes_subject, shown, toc_entries
from ..model import Clause, Document
from ..files import replace_atomically
from ..cjk import AUTHOR_SPACE
from .texrun import SAFE_PATH, latex_errors, latexmk_command, tex_environment

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
    """Text → LaTeX source that prints exactly that text (xelatex, Unicode).

    An author's space between Chinese characters becomes ``\\gbspace{}`` (xeCJK
    would drop a plain one; see ``gbstd.cjk``).
    """
    text, parts, start = str(text), [], 0
    for space in AUTHOR_SPACE.finditer(text):
        parts += [_escape(text[start:space.start()]), r"\gbspace{}" * len(space.group())]
        start = space.end()
    return "".join(parts) + _escape(text[start:])


def _escape(text: str) -> str:
    text = _CONTROL.sub("", text)
    text = _SPECIAL.sub(lambda m: _SPECIALS[m.group()], text)
    text = ELLIPSIS.sub(lambda m: ellipsis(m.group()), text)
    # a line break would end a macro argument's paragraph; keep the text on one line
    return re.sub(r"\s*\n\s*", " ", text)


ELLIPSIS = re.compile("…+")


def ellipsis(run: str) -> str:
    """“……” that extracts as itself: the CJK font's centred glyph maps back to ⋯ (U+22EF),
    so the run carries its text as /ActualText (\\gbellipsis in fonts.tex.j2)."""
    return r"\gbellipsis{" + "2026" * len(run) + "}{" + run + "}"


def cjk_in_math(latex: str) -> str:
    """Wrap runs of Chinese in ``\\text{}``: maths fonts have no CJK glyphs (A_{用地})."""
    return _CJK_RUN.sub(lambda m: r"\text{" + m.group() + "}", latex)


def _finalize(value: object) -> str:
    return "" if value is None else value if isinstance(value, TeX) else latex_escape(value)


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
    context = {"title": title, "provenance": meta.provenance,
               "keywords": ", ".join(pdf_keywords(doc))}
    if doc.is_notes:
        subject = notes_subject(doc)
        # a title that names its draft (（征集意见稿）) speaks for the stage: no second stage line
        named_stage = DRAFT_IN_TITLE.search(subject)
        context.update(designation="", title_lines=[*notes_title_lines(subject), NOTES_KIND],
                       stage=f"（{meta.stage}）" if meta.stage and not named_stage else "",
                       drafting_group=meta.drafting_group or _labelled_gap(doc, "drafting_group", "编制组"),
                       date=meta.date or _labelled_gap(doc, "date", "日期"))
        return context
    # GB/T 1.1—2009 covers print the CCS code without "CCS"; a gap says what is missing
    ccs_label = "CCS " if meta.profile == "2020" or not meta.ccs else ""
    family = family_line(doc)
    context.update(
        designation=field("designation"),
        ics=f"ICS {field('ics')}", ccs=f"{ccs_label}{field('ccs')}",
        mark=meta.family == "national",
        family_spaced=meta.family == "group",
        family_line="　".join(family) if meta.family == "group" else family,
        replaces=f"代替 {'、'.join(meta.replaces)}" if meta.replaces else "",
        title_lines=[element for element in title.split("　") if element.strip()],
        title_en=field("title_en"),
        stage_lines=stage_lines(doc),
        issued=f"{field('issued')}发布", implemented=f"{field('implemented')}实施",
        issuers=meta.issuer or [field("issuer")],
    )
    return context


DRAFT_IN_TITLE = re.compile(r"（[^（）]*稿）")
NOTES_TITLE_CHARS = 20      # Chinese characters on a line of the notes cover title (22 pt)


def notes_title_lines(subject: str) -> list[str]:
    """The title on a note's cover, broken where a reader would: after a 《…》, between
    title elements or before a （…）, never inside a word; one line when it fits."""
    if len(subject) <= NOTES_TITLE_CHARS:
        return [subject]
    for cut in (m.end() for m in re.finditer("》", subject)):
        if 0 < cut < len(subject) and cut <= NOTES_TITLE_CHARS:
            return [subject[:cut], *notes_title_lines(subject[cut:])]
    for cut in reversed([m.start() for m in re.finditer("　", subject)]):   # between title elements
        if 0 < cut <= NOTES_TITLE_CHARS:
            return [subject[:cut], *notes_title_lines(subject[cut + 1:])]
    for cut in (m.start() for m in re.finditer("（", subject)):
        if 0 < cut <= NOTES_TITLE_CHARS:
            return [subject[:cut], *notes_title_lines(subject[cut:])]
    return [subject]


def pdf_keywords(doc: Document) -> list[str]:
    """The PDF's keywords: designation, the elements of the title, the family; a note's
    subject and 编制说明."""
    meta = doc.meta
    if doc.is_notes:
        words = [notes_subject(doc), NOTES_KIND]
    else:
        words = [meta.designation, *(meta.title or doc.title).split("　"), family_line(doc),
                 *(f"{label} {value}" for label, value in (("ICS", meta.ics), ("CCS", meta.ccs)) if value)]
    return [word.strip() for word in words if word and word.strip()]


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


def run_in_number(number: str, label: str) -> str:
    """The number of an untitled clause, run into its first line of text (\\gbrunin)."""
    return r"\gbrunin{" + label + "}{" + latex_escape(number) + "}"


def _macro(name: str, arguments: tuple[str, ...], bookmark: str) -> str:
    body = "\\" + name + "".join("{" + latex_escape(a) + "}" for a in arguments)
    return r"\texorpdfstring{" + body + "}{" + latex_escape(bookmark) + "}"


def toc(doc: Document, labels: dict[int, str]) -> str:
    """The 目次 page: ``labels`` maps a heading's source line to its LaTeX label."""
    entries = []
    for entry in toc_entries(doc, labels):
        number, _, title = entry["label"].partition("　")
        if not title or not TOC_NUMBER.match(number):
            number, title = "", entry["label"]
        entries.append({**entry, "number": number, "title": title})
    widths: dict[int, float] = {}
    for entry in entries:
        if entry["number"]:   # the widest number and a one-character space
            widths[entry["level"]] = max(widths.get(entry["level"], 0), text_em(entry["number"]) + 1)
    return render("toc.tex.j2", entries=entries, number_widths=widths)


TOC_NUMBER = re.compile(r"^(?:\d+|[A-Z])(?:\.\d+)*$")


def starts_on_new_page(clause: Clause) -> bool:
    return clause.kind == "annex" or clause.kind in CENTRED_HEADINGS


def main_matter(doc: Document) -> str:
    """Switch to Arabic page numbers from 1 and print the title at the top of page 1."""
    return r"\gbmainmatter{" + latex_escape(doc.meta.title or doc.title) + "}"


def table_caption(number: str, caption: str) -> str:
    """A table title: 表B.1　caption; remembered for the continued head 表B.1（续）."""
    return r"\gbtablecaption{" + latex_escape(f"表{number}") + "}{" + latex_escape(caption) + "}"


def figure_caption(number: str, caption: str) -> str:
    """A figure title under the figure: 图1　caption (no LaTeX float number)."""
    return r"\gbfigurecaption{" + latex_escape(number) + "}{" + latex_escape(caption) + "}"


# ---------------------------------------------------------------- indicator table columns

# The points a name cell adds to its indicator, （合计 40 分） or （20 分）: printed unbroken.
POINTS_SUFFIX = re.compile(r"（((?:合计 )?[^（）\s]+ 分)）$")
# Text that never breaks inside a cell: Latin words, numbers and those points.
_UNBROKEN = re.compile(r"[!-~]+|" + POINTS_SUFFIX.pattern.rstrip("$"))
# Widths are in ems of the table text (\small, 9 pt); the line is A4 less the left and
# right margins of the geometry below.
LINE_EM = (210 - 25 - 20) / 25.4 * 72.27 / 9
CELL_PADDING_EM = 1.4           # two \tabcolsep of 6 pt and a rule
MIN_COLUMN_EM = 2.0
NARROW_ROLES = ("no", "points", "requirement")   # never wrap: as wide as their widest cell


def text_em(text: str) -> float:
    """Printed width in ems: a Chinese character one em, a Latin one about half, a space a quarter."""
    return sum(0.25 if c == " " else 0.5 if c < "\u2000" else 1.0 for c in text)


# A cell's text, as LaTeX may break it: Latin words, numbers and （合计 40 分） whole,
# Chinese between any two characters. Widths are multiples of a quarter em (a space).
_TOKENS = re.compile(_UNBROKEN.pattern + r"| |.")
GRID_EM = 0.25


def _tokens(text: str) -> list[float]:
    return [text_em(m.group()) for m in _TOKENS.finditer(text)]


def cell_lines(text: str | list[float], width: float) -> tuple[int, int]:
    """(lines, lines holding a single character) of a cell's text (or its tokens' widths)
    filled greedily into ``width`` ems."""
    lines, stranded, used, count = 1, 0, 0.0, 0
    for em in _tokens(text) if isinstance(text, str) else text:
        if used and used + em > width + 1e-9:
            stranded += count == 1 and used <= 1.0
            lines, used, count = lines + 1, 0.0, 0
        if em == 0.25 and not used:      # a space at the start of a line
            continue
        used, count = used + em, count + 1
    stranded += lines > 1 and count == 1 and used <= 1.0
    return lines, stranded


def stranded_pair(text: str, width: float) -> int | None:
    """Where a character would stand alone on a line of ``text`` set in ``width`` ems: the
    offset of the Chinese character before it, so that the two can be kept together
    (the line then breaks one character earlier); None when none would."""
    tokens = [(m.start(), m.group()) for m in _TOKENS.finditer(text)]
    lines: list[list[int]] = [[]]
    used = 0.0
    for n, (_, token) in enumerate(tokens):
        em = text_em(token)
        if used and used + em > width + 1e-9:
            lines.append([])
            used = 0.0
        lines[-1].append(n)
        used += em
    for before, line in zip(lines, lines[1:]):
        if len(line) == 1 and len(tokens[line[0]][1]) == 1 and len(before) > 2 \
                and _CJK_RUN.fullmatch(tokens[line[0]][1] + tokens[before[-1]][1]):
            return tokens[before[-1]][0]
    return None


def _cost(width: float, cells: list[tuple[list[float], int]]) -> int:
    """The lines a column's cells add to the table beyond the rows each spans, and one for
    each character left alone on a line."""
    total = 0
    for tokens, rows in cells:
        lines, stranded = cell_lines(tokens, width)
        total += max(0, lines - rows) + stranded
    return total


def indicator_column_widths(roles: list[str], headers: list[str],
                            rows: list[list[tuple[str, int] | None]]) -> list[int]:
    """Relative widths (tenths of an em) of a table's columns, from their text.

    ``rows`` are the body rows of ``doctree_writer.table_rows``: (text, rows spanned)
    per column, None under a merged cell. Each column starts at its minimum: its
    header, and the longest text that cannot break (a number, （合计 40 分）); 序号,
    分值 and 必选/可选 (``NARROW_ROLES``) do not wrap at all. The rest of the line
    goes, a quarter em at a time, to the column where it saves the most lines per
    em — a merged cell may wrap onto as many lines as it spans rows at no cost, and a
    single character alone on a line costs a line. What is then left goes to the
    columns of running text (neither merged nor narrow), in proportion to their
    widest cell: a first-level column stays as narrow as its names need.
    """
    texts = [[row[i] for row in rows if row[i] is not None] for i in range(len(roles))]
    cells = [[(_tokens(text), span) for text, span in column] for column in texts]
    widths = []
    for i, role in enumerate(roles):
        units = [text_em(text) for text, _ in texts[i]] if role in NARROW_ROLES else \
            [text_em(m.group()) for text, _ in texts[i] for m in _UNBROKEN.finditer(text)]
        widths.append(max(units + [text_em(headers[i]), MIN_COLUMN_EM]))
    spare = LINE_EM - CELL_PADDING_EM * len(roles) - sum(widths)
    wrapping = [i for i, role in enumerate(roles) if role not in NARROW_ROLES and cells[i]]
    widest = {i: max(text_em(text) for text, _ in texts[i]) for i in wrapping}
    costs = {i: _cost(widths[i], cells[i]) for i in wrapping}
    while True:
        best = None       # (lines saved per em, column, new width, its cost)
        for i in wrapping:
            width = (math.floor(widths[i] / GRID_EM + 1e-9) + 1) * GRID_EM
            while costs[i] and width <= min(widest[i], widths[i] + spare) + 1e-9:
                cost = _cost(width, cells[i])
                rate = (costs[i] - cost) / (width - widths[i])
                if cost < costs[i] and (best is None or rate > best[0]):
                    best = (rate, i, width, cost)
                width += GRID_EM
        if best is None:
            break
        _, i, width, costs[i] = best
        spare -= width - widths[i]
        widths[i] = width
    running = [i for i in wrapping if all(span == 1 for _, span in cells[i])] or wrapping
    # in tenths of an em: the other columns rounded up, the running ones down, so that LaTeX,
    # which shares the line in proportion, gives every column at least its width
    tenths = [math.ceil((width + CELL_PADDING_EM) * 10 - 1e-6) for width in widths]
    spare -= sum(tenth / 10 - CELL_PADDING_EM - width for tenth, width in zip(tenths, widths))
    natural = sum(widest[i] for i in running)
    for i in running:
        share = spare * widest[i] / natural if spare > 0 and natural > 0 else 0
        tenths[i] = math.floor((widths[i] + share + CELL_PADDING_EM) * 10 + 1e-6)
    return tenths


def text_widths(widths: list[int]) -> list[float]:
    """The text width in ems of each column, as LaTeX sets relative ``widths`` (\\X): the
    line shared out in proportion, less the padding of a cell."""
    return [LINE_EM * width / sum(widths) - CELL_PADDING_EM for width in widths]


def table_column_widths(rows: list[list[tuple[str, int] | None]]) -> list[int]:
    """Widths of a plain table's columns (header rows among ``rows``): as an indicator
    table's, every column of running text."""
    columns = len(rows[0]) if rows else 0
    return indicator_column_widths(["text"] * columns, [""] * columns, rows)


# ---------------------------------------------------------------- building

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
            result = subprocess.run(latexmk_command("form.tex"), cwd=work, capture_output=True, text=True,
                                    errors="replace", env=tex_environment())
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
    "cjk_sans_bold": "Noto Sans CJK SC Bold",
    "cjk_mono": "Noto Sans Mono CJK SC",
    "cjk_path": "",                      # the folder of the CJK fonts, if given as files
}


def fonts() -> dict[str, str]:
    """FONTS, the CJK faces as the SC fonts of their own that ``cjkfonts`` makes, so that
    the PDF names them SC: file names, and their folder as ``cjk_path`` (or "")."""
    faces = cjkfonts.sc_faces()
    folder = f"{next(iter(faces.values())).parent}/" if faces else ""
    if not SAFE_PATH.fullmatch(folder):        # printed as is (TeX), so only plain characters
        return {**FONTS, "cjk_path": ""}
    return {**FONTS, **{key: path.name for key, path in faces.items()}, "cjk_path": TeX(folder)}


class TeX(str):
    """LaTeX source a template prints as it is (``_finalize`` escapes every other value)."""


def sphinx_latex_elements() -> dict[str, str]:
    """``latex_elements`` of conf.py: fonts, A4 page, GB headings, headers, tables."""
    return {
        "papersize": "a4paper",
        "pointsize": "10pt",
        "classoptions": ",oneside",
        "babel": "",
        "fncychap": "",
        "fontpkg": render("fonts.tex.j2", **fonts()),
        "geometry": r"\usepackage[a4paper,top=30mm,bottom=25mm,left=25mm,right=20mm,"
                    r"headheight=14pt,headsep=8mm,footskip=12mm]{geometry}",
        "preamble": render("preamble.tex.j2"),
        "maketitle": "",          # the cover is part of each document's body
        "tableofcontents": "",    # 目次 follows the cover, see toc.tex.j2
        "printindex": "",
        "makeindex": "",
        "figure_align": "H",      # a figure stays where the text puts it, as GB documents print
        "sphinxsetup": "TitleColor={rgb}{0,0,0}, InnerLinkColor={rgb}{0,0,0}, "
                       "OuterLinkColor={rgb}{0,0,0}",
    }
