"""Where things are: the package's own data, and the project a command works on."""
from __future__ import annotations

import functools
import os
import sys
import tempfile
from importlib.resources import files
from pathlib import Path

from . import project

# Templates, static files and LaTeX pieces ship as the package ``gbstd.templates``.
TEMPLATES = Path(str(files("gbstd.templates")))
# The published JSON Schemas ship inside the core package.
SCHEMAS = Path(str(files("gbstd"))) / "schemas"


def user_cache() -> Path:
    """This user's cache folder for gbstd: ``$XDG_CACHE_HOME/gbstd``, or ``~/.cache/gbstd``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "gbstd"


# signs what gbstd keeps in the cache (models, LaTeX formats): only this user can make an entry
KEY_FILE = "cache-key"


def secret_key() -> bytes | None:
    """This user's key for cache entries, made on first use; None when it cannot be kept."""
    base = user_cache()
    path = base / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32 and (sys.platform == "win32" or path.stat().st_mode & 0o077 == 0):
            return key
        if len(key) == 32:
            return None           # readable by others: not a secret, so no cache
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32)
        handle, temporary = tempfile.mkstemp(dir=base, prefix=".key-")   # created 0600
        with os.fdopen(handle, "wb") as stream:
            stream.write(key)
        os.replace(temporary, path)
        return key
    except (OSError, RuntimeError):       # no home folder, read-only: no cache
        return None


def project_root(start: Path | None = None) -> Path:
    """The root of the standards project a command works on (see gbstd.project).

    Raises gbstd.project.ProjectError outside any project: a command never falls back
    to the package's own folders.
    """
    return project.root(start)


def shown(path: str | Path) -> str:
    """A path as printed to people: relative to the current folder when it lies inside it."""
    return _shown(str(path), os.getcwd())


@functools.lru_cache(maxsize=65536)
def _shown(path: str, cwd: str) -> str:
    """Once per path and folder: a report names the same few files thousands of times."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path(cwd).resolve()).as_posix() or "."
    except ValueError:
        return path
