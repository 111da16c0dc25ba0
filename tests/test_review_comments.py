"""Comment rounds: the YAML record, its located errors and its writer.

The rounds here are SYNTHETIC test data.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from gbstd.findings import SourceError
from gbstd.review import comments as comments_module
from gbstd.review.comments import COMMENT_FIELDS, Comment, dump_round, load_round, round_data

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


# Text that makes PyYAML quote, escape, fold or change style, and text it writes as it is.
AWKWARD = st.one_of(st.text(max_size=30), st.sampled_from(
    ["4.2", "5.10", "0017", "no", "Yes", "~", "null", "1e3", "12:30", "2025-03-31", "<<", "=", "...x",
     "---", "- a", "? a", ": a", "a: b", "a #b", "a:", "#a", "'a'", '"a"', "a'b", "|", "> x", "多行\n内容",
     " 前导空格", "尾随空格 ", "a\u2028b", "x\x85", "\ufeffx", "\t制表", "长" * 950, "长 " * 480, "😀",
     "\U0010ffff", "\U000F2028", "C-000001", "te", "部分采纳", "http://x.y/z?a=b&c", "[1]", "{a}", "@x",
     "a b", "4.2 的“利用效率”", "a  b", "a b ", " a", "1 2", "a\u3000b", "\xa0a"]))


@settings(max_examples=int(os.environ.get("GBSTD_FUZZ_EXAMPLES", "25")) * 4, derandomize=True,
          deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.fixed_dictionaries({}, optional={name: AWKWARD for name in COMMENT_FIELDS[1:]}),
                min_size=1, max_size=6))
def test_fast_writer_writes_pyyaml_text_byte_for_byte(comments):
    """dump_round writes most comments itself; the text must be PyYAML's, byte for byte."""
    round_ = load_round(FIXTURE)
    round_.comments = [Comment(id=f"C-{n}", **values) for n, values in enumerate(comments)]
    assert dump_round(round_, "导入") == "# 导入\n" + comments_module._dump(round_data(round_))
    round_.title = "多行\n"          # a head ending in a literal that keeps its line break
    assert dump_round(round_) == comments_module._dump(round_data(round_))


def test_fast_writer_is_used_and_exact(monkeypatch):
    round_ = load_round(FIXTURE)
    round_.comments.append(Comment(id="C-9", clause="5.10", type="te", text="第9条意见 较长的说明",
                                   org="示例单位", disposition="未采纳", response="理由见纪要。"))
    expected = comments_module._dump(round_data(round_))
    calls = []
    real = comments_module._dump
    monkeypatch.setattr(comments_module, "_dump", lambda data: calls.append(data) or real(data))
    assert dump_round(round_) == expected
    dumped = [c["id"] for call in calls if isinstance(call, list) for c in call]
    assert "C-9" not in dumped and len(dumped) < len(round_.comments)     # written directly
