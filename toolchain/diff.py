"""Redline: what changed between two versions of a standard.

Clauses are matched by number and title, then by title alone, then by the
similarity of their text, so that a clause that moved is reported as
renumbered, not as one removed and one added. Indicators are matched by id,
then by name; normative references by designation. The result feeds the
text report, the HTML redline and the draft “主要技术变化” list of a
revised foreword.
"""
from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .writers import html
from .source import reader
from .findings import SourceError
from .source.indicators import format_points
from .model import (Clause, Document, Formula, Gap, Indicator, IndicatorTable, NormativeReference,
                    Table, block_text)

REAL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")      # a date, not the XXXX-XX-XX placeholder
SIMILAR = 0.6           # text similarity above which two clauses are the same clause
SIMILAR_SAME_NUMBER = 0.3
OUTSIDE_TECHNICAL_CHANGES = ("foreword", "introduction", "bibliography", "index")


@dataclass
class ClauseChange:
    old: Clause | None
    new: Clause | None
    old_text: str = ""
    new_text: str = ""

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "renumbered" if self.old.number != self.new.number else "changed"

    @property
    def text_changed(self) -> bool:
        return self.old is not None and self.new is not None and (
            self.old_text != self.new_text or self.old.title != self.new.title)

    @property
    def title(self) -> str:
        return (self.new or self.old).title


@dataclass
class IndicatorChange:
    table: str                    # table number as printed in the new version (B.1)
    old: Indicator | None
    new: Indicator | None
    aspects: list[str] = field(default_factory=list)  # name / points / criteria / veto / requirement

    @property
    def kind(self) -> str:
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    @property
    def name(self) -> str:
        return (self.new or self.old).name


@dataclass
class ReferenceChange:
    kind: str                     # added | dropped | edition
    old: NormativeReference | None
    new: NormativeReference | None

    @property
    def designation(self) -> str:
        return (self.new or self.old).designation


@dataclass
class Comparison:
    old: Document
    new: Document
    old_label: str                # the versions as the report heads them: paths, path@revision
    new_label: str
    old_tag: str = ""             # what tells the old version from the new one when both have the
    new_tag: str = ""             # same name (two 征求意见稿): a git revision, file name or draft date
    clauses: list[ClauseChange] = field(default_factory=list)        # matched pairs too
    indicators: list[IndicatorChange] = field(default_factory=list)
    references: list[ReferenceChange] = field(default_factory=list)

    @property
    def clause_changes(self) -> list[ClauseChange]:
        """Clauses added, removed, renumbered or whose text changed."""
        return [c for c in self.clauses if c.kind != "changed" or c.text_changed]

    def clause_map(self) -> dict[str, str]:
        """Old clause number → new clause number ("" when the clause was removed)."""
        return {c.old.number: (c.new.number if c.new else "") for c in self.clauses
                if c.old is not None and c.old.number}

    @property
    def old_edition(self) -> str:
        """How the foreword names the old version: “2018年版” for an earlier edition, else its
        stage; when the new version would have the same name, with the old one's tag:
        “征求意见稿（v0.3）”."""
        name = _edition(self.old, self.new)
        if name != _edition(self.new, self.old) or not self.old_tag:
            return name
        return f"{name}（{self.old_tag}）"


def _edition(doc: Document, other: Document) -> str:
    """A version's name: the year of its designation when the other version is of another
    year (a published edition), else its stage (drafts of one edition share the year)."""
    year = _year(doc)
    if year and year != _year(other):
        return f"{year}年版"
    return doc.meta.stage or "原文本"


def _year(doc: Document) -> str:
    found = re.search(r"[—-](\d{4})$", doc.meta.designation)
    return found.group(1) if found else ""


def version_tags(old: Document, new: Document) -> tuple[str, str]:
    """Labels that tell two versions of a file apart: the file names (without .md), else the
    folders, else the draft dates — the first that differ; ("", "") when none does."""
    candidates = (lambda doc: Path(doc.path).stem, lambda doc: Path(doc.path).parent.name,
                  lambda doc: doc.meta.date or (doc.meta.issued if REAL_DATE.match(doc.meta.issued) else ""))
    for tag in candidates:
        if tag(old) != tag(new):
            return tag(old), tag(new)
    return "", ""


# ---------------------------------------------------------------- reading


