"""Standards projects: gbstd init, the project file found like git finds its root, --project,
and the Sphinx extension with a conf.py of one line."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gbstd import cli, project
from gbstd.check import check_paths

needs_tex = pytest.mark.skipif(any(shutil.which(t) is None for t in ("xelatex", "latexmk")),
                               reason="xelatex and latexmk are needed (make system-deps installs them)")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("init")
    assert cli.main(["init", str(folder / "demo")]) == 0
    return folder / "demo"


@pytest.fixture(autouse=True)
def no_override():
    yield
    project.override = None


def test_init_writes_a_project_whose_example_checks_clean(demo):
    files = sorted(str(p.relative_to(demo)) for p in demo.rglob("*") if p.is_file())
    assert files == [".github/workflows/gbstd.yml", ".gitignore", "gbstd.toml", "standards/example/notes.md",
                     "standards/example/standard.md", "standards/index.md"]
    assert "/build/" in (demo / ".gitignore").read_text(encoding="utf-8").splitlines()
    workflow = (demo / ".github/workflows/gbstd.yml").read_text(encoding="utf-8")
    assert "gbstd check --format sarif > gbstd.sarif" in workflow and "upload-sarif" in workflow
    loaded = project.load(demo)
    assert (loaded.standards, loaded.output, loaded.drafting_rules) == (
        demo / "standards", demo / "build", "GB/T 1.1—2020")
    findings, docs = check_paths([str(demo / "standards")], corpus_root=str(demo / "standards"))
    assert len(docs) == 2 and [f.format() for f in findings if f.severity != "info"] == []


def test_init_does_not_overwrite_a_project(demo, capsys):
    before = (demo / "gbstd.toml").read_text(encoding="utf-8")
    assert cli.main(["init", str(demo), "--title", "另一个"]) == 2
    assert "gbstd.toml" in capsys.readouterr().err
    assert (demo / "gbstd.toml").read_text(encoding="utf-8") == before


def test_gitlab_ci_instead(tmp_path):
    assert cli.main(["init", str(tmp_path / "g"), "--ci", "gitlab"]) == 0
    assert "gbstd check --format sarif" in (tmp_path / "g" / ".gitlab-ci.yml").read_text(encoding="utf-8")
    assert not (tmp_path / "g" / ".github").exists()


@pytest.mark.parametrize("command", [["check"], ["build"], ["new", "standard", "x", "--title", "某评价规范"]])
def test_outside_a_project_one_chinese_line_naming_init(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "gbstd init" in err and "gbstd.toml" in err
    assert list(tmp_path.iterdir()) == []


def test_the_root_is_found_from_a_subfolder_and_named_with_project(demo, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(demo / "standards" / "example")
    assert cli.main(["check"]) == 0
    assert "2 个文件：0 个错误" in capsys.readouterr().out
    monkeypatch.chdir(tmp_path)
    for argv in (["--project", str(demo), "check"], ["check", "--project", str(demo)]):
        assert cli.main(argv) == 0
        assert "2 个文件：0 个错误" in capsys.readouterr().out
    assert cli.main(["--project", str(tmp_path), "check"]) == 2
    assert "gbstd init" in capsys.readouterr().err


def test_a_bad_project_file_is_named_with_its_line(tmp_path, monkeypatch, capsys):
    (tmp_path / "gbstd.toml").write_text('[project]\nstandards = "src"\noutput = \n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check"]) == 2
    err = capsys.readouterr().err
    assert "gbstd.toml:3:" in err and "TOML" in err
    (tmp_path / "gbstd.toml").write_text('[project]\nsource = "src"\n', encoding="utf-8")
    assert cli.main(["check"]) == 2
    assert "未知的键 “source”" in capsys.readouterr().err


def test_new_follows_the_project_file(tmp_path, monkeypatch):
    (tmp_path / "gbstd.toml").write_text('[project]\nstandards = "src"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["new", "standard", "demo", "--title", "某产品评价规范"]) == 0
    assert (tmp_path / "src" / "demo" / "standard.md").is_file()


@needs_tex
def test_a_conf_py_of_one_line_builds_html_and_pdf(demo, tmp_path):
    """The extension sets up MyST, layout, xelatex and fonts itself (issue #9, item 3)."""
    site = tmp_path / "site"
    shutil.copytree(demo / "standards", site)
    (site / "conf.py").write_text('extensions = ["gbstd.sphinx"]\nlanguage = "zh_CN"\n', encoding="utf-8")
    html = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(site), str(tmp_path / "html")],
                          capture_output=True, text=True)
    assert html.returncode == 0, html.stderr
    page = (tmp_path / "html" / "example" / "standard.html").read_text(encoding="utf-8")
    assert "gb-cover" in page and "示例产品绿色设计评价规范" in page and "表A.1" in page
    latex = subprocess.run([sys.executable, "-m", "sphinx", "-b", "latex", "-W", "-q", str(site),
                            str(tmp_path / "latex")], capture_output=True, text=True)
    assert latex.returncode == 0, latex.stderr
    assert "xelatex" in (tmp_path / "latex" / "Makefile").read_text() or \
        (tmp_path / "latex" / "latexmkrc").exists()
    make = subprocess.run(["make", "-C", str(tmp_path / "latex"), "example-standard.pdf"],
                          capture_output=True, text=True, errors="replace")
    assert make.returncode == 0, make.stdout[-2000:]
    pdf = subprocess.run(["pdftotext", str(tmp_path / "latex" / "example-standard.pdf"), "-"],
                         capture_output=True, text=True).stdout
    assert "示例产品绿色设计评价规范" in pdf.replace(" ", "") and "目" in pdf


def test_check_quiet_show_info_and_relative_paths(tmp_path, monkeypatch, capsys):
    assert cli.main(["init", str(tmp_path / "p")]) == 0
    source = tmp_path / "p" / "standards" / "example" / "standard.md"
    text = source.read_text(encoding="utf-8")
    text = text.replace("被评价对象应（在此写出资源利用", "% gbstd: ignore VERB-001 示例的理由\n被评价对象必须（在此写出资源利用")
    source.write_text(text.replace("被评价对象应（在此写出环境管理", "被评价对象必须（在此写出环境管理"), encoding="utf-8")
    line = text.splitlines().index("被评价对象应（在此写出环境管理的要求）。") + 1
    monkeypatch.chdir(tmp_path / "p" / "standards")
    capsys.readouterr()
    assert cli.main(["check"]) == 1
    full = capsys.readouterr().out
    assert full.startswith(f"example/standard.md:{line}: 错误 VERB-001: ") and "已抑制：" in full
    assert str(tmp_path) not in full
    assert cli.main(["check", "-q"]) == 1
    quiet = capsys.readouterr().out
    assert "已抑制：" not in quiet and f"example/standard.md:{line}: 错误 VERB-001" in quiet
    assert "1 个已抑制" in quiet
    assert cli.main(["check", "--show-info"]) == 1
    assert " 提示 " in capsys.readouterr().out and " 提示 " not in full
