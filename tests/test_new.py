"""gbstd new: scaffolds that check clean, and no overwriting."""
from __future__ import annotations

from gbstd import cli
from gbstd.check import check_paths


def make_project(tmp_path, monkeypatch):
    (tmp_path / "standards").mkdir()
    (tmp_path / "gbstd.toml").write_text("[project]\n")
    monkeypatch.chdir(tmp_path)


def test_new_standard_and_notes_check_clean(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    assert cli.main(["new", "standard", "demo", "--title", "示例评价规范", "--issuer", "某协会"]) == 0
    assert cli.main(["new", "notes", "demo"]) == 0          # title taken from the standard
    folder = tmp_path / "standards" / "demo"
    findings, docs = check_paths([str(folder)], corpus_root=str(tmp_path / "standards"))
    assert sorted(d.meta.kind for d in docs) == ["notes", "standard"]
    assert [f.format() for f in findings if f.severity != "info"] == []
    standard = next(d for d in docs if d.meta.kind == "standard")
    assert standard.title == "示例评价规范" and standard.meta.issuer == ["某协会"]
    assert standard.indicator_tables[0].total == 100
    assert "本文件规定了示例的评价指标体系" in standard.clause("1").text()
    notes = next(d for d in docs if d.meta.kind == "notes")
    assert notes.meta.title == "《示例评价规范》编制说明"


def test_new_refuses_to_overwrite_and_bad_names(tmp_path, monkeypatch, capsys):
    make_project(tmp_path, monkeypatch)
    assert cli.main(["new", "standard", "demo", "--title", "甲"]) == 0
    target = tmp_path / "standards" / "demo" / "standard.md"
    before = target.read_text(encoding="utf-8")
    assert cli.main(["new", "standard", "demo", "--title", "乙"]) == 2
    assert target.read_text(encoding="utf-8") == before
    assert cli.main(["new", "standard", "Bad Name", "--title", "丙"]) == 2
    assert "已存在" in capsys.readouterr().err


def test_subject_of_a_title():
    from gbstd.commands.new import subject_of
    assert subject_of("某某产品绿色设计评价规范") == "某某产品绿色设计"
    assert subject_of("绿色低碳产业认定行业技术规范\u3000绿色数据中心") == "绿色数据中心"