def read_revision(path: str | Path, revision: str) -> Document:
    """The document as it was at a git revision (``git show REV:path``)."""
    path = Path(path).resolve()
    if not revision or revision.startswith("-") or any(ord(c) < 32 for c in revision):
        raise SourceError(str(path), 1, "DIFF-001", f"修订版本 “{revision}” 不合规：不能以 - 开头，不能含控制字符",
                          "写成 git 能识别的修订版本，例如 HEAD~1、某个提交号或标签")
    try:
        # --end-of-options: whatever the revision says, git reads it as a revision, never an option
        shown = subprocess.run(["git", "show", "--end-of-options", f"{revision}:./{path.name}"], cwd=path.parent,
                               capture_output=True, check=False)
    except OSError:
        raise SourceError(str(path), 1, "DIFF-001", "找不到 git 命令", "安装 git，或直接比较两个文件") from None
    if shown.returncode != 0:
        problem = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(str(path), 1, "DIFF-001",
                          f"无法读取修订版本 {revision}：{problem[-1] if problem else '未知错误'}",
                          "写成 git 能识别的修订版本，例如 HEAD~1、某个提交号或标签")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / path.parent.name / path.name
        copy.parent.mkdir()
        copy.write_bytes(shown.stdout)
        doc = reader.read(copy)
    doc.path = f"{path}@{revision}"
    return doc


# ---------------------------------------------------------------- comparing


def compare(old: Document, new: Document, old_label: str = "", new_label: str = "",
            tags: tuple[str, str] | None = None) -> Comparison:
    """Compare two versions; ``tags`` tell them apart (default: ``version_tags``)."""
    result = Comparison(old, new, old_label or old.path, new_label or new.path,
                        *(tags or version_tags(old, new)))
    result.clauses = _match_clauses(list(old.walk()), list(new.walk()))
    result.indicators = _indicator_changes(old, new)
    result.references = _reference_changes(old.references, new.references)
    return result


def clause_text(clause: Clause) -> str:
    """The clause's own content (children excluded), as compared."""
    parts = []
    for block in clause.blocks:
        if isinstance(block, Formula):
            parts.append(f"公式（{block.number}）{block.latex}")
        elif isinstance(block, Table):
            parts.append("\n".join(" | ".join(row) for row in block.rows))
        elif isinstance(block, IndicatorTable):
            parts.append(f"表{block.number} {block.caption}")
        elif isinstance(block, Gap):
            parts.append(f"〔缺失：{block.text}〕")
        else:
            parts.append(block_text(block))
    return "\n".join(p for p in parts if p)


def _identity(clause: Clause) -> tuple[str, str]:
    return (clause.number or clause.kind, clause.title)


def _match_clauses(old: list[Clause], new: list[Clause]) -> list[ClauseChange]:
    old_text = {id(c): clause_text(c) for c in old}
    new_text = {id(c): clause_text(c) for c in new}
    pairs: dict[int, Clause] = {}           # id(old clause) -> new clause
    taken: set[int] = set()

    def pair(a: Clause, b: Clause) -> None:
        pairs[id(a)] = b
        taken.add(id(b))

    def free_new() -> list[Clause]:
        return [c for c in new if id(c) not in taken]

    for rule in (lambda a, b: _identity(a) == _identity(b),
                 lambda a, b: bool(a.title) and a.title == b.title and a.kind == b.kind):
        for a in old:
            if id(a) not in pairs:
                b = next((b for b in free_new() if rule(a, b)), None)
                if b is not None:
                    pair(a, b)
    candidates = []
    for a in (a for a in old if id(a) not in pairs):
        for b in free_new():
            if a.kind != b.kind and {a.kind, b.kind} != {"chapter", "clause"}:
                continue
            ratio = _similarity(f"{a.title}\n{old_text[id(a)]}", f"{b.title}\n{new_text[id(b)]}")
            if ratio >= (SIMILAR_SAME_NUMBER if a.number == b.number else SIMILAR):
                candidates.append((-ratio, old.index(a), new.index(b), a, b))
    for _, _, _, a, b in sorted(candidates, key=lambda c: c[:3]):
        if id(a) not in pairs and id(b) not in taken:
            pair(a, b)
    changes, position = [], 0.0
    for a in old:   # a removed clause is listed where its predecessor now stands
        b = pairs.get(id(a))
        position = b.line if b is not None else position + 0.001
        changes.append((position, ClauseChange(a, b, old_text[id(a)], new_text[id(b)] if b else "")))
    changes += [(b.line, ClauseChange(None, b, "", new_text[id(b)])) for b in new if id(b) not in taken]
    return [change for _, change in sorted(changes, key=lambda pair: pair[0])]


