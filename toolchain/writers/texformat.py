"""A precompiled xelatex format of the packages a corpus document loads.

Loading its packages (xeCJK and fontspec, unicode-math, sphinx.sty, hyperref, tikz)
is about 40 % of an xelatex run of a corpus document, and latexmk runs xelatex at
least twice for each new document. A format made with ``xelatex -ini`` holds those
packages already loaded, so a run starts where the package loading ends.

XeTeX cannot ``\\dump`` a format once it has loaded an OpenType font, and the document
class (``\\normalsize``) and fontspec (``\\strongfontdeclare``) load Latin Modern while
they load. While the format is made, Latin Modern's two shapes stand for TFM fonts and
are forgotten again before the dump; a document then loads its own fonts
(``\\setmainfont`` …) as without the format.

The format holds the document's own package lines (``\\documentclass``,
``\\PassOptionsToPackage``, ``\\usepackage``), in their order; with it, the document's
``\\documentclass`` does nothing and its ``\\usepackage`` lines find their packages loaded.
A preamble that loads packages any other way gets no format. A format is made once per
preamble and kept in ``$XDG_CACHE_HOME/gbstd/latex`` with the state of every file it was
made from (the .fls of that run: the TeX installation's by size and time, the LaTeX folder's
by content) and the content hash of itself, signed with the key of the model
cache (``gbstd.paths.secret_key``): it is used only while the signature holds and all
of them are unchanged. Whatever goes wrong on the way, the document is typeset without it.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

from ..files import replace_atomically
from ..findings import SourceError
from ..paths import secret_key, user_cache
from ..texstate import digest
from .texrun import tex_environment

# One package line of a preamble, as the format can hold it (a trailing comment allowed).
_PACKAGE_LINE = re.compile(
    r"\s*(\\def\\sphinxdocclass\{\w+\}"
    r"|\\(?:documentclass|usepackage)(?:\[[^\]\n]*\])?\{[\w,.-]+\}"
    r"|\\PassOptionsToPackage\{[^{}\n]*\}\{[\w.-]+\})\s*(?:%.*)?")
# Lines that load packages in some other way: such a preamble gets no format.
_LOADS_PACKAGES = re.compile(r"\\(?:documentclass|usepackage|RequirePackage|PassOptionsToPackage|"
                             r"LoadClass|documentstyle|input|include)\b")
# Written by Sphinx for each build (the words of the project's language): loaded by the document.
_PER_BUILD = {r"\usepackage{sphinxmessages}"}

# Made with the format: Latin Modern stands for TFM fonts while the packages load …
_BEFORE = r"""\DeclareFontFamily{TU}{lmr}{}
\DeclareFontShape{TU}{lmr}{m}{n}{<->cmr10}{}
\DeclareFontShape{TU}{lmr}{bx}{n}{<->cmbx10}{}
"""
# … and is forgotten before the dump; the document's \documentclass is then skipped.
_AFTER = r"""\makeatletter
\@for\gbstd@shape:={m/n,bx/n}\do{%
  \expandafter\let\csname TU/lmr/\gbstd@shape/10\endcsname\relax
  \expandafter\let\csname TU/lmr/\gbstd@shape\endcsname\relax}
