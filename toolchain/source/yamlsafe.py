"""Safe YAML loading that keeps line numbers and reports errors as findings.

Every YAML the toolchain reads (front matter, directive bodies, comment rounds,
ballots, assessments) goes through ``load``:

- **YAML 1.2 core schema**: only ``true``/``false`` are booleans (the indicator
  key ``no:`` is not ``False``); integers are decimal without leading zeros,
  ``0o17`` or ``0x1F``, so ``0017``, ``001``, ``01012345670`` and ``12:30`` stay
  text (YAML 1.1 read them as octal and base 60), and a field that wants a
  number reports them; ``1e3`` is a number;
- **limits** (LIMIT-001, located): alias expansion (billion laughs), nesting
  depth, digits of a number; see docs/security.md;
- **line numbers** are the file's: U+0085, U+2028 and U+2029 are characters in
  YAML 1.2, not line breaks, so they do not shift the lines of later errors.

Two readers give the same result. The **reference reader** is PyYAML's pure-Python
loader with the hooks below (``_LineLoader``). The **fast reader** (``_fast_load``)
takes the events of libyaml's C parser and builds the data in one loop with an
explicit stack (no recursion, so any nesting depth is safe); it handles plain
documents only — scalars, sequences, mappings with scalar keys — and gives up
(``_GiveUp``) on anything else: an alias, anchor or explicit tag, a merge key, a
complex or null key, a second document, directives, a limit reached, or any parse
error. Then the reference reader reads the text again, so errors, LIMIT-001 findings
and unusual documents come out exactly as before. Without libyaml (or with
``GBSTD_PURE_YAML=1`` in the environment) only the reference reader runs.
"""
from __future__ import annotations

import math
import os
import re
from typing import Any

import yaml

from ..findings import SourceError

MAX_DEPTH = 64               # nested mappings / sequences
MAX_EXPANDED_NODES = 100_000  # nodes after alias expansion
MAX_DIGITS = 100             # digits of one number


class LineMap(dict):
    """A mapping loaded from YAML that remembers the line of each key."""

    lines: dict[str, int]


class _LimitError(Exception):
    def __init__(self, mark, message: str):
        super().__init__(message)
        self.mark, self.message = mark, message


# YAML 1.1 line breaks that YAML 1.2 reads as ordinary characters: stand-ins from a
# private-use plane while PyYAML scans, put back in every scalar it constructs.
_LINE_CHARS = {"\x85": "\U000F0085", "\u2028": "\U000F2028", "\u2029": "\U000F2029"}
_BACK = {v: k for k, v in _LINE_CHARS.items()}
_LINE_CHAR = re.compile("[\x85\u2028\u2029]")
_STAND_IN = re.compile("[\U000F0085\U000F2028\U000F2029]")


class _LineLoader(yaml.SafeLoader):
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._first_alias = None

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            if self._first_alias is None:
                self._first_alias = self.peek_event().start_mark
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _LimitError(self.peek_event().start_mark,
                                  f"嵌套超过 {MAX_DEPTH} 层")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def get_single_node(self):
        node = super().get_single_node()
        if node is not None and self._first_alias is not None \
                and _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise _LimitError(self._first_alias,
                              f"别名（*）展开后超过 {MAX_EXPANDED_NODES} 个节点")
        return node

    def construct_scalar(self, node):
        value = super().construct_scalar(node)
        return _STAND_IN.sub(lambda m: _BACK[m.group()], value) if isinstance(value, str) else value


