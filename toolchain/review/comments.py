"""Comment-resolution rounds (意见汇总处理表): the YAML record, its model and its writer.

One file per consultation round::

    round:
      id: ZQ-2025-01
      stage: 征求意见稿
      draft: v0.3
      closes: 2025-03-31
      units: {sent: 42, replied: 30, replied_with_comments: 18, not_replied: 12}
    comments:
      - id: C-017
        clause: "5.2.2"
        type: te
        text: …
        org: 某研究院
        disposition: 部分采纳
        response: …

The four unit counts are those of 国家标准管理办法 附件4; ``id`` is stable,
the 序号 of the printed table is only the order of the list.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..source import yamlsafe
from ..findings import SourceError
from ..source.metadata import STAGES
from .files import open_record

DISPOSITIONS = ("采纳", "部分采纳", "未采纳", "解释说明")
NEEDS_REASON = ("部分采纳", "未采纳", "解释说明")
DISPOSITION_ALIASES = {"不采纳": "未采纳", "部份采纳": "部分采纳", "说明": "解释说明"}
COMMENT_TYPES = {"ge": "一般", "te": "技术", "ed": "编辑"}
TYPE_ALIASES = {"general": "ge", "technical": "te", "editorial": "ed",
                "一般": "ge", "技术": "te", "编辑": "ed",
                "一般性": "ge", "技术性": "te", "编辑性": "ed"}
UNIT_KEYS = ("sent", "replied", "replied_with_comments", "not_replied")
UNIT_LABELS = {
    "sent": "发送“征求意见稿”的单位数",
    "replied": "收到“征求意见稿”后，回函的单位数",
    "replied_with_comments": "收到“征求意见稿”后，回函并有建议或意见的单位数",
    "not_replied": "没有回函的单位数",
}
ROUND_KEYS = ("id", "stage", "draft", "draft_file", "draft_rev", "opened", "closes", "title",
              "drafting_unit", "contact", "phone", "filled", "units")
# Text fields of a comment, in the order they are written.
COMMENT_FIELDS = ("id", "clause", "clause_now", "element", "line_no", "type", "text", "proposal",
                  "org", "submitter", "disposition", "response", "remarks", "duplicate_of",
                  "applied_in")
CLAUSE_FIELDS = ("clause", "clause_now", "line_no")


@dataclass
class Units:
    sent: int | None = None
    replied: int | None = None
    replied_with_comments: int | None = None
    not_replied: int | None = None
    line: int = 0


@dataclass
class Comment:
    id: str
    line: int = 0
    clause: str = ""          # 标准章条编号 as in the draft the commenter read
    clause_now: str = ""      # the same place after renumbering
    element: str = ""         # paragraph / figure / table (ISO template)
    line_no: str = ""         # line number (ISO template)
    type: str = ""            # ge | te | ed
    text: str = ""            # 意见内容
    proposal: str = ""        # 修改建议
    org: str = ""             # 提出单位
    submitter: str = ""
    disposition: str = ""     # 采纳 | 部分采纳 | 未采纳 | 解释说明
    response: str = ""        # 处理意见 (the reason, for 未采纳 / 部分采纳)
    remarks: str = ""         # 备注
    duplicate_of: str = ""
    applied_in: str = ""
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in COMMENT_FIELDS}


@dataclass
class Round:
    path: str
    id: str
    line: int = 1
    stage: str = ""
    draft: str = ""           # label of the draft the round was on
    draft_file: str = ""      # that draft as a file (relative to this YAML file)
    draft_rev: str = ""       # or as a git revision of the standard
    opened: str = ""
    closes: str = ""
    title: str = ""           # 国家标准名称 (header of 附件4)
    drafting_unit: str = ""   # 负责起草单位
    contact: str = ""         # 承办人
    phone: str = ""           # 电话
    filled: str = ""          # 填写日期
    units: Units = field(default_factory=Units)
    comments: list[Comment] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def stage_label(self) -> str:
        """（征求意见稿，v0.3）: the stage and the draft's label, the label only when it says more."""
        if not self.stage:
            return ""
        draft = f"，{self.draft}" if self.draft and self.draft != self.stage else ""
        return f"（{self.stage}{draft}）"

    def header(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in ROUND_KEYS if key != "units"}

    def tally(self) -> Counter:
        """Comments per disposition ("" for comments not yet disposed of)."""
        return Counter(c.disposition for c in self.comments)

    def tally_sentence(self) -> str:
        """The tally as an explanatory note states it: 共收到10条意见，采纳4条，…"""
        counts = self.tally()
        parts = [f"共收到{len(self.comments)}条意见"]
        parts += [f"{d}{counts[d]}条" for d in DISPOSITIONS if counts[d]]
        if counts[""]:
            parts.append(f"尚未处理{counts['']}条")
        return "，".join(parts)

    def organisations(self) -> list[str]:
        return sorted({c.org for c in self.comments if c.org})

    @property
    def open_comments(self) -> list[Comment]:
        return [c for c in self.comments if not c.disposition]


