"""The ``gbstd`` command line.

Exit codes: 0 clean, 1 findings at error level (or a failed build),
2 could not run (bad arguments, unreadable input, missing tools, interrupted),
3 a bug in gbstd (an unexpected exception: one line says so and where to
report it; ``--debug`` prints the traceback).
Subcommands live in ``gbstd.commands``, one module each.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

from pathlib import Path

from . import __version__, cli_zh, commands, project
from .findings import SourceError

EXIT_BUG = 3
REPORT_TO = "gbstd 维护者（项目的问题跟踪，附上命令行、输入文件和 --debug 的输出）"
PROJECT_HELP = "标准项目的目录（默认：从当前目录向上查找 gbstd.toml）"


def _command_names() -> list[str]:
    """The subcommands: one module of gbstd.commands each, named as the command."""
    return sorted(m.name for m in pkgutil.iter_modules(commands.__path__))


def _wanted(argv: list[str]) -> str | None:
    """The subcommand named on the command line, so that only its module is imported (start-up)."""
    rest = iter(argv)
    for arg in rest:
        if arg == "--project":
            next(rest, None)
        elif not arg.startswith("-"):
            return arg if arg in _command_names() else None
    return "" if "--version" in argv else None   # gbstd --version needs no subcommand


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with ``only``, just that subcommand (the others are not imported;
    "" imports none)."""
    top = argparse.ArgumentParser(prog="gbstd", description="编写、检查和发布 GB/T 1.1 评价类标准。"
                                  "各命令的用法：gbstd 命令 --help")
    top.add_argument("--version", action="version", version=f"gbstd {__version__}", help="显示版本号并退出")
    top.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    top.add_argument("--debug", action="store_true", help="出现内部错误时打印 Python 调用栈")
    sub = top.add_subparsers(dest="command", required=True, metavar="命令")
    for module in _command_names() if only is None else [only] if only else []:
        importlib.import_module(f"{commands.__name__}.{module}").register(sub)
    for command in sub.choices.values():   # also after the subcommand: gbstd build --project DIR
        command.add_argument("--project", metavar="DIR", default=argparse.SUPPRESS, help=PROJECT_HELP)
    cli_zh.complete(top)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # a line as soon as it is printed, also into a pipe or a log file (gbstd build | tee build.log)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    debug = "--debug" in argv          # accepted anywhere: gbstd check --debug …
    with cli_zh.chinese():   # argparse's frame and messages in Chinese
        argv = [a for a in argv if a != "--debug"]
        args = parser(_wanted(argv)).parse_args(argv)
    args.debug = debug
    project.override = Path(args.project) if args.project else None
    try:
        return args.func(args)
    except project.ProjectError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\ngbstd: 已中断；已发布的输出保持原样", file=sys.stderr)
        # CPython notes a KeyboardInterrupt that left code run by exec/eval of a string (a
        # dataclass's generated __init__ while Sphinx imports, say) and then ends the process by
        # SIGINT instead of our status; the next such exec clears the note.
        exec("pass")
        return 2
    except SourceError as error:   # bad input that a command did not report itself
        print(error.as_finding().format(), file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the last line of defence: a bug, said as such
        if args.debug:
            traceback.print_exc()
        detail = str(exc).splitlines()[0][:200] if str(exc) else ""
        print(f"gbstd: 内部错误（这是 gbstd 的缺陷，不是您的输入有误）：{type(exc).__name__}"
              f"{'：' + detail if detail else ''}。请报告给{REPORT_TO}"
              f"{'' if args.debug else '；加 --debug 可看到调用栈'}", file=sys.stderr)
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