def _expanded_size(node, memo: dict[int, int]) -> int:
    """Nodes after alias expansion; each distinct node counted once per path, memoised."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_EXPANDED_NODES + 1      # a cycle expands without end
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(item, memo) for item in node.value)
    else:
        size = 1
    memo[key] = min(size, MAX_EXPANDED_NODES + 1)
    return memo[key]


# YAML 1.2 core schema resolvers for booleans, integers and floats.
_CORE = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _CORE]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
_INT = re.compile(r"^(?:[-+]?(?:0|[1-9][0-9]*)|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^(?:[-+]?(?:(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)"
                    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:int", _INT, list("-+0123456789"))
_LineLoader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT, list("-+0123456789."))


def _construct_int(loader: _LineLoader, node: yaml.ScalarNode) -> int:
    text = loader.construct_scalar(node)
    digits = text.lstrip("+-")
    if len(digits) > MAX_DIGITS:
        raise _LimitError(node.start_mark, f"数字超过 {MAX_DIGITS} 位")
    if not _INT.match(text):
        raise yaml.constructor.ConstructorError(None, None, f"“{text}” 不是整数", node.start_mark)
    base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
    return int(text.replace("0x", "").replace("0o", ""), base)


def _construct_float(loader: _LineLoader, node: yaml.ScalarNode) -> float:
    text = loader.construct_scalar(node)
    if len(text) > MAX_DIGITS + 10:
        raise _LimitError(node.start_mark, f"数字超过 {MAX_DIGITS} 位")
    lowered = text.lower()
    if lowered.endswith(("inf", "nan")):
        return float(("-" if text.startswith("-") else "") + lowered.lstrip("+-."))
    return float(text)


_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


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
    text = _LINE_CHAR.sub(lambda m: _LINE_CHARS[m.group()], text)
    if USE_LIBYAML:
        try:
            return _fast_load(text, first_line)
        except Exception:   # noqa: BLE001 - anything unusual: the reference reader decides
            pass
    return _reference_load(text, path, first_line, what)


def _reference_load(text: str, path: str, first_line: int, what: str) -> Any:
    """PyYAML's pure-Python loader; ``text`` has its line characters replaced already."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except _LimitError as exc:
        raise SourceError(path, first_line + exc.mark.line, "LIMIT-001", f"{what}：{exc.message}",
                          "这不像正常的输入：删去多余的别名、嵌套或数字；上限见 docs/security.md") from None
    except RecursionError:
        raise SourceError(path, first_line, "LIMIT-001", f"{what}：嵌套过深",
                          "减少嵌套层数；上限见 docs/security.md") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = first_line + (mark.line if mark else 0)
        problem = getattr(exc, "problem", None) or str(exc)
        raise SourceError(path, line, "YAML-001", f"{what}: YAML 语法错误（{problem}）",
                          "检查缩进、冒号后的空格和引号是否成对") from None
    _shift_lines(data, first_line)
    return data


# ---------------------------------------------------------------- the fast reader

try:
    from yaml._yaml import CParser as _CParser      # libyaml, present in PyYAML's wheels
except ImportError:                                  # pragma: no cover - a build without libyaml
    _CParser = None
USE_LIBYAML = _CParser is not None and not os.environ.get("GBSTD_PURE_YAML")


class _GiveUp(Exception):
    """The fast reader leaves this text to the reference reader."""


_RESOLVERS = _LineLoader.yaml_implicit_resolvers
_BOOL_VALUES = yaml.constructor.SafeConstructor.bool_values
_NOTHING = object()
_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")