def _similarity(a: str, b: str) -> float:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.ratio() if matcher.real_quick_ratio() >= SIMILAR_SAME_NUMBER else 0.0


def _indicator_changes(old: Document, new: Document) -> list[IndicatorChange]:
    changes = []
    for new_table in new.indicator_tables:
        old_table = old.table(new_table.id) or old.table(new_table.number)
        old_items = list(old_table.walk()) if old_table else []
        matched: set[int] = set()
        for indicator in new_table.walk():
            before = next((o for o in old_items if o.id == indicator.id and id(o) not in matched), None) \
                or next((o for o in old_items if o.name == indicator.name and id(o) not in matched), None)
            if before is None:
                changes.append(IndicatorChange(new_table.number, None, indicator))
                continue
            matched.add(id(before))
            aspects = [name for name, a, b in (
                ("name", before.name, indicator.name),
                ("points", before.points, indicator.points),
                ("criteria", _criteria(before), _criteria(indicator)),
                ("veto", before.veto, indicator.veto),
                ("requirement", before.requirement, indicator.requirement)) if a != b]
            if aspects:
                changes.append(IndicatorChange(new_table.number, before, indicator, aspects))
        changes += [IndicatorChange(new_table.number, o, None) for o in old_items if id(o) not in matched]
    return changes


def _criteria(indicator: Indicator) -> tuple:
    levels = tuple((level.points, level.criterion) for level in indicator.levels)
    bands = tuple((band.min, band.max, band.points) for band in indicator.bands)
    return (indicator.criteria, levels, bands, indicator.metric)


def _reference_changes(old: list[NormativeReference], new: list[NormativeReference]) -> list[ReferenceChange]:
    before = {r.designation: r for r in old}
    after = {r.designation: r for r in new}
    changes = [ReferenceChange("dropped", r, None) for d, r in before.items() if d not in after]
    changes += [ReferenceChange("added", None, r) for d, r in after.items() if d not in before]
    changes += [ReferenceChange("edition", before[d], r) for d, r in after.items()
                if d in before and before[d].year != r.year]
    return sorted(changes, key=lambda c: c.designation)


# ---------------------------------------------------------------- reporting


def _where(clause: Clause) -> str:
    if clause.kind == "annex":
        return f"附录{clause.annex_letter}"
    if clause.kind == "chapter":
        return f"第{clause.number}章"
    return clause.number or clause.title


def technical_changes(comparison: Comparison) -> list[str]:
    """Draft items of “主要技术变化” in GB foreword style, the last ending with 。"""
    edition = comparison.old_edition
    items = []
    for change in comparison.clause_changes:
        clause = change.new or change.old
        if clause.kind in OUTSIDE_TECHNICAL_CHANGES or (clause.kind == "chapter" and clause.number == "2"):
            continue
        if change.kind == "added":
            items.append(f"增加了“{change.title}”（见{_where(change.new)}）")
        elif change.kind == "removed":
            items.append(f"删除了“{change.title}”（见{edition}的{_where(change.old)}）")
        elif change.text_changed:
            items.append(f"更改了“{change.title}”（见{_where(change.new)}，{edition}的{_where(change.old)}）")
    for change in comparison.indicators:
        where = f"见表{change.table}"
        if change.kind == "added":
            items.append(f"增加了评价指标“{change.name}”（{where}）")
        elif change.kind == "removed":
            items.append(f"删除了评价指标“{change.name}”（{edition}的表{change.table}）")
        elif "points" in change.aspects:
            items.append(f"更改了评价指标“{change.name}”的分值，由{format_points(change.old.points)}分"
                         f"改为{format_points(change.new.points)}分（{where}）")
        elif "criteria" in change.aspects:
            items.append(f"更改了评价指标“{change.name}”的评分标准（{where}）")
    for change in comparison.references:
        if change.kind == "added":
            items.append(f"增加了规范性引用文件 {change.new.raw}（见第2章）")
        elif change.kind == "dropped":
            items.append(f"删除了规范性引用文件 {change.old.raw}（见{edition}的第2章）")
    return [f"——{item}{'。' if n == len(items) else '；'}" for n, item in enumerate(items, 1)]


