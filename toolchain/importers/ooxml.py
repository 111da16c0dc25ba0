"""Reading a .docx package: the body as a flat list of paragraphs and tables.

Word keeps what a reader sees in several parts: the text in word/document.xml, style
names and style-linked numbering in word/styles.xml, automatic numbers in
word/numbering.xml (the number is not in the text), images in word/media/ through the
relationships. This module resolves all of that into plain records (``Para``, ``Grid``)
that the importer maps onto the GB/T 1.1 structure; it knows nothing about standards.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from ..findings import SourceError
from .numbering import Numbering

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS = {"w": W, "m": M, "r": R, "a": A, "v": V}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Math:
    """One OMML formula: the element, and whether it stands as a display (oMathPara or alone)."""
    element: etree._Element
    display: bool
    latex: str = ""


@dataclass
class Para:
    index: int                      # paragraph number in the document (1-based, reading order)
    text: str                       # with math written as \x00k\x00 (index into Package.maths)
    style: str = ""                 # style name (not id)
    outline: int | None = None      # outline level 0–8 from the paragraph or its style
    label: str = ""                 # the automatic number Word prints before the text
    num_format: str = ""            # numFmt of that number (decimal, lowerLetter, bullet…)
    num_level: int = 0
    bold: bool = False              # every visible run bold
    centered: bool = False
    # emphasis: (strong|emphasis|subscript|superscript, text, the few characters before it)
    marks: list[tuple[str, str, str]] = field(default_factory=list)
    images: list[str] = field(default_factory=list)   # part names of embedded images
    unmapped: list[str] = field(default_factory=list)  # what was found but cannot be mapped

    @property
    def plain(self) -> str:
        """The text without math and footnote placeholders."""
        return re.sub(r"\x00\d+\x00|\x01\d+\x01", "", self.text).strip()

    @property
    def maths(self) -> list[int]:
        return [int(k) for k in re.findall(r"\x00(\d+)\x00", self.text)]


@dataclass
class Cell:
    paras: list[Para]
    rowspan: int = 1
    colspan: int = 1

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paras if p.text.strip()).strip()


@dataclass
class Grid:
    """A table: rows of cells; a merged cell appears once, with its spans."""
    index: int                      # paragraph number of its first cell paragraph
    rows: list[list[Cell | None]]   # None where a cell above or to the left spans into the slot
    header_rows: int = 0            # rows marked to repeat as header (w:tblHeader)


@dataclass
class Package:
    path: str
    blocks: list[Para | Grid]
    maths: list[Math]
    media: dict[str, bytes]
    core_title: str = ""
    footnotes: list[str] = field(default_factory=list)   # texts of the footnotes referred to (\x01k\x01)


def check_container(path: str, data: bytes) -> None:
    """Refuse what is not a .docx before unzipping it: binary Word, encrypted files, others."""
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptionInfo" in data \
                or "EncryptionInfo".encode("utf-16-le") in data:
            raise SourceError(path, 1, "IMPORT-002", "文件设有打开密码（加密的 Word 文件），无法读取",
                              "在 Word 中取消密码（文件 → 信息 → 保护文档 → 用密码进行加密，清空密码）后另存为 .docx 再导入")
        raise SourceError(path, 1, "IMPORT-002", "这是旧版二进制 Word 文件（.doc），不是 .docx",
                          "在 Word 或 LibreOffice 中打开并另存为 .docx（Word 文档）后再导入，"
                          "例如 soffice --headless --convert-to docx 文件.doc")
    if not data.startswith(ZIP_MAGIC):
        raise SourceError(path, 1, "IMPORT-001", "文件不是 .docx（不是 Word 2007 及以后的 ZIP 包）",
                          "确认文件是 Word 文档；若是其他格式，先在 Word 中另存为 .docx")


def read(path: str) -> Package:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise SourceError(path, 1, "FILE-002", f"无法读取文件：{exc.strerror}", "检查路径是否正确") from None
    check_container(path, data)
    try:
        archive = zipfile.ZipFile(path)
        names = set(archive.namelist())
        main = _main_part(archive, names)
        document = _xml(archive, main, path)
        styles = Styles(_xml(archive, "word/styles.xml", path) if "word/styles.xml" in names else None)
        numbering = Numbering(_xml(archive, "word/numbering.xml", path)
                              if "word/numbering.xml" in names else None, styles)
        rels = _relationships(archive, main, names, path)
        reader = _BodyReader(path, styles, numbering, rels, archive, names)
        reader.notes = _footnotes(archive, main, names, path)
        blocks = reader.read(document)
        title = _core_title(archive, names)
    except zipfile.BadZipFile as exc:
        raise SourceError(path, 1, "IMPORT-001", f".docx 文件已损坏，无法解压（{exc}）",
                          "用 Word 打开并“另存为”一个新的 .docx；若 Word 也打不开，请找回原始文件") from None
    except (KeyError, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise SourceError(path, 1, "IMPORT-001", f".docx 文件已损坏或不完整（{exc}）",
                          "用 Word 打开并“另存为”一个新的 .docx 后再导入") from None
    return Package(path=path, blocks=blocks, maths=reader.maths, media=reader.media,
                   core_title=title, footnotes=reader.footnotes)


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "_rels/.rels" in names:
        rels = etree.fromstring(archive.read("_rels/.rels"))
        for rel in rels.iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("Type", "").endswith("/officeDocument"):
                target = rel.get("Target", "").lstrip("/")
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise SourceError(archive.filename or "", 1, "IMPORT-001",
                      "ZIP 包中没有 Word 正文（word/document.xml），不是 Word 文档",
                      "确认文件是 Word 文档（不是 Excel、PowerPoint 或其他 ZIP 文件）")


def _xml(archive: zipfile.ZipFile, name: str, path: str) -> etree._Element:
    try:
        return etree.fromstring(archive.read(name), etree.XMLParser(resolve_entities=False,
                                                                    huge_tree=True))
    except etree.XMLSyntaxError as exc:
        raise SourceError(path, 1, "IMPORT-001", f".docx 中的 {name} 已损坏（XML 错误：{exc.msg}，"
                                               f"第 {exc.lineno} 行）",
                          "用 Word 打开并“另存为”一个新的 .docx 后再导入") from None


def _relationships(archive, main: str, names: set[str], path: str) -> dict[str, str]:
    folder, base = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
        return {}
    out = {}
    for rel in _xml(archive, rels_name, path).iter(f"{{{PKG_REL}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        out[rel.get("Id")] = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
    return out


def _footnotes(archive, main: str, names: set[str], path: str) -> dict[str, str]:
    """The text of every footnote (w:id → text) of the footnotes part the main part relates to.
    The mark (w:footnoteRef) and a “)” after it (GB prints 1)、2)…) are not text."""
    folder, base = posixpath.split(main)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in names:
        return {}
    part = next((posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
                 for rel in _xml(archive, rels_name, path).iter(f"{{{PKG_REL}}}Relationship")
                 if rel.get("Type", "").endswith("/footnotes") and rel.get("TargetMode") != "External"), "")
    if part not in names:
        return {}
    notes = {}
    for note in _xml(archive, part, path).iter(w("footnote")):
        if note.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
            continue
        paragraphs = []
        for p in note.iter(w("p")):
            text, after_mark = [], False
            for r in p.iter(w("r")):
                if r.find(w("footnoteRef")) is not None:
                    after_mark = True
                    continue
                piece = "".join(t.text or "" for t in r.iter(w("t")))
                if after_mark and piece.startswith((")", "）")):
                    piece = piece[1:]
                after_mark = after_mark and not piece
                text.append(piece)
            paragraphs.append("".join(text).strip(" \u3000\t"))
        notes[note.get(w("id"), "")] = " ".join(p for p in paragraphs if p)
    return notes


def _core_title(archive, names) -> str:
    if "docProps/core.xml" not in names:
        return ""
    try:
        core = etree.fromstring(archive.read("docProps/core.xml"))
    except etree.XMLSyntaxError:
        return ""
    node = core.find("{http://purl.org/dc/elements/1.1/}title")
    return (node.text or "").strip() if node is not None else ""


class Styles:
    """Paragraph style names, outline levels and numbering, following basedOn."""

    def __init__(self, root: etree._Element | None):
        self.by_id: dict[str, etree._Element] = {}
        self.default_paragraph = ""
        if root is None:
            return
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"))
            self.by_id[sid] = style
            if style.get(w("type")) == "paragraph" and style.get(w("default")) in ("1", "true"):
                self.default_paragraph = sid

    def name(self, sid: str) -> str:
        style = self.by_id.get(sid)
        if style is None:
            return sid
        node = style.find(w("name"))
        return node.get(w("val")) if node is not None else sid

    def chain(self, sid: str):
        seen = set()
        while sid and sid in self.by_id and sid not in seen:
            seen.add(sid)
            yield self.by_id[sid]
            based = self.by_id[sid].find(w("basedOn"))
            sid = based.get(w("val")) if based is not None else ""

    def ppr_value(self, sid: str, tag: str) -> etree._Element | None:
        for style in self.chain(sid):
            found = style.find(f"{w('pPr')}/{w(tag)}")
            if found is not None:
                return found
        return None

    def bold(self, sid: str) -> bool:
        for style in self.chain(sid):
            b = style.find(f"{w('rPr')}/{w('b')}")
            if b is not None:
                return b.get(w("val"), "true") not in ("0", "false")
        return False


_TOGGLE_OFF = ("0", "false", "off")


class _BodyReader:
    def __init__(self, path, styles: Styles, numbering: Numbering, rels, archive, names):
        self.path = path
        self.styles = styles
        self.numbering = numbering
        self.rels = rels
        self.archive = archive
        self.names = names
        self.count = 0
        self.maths: list[Math] = []
        self.media: dict[str, bytes] = {}
        self.notes: dict[str, str] = {}          # footnotes part: w:id → text
        self.footnotes: list[str] = []           # the texts referred to, in order (\x01k\x01)

    def read(self, document: etree._Element) -> list[Para | Grid]:
        body = document.find(w("body"))
        if body is None:
            raise SourceError(self.path, 1, "IMPORT-001", "Word 正文为空（没有 w:body）",
                              "用 Word 打开并“另存为”一个新的 .docx 后再导入")
        return list(self._blocks(body))

    def _blocks(self, parent):
        for child in parent:
            if child.tag == w("p"):
                yield self._para(child)
            elif child.tag == w("tbl"):
                yield self._table(child)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    yield from self._blocks(content)
            elif child.tag in (w("ins"), w("moveTo")):
                yield from self._blocks(child)

    # ------------------------------------------------------------ paragraphs

    def _para(self, p) -> Para:
        self.count += 1
        ppr = p.find(w("pPr"))
        sid = ""
        if ppr is not None and ppr.find(w("pStyle")) is not None:
            sid = ppr.find(w("pStyle")).get(w("val"))
        sid = sid or self.styles.default_paragraph
        para = Para(index=self.count, text="", style=self.styles.name(sid))
        outline = ppr.find(w("outlineLvl")) if ppr is not None else None
        if outline is None:
            outline = self.styles.ppr_value(sid, "outlineLvl")
        if outline is not None and outline.get(w("val"), "").isdigit() and int(outline.get(w("val"))) < 9:
            para.outline = int(outline.get(w("val")))
        jc = ppr.find(w("jc")) if ppr is not None else None
        if jc is None:
            jc = self.styles.ppr_value(sid, "jc")
        para.centered = jc is not None and jc.get(w("val")) == "center"
        num = self.numbering.label_for(ppr, sid)
        if num is not None:
            para.label, para.num_format, para.num_level = num
        style_bold = self.styles.bold(sid)
        parts: list[str] = []
        bold_runs = []
        self._emphasis: list[tuple[str, str]] = []     # (kind or "", text) of every run
        self._inline(p, parts, bold_runs, style_bold, para)
        para.text = "".join(parts).replace("\xa0", " ")
        para.bold = bool(bold_runs) and all(bold_runs)
        para.marks = _marks(self._emphasis)
        return para

    def _inline(self, node, parts, bold_runs, style_bold, para):
        for child in node:
            tag = child.tag
            if tag == w("r"):
                self._run(child, parts, bold_runs, style_bold, para)
            elif tag in (w("hyperlink"), w("ins"), w("smartTag"), w("fldSimple"), w("moveTo"),
                         w("customXml"), w("bdo"), w("dir")):
                self._inline(child, parts, bold_runs, style_bold, para)
            elif tag == w("sdt"):
                content = child.find(w("sdtContent"))
                if content is not None:
                    self._inline(content, parts, bold_runs, style_bold, para)
            elif tag == f"{{{M}}}oMathPara":
                for math in child.iter(f"{{{M}}}oMath"):
                    parts.append(self._math(math, True))
            elif tag == f"{{{M}}}oMath":
                parts.append(self._math(child, None))

    def _math(self, element, display) -> str:
        self.maths.append(Math(element=element, display=bool(display)))
        return f"\x00{len(self.maths) - 1}\x00"

    def _run(self, r, parts, bold_runs, style_bold, para):
        rpr = r.find(w("rPr"))
        emphasis = _direct_emphasis(rpr)
        bold = style_bold
        if rpr is not None and rpr.find(w("b")) is not None:
            bold = rpr.find(w("b")).get(w("val"), "true") not in _TOGGLE_OFF
        if rpr is not None and rpr.find(w("vanish")) is not None \
                and rpr.find(w("vanish")).get(w("val"), "true") not in _TOGGLE_OFF:
            return   # hidden text
        text = []
        for child in r:
            tag = child.tag
            if tag == w("t"):
                text.append(child.text or "")
            elif tag == w("tab"):
                text.append("\t")
            elif tag in (w("br"), w("cr")):
                if child.get(w("type")) not in ("page", "column"):
                    text.append("\n")
            elif tag == w("noBreakHyphen"):
                text.append("-")
            elif tag == w("sym"):
                char = child.get(w("char"), "")
                try:
                    code = int(char, 16)
                    text.append(chr(code - 0xF000 if code >= 0xF000 else code))
                except ValueError:
                    pass
            elif tag in (w("drawing"), w("pict"), w("object")):
                self._graphic(child, para, text)
            elif tag == f"{{{M}}}oMath":
                text.append(self._math(child, None))
            elif tag == w("footnoteReference"):
                note = self.notes.get(child.get(w("id"), ""))
                if note is None:
                    para.unmapped.append("脚注")
                else:
                    self.footnotes.append(note)
                    text.append(f"\x01{len(self.footnotes) - 1}\x01")
            elif tag == w("endnoteReference"):
                para.unmapped.append("尾注")
            elif tag == w("commentReference"):
                para.unmapped.append("批注")
        joined = "".join(text)
        if parts and parts[-1].endswith("\x01") and joined.startswith((")", "）")):
            joined = joined[1:]        # the “)” of a GB footnote mark 1)
        if joined.strip():
            bold_runs.append(bold)
            self._emphasis.append((emphasis if "\x00" not in joined and "\x01" not in joined else "", joined))
        parts.append(joined)

    def _graphic(self, node, para: Para, text: list[str]) -> None:
        found = False
        for blip in node.iter(f"{{{A}}}blip", f"{{{V}}}imagedata"):
            rid = blip.get(f"{{{R}}}embed") or blip.get(f"{{{R}}}id")
            target = self.rels.get(rid or "")
            if target and target in self.names:
                if target not in self.media:
                    self.media[target] = self.archive.read(target)
                para.images.append(target)
                found = True
        textbox = [t.text or "" for t in node.iter(w("t"))]
        if textbox:
            text.append("".join(textbox))
            para.unmapped.append("文本框")
        elif not found:
            para.unmapped.append("图形对象（非图片，如形状、图表或嵌入对象）")

    # ------------------------------------------------------------ tables

    def _table(self, tbl) -> Grid:
        first_index = self.count + 1
        raw: list[list[tuple[Cell, int, str]]] = []   # (cell, gridSpan, vMerge)
        header_rows = 0
        counting_header = True
        for tr in tbl.iterfind(w("tr")):
            trpr = tr.find(w("trPr"))
            is_header = trpr is not None and trpr.find(w("tblHeader")) is not None and \
                trpr.find(w("tblHeader")).get(w("val"), "true") not in _TOGGLE_OFF
            if counting_header and is_header:
                header_rows += 1
            else:
                counting_header = False
            row = []
            for tc in tr.iterfind(w("tc")):
                tcpr = tc.find(w("tcPr"))
                span, vmerge = 1, ""
                if tcpr is not None:
                    gs = tcpr.find(w("gridSpan"))
                    if gs is not None and gs.get(w("val"), "1").isdigit():
                        span = int(gs.get(w("val")))
                    vm = tcpr.find(w("vMerge"))
                    if vm is not None:
                        vmerge = vm.get(w("val"), "continue")
                paras = []
                for block in self._blocks(tc):
                    if isinstance(block, Para):
                        paras.append(block)
                    else:   # a table inside a cell: keep its text
                        inner = Para(index=block.index, text="；".join(
                            c.text for r in block.rows for c in r if c is not None))
                        inner.unmapped.append("表格中的嵌套表格")
                        paras.append(inner)
                row.append((Cell(paras=paras, colspan=span), span, vmerge))
            raw.append(row)
        return Grid(index=first_index, rows=_resolve_merges(raw), header_rows=header_rows)


def _direct_emphasis(rpr) -> str:
    """Emphasis a run has by its own properties (not by its style): strong, emphasis,
    subscript, superscript, or ""."""
    if rpr is None:
        return ""
    for tag, kind in (("b", "strong"), ("i", "emphasis")):
        found = rpr.find(w(tag))
        if found is not None and found.get(w("val"), "true") not in _TOGGLE_OFF:
            return kind
    align = rpr.find(w("vertAlign"))
    if align is not None and align.get(w("val")) in ("subscript", "superscript"):
        return align.get(w("val"))
    return ""


def _marks(runs: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """Stretches of emphasis in a paragraph: neighbouring runs of one kind joined, spaces
    at their ends left outside. A paragraph in one emphasis throughout (a heading typed in
    bold) has none: that is the paragraph's look, not emphasis in its text."""
    merged: list[list[str]] = []
    for kind, text in runs:
        if merged and merged[-1][0] == kind:
            merged[-1][1] += text
        else:
            merged.append([kind, text])
    if len(merged) == 1:
        return []
    marks, before = [], ""
    for kind, text in merged:
        if kind and text.strip():
            before += text[:len(text) - len(text.lstrip())]
            marks.append((kind, text.strip(), re.sub(r"\x00\d+\x00|\x01\d+\x01", "", before)[-6:]))
        before += text
    return marks


def _resolve_merges(raw) -> list[list[Cell | None]]:
    """Grid positions from gridSpan and vMerge: continued cells become None, the first gets rowspan."""
    width = max((sum(span for _, span, _ in row) for row in raw), default=0)
    grid: list[list[Cell | None]] = []
    owner: dict[int, Cell] = {}           # column -> the cell that started a vertical merge there
    for row in raw:
        out: list[Cell | None] = [None] * width
        column = 0
        for cell, span, vmerge in row:
            if column >= width:
                break
            if vmerge == "continue" and column in owner:
                owner[column].rowspan += 1
                out[column] = None
            else:
                out[column] = cell
                if vmerge == "restart":
                    owner[column] = cell
                else:
                    owner.pop(column, None)
            for extra in range(1, span):
                if column + extra < width:
                    out[column + extra] = None
                    owner.pop(column + extra, None)
            column += span
        grid.append(out)
    return grid
