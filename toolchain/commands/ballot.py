"""gbstd ballot: count a letter ballot (函审) and print its 函审结论表.

    gbstd ballot tally ballots/hs-01.yaml [--standard standard.md]
    gbstd ballot render ballots/hs-01.yaml -o 函审结论表.html   (or .pdf)
"""
from __future__ import annotations

import argparse
from pathlib import Path

from .. import reader
from ..review import render
from ..review.ballots import load_ballot, tally
from .comments import located


def _count(args: argparse.Namespace):
    ballot = load_ballot(args.source)
    standard = Path(args.standard) if args.standard else Path(args.source).parent.parent / "standard.md"
    drafting_units = tuple(reader.read(standard).meta.drafting_units) if standard.exists() else ()
    return ballot, tally(ballot, drafting_units)


def run_tally(args: argparse.Namespace) -> int:
    ballot, result = _count(args)
    print(f"{ballot.id}：{result.summary()}")
    return 0 if result.passed else 1


def run_render(args: argparse.Namespace) -> int:
    ballot, result = _count(args)
    target = Path(args.output or Path(args.source).with_suffix(".html").name)
    render.write_ballot(ballot, result, target)
    print(f"gbstd ballot render: 写入 {target}（{result.outcome}）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("ballot", help="函审：计票，生成函审结论表")
    actions = parser.add_subparsers(dest="action", required=True)
    for name, run, help_text in (("tally", run_tally, "计票并给出结论（通过时退出码为 0）"),
                                 ("render", run_render, "生成函审结论表（附件6）：HTML，或 PDF（xelatex）")):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("source", help="函审记录 YAML")
        action.add_argument("--standard", help="所审标准（默认：上一级目录的 standard.md），其起草单位不参加表决")
        if name == "render":
            action.add_argument("-o", "--output",
                                help="输出 .html、.pdf 或 .tex（默认：与 YAML 同名的 .html，写在当前目录）")
        action.set_defaults(func=located(run))
