"""The XLSX writer and fast reader of comment tables (gbstd.review.xlsx, issue 10 item 24).

The writer replaced openpyxl's: openpyxl must read what it writes exactly as written (values,
styles, merged cells, column widths, hidden columns and sheet), and LibreOffice must open it.
The fast reader replaced openpyxl's read-only reader where it can: wherever it does not raise
``Unsupported`` it must give exactly what openpyxl gives, on our exports, on workbooks openpyxl
writes, on what LibreOffice saves (shared strings) and on hand-made parts (rich text).

Every record here is SYNTHETIC test data.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gbstd.review import tables, xlsx
from gbstd.review.comments import load_round
from test_review_tables import FIXTURE, HOSTILE, assert_same, hostile_round

SETTINGS = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def both_readers(path: Path):
    """(fast reader's rows or None when it leaves the file to openpyxl, openpyxl's rows)."""
    try:
        fast = xlsx.read(path, tables.ROUND_SHEET)
    except xlsx.Unsupported:
        fast = None
    return fast, tables._read_with_openpyxl(path)


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    out = {}
    for name, round_, layout, plain in (("gb", hostile_round(), "gb", False), ("iso", hostile_round(), "iso", False),
                                        ("plain", load_round(FIXTURE), "iso", True),
                                        ("fixture", load_round(FIXTURE), "gb", False)):
        out[name] = folder / f"{name}.xlsx"
        tables.export_xlsx(round_, out[name], layout, plain=plain)
    return out


def test_openpyxl_reads_the_export_as_written(exports):
    round_ = hostile_round()
    book = openpyxl.load_workbook(exports["gb"])
    assert book.sheetnames == ["意见汇总处理表", tables.ROUND_SHEET]
    sheet, kept = book.worksheets
    assert (sheet.sheet_state, kept.sheet_state) == ("visible", "hidden")
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:F1"]
    title = sheet["A1"]
    assert (title.value, title.font.b, title.font.sz, title.alignment.horizontal) == ("意见汇总处理表", True, 16, "center")
    assert sheet["B2"].value is None and sheet["A2"].value == f"国家标准名称：{HOSTILE[0]}"
    assert sheet["D2"].value == f"承办人：{HOSTILE[3]}"       # a formula-like text stays text
    assert [c.value for c in sheet[4]][:6] == ["序号", "国家标准章条编号", "意见内容", "提出单位", "处理意见", "备注"]
    assert all(c.font.b for c in sheet[4][:6])
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths == {"A": 6, "B": 14, "C": 48, "D": 18, "E": 36, "F": 14}
    kept_columns = [c.column_letter for c in sheet[4] if str(c.value).startswith("gbstd:")]
    assert len(kept_columns) == 12 and all(sheet.column_dimensions[x].hidden for x in kept_columns)
    for n, comment in enumerate(round_.comments, 1):
        row = {sheet.cell(4, column).value: sheet.cell(4 + n, column) for column in range(1, 19)}
        assert row["序号"].value == str(n) and row["序号"].data_type == "s"
        assert row["意见内容"].value == tables.content_cell(comment.text, comment.proposal)
        assert row["处理意见"].value == (tables.resolution_cell(comment.disposition, comment.response) or None)
        assert row["gbstd:id"].value == comment.id
        assert (row["gbstd:text"].value or "") == comment.text      # "  前后空格  " keeps its spaces
        body = row["国家标准章条编号"]
        assert (body.alignment.wrap_text, body.alignment.vertical, body.number_format) == (True, "top", "@")
        assert {body.border.left.style, body.border.right.style, body.border.top.style,
                body.border.bottom.style} == {"thin"}
    assert sheet.cell(4 + len(round_.comments) + 2, 1).value == "说明：①发送“征求意见稿”的单位数：42个。"
    assert dict(kept.iter_rows(values_only=True))["units.sent"] == "42"
    # printed as one A4 landscape page wide (the form has 6 columns, 156 characters wide)
    setup = sheet.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == ("landscape", 9, 1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage


def test_both_readers_agree_on_every_export(exports):
    for name, path in exports.items():
        fast, reference = both_readers(path)
        assert fast == reference, name


def test_carriage_returns_and_markup_survive(tmp_path):
    sheet = xlsx.Sheet("t")
    values = ["a\rb", "a\r\nb", "<b>&amp;</b>", "]]>", " lead", "trail\n", "\t", "x005F_x000D_", "_x000D_", "𠀀"]
    for column, value in enumerate(values, 1):
        sheet.set(1, column, value)
    xlsx.write(tmp_path / "t.xlsx", [sheet])
    fast, reference = both_readers(tmp_path / "t.xlsx")
    assert fast == reference and list(fast[0][0]) == values
    part = zipfile.ZipFile(tmp_path / "t.xlsx").read("xl/worksheets/sheet1.xml").decode()
    # Excel drops leading and trailing white space unless told to keep it (LibreOffice keeps it anyway)
    assert '<t xml:space="preserve"> lead</t>' in part and '<t xml:space="preserve">trail\n</t>' in part
    assert "<t>a&#13;b</t>" in part and "<t>&lt;b&gt;&amp;amp;&lt;/b&gt;</t>" in part


def test_control_characters_xml_cannot_hold_are_refused():
    assert xlsx.NOT_XML.search("a\x01b") and xlsx.NOT_XML.search("\ufffe") and xlsx.NOT_XML.search("\ud800")
    assert not xlsx.NOT_XML.search("制表\t换行\n回车\r€𠀀")


TEXT = st.lists(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Cn"])
                | st.sampled_from(["\n", "\r", "\t", " ", "_x000D_", "x005F_", "&", "<"]), max_size=8).map("".join)
CELL = st.one_of(st.none(), TEXT,
                 st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False), st.booleans())


@SETTINGS
@given(st.dictionaries(st.tuples(st.integers(1, 12), st.integers(1, 8)), CELL, max_size=30),
       st.booleans(), st.booleans())
def test_fast_reader_reads_what_openpyxl_writes_as_openpyxl_does(tmp_path_factory, cells, second, hide_first):
    book = openpyxl.Workbook()
    sheet = book.active
    for (row, column), value in cells.items():
        sheet.cell(row, column).value = value
        if isinstance(value, str):
            sheet.cell(row, column).data_type = "s"
    if second:
        extra = book.create_sheet(tables.ROUND_SHEET)
        extra.append(["id", "R-1"])
        extra.append(["title", 3])
        if hide_first:
            sheet.sheet_state = "hidden"
    path = tmp_path_factory.mktemp("wb") / "t.xlsx"
    book.save(path)
    fast, reference = both_readers(path)
    assert fast is not None      # nothing here needs openpyxl
    assert fast == reference


def test_formulas_and_dates_are_left_to_openpyxl(tmp_path):
    import datetime
    for value in ("=1+1", datetime.date(2025, 3, 20)):
        book = openpyxl.Workbook()
        book.active.append(["序号", value])
        book.save(tmp_path / "t.xlsx")
        with pytest.raises(xlsx.Unsupported):
            xlsx.read(tmp_path / "t.xlsx", tables.ROUND_SHEET)
    rows, _ = tables._read_xlsx(tmp_path / "t.xlsx")
    assert rows == [(1, ["序号", datetime.datetime(2025, 3, 20)])]


def _with_parts(source: Path, target: Path, parts: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as packed, zipfile.ZipFile(target, "w") as out:
        for entry in packed.infolist():
            if entry.filename not in parts:
                out.writestr(entry.filename, packed.read(entry.filename))
        for name, data in parts.items():
            out.writestr(name, data)


def test_shared_strings_rich_text_and_phonetics(exports, tmp_path):
    """What Excel saves: shared strings, runs with their own font, phonetic guides."""
    main = f'xmlns="{xlsx.MAIN}"'
    strings = (f'<sst {main}><si><t>序号</t></si><si><r><rPr><b/></rPr><t>意见</t></r><r><t xml:space="preserve"> 内容'
               f'</t></r></si><si><t>甲x005F_乙</t><rPh sb="0" eb="1"><t>こう</t></rPh><phoneticPr fontId="0"/></si></sst>')
    sheet = (f'<worksheet {main}><dimension ref="A1:D2"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
             '<c r="B1" t="s"><v>1</v></c><c r="D1" t="s"><v>2</v></c></row>'
             '<row><c t="b"><v>1</v></c><c><v>2.50</v></c><c t="e"><v>#N/A</v></c><c t="str"><v>x</v></c></row>'
             '</sheetData></worksheet>')
    types = zipfile.ZipFile(exports["plain"]).read("[Content_Types].xml").replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' +
        xlsx.SHARED_STRINGS_TYPE.encode() + b'"/></Types>')
    _with_parts(exports["plain"], tmp_path / "s.xlsx", {"xl/sharedStrings.xml": strings.encode(),
                                                         "xl/worksheets/sheet1.xml": sheet.encode(),
                                                         "[Content_Types].xml": types})
    fast, reference = both_readers(tmp_path / "s.xlsx")
    assert fast == reference
    assert fast[0] == [("序号", "意见 内容", None, "甲乙"), (True, 2.5, "#N/A", "x")]


ROWS = {     # sheetData as other programs write it: openpyxl's reading of each is the reference
    "stale dimension": ('<dimension ref="A1:B2"/>', '<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c>'
                        '<c r="C1"><v>3</v></c></row><row r="2"/><row r="4"><c r="B4"><v>1</v></c></row>'),
    "no dimension": ("", '<row r="2"><c r="B2"><v>7</v></c><c r="A2"><v>1</v></c></row><row r="5"/>'),
    "no references": ('<dimension ref="A1:C3"/>', '<row><c><v>1</v></c><c t="inlineStr"><is><t>x</t></is></c></row>'
                      '<row><c/><c><v>1e3</v></c></row>'),
    "rows out of order": ('<dimension ref="A1:A3"/>', '<row r="3"><c r="A3"><v>3</v></c></row>'
                          '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="A3"><v>4</v></c></row>'),
    "empty values": ('<dimension ref="A1:D1"/>', '<row r="1"><c r="A1" t="s"><v></v></c><c r="B1" t="inlineStr"/>'
                     '<c r="C1" t="inlineStr"><is><t/></is></c><c r="D1" t="str"/></row>'),
}


@pytest.mark.parametrize("name", ROWS)
def test_fast_reader_lays_out_rows_as_openpyxl_does(exports, tmp_path, name):
    dimension, rows = ROWS[name]
    sheet = f'<worksheet xmlns="{xlsx.MAIN}">{dimension}<sheetData>{rows}</sheetData></worksheet>'
    _with_parts(exports["plain"], tmp_path / "r.xlsx", {"xl/worksheets/sheet1.xml": sheet.encode()})
    fast, reference = both_readers(tmp_path / "r.xlsx")
    assert fast is not None and fast == reference


@pytest.mark.parametrize("change", [
    (b"<sheetData>", b'<!DOCTYPE x [<!ENTITY e "x">]><sheetData>'),     # DTD: left to openpyxl
    (b'<c r="A4"', b'<c r="a4"'),                                       # a reference openpyxl may read
])
def test_what_the_fast_reader_does_not_know_goes_to_openpyxl(exports, tmp_path, change):
    with zipfile.ZipFile(exports["fixture"]) as packed:
        sheet = packed.read("xl/worksheets/sheet1.xml")
    assert change[0] in sheet
    _with_parts(exports["fixture"], tmp_path / "c.xlsx", {"xl/worksheets/sheet1.xml": sheet.replace(*change, 1)})
    with pytest.raises(xlsx.Unsupported):
        xlsx.read(tmp_path / "c.xlsx", tables.ROUND_SHEET)


@pytest.mark.skipif(shutil.which("soffice") is None
                    or not Path("/usr/lib/libreoffice/program/libsclo.so").exists(),
                    reason="LibreOffice Calc 未安装：运行 scripts/ensure-system-deps.sh")
def test_libreoffice_opens_the_export_and_what_it_saves_imports_the_same(exports, tmp_path):
    """Calc renders the form (PDF), and the workbook it saves again (shared strings, its own
    styles) is read the same by both readers and imports to the same round."""
    files = [exports["gb"], exports["iso"]]
    for target in ("pdf", "xlsx"):
        result = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                                 "--convert-to", target, "--outdir", str(tmp_path / target), *map(str, files)],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / "gb.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "意见汇总处理表" in text.replace(" ", "") and "国家标准章条编号" in text
    assert "gbstd:" not in text          # the kept columns are hidden, the round sheet too
    pages = subprocess.run(["pdfinfo", str(tmp_path / "pdf" / "gb.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+1$", pages, re.M)        # every column on the one page
    assert re.search(r"^Page size:\s+841\.\d+ x 595\.\d+", pages, re.M)      # A4 landscape
    for file in files:
        saved = tmp_path / "xlsx" / file.name
        assert b"sharedStrings" in zipfile.ZipFile(saved).read("[Content_Types].xml")
        fast, reference = both_readers(saved)
        assert fast == reference
        round_, problems = tables.import_table(saved)
        assert problems == []
        assert_same(hostile_round(), round_)


EDITS = [      # well-formed changes of an exported sheet, each at one of its places
    (b'<c r="', b'<c s="2" r="'), (b'<c r="A', b'<c r="a'), (b"<is><t>", b"<is><t>_x000D_"),
    (b'<row r="5">', b'<row r="5"><c><v>1.5</v></c>'), (b"</row>", b'<c r="Z1"><v>2</v></c></row>'),
    (b'<row r="', b'<row spans="1:2" r="'), (b'<c r="F', b'<c t="b" r="F'), (b'ref="A1:R', b'ref="A1:B'),
    (b'<row r="7">', b"<row>"), (b' r="C', b' r="D'), (b'<row r="6"', b'<row r="2"'), (b"<dimension", b"<x"),
    (b"<sheetData>", b'<sheetData><row r="1"><c r="A1" t="e"><v>#N/A</v></c></row>'),
    (b'<c r="F', b'<c t="s" r="F'), (b"<is><t>", "<is><r><t>甲</t></r><t>".encode()), (b"</is>", b"<!-- x --></is>"),
]


@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 30)), min_size=1, max_size=4))
def test_on_changed_sheets_the_readers_agree_or_the_fast_one_steps_aside(exports, tmp_path_factory, edits):
    """Sheets as other programs might write them: whenever both readers read one they read
    the same rows (the fast reader may be the more lenient one about parts without values)."""
    sheet = zipfile.ZipFile(exports["gb"]).read("xl/worksheets/sheet1.xml")
    for (old, new), which in edits:
        places = [n for n in range(len(sheet)) if sheet.startswith(old, n)]
        if places:
            at = places[which % len(places)]
            sheet = sheet[:at] + new + sheet[at + len(old):]
    path = tmp_path_factory.mktemp("changed") / "d.xlsx"
    _with_parts(exports["gb"], path, {"xl/worksheets/sheet1.xml": sheet})
    try:
        fast = xlsx.read(path, tables.ROUND_SHEET)
    except xlsx.Unsupported:
        return
    try:
        reference = tables._read_with_openpyxl(path)
    except Exception:  # noqa: BLE001 - openpyxl rejects what it cannot parse in its own ways
        return
    assert fast == reference
