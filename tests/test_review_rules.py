"""Checks on review records and stages: every rule of toolchain/rules/review.py, each made
to fail on a copy of the SYNTHETIC demo standard (tests/fixtures/review/demo)."""
from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from gbstd.check import check_paths
from gbstd.review.ballots import load_ballot, tally

DEMO = Path(__file__).parent / "fixtures" / "review" / "demo"
REVIEW_RULES = ("REVIEW-", "COMMENT-", "BALLOT-", "STAGE-")


@pytest.fixture
def demo(tmp_path) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, text: str) -> int:
    """The line of ``path`` where ``text`` first occurs."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def findings(folder: Path, name: str = "standard.md"):
    found, _ = check_paths([str(folder / name)])
    return [f for f in found if f.rule.startswith(REVIEW_RULES)]


def of(found, rule: str):
    return [f for f in found if f.rule == rule]


def test_demo_is_clean(demo):
    assert findings(demo) == []


def test_clause_missing_from_the_draft_the_round_was_on(demo):
    edit(demo / "comments" / "zq-01.yaml", 'clause: "4.2"', 'clause: "4.9"')
    [finding] = of(findings(demo), "COMMENT-CLAUSE")
    assert finding.severity == "error" and "4.9" in finding.message
    assert finding.path.endswith("zq-01.yaml")
    assert finding.line == line_of(demo / "comments" / "zq-01.yaml", 'clause: "4.9"')


def test_renumbered_clause_without_clause_now(demo):
    edit(demo / "comments" / "zq-01.yaml", '    clause_now: "4.3"\n', "")
    [finding] = of(findings(demo), "COMMENT-CLAUSE")
    assert finding.severity == "warning" and "4.3" in finding.message and "4.2" in finding.message


def test_clause_now_must_exist_now(demo):
    edit(demo / "comments" / "zq-01.yaml", 'clause_now: "4.3"', 'clause_now: "4.7"')
    [finding] = of(findings(demo), "COMMENT-CLAUSE")
    assert "clause_now" in finding.message and "4.7" in finding.message


def test_without_a_draft_the_current_text_is_used(demo):
    edit(demo / "comments" / "zq-01.yaml", "  draft_file: ../drafts/征求意见稿.md\n", "")
    edit(demo / "comments" / "zq-01.yaml", "clause: 表A.1", "clause: 表A.9")
    assert [f.message for f in of(findings(demo), "COMMENT-CLAUSE")] == \
        ["意见 C-002 所指的 “表A.9” 在现行文本中不存在"]


def test_unrecognisable_clause_reference_is_a_warning(demo):
    edit(demo / "comments" / "zq-01.yaml", "clause: 全文", "clause: 关于碳排放的部分")
    [finding] = of(findings(demo), "COMMENT-CLAUSE")
    assert finding.severity == "warning" and "无法识别" in finding.message


def test_open_comment_blocks_the_review_draft(demo):
    edit(demo / "comments" / "zq-01.yaml", "    disposition: 采纳\n    response: 已增加", "    response: 已增加")
    found = findings(demo)
    [per_comment] = of(found, "COMMENT-DISPOSITION")
    assert per_comment.severity == "error" and "C-003" in per_comment.message
    [stage] = of(found, "STAGE-COMMENTS")
    assert stage.path.endswith("standard.md") and "zq-01.yaml 1 条" in stage.message
    assert stage.line == line_of(demo / "standard.md", "stage:")


def test_open_comment_is_only_information_while_consulting(demo):
    edit(demo / "comments" / "zq-01.yaml", "    disposition: 采纳\n    response: 已增加", "    response: 已增加")
    edit(demo / "standard.md", "stage: 送审稿", "stage: 征求意见稿")
    found = findings(demo)
    assert [f.severity for f in of(found, "COMMENT-DISPOSITION")] == ["info"]
    assert of(found, "STAGE-COMMENTS") == []


@pytest.mark.parametrize("disposition", ["未采纳", "部分采纳"])
def test_rejection_needs_a_reason(demo, disposition):
    edit(demo / "comments" / "zq-01.yaml", "    disposition: 部分采纳\n    response: 量化要求列入附录A，正文不再重复。\n",
         f"    disposition: {disposition}\n")
    [finding] = of(findings(demo), "COMMENT-REASON")
    assert "C-001" in finding.message and disposition in finding.message


@pytest.mark.parametrize("units, words", [
    ("{sent: 5, replied: 4, replied_with_comments: 3, not_replied: 2}", "5 − 4 = 1"),
    ("{sent: 3, replied: 4, replied_with_comments: 3}", "多于发送"),
    ("{sent: 5, replied: 2, replied_with_comments: 3, not_replied: 3}", "多于回函"),
    ("{sent: 5, replied: 4, replied_with_comments: 2, not_replied: 1}", "3 个单位"),
])
def test_unit_counts_agree(demo, units, words):
    edit(demo / "comments" / "zq-01.yaml",
         "{sent: 5, replied: 4, replied_with_comments: 3, not_replied: 1}", units)
    found = of(findings(demo), "COMMENT-UNITS")
    assert any(words in f.message for f in found), [f.message for f in found]


NOTES = """---
kind: notes
title: 示例企业绿色评价规范编制说明
explains: demo
---

