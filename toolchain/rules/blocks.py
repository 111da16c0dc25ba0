"""Tables, formula numbers, notes and examples."""
from __future__ import annotations

import re
from typing import Iterator

from ..model import Document, Figure, Formula, Gap, IndicatorTable, Paragraph, Table
from . import DOCUMENT, Report, rule
from .text import PERMISSION, RECOMMENDATION, REQUIREMENT, gb, mask, prose, provisions

NUMBER = re.compile(r"^(?:(?P<letter>[A-Z])\.)?(?P<n>[1-9]\d*)$")


def numbered_in_order(doc: Document, kinds: tuple[type, ...]) -> Iterator[tuple[str, object]]:
    """Blocks of ``kinds`` in document order with the annex letter they must carry ("" in the body)."""
    for top in doc.clauses:
        for clause in top.walk():
            for block in clause.blocks:
                if isinstance(block, kinds):
                    yield (top.annex_letter if top.kind == "annex" else ""), block


def continuity(doc: Document, kinds: tuple[type, ...], noun: str, write) -> Iterator[Report]:
    """Numbers run 1, 2 … in the body and A.1, A.2 … in each annex (tables, formulas).

    After a gap (content declared lost) a jump in the numbers is not reported.
    """
    previous: dict[str, int] = {}
    lost: set[str] = set()
    for letter, block in numbered_in_order(doc, kinds + (Gap,)):
        if isinstance(block, Gap):
            lost.add(letter)
            continue
        if not block.number:
            continue
        m = NUMBER.match(block.number)
        place = f"附录{letter}" if letter else "正文"
        if m is None or (m["letter"] or "") != letter:
            right = f"{letter}.{previous.get(letter, 0) + 1}" if letter else str(previous.get(letter, 0) + 1)
            yield Report(block.line, f"{noun}编号 “{block.number}” 不合规：{place}中的{noun}应编号为 {write(right)}",
                         f"正文中的{noun}编号为 1、2…，附录中的为 A.1、A.2…（字母为所在附录）")
            continue
        number = int(m["n"])
        last = previous.get(letter, 0)
        if number != last + 1 and not (letter in lost and number > last):
            yield Report(block.line, f"{noun}编号 {write(block.number)} 不连续：{place}中上一个{noun}为 "
                         f"{write(f'{letter}.{last}' if letter else str(last)) if last else '（无）'}",
                         f"{noun}在正文中从 1 起、在每个附录中从 X.1 起连续编号")
        previous[letter] = number
        lost.discard(letter)


@rule("TAB-001", "error", "表有编号（正文 表1、表2…，附录 表A.1…），连续编号，宜有表题", clause=gb("9.8.2"), scope=DOCUMENT)
def table_numbers(doc: Document, ctx) -> Iterator[Report]:
    for _, table in numbered_in_order(doc, (Table, IndicatorTable)):
        if not table.number:
            yield Report(table.line, "表没有编号", "给表加编号和表题：用 ```{table} 表1 表题（或 list-table）书写")
        elif not table.caption:
            yield Report(table.line, f"表{table.number} 没有表题", "在表编号之后写表题", "warning")
    yield from continuity(doc, (Table, IndicatorTable), "表", lambda n: f"表{n}")


@rule("TAB-004", "error", "表有表头", clause=gb("9.8.1、9.8.4"), applies=("2020",), scope=DOCUMENT)
def table_header(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.tables:
        if not table.has_header:
            yield Report(table.line, f"表{table.number} 没有表头", "给表设表头行（list-table 写 :header-rows: 1）")


@rule("TAB-005", "error", "表中不用“同上”“同左”，空单元格写“—”", clause=gb("10.4.2.2"), applies=("2020",), scope=DOCUMENT)
def table_cells(doc: Document, ctx) -> Iterator[Report]:
    for table in doc.tables:
        empty = []
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row, 1):
                if cell.strip() in ("同上", "同左"):
                    yield Report(table.line, f"表{table.number} 第{r}行第{c}列写了“{cell.strip()}”",
                                 "合并单元格，或重复写出内容")
                elif not cell.strip():
                    empty.append(f"第{r}行第{c}列")
        if empty:
            yield Report(table.line, f"表{table.number} 有空单元格：{'、'.join(empty)}", "空单元格写一字线“—”",
                         "warning")


