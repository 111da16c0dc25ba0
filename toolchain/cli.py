"""The ``gbstd`` command line.

Exit codes: 0 clean, 1 findings at error level (or a failed build),
2 could not run (bad arguments, unreadable input, missing tools).
Subcommands live in ``gbstd.commands``, one module each.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from pathlib import Path

from . import __version__, commands, project

PROJECT_HELP = "标准项目的目录（默认：从当前目录向上查找 gbstd.toml）"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gbstd", description="编写、检查和发布 GB/T 1.1 评价类标准")
    top.add_argument("--version", action="version", version=f"gbstd {__version__}")
    top.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    sub = top.add_subparsers(dest="command", required=True)
    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        importlib.import_module(f"{commands.__name__}.{module}").register(sub)
    for command in sub.choices.values():   # also after the subcommand: gbstd build --project DIR
        command.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=PROJECT_HELP)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project.override = Path(args.project) if args.project else None
    try:
        return args.func(args)
    except project.ProjectError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 2


if __name__ == "__main__":
    sys.exit(main())
