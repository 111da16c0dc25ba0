"""Comment rounds to and from spreadsheets: XLSX in the 附件4 layout or the ISO/IEC
commenting template, and CSV.

The visible sheet reproduces the template. Fields the template has no column
for (the stable id, the type, clause_now …) and the parts of combined cells
(意见内容 = text + 修改建议, 处理意见 = disposition + response) are kept in
columns headed ``gbstd:<field>`` to the right of the form, and the round's own
fields in a hidden sheet, so that YAML → XLSX → YAML loses nothing. When a
visible cell was edited in the spreadsheet it no longer matches the kept
parts, and the edited cell wins.

Importing never evaluates anything: formulas are read as the text of the
formula (``data_only=False``) and every cell is taken as text. A row that
cannot be read — or lacks what 附件4 requires of every comment, its text and
its 提出单位 — is reported with its row number and column; nothing is skipped
silently.
"""
from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..findings import SourceError
from . import xlsx
from .comments import (CLAUSE_FIELDS, COMMENT_FIELDS, COMMENT_TYPES, DISPOSITIONS, UNIT_KEYS,
                       UNIT_LABELS, Comment, Round, normalise_disposition, normalise_type)
from ..files import replace_atomically, write_text

LAYOUTS = ("gb", "iso")
KEPT = "gbstd:"                  # header prefix of the columns that keep structured fields
ROUND_SHEET = "gbstd-round"
SHEET_TITLES = {"gb": "意见汇总处理表", "iso": "Comments"}
# Visible columns of each template: (header, field). "content" and "resolution" are combined cells.
COLUMNS = {
    "gb": [("序号", "order"), ("国家标准章条编号", "clause"), ("意见内容", "content"),
           ("提出单位", "org"), ("处理意见", "resolution"), ("备注", "remarks")],
    "iso": [("MB/NC", "org"), ("Line number", "line_no"), ("Clause/Subclause", "clause"),
            ("Paragraph/Figure/Table", "element"), ("Type of comment", "type"),
            ("Comments", "text"), ("Proposed change", "proposal"),
            ("Observations of the Secretariat", "resolution")],
}
WIDTHS = {"order": 6, "clause": 14, "content": 48, "org": 18, "resolution": 36, "remarks": 14,
          "line_no": 8, "element": 14, "type": 10, "text": 40, "proposal": 36}
# Headers as they appear in the many variants of the forms, normalised (see _normal_header).
HEADER_ALIASES = {
    "序号": "order", "国家标准章条编号": "clause", "标准章条编号": "clause", "章条编号": "clause",
    "章节号": "clause", "条款号": "clause", "章条号": "clause", "意见内容": "content",
    "意见": "content", "修改建议": "proposal", "修改后内容": "proposal", "提出单位": "org",
    "处理意见": "resolution", "处理结果": "resolution", "备注": "remarks",
    "mb/nc": "org", "linenumber": "line_no", "clause/subclause": "clause",
    "paragraph/figure/table": "element", "typeofcomment": "type", "comments": "text",
    "proposedchange": "proposal", "observationsofthesecretariat": "resolution",
    **{name: name for name in COMMENT_FIELDS},     # CSV: one column per field
}
PROPOSAL_MARK = "修改建议："
RESOLUTION = re.compile(r"^(部分采纳|未采纳|不采纳|解释说明|采纳)(?:[。：:，,；;]\s*|\s+|$)(.*)$", re.S)
COUNT_LINE = re.compile(r"[①②③④](?P<label>[^：:]*)[：:]\s*(?P<value>\d*)\s*个")
HEADER_FIELDS = {"title": "国家标准名称", "drafting_unit": "负责起草单位", "contact": "承办人",
                 "phone": "电话", "filled": "填写日期"}
CSV_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
MAX_CELL = 32767


@dataclass
class RowProblem:
    row: int
    message: str
    column: str = ""         # the cell's column as the sheet shows it: “D 列（提出单位）”

    def format(self, path: str) -> str:
        where = f" {self.column}" if self.column else ""
        return f"{path}:{self.row}: 错误 REVIEW-003: 第 {self.row} 行{where}无法读取：{self.message}"


# ---------------------------------------------------------------- combined cells


def content_cell(text: str, proposal: str) -> str:
    if not proposal:
        return text
    return f"{text}\n{PROPOSAL_MARK}{proposal}" if text else f"{PROPOSAL_MARK}{proposal}"


