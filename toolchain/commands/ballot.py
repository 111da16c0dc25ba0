"""gbstd ballot: count a letter ballot (函审) and print its 函审结论表.

    gbstd ballot tally ballots/hs-01.yaml [--standard standard.md]
    gbstd ballot render ballots/hs-01.yaml -o 函审结论表.html   (or .pdf)

Exit codes: 0 the ballot passed (render: the form was written) and the record is
consistent; 1 it did not pass (tally), or the declared 函审单总数 disagrees with
the members listed (BALLOT-COUNT, as ``gbstd check`` reports it); 2 the record
cannot be read or the form cannot be written.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..source import reader
from ..findings import Finding
from ..review import render
from ..review.ballots import COUNT_HINT, Ballot, Tally, load_ballot, tally
from .comments import located


def _count(args: argparse.Namespace) -> tuple[Ballot, Tally]:
    ballot = load_ballot(args.source)
    standard = Path(args.standard) if args.standard else Path(args.source).parent.parent / "standard.md"
    drafting_units = tuple(reader.read(standard).meta.drafting_units) if standard.exists() else ()
    return ballot, tally(ballot, drafting_units)


def _consistent(ballot: Ballot, result: Tally) -> bool:
    """Report a record whose declared count disagrees with its list (as BALLOT-COUNT does)."""
    if result.count_problem:
        print(Finding("BALLOT-COUNT", "error", ballot.path, ballot.line_of("eligible"),
                      result.count_problem, COUNT_HINT).format(), file=sys.stderr)
    return not result.count_problem


def run_tally(args: argparse.Namespace) -> int:
    ballot, result = _count(args)
    print(f"{ballot.id}：{result.summary()}")
    return 0 if _consistent(ballot, result) and result.passed else 1


def run_render(args: argparse.Namespace) -> int:
    ballot, result = _count(args)
    target = Path(args.output or Path(args.source).with_suffix(".html").name)
    render.write_ballot(ballot, result, target)
    print(f"gbstd ballot render: 写入 {target}（{result.outcome}）")
    return 0 if _consistent(ballot, result) else 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ballot", help="函审：计票，生成函审结论表")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, run, help_text in (("tally", run_tally, "计票并给出结论（通过且记录一致时退出码为 0）"),
                                 ("render", run_render, "生成函审结论表（附件6）：HTML、PDF（xelatex）或 Word（.docx）")):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("source", help="函审记录 YAML")
        action.add_argument("--standard", help="所审标准（默认：上一级目录的 standard.md），其起草单位不参加表决")
        if name == "render":
            action.add_argument("-o", "--output",
                                help="输出 .html、.pdf、.docx 或 .tex（默认：与 YAML 同名的 .html，写在当前目录）")
        action.set_defaults(func=located(run))
