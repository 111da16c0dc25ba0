"""The review forms as Word files: 意见汇总处理表 (附件4, landscape) and 函审结论表 with its
函审单 (附件6). The same content as the HTML and LaTeX forms (templates/forms/, templates/latex/):
committees circulate these forms as Word files and fill in the blanks by hand.
"""
from __future__ import annotations

from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import wordstyles as ws
from .docx import HEI, LATIN_SANS, SIZE, _define_styles, _fonts, _schema_order

FORM_TITLE = "标准文件_表单标题"      # gbstd's own: the title line of a form


class _Form:
    def __init__(self, landscape: bool):
        self.word = WordDocument()
        _define_styles(self.word)
        title = self.word.styles.add_style(FORM_TITLE, WD_STYLE_TYPE.PARAGRAPH)
        title.base_style = self.word.styles["Normal"]
        title.font.size = Pt(SIZE["三号"])
        _fonts(title.element.get_or_add_rPr(), HEI, LATIN_SANS)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(12)
        section = self.word.sections[0]
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        for side in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
            setattr(section, side, Mm(20))
        self.width = (297 if landscape else 210) - 40
        body = self.word.element.body
        for child in list(body):
            if child.tag == qn("w:p"):
                body.remove(child)

    def done(self):
        _schema_order(self.word.styles.element)
        _schema_order(self.word.element)
        return self.word

    def paragraph(self, text: str, style: str = ws.PARAGRAPH):
        paragraph = self.word.add_paragraph(style=style)
        lines = str(text).split("\n")
        paragraph.add_run(lines[0])
        for line in lines[1:]:
            paragraph.add_run().add_break()
            paragraph.add_run(line)
        if style == ws.PARAGRAPH:
            paragraph.paragraph_format.first_line_indent = Mm(0)
        return paragraph

    def head_line(self, left: list[str], right: str) -> None:
        """A line of the form head: fields spaced by ideographic spaces, one at the right margin."""
        paragraph = self.paragraph("　　".join(item for item in left if item))
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(self.width), WD_TAB_ALIGNMENT.RIGHT)
        if right:
            paragraph.add_run("\t" + right)

    def table(self, widths: list[float], rows: list[list[str]], header_rows: int = 1,
              header_columns: int = 0):
        table = self.word.add_table(rows=len(rows), cols=len(widths))
        table.style = self.word.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        total = sum(widths)
        for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
            col.set(qn("w:w"), str(int(Mm(self.width * width / total).twips)))
        for index, (row, texts) in enumerate(zip(table.rows, rows)):
            if index < header_rows:
                row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
            for col, (cell, text) in enumerate(zip(row.cells, texts)):
                cell.width = Mm(self.width * widths[col] / total)
                paragraph = cell.paragraphs[0]
                paragraph.style = self.word.styles[ws.TABLE_TEXT]
                lines = str(text).split("\n")
                paragraph.add_run(lines[0])
                for line in lines[1:]:
                    paragraph.add_run().add_break()
                    paragraph.add_run(line)
                if index < header_rows or col < header_columns:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    for run in paragraph.runs:
                        _fonts(run._r.get_or_add_rPr(), HEI, LATIN_SANS)
                cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        return table