FORMULA_REFERENCE = (
    re.compile(r"(?<![公方])式\s*[（(]\s*(?:[A-Z]\.)?\d+\s*[)）]"),
    re.compile(r"公式\s*\(\s*(?:[A-Z]\.)?\d+\s*\)"),
    re.compile(r"公式\s*(?:[A-Z]\.)?\d+"),
)


@rule("FORM-001", "error", "公式编号 (1)、(2)…（附录 (A.1)…）连续；正文中写作“公式（n）”",
      clause=gb("9.9.2、9.5.3、10.4.3"), scope=DOCUMENT)
def formula_numbers(doc: Document, ctx) -> Iterator[Report]:
    yield from continuity(doc, (Formula,), "公式", lambda n: f"公式（{n}）")
    for piece in prose(doc):
        for pattern in FORMULA_REFERENCE:
            m = pattern.search(piece.text)
            if m:
                yield Report(piece.line_at(m.start()), f"公式的引用写成了“{m.group()}”",
                             "写成“公式（3）”“公式（A.1）”（全角括号）", "warning")
                break


def label_sequence(paragraphs: list[Paragraph], word: str) -> Iterator[Report]:
    """One 注/示例 is labelled “注：”; several are “注1：”, “注2：” … in order."""
    count = len(paragraphs)
    for index, paragraph in enumerate(paragraphs, 1):
        number = paragraph.label[len(word):].strip()
        expected = "" if count == 1 else str(index)
        if number != expected:
            yield Report(paragraph.line,
                         f"只有一个{word}，应写“{word}：”，不编号" if count == 1
                         else f"这里有 {count} 个{word}，此处应为“{word}{expected}：”，实际为“{paragraph.label.strip()}：”",
                         f"一个{word}写“{word}：”，多个依次写“{word}1：”“{word}2：”……")
        elif paragraph.label != word + number or paragraph.text[len(paragraph.label):][:1] == ":":
            yield Report(paragraph.line, f"“{paragraph.text[:len(paragraph.label) + 1]}”的写法不规范",
                         f"写成“{word}{number}：”（无空格，全角冒号）", "warning")


def _in_clauses(doc: Document, kind: str) -> Iterator[list[Paragraph]]:
    for clause in doc.walk():
        found = [b for b in clause.blocks if isinstance(b, Paragraph) and b.kind == kind]
        if found:
            yield found


@rule("NOTE-001", "error", "一个章条（或一幅图）中只有一个注时写“注：”，多个注时写“注1：”“注2：”……", clause=gb("9.11"), scope=DOCUMENT)
def note_labels(doc: Document, ctx) -> Iterator[Report]:
    for notes in _in_clauses(doc, "note"):
        yield from label_sequence(notes, "注")
    for figure in doc.figures:          # a figure's notes are numbered within the figure
        yield from label_sequence(figure.notes, "注")


@rule("EX-001", "error", "只有一个示例时写“示例：”，多个示例时写“示例1：”“示例2：”……", clause=gb("9.10"), scope=DOCUMENT)
def example_labels(doc: Document, ctx) -> Iterator[Report]:
    for examples in _in_clauses(doc, "example"):
        yield from label_sequence(examples, "示例")
    for term in doc.terms:
        yield from label_sequence(term.examples, "示例")


# After 可/可以: a choice left to the user of the document (可采用、可按、可不) — a permission.
GRANTS = re.compile(r"(?:以)?(?:采用|选择|选用|参照|参考|按照|按|根据|依据|自行|另行|不|免)")


