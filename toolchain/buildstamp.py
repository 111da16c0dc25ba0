"""Nothing changed, nothing to do: the fingerprint of a successful ``gbstd build``.

After every step of a build succeeded, ``<output>/.build-stamp.json`` records a hash of
everything the outputs are made from and the state of the outputs themselves:

- the contents of every file of the standards folder (sources, comment rounds, ballots),
  the project file and a conf.py beside it;
- the toolchain: the size and modification time of every file of the packages ``gbstd``,
  ``gbstd.sphinx`` and ``gbstd.templates``, the Python version and the versions of Sphinx,
  MyST and docutils, as their ``__init__.py`` says them (a new or edited toolchain builds
  again; never stale across versions);
- what was asked: the steps and whether it was a draft;
- the outputs: name, size and modification time of every file in the step folders
  (a deleted or edited output builds again).

The next build with the same fingerprint says so and stops; ``gbstd build --force``
builds anyway. A failed build removes the stamp first, so it never survives a failure.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import util
from pathlib import Path
from typing import Callable

from . import __version__

STAMP = ".build-stamp.json"
# import names; each package's __init__.py says its version (read, not imported: importing
# Sphinx, or even importlib.metadata, would cost more than a build with nothing to do)
TOOLS = ("sphinx", "myst_parser", "docutils")


def _files(folder: Path):
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            yield Path(base, name)


def toolchain(digest) -> None:
    """Add the toolchain to ``digest``: versions, and every file of the packages (size, mtime)."""
    digest.update(f"{__version__} {sys.version}".encode())
    versions(digest, TOOLS)
    for package in ("gbstd", "gbstd.sphinx", "gbstd.templates"):
        spec = util.find_spec(package)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            for path in _files(Path(folder)):
                stat = path.stat()
                digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())


def versions(digest, tools: tuple[str, ...]) -> None:
    """Add the versions of ``tools`` (import names) to ``digest``: the bytes of each package's
    ``__init__.py``, which says its version; a package not installed counts as missing."""
    for tool in tools:
        spec = util.find_spec(tool)
        digest.update(f"{tool}\0".encode())
        digest.update(hashlib.sha256(Path(spec.origin).read_bytes()).digest() if spec and spec.origin else b"-")


def inputs(root: Path, standards: Path, request: dict, seen: Callable[[Path, bytes], None] | None = None) -> str:
    """The hash of the sources, the project's configuration, the toolchain and the request
    (``seen`` is shown each file and its bytes)."""
    digest = hashlib.sha256(json.dumps(request, sort_keys=True).encode())
    for path in [root / "gbstd.toml", root / "conf.py", *_files(standards)]:
        if path.is_file():
            data = path.read_bytes()
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(hashlib.sha256(data).digest())
            if seen is not None:
                seen(path, data)
    toolchain(digest)
    return digest.hexdigest()


def outputs(out: Path, steps: list[str]) -> dict[str, list]:
    """Every output file of the steps, with size and modification time."""
    state = {}
    for step in steps:
        folder = out / step
        state[step] = [[str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns]
                       for p in _files(folder)] if folder.is_dir() else None
    return state


def current(out: Path, fingerprint: str, steps: list[str]) -> bool:
    """True when the last successful build had this fingerprint and its outputs are untouched."""
    try:
        stamp = json.loads((out / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(stamp, dict) and stamp.get("inputs") == fingerprint
            and stamp.get("outputs") == outputs(out, steps))


def forget(out: Path) -> None:
    (out / STAMP).unlink(missing_ok=True)


def record(out: Path, fingerprint: str, steps: list[str]) -> None:
    (out / STAMP).write_text(json.dumps({"inputs": fingerprint, "outputs": outputs(out, steps)}),
                             encoding="utf-8")
