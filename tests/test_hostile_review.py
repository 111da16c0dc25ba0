"""Hostile review inputs and file names (issue #10, items 5, 8, 9, 15, 16, 21): findings, never tracebacks.

Each test feeds one input of the issue to the command a user runs and checks the exit code,
the located message, and that nothing was written where the run failed.
"""
from __future__ import annotations

import csv
import shutil
import subprocess
import time
from pathlib import Path

import zipfile

import openpyxl
import pytest

from gbstd import cli
from gbstd.check import check_paths
from gbstd.review import tables
from gbstd.review.comments import load_round

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "fixtures" / "review" / "demo"


@pytest.fixture()
def demo(tmp_path) -> Path:
    shutil.copytree(DEMO, tmp_path / "demo")
    return tmp_path / "demo"


def _run(capsys, *args) -> tuple[int, str]:
    code = cli.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---------------------------------------------------------------- item 8: export

@pytest.mark.parametrize("value", ['"示例\\x01标题"', '"示例\\uFFFE标题"', "x" * 40_000])
def test_a_header_field_xlsx_cannot_hold_is_located(demo, capsys, value):
    record = demo / "comments" / "zq-01.yaml"
    _edit(record, "  title: 示例企业绿色评价规范", f"  title: {value}")
    code, out = _run(capsys, "comments", "export", record, demo / "out.xlsx")
    assert code == 2 and "zq-01.yaml:10: 错误 REVIEW-004" in out and "Traceback" not in out
    assert ("超过 32767 个字符" if len(value) > 100 else "无法保存的字符") in out
    assert not (demo / "out.xlsx").exists()


# ---------------------------------------------------------------- item 8 and 5: import

def test_a_csv_cell_past_the_csv_module_limit_is_located(tmp_path, capsys):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["序号", "章条编号", "意见内容", "提出单位", "处理意见"])
        writer.writerow(["1", "4.1", "短意见", "甲", ""])
        writer.writerow(["2", "4.2", "长" * 140_000, "乙", ""])
    code, out = _run(capsys, "comments", "import", path, tmp_path / "r.yaml")
    assert code == 2 and "big.csv:3: 错误 REVIEW-005" in out and "Traceback" not in out
    assert not (tmp_path / "r.yaml").exists()


@pytest.fixture()
def exported(demo, capsys) -> Path:
    target = demo / "r.xlsx"
    assert cli.main(["comments", "export", str(demo / "comments" / "zq-01.yaml"), str(target)]) == 0
    capsys.readouterr()
    return target


def test_a_corrupt_xlsx_is_a_finding(exported, capsys):
    data = bytearray(exported.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 400] = b"\x00" * 400
    exported.write_bytes(bytes(data))
    code, out = _run(capsys, "comments", "import", exported, exported.with_suffix(".yaml"))
    assert code == 2 and "REVIEW-005" in out and "Traceback" not in out


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    import zipfile
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (tables.MAX_XLSX_UNPACKED + 1))
    assert path.stat().st_size < 1024 * 1024
    code, out = _run(capsys, "comments", "import", path, tmp_path / "r.yaml")
    assert code == 2 and "bomb.xlsx:1: 错误 REVIEW-005" in out and "MB" in out


# ---------------------------------------------------------------- item 21

def test_iso_import_keeps_a_comment_whose_organisation_looks_like_a_count(demo, capsys):
    record = demo / "comments" / "zq-01.yaml"
    _edit(record, "    org: 甲研究院", "    org: ①某单位：3个")
    target = demo / "iso.xlsx"
    assert cli.main(["comments", "export", str(record), str(target), "--layout", "iso"]) == 0
    back = demo / "back.yaml"
    assert cli.main(["comments", "import", str(target), str(back)]) == 0
    capsys.readouterr()
    before, after = load_round(record), load_round(back)
    assert [c.org for c in after.comments] == [c.org for c in before.comments]
    counts = lambda units: (units.sent, units.replied, units.replied_with_comments, units.not_replied)
    assert counts(after.units) == counts(before.units)


# ---------------------------------------------------------------- item 9

