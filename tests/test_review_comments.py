"""Comment rounds: the YAML record, its located errors and its writer.

The rounds here are SYNTHETIC test data.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from gbstd.findings import SourceError
from gbstd.review.comments import dump_round, load_round, round_data

FIXTURE = Path(__file__).parent / "fixtures" / "review" / "demo" / "comments" / "zq-01.yaml"


def write(tmp_path, text: str) -> Path:
    path = tmp_path / "round.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_round_reads():
    round_ = load_round(FIXTURE)
    assert round_.id == "ZQ-2025-01" and len(round_.comments) == 3
    assert round_.units.sent == 5 and round_.units.not_replied == 1
    first = round_.comments[0]
    assert (first.clause, first.clause_now, first.type, first.disposition) == ("4.2", "4.3", "te", "部分采纳")
    assert first.text.count("\n") == 1
    assert round_.tally_sentence() == "共收到3条意见，采纳2条，部分采纳1条"


def test_written_yaml_reads_back_the_same(tmp_path):
    round_ = load_round(FIXTURE)
    round_.comments[1].text = "多行\n  缩进的行\n以“引号”、{花括号}、# 井号和 : 冒号结尾："
    round_.comments[2].remarks = "no"          # would be a boolean in YAML 1.1
    round_.comments[2].clause = "5.10"         # would be the number 5.1 without quotes
    again = load_round(write(tmp_path, dump_round(round_, "第一行\n第二行")))
    assert round_data(again) == round_data(round_)
    assert (tmp_path / "round.yaml").read_text(encoding="utf-8").startswith("# 第一行\n# 第二行\n")


@pytest.mark.parametrize("text, line, words", [
    ("comments: []\n", 1, "round"),
    ("round: {stage: 征求意见稿}\n", 1, "id"),
    ("round: {id: R}\ncomments:\n  - {id: C-1, clause: 5.10}\n", 3, "数值"),
    ("round: {id: R}\ncomments:\n  - {id: C-1, text: a}\n  - {id: C-1, text: b}\n", 4, "重复"),
    ("round: {id: R}\ncomments:\n  - {id: C-1, disposition: 同意}\n", 3, "处理结论"),
    ("round: {id: R}\ncomments:\n  - {id: C-1, type: xx}\n", 3, "意见类型"),
    ("round: {id: R}\ncomments:\n  - text: 没有编号\n", 3, "id"),
    ("round: {id: R}\ncomments:\n  - {id: C-1, colour: red}\n", 3, "未知的键"),
    ("round:\n  id: R\n  units: {sent: -1}\n", 3, "非负整数"),
    ("round: {id: R, stage: 草稿}\n", 1, "阶段"),
    ("round: [\n", 2, "YAML"),
])
def test_bad_rounds_are_located(tmp_path, text, line, words):
    with pytest.raises(SourceError) as error:
        load_round(write(tmp_path, text))
    assert error.value.line == line, error.value
    assert words in error.value.message


def test_yaml_is_loaded_safely(tmp_path):
    text = "round: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(SourceError):
        load_round(write(tmp_path, text))


def test_aliases_are_normalised(tmp_path):
    path = write(tmp_path, "round: {id: R}\ncomments:\n  - {id: C-1, type: 技术, disposition: 不采纳, text: x}\n")
    comment = load_round(path).comments[0]
    assert (comment.type, comment.disposition) == ("te", "未采纳")