def split_content(cell: str) -> tuple[str, str]:
    if cell.startswith(PROPOSAL_MARK):
        return "", cell[len(PROPOSAL_MARK):]
    text, mark, proposal = cell.rpartition("\n" + PROPOSAL_MARK)
    return (text, proposal) if mark else (cell, "")


def resolution_cell(disposition: str, response: str) -> str:
    if disposition and response:
        return f"{disposition}：{response}"
    return disposition or response


def split_resolution(cell: str) -> tuple[str, str]:
    match = RESOLUTION.match(cell.strip())
    if not match:
        return "", cell
    return normalise_disposition(match[1]), match[2]


# ---------------------------------------------------------------- export


def export_xlsx(round_: Round, path: str | Path, layout: str = "gb", plain: bool = False) -> None:
    """Write the round as the template ``layout``; ``plain`` leaves out the kept fields
    (for upload to systems that check the header row) and so does not round-trip."""
    _check_exportable(round_)
    sheet = xlsx.Sheet(SHEET_TITLES[layout])
    columns = COLUMNS[layout]
    header_row = _write_heading(sheet, round_, layout, len(columns))
    kept = [] if plain else _kept_fields(layout)
    for column, (label, name) in enumerate(columns, 1):
        sheet.set(header_row, column, label, xlsx.HEADER)
        sheet.widths[column] = WIDTHS[name]
    for column, name in enumerate(kept, len(columns) + 1):
        sheet.set(header_row, column, KEPT + name)
        sheet.hidden_columns.add(column)
    body = xlsx.BODY
    names = [name for _, name in columns]
    for n, comment in enumerate(round_.comments, 1):
        visible = _visible(comment, n)
        cells = [(column, visible[name][:MAX_CELL], body) for column, name in enumerate(names, 1)]
        # (an empty kept field is no cell at all: its column is hidden, and a missing cell reads as empty)
        cells += [(column, value, body) for column, value in enumerate(map(comment.__getattribute__, kept),
                                                                        len(columns) + 1) if value]
        sheet.rows[header_row + n] = cells
    if layout == "gb":
        _write_counts(sheet, round_, header_row + len(round_.comments) + 2)
    sheets = [sheet] if plain else [sheet, _round_sheet(round_)]
    replace_atomically(path, lambda temporary: xlsx.write(temporary, sheets))


def _kept_fields(layout: str) -> list[str]:
    shown = {name for _, name in COLUMNS[layout]} - {"content", "resolution", "order"}
    return [name for name in COMMENT_FIELDS if name not in shown]


def _visible(comment: Comment, order: int) -> dict[str, str]:
    values = comment.values()
    values.update(order=str(order), content=content_cell(comment.text, comment.proposal),
                  resolution=resolution_cell(comment.disposition, comment.response))
    return values


def _write_heading(sheet: xlsx.Sheet, round_: Round, layout: str, width: int) -> int:
    """Title and header fields above the table; returns the row of the column headers."""
    if layout == "iso":
        sheet.set(1, 1, f"Date: {round_.filled}")
        sheet.set(1, 3, f"Document: {round_.draft}")
        sheet.set(1, 6, f"Project: {round_.title}")
        return 3
    sheet.set(1, 1, "意见汇总处理表", xlsx.TITLE)
    sheet.merged.append(f"A1:{xlsx.column_letter(width)}1")
    for column, key in ((1, "title"), (3, "drafting_unit"), (4, "contact"), (5, "phone")):
        sheet.set(2, column, f"{HEADER_FIELDS[key]}：{getattr(round_, key)}")
    sheet.set(2, width, "共　页　第　页")
    sheet.set(3, width, f"{HEADER_FIELDS['filled']}：{round_.filled}")
    return 4


def _write_counts(sheet: xlsx.Sheet, round_: Round, row: int) -> None:
    stage = round_.stage or "征求意见稿"
    marks = "①②③④"
    for n, key in enumerate(UNIT_KEYS):
        value = getattr(round_.units, key)
        label = UNIT_LABELS[key].replace("征求意见稿", stage)
        prefix = "说明：" if n == 0 else ""
        sheet.set(row + n, 1, f"{prefix}{marks[n]}{label}：{'' if value is None else value}个。")
    sheet.set(row + 4, 1, "（注：上述说明附在最后一页下面）")


def _round_sheet(round_: Round) -> xlsx.Sheet:
    sheet = xlsx.Sheet(ROUND_SHEET, hidden=True)
    units = {f"units.{key}": getattr(round_.units, key) for key in UNIT_KEYS}
    pairs = {**round_.header(), **{k: "" if v is None else str(v) for k, v in units.items()}}
    for row, (key, value) in enumerate(pairs.items(), 1):
        sheet.rows[row] = [(1, key, xlsx.PLAIN), (2, value, xlsx.PLAIN)]
    return sheet