# 示例企业绿色评价规范编制说明

## 一、工作简况

{sentence}
"""


@pytest.mark.parametrize("sentence, wrong", [
    ("2025年1-3月征求意见，共收到3条反馈意见，采纳2条，部分采纳1条。", False),
    ("2025年1-3月征求意见，共收到3条反馈意见，采纳1条，部分采纳1条，未采纳1条。", True),
    ("2025年1-3月征求意见，共收到4条反馈意见，采纳2条，部分采纳1条。", True),
])
def test_tally_stated_in_the_note_agrees_with_the_records(demo, sentence, wrong):
    (demo / "notes.md").write_text(NOTES.format(sentence=sentence), encoding="utf-8")
    found = of(findings(demo, "notes.md"), "COMMENT-TALLY")
    assert bool(found) == wrong
    if wrong:
        assert found[0].line == 11 and "共收到3条意见，采纳2条，部分采纳1条" in found[0].message


def test_tally_of_the_seed_sentence_is_read():
    from gbstd.rules.review import stated_tallies
    from gbstd.model import Document, Metadata, Clause, Paragraph
    seed = "共收到10条反馈意见，采纳4条，部分采纳1条，未采纳5条。随后收到15条反馈意见，采纳4条，解释说明8条，未采纳3条。"
    doc = Document(path="n.md", slug="n", meta=Metadata(kind="notes"),
                   clauses=[Clause(kind="section", title="", line=1, heading_level=2,
                                   blocks=[Paragraph(text=seed, line=7)])])
    assert stated_tallies(doc) == [(7, 10, {"采纳": 4, "部分采纳": 1, "未采纳": 5}),
                                   (7, 15, {"采纳": 4, "解释说明": 8, "未采纳": 3})]


def test_no_records_no_tally_check(demo):
    shutil.rmtree(demo / "comments")
    (demo / "notes.md").write_text(NOTES.format(sentence="共收到9条反馈意见，采纳9条。"), encoding="utf-8")
    assert findings(demo, "notes.md") == []


def test_vote_against_without_reasons(demo):
    edit(demo / "ballots" / "hs-01.yaml", "{member: 丁公司, vote: 弃权}", "{member: 丁公司, vote: 不赞成}")
    [finding] = of(findings(demo), "BALLOT-NOREASON")
    assert finding.line == line_of(demo / "ballots" / "hs-01.yaml", "丁公司") and "丁公司" in finding.message


def test_declared_ballot_count_agrees(demo):
    edit(demo / "ballots" / "hs-01.yaml", "eligible: 4", "eligible: 5")
    [finding] = of(findings(demo), "BALLOT-COUNT")
    assert finding.line == line_of(demo / "ballots" / "hs-01.yaml", "eligible: 5")
    # the checker says what the tally says: one computation
    counted = tally(load_ballot(demo / "ballots" / "hs-01.yaml"), ("示例起草单位",))
    assert finding.message == counted.count_problem == "函审单总数记为 5，但 votes 中列出 4 个参加表决的单位（起草单位 1 个不参加表决，不计）"
    assert counted.return_rate == Fraction(4, 5)          # the declared 5 ballots are the denominator


@pytest.mark.parametrize("conclusion, abstains, contradicts", [
    ("经函审，同意报批。", False, False),           # exactly 3/4 in favour passes
    ("经函审，同意报批。", True, True),             # 2/4 in favour
    ("函审未通过，重新组织函审。", False, True),
    ("函审未通过，重新组织函审。", True, False),
    ("共发出函审单 4 份。", True, False),           # states no outcome
])
def test_ballot_conclusion_agrees_with_the_tally(demo, conclusion, abstains, contradicts):
    ballot = demo / "ballots" / "hs-01.yaml"
    edit(ballot, "  eligible: 4\n", f"  eligible: 4\n  conclusion: {conclusion}\n")
    if abstains:
        edit(ballot, "{member: 丙大学, vote: 赞成}", "{member: 丙大学, vote: 弃权}")
    found = of(findings(demo), "BALLOT-CONCLUSION")
    assert bool(found) == contradicts
    if contradicts:
        outcome = tally(load_ballot(ballot), ("示例起草单位",))
        assert found[0].path.endswith("hs-01.yaml") and found[0].line == line_of(ballot, "conclusion:")
        assert found[0].message == f"函审结论写“{conclusion}”，但计票结果为{outcome.outcome}：{outcome.summary()}"


def test_failed_ballot_blocks_the_approval_draft(demo):
    edit(demo / "standard.md", "stage: 送审稿", "stage: 报批稿")
    assert of(findings(demo), "STAGE-BALLOT") == []          # exactly 3/4 in favour passes
    edit(demo / "ballots" / "hs-01.yaml", "{member: 丙大学, vote: 赞成}", "{member: 丙大学, vote: 弃权}")
    [finding] = of(findings(demo), "STAGE-BALLOT")
    assert finding.line == line_of(demo / "standard.md", "stage:") and "未通过" in finding.message


def test_missing_ballot_blocks_the_approval_draft(demo):
    edit(demo / "standard.md", "stage: 送审稿", "stage: 报批稿")
    (demo / "ballots" / "hs-01.yaml").unlink()
    [finding] = of(findings(demo), "STAGE-BALLOT")
    assert "没有函审记录" in finding.message


def test_no_ballots_folder_means_no_ballot_requirement(demo):
    edit(demo / "standard.md", "stage: 送审稿", "stage: 报批稿")
    shutil.rmtree(demo / "ballots")
    assert findings(demo) == []


def test_unreadable_record_is_reported_once(demo):
    (demo / "ballots" / "bad.yaml").write_text("ballot: {id: X, colour: red}\n", encoding="utf-8")
    (demo / "notes.md").write_text(NOTES.format(sentence="共收到3条反馈意见，采纳2条，部分采纳1条。"),
                                   encoding="utf-8")
    found, _ = check_paths([str(demo)])
    [finding] = [f for f in found if f.rule == "REVIEW-FILE"]
    assert finding.path.endswith("bad.yaml") and finding.line == 1 and "colour" in finding.message


def test_round_on_a_git_revision(demo):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    git = ["git", "-C", str(demo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    current = (demo / "standard.md").read_text(encoding="utf-8")
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    (demo / "standard.md").write_text((demo / "drafts" / "征求意见稿.md").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    subprocess.run(git + ["add", "standard.md"], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "征求意见稿"], check=True)
    (demo / "standard.md").write_text(current, encoding="utf-8")
    round_file = demo / "comments" / "zq-01.yaml"
    edit(round_file, "draft_file: ../drafts/征求意见稿.md", "draft_rev: HEAD")
    assert findings(demo) == []
    edit(round_file, '    clause_now: "4.3"\n', "")
    [moved] = of(findings(demo), "COMMENT-CLAUSE")
    assert "已重编为 4.3" in moved.message
    edit(round_file, "draft_rev: HEAD", "draft_rev: no-such-revision")
    [unreadable] = of(findings(demo), "COMMENT-CLAUSE")
    assert unreadable.line == line_of(round_file, "draft_rev") and "no-such-revision" in unreadable.message
