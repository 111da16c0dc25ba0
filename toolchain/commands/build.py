"""gbstd build: the main job — HTML site (the checker runs inside Sphinx), then the other outputs.

Each step writes into a staging folder and replaces its output only on success,
so a failed build never leaves half-written files in build/.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from datetime import datetime, timezone
from pathlib import Path

from .. import buildstamp, forked, texstate
from ..forked import usable_cores as _cores
from ..files import publish_folder, recover_outputs, replace_folder
from ..paths import shown
from ..project import load, root as project_root
from ..sources import corpus_docnames, unreadable
from ..writers import texrun


def build_docx(root: Path, out: Path, args: argparse.Namespace) -> bool:
    from .export import build_docx as step
    return step(root, out, args)


def build_schemas(root: Path, out: Path, args: argparse.Namespace) -> bool:
    from .schema import build_schemas as step
    return step(root, out, args)


def build_html(root: Path, out: Path, args: argparse.Namespace) -> bool:
    """The site: Sphinx builds into build/.html, kept between builds, so it writes only the
    pages whose content may have changed (gbstd.sphinx.incremental); build/html is then
    replaced whole by that folder, each unchanged file kept as it is (``publish_folder``)."""
    work, staging = out / ".html", out / ".html.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    project = load(root)
    _trusted_work_folder(work)
    word = ["-D", "gbstd_word_files=1"] if "docx" in getattr(args, "steps", ()) else []   # linked from the pages
    command = ["-b", "html", "-q", *_strict(args), *jobs(), *word,
               *project.sphinx_config(), "-d", str(out / ".doctrees"), str(project.standards), str(work)]
    print(f"gbstd: 由 {shown(project.standards)} 构建 HTML")
    status = _sphinx(command)
    if status in (0, 1):   # 1: Sphinx wrote every page, but there were warnings (open findings)
        (work / UNFINISHED).unlink(missing_ok=True)
    if status != 0:
        print("gbstd: HTML 构建失败；build/html 保持原样", file=sys.stderr)
        return False
    publish_folder(work, out / "html", staging, skip=lambda name: name in WORK_FILES)
    print(f"gbstd: HTML 已写入 {shown(out / 'html')}")
    return True


def jobs() -> list[str]:
    """Sphinx's -j for the HTML step: one process per usable core (``gbstd.sphinx.parallel`` reads
    and writes the pages in as many parts), none with one core or without ``fork``."""
    cores = _cores()
    return ["-j", str(cores)] if cores > 1 and forked.available() else []


# Files of build/.html that are not part of the site: a run that did not finish (its pages
# may be half written), the toolchain the pages were written by, Sphinx's own backup.
UNFINISHED, TOOLCHAIN = ".gbstd-unfinished", ".gbstd-toolchain"
WORK_FILES = {UNFINISHED, TOOLCHAIN, ".buildinfo.bak"}


def _trusted_work_folder(work: Path) -> None:
    """Empty build/.html unless its pages were written, completely, by this toolchain: Sphinx
    only writes pages it knows to be out of date, and it knows nothing of a run that was
    killed or of a new version of gbstd."""
    digest = hashlib.sha256()
    buildstamp.toolchain(digest)
    toolchain = digest.hexdigest()
    try:
        trusted = not (work / UNFINISHED).exists() and (work / TOOLCHAIN).read_text() == toolchain
    except OSError:
        trusted = False
    if not trusted:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        (work / TOOLCHAIN).write_text(toolchain)
    (work / UNFINISHED).touch()


def build_pdf(root: Path, out: Path, args: argparse.Namespace) -> bool:
    """PDFs in GB layout: Sphinx writes LaTeX into build/.latex, latexmk (xelatex) makes each PDF.

    build/.latex is kept between builds: Sphinx writes only the .tex files whose content may
    have changed (``gbstd.sphinx.latex.LaTeXBuilder``), latexmk runs only for a document whose
    .tex or support files changed since its PDF was made or whose PDF is gone, and with
    ``--pdf`` Sphinx is not started at all when the .tex of every document asked for is
    current (``texstate.PDFS``). The PDFs reach build/pdf together, and only when every one of
    them built.
    """
    missing = [tool for tool in ("latexmk", "xelatex") if shutil.which(tool) is None]
    if missing:
        print(f"gbstd: 缺少 {'、'.join(missing)}，无法生成 PDF（运行 make system-deps 安装）",
              file=sys.stderr)
        return False
    only = [_pdf_docname(root, path) for path in args.pdf or []]
    if None in only:
        return False
    work, staging = out / ".latex", out / ".pdf.tmp"
    project = load(root)
    record_path = work / texstate.PDFS
    record = texstate.load(record_path)
    inputs = _latex_inputs(root, project.standards, args)
    asked = [texstate.target_name(d) for d in only]
    if only and inputs is not None and all(_tex_current(work, name, record.get(name), inputs) for name in asked):
        print(f"gbstd: 用 xelatex 构建 PDF：{'、'.join(only)}（LaTeX 源文件已是最新）")
        current = set(asked)
    else:
        # a draft's findings were reported by the HTML step (or are counted at the end)
        quiet = ["-D", "suppress_warnings=gbstd"] if args.draft else []
        command = ["-b", "latex", "-q", *_strict(args), *quiet,
                   *project.sphinx_config(), "-d", str(out / ".doctrees"),
                   "-D", f"gbstd_pdf_only={','.join(only)}", str(project.standards), str(work)]
        print(f"gbstd: 用 xelatex 构建 PDF：{'、'.join(only) if only else '全部文件'}")
        if _sphinx(command) != 0:
            print("gbstd: 有未解决的检查结果或无法写出 LaTeX 源文件；build/pdf 保持原样", file=sys.stderr)
            return False
        current = set(asked) or {texstate.target_name(d) for d in corpus_docnames(project.standards)}
        for stale in work.glob("*.tex"):       # a document deleted from the corpus
            if stale.stem not in current and not only:
                for leftover in work.glob(f"{stale.stem}.*"):
                    leftover.unlink()
                record.pop(stale.stem, None)
        for name in current:                  # current for these inputs (None: a draft's)
            entry = record.setdefault(name, {})
            entry.update(tex=texstate.digest(work / f"{name}.tex"), inputs=inputs)
            entry.pop("open", None)
        texstate.save(record_path, record)
    names = sorted(p.stem for p in work.glob("*.tex") if p.stem in current)
    support = texstate.support(work)
    typeset = {name: texstate.typeset_key(work, name, support) for name in names}
    todo = [name for name in names if record.get(name, {}).get("typeset") != typeset[name]
            or not (work / f"{name}.pdf").is_file()]
    preloaded = {}
    if todo:         # formats are made or checked only for what is typeset
        from ..writers import texformat
        preloaded = texformat.formats(work, todo)
    failures = []
    # one latexmk per document, one at a time per core; a line per document as it is typeset.
    # The longest first (by the size of its .tex): a long one started last would leave a core idle.
    longest_first = sorted(todo, key=lambda name: -(work / f"{name}.tex").stat().st_size)
    with ThreadPoolExecutor(max_workers=_cores()) as pool:
        jobs = {pool.submit(_latexmk, work, name, preloaded.get(name)): name for name in longest_first}
        for done, job in enumerate(as_completed(jobs), 1):
            failures += [job.result()] if job.result() else []
            print(f"gbstd: PDF {done}/{len(todo)} {jobs[job]}{'：失败' if job.result() else ''}", flush=True)
            if not job.result():
                record.setdefault(jobs[job], {})["typeset"] = typeset[jobs[job]]
    if todo:
        texstate.save(record_path, record)
    for failure in failures:
        print(failure, file=sys.stderr)
    if failures:
        print("gbstd: PDF 构建失败；build/pdf 保持原样", file=sys.stderr)
        return False
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    for name in names:
        shutil.copy2(work / f"{name}.pdf", staging / f"{name}.pdf")
    target = out / "pdf"
    if only:
        target.mkdir(exist_ok=True)
        for pdf in staging.iterdir():
            pdf.replace(target / pdf.name)
        staging.rmdir()
    else:
        replace_folder(staging, target)
    print(f"gbstd: {len(names)} 个 PDF 已写入 {shown(target)}")
    for path, name in zip(args.pdf or [], asked):
        print(_open_findings(root, path, record.get(name) if inputs is not None else None))
    if only and inputs is not None:
        texstate.save(record_path, record)
    return True


def _latex_inputs(root: Path, standards: Path, args: argparse.Namespace) -> str | None:
    """The fingerprint of everything a strict build's .tex files and open findings are made of:
    the sources, the project's configuration, the toolchain, the date Sphinx prints in a .tex;
    None for a draft, and when a comment round names a git revision (its findings depend on the
    repository, not only on these files)."""
    if args.draft:
        return None
    on_revision = []
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = f"epoch {epoch}" if epoch is not None else datetime.now(timezone.utc).date().isoformat()
    found = buildstamp.inputs(root, standards, {"latex": date}, lambda path, data: on_revision.append(path)
                              if path.suffix in (".yaml", ".yml") and b"draft_rev" in data else None)
    return None if on_revision else found


def _tex_current(work: Path, name: str, entry, inputs: str) -> bool:
    """Whether a document's .tex was left as it is by a strict build of exactly these inputs."""
    return (isinstance(entry, dict) and entry.get("inputs") == inputs
            and entry.get("tex") is not None and texstate.digest(work / f"{name}.tex") == entry["tex"])


