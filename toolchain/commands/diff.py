"""gbstd diff: what changed between two versions of a standard (redline).

    gbstd diff old/standard.md new/standard.md [--html 对照.html]
    gbstd diff standards/x/standard.md --rev v1.0 --rev HEAD     two git revisions of one file
    gbstd diff standards/x/standard.md --rev HEAD~3              a revision against the working file
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import diff
from ..source import reader
from ..files import write_text
from .comments import located


def _version(path: str, revision: str | None):
    if revision is None:
        return reader.read(path), path
    return diff.read_revision(path, revision), f"{path}@{revision}"


def run(args: argparse.Namespace) -> int:
    revisions = args.rev or []
    if len(revisions) > 2 or (revisions and len(args.files) != 1) or (not revisions and len(args.files) != 2):
        print("gbstd diff: 给出两个文件（OLD NEW），或一个文件和一两个 --rev", file=sys.stderr)
        return 2
    missing = [p for p in args.files if not Path(p).exists()]
    if missing:
        print(f"gbstd diff: 找不到文件：{'、'.join(missing)}", file=sys.stderr)
        return 2
    if revisions:
        new_revision = revisions[1] if len(revisions) == 2 else None
        (old, old_label), (new, new_label) = (_version(args.files[0], revisions[0]),
                                              _version(args.files[0], new_revision))
        tags = (revisions[0], new_revision or "工作区")    # one file: its revisions tell the versions apart
    else:
        (old, old_label), (new, new_label) = _version(args.files[0], None), _version(args.files[1], None)
        tags = None                                       # two files: their names, folders or dates
    comparison = diff.compare(old, new, old_label, new_label, tags)
    sys.stdout.write(diff.text_report(comparison))
    if args.html:
        write_text(args.html, diff.html_report(comparison))
        print(f"gbstd diff: 对照页写入 {args.html}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("diff", help="比较标准的两个版本：章条、指标、引用文件的增删改，主要技术变化草稿")
    parser.add_argument("files", nargs="+", help="OLD NEW，或与 --rev 一起给出一个文件")
    parser.add_argument("--rev", action="append", help="git 修订版本（可写两次：旧、新；只写一次时与工作区文件比较）")
    parser.add_argument("--html", help="另写一页标出增删的 HTML 对照")
    parser.set_defaults(func=located(run))
