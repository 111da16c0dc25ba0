"""Redline (gbstd diff) on two versions of a corpus document: a modified copy made here."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gbstd import diff
from gbstd.source import reader
from gbstd.cli import main

CORPUS = Path(__file__).parent.parent / "standards"
SOURCE = CORPUS / "green-enterprise" / "standard.md"
DEMO = Path(__file__).parent / "fixtures" / "review" / "demo"


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def revised(text: str) -> str:
    """A new clause before 5.1.2 (so 5.1.2 … 5.1.7 move down by one), a changed point value,
    a dropped normative reference, a removed clause and a changed requirement text."""
    headings = [line for line in text.splitlines() if line.startswith("#### 5.1.")]
    for heading in reversed(headings[1:]):          # 5.1.7 → 5.1.8 first, down to 5.1.2 → 5.1.3
        number = heading.split()[1]
        last = int(number.rsplit(".", 1)[1])
        text = replace_once(text, heading, heading.replace(number, f"5.1.{last + 1}", 1))
    text = replace_once(text, headings[1].replace("5.1.2", "5.1.3", 1),
                        "#### 5.1.2 绿色发展愿景\n\n企业应制定绿色发展愿景。\n\n"
                        + headings[1].replace("5.1.2", "5.1.3", 1))
    text = replace_once(text, "name: 最高管理者承诺, points: 3,", "name: 最高管理者承诺, points: 4,")
    text = replace_once(text, "name: 绿色发展专项预算, points: 2,", "name: 绿色发展专项预算, points: 1,")
    text = replace_once(text, "GB/T 32161 生态设计产品评价通则\n\n", "")
    return text


@pytest.fixture
def versions(tmp_path):
    folder = tmp_path / "green-enterprise"
    folder.mkdir()
    new = folder / "standard.md"
    new.write_text(revised(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    return reader.read(SOURCE), reader.read(new)


def test_changes_are_reported(versions):
    old, new = versions
    comparison = diff.compare(old, new)
    kinds = {(c.kind, (c.old or c.new).number, c.new.number if c.new else "")
             for c in comparison.clause_changes}
    assert ("added", "5.1.2", "5.1.2") in kinds
    titles = {c.old.title: c.new.number for c in comparison.clauses if c.old and c.new}
    assert titles["绿色发展规划和年度计划"] == "5.1.3"
    assert titles["合规性经营"] == "5.1.8"
    assert ("renumbered", "5.1.7", "5.1.8") in kinds
    assert comparison.clause_map()["5.1.2"] == "5.1.3" and comparison.clause_map()["5.1.1"] == "5.1.1"
    points = {(c.old.name, c.old.points, c.new.points) for c in comparison.indicators if "points" in c.aspects}
    assert points == {("最高管理者承诺", 3, 4), ("绿色发展专项预算", 2, 1)}
    assert [(r.kind, r.designation) for r in comparison.references] == [("dropped", "GB/T 32161")]


def test_technical_changes_in_foreword_style(versions):
    items = diff.technical_changes(diff.compare(*versions))
    assert "——增加了“绿色发展愿景”（见5.1.2）；" in items
    assert any(i.startswith("——更改了评价指标“最高管理者承诺”的分值，由3分改为4分") for i in items)
    assert any("删除了规范性引用文件 GB/T 32161" in i for i in items)
    assert items[-1].endswith("。") and all(i.endswith("；") for i in items[:-1])
    assert not any("合规性经营" in i for i in items)      # renumbering alone is structural


def test_removed_and_changed_clause(tmp_path):
    text = SOURCE.read_text(encoding="utf-8")
    start = text.index("#### 5.5.7")
    end = text.index("## 6 ")
    text = text[:start] + text[end:]
    changed = replace_once(text, "#### 5.5.6 交流与合作\n", "#### 5.5.6 交流与合作\n\n企业宜每年参加行业交流。\n")
    folder = tmp_path / "green-enterprise"
    folder.mkdir()
    (folder / "standard.md").write_text(changed, encoding="utf-8")
    comparison = diff.compare(reader.read(SOURCE), reader.read(folder / "standard.md"))
    by_kind = {(c.kind, (c.new or c.old).number) for c in comparison.clause_changes}
    assert ("removed", "5.5.7") in by_kind and ("changed", "5.5.6") in by_kind
    [changed_clause] = [c for c in comparison.clause_changes if c.kind == "changed"]
    segments = diff.inline_diff(changed_clause.old_text, changed_clause.new_text)
    assert any(op == "ins" and "企业宜每年参加行业交流" in text for op, text in segments)
    assert not any(op == "del" for op, _ in segments)


def test_identical_versions_have_no_changes():
    doc = reader.read(SOURCE)
    comparison = diff.compare(doc, reader.read(SOURCE))
    assert comparison.clause_changes == [] and comparison.indicators == [] and comparison.references == []
    assert diff.technical_changes(comparison) == []


def test_html_marks_insertions_and_escapes(versions, tmp_path):
    old, new = versions
    _, paragraph = next(new.paragraphs())
    paragraph.text += "<script>alert(1)</script>"
    page = diff.html_report(diff.compare(old, new))
    assert "<ins>5.1.2　绿色发展愿景</ins>" in page
    assert "<del>GB/T 32161 生态设计产品评价通则" in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_cli_two_files_and_html(versions, tmp_path, capsys):
    _, new = versions
    assert main(["diff", str(SOURCE), new.path, "--html", str(tmp_path / "d.html")]) == 0
    out = capsys.readouterr().out
    assert "+ 5.1.2　绿色发展愿景" in out and "- GB/T 32161" in out and "分值 3 → 4" in out
    assert (tmp_path / "d.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_git_revisions(tmp_path, capsys):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "green-enterprise"
    folder.mkdir()
    target = folder / "standard.md"
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(git[:3] + ["init", "-q"], check=True)
    target.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "v1"], check=True)
    target.write_text(revised(SOURCE.read_text(encoding="utf-8")), encoding="utf-8")
    subprocess.run(git + ["commit", "-q", "-am", "v2"], check=True)
    assert main(["diff", str(target), "--rev", "HEAD~1", "--rev", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "@HEAD~1" in out and "+ 5.1.2　绿色发展愿景" in out
    assert "与原文本（HEAD~1）相比" in out          # same stage (none): the revision tells them apart
    assert main(["diff", str(target), "--rev", "no-such-rev"]) == 2
    assert "DIFF-001" in capsys.readouterr().err


def _drafts(tmp_path, old_stage: str, new_stage: str) -> tuple[Path, Path]:
    """The SYNTHETIC demo's draft and current text as drafts/v0.3.md and drafts/v0.4.md."""
    folder = tmp_path / "drafts"
    folder.mkdir()
    old, new = folder / "v0.3.md", folder / "v0.4.md"
    old.write_text((DEMO / "drafts" / "征求意见稿.md").read_text(encoding="utf-8")
                   .replace("stage: 征求意见稿", f"stage: {old_stage}"), encoding="utf-8")
    new.write_text((DEMO / "standard.md").read_text(encoding="utf-8")
                   .replace("stage: 送审稿", f"stage: {new_stage}"), encoding="utf-8")
    return old, new


