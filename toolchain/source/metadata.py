"""Front matter: split it from the body, check its keys and types, build Metadata."""
from __future__ import annotations

import re

from . import yamlsafe
from ..findings import SourceError
from ..model import Metadata, Suppression

# key -> expected type: str, bool, list (of str), dict (str -> str), "suppress"
FIELDS: dict[str, object] = {
    "kind": str, "designation": str, "family": str, "title": str, "title_en": str,
    "stage": str, "ics": str, "ccs": str, "issued": str, "implemented": str,
    "issuer": list, "proposer": str, "owner": str, "drafting_units": list,
    "drafters": list, "drafting_rules": str, "replaces": list, "parent": str,
    "explains": str, "provenance": str, "drafting_group": str, "date": str,
    "gaps": dict, "suppress": "suppress", "percent_space": bool,
}
KINDS = ("standard", "notes")
FAMILIES = ("national", "industry", "local", "group")
STAGES = ("征求意见稿", "送审稿", "报批稿", "发布稿")
DRAFTING_RULES = ("GB/T 1.1—2020", "GB/T 1.1—2009")
DATE = re.compile(r"^(\d{4}-\d{2}-\d{2}|XXXX-XX-XX)$")


def split_front_matter(text: str, path: str) -> tuple[str, int, str]:
    """Return (yaml text, first yaml line, body with front matter blanked).

    The body keeps one empty line per front matter line so that line numbers
    in the body are the file's line numbers.
    """
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise SourceError(path, 1, "META-001", "文件缺少 YAML 前置元数据（front matter）",
                          "在第一行写 ---，随后写元数据，再以 --- 结束")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            yaml_text = "\n".join(lines[1:index])
            body = "\n" * (index + 1) + "\n".join(lines[index + 1:])
            return yaml_text, 2, body
    raise SourceError(path, 1, "META-001", "前置元数据没有结束的 --- 行",
                      "在元数据之后单独一行写 ---")


def parse(text: str, path: str) -> tuple[Metadata, str]:
    """Parse the front matter of a source file; return the metadata and the body."""
    yaml_text, first_line, body = split_front_matter(text, path)
    data = yamlsafe.load(yaml_text, path, first_line, "前置元数据") or {}
    if not isinstance(data, dict):
        raise SourceError(path, first_line, "META-002", "前置元数据应是“键: 值”的映射",
                          "每行写一个键，例如 title: 绿色工厂评价通则")
    return build(data, path), body


def build(data: dict, path: str) -> Metadata:
    """Metadata from the front matter mapping.

    A bad key or value does not stop the reading: it is recorded in
    ``meta.problems`` (reported with the document's other findings) and the
    field keeps its default, so the rest of the document is still checked.
    """
    lines = dict(getattr(data, "lines", {}))
    meta = Metadata(lines=lines)
    for key, value in data.items():
        line = lines.get(key, 1)
        expected = FIELDS.get(key)
        if expected is None:
            close = _closest(key)
            meta.problems.append(SourceError(
                path, line, "META-003", f"未知的元数据键 “{key}”",
                f"是否想写 “{close}”？" if close else "可用的键见 docs/authoring.md").as_finding())
            continue
        if value is None:
            continue
        try:
            setattr(meta, key, _coerce(key, value, expected, path, line))
        except SourceError as error:
            meta.problems.append(error.as_finding())
    _check_values(meta, path)
    return meta


def _coerce(key: str, value, expected, path: str, line: int):
    if expected is str:
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value)
        raise SourceError(path, line, "META-004", f"元数据 “{key}” 应为文本，实际为 {_type(value)}",
                          f"写成 {key}: 文本")
    if expected is bool:
        if isinstance(value, bool):
            return value
        raise SourceError(path, line, "META-004", f"元数据 “{key}” 应为 true 或 false，实际为 {_type(value)}",
                          f"写成 {key}: true 或 {key}: false")
    if expected is list:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return [str(v) for v in value]
        raise SourceError(path, line, "META-004", f"元数据 “{key}” 应为文本列表，实际为 {_type(value)}",
                          f"写成 {key}: [甲, 乙]")
    if expected is dict:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        raise SourceError(path, line, "META-004", f"元数据 “{key}” 应为“字段: 原因”的映射",
                          f"写成 {key}: {{ics: 原文未给出}}")
    return _suppressions(value, path, line)