@rule("NOTE-002", "error", "注、示例和条文脚注只作说明，不包含要求（应）或推荐、允许（宜、可）", clause=gb("9.2、9.11、9.12"), scope=DOCUMENT)
def notes_without_provisions(doc: Document, ctx) -> Iterator[Report]:
    for piece in prose(doc, kinds=("note", "example", "term-note", "term-example")):
        found = provisions(piece.text, REQUIREMENT + RECOMMENDATION + PERMISSION)
        if not found:
            continue
        verb, at = found[0].group(), found[0].start()
        what = "注" if "note" in piece.kind else "示例"
        if verb in PERMISSION and not GRANTS.match(piece.text, found[0].end()):
            # 可 saying what can happen or be done (可达到、可通过…获得) states a fact: Annex C would
            # write 能/可能, but it is not a permission given to the user — a hint, not a finding
            yield Report(piece.line_at(at), f"{what}中的“{verb}”如表示允许，就是允许型条款",
                         f"表示允许时把这句移到正文；表示能力或可能时按附录C写“能”“可能”", "info")
            continue
        yield Report(piece.line_at(at), f"{what}中使用了能愿动词“{verb}”，{what}不应包含条款",
                     f"把条款移到正文，{what}只作说明", "" if verb in REQUIREMENT else "warning")
    # text footnotes are additional information too; a table footnote may state a requirement
    # (GB/T 1.1—2020 9.8.6), so footnotes referred to from a table are not read
    for footnote in doc.footnotes:
        if footnote.in_table:
            continue
        found = provisions(mask(footnote.text), REQUIREMENT + RECOMMENDATION)
        if found:
            verb = found[0].group()
            yield Report(footnote.line + footnote.text.count("\n", 0, found[0].start()),
                         f"脚注 [^{footnote.label}] 中使用了能愿动词“{verb}”，条文脚注不应包含条款",
                         "把要求或推荐移到正文，脚注只作说明", "" if verb in REQUIREMENT else "warning")


MENTION = re.compile(r"(?P<kind>[表图])\s*(?P<number>[A-Z]?\.?\d+(?:\.\d+)?)(?:\s*[～~至到—-]\s*(?P=kind)?\s*(?P<last>[A-Z]?\.?\d+(?:\.\d+)?))?")


def mentioned(doc: Document, kind: str) -> set[str]:
    """Numbers of the tables (kind 表) or figures (图) the running text mentions: 见表1,
    表A.1 给出了…, 表1～表3 (every table of the range)."""
    return set(_mention_lines(doc, kind))


def _positions(doc: Document, kinds: tuple[type, ...]) -> Iterator[tuple[object, str]]:
    """Each block of ``kinds`` with the number its position gives it (3 in the body, A.2 …)."""
    count: dict[str, int] = {}
    for letter, block in numbered_in_order(doc, kinds):
        count[letter] = count.get(letter, 0) + 1
        yield block, f"{letter}.{count[letter]}" if letter else str(count[letter])


@rule("TAB-006", "warning", "每个编号的表都在条文中提及（见表1、表A.1 给出了……）", clause=gb("9.8"), scope=DOCUMENT)
def tables_mentioned(doc: Document, ctx) -> Iterator[Report]:
    found = mentioned(doc, "表")
    for table, positional in _positions(doc, (Table, IndicatorTable)):
        if positional != table.number and positional in found:
            continue    # misnumbered (TAB-001): the text mentions it under the number it should have
        if table.number and table.number not in found:
            yield Report(table.line, f"表{table.number} 在条文中没有被提及",
                         f"在表之前的条文中提及它，如“……见表{table.number}”“表{table.number} 给出了……”")


def _mention_lines(doc: Document, kind: str) -> dict[str, int]:
    """Number -> first line of the running text that mentions that table or figure."""
    first: dict[str, int] = {}
    for piece in prose(doc):
        for number in mentioned_in(piece.raw, kind):
            first.setdefault(number, piece.line)
    return first


