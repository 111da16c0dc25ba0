"""gbstd import: a Word draft (.docx) → standards/<slug>/standard.md (+ images/)."""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ..files import write_text, replace_atomically
from ..findings import SourceError
from ..importers.docx import import_docx
from ..paths import shown
from ..project import current

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def run(args: argparse.Namespace) -> int:
    source = Path(args.file)
    if not source.is_file():
        print(_located(SourceError(str(source), 1, "FILE-002", "找不到文件", "检查路径是否正确")), file=sys.stderr)
        return 2
    if args.output:
        target = Path(args.output)
    else:
        slug = source.stem.lower().replace("_", "-").replace(" ", "-")
        if not SLUG.match(slug):
            print(f"gbstd import: 无法从文件名 “{source.name}” 得出目录名，请用 -o 指定输出，"
                  f"例如 -o standards/green-logistics/standard.md", file=sys.stderr)
            return 2
        target = current().standards / slug / "standard.md"
    if target.exists() and not args.force:
        print(f"gbstd import: {shown(target)} 已存在，未作改动；确需覆盖时加 --force", file=sys.stderr)
        return 2
    slug = target.parent.name if SLUG.match(target.parent.name) else ""
    try:
        explains = slug if slug and (target.parent / "standard.md").exists() and target.name != "standard.md" else ""
        result = import_docx(str(source), slug=slug, image_dir=args.images, explains=explains)
    except SourceError as exc:
        print(_located(exc), file=sys.stderr)
        return 2
    clashes = [p for p in result.images if (target.parent / p).exists()]
    if clashes and not args.force:
        print(f"gbstd import: 图片 {shown(target.parent / clashes[0])} 已存在，未作改动；确需覆盖时加 --force",
              file=sys.stderr)
        return 2
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for relative, data in result.images.items():
            image = target.parent / relative
            image.parent.mkdir(parents=True, exist_ok=True)
            replace_atomically(image, lambda tmp, data=data: tmp.write_bytes(data))
        write_text(target, result.markdown)
    except SourceError as exc:
        print(_located(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        print(_located(SourceError(str(target), 1, "FILE-003", f"无法写入输出：{exc.strerror}",
                                   "检查输出目录是否可写")), file=sys.stderr)
        return 2
    sys.stdout.write(result.summary())
    print(f"已写入 {shown(target)}" + (f"（图片 {len(result.images)} 幅在 {shown(target.parent / args.images)}）"
                                       if result.images else "") + f"；运行 gbstd check {shown(target)} 检查")
    return 0


def _located(exc: SourceError) -> str:
    return exc.as_finding().format()


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("import", help="把 Word 草案（.docx）导入为源文件")
    parser.add_argument("file", help="Word 文件（.docx）")
    parser.add_argument("-o", "--output", help="输出的源文件，默认 standards/<文件名>/standard.md")
    parser.add_argument("--images", default="images", help="图片目录（相对于输出文件），默认 images")
    parser.add_argument("--force", action="store_true", help="覆盖已存在的输出文件")
    parser.set_defaults(func=run)
