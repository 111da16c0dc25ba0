"""The ``gbstd`` command line.

Exit codes: 0 clean, 1 findings at error level (or a failed build),
2 could not run (bad arguments, unreadable input, missing tools).
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from . import __version__
from .check import check_paths
from .report import render_report

ROOT = Path(__file__).resolve().parent.parent


def _project_root(start: Path) -> Path:
    """The folder holding conf.py and standards/ (the current one, or the package's)."""
    for folder in [start, *start.parents]:
        if (folder / "conf.py").exists() and (folder / "standards").is_dir():
            return folder
    return ROOT


def cmd_build(args: argparse.Namespace) -> int:
    root = _project_root(Path.cwd())
    out = Path(args.out) if args.out else root / "build"
    staging = out / ".html.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
               "-c", str(root), "-d", str(out / ".doctrees"), str(root / "standards"), str(staging)]
    print(f"gbstd: building HTML from {root / 'standards'}")
    result = subprocess.run(command)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("gbstd: HTML build failed; build/html left as it was", file=sys.stderr)
        return 1
    shutil.rmtree(out / "html", ignore_errors=True)
    staging.rename(out / "html")
    print(f"gbstd: HTML written to {out / 'html'}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    root = _project_root(Path.cwd())
    paths = args.paths or [str(root / "standards")]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"gbstd check: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    findings, docs = check_paths(paths, corpus_root=str(root / "standards"))
    sys.stdout.write(render_report(findings, docs, args.format))
    return 1 if any(f.severity == "error" and not f.suppressed_by for f in findings) else 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gbstd", description="编写、检查和发布 GB/T 1.1 评价类标准")
    top.add_argument("--version", action="version", version=f"gbstd {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="检查并构建语料：HTML 到 build/")
    build.add_argument("--out", help="输出目录（默认 build/）")
    build.set_defaults(func=cmd_build)

    check = sub.add_parser("check", help="检查源文件，不做完整构建")
    check.add_argument("paths", nargs="*", help="文件或目录（默认 standards/）")
    check.add_argument("--format", choices=("text", "json", "sarif"), default="text")
    check.set_defaults(func=cmd_check)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 2


if __name__ == "__main__":
    sys.exit(main())