def normalise_disposition(value: str) -> str:
    value = value.strip()
    return DISPOSITION_ALIASES.get(value, value)


def normalise_type(value: str) -> str:
    value = value.strip()
    return TYPE_ALIASES.get(value.lower(), TYPE_ALIASES.get(value, value.lower()))


# ---------------------------------------------------------------- loading


def load_round(path: str | Path) -> Round:
    """Read one round file; raises SourceError (file:line, what, how to fix) on bad input."""
    path = str(path)
    top, head = open_record(path, "意见处理记录", "round", "comments", ROUND_KEYS,
                            "{id: ZQ-01, stage: 征求意见稿}（本轮征求意见的基本信息）")
    for key in ROUND_KEYS[:-1]:
        _reject_float(head, key)
    round_ = Round(path=path, id=head.text("id"), line=top.line_of("round"),
                   lines=dict(getattr(head.data, "lines", {})),
                   **{key: head.text(key) for key in ROUND_KEYS[1:-1]})
    if not round_.id:
        head.fail("id", "round 缺少 id", "写成 id: ZQ-2025-01（本轮意见的稳定编号）")
    if round_.stage and round_.stage not in STAGES:
        head.fail("stage", f"阶段 “{round_.stage}” 不可识别", "可选：" + "、".join(STAGES))
    round_.units = _units(head, path)
    round_.comments = [_comment(item, path, top.line_of("comments"), n)
                       for n, item in enumerate(top.items("comments"), 1)]
    seen: dict[str, int] = {}
    for comment in round_.comments:
        if comment.id in seen:
            raise SourceError(path, comment.line_of("id"), "REVIEW-002",
                              f"意见编号 “{comment.id}” 重复（第 {seen[comment.id]} 行已使用）",
                              "每条意见的 id 在本轮中唯一且不随排序改变")
        seen[comment.id] = comment.line_of("id")
    return round_


def _units(head: yamlsafe.Fields, path: str) -> Units:
    if "units" not in head.data or head.data["units"] is None:
        return Units()
    units = yamlsafe.Fields(head.data["units"], path, head.line_of("units"), "units", UNIT_KEYS)
    values = {}
    for key in UNIT_KEYS:
        values[key] = units.count(key)
    return Units(line=head.line_of("units"), **values)


def _comment(data, path: str, line: int, position: int) -> Comment:
    item = yamlsafe.Fields(data, path, line, f"第 {position} 条意见", COMMENT_FIELDS)
    item.line = item.first_line()     # a missing key is reported at its entry
    for key in COMMENT_FIELDS:
        _reject_float(item, key)
    values = {key: item.text(key) for key in COMMENT_FIELDS}
    comment = Comment(line=item.first_line(), lines=dict(getattr(item.data, "lines", {})), **values)
    if not comment.id:
        item.fail("id", f"第 {position} 条意见缺少 id",
                  "给每条意见一个稳定的编号，例如 id: C-001（序号只是表中的顺序）")
    comment.type = normalise_type(comment.type) if comment.type else ""
    if comment.type and comment.type not in COMMENT_TYPES:
        item.fail("type", f"意见类型 “{values['type']}” 不可识别",
                  "写成 ge（一般）、te（技术）或 ed（编辑）")
    comment.disposition = normalise_disposition(comment.disposition)
    if comment.disposition and comment.disposition not in DISPOSITIONS:
        item.fail("disposition", f"处理结论 “{comment.disposition}” 不可识别",
                  "写成 " + "、".join(DISPOSITIONS) + " 之一；尚未处理时不写")
    return comment


