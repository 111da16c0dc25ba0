"""Comment rounds to and from XLSX (附件4 and ISO/IEC layouts) and CSV.

Every record here is SYNTHETIC test data, made hostile on purpose.
"""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gbstd.cli import main
from gbstd.findings import SourceError
from gbstd.review import tables
from gbstd.review.comments import COMMENT_FIELDS, Comment, Round, Units, load_round, round_data

FIXTURE = Path(__file__).parent / "fixtures" / "review" / "demo" / "comments" / "zq-01.yaml"
HOSTILE = [
    "<script>alert('x')</script>", r"\input{/etc/passwd}", "{{ 7*7 }}{% raw %}",
    '=HYPERLINK("http://example.invalid","点我")', "+1+1", "-2", "@SUM(A1)", "'=quoted",
    "全角标点：，。；“”‘’（）【】《》——……", "多行\n第二行\n\n第四行", "  前后空格  ",
    "正文\n修改建议：看起来像分隔标记", "采纳：看起来像处理结论", "5.10",
]


def hostile_round() -> Round:
    comments = []
    for n, value in enumerate(HOSTILE, 1):
        free = [name for name in COMMENT_FIELDS if name not in ("id", "type", "disposition")]
        fields = {name: value for name in free}
        fields[free[n % len(free)]] = ""     # a different empty cell in each comment
        fields["text"] = fields["text"] or value       # … but 附件4 requires the text
        fields["org"] = fields["org"] or value         # and the 提出单位 of every comment
        comments.append(Comment(id=f"H-{n:02d}", type=("ge", "te", "ed", "")[n % 4],
                                disposition=("采纳", "部分采纳", "未采纳", "解释说明", "")[n % 5], **fields))
    return Round(path="hostile.yaml", id="R-<b>1</b>", stage="征求意见稿", draft="v0.3", title=HOSTILE[0],
                 drafting_unit=HOSTILE[1], contact=HOSTILE[3], phone="", filled="2025-03-20",
                 closes="2025-03-31", units=Units(sent=42, replied=30, replied_with_comments=14, not_replied=12),
                 comments=comments)


def assert_same(a: Round, b: Round) -> None:
    left, right = round_data(a), round_data(b)
    assert left["round"] == right["round"]
    assert len(left["comments"]) == len(right["comments"])
    for x, y in zip(left["comments"], right["comments"]):
        assert x == y, (x["id"], {k: (x.get(k), y.get(k)) for k in set(x) | set(y) if x.get(k) != y.get(k)})


@pytest.mark.parametrize("layout", tables.LAYOUTS)
def test_xlsx_round_trip_loses_nothing(tmp_path, layout):
    original = hostile_round()
    tables.export_xlsx(original, tmp_path / "r.xlsx", layout)
    again, problems = tables.import_table(tmp_path / "r.xlsx")
    assert problems == []
    assert_same(original, again)


def test_fixture_round_trip_field_by_field(tmp_path):
    original = load_round(FIXTURE)
    for layout in tables.LAYOUTS:
        tables.export_xlsx(original, tmp_path / f"{layout}.xlsx", layout)
        assert_same(original, tables.import_table(tmp_path / f"{layout}.xlsx")[0])


def test_csv_round_trip_loses_nothing(tmp_path):
    original = hostile_round()
    tables.export_csv(original, tmp_path / "r.csv")
    again, problems = tables.import_table(tmp_path / "r.csv", base=original)
    assert problems == []
    assert_same(original, again)


