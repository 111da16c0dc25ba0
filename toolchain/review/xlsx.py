"""XLSX for comment tables, written and read without openpyxl's object model (issue 10 item 24).

A 20,000-comment round is 360,000 cells: openpyxl spent about 4 s of CPU building a cell
object per value and serialising it through its XML writer, and about 3 s parsing every cell
of such a file back into objects. ``write`` writes the few parts a workbook needs directly
(text cells only, four fixed cell styles, column widths, merged cells, hidden columns and
sheets); ``read`` reads the cell values of the usual workbook — the one ``write`` makes, and
what Excel, WPS or LibreOffice save after a user fills in the form — with a streaming parser.

``read`` gives exactly what ``openpyxl.load_workbook(read_only=True, data_only=False)`` and
``iter_rows(values_only=True)`` give (the rows the dimension spans, each padded to its width,
shared strings with openpyxl's ``x005F_`` handling, numbers as int or float by openpyxl's rule);
whatever it does not handle the same way — formulas, dates and other number formats, rich
text it does not know, unusual package layouts, a DTD — raises ``Unsupported`` and the caller
reads the file with openpyxl, the reference. tests/test_xlsx_fast.py compares the two readers.
The archive's limits (zip bomb) are checked by the caller before either reads anything.
"""
from __future__ import annotations

import datetime
import io
import os
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

from lxml import etree

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKSHEET_REL = REL + "/worksheet"
SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
WORKBOOK_TYPES = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                  "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                  "application/vnd.ms-excel.template.macroEnabled.main+xml")

# Cell styles of ``write`` (index into cellXfs): what the comment form uses.
PLAIN, TITLE, HEADER, BODY = 0, 1, 2, 3
# Characters XML 1.0 cannot carry at all (a workbook holding one does not open).
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class Unsupported(Exception):
    """The fast reader does not read this workbook as openpyxl does: read it with openpyxl."""


def column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- writing


@dataclass
class Sheet:
    """One worksheet: ``rows[row] = [(column, text, style), …]`` (1-based, columns ascending)."""
    title: str
    hidden: bool = False
    rows: dict[int, list[tuple[int, str, int]]] = field(default_factory=dict)
    widths: dict[int, float] = field(default_factory=dict)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)

    def set(self, row: int, column: int, text: str, style: int = PLAIN) -> None:
        cells = self.rows.setdefault(row, [])
        cells.append((column, text, style))
        cells.sort(key=lambda cell: cell[0])


_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def _text_xml(text: str) -> str:
    escaped = text.translate(_ESCAPES) if ("&" in text or "<" in text or ">" in text or "\r" in text) else text
    if text != text.strip():      # Excel drops leading and trailing white space without this
        return f'<is><t xml:space="preserve">{escaped}</t></is>'
    return f"<is><t>{escaped}</t></is>"


def _sheet_xml(sheet: Sheet) -> bytes:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">']
    if not sheet.hidden:           # printed on A4 landscape, all columns on one page width
        out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
    last_row = max(sheet.rows, default=1)
    last_column = max((cells[-1][0] for cells in sheet.rows.values() if cells), default=1)
    out.append(f'<dimension ref="A1:{column_letter(last_column)}{last_row}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>'
               '<sheetFormatPr defaultRowHeight="15"/>')
    columns = sorted(set(sheet.widths) | sheet.hidden_columns)
    if columns:
        out.append("<cols>")
        for number in columns:
            width = sheet.widths.get(number, 13)
            hidden = ' hidden="1"' if number in sheet.hidden_columns else ""
            out.append(f'<col min="{number}" max="{number}" width="{width:g}" customWidth="1"{hidden}/>')
        out.append("</cols>")
    out.append("<sheetData>")
    letters = [""] + [column_letter(n) for n in range(1, last_column + 1)]
    for number in sorted(sheet.rows):
        r = str(number)
        cells = []
        for column, text, style in sheet.rows[number]:
            styled = f' s="{style}"' if style else ""
            if text:
                cells.append(f'<c r="{letters[column]}{r}"{styled} t="inlineStr">{_text_xml(text)}</c>')
            else:
                cells.append(f'<c r="{letters[column]}{r}"{styled}/>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData>")
    if sheet.merged:
        out.append(f'<mergeCells count="{len(sheet.merged)}">')
        out.extend(f'<mergeCell ref="{ref}"/>' for ref in sheet.merged)
        out.append("</mergeCells>")
    out.append('<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>')
    if not sheet.hidden:
        out.append('<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>')
    out.append("</worksheet>")
    return "".join(out).encode("utf-8")


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}"><fonts count="3"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="16"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>\
<border><left style="thin"/><right style="thin"/><top style="thin"/><bottom style="thin"/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment horizontal="center"/></xf>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
<xf numFmtId="49" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


