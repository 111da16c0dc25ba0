"""Shared by the tests/test_scoring_*.py files: scoring schemas of the corpus and fixtures."""
from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from gbstd.source import reader, yamlsafe
from gbstd.scoring import semantic, writer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "scoring"
SYNTHETIC = FIXTURES / "synthetic" / "logistics" / "standard.md"


@cache
def _schemas(path: Path) -> dict:
    schemas, _ = writer.checked_schemas(reader.read(path), ROOT)
    return {schema["id"]: schema for schema in schemas}


def stock_validator(name: str, definition: str = "") -> Draft202012Validator:
    """Stock jsonschema, format checking on, straight from the file (not through our helpers);
    ``definition`` picks one of its ``$defs`` instead of the document itself."""
    document = json.loads((ROOT / "toolchain" / "schemas" / f"{name}.json").read_text(encoding="utf-8"))
    if definition:
        document = {"$ref": f"#/$defs/{definition}", "$defs": document["$defs"]}
    return Draft202012Validator(document, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema(slug_or_path: str | Path, table_id: str) -> dict:
    """A fresh copy of the checked scoring schema of one table (corpus slug or source path)."""
    path = slug_or_path if isinstance(slug_or_path, Path) else ROOT / "standards" / slug_or_path / "standard.md"
    return copy.deepcopy(_schemas(path)[table_id])


def synthetic() -> dict:
    return schema(SYNTHETIC, "synthetic-logistics")


def assessment(name: str) -> dict:
    """A fixture assessment (YAML or JSON) as plain data."""
    path = FIXTURES / name
    return _plain(yamlsafe.load(path.read_text(encoding="utf-8"), str(path), 1, name))


def _plain(data):
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def responses_for(schema_: dict, status: str = "pass") -> dict:
    return {unit["id"]: {"status": status} for unit in semantic.units(schema_)}
