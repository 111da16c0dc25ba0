"""Parent/derived standards (1+N): a derived standard follows its parent's framework.

The parent declares a ``framework`` (first-level indicators, share constraints,
document structure); a derived standard names it with ``parent: <slug>``. A
constraint written with 应 is an error when violated, one written with 宜 a warning.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..source.indicators import format_points
from ..model import Clause, Document, DocumentSummary, Framework
from . import CORPUS, Context, Report, rule

SOURCE = "母标准框架（如 DB4403/T 导则附录B、GB/T 36132—2018 附录C）"
SEVERITY = {"应": "error", "宜": "warning"}


def parent_slugs(summary: DocumentSummary, index: dict[str, list[DocumentSummary]]) -> list[str]:
    """What the derived-standard rules read besides the document: its parent (their ``refers``)."""
    return [summary.parent] if summary.parent else []


# the frameworks of the parent read last: every standard derived from one guideline asks for
# them four times (one walk of the guideline's clauses each); the parent itself is held, so
# the memo cannot be taken for another document
_last: list = [None, []]


def parent_frameworks(doc: Document, ctx: Context) -> tuple[Document | None, list[Framework]]:
    parent = ctx.standard(doc.meta.parent) if doc.meta.parent else None
    if parent is None:
        return None, []
    if _last[0] is not parent:
        _last[:] = [parent, parent.frameworks]
    return parent, _last[1]


@rule("DERIV-PARENT", "error", "派生标准所声明的母标准存在并声明了框架", clause=SOURCE, scope=CORPUS, refers=parent_slugs)
def parent_exists(doc: Document, ctx: Context) -> Iterator[Report]:
    if not doc.meta.parent:
        return
    parent, frameworks = parent_frameworks(doc, ctx)
    line = doc.meta.line_of("parent")
    if parent is None:
        yield Report(line, f"母标准 “{doc.meta.parent}” 在语料库（standards/）中不存在",
                     "parent: 写母标准的目录名（standards/<目录名>/standard.md）")
    elif not frameworks:
        yield Report(line, f"母标准 “{doc.meta.parent}” 没有声明 framework，无法据以检查",
                     f"在 {parent.path} 中用 framework 指令声明派生标准应遵循的框架")


def _plain(text: str) -> str:
    return re.sub(r"[\s　]", "", text)


@rule("DERIV-LEVEL1", "error", "派生标准的指标表包含母标准框架规定的一级指标", clause=SOURCE, scope=CORPUS, refers=parent_slugs)
def level1_present(doc: Document, ctx: Context) -> Iterator[Report]:
    parent, frameworks = parent_frameworks(doc, ctx)
    for framework in frameworks:
        if framework.level1 and not doc.indicator_tables:
            verbs = {item.verb for item in framework.level1}
            yield Report(doc.title_line, f"母标准 {parent.meta.designation or parent.slug} 规定了一级指标，"
                         "本文件没有指标表", "用 indicator-table 指令给出评价指标表",
                         severity=SEVERITY["应" if "应" in verbs else "宜"])
        for table in doc.indicator_tables:
            first = {_plain(i.name): i for i in table.indicators}
            for item in framework.level1:
                found = first.get(_plain(item.name))
                if found is None:
                    yield Report(table.line, f"表{table.number} 的一级指标中没有母标准框架规定的 “{item.name}”"
                                 f"（{item.verb}）", f"在一级指标中加入 “{item.name}”",
                                 severity=SEVERITY[item.verb])
                elif item.veto and not found.veto:
                    yield Report(found.line, f"母标准框架规定一级指标 “{item.name}” 为一票否决项（{item.verb}），"
                                 "本表未标 veto", "写 veto: true", severity=SEVERITY[item.verb])


@rule("DERIV-SHARE", "error", "派生标准指定一级指标的分值占比满足母标准的下限", clause=SOURCE, scope=CORPUS, refers=parent_slugs)
def shares_met(doc: Document, ctx: Context) -> Iterator[Report]:
    _, frameworks = parent_frameworks(doc, ctx)
    for constraint in (c for f in frameworks for c in f.constraints if c["kind"] == "min-share"):
        names = {_plain(n) for n in constraint["names"]}
        for table in doc.indicator_tables:
            named = [i for i in table.indicators if _plain(i.name) in names]
            if not table.total or any(i.points is None for i in named) \
                    or all(i.points is None for i in table.indicators if not i.veto):
                continue  # points not given (gap): the share cannot be computed
            points = sum(i.points for i in named)
            share = points / table.total * 100
            if share < constraint["min"]:
                yield Report(table.line,
                             f"表{table.number} 中 {'、'.join(constraint['names'])} 的分值之和为 "
                             f"{format_points(points)} 分，占总分的 {share:.4g}%，低于母标准规定的 "
                             f"{format_points(constraint['min'])}%（{constraint['verb']}）",
                             "调整一级指标的分值", severity=SEVERITY[constraint["verb"]])


def _title_matches(expected: str, clause: Clause) -> bool:
    return _plain(expected) in _plain(clause.title)


@rule("DERIV-STRUCTURE", "error", "派生标准的章和附录符合母标准规定的文件结构", clause=SOURCE, scope=CORPUS, refers=parent_slugs)
def structure_followed(doc: Document, ctx: Context) -> Iterator[Report]:
    _, frameworks = parent_frameworks(doc, ctx)
    for framework in frameworks:
        severity = SEVERITY[framework.structure_verb]
        expected = framework.structure_chapters
        chapters = doc.chapters
        hint = f"母标准规定的章依次为：{'、'.join(expected)}" if expected else ""
        for index, title in enumerate(expected):
            if index >= len(chapters):
                line = chapters[-1].line if chapters else doc.title_line
                yield Report(line, f"缺少母标准规定的第 {index + 1} 章 “{title}”（{framework.structure_verb}）",
                             hint, severity=severity)
                break
            if not _title_matches(title, chapters[index]):
                yield Report(chapters[index].line, f"第 {chapters[index].number or index + 1} 章为 "
                             f"“{chapters[index].title}”，母标准规定此处为 “{title}”（{framework.structure_verb}）",
                             hint, severity=severity)
                break
        else:
            if expected and len(chapters) > len(expected):
                extra = chapters[len(expected)]
                yield Report(extra.line, f"第 {extra.number} 章 “{extra.title}” 不在母标准规定的文件结构中"
                             f"（{framework.structure_verb}）", hint, severity=severity)
        for title in framework.structure_annexes:
            if not any(_title_matches(title, annex) for annex in doc.annexes):
                line = doc.annexes[-1].line if doc.annexes else (chapters[-1].line if chapters else doc.title_line)
                yield Report(line, f"没有母标准规定的附录 “{title}”（{framework.structure_verb}）",
                             f"加入标题含 “{title}” 的附录", severity=severity)