\expandafter\let\csname TU+lmr\endcsname\relax
\def\documentclass{\@ifnextchar[\gbstd@skipclass{\gbstd@skipclass[]}}
\def\gbstd@skipclass[#1]#2{}
\makeatother
\dump
"""


def format_source(tex: str) -> str | None:
    """The source of a format for the document ``tex``, or None when it cannot have one."""
    preamble, found, _ = tex.partition("\\begin{document}")
    if not found:
        return None
    lines = []
    for line in preamble.splitlines():
        match = _PACKAGE_LINE.fullmatch(line)
        if match:
            if match.group(1) not in _PER_BUILD:
                lines.append(match.group(1))
        elif _LOADS_PACKAGES.search(line.split("%", 1)[0]):
            return None
    if not any(line.startswith("\\documentclass") for line in lines):
        return None
    return _BEFORE + "\n".join(lines) + "\n" + _AFTER


def formats(work: Path, names: list[str]) -> dict[str, Path]:
    """Document name → a current format for ``work/<name>.tex``, made where missing.

    Documents that cannot have one (or whose format could not be made) are left out.
    """
    found: dict[str, Path] = {}
    made: dict[str, Path | None] = {}
    for name in names:
        try:
            source = format_source((work / f"{name}.tex").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if source is None:
            continue
        if source not in made:
            try:
                made[source] = _current(work, source) or _make(work, source)
            except RuntimeError:       # no home folder to keep it in
                made[source] = None
        if made[source] is not None:
            found[name] = made[source]
    return found


def _folder() -> Path:
    return user_cache() / "latex"


def _key(source: str) -> str:
    return hashlib.sha256(source.encode() + _xetex_version()).hexdigest()[:24]


@functools.lru_cache(maxsize=1)
def _xetex_version() -> bytes:
    """The XeTeX program that made a format (a format is tied to the program that dumped it)."""
    program = shutil.which("xelatex")
    return _stamp(Path(program).resolve()).encode() if program else b""


def _stamp(path: Path) -> str | None:
    """Size and modification time of a file of the TeX installation, or None."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size} {stat.st_mtime_ns}"


def _input_state(work: Path, name: str) -> str | None:
    """How a file the format was made from is now: a file of the TeX installation (an absolute
    name) by its size and time, as installing a package changes them; a file of the LaTeX
    folder (Sphinx's .sty files, copied there again by every build) by its content."""
    return _stamp(Path(name)) if Path(name).is_absolute() else digest(work / name)


def _signature(record: dict) -> str | None:
    """HMAC of a format's record (its source, its digest, its inputs'), or None without a key."""
    secret = secret_key()
    if secret is None:
        return None
    content = json.dumps({k: record[k] for k in ("source", "format", "inputs")}, sort_keys=True)
    return hmac.new(secret, content.encode(), hashlib.sha256).hexdigest()


def _current(work: Path, source: str) -> Path | None:
    """The kept format for ``source``, if it and every file it was made from are unchanged."""
    key = _key(source)
    fmt = _folder() / f"{key}.fmt"
    try:
        record = json.loads((_folder() / f"{key}.json").read_text(encoding="utf-8"))
        inputs = record["inputs"]
        signature = _signature(record)
        if signature is None or not hmac.compare_digest(record["signature"], signature) \
                or record["source"] != source or record["format"] != digest(fmt):
            return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    # relative names are the Sphinx support files in the LaTeX folder of the build
    if all(_input_state(work, name) == state for name, state in inputs.items()):
        return fmt
    return None


def _make(work: Path, source: str) -> Path | None:
    """Make the format for ``source`` in ``work`` (where Sphinx's .sty files are) and keep it."""
    job = f"gbstd-format-{uuid.uuid4().hex[:12]}"
    (work / f"{job}.tex").write_text(source, encoding="utf-8")
    try:
        result = subprocess.run(["xelatex", "-ini", "-interaction=batchmode", "-halt-on-error", "-recorder",
                                 f"-jobname={job}", "&xelatex", f"{job}.tex"],
                                cwd=work, capture_output=True, env=tex_environment(), timeout=300)
        made = work / f"{job}.fmt"
        if result.returncode != 0 or not made.exists():
            return None
        inputs = {}
        for line in (work / f"{job}.fls").read_text(encoding="utf-8", errors="replace").splitlines():
            kind, _, name = line.partition(" ")
            if kind == "INPUT" and not name.startswith(job) and name not in inputs:
                inputs[name] = _input_state(work, name)
        folder = _folder()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = _key(source)
        target = folder / f"{key}.fmt"
        replace_atomically(target, lambda temporary: os.replace(made, temporary))
        record = {"source": source, "format": digest(target), "inputs": inputs}
        record["signature"] = _signature(record)
        if record["signature"] is None:      # no key: a format nobody could check later
            return None
        replace_atomically(folder / f"{key}.json",
                           lambda temporary: temporary.write_text(json.dumps(record, indent=1), encoding="utf-8"))
        return target
    except (OSError, subprocess.SubprocessError, ValueError, SourceError):
        return None
    finally:
        for leftover in work.glob(f"{job}.*"):
            leftover.unlink(missing_ok=True)