def test_a_300_character_parent_is_a_finding(tmp_path):
    doc = (ROOT / "tests" / "fixtures" / "rules" / "DERIV-PARENT.md").read_text(encoding="utf-8")
    path = tmp_path / "x" / "standard.md"
    path.parent.mkdir()
    path.write_text(doc.replace("parent: no-such-guide", "parent: " + "b" * 300), encoding="utf-8")
    findings, _ = check_paths([str(path)])
    assert [(f.rule, f.line) for f in findings if f.rule == "META-006"] == [("META-006", 10)]
    assert cli.main(["schema", str(path), "-o", str(tmp_path / "s.json")]) in (0, 1, 2)


# ---------------------------------------------------------------- item 15

def test_a_revision_starting_with_dashes_never_reaches_git_as_an_option(tmp_path, capsys):
    repo = tmp_path / "repo"
    folder = repo / "standards" / "x"
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "standards" / "gbt-36132" / "standard.md", folder / "standard.md")
    for command in (["init", "-q"], ["add", "."],
                    ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=repo, check=True, capture_output=True)
    written = tmp_path / "pwned"
    code, out = _run(capsys, "diff", folder / "standard.md", f"--rev=--output={written}")
    assert code == 2 and "DIFF-001" in out and "Traceback" not in out
    assert not written.exists()


# ---------------------------------------------------------------- item 16

TITLES = ["示例: 评价规范", "示例 #1 评价规范", "[草案] 评价规范", "{示例} 评价规范", "示例, 评价规范",
          "'示例' 评价规范", '"示例" 评价规范', "示例 & 评价 *规范", "!示例 评价规范", "%示例 评价规范",
          "@示例 评价规范", "`示例` 评价规范", "- 示例评价规范", "? 示例评价规范", "示例｜评价：规范 | 附录"]


@pytest.fixture()
def project(tmp_path, monkeypatch) -> Path:
    (tmp_path / "standards").mkdir()
    (tmp_path / "gbstd.toml").write_text("[project]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("title", TITLES)
def test_new_writes_any_title_as_valid_front_matter(project, capsys, title):
    assert cli.main(["new", "standard", "demo", "--title", title, "--issuer", "某协会, 第二分会"]) == 0
    capsys.readouterr()
    path = project / "standards" / "demo" / "standard.md"
    findings, docs = check_paths([str(path)])
    assert not [f.format() for f in findings if f.rule.startswith(("YAML", "META"))]
    assert docs[0].meta.title == title and docs[0].meta.issuer == ["某协会, 第二分会"]


def test_new_refuses_long_slugs_control_characters_and_no_project(project, tmp_path_factory, monkeypatch,
                                                                   capsys):
    assert cli.main(["new", "standard", "a" * 300, "--title", "x"]) == 2
    assert cli.main(["new", "standard", "demo", "--title", "a\nb"]) == 2
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    assert cli.main(["new", "standard", "demo", "--title", "x"]) == 2
    capsys.readouterr()
    assert not (ROOT / "standards" / "demo").exists()


# ---------------------------------------------------------------- items 19 and 22: outputs

def test_an_interrupted_swap_is_undone_on_the_next_run(tmp_path):
    from gbstd.files import recover_outputs, replace_folder
    out = tmp_path / "build"
    (out / "html").mkdir(parents=True)
    (out / "html" / "index.html").write_text("old", encoding="utf-8")
    staging = out / ".html.tmp"
    staging.mkdir()
    (staging / "index.html").write_text("new", encoding="utf-8")
    replace_folder(staging, out / "html")
    assert (out / "html" / "index.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in out.iterdir()) == ["html"]
    # killed between “old aside” and “new in”: the old output is aside, a staging folder is left
    (out / "html").rename(out / ".html.old")
    (out / ".schemas.tmp").mkdir()
    recover_outputs(out)
    assert sorted(p.name for p in out.iterdir()) == ["html"]
    assert (out / "html" / "index.html").read_text(encoding="utf-8") == "new"


def test_two_exports_of_the_same_round_are_byte_identical(demo, capsys, monkeypatch):
    record = demo / "comments" / "zq-01.yaml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert cli.main(["comments", "export", str(record), str(demo / "a.xlsx")]) == 0
    time.sleep(2.1)      # a zip entry time has a resolution of two seconds
    assert cli.main(["comments", "export", str(record), str(demo / "b.xlsx")]) == 0
    capsys.readouterr()
    assert (demo / "a.xlsx").read_bytes() == (demo / "b.xlsx").read_bytes()
    with zipfile.ZipFile(demo / "a.xlsx") as archive:
        assert b"2023-11-14T22:13:20Z" in archive.read("docProps/core.xml")
