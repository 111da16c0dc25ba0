"""Shared fixtures: the project root and one HTML build of the corpus per test session."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def html_build(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The corpus built by Sphinx with -W (warnings are errors), as `gbstd build` does."""
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-c", str(ROOT),
         "-d", str(out / ".doctrees"), str(ROOT / "standards"), str(out)],
        capture_output=True, text=True)
    return out, result
