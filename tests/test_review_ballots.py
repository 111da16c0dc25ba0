"""Letter ballots: the 第二十一条 tally at its boundaries, configurable rules, located errors.

All ballots here are SYNTHETIC test data.
"""
from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from gbstd.cli import main
from gbstd.findings import SourceError
from gbstd.review.ballots import (ABSTAIN, AGAINST, CONDITIONAL, IN_FAVOUR, INVALID, NOT_RETURNED,
                                      PRESETS, Ballot, BallotRule, Vote, load_ballot, tally)


def ballot(*votes: str, rule: BallotRule = PRESETS["gb-1990"], drafters: int = 0, **marks) -> Ballot:
    listed = [Vote(member=f"单位{n}", line=n, vote=v, reasons="理由" if v in (AGAINST, CONDITIONAL) else "")
              for n, v in enumerate(votes, 1)]
    listed += [Vote(member=f"起草单位{n}", line=100 + n, vote=IN_FAVOUR, drafter=True) for n in range(drafters)]
    return Ballot(path="ballot.yaml", id="HS-T", rule=rule, votes=listed, **marks)


def test_exactly_three_quarters_in_favour_passes():
    result = tally(ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, AGAINST))
    assert result.approval_rate == Fraction(3, 4)
    assert result.outcome == "通过"


def test_just_below_three_quarters_fails():
    # 5 of 7 returned = 0.714… < 3/4
    result = tally(ballot(*[IN_FAVOUR] * 5, AGAINST, ABSTAIN))
    assert result.approval_rate == Fraction(5, 7)
    assert result.outcome == "未通过"


def test_abstentions_count_in_the_returned_ballots():
    # 3 in favour, 1 abstention: 3/4 of the returned ballots
    assert tally(ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, ABSTAIN)).passed
    assert not tally(ballot(IN_FAVOUR, IN_FAVOUR, ABSTAIN, ABSTAIN)).passed


def test_return_rate_exactly_two_thirds_is_enough():
    result = tally(ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, NOT_RETURNED, NOT_RETURNED))
    assert result.return_rate == Fraction(2, 3)
    assert result.outcome == "通过"


def test_return_rate_below_two_thirds_means_review_again():
    # 6 of 10 returned, all in favour: still to be run again
    result = tally(ballot(*[IN_FAVOUR] * 6, *[NOT_RETURNED] * 4))
    assert result.return_rate == Fraction(3, 5)
    assert result.outcome == "重新组织审查"


def test_drafters_do_not_vote_flag_or_drafting_units():
    # without the two drafters' votes: 2 in favour of 4 returned = 1/2
    result = tally(ballot(IN_FAVOUR, IN_FAVOUR, AGAINST, AGAINST, drafters=2))
    assert (result.sent, result.drafters, result.outcome) == (4, 2, "未通过")
    plain = ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, AGAINST)
    assert tally(plain).passed
    assert tally(plain, drafting_units=("单位1",)).approval_rate == Fraction(2, 3)


def test_conditional_vote_counts_in_favour_only_when_adopted():
    votes = ballot(IN_FAVOUR, IN_FAVOUR, CONDITIONAL, IN_FAVOUR)
    assert tally(votes).passed
    votes.votes[0].vote = CONDITIONAL
    assert not tally(votes).passed                      # 2 of 4
    votes.votes[0].adopted = True
    votes.votes[2].adopted = True
    assert tally(votes).in_favour == 4


def test_invalid_ballots_are_not_counted():
    result = tally(ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, AGAINST, INVALID))
    assert (result.invalid, result.returned, result.approval_rate) == (1, 5, Fraction(3, 4))


def test_counts_follow_the_rows_of_annex_6():
    result = tally(ballot(IN_FAVOUR, AGAINST, ABSTAIN, NOT_RETURNED, NOT_RETURNED))
    assert result.counts[NOT_RETURNED] == 2 and result.counts[AGAINST] == 1 and result.counts[IN_FAVOUR] == 1


def test_iso_rule_leaves_out_abstentions_and_unreasoned_negatives():
    iso = PRESETS["iso"]
    votes = ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, AGAINST, ABSTAIN, ABSTAIN, rule=iso)
    assert (tally(votes).approval_rate, tally(votes).negative_rate) == (Fraction(3, 4), Fraction(1, 4))
    assert tally(votes).passed                          # negative exactly 1/4 is allowed
    votes.votes.append(Vote(member="无理由", line=9, vote=AGAINST))
    assert tally(votes).discarded == 1 and tally(votes).passed
    votes.votes.append(Vote(member="有理由", line=10, vote=AGAINST, reasons="技术理由"))
    assert not tally(votes).passed                     # 3 of 5 cast < 2/3


def write(tmp_path, text: str):
    path = tmp_path / "hs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("written", ["2/3", "0.6666666666666666666", "66.66666666666666666%"])
def test_rule_from_yaml_as_exact_fractions(tmp_path, written):
    path = write(tmp_path, f"ballot: {{id: HS-1, rule: {{approve: \"{written}\", min_return: 1/2}}}}\n"
                           "votes:\n  - {member: 甲, vote: 赞成}\n")
    rule = load_ballot(path).rule
    assert rule.min_return == Fraction(1, 2)
    assert abs(rule.approve - Fraction(2, 3)) < Fraction(1, 10**15)


