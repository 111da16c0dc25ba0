"""The JSON Schemas this package publishes (toolchain/schemas/) and validation against them.

Each document format has its own semver (``VERSIONS``); its ``$id`` carries
the major.minor, instances name it in ``$schema`` and carry the full semver in
``schema_version``. Documents are validated with jsonschema-rs (format
checking on): the stock ``jsonschema`` library, which the tests use on the
same files, takes milliseconds per assessment, too slow for batches.

``problems`` reports each way a document breaks its schema in Chinese, with
the JSON path, a hint naming the value expected there, and the key to locate
it by (``Problem.located``).
"""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema_rs
import orjson

from .. import __version__
from ..paths import SCHEMAS

VERSIONS = {"scoring-schema": "1.0.0", "assessment-input": "1.0.0", "assessment-result": "1.1.0",
            "scoring-vectors": "1.0.0"}
BASE_URL = "https://gbstd.example.org/schemas"
SCHEMA_DIR = SCHEMAS
NAMES = tuple(VERSIONS)
GENERATOR = {"name": "gbstd", "version": __version__}
TYPE_NAMES = {"string": "文本", "number": "数值", "integer": "整数", "object": "对象（键: 值）",
              "array": "列表", "boolean": "布尔值（true 或 false）", "null": "空值（null 或 ~）"}
FORMAT_HINTS = {"date": "日历上存在的日期，写成 YYYY-MM-DD，如 2025-06-30"}
FORMAT_NAMES = {"date": "日期"}
BOUNDS = {"Minimum": "不小于", "ExclusiveMinimum": "大于", "Maximum": "不大于", "ExclusiveMaximum": "小于"}
PATTERN_HINTS = {"^[0-9a-f]{64}$": "64 位小写十六进制的 sha256 摘要（sha256sum 的输出）",
                 "^[A-Za-z_][A-Za-z0-9_]*$": "以字母或下划线开头、由字母、数字和下划线组成的编号，如 C_0",
                 "^[A-Za-z][A-Za-z0-9_.-]*$": "以字母开头、由字母、数字和 _ . - 组成的编号，如 ip"}


def url(name: str) -> str:
    major_minor = ".".join(VERSIONS[name].split(".")[:2])
    return f"{BASE_URL}/{name}/{major_minor}/{name}.json"


@cache
def load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    return jsonschema_rs.validator_for(load(name), validate_formats=True)


@dataclass(frozen=True)
class Problem:
    """One way a document breaks its published schema."""
    path: tuple            # JSON path of the value concerned (for a missing key: its object)
    message: str           # in Chinese, naming the JSON path
    hint: str = ""         # what is expected there
    key: str = ""          # an unknown or misspelt key inside ``path``, where it can be located

    @property
    def where(self) -> str:
        return "/".join(str(part) for part in self.path) or "（顶层）"

    @property
    def located(self) -> tuple:
        """The JSON path whose key carries the source line of the problem."""
        return self.path + (self.key,) if self.key else self.path

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def problems(name: str, instance) -> list[Problem]:
    """Each way ``instance`` breaks the published schema ``name``, in Chinese."""
    found = []
    for error in _validator(name).iter_errors(instance):
        found += _explain(name, error)
    return sorted(found, key=lambda p: (bool(p.path), p.where, p.key, p.message))   # the top level first


def _explain(name: str, error) -> list[Problem]:
    path = tuple(error.instance_path)
    at = "/".join(str(part) for part in path) or "顶层"
    key = str(path[-1]) if path else ""
    kind, value = error.kind, error.instance
    kind_name = type(kind).__name__
    if kind_name == "Required":
        expected = _expected(name, _property_schema(name, error.schema_path[:-1], kind.property),
                             kind.property)
        return [Problem(path, f"{at} 缺少必填的键 “{kind.property}”",
                        f"补上 {kind.property}: {expected}" if expected else f"补上 {kind.property}")]
    if kind_name == "AdditionalProperties":
        allowed = sorted(_subschema(name, error.schema_path[:-1]).get("properties", {}))
        return [Problem(path, f"{at} 中有未知的键 “{unknown}”", _did_you_mean(unknown, allowed), unknown)
                for unknown in kind.unexpected]
    if kind_name == "PropertyNames":
        bad = str(kind.error.instance)
        rule = getattr(kind.error.kind, "pattern", "")
        return [Problem(path, f"{at} 中的键 “{bad}” 不合规则",
                        f"键应为{PATTERN_HINTS.get(rule, f'符合 {rule} 的文本')}", bad)]
    subschema = _subschema(name, error.schema_path[:-1])
    expected = _expected(name, subschema, key)
    if kind_name == "OneOfNotValid":
        # explain the alternative the value was meant for: the one whose type it has
        meant = [branch for branch in kind.context
                 if not any(type(e.kind).__name__ == "Type" and tuple(e.instance_path) == path for e in branch)]
        if len(meant) == 1:
            return [problem for e in meant[0] for problem in _explain(name, e)]
    if kind_name == "Type":
        message = f"{at} 应为{_type_names(subschema.get('type', kind.types))}，实际为{_typed(value)}"
    elif kind_name == "Constant":
        message = f"{at} 应为 {_shown(kind.expected_value)}，实际为 {_shown(value)}"
    elif kind_name == "Enum":
        message = f"{at} 的值 {_shown(value)} 不是可选值"
    elif kind_name == "Pattern":
        message = f"{at} 的值 {_shown(value)} 写法不对"
    elif kind_name == "Format":
        message = f"{at} 的值 {_shown(value)} 不是有效的{FORMAT_NAMES.get(kind.format, kind.format)}"
    elif kind_name == "MinLength":
        message, expected = f"{at} 不能为空", "非空的文本"
    elif kind_name in BOUNDS:
        message = f"{at} 应{BOUNDS[kind_name]} {kind.limit}，实际为 {_shown(value)}"
    elif kind_name == "OneOfNotValid":
        message = f"{at} 的值 {_shown(value)} 不符合任何一种允许的写法"
        expected = expected or "docs/scoring.md 中的写法之一"
    else:
        message = f"{at} 不符合已发布的 JSON Schema（{error.message}）"
    return [Problem(path, message, f"{key or '该值'} 应为：{expected}" if expected else "")]