def mentioned_in(text: str, kind: str) -> set[str]:
    found: set[str] = set()
    for m in MENTION.finditer(text):
        if m["kind"] != kind:
            continue
        first = m["number"]
        found.add(first)
        last = m["last"]
        if last and first.rpartition(".")[0] == last.rpartition(".")[0]:
            prefix, _, low = first.rpartition(".")
            high = last.rpartition(".")[2]
            if low.isdigit() and high.isdigit():
                found |= {f"{prefix}.{n}" if prefix else str(n) for n in range(int(low), int(high) + 1)}
    return found


@rule("FIG-001", "error", "图有编号（正文 图1、图2…，附录 图A.1…），连续编号，宜有图题", clause=gb("9.7.2"), scope=DOCUMENT)
def figure_numbers(doc: Document, ctx) -> Iterator[Report]:
    for _, figure in numbered_in_order(doc, (Figure,)):
        if not figure.number:
            yield Report(figure.line, "图没有编号", "图题写成“图1 图题”（附录中“图A.1 图题”）：{figure} 指令的图题行，或 ![图1 图题](文件)")
        elif not figure.caption:
            yield Report(figure.line, f"图{figure.number} 没有图题", "在图编号之后写图题", "warning")
    yield from continuity(doc, (Figure,), "图", lambda n: f"图{n}")


@rule("FIG-006", "warning", "每幅图都在条文中提及，且提及在图之前", clause=gb("9.7.1"), scope=DOCUMENT)
def figures_mentioned(doc: Document, ctx) -> Iterator[Report]:
    first = _mention_lines(doc, "图")
    for figure in doc.figures:
        if not figure.number:
            continue
        line = first.get(figure.number)
        if line is None:
            yield Report(figure.line, f"图{figure.number} 在条文中没有被提及",
                         f"在图之前的条文中提及它，如“……见图{figure.number}”“图{figure.number} 给出了……”")
        elif line > figure.line:
            yield Report(figure.line, f"图{figure.number} 在第 {line} 行才首次被提及，晚于图本身",
                         f"在图之前的条文中提及图{figure.number}，或把图移到提及它的段落之后")


@rule("FN-001", "warning", "条文脚注按出现顺序用 1)、2)… 从 1 起连续编号", clause=gb("9.12.1"), scope=DOCUMENT)
def footnote_numbering(doc: Document, ctx) -> Iterator[Report]:
    """Labels written as numbers are the numbers GB prints: in the order of the first
    reference, from 1, through the whole document. Named labels ([^source]) are numbered by
    the toolchain and not checked."""
    expected = 1
    for footnote in doc.footnotes:
        if footnote.in_table or not footnote.label.isdigit():
            continue
        if int(footnote.label) != expected:
            yield Report(min(footnote.references, default=footnote.line),
                         f"脚注编号 {footnote.label} 不连续：按出现顺序应为 {expected}",
                         "条文脚注按在正文中出现的先后，从 1 起连续编号")
            return
        expected += 1


@rule("FN-002", "error", "表的脚注用小写拉丁字母 a、b、c… 编号", clause=gb("9.12.2"), scope=DOCUMENT)
def table_footnote_labels(doc: Document, ctx) -> Iterator[Report]:
    for footnote in doc.footnotes:
        if footnote.in_table and not re.fullmatch(r"[a-z]", footnote.label):
            yield Report(footnote.line, f"表的脚注 [^{footnote.label}] 没有用小写字母编号",
                         "表的脚注用 a、b、c…编号（[^a]），每个表从 a 起")


@rule("FIG-005", "warning", "图的标引序号说明以“标引序号说明：”引出（2009：“说明：”）", clause=gb("9.7.4"),
      applies=("2020",), scope=DOCUMENT)
def figure_key_label(doc: Document, ctx) -> Iterator[Report]:
    for figure in doc.figures:
        for paragraph in figure.legend:
            if re.match(r"^说明[：:]", paragraph.text.strip()):
                yield Report(paragraph.line, f"图{figure.number} 的图中标引序号的说明以“说明：”引出",
                             "GB/T 1.1—2020 写“标引序号说明：”，其后每行“1——名称；”")
