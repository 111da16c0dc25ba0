"""gbstd check: run the checker over source files without a full build."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..check import check_paths
from ..sources import discover
from ..modelcache import open_cache
from ..project import current, find_root, load
from ..report import render_report


def run(args: argparse.Namespace) -> int:
    if args.paths:   # files may be checked outside any project too (an editor, a hook)
        found = find_root()
        standards = load(found).standards if found else None
    else:
        project = current()               # no project: ProjectError says how to make one
        found, standards = project.root, project.standards
    paths = args.paths or [str(standards)]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"gbstd check: 找不到文件或目录：{'、'.join(missing)}", file=sys.stderr)
        return 2
    if not discover(paths):
        print(f"gbstd check: {'、'.join(paths)} 中没有源文件（*.md）", file=sys.stderr)
        return 2
    findings, docs = check_paths(paths, corpus_root=str(standards) if standards else None,
                                 cache=open_cache(found), models=False)
    sys.stdout.write(render_report(findings, docs, args.format, quiet=args.quiet, show_info=args.show_info))
    return 1 if any(f.severity == "error" and not f.suppressed_by for f in findings) else 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "check", help="检查源文件，不做完整构建",
        description="按 GB/T 1.1 规则检查源文件，报告 文件:行: 级别 规则编号: 说明 和修改建议；路径相对于当前目录。"
                    "不给路径时检查项目的全部文件。",
        epilog="退出码：0 没有错误级的检查结果；1 有错误级的检查结果；2 无法运行（路径不存在、没有源文件、不在标准项目中）。")
    parser.add_argument("paths", nargs="*", help="文件或目录（默认 standards/）")
    parser.add_argument("--format", choices=("text", "json", "sarif"), default="text",
                        help="text：供人阅读（默认）；json：机器可读；sarif：供 CI 和代码扫描查看器")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="只列出错误和警告，不列已抑制的检查结果（仍打印统计行）")
    parser.add_argument("--show-info", action="store_true", help="同时列出提示信息（级别为“提示”的检查结果）")
    parser.set_defaults(func=run)
