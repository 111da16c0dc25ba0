"""Safe YAML loading that keeps line numbers and reports errors as findings."""
from __future__ import annotations

import re
from typing import Any

import yaml

from ..findings import SourceError


class LineMap(dict):
    """A mapping loaded from YAML that remembers the line of each key."""

    lines: dict[str, int]


class _LineLoader(yaml.SafeLoader):
    pass


# YAML 1.1 reads yes/no/on/off as booleans, so the key `no:` (序号) would become
# False. Only true/false are booleans here, as in YAML 1.2.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise yaml.constructor.ConstructorError(
                None, None, f"unusable key {key!r}", key_node.start_mark)
        key = str(key)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line
    return result


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # Dates stay text: the checker validates "2018-05-14" and "XXXX-XX-XX" alike.
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def load(text: str, path: str, first_line: int, what: str) -> Any:
    """Load YAML text whose first line is line ``first_line`` (1-based) of ``path``.

    Key lines in the result (``LineMap.lines``) are 1-based file lines.
    """
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(path, line, "YAML-001", f"{what}: YAML 语法错误（{problem}）",
                          "检查缩进、冒号后的空格和引号是否成对") from None
    _shift_lines(data, first_line)
    return data


def _shift_lines(data: Any, offset: int) -> None:
    if isinstance(data, LineMap):
        data.lines = {k: v + offset for k, v in data.lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, list):
        for item in data:
            _shift_lines(item, offset)


def line_of(data: Any, key: str, default: int) -> int:
    return getattr(data, "lines", {}).get(key, default)


class Fields:
    """Typed access to one YAML mapping, with located errors.

    ``Fields(data, path, line, what, allowed)`` rejects unknown keys; ``text``,
    ``number``, ``flag``, ``items`` read one key and check its type.
    """

    def __init__(self, data, path: str, line: int, what: str, allowed: tuple[str, ...]):
        if not isinstance(data, dict):
            raise SourceError(path, line, "YAML-002", f"{what}应是“键: 值”的映射",
                              "每项写成 key: value，或 {key: value, …}")
        self.data, self.path, self.what = data, path, what
        self.line = line
        unknown = [k for k in data if k not in allowed]
        if unknown:
            import difflib
            close = difflib.get_close_matches(unknown[0], allowed, n=1)
            raise SourceError(path, self.line_of(unknown[0]), "YAML-003",
                              f"{what}中有未知的键 “{unknown[0]}”",
                              f"是否想写 “{close[0]}”？" if close else "可用的键：" + "、".join(allowed))

    def line_of(self, key: str) -> int:
        return line_of(self.data, key, self.line)

    def first_line(self) -> int:
        lines = getattr(self.data, "lines", {})
        return min(lines.values()) if lines else self.line

    def fail(self, key: str, message: str, hint: str) -> None:
        raise SourceError(self.path, self.line_of(key), "YAML-004", message, hint)

    def text(self, key: str, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"{self.what}的 “{key}” 应为文本", f"写成 {key}: 文本")
        return str(value)

    def number(self, key: str, default=None):
        value = self.data.get(key, default)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"{self.what}的 “{key}” 应为数值，实际为 “{value}”",
                      f"写成 {key}: 3；来源未给出时写 {key}: ~ 并用 gap 说明")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.fail(key, f"{self.what}的 “{key}” 应为 true 或 false", f"写成 {key}: true")
        return value

    def items(self, key: str) -> list:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, f"{self.what}的 “{key}” 应为列表", f"写成 {key}: [...] 或逐行以 - 开头")
        return value

    def texts(self, key: str) -> list[str]:
        values = self.items(key)
        if not all(isinstance(v, (str, int, float)) for v in values):
            self.fail(key, f"{self.what}的 “{key}” 应为文本列表", f"写成 {key}: [甲, 乙]")
        return [str(v) for v in values]
