"""gbstd rules: the rule catalogue — ids, severities, statements, sources, profiles."""
from __future__ import annotations

import argparse
import json
import sys

from .. import rules
from ..findings import SEVERITY_LABELS

PROFILES = {"2020": "GB/T 1.1—2020", "2009": "GB/T 1.1—2009"}
KINDS = {"standard": "标准", "notes": "编制说明"}


def catalogue(prefixes: list[str]) -> list[rules.Rule]:
    found = rules.load_all().values()
    return sorted((r for r in found if not prefixes or r.id.startswith(tuple(prefixes))), key=lambda r: r.id)


def run(args: argparse.Namespace) -> int:
    known = list(rules.known_ids())
    unknown = [p for p in args.prefixes if not any(rule_id.startswith(p) for rule_id in known)]
    if unknown:
        print(f"gbstd rules: 没有以 {'、'.join(unknown)} 开头的规则编号（规则编号如 NUM-001、NREF-006，"
              "区分大小写；不带参数列出全部规则）", file=sys.stderr)
        return 2
    selected = catalogue(args.prefixes)
    if args.format == "json":
        entries = [{"id": r.id, "severity": r.severity, "statement": r.statement, "source": r.clause,
                    "profiles": list(r.applies), "kinds": list(r.kinds)} for r in selected]
        entries += [{"id": rule_id, "severity": severity, "statement": statement, "source": "gbstd",
                     "profiles": list(PROFILES), "kinds": list(KINDS)}
                    for rule_id, (severity, statement) in sorted(rules.SOURCE_CHECKS.items())
                    if not args.prefixes or rule_id.startswith(tuple(args.prefixes))]
        entries += [{"id": rule_id, "severity": severity, "statement": statement, "source": "gbstd",
                     "command": command, "profiles": list(PROFILES), "kinds": list(KINDS)}
                    for rule_id, (severity, statement, command) in sorted(rules.COMMAND_CHECKS.items())
                    if not args.prefixes or rule_id.startswith(tuple(args.prefixes))]
        entries.sort(key=lambda e: (e["id"] not in rules.load_all(), e["id"]))
        sys.stdout.write(json.dumps(entries, ensure_ascii=False, indent=2) + "\n")
        return 0
    width = max((len(r.id) for r in selected), default=0)
    lines = []
    for r in selected:
        profiles = "、".join(PROFILES.get(p, p) for p in r.applies)
        kinds = "、".join(KINDS.get(k, k) for k in r.kinds)
        lines.append(f"{r.id:<{width}}  {SEVERITY_LABELS[r.severity]}  {r.statement}")
        lines.append(f"{'':<{width}}        依据：{r.clause or '—'}；适用：{profiles}；{kinds}")
    checks = [(rule_id, severity, statement) for rule_id, (severity, statement)
              in sorted(rules.SOURCE_CHECKS.items())
              if not args.prefixes or rule_id.startswith(tuple(args.prefixes))]
    if checks:
        lines.append("\n读取源文件和运行检查时的结果（适用于全部文件）：")
        lines += [f"{rule_id:<{width}}  {SEVERITY_LABELS[severity]}  {statement}"
                  for rule_id, severity, statement in checks]
    commands = [(rule_id, severity, statement, command) for rule_id, (severity, statement, command)
                in sorted(rules.COMMAND_CHECKS.items())
                if not args.prefixes or rule_id.startswith(tuple(args.prefixes))]
    if commands:
        lines.append("\n其他命令报告的结果（评分模式与评分、审查记录、版本比较）：")
        lines += [f"{rule_id:<{width}}  {severity:<7}  {statement}（{command}）"
                  for rule_id, severity, statement, command in commands]
    lines.append(f"\n共 {len(selected)} 条规则，{len(checks)} 项读取检查，{len(commands)} 项其他命令的检查")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("rules", help="列出检查规则（编号、级别、规则、依据的条款）")
    parser.add_argument("prefixes", nargs="*", metavar="ID", help="只列出以此开头的规则，如 NREF 或 TERM-00")
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="text：供人阅读（默认）；json：机器可读")
    parser.set_defaults(func=run)
