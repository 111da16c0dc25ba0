"""Explanatory notes (编制说明) against the standard they explain.

A note states figures about its standard: points of indicators, the total,
grade thresholds, how many chapters, annexes and terms it has. When the
standard is in the corpus, those figures are compared with its model. The
comparison is conservative: a figure is compared only when its sentence names
the thing unambiguously (one indicator name, quoted or not, and one points figure;
one grade label and one lower bound; “本文件……8个章节”) and the standard has it.
A sentence that names an indicator speaks of that indicator: its “总分 N 分” is
the indicator's points, never the table's total. Its “得 N 分” is what one band or
level earns when the indicator is scored by bands or levels (“不大于1.4 的得 10 分”),
and is compared with those.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..source.indicators import format_points
from ..model import Document, DocumentSummary, ListBlock, Paragraph, iter_items
from ..values import resolve_value
from . import CORPUS, DOCUMENT, Context, Report, rule, standard_summary

SOURCE = "编制说明与标准一致（《国家标准管理办法》编制说明）"
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _plain(text: str) -> str:
    return re.sub(r"[\s　《》]", "", text)


def explained_slug(explains: str, index: dict[str, list[DocumentSummary]]) -> str | None:
    """The slug of the corpus standard a note explains: by slug, else by title or designation."""
    if standard_summary(index, explains) is not None:
        return explains
    wanted = _plain(explains)
    for slug in sorted(index):
        standard = standard_summary(index, slug)
        if standard is not None and wanted in {_plain(standard.meta_title), _plain(standard.title),
                                               _plain(standard.designation)}:
            return slug
    return None


def explained(summary: DocumentSummary, index: dict[str, list[DocumentSummary]]) -> list[str]:
    """What the notes rules read besides the note: the standard it explains (their ``refers``)."""
    slug = explained_slug(summary.explains, index)
    return [slug] if slug is not None else []


def explained_standard(doc: Document, ctx: Context) -> Document | None:
    """The corpus standard a note explains (``explained_slug``)."""
    slug = explained_slug(doc.meta.explains, ctx.index)
    return ctx.standard(slug) if slug is not None else None


@rule("NOTES-EXPLAINS", "error", "编制说明声明其所说明的标准（explains），且该标准可以找到",
      clause=SOURCE, kinds=("notes",), scope=CORPUS, refers=explained)
def explains_known(doc: Document, ctx: Context) -> Iterator[Report]:
    if explained_standard(doc, ctx) is not None:
        return
    explains = doc.meta.explains
    line = doc.meta.line_of("explains")
    if SLUG.match(explains):
        yield Report(line, f"explains 写的标准目录 “{explains}” 在语料库（standards/）中不存在",
                     "写成所说明标准的目录名（standards/<目录名>/standard.md），或写标准名称")
    else:
        yield Report(line, f"所说明的标准 “{explains}” 不在语料库中，不做数字比对", "", severity="info")


# ---------------------------------------------------------------- figures in the text

_NUMERALS = "零一二三四五六七八九"


def to_number(text: str) -> float:
    """“8”, “12.5”, “八”, “两”, “十二”, “二十” → the number."""
    if text[0].isdigit():
        return float(text)
    text = text.replace("两", "二")
    tens, _, units = text.partition("十")
    if "十" not in text:
        return float(_NUMERALS.index(text))
    return float((_NUMERALS.index(tens) if tens else 1) * 10 + (_NUMERALS.index(units) if units else 0))


NUM = r"(\d+(?:\.\d+)?|[一二两三四五六七八九十]{1,3})"
THIS_DOCUMENT = re.compile(r"本(?:文件|标准|规范|导则)")
COUNTS = {
    # what: (pattern of the sentence, how the standard's model counts it)
    "chapters": (re.compile(rf"(?:由|包括|包含|分为|共)\s*{NUM}\s*个?(?:章节|章)"), "章"),
    "annexes": (re.compile(rf"(?:给出了?|包括|包含|设有?|共|有)\s*{NUM}\s*个(?:规范性|资料性)?附录"), "个附录"),
    "terms": (re.compile(rf"{NUM}\s*(?:个|条)术语"), "个术语"),
}
QUOTED = re.compile(r"“([^”]+)”")
POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")
PERCENT_SCALE = re.compile(r"(?:总分|满分|得分)[^。；]*百分制")
STATED_TOTAL = re.compile(r"(?:总分|满分)为?\s*(\d+(?:\.\d+)?)\s*分")
SENTENCE = re.compile(r"[^。；;！？]+")
ROLE_TEXT = re.compile(r"〔[^〕]*〕")  # a {std-value} role: the figure is taken, not stated


def _sentences(doc: Document) -> Iterator[tuple[int, str]]:
    """(line, sentence) for the running text of a note."""
    for _, block in doc.blocks():
        if isinstance(block, ListBlock):
            texts = [(item.line, item.text) for item in iter_items(block.items)]
        elif isinstance(block, Paragraph) and block.kind == "text":
            texts = [(block.line, block.text)]
        else:
            continue
        for line, text in texts:
            text = ROLE_TEXT.sub("", text)
            for m in SENTENCE.finditer(text):
                yield line + text.count("\n", 0, m.start()), m.group()


def _bound(sentence: str, m: re.Match) -> str:
    """How a “N 分” figure is used: “lower” (≥N分, N分≤), “upper” (<N分), “earned” (得N分:
    what a band or level earns) or “points”."""
    preceding = sentence[: m.start()].rstrip()
    before = preceding[-1:]
    after = sentence[m.end():].lstrip()
    if before == "≥" or preceding.endswith(("不低于", "不少于")) or after[:1] == "≤" \
            or after.startswith(("及以上", "以上")):
        return "lower"
    if before in ("<", "＜", "≤", ">", "＞") or after[:1] in ("<", "＜"):
        return "upper"
    return "earned" if before == "得" else "points"


class _Figures:
    """What the standard's model says, in the shapes the note's sentences use."""

    def __init__(self, standard: Document):
        self.standard = standard
        self.points: dict[str, set[float]] = {}
        self.earned: dict[str, set[float]] = {}    # points of the bands or levels
        self.grades: dict[str, set[float]] = {}
        self.names: set[str] = set()
        for table in standard.indicator_tables:
            for indicator in table.walk():
                self.names.add(indicator.name)
                if indicator.points is not None:
                    self.points.setdefault(indicator.name, set()).add(indicator.points)
                steps = {b.points for b in indicator.bands} | {lv.points for lv in indicator.levels}
                if steps:
                    self.earned.setdefault(indicator.name, set()).update(steps)
            for grades in [table.grades] + [v.grades for v in table.variants]:
                for grade in grades:
                    if grade.label:
                        self.grades.setdefault(grade.label, set()).add(grade.min)
        self.totals = {t.total for t in standard.indicator_tables}

    def count(self, what: str, sentence: str) -> int:
        if what == "annexes" and "规范性附录" in sentence:
            return sum(1 for a in self.standard.annexes if a.annex_role == "规范性")
        if what == "annexes" and "资料性附录" in sentence:
            return sum(1 for a in self.standard.annexes if a.annex_role == "资料性")
        return len(getattr(self.standard, what))

    def indicators_named(self, sentence: str) -> list[str]:
        """The indicators a sentence names: the quoted ones, else those written out unquoted
        (longest first, so that “能源资源利用” is not also read as “能源”)."""
        quoted = [n for n in dict.fromkeys(QUOTED.findall(sentence)) if n in self.names]
        if quoted:
            return quoted
        named, rest = [], QUOTED.sub("|", sentence)
        for name in sorted(self.names, key=len, reverse=True):
            if name in rest:
                named.append(name)
                rest = rest.replace(name, "|")
        return named


def _disagreements(sentence: str, figures: _Figures) -> Iterator[tuple[int, str]]:
    """(offset in the sentence, message) for each stated figure the standard contradicts."""
    if THIS_DOCUMENT.search(sentence):
        for what, (pattern, unit) in COUNTS.items():
            for m in pattern.finditer(sentence):
                actual = figures.count(what, sentence)
                said = to_number(m.group(1))
                if said != actual:
                    yield m.start(), (f"说明称本文件有 {format_points(said)} {unit}（“{sentence.strip()}”），"
                                      f"而所说明的标准有 {actual} {unit}")
    marks = [(m, _bound(sentence, m)) for m in POINTS.finditer(sentence)]
    lower = [m for m, kind in marks if kind == "lower"]
    named = figures.indicators_named(sentence)
    names = [n for n in named if n in figures.points]
    if len(names) == 1 and not lower:
        name = names[0]
        earned = [m for m, kind in marks if kind == "earned" and name in figures.earned]
        for m in earned:
            value = float(m.group(1))
            # 得 0 分: below the lowest band, or meeting no level
            if value and value not in figures.earned[name]:
                known = "、".join(format_points(p) for p in sorted(figures.earned[name]))
                yield m.start(), (f"说明称 “{name}” 得 {format_points(value)} 分，"
                                  f"而标准中该指标各档的分值为 {known} 分")
        stated = [m for m, kind in marks if kind in ("points", "earned") and m not in earned]
        if len(stated) == 1:
            value = float(stated[0].group(1))
            if value not in figures.points[name]:
                known = "、".join(format_points(p) for p in sorted(figures.points[name]))
                yield stated[0].start(), f"说明称 “{name}” {format_points(value)} 分，而标准中为 {known} 分"
    labels = [label for label in figures.grades if label in sentence]
    if len(labels) == 1 and len(lower) == 1:
        value = float(lower[0].group(1))
        if value not in figures.grades[labels[0]]:
            known = "、".join(format_points(p) for p in sorted(figures.grades[labels[0]]))
            yield lower[0].start(), (f"说明称 “{labels[0]}” 等级的门槛为 {format_points(value)} 分，"
                                     f"而标准中为 {known} 分")
    if figures.totals and not named and not QUOTED.search(sentence):
        stated_total = 100.0 if PERCENT_SCALE.search(sentence) else None
        m = STATED_TOTAL.search(sentence)
        if m:
            stated_total = float(m.group(1))
        if stated_total is not None and stated_total not in figures.totals:
            known = "、".join(format_points(t) for t in sorted(figures.totals))
            yield 0, f"说明称总分为 {format_points(stated_total)} 分，而标准指标表的总分为 {known} 分"


def _line_at(first_line: int, sentence: str, offset: int) -> int:
    """The source line of character ``offset`` of ``sentence`` unwrapped."""
    seen = newlines = 0
    for char in sentence:
        if char == "\n":
            newlines += 1
        elif seen == offset:
            break
        else:
            seen += 1
    return first_line + newlines


@rule("NOTES-FIGURE", "error", "编制说明所述的分值、总分、等级门槛和章、附录、术语数与标准一致",
      clause=SOURCE, kinds=("notes",), scope=CORPUS, refers=explained)
def figures_agree(doc: Document, ctx: Context) -> Iterator[Report]:
    standard = explained_standard(doc, ctx)
    if standard is None:
        return
    figures = _Figures(standard)
    for line, sentence in _sentences(doc):
        # a sentence may be wrapped over several source lines: match it unwrapped
        for offset, message in _disagreements(sentence.replace("\n", ""), figures):
            yield Report(_line_at(line, sentence, offset), message,
                         f"改正说明中的数字，或用 {{std-value}} 角色从标准取值（见 docs/authoring.md），"
                         f"标准文件：{standard.path}")


@rule("NOTES-VALUE", "error", "{std-value} 角色所取的值在所说明的标准中存在", clause=SOURCE,
      kinds=("notes",), scope=CORPUS, refers=explained)
def values_resolve(doc: Document, ctx: Context) -> Iterator[Report]:
    if not doc.value_refs:
        return
    standard = explained_standard(doc, ctx)
    for ref in doc.value_refs:
        if standard is None:
            yield Report(ref.line, f"无法取值 “{ref.key}”：所说明的标准 “{doc.meta.explains}” 不在语料库中",
                         "explains 写成语料库中标准的目录名，或直接写出数字")
        elif resolve_value(standard, ref.key) is None:
            yield Report(ref.line, f"所说明的标准中没有 “{ref.key}”",
                         "可用：total、points:<指标 id>、grade:<等级 id>、count:chapters|annexes|terms")
        elif _ambiguous(standard, ref.key):
            yield Report(ref.line, f"“{ref.key}” 在标准的多个指标表中分值不同，取的是第一个表的值",
                         "写成 points:<表 id>/<指标 id> 指明所取的表", severity="warning")


def _ambiguous(standard: Document, key: str) -> bool:
    kind, _, name = key.partition(":")
    if kind != "points" or "/" in name:
        return False
    found = {i.points for t in standard.indicator_tables for i in [t.find(name)] if i is not None}
    return len(found) > 1


HEADING_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[、.．]?)\s*")


@rule("NOTES-DUP-HEADING", "warning", "编制说明中同级标题不重复", clause=SOURCE, kinds=("notes",), scope=DOCUMENT)
def headings_distinct(doc: Document, ctx: Context) -> Iterator[Report]:
    groups = [doc.clauses] + [c.children for c in doc.walk()]
    for siblings in groups:
        seen: dict[str, int] = {}
        for clause in siblings:
            title = HEADING_NUMBER.sub("", clause.heading or clause.title).strip()
            if title and title in seen:
                yield Report(clause.line, f"标题 “{title}” 与第 {seen[title]} 行的标题重复",
                             "删去重复的一节，或改正标题")
            seen.setdefault(title, clause.line)
