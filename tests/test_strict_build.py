"""Strict stays strict: a corpus with an open finding is never published, however often it is built.

Sphinx re-reads only changed documents; the findings of unchanged ones must still fail the
build (issue #9: exit codes were 1 0 0 0). A draft build publishes and says so.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "standards/green-enterprise/standard.md"


def gbstd(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", *args], cwd=project,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> tuple[Path, list[subprocess.CompletedProcess]]:
    """One standard with 应 changed to 必须 (VERB-001), built three times: twice strict, then as a draft."""
    project = tmp_path_factory.mktemp("strict")
    shutil.copy(ROOT / "gbstd.toml", project / "gbstd.toml")
    (project / "standards").mkdir()
    shutil.copy(ROOT / "standards" / "index.md", project / "standards" / "index.md")
    shutil.copytree(ROOT / "standards" / "green-enterprise", project / "standards" / "green-enterprise")
    source = project / SOURCE
    text = source.read_text(encoding="utf-8")
    assert "应建立" in text
    source.write_text(text.replace("应建立", "必须建立", 1), encoding="utf-8")
    results = [gbstd(project, "build", "--only", "html"),
               gbstd(project, "build", "--only", "html", "--only", "schemas"),
               gbstd(project, "build", "--draft", "--only", "html", "--only", "schemas")]
    return project, results


def test_every_strict_build_fails_and_publishes_nothing(runs):
    project, results = runs
    for result in results[:2]:
        assert result.returncode == 1, result.stderr
        assert f"{SOURCE}:" in result.stderr and "VERB-001" in result.stderr
    assert "评分模式未写入" in results[1].stderr


def test_a_draft_build_publishes_and_says_so(runs):
    project, results = runs
    assert results[2].returncode == 0, results[2].stderr
    assert "草稿构建" in results[2].stderr
    page = (project / "build" / "html" / "green-enterprise" / "standard.html").read_text(encoding="utf-8")
    assert "必须建立" in page and "含未解决的检查结果（1 条）" in page
    index = json.loads((project / "build" / "schemas" / "index.json").read_text(encoding="utf-8"))
    assert index["open_findings"] == 1


def test_the_next_strict_build_fails_again_after_a_draft(runs):
    project, _ = runs
    result = gbstd(project, "build", "--only", "html")
    assert result.returncode == 1 and "VERB-001" in result.stderr


def test_a_strict_word_build_fails_and_writes_no_docx(runs):
    project, _ = runs
    result = gbstd(project, "build", "--docx")
    assert result.returncode == 1 and "VERB-001" in result.stderr
    assert "Word 文件未写入" in result.stderr
    assert not (project / "build" / "docx").exists()