def _sphinx(arguments: list[str]) -> int:
    """Run Sphinx in this process (the HTML and LaTeX steps share one start-up and one import
    of Sphinx); its messages name files relative to the current folder, in Chinese."""
    from sphinx.cmd.build import build_main
    messages = _SphinxMessages(sys.stderr)
    interrupted = []

    def interrupt(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    # Sphinx answers Ctrl-C with "Interrupted!" and a status; gbstd stops the whole build
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, interrupt) if in_main_thread else None
    try:
        with contextlib.redirect_stderr(messages):
            status = build_main(arguments)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
        messages.flush()
    if interrupted:
        raise KeyboardInterrupt
    return status


class _SphinxMessages(io.TextIOBase):
    """Sphinx's stderr, a line at a time, as gbstd prints findings and messages."""

    def __init__(self, target):
        self._target, self._partial, self._here = target, "", f"{Path.cwd().resolve()}{os.sep}"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        *lines, self._partial = (self._partial + text).split("\n")
        for line in lines:
            if line != "Interrupted!":      # Sphinx's answer to Ctrl-C: gbstd says 已中断 itself
                self._target.write(self._chinese(line) + "\n")
        return len(text)

    def flush(self) -> None:
        if self._partial:
            self._target.write(self._chinese(self._partial))
            self._partial = ""
        self._target.flush()

    def _chinese(self, line: str) -> str:
        line = GBSTD_WARNING.sub(r": \2 \1: \3", line.replace(self._here, ""))
        return line.replace(": WARNING: ", ": 警告：").replace(": ERROR: ", ": 错误：")


