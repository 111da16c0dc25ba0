"""Findings: what the reader and the checker report about a source file.

A finding always names the file, the line, the rule id, what is wrong and how
to fix it. Malformed input is reported as a finding (raised as SourceError
where processing cannot go on), never as a Python traceback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")
# how a severity is printed for people; JSON, SARIF and rule files keep the English ids
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
# Characters that start a new line in a terminal or an editor (Python's str.splitlines).
_LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """Text quoted from a source, on one line: line breaks shown as \\n, \\u2028…"""
    return _LINE_BREAKS.sub(lambda m: repr(m.group())[1:-1], text)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    path: str
    line: int
    message: str
    hint: str = ""
    suppressed_by: str = ""  # the stated reason when a suppression silenced it

    def format(self) -> str:
        severity = SEVERITY_LABELS.get(self.severity, self.severity)
        text = f"{one_line(self.path)}:{self.line}: {severity} {self.rule}: {one_line(self.message)}"
        if self.hint:
            text += f"\n    建议：{one_line(self.hint)}"
        return text


@dataclass
class SourceError(Exception):
    """Input that cannot be read at all: bad YAML, unknown keys, wrong types."""

    path: str
    line: int
    rule: str
    message: str
    hint: str = ""
    extra: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        return self.as_finding().format()

    def as_finding(self) -> Finding:
        return Finding(self.rule, "error", self.path, self.line, self.message, self.hint)
