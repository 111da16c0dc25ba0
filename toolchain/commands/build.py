"""gbstd build: the main job — HTML site (the checker runs inside Sphinx), then the other outputs.

Each step writes into a staging folder and replaces its output only on success,
so a failed build never leaves half-written files in build/.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from ..paths import project_root


def build_html(root: Path, out: Path, args: argparse.Namespace) -> bool:
    staging = out / ".html.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-W", "--keep-going",
               "-c", str(root), "-d", str(out / ".doctrees"), str(root / "standards"), str(staging)]
    print(f"gbstd: building HTML from {root / 'standards'}")
    if subprocess.run(command).returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("gbstd: HTML build failed; build/html left as it was", file=sys.stderr)
        return False
    shutil.rmtree(out / "html", ignore_errors=True)
    staging.rename(out / "html")
    print(f"gbstd: HTML written to {out / 'html'}")
    return True


# (name, function) in order; a step returns False on failure.
STEPS = [("html", build_html)]


def run(args: argparse.Namespace) -> int:
    root = project_root()
    out = Path(args.out) if args.out else root / "build"
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(args.only or [name for name, _ in STEPS])
    failed = [name for name, step in STEPS if name in wanted and not step(root, out, args)]
    if failed:
        print(f"gbstd: build failed in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help="检查并构建语料：HTML、PDF、评分模式到 build/")
    parser.add_argument("--out", help="输出目录（默认 build/）")
    parser.add_argument("--only", action="append", choices=[name for name, _ in STEPS],
                        help="只构建某一项（可重复）")
    parser.set_defaults(func=run)
