"""Each rule fixture of the model-level rule families fails at exactly its expected lines.

(The GB/T 1.1 text rules are held to the same standard, stricter, in test_rules_gbt11.py.)
"""
from __future__ import annotations

import pytest
from rule_fixtures import assert_fixture_fails, expected

ENTRIES = [entry for prefix in ("IND-", "FORMULA-", "NOTES-", "DERIV-", "GBSTD-")
           for entry in expected(prefix)]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e['rule']}:{e['fixture']}:{e['line']}")
def test_fixture_fails_at_expected_line(entry):
    assert_fixture_fails(entry, ENTRIES)