def _suppressions(value, path: str, line: int) -> list[Suppression]:
    if not isinstance(value, list):
        raise SourceError(path, line, "META-004", "suppress 应为列表",
                          "写成 suppress: [{rule: NREF-006, reason: 原因}]")
    result = []
    for entry in value:
        entry_line = getattr(entry, "lines", {}).get("rule", line)
        if not isinstance(entry, dict) or not entry.get("rule") or not entry.get("reason"):
            raise SourceError(path, entry_line, "META-005", "每条 suppress 都要写 rule 和 reason",
                              "例如 {rule: NREF-006, reason: 原文如此}")
        unknown = set(entry) - {"rule", "reason", "match"}
        if unknown:
            raise SourceError(path, entry_line, "META-005",
                              f"suppress 中有未知的键：{'、'.join(sorted(unknown))}",
                              "可用的键：rule、reason、match")
        result.append(Suppression(rule=str(entry["rule"]), reason=str(entry["reason"]),
                                  match=str(entry.get("match") or ""), line=entry_line))
    return result


SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")   # a folder of standards/ (gbstd new makes no other)


def _check_values(meta: Metadata, path: str) -> None:
    def fail(key: str, message: str, hint: str) -> None:
        meta.problems.append(SourceError(path, meta.line_of(key), "META-006", message, hint).as_finding())
        if key != "gaps":
            setattr(meta, key, getattr(Metadata(), key))   # back to the default

    if meta.kind not in KINDS:
        fail("kind", f"kind 应为 standard 或 notes，实际为 “{meta.kind}”", "写成 kind: standard")
    if meta.family and meta.family not in FAMILIES:
        fail("family", f"family “{meta.family}” 不可识别",
             "可选：national（国家）、industry（行业）、local（地方）、group（团体）")
    if meta.stage and meta.stage not in STAGES:
        fail("stage", f"阶段 “{meta.stage}” 不可识别", "可选：" + "、".join(STAGES))
    if meta.drafting_rules not in DRAFTING_RULES:
        fail("drafting_rules", f"起草规则 “{meta.drafting_rules}” 不可识别",
             "写成 GB/T 1.1—2020 或 GB/T 1.1—2009（注意一字线 —）")
    for key in ("issued", "implemented", "date"):
        value = getattr(meta, key)
        if value and not DATE.match(value) and not (key == "date" and re.match(r"^\d{4}-\d{2}$", value)):
            fail(key, f"日期 “{value}” 格式不对", "写成 YYYY-MM-DD，草案可写 XXXX-XX-XX")
    for key in meta.gaps:
        if key not in FIELDS:
            fail("gaps", f"gaps 中的 “{key}” 不是元数据键", "gaps 的键应是元数据键，例如 ics")
    if meta.parent and not SLUG.match(meta.parent):
        fail("parent", f"parent “{meta.parent[:40]}{'…' if len(meta.parent) > 40 else ''}” 不是语料中的目录名",
             "写成母标准的目录名（小写字母、数字和 -，至多 64 个字符），如 parent: green-enterprise")
    if meta.kind == "notes" and not meta.explains:
        meta.problems.append(SourceError(path, 2, "META-007", "编制说明应以 explains 声明所说明的标准",
                                         "写成 explains: <标准目录名> 或标准名称").as_finding())


def _closest(key: str) -> str:
    import difflib
    match = difflib.get_close_matches(key, list(FIELDS), n=1)
    return match[0] if match else ""


def _type(value) -> str:
    for kind, name in ((bool, "布尔值"), (dict, "映射"), (list, "列表"), (str, "文本"),
                       ((int, float), "数值")):
        if isinstance(value, kind):
            return name
    return type(value).__name__
