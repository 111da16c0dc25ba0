"""gbstd comments: comment-resolution rounds (意见汇总处理表) to and from spreadsheets, and as HTML.

    gbstd comments import 意见表.xlsx comments/zq-01.yaml
    gbstd comments export comments/zq-01.yaml 意见表.xlsx [--layout gb|iso] [--plain]
    gbstd comments render comments/zq-01.yaml -o 意见汇总处理表.html   (or .pdf)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..findings import SourceError
from ..review import tables
from ..review.comments import dump_round, load_round
from ..files import write_text


def run_import(args: argparse.Namespace) -> int:
    target = Path(args.target)
    base = load_round(target) if target.exists() else None
    round_, problems = tables.import_table(args.source, base=base)
    if problems:
        for problem in problems:
            print(problem.format(args.source), file=sys.stderr)
        print(f"gbstd comments import: {len(problems)} 行无法读取，未写入 {target}", file=sys.stderr)
        return 1
    text = dump_round(round_, f"由 gbstd comments import 从 {Path(args.source).name} 导入")
    # Not read back after writing: parsing the YAML just written was two thirds of the time
    # of a big import (issue 10 item 24); tests/test_review_* prove the round trip instead.
    write_text(target, text)
    print(f"gbstd comments import: {len(round_.comments)} 条意见写入 {target}"
          f"（{round_.tally_sentence()}）")
    return 0


def run_export(args: argparse.Namespace) -> int:
    round_ = load_round(args.source)
    target = Path(args.target)
    if target.suffix.lower() == ".csv":
        tables.export_csv(round_, target)
    elif target.suffix.lower() == ".xlsx":
        tables.export_xlsx(round_, target, args.layout, plain=args.plain)
    else:
        print(f"gbstd comments export: 输出文件应以 .xlsx 或 .csv 结尾：{target}", file=sys.stderr)
        return 2
    print(f"gbstd comments export: {len(round_.comments)} 条意见写入 {target}")
    return 0


def run_render(args: argparse.Namespace) -> int:
    from ..review import render    # HTML, PDF and Word writers: imported only here (start-up of import/export)

    round_ = load_round(args.source)
    target = Path(args.output or Path(args.source).with_suffix(".html").name)
    render.write_comments(round_, target)
    print(f"gbstd comments render: 写入 {target}")
    return 0


def located(command):
    """Run a subcommand; unreadable input is reported as file:line, exit code 2."""
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except SourceError as error:
            print(error.as_finding().format(), file=sys.stderr)
            return 2
    return run


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("comments", help="意见汇总处理表：导入、导出 XLSX/CSV，生成 HTML 或 PDF")
    actions = parser.add_subparsers(dest="action", required=True)
    importing = actions.add_parser("import", help="从 XLSX（附件4 或 ISO/IEC 模板）或 CSV 导入为 YAML")
    importing.add_argument("source", help="意见表 .xlsx 或 .csv")
    importing.add_argument("target", help="写入的 YAML 文件；已存在时保留其中表格没有的轮次信息")
    importing.set_defaults(func=located(run_import))
    exporting = actions.add_parser("export", help="把 YAML 导出为 XLSX 或 CSV")
    exporting.add_argument("source", help="意见处理记录 YAML")
    exporting.add_argument("target", help="输出 .xlsx 或 .csv")
    exporting.add_argument("--layout", choices=tables.LAYOUTS, default="gb",
                           help="gb：国家标准管理办法附件4；iso：ISO/IEC 意见表模板")
    exporting.add_argument("--plain", action="store_true",
                           help="只写模板列（供检查表头的系统上传）；不保留编号等字段，不能无损导回")
    exporting.set_defaults(func=located(run_export))
    rendering = actions.add_parser("render", help="生成意见汇总处理表：HTML、PDF（xelatex）或 Word（.docx）")
    rendering.add_argument("source", help="意见处理记录 YAML")
    rendering.add_argument("-o", "--output",
                           help="输出 .html、.pdf、.docx 或 .tex（默认：与 YAML 同名的 .html，写在当前目录）")
    rendering.set_defaults(func=located(run_render))
