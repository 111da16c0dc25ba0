"""gbstd export: one source file as another format; and the Word step of ``gbstd build``.

    gbstd export docx standards/gbt-36132/standard.md [-o 征求意见稿.docx]
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

from .. import buildstamp, texstate
from ..check import check_paths
from ..files import replace_folder
from ..findings import SourceError
from ..modelcache import source_key
from ..paths import shown
from ..project import load
from ..report import for_people
from ..sources import corpus_docnames
from ..source import reader
from ..writers import docx

FORMATS = ("docx",)


def _source_error(path: str, message: str, hint: str) -> SourceError:
    return SourceError(path, 1, "DOCX-001", message, hint)


def export_docx(source: str, output: str | None, draft: bool = False) -> Path:
    """Read ``source`` and write it as .docx; returns the file written. SourceError on bad input.
    ``draft``: a file with open findings says so on its cover and pages (as ``gbstd build --draft``)."""
    path = Path(source)
    if path.is_dir():
        raise _source_error(source, "这是一个目录，不是源文件", "给出 standard.md 或 notes.md 的路径")
    if path.suffix.lower() != ".md":
        raise _source_error(source, f"不是 Markdown 源文件（{path.suffix or '无扩展名'}）",
                            "导出的对象是 standards/<目录>/standard.md 或 notes.md；导入 Word 文件用 gbstd import")
    if output and Path(output).suffix.lower() != ".docx":
        raise _source_error(output, "输出文件应以 .docx 结尾", "例如 -o 征求意见稿.docx")
    doc, doctree = reader.parse(path)
    target = Path(output) if output else Path(docx.target_name(doc))
    docx.write(doc, target, doctree, open_count(check_paths([source])[0]) if draft else 0)
    return target


def open_count(findings) -> int:
    """How many findings are open (errors and warnings not suppressed): the number a draft prints."""
    return sum(1 for f in findings if not f.suppressed_by and f.severity in ("error", "warning"))


def run(args: argparse.Namespace) -> int:
    try:
        target = export_docx(args.source, args.output, args.draft)
    except SourceError as error:
        print(error.as_finding().format(), file=sys.stderr)
        print("gbstd export: 未写出任何文件", file=sys.stderr)
        return 2
    findings, _ = check_paths([args.source])
    counts = Counter(f.severity for f in findings if not f.suppressed_by)
    print(f"gbstd export: 写入 {target}")
    if counts["error"] or counts["warning"]:
        print(f"gbstd export: {args.source} 有 {counts['error']} 个错误、{counts['warning']} 个警告未处理"
              f"（查看：gbstd check {args.source}）")
    return 0


def build_docx(root: Path, out: Path, args: argparse.Namespace) -> bool:
    """Step of ``gbstd build``: one .docx per standard and note into build/docx, all or none.

    A document's Word file is written again only when what it is made from changed (its
    source, the files beside it, its count of open findings for a draft's marks, the
    toolchain: ``_made_from``); an unchanged one is taken over from the previous build's
    folder as it is (same file). The record of what each file was made from is
    ``<output>/.gbstd-docx.json``; a file no longer as recorded is written again."""
    from .build import open_in_corpus   # the same gate as the HTML, PDF and schemas steps
    found = open_in_corpus(root)
    if found and not getattr(args, "draft", False):
        for finding in found:
            print(for_people(finding).format(), file=sys.stderr)
        print(f"gbstd: 有 {len(found)} 个未解决的检查结果，Word 文件未写入；build/docx 保持原样"
              "（草稿可用 gbstd build --draft）", file=sys.stderr)
        return False
    standards = load(root).standards
    staging, target = out / ".docx.tmp", out / "docx"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    names = corpus_docnames(standards)
    print(f"gbstd: 生成 Word 文件（{len(names)} 个）")
    open_by_file = Counter(Path(f.path).resolve() for f in found)   # a draft's marks
    record_path = out / DOCX_RECORD
    before, record, tools = texstate.load(record_path), {}, _tools()
    for name in names:
        source = standards / f"{name}.md"
        file_name = f"{texstate.target_name(name)}.docx"
        try:
            made_from = _made_from(tools, source, open_by_file[source.resolve()])
        except OSError:
            made_from = None          # the reader reports it below
        kept = before.get(file_name)
        if made_from is not None and isinstance(kept, dict) and kept.get("made_from") == made_from \
                and _take_over(target / file_name, kept.get("docx"), staging / file_name):
            record[file_name] = kept
            continue
        try:
            doc, doctree = reader.parse(source)
            docx.write(doc, staging / file_name, doctree, open_by_file[source.resolve()])
        except SourceError as error:
            print(error.as_finding().format(), file=sys.stderr)
            shutil.rmtree(staging, ignore_errors=True)
            print("gbstd: Word 文件生成失败；build/docx 保持原样", file=sys.stderr)
            return False
        if made_from is not None:
            record[file_name] = {"made_from": made_from, "docx": texstate.digest(staging / file_name)}
    replace_folder(staging, target)
    texstate.save(record_path, record)
    print(f"gbstd: {len(names)} 个 Word 文件已写入 {shown(target)}")
    return True


DOCX_RECORD = ".gbstd-docx.json"
# what a Word file is made with besides gbstd itself (buildstamp.toolchain has the rest)
DOCX_TOOLS = ("docx", "lxml", "pypandoc")      # python-docx, lxml, pypandoc-binary (pandoc's wheel)


def _tools() -> bytes:
    """A digest of the toolchain a Word file is made with: gbstd and the libraries it writes with."""
    digest = hashlib.sha256(b"docx 1\0")
    buildstamp.toolchain(digest)
    buildstamp.versions(digest, DOCX_TOOLS)
    return digest.digest()


def _made_from(tools: bytes, source: Path, open_findings: int) -> str:
    """What the Word file of ``source`` is made from: the reader reads only that file and
    looks at the files beside it; those that are not other documents (.md) count by their
    bytes (an image replaced under the same name is another figure); the writer adds the
    count of open findings of a draft."""
    digest = hashlib.sha256(source_key(tools, source, source.read_bytes()))
    folder = source.resolve().parent
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"):
        digest.update(f"{path.relative_to(folder)}\0{texstate.digest(path)}\n".encode("utf-8", "surrogateescape"))
    digest.update(f"\0{open_findings}".encode())
    return digest.hexdigest()


def _take_over(previous: Path, recorded: str | None, staging: Path) -> bool:
    """Put the previous build's Word file into the staging folder, the same file (a hard
    link), if it is still as it was written; False when it is not (or cannot be linked)."""
    if recorded is None or texstate.digest(previous) != recorded:
        return False
    try:
        os.link(previous, staging)
    except OSError:
        try:
            shutil.copy2(previous, staging)
        except OSError:
            return False
    return True


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="把一个源文件导出为其他格式（Word .docx）")
    parser.add_argument("format", choices=FORMATS, help="输出格式：docx（GB/T 1.1 版式的 Word 文件）")
    parser.add_argument("source", help="源文件，例如 standards/gbt-36132/standard.md")
    parser.add_argument("-o", "--output",
                        help="输出 .docx（默认：<目录名>-standard.docx 或 -notes.docx，写在当前目录）")
    parser.add_argument("--draft", action="store_true",
                        help="草稿：有未解决的检查结果时，在封面和每页页眉标明“含未解决的检查结果（N 条）”")
    parser.set_defaults(func=run)