# a finding as gbstd.sphinx reports it, printed as gbstd check prints it: path:line: 错误 RULE: message
GBSTD_WARNING = re.compile(r": WARNING: ([A-Z]+-[0-9A-Z-]+)（(错误|警告|提示)）：(.*?) \[gbstd\.[^\]]+\]$", re.M)


def _strict(args: argparse.Namespace) -> list[str]:
    """Sphinx options: any warning (an open finding among them) fails the step, unless a draft."""
    return ["--keep-going"] if args.draft else ["-W", "--keep-going"]


def _open_findings(root: Path, path: str, entry: dict | None = None) -> str:
    """What ``gbstd check`` reports open for a document built with --pdf. ``entry``: the
    document's record of a strict build (``texstate.PDFS``), whose inputs are those of this
    build: the counts are kept there, and taken from there the next time."""
    counts = entry.get("open") if entry is not None else None
    if not (isinstance(counts, list) and len(counts) == 2):
        from ..check import check_paths
        from ..modelcache import open_cache
        findings, _ = check_paths([path], corpus_root=str(load(root).standards), cache=open_cache(root),
                                  models=False)
        found = Counter(f.severity for f in findings if not f.suppressed_by)
        counts = [found["error"], found["warning"]]
        if entry is not None:
            entry["open"] = counts
    return (f"gbstd: {path} 有 {counts[0]} 个错误、{counts[1]} 个警告未处理"
            f"（查看：gbstd check {path}）")


def open_in_corpus(root: Path, with_models: bool = False):
    """Unsuppressed errors and warnings in the corpus, as ``gbstd check`` reports them
    (and, ``with_models``, the models read to find them)."""
    from ..check import check_paths
    from ..modelcache import open_cache
    standards = str(load(root).standards)
    findings, docs = check_paths([standards], corpus_root=standards, cache=open_cache(root), models=with_models)
    found = [f for f in findings if not f.suppressed_by and f.severity in ("error", "warning")]
    return (found, docs) if with_models else found


def _pdf_docname(root: Path, path: str) -> str | None:
    """standards/<slug>/standard.md → <slug>/standard, or None (and a message) for other paths."""
    source = Path(path).resolve()
    standards = load(root).standards
    if source.is_file() and source.parent.parent == standards and source.stem in ("standard", "notes") \
            and source.suffix == ".md":
        return f"{source.parent.name}/{source.stem}"
    print(f"gbstd: --pdf {path}: 不是语料中的文件（应为 standards/<目录>/standard.md 或 notes.md）",
          file=sys.stderr)
    return None


