"""Installable anywhere: the wheel, installed into a fresh virtual environment outside the
repository, runs every subcommand for real in a project made by `gbstd init` (issue #9).

Slow (a wheel, a venv, a full build with PDF): one module-scoped installation, every
command run once, many assertions on what they wrote.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["pyproject.toml", "README.md", "toolchain", "sphinx_ext", "templates"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(any(shutil.which(t) is None for t in ("xelatex", "latexmk")),
                       reason="xelatex and latexmk are needed (make system-deps installs them)"),
]

ASSESSMENT = """\
$schema: https://gbstd.example.org/schemas/assessment-input/1.0/assessment-input.json
schema_version: 1.0.0
generator: {name: 手工填写, version: "1"}
scoring_schema: {id: example}
applicant: {name: 某某公司}
assessor: {name: 某某评价机构}
date: 2025-06-30
responses:
  A1: {status: pass}
  A2: {status: scored, points: 20}
  B1: {status: pass}
"""
COMMENTS = """\
round:
  id: ZQ-2025-01
  stage: 征求意见稿
  title: 示例产品绿色设计评价规范
  drafting_unit: 示例协会
  units: {sent: 2, replied: 1, replied_with_comments: 1, not_replied: 1}
comments:
  - {id: C-001, clause: "4.1", type: te, text: 建议量化资源利用的要求。, org: 甲研究院, disposition: 采纳}
"""
BALLOT = """\
ballot:
  id: HS-2025-01
  title: 示例产品绿色设计评价规范
  drafting_unit: 示例协会
  organiser: 示例标准化技术委员会
  stage: 送审稿
  sent: 2025-05-01
  deadline: 2025-07-01
  eligible: 3
  rule: gb-1990
votes:
  - {member: 甲研究院, vote: 赞成}
  - {member: 乙协会, vote: 赞成}
  - {member: 丙大学, vote: 赞成}
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel, built from a clean copy of the sources (setuptools writes build/ next to them)."""
    work = tmp_path_factory.mktemp("wheel")
    (work / "src").mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, work / "src" / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, work / "src" / name)
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                             str(work / "src"), "-w", str(work / "dist")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return next((work / "dist").glob("gbstd_toolchain-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A fresh venv (no system site-packages) with the wheel; returns the environment to run it in."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    result = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(wheel)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
            "VIRTUAL_ENV": str(venv), "PYTHONPATH": ""}


@pytest.fixture(scope="module")
def demo(installed, tmp_path_factory) -> Path:
    empty = tmp_path_factory.mktemp("empty")
    result = run(installed, empty, "init", "demo")
    assert result.returncode == 0, result.stderr
    return empty / "demo"


def run(env: dict, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["gbstd", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_wheel_carries_templates_static_files_schemas_and_latex(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in ("gbstd/templates/html/layout.html", "gbstd/templates/html/static/gb.css",
                     "gbstd/templates/latex/preamble.tex.j2", "gbstd/templates/latex/fonts.tex.j2",
                     "gbstd/templates/latex/sphinx/longtable.tex.jinja", "gbstd/templates/scaffold/standard.md.j2",
                     "gbstd/templates/project/gbstd.toml.j2", "gbstd/templates/project/github-workflow.yml.j2",
                     "gbstd/schemas/scoring-schema.json", "gbstd/schemas/assessment-input.json",
                     "gbstd/sphinx/__init__.py", "gbstd/cli.py"):
        assert expected in names
    assert not any(name.startswith(("toolchain/", "sphinx_ext/", "templates/", "tests/")) for name in names)


def test_installed_gbstd_runs_every_subcommand_outside_the_repository(installed, demo):
    env = installed
    where = run(env, demo, "--version")
    assert where.returncode == 0
    located = subprocess.run(["python", "-c", "import gbstd; print(gbstd.__file__)"], env=env,
                             capture_output=True, text=True, cwd=demo).stdout
    assert str(ROOT) not in located and "site-packages" in located

    build = run(env, demo, "build")
    assert build.returncode == 0, build.stderr
    out = demo / "build"
    assert (out / "html" / "index.html").is_file() and (out / "html" / "example" / "standard.html").is_file()
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["example-notes.pdf", "example-standard.pdf"]
    assert (out / "schemas" / "example-example.json").is_file()
    assert json.loads((out / "schemas" / "index.json").read_text(encoding="utf-8"))["schemas"]

    check = run(env, demo, "check")
    assert check.returncode == 0 and "2 个文件：0 个错误，0 个警告" in check.stdout

    rules = run(env, demo, "rules", "VERB")
    assert rules.returncode == 0 and "VERB-001" in rules.stdout

    schema = run(env, demo, "schema", "standards/example/standard.md", "-o", "build/example.json")
    assert schema.returncode == 0, schema.stderr
    assert (out / "example.json").read_bytes() == (out / "schemas" / "example-example.json").read_bytes()

    review = demo / "review"
    review.mkdir()
    (review / "a.yaml").write_text(ASSESSMENT, encoding="utf-8")
    (review / "zq-01.yaml").write_text(COMMENTS, encoding="utf-8")
    (review / "hs-01.yaml").write_text(BALLOT, encoding="utf-8")
    score = run(env, demo, "score", "build/schemas/example-example.json", "review/a.yaml", "--format", "text")
    assert score.returncode == 0, score.stderr
    assert "90 / 100" in score.stdout and "优秀" in score.stdout
    report = run(env, demo, "score", "build/schemas/example-example.json", "review/a.yaml", "-o", "build/report.pdf")
    assert report.returncode == 0, report.stderr
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF")

    comments = run(env, demo, "comments", "export", "review/zq-01.yaml", "build/zq-01.xlsx")
    assert comments.returncode == 0, comments.stderr
    assert zipfile.is_zipfile(out / "zq-01.xlsx")
    rendered = run(env, demo, "comments", "render", "review/zq-01.yaml", "-o", "build/zq-01.html")
    assert rendered.returncode == 0 and "建议量化资源利用的要求" in (out / "zq-01.html").read_text(encoding="utf-8")

    tally = run(env, demo, "ballot", "tally", "review/hs-01.yaml")
    assert tally.returncode == 0 and "通过" in tally.stdout, tally.stdout + tally.stderr
    form = run(env, demo, "ballot", "render", "review/hs-01.yaml", "-o", "build/hs-01.html")
    assert form.returncode == 0 and (out / "hs-01.html").is_file()

    old = (demo / "standards" / "example" / "standard.md").read_text(encoding="utf-8")
    (review / "old.md").write_text(old, encoding="utf-8")
    (review / "new.md").write_text(old.replace("资源利用的要求", "资源和能源利用的要求"), encoding="utf-8")
    diff = run(env, demo, "diff", "review/old.md", "review/new.md", "--html", "build/diff.html")
    assert diff.returncode == 0 and "4.1" in diff.stdout, diff.stderr
    assert (out / "diff.html").is_file()

    new = run(env, demo, "new", "standard", "second", "--title", "第二产品评价规范")
    assert new.returncode == 0 and (demo / "standards" / "second" / "standard.md").is_file()
    again = run(env, demo, "check")
    assert again.returncode == 0 and "3 个文件：0 个错误，0 个警告" in again.stdout, again.stdout

    outside = run(env, demo.parent, "check")
    assert outside.returncode == 2 and "gbstd init" in outside.stderr