def _reject_float(fields: yamlsafe.Fields, key: str) -> None:
    # Unquoted 5.10 is read by YAML as the number 5.1: the clause would silently change.
    if isinstance(fields.data.get(key), float):
        fields.fail(key, f"“{key}” 被 YAML 读成了数值 {fields.data[key]}（不加引号时 5.10 会变成 5.1）",
                    f"给编号加引号，例如 {key}: \"5.10\"")


# ---------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def round_data(round_: Round) -> dict:
    """The round as plain data, in the order of the YAML file; empty fields are left out."""
    head = {key: value for key, value in round_.header().items() if value}
    units = {key: getattr(round_.units, key) for key in UNIT_KEYS
             if getattr(round_.units, key) is not None}
    if units:
        head["units"] = units
    comments = [{key: value for key, value in c.values().items() if value}
                for c in round_.comments]
    return {"round": head, "comments": comments}


def _dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1000)


def dump_round(round_: Round, preamble: str = "") -> str:
    """YAML text of a round; ``preamble`` lines are written as comments at the top.

    The text is PyYAML's (``_dump`` of ``round_data``) byte for byte, written faster: each
    comment whose values are all plain or simply quoted scalars (``_scalar``) is written
    directly, any other comment is dumped on its own by PyYAML (an item of a block sequence
    comes out the same alone as in its list). tests/test_review_comments.py compares both."""
    data = round_data(round_)
    if not data["comments"]:
        text = _dump(data)
    else:
        parts = [_closed(_dump({"round": data["round"]})), "comments:\n"]
        for comment in data["comments"]:
            lines = [] if comment else None
            for key, value in comment.items():
                written = _scalar(value) if key in _PLAIN_KEYS else None
                if written is None:
                    lines = None
                    break
                lines.append(f"  {key}: {written}\n")
            if lines is None:
                alone = _dump([comment])
                parts.append(alone if comment is data["comments"][-1] else _closed(alone))
            else:
                lines[0] = "- " + lines[0][2:]
                parts.append("".join(lines))
        text = "".join(parts)
    lines = [f"# {line}".rstrip() for line in preamble.splitlines()]
    return "\n".join(lines + [text]) if lines else text


def _closed(text: str) -> str:
    """A part dumped alone ends with the document end marker "..." when its last scalar is a
    literal that keeps its final line breaks (``|+``); inside the whole text something follows,
    so the marker goes (the last comment keeps it, as in the whole text)."""
    return text[:-4] if text.endswith("\n...\n") else text


_PLAIN_KEYS = frozenset(COMMENT_FIELDS)
# Text PyYAML's emitter writes as it is (allow_unicode): no quote, line break, tab or other
# control character, no ":" or "#" anywhere (that rules out ": ", " #" and a trailing colon),
# no U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF, U+10FFFF or surrogate; no leading or trailing
# space and no character that starts YAML syntax first; at most 900 characters, so the
# 1000-column width never folds it.
_BAD = "\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029\\ud800-\\udfff\\ufeff\\ufffe\\uffff\\U0010ffff:#'\""
_SAFE_TEXT = re.compile(f"[^-?,\\[\\]{{}}&*!|>%@` {_BAD}](?:[^{_BAD}]{{0,898}}[^ {_BAD}])?")
_RESOLVER = yaml.resolver.Resolver()
_FIRST = _RESOLVER.yaml_implicit_resolvers


def _scalar(value) -> str | None:
    """How PyYAML writes the text ``value`` as a block mapping value, or None when it is not
    one of the simple cases (the caller then lets PyYAML write it)."""
    if not isinstance(value, str) or not _SAFE_TEXT.fullmatch(value) or value.startswith("..."):
        return None
    if value[0] in _FIRST and \
            _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) != "tag:yaml.org,2002:str":
        return f"'{value}'"       # would read back as a number, date, boolean …: quoted
    return value