def test_two_drafts_of_one_stage_are_named_apart(tmp_path, capsys):
    old, new = _drafts(tmp_path, "征求意见稿", "征求意见稿")
    assert diff.compare(reader.read(old), reader.read(new)).old_edition == "征求意见稿（v0.3）"
    assert main(["diff", str(old), str(new), "--html", str(tmp_path / "d.html")]) == 0
    out = capsys.readouterr().out
    assert "与征求意见稿（v0.3）相比，除结构调整和编辑性改动外" in out and "与征求意见稿相比" not in out
    assert "与征求意见稿（v0.3）相比" in (tmp_path / "d.html").read_text(encoding="utf-8")


def test_versions_of_different_stages_are_named_by_stage(tmp_path):
    # both designations carry the year of the edition being drafted (—2025): drafts, not 2025年版
    old, new = _drafts(tmp_path, "征求意见稿", "送审稿")
    assert diff.compare(reader.read(old), reader.read(new)).old_edition == "征求意见稿"


def test_an_earlier_edition_is_named_by_its_year(tmp_path):
    folder = tmp_path / "gbt-36132"
    folder.mkdir()
    text = (CORPUS / "gbt-36132" / "standard.md").read_text(encoding="utf-8")
    (folder / "standard.md").write_text(replace_once(replace_once(text, "GB/T 36132—2018", "GB/T 36132—XXXX"),
                                                     "stage: 发布稿", "stage: 征求意见稿"), encoding="utf-8")
    comparison = diff.compare(reader.read(CORPUS / "gbt-36132" / "standard.md"), reader.read(folder / "standard.md"))
    assert comparison.old_edition == "2018年版"


def test_cli_missing_file_message_is_chinese(tmp_path, capsys):
    assert main(["diff", str(tmp_path / "a.md"), str(SOURCE)]) == 2
    assert f"gbstd diff: 找不到文件：{tmp_path / 'a.md'}" in capsys.readouterr().err
