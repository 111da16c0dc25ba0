"""argparse in Chinese: its frame (用法：, 位置参数, 选项 …) and its error messages.

argparse looks its strings up through ``argparse._`` (and ``argparse.ngettext``) when a
parser is built, when help is formatted and when an error is reported; ``chinese()``
swaps them for the span of gbstd's own parsing, so argparse elsewhere in the same process
(pytest, Sphinx) is left alone.
"""
from __future__ import annotations

import argparse
import re
from contextlib import contextmanager
from typing import Iterator

FRAME = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",
    "show this help message and exit": "显示帮助信息并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项有歧义：%(option)s 可以是 %(matches)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "ignored explicit argument %r": "忽略了多余的值 %r",
    "one of the arguments %s is required": "参数 %s 中必须给出一个",
    "unexpected option string: %s": "意外的选项：%s",
    "can't open '%(filename)s': %(error)s": "无法打开 “%(filename)s”：%(error)s",
}
PLURAL = {"expected %s argument": "需要 %s 个值", "expected %s arguments": "需要 %s 个值"}

EXIT_CODES = "退出码：0 成功；1 有错误级的检查结果或构建失败；2 无法运行（参数有误、输入无法读取、不在标准项目中）；3 gbstd 内部错误。"


def translate(message: str) -> str:
    return FRAME.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    return PLURAL.get(singular if n == 1 else plural, singular if n == 1 else plural)


@contextmanager
def chinese() -> Iterator[None]:
    saved = argparse._, argparse.ngettext
    argparse._, argparse.ngettext = translate, translate_plural
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved


class ChineseHelpFormatter(argparse.HelpFormatter):
    """Section headings end with a full-width colon (argparse writes "选项:")."""

    def format_help(self) -> str:
        return re.sub(r"(?m)^(\S[^\n]*?):$", r"\1：", super().format_help())


def complete(parser: argparse.ArgumentParser, summary: str = "") -> None:
    """Every parser below ``parser`` gets a description (its one-line help) and the exit codes."""
    if parser.description is None and summary:
        parser.description = summary
    if parser.epilog is None:
        parser.epilog = EXIT_CODES
    if parser.formatter_class is argparse.HelpFormatter:
        parser.formatter_class = ChineseHelpFormatter
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, child in action.choices.items():
                complete(child, helps.get(name) or "")
