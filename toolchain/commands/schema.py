"""gbstd schema: the scoring schema of a standard's indicator table, outside a full build.

Also the ``schemas`` step of ``gbstd build``: build/schemas/<slug>-<table id>.json
for every indicator table of the corpus, its conformance vectors
(<slug>-<table id>.vectors.json, gbstd.scoring.vectors), plus index.json.
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from pathlib import Path

from ..source import reader
from ..files import replace_folder, write_text
from ..findings import Finding, SourceError
from ..model import Document
from ..paths import shown
from ..report import for_people
from ..project import find_root, load
from ..scoring import published, vectors, writer


def _report(findings: list[Finding]) -> None:
    for finding in findings:
        print(for_people(finding).format(), file=sys.stderr)


def _schemas(path: Path, root: Path, known: dict[Path, Document] | None = None) -> list[dict] | None:
    """The checked schemas of one source file; None (after reporting why) when it has errors.

    ``known`` holds models already read (resolved path → model): they are not parsed again.
    """
    try:
        doc = (known or {}).get(path.resolve()) or reader.read(path)
        schemas, warnings = writer.checked_schemas(doc, root, known)
    except SourceError as error:
        _report([error.as_finding(), *error.extra])
        return None
    _report(warnings)
    return schemas


def build_schemas(root: Path, out: Path, args: argparse.Namespace) -> bool:
    staging = out / ".schemas.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    standards = load(root).standards
    print(f"gbstd: 由 {shown(standards)} 生成评分模式")
    from .build import open_in_corpus   # the same gate as the HTML and PDF steps
    found, docs = open_in_corpus(root, with_models=True)
    known = {Path(doc.path).resolve(): doc for doc in docs}   # read once, for the gate and the schemas
    if found and not getattr(args, "draft", False):
        _report(found)
        shutil.rmtree(staging, ignore_errors=True)
        print(f"gbstd: 有 {len(found)} 个未解决的检查结果，评分模式未写入；build/schemas 保持原样"
              "（草稿可用 gbstd build --draft）", file=sys.stderr)
        return False
    index, failed = [], False
    for source in sorted(standards.glob("*/standard.md")):
        schemas = _schemas(source, root, known)
        if schemas is None:
            failed = True
            continue
        for schema in schemas:
            name = writer.file_name(schema["standard"]["slug"], schema["id"])
            text = published.dumps(schema)
            (staging / name).write_text(text, encoding="utf-8")
            vector_file = name.removesuffix(".json") + ".vectors.json"
            (staging / vector_file).write_text(vectors.dumps(vectors.document(schema, name)), encoding="utf-8")
            index.append({"file": name, "vectors": vector_file, "id": schema["id"], "slug": schema["standard"]["slug"],
                          "designation": schema["standard"]["designation"],
                          "title": schema["standard"]["title"], "table": schema["table"]["number"],
                          "caption": schema["table"]["caption"],
                          "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()})
    if failed:
        shutil.rmtree(staging, ignore_errors=True)
        print("gbstd: 评分模式未写入；build/schemas 保持原样", file=sys.stderr)
        return False
    draft = {"open_findings": len(found)} if found else {}   # a draft says so
    (staging / "index.json").write_text(published.dumps({
        "schema_version": published.VERSIONS["scoring-schema"], "generator": dict(published.GENERATOR),
        **draft, "schemas": sorted(index, key=lambda entry: entry["file"])}), encoding="utf-8")
    replace_folder(staging, out / "schemas")
    print(f"gbstd: {len(index)} 个评分模式已写入 {shown(out / 'schemas')}")
    return True


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        print(f"gbstd schema: 找不到文件：{path}", file=sys.stderr)
        return 2
    schemas = _schemas(path, find_root(path.resolve().parent))   # a file outside any project: no root
    if schemas is None:
        return 1
    if args.table:
        schemas = [s for s in schemas if args.table in (s["id"], s["table"]["number"])]
    if len(schemas) != 1:
        tables = "、".join(f"{s['table']['number']}（{s['id']}）" for s in schemas) or "无"
        reason = "没有这个指标表" if args.table else f"文件中有 {len(schemas)} 个指标表"
        print(f"gbstd schema: {path}: {reason}（{tables}）；用 --table 选择一个", file=sys.stderr)
        return 2
    text = vectors.dumps(vectors.document(schemas[0])) if args.vectors else published.dumps(schemas[0])
    if args.output:
        write_text(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("schema", help="由标准的指标表生成评分模式（JSON）")
    parser.add_argument("path", help="标准源文件，如 standards/green-enterprise/standard.md")
    parser.add_argument("--table", help="指标表的 id 或编号（文件中有多个指标表时）")
    parser.add_argument("--vectors", action="store_true",
                        help="输出一致性测试向量（评估输入及参考评分器给出的结论），而不是评分模式")
    parser.add_argument("-o", "--output", help="写入文件（默认标准输出）")
    parser.set_defaults(func=run)