def comments(round_, counts, types: dict, summary: str, level: str):
    """意见汇总处理表 (附件4) as a python-docx Document."""
    form = _Form(landscape=True)
    form.paragraph("意见汇总处理表", FORM_TITLE)
    form.head_line([f"{level}名称：{round_.title}", f"负责起草单位：{round_.drafting_unit}",
                    f"承办人：{round_.contact}", f"电话：{round_.phone}"], "共　页　第　页")
    stage = f"（{round_.stage}{'，' + round_.draft if round_.draft else ''}）" if round_.stage else ""
    period = f"征求意见期限：{round_.opened}—{round_.closes}" if round_.opened or round_.closes else ""
    form.head_line([f"轮次：{round_.id}{stage}", period], f"{round_.filled or '　年　月　日'}填写")
    rows = [["序号", f"{level}章条编号", "意见内容", "提出单位", "处理意见", "备注"]]
    for n, comment in enumerate(round_.comments, 1):
        clause = comment.clause + (f"\n（现 {comment.clause_now}）"
                                   if comment.clause_now and comment.clause_now != comment.clause else "")
        text = comment.text + (f"\n修改建议：{comment.proposal}" if comment.proposal else "")
        org = comment.org + (f"\n{comment.submitter}" if comment.submitter else "")
        disposition = comment.disposition or "（未处理）"
        if comment.response:
            disposition += f"\n{comment.response}"
        remarks = "\n".join(x for x in (comment.remarks,
                                         f"{types[comment.type]}性意见" if comment.type else "",
                                         comment.id) if x)
        rows.append([str(n), clause, text, org, disposition, remarks])
    form.table([4, 10, 34, 12, 28, 12], rows)
    for index, (mark, label, value) in enumerate(counts):
        form.paragraph(f"{'说明：' if index == 0 else ''}{mark}{label}：{'　　' if value is None else value}个。",
                       ws.TABLE_NOTE)
    form.paragraph(f"统计：{summary}。", ws.TABLE_NOTE)
    return form.done()


def ballot(ballot_, tally, votes, level: str):
    """函审结论表 (附件6) and 附：函审单, as a python-docx Document."""
    form = _Form(landscape=False)
    form.paragraph(f"{level}送审稿函审结论表", FORM_TITLE)
    returns = [f"函审单总数：{tally.sent}"
               + (f"（起草单位 {tally.drafters} 个不参加表决，未计入）" if tally.drafters else "")]
    returns += [f"{name}：共 {tally.counts[name]} 个单位" for name in votes]
    if tally.invalid:
        returns.append(f"废票（不计数）：{tally.invalid} 张")
    if tally.discarded:
        returns.append(f"无理由的不赞成票（按表决规则不计）：{tally.discarded} 张")
    conclusion = [ballot_.conclusion] if ballot_.conclusion else []
    conclusion += [f"计票（{tally.rule.name}）：{tally.summary()}", f"结论：{tally.outcome}"]
    dates = f"发出日期：{ballot_.sent or '　年　月　日'}　　投票截止日期：{ballot_.deadline or '　年　月　日'}"
    table = form.table([16, 34, 16, 34], [
        [f"{level}名称", ballot_.title, "", ""],
        ["负责起草单位", ballot_.drafting_unit, "组织函审单位", ballot_.organiser],
        ["函审时间", dates, "", ""],
        ["回函情况", "\n".join(returns), "", ""],
        ["函审结论", "\n".join(conclusion), "", ""],
    ], header_rows=0, header_columns=1)
    for index in (0, 2, 3, 4):
        cells = table.rows[index].cells
        cells[1].merge(cells[3])
        for paragraph in cells[1].paragraphs[1:]:     # merge() appends the empty cells' paragraphs
            paragraph._p.getparent().remove(paragraph._p)
    form.paragraph("")
    sign = form.paragraph("负责起草单位：\t组织函审单位：")
    sign.paragraph_format.tab_stops.add_tab_stop(Mm(form.width / 2))
    for line in ("技术负责人：（签名、盖公章）\t技术负责人：（签名、盖公章）", "　　年　月　日\t　　年　月　日"):
        form.paragraph(line).paragraph_format.tab_stops.add_tab_stop(Mm(form.width / 2))
    form.paragraph("附：函审单", FORM_TITLE)
    rows = [["序号", "审查单位", "表决态度", "建议或意见和理由"]]
    for n, vote in enumerate(ballot_.votes, 1):
        member = vote.member + (f"（{vote.org}）" if vote.org and vote.org != vote.member else "")
        if vote.drafter:
            member += "\n（起草单位，不参加表决）"
        rows.append([str(n), member, vote.vote + ("（建议已采纳，计为赞成）" if vote.adopted else ""),
                     vote.reasons])
    form.table([8, 34, 18, 40], rows)
    return form.done()
