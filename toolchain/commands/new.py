"""gbstd new: scaffold a new standard or explanatory note from templates/scaffold/."""
from __future__ import annotations

import argparse
import datetime
import re
import sys

from pathlib import Path

import jinja2
import yaml

from ..findings import SourceError
from ..source.metadata import SLUG, parse
from ..paths import TEMPLATES, shown
from ..project import DRAFTING_RULES, current

CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
SUFFIX = re.compile(r"(评价)?(技术规范|规范|通则|导则|要求|标准|指南)$")


def run(args: argparse.Namespace) -> int:
    if not SLUG.match(args.slug):
        print(f"gbstd new: “{args.slug[:80]}” 不能作为目录名：只用小写字母、数字和 -（至多 64 个字符），"
              "例如 green-logistics", file=sys.stderr)
        return 2
    bad = next((name for name, value in vars(args).items()
                if isinstance(value, str) and CONTROL.search(value)), None)
    if bad:
        print(f"gbstd new: --{bad.replace('_', '-')} 中有换行或控制字符：每项只写一行文字", file=sys.stderr)
        return 2
    project = current()
    folder = project.standards / args.slug
    target = folder / ("notes.md" if args.kind == "notes" else "standard.md")
    if target.exists():
        print(f"gbstd new: {shown(target)} 已存在，未作改动", file=sys.stderr)
        return 2
    title = args.title or _standard_title(folder)
    if not title:
        print("gbstd new: 请用 --title 给出标准名称（该目录中还没有 standard.md 可以取名称）", file=sys.stderr)
        return 2
    text = scaffold(args.kind, args.slug, title, project.drafting_rules, title_en=args.title_en,
                    subject=args.subject, designation=args.designation, family=args.family,
                    issuer=args.issuer, proposer=args.proposer, owner=args.owner)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"gbstd new: 已创建 {shown(target)}；运行 gbstd check {shown(target)} 检查")
    return 0


def scaffold(kind: str, slug: str, title: str, drafting_rules: str, *, title_en: str = "",
             subject: str | None = None, designation: str = "T/XXXX XXX—XXXX", family: str = "group",
             issuer: str = "（发布机构）", proposer: str | None = None, owner: str | None = None) -> str:
    """The text of a new standard or explanatory note (templates/scaffold/)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / "scaffold")),
                             keep_trailing_newline=True)
    env.filters["yaml"] = yaml_scalar
    return env.get_template(f"{kind}.md.j2").render(
        slug=slug, title=title, title_en=title_en, subject=subject or subject_of(title),
        designation=designation, family=family,
        drafting_rules=drafting_rules, drafting_rules_title=DRAFTING_RULES[drafting_rules],
        issuer=issuer, proposer=proposer or issuer, owner=owner or issuer,
        date=datetime.date.today().strftime("%Y-%m"))


def yaml_scalar(value) -> str:
    """A front-matter value, quoted by the YAML dumper: “: ”, “#”, “[” and quotes stay text."""
    return yaml.safe_dump(str(value), default_style='"', allow_unicode=True, width=float("inf")).strip()


def subject_of(title: str) -> str:
    """What a standard evaluates, for its scope sentence: 某某产品绿色设计评价规范 → 某某产品绿色设计;
    in a title of several elements (引导　主体　补充) the last element names the subject."""
    last = title.split("\u3000")[-1].strip() or title
    return SUFFIX.sub("", last) or last


def _standard_title(folder: Path) -> str:
    """The title of the standard already in ``folder`` (for its notes), or ""."""
    try:
        meta, _ = parse((folder / "standard.md").read_text(encoding="utf-8"), str(folder / "standard.md"))
    except (OSError, SourceError):
        return ""
    return meta.title


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("new", help="按模板新建标准或编制说明")
    parser.add_argument("kind", choices=("standard", "notes"), help="standard：标准；notes：编制说明")
    parser.add_argument("slug", help="目录名（文件的稳定标识），如 green-logistics")
    parser.add_argument("--title", help="标准名称（新建编制说明时默认取同目录标准的名称）")
    parser.add_argument("--title-en", default="", help="英文名称")
    parser.add_argument("--subject", help="评价对象（用于范围等句子），默认同标准名称")
    parser.add_argument("--designation", default="T/XXXX XXX—XXXX", help="编号，草案可用 XXXX 占位")
    parser.add_argument("--family", default="group", choices=("national", "industry", "local", "group"),
                        help="national：国家标准；industry：行业标准；local：地方标准；group：团体标准（默认）")
    parser.add_argument("--issuer", default="（发布机构）", help="发布机构")
    parser.add_argument("--proposer", help="提出单位，默认同发布机构")
    parser.add_argument("--owner", help="归口单位，默认同发布机构")
    parser.set_defaults(func=run)
