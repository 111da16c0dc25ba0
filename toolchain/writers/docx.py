"""Document model → Word (.docx) in GB/T 1.1 layout, with python-docx.

One .docx per standard or note, from the same model as the HTML and the PDF:
cover, 目次 (a Word TOC field), 前言/引言 with roman page numbers, the body from page 1,
the designation in the running header (odd pages right, even pages left), page numbers
in the footer. Every element is in a named style of ``gbstd.wordstyles`` so that the
file can be edited with a committee's template and imported back; docs/word.md lists the
structure the importer relies on. Formulas are Word equations (OMML, see ``omml``).

Sizes follow GB/T 1.1—2020 附录F as far as it is confirmed (cover: 一号 title, 四号
designation and English title, 五号 ICS/CCS); the rest are the customary sizes of printed
standards (五号 body and headings, 小五 notes and tables), see docs/word.md.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

from docutils import nodes

from docx import Document as WordDocument
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import StyleFactory
from docx.text.paragraph import Paragraph as WordParagraph

from .. import wordstyles as ws
from ..files import replace_atomically
from ..findings import SourceError
from ..model import (Clause, Document, Formula, Framework, Gap, IndicatorTable, ListBlock,
                     ListItem, Paragraph, Table, Term)
from ..source.gblists import marker_kind
from ..source.indicators import format_points
from . import omml
from .docx_inline import EMPHASIS, SourceInline, bookmark_name, references, targets
from .doctree_writer import framework as framework_nodes
from .doctree_writer import grades_note, table_columns, table_headers, table_rows
from .html import GAP_TEXT, family_line, heading_label, notes_subject, shown, toc_entries
from .latex import CENTRED_HEADINGS, NOTES_KIND, indicator_column_widths, stage_lines

# ---------------------------------------------------------------- page and fonts

PAGE = {"width": Mm(210), "height": Mm(297), "top": Mm(30), "bottom": Mm(25), "left": Mm(25),
        "right": Mm(20), "header": Mm(15), "footer": Mm(12)}
LINE_MM = 210 - 25 - 20
SONG, HEI = "SimSun", "SimHei"        # 宋体, 黑体 (Word maps the Chinese names to these)
LATIN_SERIF, LATIN_SANS = "Times New Roman", "Arial"
# 字号 in points
SIZE = {"一号": 26, "小二": 18, "三号": 16, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9}

CENTRED_COLUMNS = ("level1", "no", "points", "requirement")
DRAFT_RED = RGBColor(0xC0, 0x00, 0x00)
OPEN_FINDINGS = "含未解决的检查结果（{} 条）"    # a draft's mark, as on the PDF's cover and pages
FOOTNOTE_CLOSE = ")"          # GB/T 1.1 prints text footnote marks as 1)、2)…
IDEOGRAPHIC_SPACE = "\u3000"


def _style_table() -> list[dict]:
    """Every paragraph and character style the writer uses, with its formatting."""
    body = {"font": SONG, "size": "五号", "indent": True, "justify": True}
    heading = {"font": HEI, "size": "五号", "keep": True, "before": 6, "after": 6}
    centred_title = {"font": HEI, "size": "三号", "align": "center", "keep": True, "after": 18}
    styles = [
        {"name": ws.PARAGRAPH, **body},
        {"name": ws.CHAPTER, **heading, "outline": 0},
        *({"name": ws.CLAUSE[n], **heading, "outline": n} for n in range(1, 6)),
        *({"name": ws.UNTITLED_CLAUSE[n], **body, "indent": False} for n in range(1, 6)),
        {"name": ws.ANNEX_LABEL, "font": HEI, "size": "五号", "align": "center", "keep": True,
         "page_break": True, "after": 12, "outline": 0},
        {"name": ws.ANNEX_CHAPTER, **heading, "outline": 1},
        *({"name": ws.ANNEX_CLAUSE[n], **heading, "outline": n + 1} for n in range(1, 5)),
        {"name": ws.ANNEX_CLAUSE[5], **heading},
        {"name": ws.FOREWORD_TITLE, **centred_title, "page_break": True, "outline": 0},
        {"name": ws.INTRODUCTION_TITLE, **centred_title, "page_break": True, "outline": 0},
        {"name": ws.BIBLIOGRAPHY_TITLE, **centred_title, "page_break": True, "outline": 0},
        {"name": ws.TOC_TITLE, **centred_title},
        {"name": ws.BODY_TITLE, "font": HEI, "size": "三号", "align": "center", "before": 12,
         "after": 24, "keep": True},
        {"name": ws.TOC_ENTRY[1], "font": SONG, "size": "五号", "toc": 0},
        {"name": ws.TOC_ENTRY[2], "font": SONG, "size": "五号", "toc": 2},
        {"name": ws.LIST_ITEM["letter"], **body, "indent": False, "hanging": (7, 3)},
        {"name": ws.LIST_ITEM["number1"], **body, "indent": False, "hanging": (7, 3)},
        {"name": ws.LIST_ITEM["dash"], **body, "indent": False, "hanging": (7, 4)},
        {"name": ws.LIST_ITEM["number"], **body, "indent": False, "hanging": (11, 3)},
        {"name": ws.LIST_ITEM["dash2"], **body, "indent": False, "hanging": (11, 4)},
        {"name": ws.LIST_ITEM["level3"], **body, "indent": False, "hanging": (15, 3)},
        {"name": ws.NOTE, "font": SONG, "size": "小五", "hanging": (7, 7), "justify": True},
        {"name": ws.NOTE_NUMBERED, "font": SONG, "size": "小五", "hanging": (7, 8), "justify": True},
        {"name": ws.EXAMPLE, "font": SONG, "size": "小五", "hanging": (7, 0), "justify": True},
        {"name": ws.EXAMPLE_NUMBERED, "font": SONG, "size": "小五", "hanging": (7, 0), "justify": True},
        {"name": ws.TERM_ENTRY[1], "font": HEI, "size": "五号", "keep": True, "before": 6},
        *({"name": ws.TERM_ENTRY[n], "font": HEI, "size": "五号", "keep": True, "before": 6}
          for n in range(2, 6)),
        {"name": ws.TABLE_TITLE, "font": HEI, "size": "五号", "align": "center", "keep": True,
         "before": 6, "after": 6},
        {"name": ws.ANNEX_TABLE_TITLE, "font": HEI, "size": "五号", "align": "center", "keep": True,
         "before": 6, "after": 6},
        {"name": ws.TABLE_TEXT, "font": SONG, "size": "小五"},
        {"name": ws.TABLE_NOTE, "font": SONG, "size": "小五", "justify": True, "before": 3},
        {"name": ws.FORMULA, "font": SONG, "size": "五号", "formula": True, "before": 6, "after": 6},
        {"name": ws.ANNEX_FORMULA, "font": SONG, "size": "五号", "formula": True, "before": 6,
         "after": 6},
        {"name": ws.FORMULA_WHERE, "font": SONG, "size": "五号", "hanging": (7, 0)},
        {"name": ws.GAP, "font": SONG, "size": "小五", "justify": True, "shade": "EDEDED"},
        {"name": ws.BIBLIOGRAPHY_ENTRY, "font": SONG, "size": "五号", "hanging": (0, 7)},
        {"name": ws.END_LINE, "font": SONG, "size": "五号", "end_line": True, "before": 18},
        {"name": ws.COVER["family"], "font": HEI, "size": "小二", "align": "center", "before": 36,
         "letter_spacing": 6},
        {"name": ws.COVER_EXTRA["classification"], "font": HEI, "size": "五号"},
        {"name": ws.COVER_EXTRA["open_findings"], "font": HEI, "size": "四号", "align": "center",
         "bold": True, "color": DRAFT_RED, "after": 12},
        {"name": ws.COVER["designation"], "font": HEI, "size": "四号", "align": "right", "before": 18},
        {"name": ws.COVER["replaces"], "font": HEI, "size": "五号", "align": "right", "rule": True},
        {"name": ws.COVER["title"], "font": HEI, "size": "一号", "align": "center", "before": 150,
         "after": 12},
        {"name": ws.COVER["title_en"], "font": HEI, "latin": LATIN_SANS, "size": "四号",
         "align": "center", "after": 12},
        {"name": ws.COVER_EXTRA["stage"], "font": SONG, "size": "四号", "align": "center", "before": 12},
        {"name": ws.COVER_EXTRA["patent"], "font": SONG, "size": "五号", "align": "center", "before": 12},
        {"name": ws.COVER["issue_date"], "font": HEI, "size": "四号", "rule": True, "before": 0},
        {"name": ws.COVER["implementation_date"], "font": HEI, "size": "四号", "character": True},
        {"name": ws.COVER["issuer"], "font": SONG, "size": "小二", "align": "center", "before": 12},
        {"name": ws.SOURCE, "font": SONG, "size": "五号", "character": True},
        {"name": ws.FOOTNOTE_TEXT, "font": SONG, "size": "小五", "justify": True},
        {"name": ws.FOOTNOTE_REFERENCE, "font": SONG, "size": "五号", "character": True,
         "superscript": True},
        {"name": ws.TERM_EN, "font": HEI, "latin": LATIN_SERIF, "bold": True, "size": "五号",
         "character": True},
    ]
    return styles


def _fonts(properties, east_asia: str, latin: str) -> None:
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.insert(0, fonts)
    for key, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asia),
                       ("w:cs", latin)):
        fonts.set(qn(key), value)


def _define_styles(word) -> None:
    styles = word.styles
    normal = styles["Normal"]
    normal.font.size = Pt(SIZE["五号"])
    _fonts(normal.element.get_or_add_rPr(), SONG, LATIN_SERIF)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for spec in _style_table():
        kind = WD_STYLE_TYPE.CHARACTER if spec.get("character") else WD_STYLE_TYPE.PARAGRAPH
        # styles.add_style looks the name up among all styles first: slow, and ours are new
        style = StyleFactory(styles.element.add_style_of_type(spec["name"], kind, False))
        if spec["name"].startswith("toc "):
            style.element.set(qn("w:styleId"), spec["name"].replace("toc ", "TOC"))
        elif spec["name"] in (ws.FOOTNOTE_TEXT, ws.FOOTNOTE_REFERENCE):   # Word's ids for them
            style.element.set(qn("w:styleId"), spec["name"].title().replace(" ", ""))
        style.quick_style = True
        font = style.font
        font.size = Pt(SIZE[spec["size"]])
        font.bold = spec.get("bold", False)
        _fonts(style.element.get_or_add_rPr(), spec["font"],
               spec.get("latin", LATIN_SANS if spec["font"] == HEI else LATIN_SERIF))
        if spec.get("letter_spacing"):
            spacing = OxmlElement("w:spacing")
            spacing.set(qn("w:val"), str(spec["letter_spacing"] * 20))
            style.element.get_or_add_rPr().append(spacing)
        if spec.get("superscript"):
            font.superscript = True
        if spec.get("color"):
            font.color.rgb = spec["color"]
        if kind == WD_STYLE_TYPE.CHARACTER:
            continue
        style.base_style = normal
        fmt = style.paragraph_format
        fmt.space_before = Pt(spec.get("before", 0))
        fmt.space_after = Pt(spec.get("after", 0))
        if spec.get("keep"):
            fmt.keep_with_next = True
        if spec.get("page_break"):
            fmt.page_break_before = True
        align = spec.get("align")
        if align:
            fmt.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        elif spec.get("justify"):
            fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        p_pr = style.element.get_or_add_pPr()
        if spec.get("indent"):
            _indent(p_pr, first_chars=200)
        if spec.get("hanging"):
            left, hanging = spec["hanging"]
            fmt.left_indent = Mm(left + hanging)
            fmt.first_line_indent = Mm(-hanging)
        if "outline" in spec:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(spec["outline"]))
            p_pr.append(level)
        if "toc" in spec:
            fmt.left_indent = Mm(spec["toc"] * 2)
            fmt.tab_stops.add_tab_stop(Mm(LINE_MM), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
        if spec.get("formula"):
            fmt.tab_stops.add_tab_stop(Mm(LINE_MM / 2), WD_TAB_ALIGNMENT.CENTER)
            fmt.tab_stops.add_tab_stop(Mm(LINE_MM), WD_TAB_ALIGNMENT.RIGHT)
        if spec.get("rule"):
            _border(p_pr, "bottom")
        if spec.get("end_line"):
            fmt.left_indent = Mm(LINE_MM * 3 / 8)
            fmt.right_indent = Mm(LINE_MM * 3 / 8)
            _border(p_pr, "top")
        if spec.get("shade"):
            shading = OxmlElement("w:shd")
            for key, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", spec["shade"])):
                shading.set(qn(key), value)
            p_pr.append(shading)


def _indent(p_pr, first_chars: int) -> None:
    indent = OxmlElement("w:ind")
    indent.set(qn("w:firstLineChars"), str(first_chars))    # Word: two characters
    indent.set(qn("w:firstLine"), str(round(first_chars / 100 * SIZE["五号"] * 20)))   # others
    p_pr.append(indent)


def _border(p_pr, side: str) -> None:
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        line.set(qn(key), value)
    borders.append(line)
    p_pr.append(borders)


# ---------------------------------------------------------------- schema order

# Word rejects a file whose property elements are out of the schema's order (LibreOffice
# does not mind); python-docx keeps the order for the elements it knows, and the writer
# appends the others. One pass at the end puts every w:pPr and w:rPr in order.
_PPR_ORDER = ("pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
              "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
              "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
              "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
              "rPr sectPr pPrChange").split()
_RPR_ORDER = ("rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
              "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
              "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath "
              "rPrChange").split()
_RANKS = {qn("w:pPr"): {qn(f"w:{t}"): n for n, t in enumerate(_PPR_ORDER)},
          qn("w:rPr"): {qn(f"w:{t}"): n for n, t in enumerate(_RPR_ORDER)}}
# settings.xml: w:updateFields comes before these
_AFTER_UPDATE_FIELDS = [qn(f"w:{t}") for t in (
    "hdrShapeDefaults footnotePr endnotePr compat docVars rsids attachedSchema themeFontLang "
    "clrSchemeMapping doNotIncludeSubdocsInStats doNotAutoCompressPictures forceUpgrade captions "
    "readModeInkLockDown smartTagType schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol "
    "listSeparator").split()] + ["{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"]


def _schema_order(root) -> None:
    for tag, ranks in _RANKS.items():
        for properties in root.iter(tag):
            children = list(properties)
            ordered = sorted(children, key=lambda child: ranks.get(child.tag, len(ranks)))
            if ordered != children:
                for child in ordered:
                    properties.append(child)


def _update_fields_on_open(settings) -> None:
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    following = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if following is not None:
        following.addprevious(update)
    else:
        settings.append(update)


# ---------------------------------------------------------------- fields and sections

def _field(paragraph: WordParagraph, instruction: str, shown_text: str = "", style: str | None = None):
    """A complex field (begin, instruction, separate, cached result, end) in a paragraph."""
    def run(child):
        r = OxmlElement("w:r")
        if style:
            r_pr = OxmlElement("w:rPr")
            r_style = OxmlElement("w:rStyle")
            r_style.set(qn("w:val"), style)
            r_pr.append(r_style)
            r.append(r_pr)
        r.append(child)
        paragraph._p.append(r)

    def char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    run(char("begin"))
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run(text)
    run(char("separate"))
    if shown_text:
        t = OxmlElement("w:t")
        t.text = shown_text
        run(t)
    run(char("end"))


def _field_char(paragraph: WordParagraph, kind: str) -> None:
    r = OxmlElement("w:r")
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    if kind == "begin":
        element.set(qn("w:dirty"), "true")   # Word updates the 目次 when the file opens
    r.append(element)
    paragraph._p.append(r)


def _instruction(paragraph: WordParagraph, instruction: str) -> None:
    r = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    r.append(text)
    paragraph._p.append(r)


def _page_numbers(section, fmt: str) -> None:
    """``w:pgNumType`` (no python-docx API): page numbers in ``fmt`` from 1."""
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    element = OxmlElement("w:pgNumType")
    element.set(qn("w:fmt"), fmt)
    element.set(qn("w:start"), "1")
    # schema order: … w:lnNumType, w:pgNumType, w:cols …
    cols = sect_pr.find(qn("w:cols"))
    if cols is not None:
        cols.addprevious(element)
    else:
        sect_pr.append(element)


def _page_setup(section) -> None:
    section.page_width, section.page_height = PAGE["width"], PAGE["height"]
    section.top_margin, section.bottom_margin = PAGE["top"], PAGE["bottom"]
    section.left_margin, section.right_margin = PAGE["left"], PAGE["right"]
    section.header_distance, section.footer_distance = PAGE["header"], PAGE["footer"]


def _running_heads(section, text: str, mark: str = "") -> None:
    """Designation in the header and the page number in the footer, on the outer side:
    odd pages right, even pages left; a draft's ``mark`` in red in the middle of the header."""
    for header, footer, align in ((section.header, section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                                  (section.even_page_header, section.even_page_footer,
                                   WD_ALIGN_PARAGRAPH.LEFT)):
        header.is_linked_to_previous = False
        footer.is_linked_to_previous = False
        top = header.paragraphs[0]
        if mark:     # one line: designation and mark placed by a centre and a right tab
            top.paragraph_format.tab_stops.add_tab_stop(Mm(LINE_MM / 2), WD_TAB_ALIGNMENT.CENTER)
            top.paragraph_format.tab_stops.add_tab_stop(Mm(LINE_MM), WD_TAB_ALIGNMENT.RIGHT)
            outer = align == WD_ALIGN_PARAGRAPH.RIGHT
            top.add_run("\t")
            marked = top.add_run(mark)
            marked.font.bold = True
            marked.font.color.rgb = DRAFT_RED
            top.add_run("\t" + text if outer else "\t")
            if not outer:
                top.runs[0].text = text + "\t"
        else:
            top.text = text
            top.alignment = align
        for run in top.runs:
            run.font.size = Pt(SIZE["五号"])
            _fonts(run._r.get_or_add_rPr(), HEI, LATIN_SANS)
        if text:
            _border(top._p.get_or_add_pPr(), "bottom")
        bottom = footer.paragraphs[0]
        bottom.alignment = align
        _field(bottom, "PAGE", "1")
        for r in bottom._p.findall(qn("w:r")):
            size = OxmlElement("w:sz")
            size.set(qn("w:val"), str(int(SIZE["小五"] * 2)))
            r_pr = r.find(qn("w:rPr"))
            if r_pr is None:
                r_pr = OxmlElement("w:rPr")
                r.insert(0, r_pr)
            r_pr.append(size)


# ---------------------------------------------------------------- the writer

class _Writer:
    def __init__(self, doc: Document, doctree: nodes.document | None = None, open_findings: int = 0):
        self.doc = doc
        self.mark = OPEN_FINDINGS.format(open_findings) if open_findings else ""
        self.source = SourceInline.of(doctree)
        self.pending = list(self.source.display)
        self.targets = targets(doc)               # what a cross-reference can point at
        self.footnotes = None                     # the footnotes part, made at the first footnote
        self._targets_written: set[str] = set()   # cross-reference bookmarks placed
        self.word = WordDocument()
        self.bookmarks: dict[int, str] = {}       # clause line → bookmark name (目次 page numbers)
        self._bookmark_id = 0
        self.maths: dict[str, object] = {}

    # ------------------------------------------------ whole document

    def write(self):
        doc, word = self.doc, self.word
        self._convert_maths()
        _define_styles(word)
        self.ids = {style.name: style.style_id for style in word.styles}
        settings = word.settings
        settings.odd_and_even_pages_header_footer = True
        _update_fields_on_open(settings.element)   # Word offers to update the 目次 on opening
        word.core_properties.title = doc.meta.title or doc.title
        word.core_properties.subject = doc.meta.designation
        word.core_properties.language = "zh-CN"
        _page_setup(word.sections[0])
        body = word.element.body
        for child in list(body):          # the template's empty paragraph
            if child.tag == qn("w:p"):
                body.remove(child)
        self._cover()
        front = [c for c in doc.clauses if c.kind in ("foreword", "introduction")]
        rest = [c for c in doc.clauses if c not in front]
        heads = doc.meta.designation if not doc.is_notes else ""
        if not doc.is_notes:
            self._new_section()
            _page_numbers(word.sections[-1], "upperRoman")
            self._toc()
            for clause in front:
                self._clause(clause)
        else:
            rest = doc.clauses
        self._new_section()
        _page_numbers(word.sections[-1], "decimal")
        for section in word.sections[1:2]:
            _running_heads(section, heads, self.mark)
        self._paragraph(doc.meta.title or doc.title if not doc.is_notes else notes_subject(doc)
                        + NOTES_KIND, ws.BODY_TITLE)
        for clause in rest:
            self._clause(clause)
        self._display_maths(None)
        if not doc.is_notes:
            self._paragraph("", ws.END_LINE)
        _schema_order(word.styles.element)
        _schema_order(word.element)
        for section in word.sections[1:2]:
            for part in (section.header, section.even_page_header, section.footer, section.even_page_footer):
                _schema_order(part._element)
        return word

    def _new_section(self) -> None:
        """A section break on a new page, kept in the last paragraph of the section that ends
        (python-docx adds an empty paragraph for it, which would print as a blank line)."""
        self.word.add_section(WD_SECTION.NEW_PAGE)
        holder = self.word.element.body.findall(qn("w:p"))[-1]
        previous = holder.getprevious()
        if previous is not None and previous.tag == qn("w:p") and (
                previous.pPr is None or previous.pPr.sectPr is None):
            previous.set_sectPr(holder.pPr.sectPr)
            holder.getparent().remove(holder)
        else:
            holder.get_or_add_pPr().style = self.ids[ws.PARAGRAPH]

    def _convert_maths(self) -> None:
        latexes = [latex for _, latex in self.source.display]
        latexes += [piece.text for found in self.source.inline.values() for piece in found
                    if piece.kind == "math"]
        for formula in self.doc.formulas:
            latexes.append(formula.latex)
            latexes += [symbol.symbol for symbol in formula.symbols]
        unique = list(dict.fromkeys(latexes))
        self.maths = dict(zip(unique, omml.convert(unique, self.doc.path)))

    # ------------------------------------------------ cover and 目次

    def _cover(self) -> None:
        doc, meta = self.doc, self.doc.meta
        if self.mark:
            self._paragraph(self.mark, ws.COVER_EXTRA["open_findings"])
        if doc.is_notes:
            subject = notes_subject(doc)
            lines = [part for part in subject.split(IDEOGRAPHIC_SPACE) if part.strip()] or [subject]
            title = self._paragraph(lines[0], ws.COVER["title"])
            for line in lines[1:] + [NOTES_KIND]:
                title.add_run().add_break()
                title.add_run(line)
            if meta.stage:
                self._paragraph(f"（{meta.stage}）", ws.COVER_EXTRA["stage"])
            group = meta.drafting_group or (f"编制组{GAP_TEXT}" if "drafting_group" in meta.gaps else "")
            date = meta.date or (f"日期{GAP_TEXT}" if "date" in meta.gaps else "")
            for line in (group, date):
                if line:
                    self._paragraph(line, ws.COVER["issuer"])
            return
        ccs_label = "CCS " if meta.profile == "2020" else ""
        self._paragraph(f"ICS {shown(doc, 'ics')}", ws.COVER_EXTRA["classification"])
        self._paragraph(f"{ccs_label}{shown(doc, 'ccs')}", ws.COVER_EXTRA["classification"])
        self._paragraph(family_line(doc), ws.COVER["family"])
        self._paragraph(shown(doc, "designation"), ws.COVER["designation"])
        self._paragraph(f"代替 {'、'.join(meta.replaces)}" if meta.replaces else "", ws.COVER["replaces"])
        title = meta.title or doc.title
        elements = [element for element in title.split(IDEOGRAPHIC_SPACE) if element.strip()] or [title]
        paragraph = self._paragraph(elements[0], ws.COVER["title"])
        for element in elements[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run(element)
        self._paragraph(shown(doc, "title_en"), ws.COVER["title_en"])
        lines = stage_lines(doc)
        if lines:
            self._paragraph(lines[0], ws.COVER_EXTRA["stage"])
            for line in lines[1:]:
                self._paragraph(line, ws.COVER_EXTRA["patent"])
        dates = self._paragraph(f"{shown(doc, 'issued')}发布", ws.COVER["issue_date"])
        # the space above the dates keeps them low on the cover; what is printed above them in
        # addition (a draft's mark, a title of more than two lines) comes off it, so that the
        # issuer stays on the cover
        room = (200 if not lines else 150) - (36 if self.mark else 0) - 32 * max(0, len(elements) - 2)
        dates.paragraph_format.space_before = Pt(max(room, 12))
        dates.paragraph_format.tab_stops.add_tab_stop(Mm(LINE_MM), WD_TAB_ALIGNMENT.RIGHT)
        dates.add_run("\t")
        self._run(dates, f"{shown(doc, 'implemented')}实施", ws.COVER["implementation_date"])
        for issuer in meta.issuer or [shown(doc, "issuer")]:
            self._paragraph(issuer, ws.COVER["issuer"])

    def _toc(self) -> None:
        """目次: a TOC field (levels 1–2 by outline level) that Word updates when the file
        opens (``w:dirty``, ``w:updateFields``). Its cached result lists the entries of the
        PDF's 目次, each with a PAGEREF field to a bookmark on its heading, left empty: the
        page numbers appear when the fields are updated (Word on opening; LibreOffice shows a
        TOC's cached result as it is, until 工具 → 更新 → 全部更新)."""
        self._paragraph("目　　次", ws.TOC_TITLE)
        entries = toc_entries(self.doc, {})
        lines = {}
        for clause in self.doc.clauses:
            lines[heading_label(clause)] = clause.line
            for child in clause.children:
                lines.setdefault(heading_label(child), child.line)
        first = True
        for entry in entries:
            paragraph = self._paragraph("", ws.TOC_ENTRY[entry["level"]])
            if first:
                _field_char(paragraph, "begin")
                _instruction(paragraph, 'TOC \\o "1-2" \\h \\u')
                _field_char(paragraph, "separate")
                first = False
            paragraph.add_run(entry["label"] + "\t")
            name = self._bookmark_name(lines.get(entry["label"], 0))
            _field(paragraph, f"PAGEREF {name} \\h")   # Word fills the numbers in
        paragraph = self._paragraph("", ws.TOC_ENTRY[1])
        if first:
            _field_char(paragraph, "begin")
            _instruction(paragraph, 'TOC \\o "1-2" \\h \\u')
            _field_char(paragraph, "separate")
        _field_char(paragraph, "end")

    def _bookmark_name(self, line: int) -> str:
        if line not in self.bookmarks:
            self.bookmarks[line] = f"_Toc_gbstd_{len(self.bookmarks) + 1}"
        return self.bookmarks[line]

    def _bookmark(self, paragraph: WordParagraph, line: int) -> None:
        if line not in self.bookmarks:
            return
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), self.bookmarks[line])
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        p_pr = paragraph._p.find(qn("w:pPr"))
        if p_pr is not None:
            p_pr.addnext(start)
        else:
            paragraph._p.insert(0, start)
        paragraph._p.append(end)

    # ------------------------------------------------ clauses

    def _paragraph(self, text: str, style: str) -> WordParagraph:
        paragraph = self.word.add_paragraph()
        self._style(paragraph, style)
        if text:
            paragraph.add_run(text)
        return paragraph

    def _style(self, paragraph: WordParagraph, style: str) -> None:
        """Set a paragraph style by its id (python-docx's lookup by name is slow)."""
        paragraph._p.get_or_add_pPr().style = self.ids[style]

    def _run(self, paragraph: WordParagraph, text: str, style: str):
        run = paragraph.add_run(text)
        run._r.get_or_add_rPr().style = self.ids[style]
        return run

    def _clause(self, clause: Clause, annex: bool = False) -> None:
        annex = annex or clause.kind == "annex"
        blocks = list(clause.blocks)
        self._display_maths(clause.line)
        heading = self._heading(clause, annex, blocks)
        self._bookmark(heading, clause.line)
        for block in blocks:
            self._block(block, clause, annex)
        for child in clause.children:
            self._clause(child, annex)

    def _heading(self, clause: Clause, annex: bool, blocks: list) -> WordParagraph:
        kind = clause.kind
        if kind == "annex":
            paragraph = self._paragraph("", ws.ANNEX_LABEL)
            self._target(paragraph, "附录", clause.annex_letter, "", "a")
            for line in (clause.annex_role_label, clause.title):
                paragraph.add_run().add_break()
                paragraph.add_run(line)
            return paragraph
        if kind in CENTRED_HEADINGS:
            style = {"foreword": ws.FOREWORD_TITLE, "introduction": ws.INTRODUCTION_TITLE,
                     "bibliography": ws.BIBLIOGRAPHY_TITLE, "index": ws.BIBLIOGRAPHY_TITLE}[kind]
            return self._paragraph(CENTRED_HEADINGS[kind], style)
        if kind == "section" or not clause.number:    # notes: unnumbered headings
            depth = max(1, clause.heading_level - 1)
            style = ws.CHAPTER if depth == 1 else ws.CLAUSE[min(depth - 1, 5)]
            return self._paragraph(clause.title or clause.heading, style)
        depth = clause.number.count(".") - (1 if annex else 0)    # 0: chapter / A.1
        if not clause.title and kind != "chapter" and depth >= 1:
            paragraph = self._paragraph("", ws.UNTITLED_CLAUSE[min(depth, 5)])
            self._target(paragraph, "", clause.number, "", "c")
            if blocks and isinstance(blocks[0], Paragraph) and blocks[0].kind == "text":
                first = blocks.pop(0)
                self._runs(paragraph, IDEOGRAPHIC_SPACE + first.text, first.line)
            return paragraph
        if annex:
            style = ws.ANNEX_CHAPTER if depth == 0 else ws.ANNEX_CLAUSE[min(depth, 5)]
        else:
            style = ws.CHAPTER if depth == 0 else ws.CLAUSE[min(depth, 5)]
        paragraph = self._paragraph("", style)
        title = f"{IDEOGRAPHIC_SPACE}{clause.title}".rstrip()
        self._target(paragraph, "", clause.number, title, "c")
        return paragraph

    # ------------------------------------------------ blocks

    def _display_maths(self, before: int | None) -> None:
        """The ```{math}``` blocks of the source above line ``before`` (all when None), not yet written."""
        while self.pending and (before is None or self.pending[0][0] < before):
            _, latex = self.pending.pop(0)
            paragraph = self._paragraph("\t", ws.FORMULA)
            self._maths(paragraph, latex)

    def _runs(self, paragraph: WordParagraph, text: str, line: int, pieces=None,
              table_notes: list | None = None) -> None:
        """Text with what its source line has inline (or ``pieces``, a table cell's):
        ``{math}`` roles as Word equations, emphasis as runs with that property, footnote
        references as Word footnotes — in a table (``table_notes``) as the footnote's label
        in superscript, the footnote collected to print under the table; and its
        cross-references to this document as REF fields (``_pieces``)."""
        pieces = self.source.inline.get(line, []) if pieces is None else pieces
        for start, end, kind, payload in self._pieces(text, pieces):
            piece = text[start:end]
            if kind == "text":
                paragraph.add_run(piece)
            elif kind == "math":
                self._maths(paragraph, piece)
            elif kind == "footnote" and table_notes is not None:
                paragraph.add_run(payload.label).font.superscript = True
                table_notes.append(payload)
            elif kind == "footnote":
                self._footnote(paragraph, payload.note)
            elif kind == "ref":
                _field(paragraph, f"REF {payload} \\h", piece)
            else:
                run = paragraph.add_run(piece)
                if kind == "strong":
                    run.bold = True
                elif kind == "emphasis":
                    run.italic = True
                elif kind == "subscript":
                    run.font.subscript = True
                elif kind == "superscript":
                    run.font.superscript = True

    def _pieces(self, text: str, pieces: list) -> list[tuple[int, int, str, object]]:
        """``text`` cut into (start, end, kind, payload): the inline pieces of its source line
        where they are (found by their offset from the end of the paragraph, which a list
        marker or a run-in clause number in front does not change; else by their text),
        cross-references in the plain stretches between them, plain text elsewhere."""
        marked = []
        cursor = 0
        length = len(text.rstrip())
        for piece in pieces:
            at = length - piece.from_end
            if at < cursor or not text.startswith(piece.text, at):
                at = text.find(piece.text, cursor)
                if at < 0 or not piece.text:
                    continue
            marked.append((at, at + len(piece.text), piece.kind, piece))
            cursor = at + len(piece.text)
        out = []
        cursor = 0
        for start, end, kind, payload in marked + [(len(text), len(text), "", "")]:
            plain = text[cursor:start]
            at = 0
            for ref_start, ref_end, name in references(plain, self.targets):
                out.append((cursor + at, cursor + ref_start, "text", ""))
                out.append((cursor + ref_start, cursor + ref_end, "ref", name))
                at = ref_end
            out.append((cursor + at, start, "text", ""))
            if kind:
                out.append((start, end, kind, payload))
            cursor = end
        return [piece for piece in out if piece[0] < piece[1]]

    def _footnote(self, paragraph: WordParagraph, note: str) -> None:
        """A Word footnote with ``note`` as its text, referred to here. The mark is Word's own
        number (renumbered when footnotes are added in Word) followed by “)”, as GB/T 1.1
        prints text footnotes (1)、2)…)."""
        if self.footnotes is None:
            self.footnotes = _footnotes_part(self.word)
        number = len(self.footnotes) - 1          # after the two separators
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(number))
        self._mark(paragraph._p, reference)
        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(number))
        for n, text in enumerate(note.split("\n") or [""]):
            p = OxmlElement("w:p")
            footnote.append(p)
            p_pr = OxmlElement("w:pPr")
            p_style = OxmlElement("w:pStyle")
            p_style.set(qn("w:val"), self.ids[ws.FOOTNOTE_TEXT])
            p_pr.append(p_style)
            p.append(p_pr)
            if n == 0:
                self._mark(p, OxmlElement("w:footnoteRef"))
                text = "\u3000" + text
            r = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            r.append(t)
            p.append(r)
        self.footnotes.append(footnote)

    def _mark(self, parent, element) -> None:
        """A footnote mark (reference or footnoteRef) and its “)”, in the footnote reference style."""
        for child in (element, None):
            r = OxmlElement("w:r")
            r_pr = OxmlElement("w:rPr")
            r_style = OxmlElement("w:rStyle")
            r_style.set(qn("w:val"), self.ids[ws.FOOTNOTE_REFERENCE])
            r_pr.append(r_style)
            r.append(r_pr)
            if child is None:
                child = OxmlElement("w:t")
                child.text = FOOTNOTE_CLOSE
            r.append(child)
            parent.append(r)

    def _target(self, paragraph: WordParagraph, before: str, number: str, after: str, kind: str) -> None:
        """``before`` + ``number`` + ``after`` as runs, the number inside a bookmark that
        cross-references (REF fields) point at."""
        if before:
            paragraph.add_run(before)
        name = bookmark_name(kind, number)
        if name in self._targets_written:      # a number twice (a defect the checker reports): the first
            paragraph.add_run(number + after)
            return
        self._targets_written.add(name)
        self._bookmark_id += 1
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), str(self._bookmark_id))
        start.set(qn("w:name"), name)
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), str(self._bookmark_id))
        paragraph._p.append(start)
        paragraph.add_run(number)
        paragraph._p.append(end)
        if after:
            paragraph.add_run(after)

    def _block(self, block, clause: Clause, annex: bool) -> None:
        self._display_maths(getattr(block, "line", 0) or None)
        if isinstance(block, Paragraph):
            self._text(block, clause)
        elif isinstance(block, ListBlock):
            self._items(block.items, 1)
        elif isinstance(block, Term):
            self._term(block)
        elif isinstance(block, IndicatorTable):
            self._indicator_table(block, annex)
        elif isinstance(block, Table):
            self._plain_table(block, annex)
        elif isinstance(block, Formula):
            self._formula(block, annex)
        elif isinstance(block, Gap):
            if not block.inline:          # an inline gap is printed inside its paragraph
                self._paragraph(f"〔原文缺失〕{block.text}", ws.GAP)
        elif isinstance(block, Framework):
            for node in framework_nodes(block).children:
                self._paragraph(node.astext(), ws.TABLE_NOTE)

    def _text(self, block: Paragraph, clause: Clause) -> None:
        if block.kind == "note":
            style = ws.NOTE_NUMBERED if re.search(r"\d", block.label) else ws.NOTE
        elif block.kind == "example":
            style = ws.EXAMPLE_NUMBERED if re.search(r"\d", block.label) else ws.EXAMPLE
        elif clause.kind == "bibliography":
            style = ws.BIBLIOGRAPHY_ENTRY
        else:
            style = ws.PARAGRAPH
        self._runs(self._paragraph("", style), block.text, block.line)

    def _items(self, items: list[ListItem], level: int) -> None:
        for item in items:
            kind = marker_kind(item.marker)
            if item.level >= 3 or level >= 3:
                style = ws.LIST_ITEM["level3"]
            elif level == 2 or item.level == 2:
                style = ws.LIST_ITEM["dash2" if kind in ("dash", "dot", "other") else "number"]
            else:
                style = ws.LIST_ITEM[{"letter": "letter", "number": "number1"}.get(kind, "dash")]
            separator = "" if kind == "dash" else " "
            self._runs(self._paragraph("", style), f"{item.marker}{separator}{item.text}", item.line)
            self._items(item.children, level + 1)

    def _term(self, term: Term) -> None:
        depth = max(1, min(term.number.count("."), 5))
        paragraph = self._paragraph(term.number, ws.TERM_ENTRY[depth])
        paragraph.add_run().add_break()
        paragraph.add_run(term.term + (f"{IDEOGRAPHIC_SPACE}{term.symbol}" if term.symbol else ""))
        if term.en:
            paragraph.add_run(IDEOGRAPHIC_SPACE)
            self._run(paragraph, term.en, ws.TERM_EN)
        if term.definition:
            self._runs(self._paragraph("", ws.PARAGRAPH), term.definition, term.definition_line)
        for note in term.extra:
            self._paragraph(note.text, ws.PARAGRAPH)
        for note in term.examples:
            self._text(note, Clause(kind="chapter", title="", line=0, heading_level=2))
        for note in term.notes:
            self._text(note, Clause(kind="chapter", title="", line=0, heading_level=2))
        if term.source:
            text = term.source_written or f"[来源：{term.source}{'，有修改' if term.modified else ''}]"
            self._run(self._paragraph("", ws.PARAGRAPH), text, ws.SOURCE)

    # ------------------------------------------------ tables

    def _table_title(self, number: str, caption: str, annex: bool) -> None:
        style = ws.ANNEX_TABLE_TITLE if annex else ws.TABLE_TITLE
        if number:
            self._target(self._paragraph("", style), "表", number,
                         f"{IDEOGRAPHIC_SPACE}{caption}".rstrip(), "t")
        elif caption:
            self._paragraph(caption, style)

    def _new_table(self, rows: int, widths_mm: list[float]):
        table = self.word.add_table(rows=rows, cols=len(widths_mm))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        grid = table._tbl.tblGrid
        for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
            col.set(qn("w:w"), str(int(Mm(width).twips)))
        for row in table.rows:
            row_pr = row._tr.get_or_add_trPr()
            row_pr.append(OxmlElement("w:cantSplit"))
            for cell, width in zip(row.cells, widths_mm):
                cell.width = Mm(width)
        return table

    def _cell_text(self, cell, text: str, centred: bool, notes: list | None = None) -> None:
        """A cell's text; with ``notes`` (a plain table's cells), what its source has inline
        too (emphasis, equations, cross-references, table footnotes into ``notes``)."""
        paragraph = cell.paragraphs[0]
        self._style(paragraph, ws.TABLE_TEXT)
        pieces = self.source.cell(text) if notes is not None else []
        if pieces:
            self._runs(paragraph, text, 0, pieces, notes)
        else:
            lines = text.split("\n")
            paragraph.add_run(lines[0])
            for line in lines[1:]:
                paragraph.add_run().add_break()
                paragraph.add_run(line)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    @staticmethod
    def _repeat_header(row) -> None:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))

    def _indicator_table(self, model: IndicatorTable, annex: bool) -> None:
        self._table_title(model.number, model.caption, annex)
        roles = table_columns(model)
        headers = table_headers(model)
        rows = table_rows(model)
        relative = indicator_column_widths(roles, headers, rows)
        widths = [LINE_MM * w / sum(relative) for w in relative]
        table = self._new_table(len(rows) + 2, widths)
        word_rows = table.rows
        header_cells = word_rows[0].cells
        for cell, text in zip(header_cells, headers):
            self._cell_text(cell, text, True)
        self._repeat_header(word_rows[0])
        open_spans: dict[int, int] = {}          # column → rows still covered by a merged cell
        for index, row in enumerate(rows, start=1):
            cells = word_rows[index].cells
            for col, (role, cell) in enumerate(zip(roles, row)):
                if cell is None:
                    cells[col]._tc.vMerge = "continue"
                    self._style(cells[col].paragraphs[0], ws.TABLE_TEXT)
                    continue
                text, span = cell
                self._cell_text(cells[col], text, role in CENTRED_COLUMNS)
                if span > 1:
                    cells[col]._tc.vMerge = "restart"
        # 合计: spans the columns before 分值
        unknown = any(i.points is None and not i.veto for i in model.indicators)
        total = None if unknown else sum(i.points for i in model.indicators if i.points is not None)
        points_at = roles.index("points")
        last = word_rows[-1]
        cells = last.cells
        self._cell_text(cells[0], "合计", True)
        self._cell_text(cells[points_at], format_points(total), True)
        for cell in cells[points_at + 1:]:
            self._style(cell.paragraphs[0], ws.TABLE_TEXT)
        if points_at > 1:
            _grid_span(cells[0], cells[1:points_at], sum(widths[:points_at]))
        note = grades_note(model)
        if note is not None:
            for child in note.children:
                self._paragraph(child.astext(), ws.TABLE_NOTE)

    def _plain_table(self, model: Table, annex: bool) -> None:
        self._table_title(model.number, model.caption, annex)
        if not model.rows:
            return
        columns = max(len(row) for row in model.rows)
        lengths = [max((len(row[c]) if c < len(row) else 0) for row in model.rows) for c in range(columns)]
        weights = [min(max(length, 4), 40) for length in lengths]
        widths = [LINE_MM * w / sum(weights) for w in weights]
        table = self._new_table(len(model.rows), widths)
        notes: list = []
        for index, (row, word_row) in enumerate(zip(model.rows, table.rows)):
            header = model.has_header and index == 0
            for text, cell in zip(row, word_row.cells):
                self._cell_text(cell, text, header, notes)
            if header:
                self._repeat_header(word_row)
        for note in notes:      # the table's footnotes, under it (GB/T 1.1: labelled a, b, c …)
            paragraph = self._paragraph("", ws.TABLE_NOTE)
            paragraph.add_run(note.label).font.superscript = True
            paragraph.add_run(IDEOGRAPHIC_SPACE + note.note)

    # ------------------------------------------------ formulas

    def _maths(self, paragraph: WordParagraph, latex: str) -> None:
        element = self.maths.get(latex)
        if element is None:
            paragraph.add_run(latex)
        else:
            paragraph._p.append(copy.deepcopy(element))

    def _formula(self, model: Formula, annex: bool) -> None:
        paragraph = self._paragraph("\t", ws.ANNEX_FORMULA if annex else ws.FORMULA)
        self._maths(paragraph, model.latex)
        if model.number:
            self._target(paragraph, "\t（", model.number, "）", "f")
        if model.restored:
            self._paragraph(f"〔复原〕{model.restored}", ws.GAP)
        if not model.symbols:
            return
        self._paragraph("式中：", ws.FORMULA_WHERE)
        for n, symbol in enumerate(model.symbols):
            line = self._paragraph("", ws.FORMULA_WHERE)
            self._maths(line, symbol.symbol)
            text = f"——{symbol.meaning}"
            if symbol.unit:
                text += f"，单位为{symbol.unit}"
            line.add_run(text + ("。" if n == len(model.symbols) - 1 else "；"))


