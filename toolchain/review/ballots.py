"""Letter ballots (函审): the YAML record, the tally and the rules that decide it.

::

    ballot:
      id: HS-2025-02
      draft: 送审稿v0.5
      sent: 2025-05-06          # 发出日期
      deadline: 2025-07-06      # 投票截止日期
      rule: gb-1990             # or a mapping: {preset: gb-1990, approve: 2/3, …}
    votes:
      - {member: 某研究院, vote: 赞成}
      - {member: 某协会, vote: 不赞成, reasons: …}
      - {member: 起草单位甲, drafter: true}

The default rule is 国家标准管理办法（1990）第二十一条: a 函审 passes when at
least 3/4 of the returned ballots are in favour, and is run again when fewer
than 2/3 of the ballots come back; drafters' units do not vote. All ratios are
exact fractions, so 3/4 and 2/3 are met exactly at the boundary.

The ballots sent (函审单总数) are the declared ``eligible`` when the record
gives it: a member left out of ``votes`` still had a ballot. When the declared
count and the members listed disagree the record is inconsistent
(``Tally.count_problem``, reported by the tally and by BALLOT-COUNT alike).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

from ..source import yamlsafe
from .files import open_record

IN_FAVOUR = "赞成"
IN_FAVOUR_WITH_COMMENTS = "赞成，有建议或意见"
CONDITIONAL = "不赞成，如采纳建议或意见改成赞成"
ABSTAIN = "弃权"
AGAINST = "不赞成"
NOT_RETURNED = "未复函"
INVALID = "废票"
# The rows of 附件6 (函审结论表), in order; 废票 is not counted (附件5 填写说明①).
VOTES = (IN_FAVOUR, IN_FAVOUR_WITH_COMMENTS, CONDITIONAL, ABSTAIN, AGAINST, NOT_RETURNED)
VOTE_ALIASES = {"同意": IN_FAVOUR, "不同意": AGAINST, "未回函": NOT_RETURNED, "未复函": NOT_RETURNED,
                "反对": AGAINST}
NEGATIVE = (AGAINST, CONDITIONAL)

BASES = ("returned", "cast", "eligible")
RULE_KEYS = ("preset", "approve", "min_return", "basis", "max_negative",
             "discard_unreasoned_negative")
BALLOT_KEYS = ("id", "kind", "title", "drafting_unit", "organiser", "draft", "stage", "sent",
               "deadline", "eligible", "conclusion", "rule")
VOTE_KEYS = ("member", "org", "vote", "reasons", "drafter", "adopted")


@dataclass(frozen=True)
class BallotRule:
    """How a ballot is decided. ``basis`` is the denominator of the approval ratio:

    returned — ballots returned (abstentions included), as 第二十一条 “3/4回函同意”;
    cast — votes for and against only (abstentions left out), as ISO;
    eligible — every ballot sent.
    """
    name: str = "gb-1990"
    approve: Fraction = Fraction(3, 4)
    min_return: Fraction = Fraction(2, 3)
    basis: str = "returned"
    max_negative: Fraction | None = None      # share of votes cast that may be against
    discard_unreasoned_negative: bool = False


PRESETS = {
    "gb-1990": BallotRule(),
    "iso": BallotRule(name="iso", approve=Fraction(2, 3), min_return=Fraction(0), basis="cast",
                      max_negative=Fraction(1, 4), discard_unreasoned_negative=True),
}


@dataclass
class Vote:
    member: str
    line: int
    vote: str = NOT_RETURNED
    org: str = ""
    reasons: str = ""
    drafter: bool = False
    adopted: bool = False     # CONDITIONAL vote whose suggestions were adopted: counts in favour
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def needs_reason(self) -> bool:
        return self.vote in NEGATIVE and not self.reasons.strip()


@dataclass
class Ballot:
    path: str
    id: str
    line: int = 1
    kind: str = "函审"
    title: str = ""           # 国家标准名称
    drafting_unit: str = ""   # 负责起草单位
    organiser: str = ""       # 组织函审单位
    draft: str = ""
    stage: str = ""
    sent: str = ""            # 发出日期
    deadline: str = ""        # 投票截止日期
    eligible: int | None = None   # declared 函审单总数: the denominator, checked against the votes listed
    conclusion: str = ""      # 函审结论 as written by the organiser
    rule: BallotRule = field(default_factory=BallotRule)
    votes: list[Vote] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


@dataclass
class Tally:
    rule: BallotRule
    counts: dict[str, int]    # 附件6 rows (drafters excluded)
    sent: int                 # 函审单总数: ballots sent to members who vote (see ``tally``)
    listed: int               # members listed in votes who vote
    declared: int | None      # the record's ``eligible``, if given
    drafters: int
    returned: int
    invalid: int
    discarded: int            # negative votes without reasons, when the rule discards them
    in_favour: int
    against: int
    abstain: int
    return_rate: Fraction
    approval_rate: Fraction | None
    negative_rate: Fraction | None
    outcome: str              # 通过 | 未通过 | 重新组织审查

    @property
    def passed(self) -> bool:
        return self.outcome == "通过"

    @property
    def count_problem(self) -> str:
        """Why the declared 函审单总数 and the members listed disagree; "" when they agree."""
        if self.declared is None or self.declared == self.listed:
            return ""
        drafters = f"（起草单位 {self.drafters} 个不参加表决，不计）" if self.drafters else ""
        return f"函审单总数记为 {self.declared}，但 votes 中列出 {self.listed} 个参加表决的单位{drafters}"

    def summary(self) -> str:
        rate = "—" if self.approval_rate is None else _percent(self.approval_rate)
        mismatch = f"（votes 中列出 {self.listed} 个单位，与函审单总数不符）" if self.count_problem else ""
        return (f"函审单 {self.sent} 份{mismatch}，回函 {self.returned} 份（回函率 {_percent(self.return_rate)}），"
                f"赞成 {self.in_favour}、不赞成 {self.against}、弃权 {self.abstain}，"
                f"赞成率 {rate}：{self.outcome}")


COUNT_HINT = "votes 列出每个收到函审单的单位，未复函的写 vote: 未复函；或改正 eligible"


def _percent(value: Fraction) -> str:
    return f"{float(value) * 100:.1f}%"


def tally(ballot: Ballot, drafting_units: tuple[str, ...] = ()) -> Tally:
    """Count a ballot under its rule. Members marked ``drafter`` — or listed in the
    standard's drafting units — do not vote (第二十一条).

    The ballots sent are the declared ``eligible`` (a member missing from the list
    still had a ballot, and did not return it), or the members listed when there
    are more of them: no more ballots can come back than were sent."""
    rule = ballot.rule
    drafters = [v for v in ballot.votes if v.drafter or {v.member, v.org} & set(drafting_units)]
    voters = [v for v in ballot.votes if v not in drafters]
    counts = {name: sum(1 for v in voters if v.vote == name) for name in VOTES}
    returned = [v for v in voters if v.vote != NOT_RETURNED]
    invalid = sum(1 for v in returned if v.vote == INVALID)
    discarded = sum(1 for v in returned if rule.discard_unreasoned_negative and v.needs_reason)
    valid = [v for v in returned if v.vote != INVALID
             and not (rule.discard_unreasoned_negative and v.needs_reason)]
    in_favour = sum(1 for v in valid if _counts_in_favour(v))
    abstain = sum(1 for v in valid if v.vote == ABSTAIN)
    against = len(valid) - in_favour - abstain
    sent = len(voters) if ballot.eligible is None else max(ballot.eligible, len(voters))
    denominator = {"returned": len(valid), "cast": in_favour + against, "eligible": sent}[rule.basis]
    return_rate = Fraction(len(returned), sent) if sent else Fraction(0)
    approval = Fraction(in_favour, denominator) if denominator else None
    cast = in_favour + against
    negative = Fraction(against, cast) if cast else None
    if not sent or return_rate < rule.min_return:
        outcome = "重新组织审查"
    elif approval is not None and approval >= rule.approve and (
            rule.max_negative is None or negative is None or negative <= rule.max_negative):
        outcome = "通过"
    else:
        outcome = "未通过"
    return Tally(rule=rule, counts=counts, sent=sent, listed=len(voters), declared=ballot.eligible,
                 drafters=len(drafters), returned=len(returned), invalid=invalid, discarded=discarded,
                 in_favour=in_favour, against=against, abstain=abstain,
                 return_rate=return_rate, approval_rate=approval, negative_rate=negative,
                 outcome=outcome)


def _counts_in_favour(vote: Vote) -> bool:
    return vote.vote in (IN_FAVOUR, IN_FAVOUR_WITH_COMMENTS) or (vote.vote == CONDITIONAL and vote.adopted)


# ---------------------------------------------------------------- loading


def load_ballot(path: str | Path) -> Ballot:
    """Read one ballot file; raises SourceError (file:line, what, how to fix) on bad input."""
    path = str(path)
    top, head = open_record(path, "函审记录", "ballot", "votes", BALLOT_KEYS,
                            "{id: HS-01, deadline: 2025-07-06}（本次函审的基本信息）")
    texts = {key: head.text(key) for key in BALLOT_KEYS if key not in ("eligible", "rule")}
    ballot = Ballot(path=path, line=top.line_of("ballot"), eligible=head.count("eligible"),
                    rule=_rule(head, path), lines=dict(getattr(head.data, "lines", {})),
                    **{**texts, "kind": texts["kind"] or "函审"})
    if not ballot.id:
        head.fail("id", "ballot 缺少 id", "写成 id: HS-2025-01")
    ballot.votes = [_vote(item, path, top.line_of("votes"), n)
                    for n, item in enumerate(top.items("votes"), 1)]
    return ballot


def _rule(head: yamlsafe.Fields, path: str) -> BallotRule:
    value = head.data.get("rule")
    if value is None:
        return PRESETS["gb-1990"]
    if isinstance(value, str):
        value = {"preset": value}
    fields = yamlsafe.Fields(value, path, head.line_of("rule"), "表决规则", RULE_KEYS)
    preset = fields.text("preset", "gb-1990")
    if preset not in PRESETS:
        fields.fail("preset", f"未知的表决规则 “{preset}”",
                    "可选：" + "、".join(PRESETS) + "；其他机构的规则用 approve、min_return、basis 等键写出")
    rule = PRESETS[preset]
    changes: dict = {}
    for key in ("approve", "min_return", "max_negative"):
        if key in fields.data:
            changes[key] = _fraction(fields, key)
    if "basis" in fields.data:
        changes["basis"] = fields.text("basis")
        if changes["basis"] not in BASES:
            fields.fail("basis", f"未知的计票基数 “{changes['basis']}”",
                        "可选：returned（回函数）、cast（赞成与不赞成票数）、eligible（函审单总数）")
    if "discard_unreasoned_negative" in fields.data:
        changes["discard_unreasoned_negative"] = fields.flag("discard_unreasoned_negative")
    return replace(rule, name=preset if not changes else f"{preset}（调整）", **changes)


def _fraction(fields: yamlsafe.Fields, key: str) -> Fraction | None:
    value = fields.data.get(key)
    if value is None:
        return None
    text = str(value).strip()
    exponent = re.search(r"[eE][-+]?0*(\d+)", text)
    try:
        if len(text) > 40 or (exponent and len(exponent.group(1)) > 2):
            result = None    # 1e-999999999: Fraction would compute 10**999999999
        else:
            result = Fraction(text[:-1]) / 100 if text.endswith("%") else Fraction(text)
    except (ValueError, ZeroDivisionError):
        result = None
    if isinstance(value, bool) or result is None or not 0 <= result <= 1:
        fields.fail(key, f"“{key}” 应为 0 到 1 之间的比例，实际为 “{value}”",
                    f"写成 {key}: 3/4、{key}: 0.75 或 {key}: 75%")
    return result


def _vote(data, path: str, line: int, position: int) -> Vote:
    item = yamlsafe.Fields(data, path, line, f"第 {position} 张函审单", VOTE_KEYS)
    item.line = item.first_line()     # a missing key is reported at its entry
    member = item.text("member")
    if not member:
        item.fail("member", f"第 {position} 张函审单缺少 member（审查单位）", "写成 member: 单位名称")
    vote = Vote(member=member, line=item.first_line(), org=item.text("org"),
                reasons=item.text("reasons"), drafter=item.flag("drafter"),
                adopted=item.flag("adopted"), lines=dict(getattr(item.data, "lines", {})))
    written = item.text("vote").strip().replace(",", "，")
    vote.vote = VOTE_ALIASES.get(written, written) if written else NOT_RETURNED
    if vote.vote not in VOTES + (INVALID,):
        item.fail("vote", f"表决态度 “{written}” 不可识别",
                  "写成 " + "、".join(VOTES + (INVALID,)) + " 之一")
    if vote.adopted and vote.vote != CONDITIONAL:
        item.fail("adopted", "adopted 只用于“不赞成，如采纳建议或意见改成赞成”的表决",
                  "其他表决态度不写 adopted")
    return vote