def _indicator_line(change: IndicatorChange) -> str:
    indicator = change.new or change.old
    head = f"表{change.table} {indicator.id} {indicator.name}"
    if change.kind != "changed":
        return head
    details = []
    for aspect in change.aspects:
        if aspect == "points":
            details.append(f"分值 {format_points(change.old.points)} → {format_points(change.new.points)}")
        elif aspect == "name":
            details.append(f"名称 “{change.old.name}” → “{change.new.name}”")
        else:
            details.append({"criteria": "评分标准已改", "veto": "一票否决已改",
                            "requirement": f"必选/可选 {change.old.requirement or '—'} → "
                                           f"{change.new.requirement or '—'}"}[aspect])
    return f"{head}：{'；'.join(details)}"


CLAUSE_SIGNS = {"added": "+", "removed": "-", "renumbered": "→", "changed": "~"}
SIGNS = {"added": "+", "removed": "-", "dropped": "-", "changed": "~", "edition": "~"}


def text_report(comparison: Comparison) -> str:
    lines = [f"比较：{comparison.old_label} → {comparison.new_label}", ""]
    clause_lines = []
    for change in comparison.clause_changes:
        sign = CLAUSE_SIGNS[change.kind]
        if change.kind == "renumbered":
            note = "，内容有改动" if change.text_changed else ""
            clause_lines.append(f"  {sign} {html.heading_label(change.old)} 重编为 {change.new.number}{note}")
        else:
            clause_lines.append(f"  {sign} {html.heading_label(change.new or change.old)}")
    lines += ["章条（+ 增加，- 删除，~ 内容改动，→ 重新编号）："] + (clause_lines or ["  （无变化）"])
    lines += ["", "评价指标："] + ([f"  {SIGNS[c.kind]} {_indicator_line(c)}" for c in comparison.indicators]
                                  or ["  （无变化）"])
    reference_lines = []
    for change in comparison.references:
        if change.kind == "edition":
            reference_lines.append(f"  ~ {change.designation}：{change.old.year or '不注日期'} → "
                                   f"{change.new.year or '不注日期'}")
        else:
            reference_lines.append(f"  {SIGNS[change.kind]} {(change.new or change.old).raw}")
    lines += ["", "规范性引用文件："] + (reference_lines or ["  （无变化）"])
    items = technical_changes(comparison)
    lines += ["", f"主要技术变化（草稿）：与{comparison.old_edition}相比，除结构调整和编辑性改动外，"
                  "主要技术变化如下："] + (items or ["（无）"])
    return "\n".join(lines) + "\n"


def inline_diff(old: str, new: str) -> list[tuple[str, str]]:
    """Segments ("same" | "del" | "ins", text) turning ``old`` into ``new``: by line, and
    by character within a line that was replaced by one line."""
    segments: list[tuple[str, str]] = []
    before, after = old.splitlines(keepends=True), new.splitlines(keepends=True)
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", "".join(before[i1:i2])))
        elif op == "replace" and i2 - i1 == j2 - j1:
            for line_before, line_after in zip(before[i1:i2], after[j1:j2]):
                segments += _character_diff(line_before, line_after)
        else:
            segments += [("del", "".join(before[i1:i2])), ("ins", "".join(after[j1:j2]))]
    return [(op, text) for op, text in segments if text]


def _character_diff(old: str, new: str) -> list[tuple[str, str]]:
    segments = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(("same", old[i1:i2]))
        else:
            segments += [("del", old[i1:i2]), ("ins", new[j1:j2])]
    return segments


def html_report(comparison: Comparison) -> str:
    clauses = []
    for change in comparison.clause_changes:
        clauses.append({
            "kind": change.kind,
            "old": html.heading_label(change.old) if change.old else "",
            "new": html.heading_label(change.new) if change.new else "",
            "segments": inline_diff(change.old_text, change.new_text),
            "text_changed": change.text_changed or change.kind in ("added", "removed"),
        })
    return html.render("forms/diff.html.j2", comparison=comparison, clauses=clauses,
                       indicators=[{"kind": c.kind, "line": _indicator_line(c)}
                                   for c in comparison.indicators],
                       references=comparison.references,
                       changes=technical_changes(comparison))
