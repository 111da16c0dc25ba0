"""Review records and stages: comment rounds, letter ballots, what a stage requires.

The records of a document are ``comments/*.yaml`` and ``ballots/*.yaml`` in
its folder (``gbstd.review.records``). Findings about a record point at
the line of the YAML file; findings about the stage point at ``stage:`` in
the front matter.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..findings import SourceError
from ..source.metadata import STAGES
from ..model import Document
from ..review.ballots import COUNT_HINT, tally
from ..review.comments import DISPOSITIONS, NEEDS_REASON, Comment, Round
from ..review.records import BALLOTS_FOLDER, COMMENTS_FOLDER, records_for, yaml_files
from . import FILES, Context, Report, rule

SOURCE = "国家标准管理办法（1990）"
GENERAL = {"", "全文", "通篇", "总体", "整体", "通用", "其他", "general", "—", "-", "/", "无"}
REFERENCE_SPLIT = re.compile(r"[、，,；;～~至和及]")
CHAPTER = re.compile(r"^第\s*(\d+)\s*章")
ANNEX = re.compile(r"^附录\s*([A-Z])")
TABLE = re.compile(r"^表\s*([A-Z]?\.?\d+)")
FORMULA = re.compile(r"^(?:公式|式)\s*[（(]?\s*([A-Z]?\.?\d+)")
NUMBER = re.compile(r"^([A-Z](?:\.\d+)+|\d+(?:\.\d+)*)(?![\d.])")
TITLED = ("前言", "引言", "范围", "规范性引用文件", "术语和定义", "参考文献", "索引")
STATED_TALLY = re.compile(r"收到\s*(\d+)\s*条(?:反馈)?(?:意见|建议)(?P<rest>[^。]*)")
STATED_DISPOSITION = re.compile(r"(部分采纳|未采纳|不采纳|解释说明|采纳)\s*(\d+)\s*条")
CONCLUSION_FAILED = re.compile(r"不同意|不予?通过|未通过|重新")
CONCLUSION_PASSED = re.compile(r"同意|通过")


def stage_rank(stage: str) -> int:
    """0 征求意见稿 … 3 发布稿; -1 when not given."""
    return STAGES.index(stage) if stage in STAGES else -1


REVIEW_STAGE = stage_rank("送审稿")
APPROVAL_STAGE = stage_rank("报批稿")


def record_files(source: str) -> list[Path] | None:
    """What the review rules read besides the document (their ``files``): the comments/ and
    ballots/ folders and their records, the standard.md beside a note, and the drafts the
    rounds name (``draft_file``); None when a round names a git revision (``draft_rev``)."""
    folder = Path(source).parent
    found = [folder / "standard.md", folder / COMMENTS_FOLDER, folder / BALLOTS_FOLDER]
    found += [path for name in (COMMENTS_FOLDER, BALLOTS_FOLDER) for path in yaml_files(folder / name)]
    for round_ in records_for(source).rounds:
        if round_.draft_rev:
            return None
        if round_.draft_file:
            found.append(Path(round_.path).parent / round_.draft_file)
    return found


@rule("REVIEW-FILE", "error", "意见处理记录和函审记录可以读取", clause=SOURCE + " 附件4、附件6",
      kinds=("standard", "notes"), scope=FILES, files=record_files)
def readable_records(doc: Document, ctx: Context):
    if doc.is_notes and (Path(doc.path).parent / "standard.md").exists():
        return   # reported once, with the standard
    for error in records_for(doc.path).errors:
        yield Report(error.line, f"{error.rule}：{error.message}", error.hint, path=error.path)


# ---------------------------------------------------------------- comments


def _reference_exists(doc: Document, reference: str) -> bool | None:
    """Whether a 章条编号 as a commenter wrote it exists in ``doc``; None when it is not a
    reference at all (a comment on the whole text, or free wording)."""
    text = reference.strip()
    if text.lower() in GENERAL:
        return True
    for pattern, exists in (
            (CHAPTER, lambda m: doc.clause(m[1]) is not None),
            (ANNEX, lambda m: any(a.annex_letter == m[1] for a in doc.annexes)),
            (TABLE, lambda m: any(t.number == m[1] for t in doc.tables + doc.indicator_tables)),
            (FORMULA, lambda m: any(f.number == m[1] for f in doc.formulas)),
            (NUMBER, lambda m: doc.clause(m[1]) is not None or any(t.number == m[1] for t in doc.terms))):
        match = pattern.match(text)
        if match:
            return exists(match)
    title = next((title for title in TITLED if text.startswith(title)), None)
    if title:
        return any(clause.title == title for clause in doc.walk())
    return None


def _references(value: str) -> list[str]:
    return [part.strip() for part in REFERENCE_SPLIT.split(value) if part.strip()] or [value]


def _draft_of(round_: Round, doc: Document) -> Document:
    """The text the round was on: its ``draft_file`` or ``draft_rev``, else the current one."""
    from .. import diff                # imported here: a check of cached models needs no reader
    from ..source import reader
    if round_.draft_file:
        draft = (Path(round_.path).parent / round_.draft_file).resolve()
        folder = Path(doc.path).resolve().parent
        if folder not in draft.parents:
            raise SourceError(round_.path, round_.line_of("draft_file"), "COMMENT-CLAUSE",
                              f"draft_file “{round_.draft_file}” 不在标准所在目录 {folder.name}/ 之内",
                              "把该轮的草案放在标准目录中（如 drafts/征求意见稿.md）")
        return reader.read(draft)
    if round_.draft_rev:
        return diff.read_revision(doc.path, round_.draft_rev)
    return doc


@rule("COMMENT-CLAUSE", "error", "意见所指的章条在该轮征求意见的文本中存在，重新编号后对应到现行章条",
      clause=SOURCE + " 附件4（国家标准章条编号）", scope=FILES, files=record_files)
def comment_clauses(doc: Document, ctx: Context):
    for round_ in records_for(doc.path).rounds:
        try:
            draft = _draft_of(round_, doc)
        except SourceError as error:
            yield Report(round_.line_of("draft_file" if round_.draft_file else "draft_rev"),
                         f"无法读取本轮意见所针对的文本：{error.message}", error.hint, path=round_.path)
            continue
        if draft is not doc:
            from .. import diff
            moved = diff.compare(draft, doc).clause_map()
        else:
            moved = {}
        for comment in round_.comments:
            yield from _check_comment_clause(comment, round_, draft, doc, moved)


def _check_comment_clause(comment: Comment, round_: Round, draft: Document, doc: Document,
                          moved: dict[str, str]):
    where = "该轮征求意见的文本" if draft is not doc else "现行文本"
    for reference in _references(comment.clause):
        found = _reference_exists(draft, reference)
        if found is None:
            yield Report(comment.line_of("clause"), f"意见 {comment.id} 的章条编号 “{reference}” 无法识别",
                         "写章条编号（5.2.1、表B.1、附录A、第3章）；针对全文的意见写“全文”",
                         severity="warning", path=round_.path)
        elif not found:
            yield Report(comment.line_of("clause"),
                         f"意见 {comment.id} 所指的 “{reference}” 在{where}中不存在",
                         "核对意见所针对的文本版本（round 的 draft_file / draft_rev）和章条编号",
                         path=round_.path)
    if comment.clause_now:
        for reference in _references(comment.clause_now):
            if _reference_exists(doc, reference) is False:
                yield Report(comment.line_of("clause_now"),
                             f"意见 {comment.id} 的 clause_now “{reference}” 在现行文本中不存在",
                             "clause_now 写现行文本中对应的章条编号", path=round_.path)
        return
    number = NUMBER.match(comment.clause.strip())
    now = moved.get(number[1]) if number else None
    if now:
        if now != number[1]:
            yield Report(comment.line_of("clause"),
                         f"意见 {comment.id} 所指的 {number[1]} 在现行文本中已重编为 {now}",
                         f"写 clause_now: \"{now}\"，使意见汇总处理表与现行文本对应",
                         severity="warning", path=round_.path)


@rule("COMMENT-DISPOSITION", "error", "送审稿阶段前每条意见都有处理结论",
      clause=SOURCE + " 第十八条", scope=FILES, files=record_files)
def comment_dispositions(doc: Document, ctx: Context):
    blocking = stage_rank(doc.meta.stage) >= REVIEW_STAGE
    for round_ in records_for(doc.path).rounds:
        for comment in round_.open_comments:
            yield Report(comment.line, f"意见 {comment.id} 尚无处理结论",
                         "写 disposition: " + "、".join(DISPOSITIONS) + " 之一",
                         severity="" if blocking else "info", path=round_.path)


@rule("COMMENT-REASON", "error", "未采纳、部分采纳（及解释说明）的意见写明理由",
      clause=SOURCE + " 附件4（处理意见）", scope=FILES, files=record_files)
def comment_reasons(doc: Document, ctx: Context):
    for round_ in records_for(doc.path).rounds:
        for comment in round_.comments:
            if comment.disposition in NEEDS_REASON and not comment.response.strip():
                yield Report(comment.line_of("disposition"),
                             f"意见 {comment.id} 的处理结论为“{comment.disposition}”，但没有写明理由",
                             "在 response: 中写明不采纳或部分采纳的理由", path=round_.path)


@rule("COMMENT-UNITS", "error", "意见汇总处理表的单位数彼此一致，并与提出意见的单位一致",
      clause=SOURCE + " 附件4（说明①～④）", scope=FILES, files=record_files)
def comment_units(doc: Document, ctx: Context):
    for round_ in records_for(doc.path).rounds:
        units, line = round_.units, round_.units.line or round_.line
        if units.sent is not None and units.replied is not None:
            if units.replied > units.sent:
                yield Report(line, f"回函的单位数 {units.replied} 多于发送的单位数 {units.sent}",
                             "核对 units.sent 与 units.replied", path=round_.path)
            if units.not_replied is not None and units.not_replied != units.sent - units.replied:
                yield Report(line, f"没有回函的单位数应为 {units.sent} − {units.replied} = "
                             f"{units.sent - units.replied}，记录为 {units.not_replied}",
                             "核对 units.not_replied", path=round_.path)
        if (units.replied is not None and units.replied_with_comments is not None
                and units.replied_with_comments > units.replied):
            yield Report(line, f"回函并有意见的单位数 {units.replied_with_comments} 多于回函的单位数 "
                         f"{units.replied}", "核对 units.replied_with_comments", path=round_.path)
        organisations = round_.organisations()
        if units.replied_with_comments is not None and organisations \
                and units.replied_with_comments != len(organisations):
            yield Report(line, f"回函并有意见的单位数记为 {units.replied_with_comments}，"
                         f"但意见来自 {len(organisations)} 个单位（{'、'.join(organisations)}）",
                         "核对 units.replied_with_comments 和各条意见的 org", path=round_.path)


def stated_tallies(doc: Document) -> list[tuple[int, int, dict[str, int]]]:
    """Tallies a note states: (line, comments received, {disposition: count})."""
    found = []
    for _, paragraph in doc.paragraphs():
        for match in STATED_TALLY.finditer(paragraph.text):
            counts: dict[str, int] = {}
            for disposition, count in STATED_DISPOSITION.findall(match["rest"]):
                disposition = "未采纳" if disposition == "不采纳" else disposition
                counts[disposition] = counts.get(disposition, 0) + int(count)
            found.append((paragraph.line, int(match[1]), counts))
    return found


@rule("COMMENT-TALLY", "error", "编制说明所述的意见处理统计与意见处理记录一致",
      clause=SOURCE + " 第十六条（六）", kinds=("notes",), scope=FILES, files=record_files)
def comment_tallies(doc: Document, ctx: Context):
    """The k-th tally stated in the note is compared with the k-th round by date."""
    rounds = records_for(doc.path).rounds
    if not rounds:
        return
    stated = stated_tallies(doc)
    for (line, received, counts), round_ in zip(stated, rounds):
        recorded = round_.tally()
        wrong = received != len(round_.comments) or any(
            counts.get(d, 0) != recorded[d] for d in DISPOSITIONS)
        if wrong:
            yield Report(line, f"编制说明所述的意见统计与 {Path(round_.path).name}（{round_.id}）的记录不一致："
                         f"记录为“{round_.tally_sentence()}”",
                         "按意见处理记录改正编制说明中的数字，或改正记录")
    if len(stated) != len(rounds):
        yield Report(stated[-1][0] if stated else doc.title_line,
                     f"编制说明陈述了 {len(stated)} 轮意见统计，comments/ 中有 {len(rounds)} 轮记录",
                     "每轮征求意见在 comments/ 中各有一个记录文件，并在编制说明中各有一句统计",
                     severity="warning")


# ---------------------------------------------------------------- ballots


@rule("BALLOT-NOREASON", "warning", "不赞成票写明理由", clause=SOURCE + " 附件5", scope=FILES, files=record_files)
def ballot_reasons(doc: Document, ctx: Context):
    for ballot in records_for(doc.path).ballots:
        for vote in ballot.votes:
            if vote.needs_reason:
                discarded = "，按表决规则不计票" if ballot.rule.discard_unreasoned_negative else ""
                yield Report(vote.line_of("vote"), f"{vote.member} 投“{vote.vote}”但没有写理由{discarded}",
                             "在 reasons: 中记录其建议或意见和理由", path=ballot.path)


@rule("BALLOT-COUNT", "error", "函审单总数与所列审查单位一致", clause=SOURCE + " 附件6", scope=FILES, files=record_files)
def ballot_counts(doc: Document, ctx: Context):
    for ballot in records_for(doc.path).ballots:
        problem = tally(ballot, tuple(doc.meta.drafting_units)).count_problem
        if problem:
            yield Report(ballot.line_of("eligible"), problem, COUNT_HINT, path=ballot.path)


def stated_outcome(conclusion: str) -> bool | None:
    """Whether a written 函审结论 says the ballot passed; None when it says neither."""
    if CONCLUSION_FAILED.search(conclusion):
        return False
    return True if CONCLUSION_PASSED.search(conclusion) else None


@rule("BALLOT-CONCLUSION", "error", "函审结论与计票结果一致", clause=SOURCE + " 第二十一条、附件6", scope=FILES, files=record_files)
def ballot_conclusions(doc: Document, ctx: Context):
    for ballot in records_for(doc.path).ballots:
        stated = stated_outcome(ballot.conclusion)
        result = tally(ballot, tuple(doc.meta.drafting_units))
        if stated is not None and stated != result.passed:
            yield Report(ballot.line_of("conclusion"),
                         f"函审结论写“{ballot.conclusion.strip()}”，但计票结果为{result.outcome}：{result.summary()}",
                         "按计票结果改正 conclusion，或核对 votes 中各单位的表决态度", path=ballot.path)


# ---------------------------------------------------------------- stages


@rule("STAGE-COMMENTS", "error", "有未处理的意见时不能进入送审稿阶段", clause=SOURCE + " 第十八条", scope=FILES, files=record_files)
def stage_open_comments(doc: Document, ctx: Context):
    if stage_rank(doc.meta.stage) < REVIEW_STAGE:
        return
    open_by_file = {Path(r.path).name: len(r.open_comments) for r in records_for(doc.path).rounds
                    if r.open_comments}
    if open_by_file:
        listed = "、".join(f"{name} {count} 条" for name, count in open_by_file.items())
        yield Report(doc.meta.line_of("stage"), f"阶段为{doc.meta.stage}，但仍有意见未处理（{listed}）",
                     "处理全部意见后再进入送审稿阶段")


@rule("STAGE-BALLOT", "error", "函审未通过或没有函审记录时不能进入报批稿阶段",
      clause=SOURCE + " 第二十一条", scope=FILES, files=record_files)
def stage_ballot(doc: Document, ctx: Context):
    """Applies to documents that keep a ballots/ folder: that folder declares the
    document is reviewed by letter ballot (a meeting review keeps none)."""
    records = records_for(doc.path)
    if stage_rank(doc.meta.stage) < APPROVAL_STAGE or not records.has_ballots_folder:
        return
    ballot = records.latest_ballot
    if ballot is None:
        yield Report(doc.meta.line_of("stage"), f"阶段为{doc.meta.stage}，但 {BALLOTS_FOLDER}/ 中没有函审记录",
                     "记录函审结果（ballots/*.yaml）；采用会议审查的文件删去 ballots/ 目录")
        return
    result = tally(ballot, tuple(doc.meta.drafting_units))
    if not result.passed:
        yield Report(doc.meta.line_of("stage"),
                     f"阶段为{doc.meta.stage}，但最近一次函审（{ballot.id}）的结果为{result.outcome}："
                     f"{result.summary()}",
                     "函审通过后再进入报批稿阶段；回函率不足时重新组织函审")
