"""Findings: what the reader and the checker report about a source file.

A finding always names the file, the line, the rule id, what is wrong and how
to fix it. Malformed input is reported as a finding (raised as SourceError
where processing cannot go on), never as a Python traceback.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("error", "warning", "info")


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
        text = f"{self.path}:{self.line}: {self.severity} {self.rule}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
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
