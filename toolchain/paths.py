"""Where things are: the package's own data, and the project a command works on."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

# Templates, static files and LaTeX pieces ship as the package ``gbstd.templates``.
TEMPLATES = Path(str(files("gbstd.templates")))
# The published JSON Schemas ship inside the core package.
SCHEMAS = Path(str(files("gbstd"))) / "schemas"
REPOSITORY_ROOT = Path(__file__).resolve().parent.parent


def find_project(start: Path | None = None) -> Path | None:
    """The nearest folder above ``start`` (default: cwd) holding conf.py and standards/, or None."""
    start = start or Path.cwd()
    for folder in [start, *start.parents]:
        if (folder / "conf.py").exists() and (folder / "standards").is_dir():
            return folder
    return None


def project_root(start: Path | None = None) -> Path:
    """The project of ``start`` (default: cwd); outside any project, the repository's own corpus
    (read-only uses such as ``gbstd check``; ``gbstd new`` refuses to write there)."""
    return find_project(start) or REPOSITORY_ROOT
