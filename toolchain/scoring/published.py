"""The JSON Schemas this package publishes (toolchain/schemas/) and validation against them.

Each ``$id`` carries the format's major.minor; instances name it in ``$schema``
and carry the full semver in ``schema_version``. Documents are validated with
jsonschema-rs (format checking on): the stock ``jsonschema`` library, which
the tests use on the same files, takes milliseconds per assessment, too slow
for batches.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import jsonschema_rs

from .. import __version__

FORMAT_VERSION = "1.0.0"
BASE_URL = "https://gbstd.example.org/schemas"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
NAMES = ("scoring-schema", "assessment-input", "assessment-result")
GENERATOR = {"name": "gbstd", "version": __version__}


def url(name: str) -> str:
    major_minor = ".".join(FORMAT_VERSION.split(".")[:2])
    return f"{BASE_URL}/{name}/{major_minor}/{name}.json"


@cache
def load(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def _validator(name: str):
    return jsonschema_rs.validator_for(load(name), validate_formats=True)


def problems(name: str, instance) -> list[tuple[str, str]]:
    """(JSON path, message) for each way ``instance`` breaks the published schema ``name``."""
    found = []
    for error in _validator(name).iter_errors(instance):
        where = "/".join(str(part) for part in error.instance_path) or "（顶层）"
        found.append((where, error.message))
    return sorted(found)


def dumps(instance: dict) -> str:
    """The canonical text of a document: sorted keys, UTF-8 as is, no timestamps."""
    return json.dumps(instance, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
