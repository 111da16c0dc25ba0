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

from . import __version__, commands


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="gbstd", description="编写、检查和发布 GB/T 1.1 评价类标准")
    top.add_argument("--version", action="version", version=f"gbstd {__version__}")
    sub = top.add_subparsers(dest="command", required=True)
    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        importlib.import_module(f"{commands.__name__}.{module}").register(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 2


if __name__ == "__main__":
    sys.exit(main())
