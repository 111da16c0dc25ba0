"""Where the project is: the folder with conf.py and standards/."""
from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def project_root(start: Path | None = None) -> Path:
    """The nearest folder above ``start`` (default: cwd) holding conf.py and standards/."""
    start = start or Path.cwd()
    for folder in [start, *start.parents]:
        if (folder / "conf.py").exists() and (folder / "standards").is_dir():
            return folder
    return PACKAGE_ROOT