def _subschema(name: str, schema_path) -> dict:
    """The part of the published schema at ``schema_path`` (jsonschema-rs gives it resolved)."""
    node = load(name)
    for part in schema_path:
        node = node[part] if isinstance(node, dict) else node[int(part)]
    return node if isinstance(node, dict) else {}


def _property_schema(name: str, schema_path, key: str) -> dict:
    """The schema of property ``key`` of the object checked at ``schema_path`` or around it
    (a ``required`` inside ``allOf``/``then`` names a property declared further out)."""
    path = list(schema_path)
    while path:
        declared = _subschema(name, path).get("properties", {})
        if key in declared:
            return declared[key]
        path.pop()
    return load(name).get("properties", {}).get(key, {})


def _expected(name: str, schema: dict, key: str) -> str:
    """The value a schema expects, in words: a constant, the options, the version, a pattern, a type."""
    if "$ref" in schema:
        schema = _subschema(name, schema["$ref"].removeprefix("#/").split("/"))
    if "const" in schema:
        return str(schema["const"])
    if "enum" in schema:
        return "、".join(map(str, schema["enum"])) + " 之一"
    if key == "schema_version":
        return f'"{VERSIONS[name]}"（带引号的文本）'
    if "format" in schema:
        return FORMAT_HINTS.get(schema["format"], schema["format"])
    if "pattern" in schema:
        return PATTERN_HINTS.get(schema["pattern"], f"符合 {schema['pattern']} 的文本")
    return _type_names(schema.get("type", ()))


def _type_names(types) -> str:
    return "或".join(TYPE_NAMES.get(t, t) for t in ([types] if isinstance(types, str) else types))


def _shown(value) -> str:
    """A value as it is written in JSON or YAML."""
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, (dict, list)):
        return "{…}" if isinstance(value, dict) else "[…]"
    return json.dumps(value)


def _typed(value) -> str:
    """A value with its kind: 文本 “x”, 数值 1, 布尔值 true, 空值, 对象, 列表."""
    for kind, label in ((bool, "布尔值"), (str, "文本"), ((int, float), "数值")):
        if isinstance(value, kind):
            return f"{label} {_shown(value)}"
    return {dict: "对象", list: "列表"}.get(type(value), "空值")


def _did_you_mean(unknown: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(unknown, allowed, n=1)
    if close:
        return f"是否想写 “{close[0]}”？"
    return "可用的键：" + "、".join(allowed) if allowed else "删去这个键"


def dumps(instance: dict) -> str:
    """The canonical text of a document: sorted keys, UTF-8 as is, no timestamps."""
    return json.dumps(instance, ensure_ascii=False, sort_keys=True, indent=2) + "\n"


# Where orjson's text may differ from json.dumps: a number below 1e-4 (json writes 1e-05,
# orjson 0.00001 or 1.2345e-7). Strings, escapes, integers and every other float are
# written alike; ``_orjson_agrees`` makes sure of that for the orjson installed (once per
# process), and tests/test_scoring_scorer.py compares the two on random floats and on
# every character.
_ORJSON_MAY_DIFFER = (b"e-", b"0.0000")
_PROBES = [0.0, -0.0, 1.0, 100.0, 0.1, 0.5, 1e-4, 0.00012, 2.675, 19.999999999999996, 123456789012345.6,
           1e15, 9999999999999998.0, 1e16, 1.5e16, -2.5e17, 1e22, 1.7976931348623157e308, 2 ** 53, -(2 ** 63),
           2 ** 64 - 1, True, None, "\x00\x1f\x7f\"\\/\u2028\ufeff\U0001F600中文"]
_SMALL = [1e-05, 1.2345e-07, 5e-324, -3e-5]


@cache
def _orjson_agrees() -> bool:
    """Whether the orjson installed writes the probes as json.dumps does, and every small
    number in a form ``_ORJSON_MAY_DIFFER`` catches."""
    def json_text(value) -> bytes:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    probes = _PROBES + [{"b": _PROBES, "a": {"z": 1, "y": [2]}}]
    return (all(orjson.dumps(p, option=orjson.OPT_SORT_KEYS) == json_text(p) for p in probes)
            and all(any(m in orjson.dumps(v) for m in _ORJSON_MAY_DIFFER) for v in _SMALL))


def dumps_line(instance: dict) -> bytes:
    """One document as one line of UTF-8 (no newline): sorted keys, no spaces.

    Byte for byte ``json.dumps(instance, ensure_ascii=False, sort_keys=True,
    separators=(",", ":"))``, written by orjson (7× faster) where it writes the same bytes.
    A lone surrogate (JSON input may give one, UTF-8 cannot carry it) is written escaped.
    """
    if _orjson_agrees():
        try:
            data = orjson.dumps(instance, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:          # a lone surrogate, an integer beyond 64 bits
            data = None
        if data is not None and not any(marker in data for marker in _ORJSON_MAY_DIFFER):
            return data
    text = json.dumps(instance, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(instance, sort_keys=True, separators=(",", ":")).encode("ascii")
