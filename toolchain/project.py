"""Standards projects: a folder with a project file, ``gbstd.toml``, found like git finds its root.

The project file says where the corpus is, where outputs go, the site's title and
language, and the drafting rules new documents follow::

    [project]
    title = "标准文件库"
    language = "zh_CN"
    standards = "standards"
    output = "build"
    drafting_rules = "GB/T 1.1—2020"

Every key is optional. A command finds the project by walking up from the current
folder to the first folder holding ``gbstd.toml``; ``gbstd --project DIR`` names it.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

PROJECT_FILE = "gbstd.toml"
DRAFTING_RULES = {
    "GB/T 1.1—2020": "标准化工作导则　第1部分：标准化文件的结构和起草规则",
    "GB/T 1.1—2009": "标准化工作导则　第1部分：标准的结构和编写",
}
KEYS = {"title": str, "language": str, "standards": str, "output": str, "drafting_rules": str}
DEFAULTS = {"title": "标准文件库", "language": "zh_CN", "standards": "standards", "output": "build",
            "drafting_rules": "GB/T 1.1—2020"}

# set by the command line from --project
override: Path | None = None


class ProjectError(Exception):
    """No project here, or a project file that cannot be used: one line for people."""


@dataclass(frozen=True)
class Project:
    root: Path
    title: str
    language: str
    standards: Path
    output: Path
    drafting_rules: str

    @property
    def conf_py(self) -> Path | None:
        """The project's own Sphinx conf.py, if it has one (it needs none)."""
        path = self.root / "conf.py"
        return path if path.is_file() else None

    def sphinx_config(self) -> list[str]:
        """sphinx-build options for the project's configuration.

        A project with its own conf.py uses it; otherwise Sphinx runs without one (-C)
        and the gbstd.sphinx extension supplies every default; the project file gives
        the title and the language.
        """
        if self.conf_py:
            return ["-c", str(self.root)]
        return ["-C", "-D", "extensions=gbstd.sphinx", "-D", f"project={self.title}",
                "-D", f"html_title={self.title}", "-D", f"language={self.language}"]


def find_root(start: Path | None = None) -> Path | None:
    """The nearest folder from ``start`` (default: the current folder) upwards holding gbstd.toml."""
    start = (start or Path.cwd()).resolve()
    for folder in [start, *start.parents]:
        if (folder / PROJECT_FILE).is_file():
            return folder
    return None


def not_found_message() -> str:
    return (f"gbstd: 当前目录不在标准项目中（向上找不到 {PROJECT_FILE}）；"
            "新建项目：gbstd init 目录名，或用 gbstd --project 目录 指定项目")


def root(start: Path | None = None) -> Path:
    """The project's root: --project, else found upwards from ``start``; ProjectError if none."""
    if override is not None and start is None:
        if not (override / PROJECT_FILE).is_file():
            raise ProjectError(f"gbstd: --project {override}: 该目录中没有 {PROJECT_FILE}"
                               f"（新建项目：gbstd init {override}）")
        return override.resolve()
    found = find_root(start)
    if found is None:
        raise ProjectError(not_found_message())
    return found


def load(folder: Path) -> Project:
    """Read ``folder/gbstd.toml`` (none: the defaults); a bad file is a ProjectError naming the line."""
    path = folder / PROJECT_FILE
    if not path.exists():
        return _project(folder, DEFAULTS)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise ProjectError(f"{path}: 无法读取项目文件（{error.strerror}）") from None
    except UnicodeDecodeError:
        raise ProjectError(f"{path}:1: 项目文件不是 UTF-8 编码；请另存为 UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_of(str(error))
        raise ProjectError(f"{path}:{line}: 项目文件不是有效的 TOML（{error}）；"
                           "键值写作 standards = \"standards\"") from None
    unknown = sorted(set(data) - {"project"})
    values = data.get("project", {})
    if unknown or not isinstance(values, dict):
        raise ProjectError(f"{path}: 项目文件只有 [project] 一节，未知的节：{'、'.join(unknown) or 'project'}")
    for key, value in values.items():
        if key not in KEYS:
            raise ProjectError(f"{path}: [project] 中未知的键 “{key}”；可用的键：{'、'.join(KEYS)}")
        if not isinstance(value, KEYS[key]) or not value.strip():
            raise ProjectError(f"{path}: [project] {key} 应为非空文本，例如 {key} = \"{DEFAULTS[key]}\"")
    merged = {**DEFAULTS, **values}
    if merged["drafting_rules"] not in DRAFTING_RULES:
        raise ProjectError(f"{path}: drafting_rules 应为 {' 或 '.join(DRAFTING_RULES)}，"
                           f"实际为 “{merged['drafting_rules']}”")
    return _project(folder, merged)


def _project(folder: Path, values: dict) -> Project:
    folder = folder.resolve()
    return Project(root=folder, title=values["title"], language=values["language"],
                   standards=folder / values["standards"], output=folder / values["output"],
                   drafting_rules=values["drafting_rules"])


def current(start: Path | None = None) -> Project:
    return load(root(start))


def _line_of(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match[1]) if match else 1
