"""Incremental builds equal clean builds: build, edit one line, build again; the HTML and
the schemas are byte-identical to a clean build of the edited sources (issue 14)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

STEPS = ["--only", "html", "--only", "schemas"]


def _build(project: Path, *extra: str, cache: bool = True) -> None:
    env = {**os.environ, "GBSTD_NO_CACHE": "" if cache else "1"}
    run = subprocess.run([sys.executable, "-m", "gbstd", "build", *STEPS, *extra], cwd=project, env=env,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[dict, dict, Path]:
    project = tmp_path_factory.mktemp("incremental") / "p"
    run = subprocess.run([sys.executable, "-m", "gbstd", "init", str(project)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    _build(project)
    source = next(project.glob("standards/*/standard.md"))
    text = source.read_text(encoding="utf-8")
    source.write_text(text + "\n本文件的示例到此为止。\n", encoding="utf-8")
    _build(project)                                  # incremental: doctrees and the model cache kept
    incremental = project / "build-incremental"
    (project / "build").rename(incremental)          # with its doctrees and model cache
    _build(project, cache=False)                     # clean: nothing kept
    return _files(incremental), _files(project / "build"), source


def test_incremental_build_equals_a_clean_build(builds):
    incremental, clean, source = builds
    for name in (incremental, clean):
        for hidden in [k for k in name if k.startswith(".") or "/." in k]:   # stamps, doctrees, staging
            del name[hidden]
    assert sorted(incremental) == sorted(clean)
    different = [name for name in clean if incremental[name] != clean[name]]
    assert different == []
    page = next(k for k in clean if k.startswith("html/") and k.endswith(f"{source.parent.name}/standard.html"))
    assert "本文件的示例到此为止。" in clean[page].decode("utf-8")         # the edit is in both