def _latexmk(work: Path, name: str, fmt: Path | None) -> str:
    """Run latexmk for one document (xelatex from the format ``fmt``, if any); return "" or
    a message naming the first LaTeX errors.

    A failure is retried once from scratch and without the format: files a previous
    toolchain version left in build/.latex (.aux, .toc) can stop a run that is otherwise
    sound, and so could a format that does not stand for this preamble after all.
    """
    for attempt in range(2):
        if attempt:
            for leftover in work.glob(f"{name}.*"):
                if leftover.suffix != ".tex":
                    leftover.unlink()
        page_count_read = texrun.page_count_is_read(work, name, None if attempt else fmt)
        result = subprocess.run(texrun.latexmk_command(f"{name}.tex", None if attempt else fmt, page_count_read),
                                cwd=work,
                                capture_output=True, text=True, errors="replace", env=texrun.tex_environment())
        if result.returncode == 0 and (work / f"{name}.pdf").exists():
            return ""
    log = work / f"{name}.log"
    errors = texrun.latex_errors(log.read_text(errors="replace") if log.exists() else result.stdout)
    return (f"gbstd: PDF {name} 排版失败：\n    " + "\n    ".join(errors or ["（日志中没有错误行）"])
            + f"\n    日志：{log}")


# (name, function) in order; a step returns False on failure.
STEPS = [("html", build_html), ("pdf", build_pdf), ("schemas", build_schemas), ("docx", build_docx)]
# Steps that read the sources themselves, not the Sphinx steps' doctrees: with more than one
# core they run in a child process while the Sphinx steps (HTML, then LaTeX and xelatex) run.
READ_SOURCES_THEMSELVES = {"schemas", "docx"}
SPHINX_STEPS = {"html", "pdf"}


def run(args: argparse.Namespace) -> int:
    root = project_root()
    out = Path(args.out) if args.out else load(root).output
    out.mkdir(parents=True, exist_ok=True)
    recover_outputs(out)     # what an interrupted run left behind
    blocking = unreadable(load(root).standards)
    if blocking:
        from ..report import for_people
        for finding in blocking:
            print(for_people(finding).format(), file=sys.stderr)
        print("gbstd: 以上文件无法读取，构建停止；build/ 保持原样", file=sys.stderr)
        return 1
    wanted = {name for name, flag in (("pdf", args.pdf), ("docx", args.docx)) if flag} \
        or set(args.only or [name for name, _ in STEPS])
    steps = args.steps = [name for name, _ in STEPS if name in wanted]
    # a full strict build of unchanged sources with an unchanged toolchain is already in place
    stamped = not args.pdf and not args.draft
    fingerprint = buildstamp.inputs(root, load(root).standards, {"steps": steps}) if stamped else ""
    if stamped and not args.force and buildstamp.current(out, fingerprint, steps):
        print(f"gbstd: 源文件、项目配置和工具链自上次成功构建以来均未改变，{shown(out)} 已是最新"
              "（仍要重新构建：gbstd build --force）")
        return 0
    buildstamp.forget(out)
    failed = _run_steps([(name, step) for name, step in STEPS if name in wanted], root, out, args)
    if failed:
        print(f"gbstd: 构建失败的步骤：{'、'.join(failed)}", file=sys.stderr)
        return 1
    if stamped:
        buildstamp.record(out, fingerprint, steps)
    if args.draft and (found := open_in_corpus(root)):
        print(f"gbstd: 草稿构建：发布时含 {len(found)} 个未解决的检查结果，页面、PDF 和 Word 文件均标明"
              "“含未解决的检查结果”（查看：gbstd check）", file=sys.stderr)
    return 0


