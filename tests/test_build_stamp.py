"""`gbstd build` with nothing changed does nothing, and anything that changed builds again.

The stamp logic does not depend on the step, so these builds run only the cheap schemas step.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "standards/green-enterprise/standard.md"
UP_TO_DATE = "已是最新"


def gbstd(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", "build", "--only", "schemas", *args], cwd=project,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict:
    project = tmp_path_factory.mktemp("stamp")
    shutil.copy(ROOT / "gbstd.toml", project / "gbstd.toml")
    (project / "standards").mkdir()
    shutil.copytree(ROOT / "standards" / "green-enterprise", project / "standards" / "green-enterprise")
    source, index = project / SOURCE, project / "build" / "schemas" / "index.json"
    clean = source.read_text(encoding="utf-8")
    found = {"first": gbstd(project)}
    mtime = index.stat().st_mtime_ns
    found["again"] = gbstd(project)
    found["untouched"] = index.stat().st_mtime_ns == mtime
    source.touch()                      # a new time, the same content: still nothing to do
    found["touched"] = gbstd(project)
    found["forced"] = gbstd(project, "--force")
    source.write_text(clean + "\n本条为测试所加。\n", encoding="utf-8")
    found["edited"] = gbstd(project)
    found["after_edit"] = gbstd(project)
    index.unlink()                      # an output removed by hand
    found["output_removed"] = gbstd(project)
    found["restored"] = index.is_file()
    source.write_text(clean.replace("应建立", "必须建立", 1), encoding="utf-8")   # VERB-001
    found["failing"] = gbstd(project)
    source.write_text(clean + "\n本条为测试所加。\n", encoding="utf-8")   # as at the last success
    found["after_failure"] = gbstd(project)
    return found


def test_nothing_changed_does_nothing(runs):
    assert runs["first"].returncode == 0 and UP_TO_DATE not in runs["first"].stdout, runs["first"].stderr
    for name in ("again", "touched", "after_edit"):
        assert runs[name].returncode == 0 and UP_TO_DATE in runs[name].stdout, name
    assert runs["untouched"]


def test_a_change_builds_again(runs):
    for name in ("forced", "edited", "output_removed"):
        assert runs[name].returncode == 0, runs[name].stderr
        assert UP_TO_DATE not in runs[name].stdout and "个评分模式已写入" in runs[name].stdout, name
    assert runs["restored"]


def test_a_failed_build_leaves_no_stamp(runs):
    assert runs["failing"].returncode == 1 and "VERB-001" in runs["failing"].stderr
    # the sources are back as they were at the last success, but that success is no longer trusted
    assert runs["after_failure"].returncode == 0
    assert UP_TO_DATE not in runs["after_failure"].stdout


def test_another_version_of_a_tool_is_another_toolchain(tmp_path, monkeypatch):
    """Sphinx, MyST and docutils count by the version their __init__.py says; one not
    installed counts too (as missing), and nothing is imported to find out."""
    import hashlib

    from gbstd import buildstamp
    package = tmp_path / "stamptool"
    package.mkdir()
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(buildstamp, "TOOLS", ("stamptool", "no_such_stamptool"))

    def fingerprint(version: str) -> str:
        (package / "__init__.py").write_text(f"__version__ = '{version}'\n", encoding="utf-8")
        digest = hashlib.sha256()
        buildstamp.toolchain(digest)
        return digest.hexdigest()

    assert fingerprint("1.0") == fingerprint("1.0") != fingerprint("1.1")
    assert "stamptool" not in sys.modules