def _footnotes_part(word):
    """The footnotes part (python-docx has no footnote API): Word's separator and
    continuation separator (ids -1 and 0), related from the document; returns its root,
    to which the writer appends ``w:footnote`` elements numbered from 1."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    root = parse_xml(
        f'<w:footnotes xmlns:w="{w}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
        'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" '
        'w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
        '</w:footnotes>')
    part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, root, word.part.package)
    word.part.relate_to(part, RT.FOOTNOTES)
    return root


def _grid_span(first, others, width_mm: float) -> None:
    """Merge ``first`` with the cells right of it in its row (w:gridSpan)."""
    first._tc.grid_span = len(others) + 1
    first.width = Mm(width_mm)
    for cell in others:
        cell._tc.getparent().remove(cell._tc)


# ---------------------------------------------------------------- entry points

def build(doc: Document, doctree: nodes.document | None = None, open_findings: int = 0):
    """The python-docx Document for a model (not saved); with the doctree the model was
    built from, ``{math}`` roles and blocks become equations too, emphasis, footnotes and
    cross-references Word's. ``open_findings`` (a draft): the cover and every page's header
    say 含未解决的检查结果（N 条）."""
    return _Writer(doc, doctree, open_findings).write()


def write(doc: Document, target: str | Path, doctree: nodes.document | None = None,
          open_findings: int = 0) -> None:
    """Write ``doc`` as .docx into ``target``, whole or not at all."""
    word = build(doc, doctree, open_findings)
    replace_atomically(target, lambda temporary: word.save(str(temporary)))


def target_name(doc: Document) -> str:
    """``<slug>-standard.docx`` / ``<slug>-notes.docx``: the names the PDFs have."""
    return f"{doc.slug}-{'notes' if doc.is_notes else 'standard'}.docx"