HIDDEN = ' state="hidden"'


def _package(sheets: list[Sheet], stamp: str) -> dict[str, str | bytes]:
    sheet_names = [f"xl/worksheets/sheet{n}.xml" for n in range(1, len(sheets) + 1)]
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    overrides = "".join(
        f'<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.'
        f'spreadsheetml.worksheet+xml"/>' for name in sheet_names)
    entries = "".join(
        f'<sheet name="{_attribute(sheet.title)}" sheetId="{n}"{HIDDEN if sheet.hidden else ""} r:id="rId{n}"/>'
        for n, sheet in enumerate(sheets, 1))
    relations = "".join(f'<Relationship Id="rId{n}" Type="{WORKSHEET_REL}" Target="worksheets/sheet{n}.xml"/>'
                        for n in range(1, len(sheets) + 1))
    styles_id = len(sheets) + 1
    return {
        "[Content_Types].xml": f'{head}<Types xmlns="{CT}">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPES[0]}"/>{overrides}'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>',
        "_rels/.rels": f'{head}<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>',
        "docProps/app.xml": f'{head}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>gbstd</Application></Properties>',
        "docProps/core.xml": f'{head}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator xmlns:dc="http://purl.org/dc/elements/'
        f'1.1/">gbstd</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{entries}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{PKG_REL}">{relations}'
        f'<Relationship Id="rId{styles_id}" Type="{REL}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": STYLES,
        **{name: _sheet_xml(sheet) for name, sheet in zip(sheet_names, sheets)},
    }


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def source_date() -> datetime.datetime:
    """``SOURCE_DATE_EPOCH`` (1980-01-01, the earliest time a zip holds, when it is not set)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 315532800,
                                           tz=datetime.timezone.utc).replace(tzinfo=None)
    return max(when, datetime.datetime(1980, 1, 1))


def write(path: str | Path, sheets: list[Sheet]) -> None:
    """Write the workbook to ``path``: the same sheets give the same bytes (the created and
    modified properties and every zip entry's time are ``source_date()``)."""
    when = source_date()
    parts = _package(sheets, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            out.writestr(entry, data)


# ---------------------------------------------------------------- reading

_CELL = re.compile(r"([A-Z]{1,3})(\d+)")
_REF = re.compile(r"[A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?")
# Number formats openpyxl does not read as dates: General, the built-in numbers and text "@".
_NOT_DATES = {0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 38, 39, 40, 48, 49}
_M = "{%s}" % MAIN
_T, _R, _RPH, _PHONETIC, _RPR = _M + "t", _M + "r", _M + "rPh", _M + "phoneticPr", _M + "rPr"
_SI = _M + "si"


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _xml(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    data = archive.read(name)
    _refuse_dtd(data)
    return ElementTree.fromstring(data)


def _refuse_dtd(data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise Unsupported("DTD")


def _text_content(element) -> str:
    """openpyxl's ``Text.from_tree(element).content``: its ``t`` and the ``t`` of each run."""
    parts = []
    plain = False
    for child in element:
        tag = child.tag
        if tag == _T:
            if plain:
                raise Unsupported("two t")
            plain = True
            parts.insert(0, child.text or "")
        elif tag == _R:        # a run: its properties and at most one t
            text = None
            for part in child:
                if part.tag == _T and text is None:
                    text = part.text or ""
                elif part.tag != _RPR:
                    raise Unsupported("run")
            if text is not None:
                parts.append(text)
        elif tag not in (_RPH, _PHONETIC):
            raise Unsupported(tag)
    return "".join(parts)


def _target(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def read(path: str | Path, extra_sheet: str) -> tuple[list[tuple], list[tuple] | None]:
    """The rows of the first visible worksheet and those of the sheet named ``extra_sheet``
    (None when there is none), as openpyxl's read-only ``iter_rows(values_only=True)``."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _read(archive, extra_sheet)
    except Unsupported:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever fails here, openpyxl reads (or reports) it
        raise Unsupported(type(exc).__name__) from None


def _read(archive: zipfile.ZipFile, extra_sheet: str):
    types = _xml(archive, "[Content_Types].xml")
    overrides = {o.get("ContentType"): o.get("PartName", "") for o in types.iter(f"{{{CT}}}Override")}
    workbook = next((overrides[t][1:] for t in WORKBOOK_TYPES if t in overrides), None)
    if workbook is None:
        raise Unsupported("no workbook part")
    shared_name = overrides.get(SHARED_STRINGS_TYPE)
    shared = _shared_strings(archive, shared_name[1:]) if shared_name else []
    styles = _number_formats(archive)
    rels_name = posixpath.join(posixpath.dirname(workbook), "_rels", posixpath.basename(workbook) + ".rels")
    targets = {}
    for rel in _xml(archive, rels_name).iter(f"{{{PKG_REL}}}Relationship"):
        targets[rel.get("Id")] = (rel.get("Type"), _target(workbook, rel.get("Target", "")))
    sheets = []
    for entry in _xml(archive, workbook).iter(_M + "sheet"):
        kind, part = targets[entry.get(f"{{{REL}}}id")]
        if kind != WORKSHEET_REL:
            raise Unsupported(kind)
        sheets.append((entry.get("name"), entry.get("state", "visible"), part))
    if not sheets:
        raise Unsupported("no sheets")
    first = next((s for s in sheets if s[1] == "visible"), sheets[0])
    extra = next((s for s in sheets if s[0] == extra_sheet), None)
    rows = _sheet_rows(archive.read(first[2]), shared, styles)
    return rows, (_sheet_rows(archive.read(extra[2]), shared, styles) if extra else None)


def _shared_strings(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The shared strings, as openpyxl's ``read_string_table`` gives them (streamed: a large
    table is never a tree in memory)."""
    data = archive.read(name)
    _refuse_dtd(data)
    strings = []
    for _, element in _stream(data, _SI):
        strings.append(_text_content(element).replace("x005F_", ""))
        _drop(element)
    return strings


def _stream(data: bytes, tags):
    """``end`` events of the elements ``tags``: no entity is resolved, nothing is fetched."""
    return etree.iterparse(io.BytesIO(data), events=("end",), tag=tags, resolve_entities=False, no_network=True,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def _drop(element) -> None:
    """Forget an element once read, and those before it (memory stays that of one element)."""
    element.clear(keep_tail=False)
    while element.getprevious() is not None:
        del element.getparent()[0]


def _number_formats(archive: zipfile.ZipFile) -> list[int]:
    """The number format of each cell style (cellXfs), when the workbook has a style sheet."""
    if "xl/styles.xml" not in archive.namelist():
        return []
    cell_xfs = _xml(archive, "xl/styles.xml").find(_M + "cellXfs")
    return [] if cell_xfs is None else [int(xf.get("numFmtId", 0)) for xf in cell_xfs.iter(_M + "xf")]


def _sheet_rows(data: bytes, shared: list[str], styles: list[int]) -> list[tuple]:
    _refuse_dtd(data)
    max_row = max_col = None
    parsed: list[tuple[int, list[tuple[int, object]]]] = []
    row_counter = 0
    columns: dict[str, int] = {}
    parser = _stream(data, (_M + "row", _M + "dimension", _M + "sheetData"))
    seen_data = False
    for _, element in parser:
        tag = element.tag
        if tag == _M + "dimension":
            if not seen_data and max_row is None:
                ref = element.get("ref", "")
                if not _REF.fullmatch(ref):
                    raise Unsupported("dimension")
                last = _CELL.fullmatch(ref.rpartition(":")[2])
                max_col, max_row = _column_number(last[1]), int(last[2])
            continue
        if tag == _M + "sheetData":
            seen_data = True
            continue
        r = element.get("r")
        if r is None:
            row_counter += 1
        elif r.isdigit():
            row_counter = int(r)
        else:
            raise Unsupported("row number")
        parsed.append((row_counter, _row_cells(element, shared, styles, columns)))
        _drop(element)
    return _as_openpyxl(parsed, max_row, max_col)


_DIGITS = "0123456789"
_C, _V, _F, _IS, _EXT = _M + "c", _M + "v", _M + "f", _M + "is", _M + "extLst"


def _row_cells(row, shared: list[str], styles: list[int], columns: dict[str, int]) -> list[tuple[int, object]]:
    """(column, value) of each cell of a ``row`` element; ``columns`` caches column letters."""
    cells = []
    column = 0
    for cell in row.iterchildren(_C):
        get = cell.get
        coordinate = get("r")
        if coordinate is None:
            column += 1
        else:
            letters = coordinate.rstrip(_DIGITS)
            column = columns.get(letters, 0)
            if not column or len(letters) == len(coordinate):
                match = _CELL.fullmatch(coordinate)
                if not match:
                    raise Unsupported("cell reference")
                column = columns[match[1]] = _column_number(match[1])
        kind = get("t", "n")
        if kind == "inlineStr" and len(cell) == 1:      # the usual inline string: <is><t>…</t></is>
            inline = cell[0]
            if inline.tag == _IS and len(inline) == 1 and inline[0].tag == _T:
                cells.append((column, inline[0].text or ""))
                continue
        value = inline = None
        found = False
        for part in cell:
            tag = part.tag
            if tag == _V:
                if not found:       # the first v, as findtext
                    value, found = part.text, True
            elif tag == _IS:
                if inline is None:
                    inline = part
            elif tag == _F:
                raise Unsupported("formula")     # openpyxl gives "=…" and translates shared formulas
            elif tag != _EXT:
                raise Unsupported(tag)
        if kind == "inlineStr":
            value = None if inline is None else _text_content(inline)
        elif not value:
            value = None
        elif kind == "n":
            style = int(get("s", 0) or 0)
            if style and (style >= len(styles) or styles[style] not in _NOT_DATES):
                raise Unsupported("number format")
            value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
        elif kind == "s":
            value = shared[int(value)]
        elif kind == "b":
            value = bool(int(value))
        elif kind not in ("str", "e"):
            raise Unsupported(f"cell type {kind}")
        cells.append((column, value))
    if len(cells) != len(row):
        raise Unsupported("row")       # openpyxl takes every child of a row for a cell
    return cells


def _as_openpyxl(parsed, max_row, max_col) -> list[tuple]:
    """openpyxl's ReadOnlyWorksheet._cells_by_row and _get_row, values only, from A1."""
    out = []
    empty_row = [] if max_col is None else (None,) * max_col
    counter = 1
    idx = 1
    for idx, cells in parsed:
        if max_row is not None and idx > max_row:
            break
        while counter < idx:
            counter += 1
            out.append(empty_row)
        if counter <= idx:
            counter += 1
            if not cells and not max_col:
                out.append(())
                continue
            width = max_col or cells[-1][0]
            row = [None] * width
            for column, value in cells:
                if 1 <= column <= width:
                    row[column - 1] = value
            out.append(tuple(row))
    if max_row is not None and max_row < idx:
        out.extend(empty_row for _ in range(counter, max_row + 1))
    return out