def _check_exportable(round_: Round) -> None:
    """XLSX cells hold at most 32767 characters and no control characters: the round's
    header fields (printed as “标准名称：…”) as well as every comment."""
    for key, value in round_.header().items():
        problem = _cell_problem(f"{HEADER_FIELDS.get(key, key)}：{value}")
        if problem:
            raise SourceError(round_.path, round_.line_of(key), "REVIEW-004",
                              f"round 的 {key} {problem}，无法写入 XLSX", "修改该项，或导出为 CSV")
    for comment in round_.comments:
        for name, value in comment.values().items():
            problem = _cell_problem(value)
            if problem:
                raise SourceError(round_.path, comment.line_of(name), "REVIEW-004",
                                  f"意见 {comment.id} 的 {name} {problem}，无法写入 XLSX",
                                  "修改该段文字，或导出为 CSV")


def _cell_problem(value: str) -> str:
    return (f"超过 {MAX_CELL} 个字符" if len(value) > MAX_CELL else
            "含有 XLSX 无法保存的字符（控制字符、U+FFFE、U+FFFF 等）" if xlsx.NOT_XML.search(value) else "")


def export_csv(round_: Round, path: str | Path) -> None:
    """One column per field, UTF-8 with BOM (opens correctly in Excel). Cells that a
    spreadsheet would take for a formula get a leading ' that import removes again."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COMMENT_FIELDS)
    for comment in round_.comments:
        writer.writerow([_csv_escape(getattr(comment, name)) for name in COMMENT_FIELDS])
    write_text(path, buffer.getvalue(), encoding="utf-8-sig")


def _csv_escape(value: str) -> str:
    return "'" + value if CSV_FORMULA.match(value) else value


def _csv_unescape(value: str) -> str:
    return value[1:] if value.startswith("'") and CSV_FORMULA.match(value) else value


# ---------------------------------------------------------------- import


def import_table(path: str | Path, base: Round | None = None) -> tuple[Round, list[RowProblem]]:
    """Read a round from XLSX or CSV. Round fields the file does not hold come from
    ``base`` (the YAML file being updated), if any. Returns the round and the rows
    that could not be read."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        rows = list(enumerate(_read_csv(path), 1))
        extra: dict[str, str] = {}
    elif path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, extra = _read_xlsx(path)
    else:
        raise SourceError(str(path), 1, "REVIEW-005", f"不支持的文件类型 “{path.suffix}”",
                          "导入 .xlsx 或 .csv 文件")
    header_index = next((i for i, (_, cells) in enumerate(rows[:30])
                         if _is_header([_cell_text(c) for c in cells])), None)
    if header_index is None:
        raise SourceError(str(path), 1, "REVIEW-005", "找不到表头行（序号 / 章条编号 / 意见内容 …）",
                          "表头应为附件4（序号、国家标准章条编号、意见内容、提出单位、处理意见、备注）"
                          "或 ISO/IEC 意见表模板的列名")
    header_row, header = rows[header_index][0], [_cell_text(cell) for cell in rows[header_index][1]]
    columns = [_column_field(cell) for cell in header]
    if "org" not in columns:
        raise SourceError(str(path), header_row, "REVIEW-005", "表头中没有“提出单位”列",
                          "附件4 的每条意见都要写明提出单位：加上“提出单位”列（ISO/IEC 模板为 MB/NC）")
    labels = {name: f"{xlsx.column_letter(n)} 列（{label.strip()}）"
              for n, (name, label) in enumerate(zip(columns, header), 1) if name}
    round_ = _base_round(path, base, extra)
    _read_heading(round_, [[_cell_text(c) for c in cells] for _, cells in rows[:header_index]])
    problems: list[RowProblem] = []
    for number, cells in rows[header_index + 1:]:
        texts = list(map(_cell_text, cells))
        if not "".join(texts).strip():
            continue
        if not "".join(texts[1:]).strip():       # one cell: a count line, the note, or a comment
            if COUNT_LINE.search(texts[0]):
                _read_count(round_, texts[0])     # 说明：①…：3个。 stands alone in its row
                continue
            if texts[0].startswith("（注"):
                continue
        row = {name: value for name, value in zip(columns, cells) if name}
        text_of = {name: text for name, text in zip(columns, texts) if name}
        comment, (fields, problem) = _comment_from_row(row, text_of, number, len(round_.comments) + 1)
        if problem:
            problems.append(RowProblem(number, problem, _column(labels, fields)))
        else:
            round_.comments.append(comment)
    return round_, problems + _duplicate_ids(round_, _column(labels, ("kept:id", "order")))


