"""gbstd check and build refuse input they cannot use, with a message and exit 2 / 1."""
from __future__ import annotations

from gbstd import cli


def test_check_of_a_folder_without_sources_is_not_a_pass(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path)]) == 2
    assert "没有源文件" in capsys.readouterr().err


def test_check_of_a_missing_path(tmp_path, capsys):
    assert cli.main(["check", str(tmp_path / "nope.md")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_build_stops_before_sphinx_on_a_file_that_is_not_utf8(tmp_path, monkeypatch, capsys):
    (tmp_path / "gbstd.toml").write_text("[project]\n")
    (tmp_path / "standards" / "bad").mkdir(parents=True)
    (tmp_path / "standards" / "bad" / "standard.md").write_bytes(b"---\nkind: standard\ntitle: \xb2\xe2\n---\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["build"]) == 1
    err = capsys.readouterr().err
    assert "standards/bad/standard.md:3: 错误 FILE-001" in err
    assert not (tmp_path / "build" / "html").exists()