def _plain(value: str, restore: bool) -> Any:
    """A plain (unquoted, untagged) scalar as the reference reader constructs it."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            break
    else:
        return _STAND_IN.sub(lambda m: _BACK[m.group()], value) if restore else value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return _BOOL_VALUES[value.lower()]
    if tag == "tag:yaml.org,2002:int":
        digits = value.lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise _GiveUp
        base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
        return int(value.replace("0x", "").replace("0o", ""), base)
    if tag == "tag:yaml.org,2002:float":
        if len(value) > MAX_DIGITS + 10:
            raise _GiveUp
        lowered = value.lower()
        if lowered.endswith(("inf", "nan")):
            return float(("-" if value.startswith("-") else "") + lowered.lstrip("+-."))
        return float(value)
    if tag == "tag:yaml.org,2002:timestamp":
        return value
    raise _GiveUp     # merge key "<<", value key "=", or a resolver added later


def _fast_load(text: str, first_line: int) -> Any:
    """Read ``text`` from libyaml's events, or raise (``_GiveUp`` or a parse error)."""
    if None in _RESOLVERS:        # wildcard resolvers are not handled here
        raise _GiveUp
    # Where libyaml reads what PyYAML refuses (found by tests/test_yaml_readers.py): tabs
    # between tokens and after block scalar headers; "?" inside a plain scalar of a flow
    # collection ("{a?b: c}"), which ends the scalar in PyYAML; a comment right after a block
    # scalar header ("|#", ">-#").
    if "\t" in text or ("?" in text and ("[" in text or "{" in text)) or _HEADER_COMMENT.search(text):
        raise _GiveUp
    restore = _STAND_IN.search(text) is not None
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, \
        yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    parser = _CParser(text)
    try:
        get_event = parser.get_event
        root: Any = _NOTHING
        stack: list = []              # open collections, innermost last
        keys: list = []               # per open collection: the pending (key, line) of a mapping
        documents = 0
        while True:
            event = get_event()
            kind = event.__class__
            if kind is scalar_event:
                if event.tag is not None or event.anchor is not None or len(stack) >= MAX_DEPTH:
                    raise _GiveUp
                value = event.value
                if event.implicit[0]:
                    value = _plain(value, restore)
                elif restore:
                    value = _STAND_IN.sub(lambda m: _BACK[m.group()], value)
            elif kind is mapping_start or kind is sequence_start:
                if event.tag is not None or event.anchor is not None or len(stack) >= MAX_DEPTH:
                    raise _GiveUp
                if kind is mapping_start:
                    value = LineMap()
                    value.lines = {}
                else:
                    value = []
            elif kind in ends:
                stack.pop()
                keys.pop()
                continue
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1 or event.version is not None or event.tags:
                    raise _GiveUp
                continue
            elif kind is yaml.StreamEndEvent:
                break
            elif kind is yaml.AliasEvent:
                raise _GiveUp
            else:                      # stream start, document end
                continue
            if not stack:
                root = value
            else:
                top = stack[-1]
                if top.__class__ is list:
                    top.append(value)
                else:
                    pending = keys[-1]
                    if pending is None:          # ``value`` is a key
                        if value is None or not isinstance(value, (str, int, float, bool)):
                            raise _GiveUp
                        keys[-1] = (str(value), event.start_mark.line)
                    else:
                        key, line = pending
                        top[key] = value
                        top.lines[key] = line + first_line
                        keys[-1] = None
            if kind is not scalar_event:
                stack.append(value)
                keys.append(None)
    finally:
        parser.dispose()
    return None if root is _NOTHING else root


def _shift_lines(data: Any, offset: int, seen: set[int] | None = None) -> None:
    seen = set() if seen is None else seen
    if id(data) in seen:        # an alias: the same object, shifted once
        return
    if isinstance(data, LineMap):
        seen.add(id(data))
        data.lines = {k: v + offset for k, v in data.lines.items()}
        for value in data.values():
            _shift_lines(value, offset, seen)
    elif isinstance(data, list):
        seen.add(id(data))
        for item in data:
            _shift_lines(item, offset, seen)


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
                      f"写成 {key}: 3（不写前导零）；来源未给出时写 {key}: ~ 并用 gap 说明")
        if not math.isfinite(value):
            self.fail(key, f"{self.what}的 “{key}” 应为有限的数值，实际为 “{value}”", f"写成 {key}: 3")
        return value

    def count(self, key: str, most: int = 10**9) -> int | None:
        """A non-negative whole number (a count of units or ballots), or None when absent."""
        value = self.number(key)
        if value is not None and (not isinstance(value, int) or not 0 <= value <= most):
            self.fail(key, f"{self.what}的 “{key}” 应为非负整数（不超过 {most}），实际为 “{value}”",
                      f"写成 {key}: 12")
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
