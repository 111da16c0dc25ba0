"""Check reports: text for people, JSON and SARIF for CI."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from . import __version__, rules
from .findings import Finding
from .model import Document
from .paths import shown


def render_report(findings: list[Finding], docs: list[Document], fmt: str, *,
                  quiet: bool = False, show_info: bool = False) -> str:
    """The report; text and JSON print paths relative to the current folder (SARIF: %SRCROOT%).

    Text lists errors and warnings, then the suppressed findings; ``quiet`` drops the
    suppressed list, ``show_info`` adds the informational findings (提示).
    """
    if fmt == "json":
        return json.dumps(_json(findings, docs), ensure_ascii=False, indent=2) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(findings), ensure_ascii=False, indent=2) + "\n"
    return _text(findings, docs, quiet, show_info)


def for_people(finding: Finding) -> Finding:
    """The finding with its path relative to the current folder, as people read it."""
    return replace(finding, path=shown(finding.path))


def _text(findings: list[Finding], docs: list[Document], quiet: bool = False, show_info: bool = False) -> str:
    findings = [for_people(f) for f in findings]
    shown_severities = ("error", "warning", "info") if show_info and not quiet else ("error", "warning")
    active = [f for f in findings if not f.suppressed_by and f.severity in shown_severities]
    suppressed = [] if quiet else [f for f in findings if f.suppressed_by]
    lines = [f.format() for f in active]
    if suppressed:
        lines.append("")
        lines.append("已抑制：")
        lines += [f"  {f.path}:{f.line}: {f.rule}: {f.message} —— 理由：{f.suppressed_by}"
                  for f in suppressed]
    counts = Counter(f.severity for f in active)
    info = sum(1 for f in findings if f.severity == "info")
    silenced = sum(1 for f in findings if f.suppressed_by)
    lines.append("")
    lines.append(f"{len(docs)} 个文件：{counts['error']} 个错误，{counts['warning']} 个警告，"
                 f"{silenced} 个已抑制，{info} 条提示信息")
    return "\n".join(lines) + "\n"


def _json(findings: list[Finding], docs: list[Document]) -> dict:
    return {
        "generator": {"name": "gbstd", "version": __version__},
        "files": sorted(shown(d.path) for d in docs),
        "findings": [{"rule": f.rule, "severity": f.severity, "path": shown(f.path), "line": f.line,
                      "message": f.message, "hint": f.hint,
                      "suppressed": bool(f.suppressed_by), "suppression_reason": f.suppressed_by}
                     for f in findings],
    }


SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def _artifact(path: str) -> dict:
    """A path relative to the working folder (%SRCROOT%, as code-scanning viewers expect), else a file URI."""
    resolved = Path(path).resolve()
    try:
        return {"uri": resolved.relative_to(Path.cwd().resolve()).as_posix(), "uriBaseId": "%SRCROOT%"}
    except ValueError:
        return {"uri": resolved.as_uri()}


def sarif(findings: list[Finding]) -> dict:
    used = sorted({f.rule for f in findings})
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "gbstd", "version": __version__,
                "rules": [{"id": rule_id,
                           "shortDescription": {"text": rules.statement_of(rule_id)}}
                          for rule_id in used]}},
            "results": [{
                "ruleId": f.rule, "level": SARIF_LEVELS.get(f.severity, "note"),
                "message": {"text": f.message + (f"（提示：{f.hint}）" if f.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": _artifact(f.path),
                    "region": {"startLine": max(f.line, 1)}}}],
                **({"suppressions": [{"kind": "inSource", "justification": f.suppressed_by}]}
                   if f.suppressed_by else {}),
            } for f in findings],
        }],
    }
