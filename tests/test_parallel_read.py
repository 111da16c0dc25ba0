"""The extension says it is safe to read in parallel (``sphinx-build -j``): a build stays strict
then too. Sphinx replays the warnings of its reading processes in the main process, where no
document is being read; a document that warned must still be read again (and warn again) on the
next build, as in a serial build (issue 9: otherwise the second build passes)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = "---\nkind: standard\ntitle: [unclosed\n---\n\n# 标题\n\n正文。\n"   # YAML-001 at line 3


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[subprocess.CompletedProcess]:
    project = tmp_path_factory.mktemp("parallel") / "p"
    init = subprocess.run([sys.executable, "-m", "gbstd", "init", str(project)], capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    (project / "standards" / "bad").mkdir()
    (project / "standards" / "bad" / "standard.md").write_text(BROKEN, encoding="utf-8")
    out = project / "out"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "2", "-W", "--keep-going", "-C",
               "-D", "extensions=gbstd.sphinx", "-D", "language=zh_CN", "-d", str(out / "doctrees"),
               str(project / "standards"), str(out / "html")]
    return [subprocess.run(command, capture_output=True, text=True) for _ in range(2)]


def test_a_document_that_warned_while_read_in_parallel_warns_again(runs):
    for run in runs:
        assert run.returncode == 1, run.stderr[-2000:]
        assert "bad/standard.md:3: WARNING: YAML-001" in run.stderr
