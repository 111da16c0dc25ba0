"""How gbstd runs LaTeX: the latexmk command, the sandbox xelatex runs in, the errors of its log.

Apart from the LaTeX writer (``gbstd.writers.latex``, which imports Jinja and the model):
``gbstd build --pdf`` of a document whose .tex is current needs only this, and what it
imports is part of the step's overhead over latexmk alone.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

# a folder whose name can be printed into TeX or a shell command as it is
SAFE_PATH = re.compile(r"(/[A-Za-z0-9_.-]+)+/|")

_LOG_ERROR = re.compile(r"^(?:\S+\.\w+:\d+: .*|! .*)$", re.M)


def latex_errors(log: str, limit: int = 3) -> list[str]:
    """The first error lines of a LaTeX log (``file.tex:line: message`` or ``! message``)."""
    return [m.group().strip() for m in _LOG_ERROR.finditer(log)][:limit]


def tex_environment() -> dict[str, str]:
    """The environment xelatex runs in: it reads nothing outside its working folder.

    ``openin_any=p`` (kpathsea's paranoid mode) refuses absolute paths, ``..`` and
    dot files, so ``\\input{/etc/passwd}`` that slipped past the source checks still
    reads nothing; ``shell_escape=f`` keeps ``\\write18`` off. ``SOURCE_DATE_EPOCH``
    passes through: with it set, xdvipdfmx writes fixed dates, subset tags and
    trailer ID, and two builds of the same sources give identical PDFs. XeTeX itself
    heeds it only with ``FORCE_SOURCE_DATE=1``: otherwise it stamps its output with the
    current minute, which reaches the PDF as /Creator (“XeTeX output 2026.12.06:1125”).
    """
    env = dict(os.environ)
    env.update(openin_any="p", openout_any="p", shell_escape="f")
    if env.get("SOURCE_DATE_EPOCH"):
        env["FORCE_SOURCE_DATE"] = "1"
    return env


# latexmk runs xelatex again whenever the .aux changed. LaTeX writes the number of pages there
# (``\gdef \@abspage@last{14}``), which only the kernel's last-page hook reads (``shipout/lastpage``,
# empty unless one of these packages is loaded): an edit that adds a page would cost a second
# xelatex run that typesets exactly the same. With this pattern latexmk leaves that line out of
# its comparison (``%hash_calc_ignore_pattern``). It is given on every run of a document, its
# first too: latexmk keeps the hash of each file between runs, and a hash made with the pattern
# compared with one made without it would always differ.
PAGE_COUNT_LINE = r'$hash_calc_ignore_pattern{"aux"} = "^\\\\gdef\\s*\\\\\@abspage\@last\\{";'
LAST_PAGE_HOOK_USERS = ("pdfmanagement", "tagpdf", "pdfbase", "media9", "leaflet", "DocumentMetadata")


def page_count_is_read(work: Path, name: str, fmt: Path | None = None) -> bool:
    """Whether typesetting ``name``.tex may read the number of pages: it names a package that uses
    the last-page hook (or ``\\DocumentMetadata``, which loads them), or its last run loaded one
    (xelatex's -recorder list, ``name``.fls), or the format it starts from was made with one
    (``fmt``'s record of the files read, ``gbstd.writers.texformat``: those are not read again)."""
    listings = [work / f"{name}.tex", work / f"{name}.fls"] + ([fmt.with_suffix(".json")] if fmt else [])
    for index, listing in enumerate(listings):
        try:
            read = listing.read_text(encoding="utf-8", errors="replace")
        except OSError:
            if index == 0:
                return True          # no .tex to go by
            continue
        if any(package in read for package in LAST_PAGE_HOOK_USERS):
            return True
    return False


def latexmk_command(tex: str, fmt: Path | None = None, page_count_read: bool = True) -> list[str]:
    """latexmk making the PDF of ``tex`` with xelatex; with ``fmt`` (gbstd.writers.texformat),
    xelatex starts from that format; without ``page_count_read`` (``page_count_is_read``), a
    change of the number of pages alone makes no second xelatex run."""
    command = ["latexmk", "-pdfxe", "-interaction=nonstopmode", "-halt-on-error", "-file-line-error", "-silent"]
    if not page_count_read:
        command += ["-e", PAGE_COUNT_LINE]
    if fmt is not None and SAFE_PATH.fullmatch(f"{fmt.parent}/"):   # latexmk passes the command to a shell
        # -no-pdf: latexmk adds it to its own xelatex command only (xelatex writes .xdv, xdvipdfmx the PDF)
        command.append(f"-xelatex=xelatex -no-pdf -fmt={fmt} %O %S")
    return [*command, tex]
