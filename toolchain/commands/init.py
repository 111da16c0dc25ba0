"""gbstd init: a new standards project — project file, an example standard and its notes, CI.

Exit codes: 0 created, 2 not created (the folder already holds a project or one of the files).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jinja2

from .. import __version__
from ..paths import TEMPLATES, shown
from ..project import DEFAULTS, DRAFTING_RULES, PROJECT_FILE
from .new import scaffold

EXAMPLE = "example"
EXAMPLE_TITLE = "示例产品绿色设计评价规范"
CI_FILES = {"github": (".github/workflows/gbstd.yml", "github-workflow.yml.j2"),
            "gitlab": (".gitlab-ci.yml", "gitlab-ci.yml.j2")}


def project_files(title: str, drafting_rules: str, ci: str) -> dict[str, str]:
    """Relative path → text of every file a new project gets."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES / "project")),
                             keep_trailing_newline=True)
    values = {"title": title, "drafting_rules": drafting_rules, "output": DEFAULTS["output"],
              "version": __version__}
    files = {PROJECT_FILE: env.get_template("gbstd.toml.j2").render(values),
             ".gitignore": env.get_template("gitignore.j2").render(values),
             "standards/index.md": env.get_template("index.md.j2").render(values)}
    for kind in ("standard", "notes"):
        files[f"standards/{EXAMPLE}/{kind}.md"] = scaffold(kind, EXAMPLE, EXAMPLE_TITLE, drafting_rules,
                                                          issuer="（示例协会）")
    if ci != "none":
        path, template = CI_FILES[ci]
        files[path] = env.get_template(template).render(values)
    return files


def run(args: argparse.Namespace) -> int:
    folder = Path(args.dir)
    files = project_files(args.title, args.drafting_rules, args.ci)
    if folder.exists() and not folder.is_dir():
        print(f"gbstd init: {shown(folder)} 是文件，不是目录；未作改动", file=sys.stderr)
        return 2
    taken = [path for path in files if (folder / path).exists()]
    if taken:
        print(f"gbstd init: {shown(folder)} 中已有 {'、'.join(taken)}，未作改动"
              "（在已有项目中新建文件用 gbstd new）", file=sys.stderr)
        return 2
    try:
        for path, text in files.items():
            (folder / path).parent.mkdir(parents=True, exist_ok=True)
            (folder / path).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"gbstd init: 无法写入 {shown(folder)}：{error.strerror}", file=sys.stderr)
        return 2
    where = shown(folder)
    print(f"gbstd init: 已在 {where} 新建标准项目：{PROJECT_FILE}、示例标准 standards/{EXAMPLE}/"
          f"（standard.md、notes.md）、.gitignore" + (f"、{CI_FILES[args.ci][0]}" if args.ci != "none" else ""))
    print(f"下一步：cd {where} && gbstd check && gbstd build")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "init", help="新建标准项目（项目文件、示例标准及其编制说明、CI 配置）",
        description="在目录 DIR 中新建标准项目：gbstd.toml（项目文件）、standards/（含一份示例标准及其编制说明，"
                    "检查无误、可直接构建）、.gitignore 和 CI 配置（运行 gbstd check --format sarif 并上传检查结果）。"
                    "退出码：0 已创建；2 未创建（目录中已有项目或同名文件）。")
    parser.add_argument("dir", metavar="DIR", help="项目目录（不存在时新建）")
    parser.add_argument("--title", default=DEFAULTS["title"], help="网站标题（默认“标准文件库”）")
    parser.add_argument("--drafting-rules", default=DEFAULTS["drafting_rules"], choices=list(DRAFTING_RULES),
                        help="新建文件采用的起草规则（默认 GB/T 1.1—2020）")
    parser.add_argument("--ci", choices=("github", "gitlab", "none"), default="github",
                        help="CI 配置：github（GitHub Actions，默认）、gitlab（GitLab CI）或 none")
    parser.set_defaults(func=run)