def test_custom_rule_decides(tmp_path):
    path = write(tmp_path, "ballot: {id: HS-1, rule: {approve: 2/3, basis: cast}}\nvotes:\n"
                           "  - {member: 甲, vote: 赞成}\n  - {member: 乙, vote: 赞成}\n"
                           "  - {member: 丙, vote: 不赞成, reasons: 理由}\n  - {member: 丁, vote: 弃权}\n")
    custom = load_ballot(path)
    result = tally(custom)
    assert result.approval_rate == Fraction(2, 3) and result.passed
    assert not tally(replace(custom, rule=PRESETS["gb-1990"])).passed     # 2 of 4 returned


@pytest.mark.parametrize("text, line, words", [
    ("ballot: {id: HS-1}\nvotes:\n  - {member: 甲, vote: 同意了}\n", 3, "表决态度"),
    ("ballot: {id: HS-1, rule: {approve: 1.5}}\n", 1, "比例"),
    ("ballot: {id: HS-1, rule: unknown-body}\n", 1, "未知的表决规则"),
    ("ballot:\n  id: HS-1\n  quorum: 3\n", 3, "未知的键"),
    ("ballot: {id: HS-1}\nvotes:\n  - {vote: 赞成}\n", 3, "member"),
    ("ballot: {id: HS-1}\nvotes:\n  - {member: 甲, vote: 赞成, adopted: true}\n", 3, "adopted"),
])
def test_bad_ballots_are_located(tmp_path, text, line, words):
    with pytest.raises(SourceError) as error:
        load_ballot(write(tmp_path, text))
    assert error.value.line == line and words in error.value.message


def test_vote_aliases_and_ascii_comma(tmp_path):
    path = write(tmp_path, "ballot: {id: HS-1}\nvotes:\n  - {member: 甲, vote: '赞成,有建议或意见'}\n"
                           "  - {member: 乙, vote: 不同意, reasons: 理由}\n  - {member: 丙}\n")
    votes = [v.vote for v in load_ballot(path).votes]
    assert votes == ["赞成，有建议或意见", AGAINST, NOT_RETURNED]


def test_declared_count_is_the_denominator_of_the_return_rate():
    """10 ballots sent, 9 members listed, 6 returned: 6/10 < 2/3 → 重新组织审查, and the
    record is inconsistent (a member is missing from the list)."""
    result = tally(ballot(*[IN_FAVOUR] * 6, *[NOT_RETURNED] * 3, eligible=10))
    assert (result.sent, result.listed, result.returned) == (10, 9, 6)
    assert result.return_rate == Fraction(3, 5) and result.outcome == "重新组织审查"
    assert result.count_problem == "函审单总数记为 10，但 votes 中列出 9 个参加表决的单位"
    assert result.summary().startswith("函审单 10 份（votes 中列出 9 个单位，与函审单总数不符），回函 6 份（回函率 60.0%）")


def test_more_members_listed_than_declared():
    # no more ballots come back than were sent: the 5 listed are the denominator, and it is reported
    result = tally(ballot(*[IN_FAVOUR] * 5, eligible=4, drafters=1))
    assert (result.sent, result.return_rate, result.passed) == (5, 1, True)
    assert result.count_problem == "函审单总数记为 4，但 votes 中列出 5 个参加表决的单位（起草单位 1 个不参加表决，不计）"


def test_declared_count_that_agrees_is_no_problem():
    result = tally(ballot(IN_FAVOUR, IN_FAVOUR, IN_FAVOUR, NOT_RETURNED, eligible=4))
    assert result.count_problem == "" and result.sent == 4 and "不符" not in result.summary()


MISCOUNTED = ("ballot:\n  id: HS-1\n  eligible: 10\nvotes:\n"
              + "".join(f"  - {{member: 单位{n}, vote: 赞成}}\n" for n in range(6))
              + "".join(f"  - {{member: 单位{n}}}\n" for n in range(6, 9)))


def test_cli_tally_reports_an_inconsistent_record(tmp_path, capsys):
    path = write(tmp_path, MISCOUNTED)
    assert main(["ballot", "tally", str(path)]) == 1
    out, err = capsys.readouterr()
    assert "函审单 10 份" in out and "回函率 60.0%" in out and "重新组织审查" in out
    assert f"{path}:3: 错误 BALLOT-COUNT: 函审单总数记为 10，但 votes 中列出 9 个参加表决的单位" in err
    path.write_text(MISCOUNTED.replace("eligible: 10", "eligible: 9"), encoding="utf-8")
    assert main(["ballot", "tally", str(path)]) == 0          # 6 of 9 = 2/3 returned, all in favour
    assert capsys.readouterr().err == ""


def test_cli_render_writes_the_form_and_reports_an_inconsistent_record(tmp_path, capsys):
    path = write(tmp_path, MISCOUNTED.replace("  - {member: 单位8}\n", ""))
    target = tmp_path / "form.html"
    assert main(["ballot", "render", str(path), "-o", str(target)]) == 1
    assert "与函审单总数不符" in target.read_text(encoding="utf-8")
    assert "BALLOT-COUNT" in capsys.readouterr().err