def _column(labels: dict[str, str], fields: tuple[str, ...]) -> str:
    """The column of the first of ``fields`` (column names: org, content, kept:type …) the sheet has."""
    return next((labels[name] for name in fields if name in labels), "")


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):    # Excel in China saves CSV as GBK
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise SourceError(str(path), 1, "FILE-001", "CSV 文件既不是 UTF-8 也不是 GB18030 编码",
                          "以 UTF-8 另存该文件")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [[_csv_unescape(cell) for cell in row] for row in reader]
    except csv.Error as exc:      # a field past csv.field_size_limit (131,072 characters)
        raise SourceError(str(path), max(reader.line_num, 1), "REVIEW-005", f"CSV 无法读取：{exc}",
                          f"单元格最多 {MAX_CELL} 个字符（Excel 的上限）；检查引号是否成对") from None


MAX_XLSX_UNPACKED = 128 * 1024 * 1024     # bytes, all parts of the archive together
MAX_XLSX_PARTS = 10_000


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list]], dict[str, str]]:
    """Rows of the first visible sheet and the hidden round sheet. The archive's declared
    sizes are checked first, so a zip bomb is refused before anything is inflated; then the
    fast reader (``xlsx.read``) reads the workbook, or openpyxl when it holds what the fast
    reader leaves to openpyxl (formulas, dates …)."""
    try:
        _check_archive(path)
        try:
            sheet, round_rows = xlsx.read(path, ROUND_SHEET)
        except xlsx.Unsupported:
            sheet, round_rows = _read_with_openpyxl(path)
        rows = []
        for n, values in enumerate(sheet, 1):
            rows.append((n, list(values)))
            if len(max(filter(str.__instancecheck__, values), key=len, default="")) > MAX_CELL:
                raise SourceError(str(path), n, "REVIEW-005", f"第 {n} 行有超过 {MAX_CELL} 个字符的单元格",
                                  f"Excel 单元格最多 {MAX_CELL} 个字符：缩短该单元格")
        extra = {}
        for key, value, *_ in round_rows or ():
            if key:
                extra[str(key)] = _cell_text(value)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged archive fails in many ways inside openpyxl
        # (BadZipFile, zlib.error, KeyError, XML syntax errors …): all mean the same to the user
        raise SourceError(str(path), 1, "REVIEW-005", f"无法打开 XLSX 文件：{type(exc).__name__}",
                          "文件已损坏或不是 Excel 2007 及以后的 .xlsx 格式：在 Excel 中打开后另存") from None
    return rows, extra


def _read_with_openpyxl(path: Path) -> tuple[list[tuple], list[tuple] | None]:
    """What ``xlsx.read`` gives, read by openpyxl (read-only: the sheet XML is streamed)."""
    import openpyxl      # only here: its import alone is a tenth of a second

    book = openpyxl.load_workbook(path, data_only=False, read_only=True)
    try:
        sheet = next((s for s in book.worksheets if s.sheet_state == "visible"), book.worksheets[0])
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append(values)
            if any(isinstance(v, str) and len(v) > MAX_CELL for v in values):
                break        # reported by the caller; the rest is not read
        extra = list(book[ROUND_SHEET].iter_rows(values_only=True)) if ROUND_SHEET in book.sheetnames else None
    finally:
        book.close()
    return rows, extra


