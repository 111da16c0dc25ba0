"""The CLI speaks Chinese: argparse's frame, every --help with a description, option help and
exit codes; severities and results in Chinese, rule ids and file:line kept."""
from __future__ import annotations

import argparse
import re

import pytest

from gbstd import cli
from gbstd.cli_zh import chinese
from gbstd.findings import Finding

# the words of argparse's English frame and of English results
ENGLISH = re.compile(r"usage:|positional arguments|optional arguments|\boptions:|show this help|"
                     r"show program's|\berror:|\bwarning\b|\bhint:|\bsuppressed\b|\bgraded\b|required:")


def parsers() -> dict[str, argparse.ArgumentParser]:
    """Every parser: gbstd, gbstd check, gbstd comments export …"""
    with chinese():
        found, todo = {}, [("gbstd", cli.parser())]
    while todo:
        name, parser = todo.pop()
        found[name] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo += [(f"{name} {child}", sub) for child, sub in action.choices.items()]
    return found


PARSERS = parsers()


def help_of(name: str, capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        cli.main([*name.split()[1:], "--help"])
    assert exit_.value.code == 0
    return capsys.readouterr().out


def test_every_subcommand_is_listed():
    assert {"gbstd check", "gbstd build", "gbstd init", "gbstd score", "gbstd comments export",
            "gbstd ballot tally"} <= set(PARSERS)


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_help_is_chinese_with_description_options_and_exit_codes(name, capsys):
    text = help_of(name, capsys)
    assert not ENGLISH.search(text), ENGLISH.search(text)[0]
    assert text.startswith("用法：") and "选项：" in text and "显示帮助信息并退出" in text
    assert "退出码：" in text
    parser = PARSERS[name]
    assert parser.description
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):   # each subcommand: its own help, above
            assert all(choice.help for choice in action._choices_actions)
            continue
        assert action.help, f"{name}: {action.option_strings or action.dest} has no help"


def test_usage_errors_are_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["check", "--format", "xml"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "gbstd check：错误：参数 --format：无效的选择" in err and not ENGLISH.search(err)
    with pytest.raises(SystemExit):
        cli.main([])
    assert "缺少必需的参数" in capsys.readouterr().err


def test_argparse_elsewhere_keeps_its_own_words():
    cli.parser()
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


def test_findings_print_chinese_severities_and_keep_ids_and_lines():
    text = Finding("VERB-001", "error", "a/standard.md", 12, "使用了“必须”", "改为“应”").format()
    assert text == "a/standard.md:12: 错误 VERB-001: 使用了“必须”\n    建议：改为“应”"
    assert Finding("X-1", "warning", "b.md", 3, "m").format() == "b.md:3: 警告 X-1: m"
    assert Finding("X-2", "info", "b.md", 4, "m").format() == "b.md:4: 提示 X-2: m"