def _run_steps(steps: list, root: Path, out: Path, args: argparse.Namespace) -> list[str]:
    """Run every step (a failed one does not stop the others); return the names of the failed ones.

    Their messages come in the order of ``steps`` either way: a child's are printed when it ends.
    With more than one core, the schemas and Word steps run in a forked child from the start,
    and the PDF step in another from the moment the HTML step starts writing pages
    (``_PDFBesidePages``).
    """
    beside = _cores() > 1 and forked.available()
    names = [name for name, _ in steps]
    aside = [(name, step) for name, step in steps if name in READ_SOURCES_THEMSELVES]
    here = [(name, step) for name, step in steps if name not in READ_SOURCES_THEMSELVES]
    if not (aside and here and beside):
        aside, here = [], steps
    debug = getattr(args, "debug", False)
    if aside and any(name in SPHINX_STEPS for name, _ in here):
        # the reader and the rules, which the Sphinx steps load anyway: loaded once, before
        # the fork, the child has them too instead of loading them again
        from .. import rules
        from ..source import reader  # noqa: F401
        rules.load_all()
    child = forked.Forked(lambda: [name for name, step in aside if not step(root, out, args)], debug) \
        if aside else None
    typesetting = None
    try:
        failed = []
        for name, step in here:
            if name == "pdf" and typesetting is not None and typesetting.started:
                failed += typesetting.result()
                continue
            early = name == "html" and "pdf" in names and beside and not getattr(args, "draft", False)
            if early:
                typesetting = _PDFBesidePages(dict(steps)["pdf"], root, out, args, debug)
            try:
                ok = step(root, out, args)
            except forked.Unwinding as child_of_this_step:   # here only in the PDF step's child
                child_of_this_step.run()
            finally:
                if early:
                    typesetting.pages_written()
            failed += [] if ok else [name]
        return failed + (child.result() if child else [])
    finally:
        if typesetting is not None:
            typesetting.stop()
        if child is not None:
            child.stop()


class _PDFBesidePages:
    """The PDF step in a forked child, started when the HTML step's Sphinx has read, checked and
    saved the environment and starts writing pages (``gbstd.sphinx.when_html_writing``): the
    child leaves the HTML step there (``forked.Unwinding``) and runs the PDF step — its own Sphinx
    with the LaTeX builder loads that environment, writes the .tex that changed, then latexmk —
    on the second core while the parent writes the pages. The result is a sequential build's:
    the LaTeX step sees the files a LaTeX step after the HTML step would see (the HTML step
    writes nothing its reads), and should its Sphinx have documents to read (it then writes
    their doctrees, which the parent loads to write pages), it waits until the pages are written
    (``gbstd.sphinx.before_reading``). When the HTML step's Sphinx does not get as far as
    writing, the PDF step runs after it, in this process, as before."""

    def __init__(self, step, root: Path, out: Path, args: argparse.Namespace, debug: bool):
        from .. import sphinx as extension       # Sphinx is imported by the HTML step anyway
        self._extension, self._child = extension, None
        self._done_reading, self._pages_done = os.pipe()    # EOF: the parent's pages are written
        self._work = lambda: self._typeset(step, root, out, args)
        self._debug = debug
        extension.when_html_writing.append(self._start)

    @property
    def started(self) -> bool:
        return self._child is not None

    def _start(self) -> None:
        self._child = forked.Forked(self._work, self._debug, unwind=True)

    def _typeset(self, step, root: Path, out: Path, args: argparse.Namespace) -> list[str]:
        os.close(self._pages_done)               # the parent's end: EOF once it closes its own
        self._extension.before_reading.append(lambda: os.read(self._done_reading, 1))
        return [] if step(root, out, args) else ["pdf"]

    def pages_written(self) -> None:
        """The HTML step is over (whatever its outcome): a waiting child may read now."""
        if self._start in self._extension.when_html_writing:
            self._extension.when_html_writing.remove(self._start)
        if self._pages_done is not None:
            os.close(self._pages_done)
            self._pages_done = None

    def result(self) -> list[str]:
        return self._child.result()

    def stop(self) -> None:
        self.pages_written()
        if self._done_reading is not None:
            os.close(self._done_reading)
            self._done_reading = None
        if self._child is not None:
            self._child.stop()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("build", help="检查并构建语料：HTML、PDF、评分模式、Word 文件到 build/")
    parser.add_argument("--out", help="输出目录（默认：项目文件中的 output，即 build/）")
    parser.add_argument("--only", action="append", choices=[name for name, _ in STEPS],
                        help="只构建某一项（可重复）")
    parser.add_argument("--pdf", action="append", metavar="PATH",
                        help="只生成这一文件的 PDF，例如 standards/gbt-36132/standard.md（可重复）")
    parser.add_argument("--docx", action="store_true",
                        help="只生成 Word 文件：每个标准和编制说明一个 .docx，写入 build/docx/")
    parser.add_argument("--draft", action="store_true",
                        help="草稿：有未解决的检查结果也发布，页面页眉、PDF 和 Word 文件的封面标明“含未解决的检查结果”")
    parser.add_argument("--force", action="store_true",
                        help="即使源文件和工具链自上次成功构建以来都没有改变，也重新构建")
    parser.set_defaults(func=run)