def _check_archive(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > MAX_XLSX_PARTS or unpacked > MAX_XLSX_UNPACKED:
        raise SourceError(str(path), 1, "REVIEW-005",
                          f"XLSX 解压后有 {unpacked // (1024 * 1024)} MB、{len(parts)} 个部件，超过上限"
                          f"（{MAX_XLSX_UNPACKED // (1024 * 1024)} MB、{MAX_XLSX_PARTS} 个）",
                          "这不像意见汇总表：检查文件来源，或另存为 CSV 后导入")


def _cell_text(value) -> str:
    """Every cell as text; a formula stays the text of the formula (never evaluated)."""
    if value.__class__ is str:
        return value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _normal_header(cell: str) -> str:
    text = re.sub(r"[\s¹²³⁴⁵*]|\(\d\)|（\d）", "", cell).lower().rstrip("/")
    return text


def _column_field(cell: str) -> str:
    if cell.startswith(KEPT):
        return "kept:" + cell[len(KEPT):]
    return HEADER_ALIASES.get(_normal_header(cell), "")


def _is_header(cells: list[str]) -> bool:
    found = {_column_field(c) for c in cells}
    return bool({"content", "text"} & found) and bool({"clause", "org", "order"} & found)


def _base_round(path: Path, base: Round | None, extra: dict[str, str]) -> Round:
    round_ = Round(path=str(path), id=path.stem)
    if base is not None:
        for key, value in base.header().items():
            setattr(round_, key, value)
        round_.units = replace(base.units)
    for key, value in extra.items():
        if key in round_.header():
            setattr(round_, key, value)
        elif key.removeprefix("units.") in UNIT_KEYS:
            setattr(round_.units, key.removeprefix("units."), int(value) if value.isdigit() else None)
    return round_


def _read_heading(round_: Round, rows: list[list[str]]) -> None:
    for cells in rows:
        for cell in cells:
            for key, label in HEADER_FIELDS.items():
                for variant in (label, label.replace("国家标准", "标准")):
                    if cell.startswith(variant + "：") or cell.startswith(variant + ":"):
                        setattr(round_, key, cell[len(variant) + 1:])


def _read_count(round_: Round, line: str) -> None:
    match = COUNT_LINE.search(line)
    if not match:
        return
    index = "①②③④".index(line[match.start()])
    value = match["value"]
    setattr(round_.units, UNIT_KEYS[index], int(value) if value else None)


def _comment_from_row(raw: dict[str, object], cells: dict[str, str], row: int,
                      position: int) -> tuple[Comment | None, tuple[tuple[str, ...], str]]:
    """The comment of one row — its cells by column name as read (``raw``) and as text
    (``cells``) — or None with the problem: (the columns it is in, what is wrong)."""
    if float in map(type, raw.values()):
        for name, value in raw.items():
            if isinstance(value, float) and name.removeprefix("kept:") in CLAUSE_FIELDS:
                return None, ((name,), f"{value} 是数值，可能已被 Excel 改写（如 5.10 变成 5.1）；"
                                       "把该列设为文本格式后重新填写")
    kept = {name[5:]: value for name, value in cells.items() if name[:5] == "kept:"}
    unknown = [name for name in kept if name not in COMMENT_FIELDS]
    if unknown:
        return None, ((f"kept:{unknown[0]}",), f"未知的列 {KEPT}{unknown[0]}")
    values = dict.fromkeys(COMMENT_FIELDS, "")
    values.update(kept)
    for name in COMMENT_FIELDS:
        if name in cells and not (name in ("proposal", "text") and "content" in cells):
            values[name] = cells[name]
    if "content" in cells:
        if cells["content"] != content_cell(kept.get("text", ""), kept.get("proposal", "")):
            values["text"], values["proposal"] = split_content(cells["content"])
        if cells.get("proposal"):
            values["proposal"] = cells["proposal"]
    if "resolution" in cells and cells["resolution"] != resolution_cell(
            kept.get("disposition", ""), kept.get("response", "")):
        values["disposition"], values["response"] = split_resolution(cells["resolution"])
    values["type"] = normalise_type(values["type"]) if values["type"] else ""
    values["disposition"] = normalise_disposition(values["disposition"])
    if not values["text"].strip() and not values["proposal"].strip():
        return None, (("content", "text", "proposal"), "没有意见内容")
    if not values["org"].strip():
        return None, (("org",), "没有提出单位（附件4 要求每条意见写明提出单位）")
    if values["type"] and values["type"] not in COMMENT_TYPES:
        return None, (("type", "kept:type"), f"意见类型 “{values['type']}” 不可识别（应为 ge、te 或 ed）")
    if values["disposition"] and values["disposition"] not in DISPOSITIONS:
        return None, (("resolution", "disposition", "kept:disposition"),
                      f"处理结论 “{values['disposition']}” 不可识别")
    if not values["id"]:
        order = cells.get("order", "").strip()
        values["id"] = f"C-{int(order):03d}" if order.isdigit() else f"C-{position:03d}"
    return Comment(line=row, **values), ((), "")


def _duplicate_ids(round_: Round, column: str) -> list[RowProblem]:
    seen: dict[str, int] = {}
    problems = []
    for comment in round_.comments:
        if comment.id in seen:
            problems.append(RowProblem(comment.line, f"意见编号 {comment.id} 与第 {seen[comment.id]} 行重复", column))
        seen.setdefault(comment.id, comment.line)
    return problems