def test_csv_cells_are_not_formulas_when_opened(tmp_path):
    tables.export_csv(hostile_round(), tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
    assert "'" + HOSTILE[3] in cells


def test_exported_xlsx_has_no_formula(tmp_path):
    tables.export_xlsx(hostile_round(), tmp_path / "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as book:
        sheets = [book.read(name).decode() for name in book.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in sheet or "<f " in sheet for sheet in sheets)


def annex4_sheet(path: Path, rows: list[list]) -> None:
    """A form filled in by hand: 附件4 header, no kept columns."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["意见汇总处理表"])
    sheet.append(["标准名称：某标准", None, "负责起草单位：某单位", "承办人：李四", "电话：123"])
    sheet.append(["序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注"])
    for row in rows:
        sheet.append(row)
    sheet.append([])
    sheet.append(["说明：①发送“征求意见稿”的单位数：22个。"])
    sheet.append(["②收到“征求意见稿”后，回函的单位数：10个。"])
    sheet.append(["③收到“征求意见稿”后，回函并有建议或意见的单位数：2个。"])
    sheet.append(["④没有回函的单位数：12个。"])
    sheet.append(["（注：上述说明附在最后一页下面）"])
    book.save(path)


def test_hand_filled_form_imports(tmp_path):
    annex4_sheet(tmp_path / "form.xlsx", [
        [1, "5.2", "应量化。\n修改建议：改为不低于 90%", "甲院", "部分采纳。正文不宜量化", None],
        [2, "=A4", "=1+1", "乙会", "采纳", "公式应按文本读入"],
    ])
    round_, problems = tables.import_table(tmp_path / "form.xlsx")
    assert problems == []
    first, second = round_.comments
    assert (first.id, first.text, first.proposal) == ("C-001", "应量化。", "改为不低于 90%")
    assert (first.disposition, first.response) == ("部分采纳", "正文不宜量化")
    assert (second.clause, second.text, second.disposition) == ("=A4", "=1+1", "采纳")
    assert (round_.title, round_.drafting_unit, round_.contact) == ("某标准", "某单位", "李四")
    assert (round_.units.sent, round_.units.replied, round_.units.replied_with_comments,
            round_.units.not_replied) == (22, 10, 2, 12)


def test_unreadable_rows_are_reported_with_their_numbers(tmp_path):
    annex4_sheet(tmp_path / "form.xlsx", [
        [1, "4.1", "可读", "甲院", "采纳", None],
        [2, 5.1, "章条编号被 Excel 改成了数值", "乙会", None, None],
        [3, "4.2", None, "丙校", "采纳", None],
        [4, "4.3", "也可读", "丁司", None, None],
    ])
    round_, problems = tables.import_table(tmp_path / "form.xlsx")
    assert [(p.row, p.column) for p in problems] == [(5, "B 列（标准章条编号）"), (6, "C 列（意见内容）")]
    assert "数值" in problems[0].message and "意见内容" in problems[1].message
    assert [c.text for c in round_.comments] == ["可读", "也可读"]
    target = tmp_path / "round.yaml"
    assert main(["comments", "import", str(tmp_path / "form.xlsx"), str(target)]) == 1
    assert not target.exists()       # nothing half-written


def test_added_row_without_its_organisation_is_refused(tmp_path, capsys):
    """附件4 requires 提出单位: a row added by hand without one (and without a type) is
    reported with its row and column, and nothing is written."""
    tables.export_xlsx(load_round(FIXTURE), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    added = header + len(load_round(FIXTURE).comments) + 1
    sheet.insert_rows(added)
    for column, value in enumerate(["4", "4.1", "补充一条意见", None, None, None], 1):
        sheet.cell(added, column).value = value
    book.save(tmp_path / "r.xlsx")
    _, problems = tables.import_table(tmp_path / "r.xlsx")
    assert [(p.row, p.column) for p in problems] == [(added, "D 列（提出单位）")]
    assert "提出单位" in problems[0].message
    target = tmp_path / "round.yaml"
    assert main(["comments", "import", str(tmp_path / "r.xlsx"), str(target)]) == 1
    err = capsys.readouterr().err
    assert f"r.xlsx:{added}: 错误 REVIEW-003: 第 {added} 行 D 列（提出单位）无法读取：没有提出单位" in err
    assert not target.exists()


def test_csv_row_without_organisation_names_the_column(tmp_path):
    original = load_round(FIXTURE)
    original.comments[1].org = ""
    tables.export_csv(original, tmp_path / "r.csv")
    _, problems = tables.import_table(tmp_path / "r.csv", base=original)
    assert [(p.row, p.column) for p in problems] == [(3, "I 列（org）")]


def test_form_without_organisation_column_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["序号", "章条编号", "意见内容", "处理意见"])
    book.active.append([1, "4.1", "意见", "采纳"])
    book.save(tmp_path / "form.xlsx")
    with pytest.raises(SourceError) as error:
        tables.import_table(tmp_path / "form.xlsx")
    assert error.value.line == 1 and "提出单位" in error.value.message


def test_edited_visible_cell_wins_over_kept_fields(tmp_path):
    tables.export_xlsx(load_round(FIXTURE), tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sheet = book.worksheets[0]
    header = next(r for r in range(1, 10) if sheet.cell(r, 1).value == "序号")
    sheet.cell(header + 2, 5).value = "未采纳：与上位标准冲突"
    book.save(tmp_path / "r.xlsx")
    comment = tables.import_table(tmp_path / "r.xlsx")[0].comments[1]
    assert (comment.id, comment.disposition, comment.response) == ("C-002", "未采纳", "与上位标准冲突")


def test_plain_iso_export_is_exactly_the_template(tmp_path):
    tables.export_xlsx(load_round(FIXTURE), tmp_path / "iso.xlsx", "iso", plain=True)
    book = openpyxl.load_workbook(tmp_path / "iso.xlsx")
    assert book.sheetnames == ["Comments"]
    header = [c.value for c in book.active[3] if c.value]
    assert header == ["MB/NC", "Line number", "Clause/Subclause", "Paragraph/Figure/Table",
                      "Type of comment", "Comments", "Proposed change", "Observations of the Secretariat"]


def test_annex4_export_carries_the_form(tmp_path):
    tables.export_xlsx(load_round(FIXTURE), tmp_path / "gb.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "gb.xlsx").worksheets[0]
    values = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert values[0] == "意见汇总处理表"
    assert ["序号", "国家标准章条编号", "意见内容", "提出单位", "处理意见", "备注"] == \
        [c.value for c in sheet[4]][:6]
    assert "说明：①发送“征求意见稿”的单位数：5个。" in values
    assert "④没有回函的单位数：1个。" in values
    assert "部分采纳：量化要求列入附录A，正文不再重复。" in values


def test_not_a_spreadsheet_is_a_located_error(tmp_path, capsys):
    (tmp_path / "x.xlsx").write_text("not a zip", encoding="utf-8")
    assert main(["comments", "import", str(tmp_path / "x.xlsx"), str(tmp_path / "r.yaml")]) == 2
    assert "x.xlsx:1: 错误 REVIEW-005" in capsys.readouterr().err


def test_cli_export_import_render(tmp_path, capsys):
    source = tmp_path / "round.yaml"
    source.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["comments", "export", str(source), str(tmp_path / "r.xlsx"), "--layout", "iso"]) == 0
    assert main(["comments", "import", str(tmp_path / "r.xlsx"), str(tmp_path / "back.yaml")]) == 0
    assert_same(load_round(source), load_round(tmp_path / "back.yaml"))
    assert main(["comments", "render", str(source), "-o", str(tmp_path / "r.html")]) == 0
    assert "意见汇总处理表" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert main(["comments", "export", str(source), str(tmp_path / "r.txt")]) == 2
