"""Formula rules (FORMULA-*): symbols defined once with units, formulas referred to, no cycles."""
from __future__ import annotations

import pytest

from rule_fixtures import (check_folder, corpus_errors, expected, fixture_text,
                           write)

ENTRIES = expected("FORMULA-")
# A fixture whose formulas are sound (its own defect is an indicator's clause).
CLEAN = fixture_text("IND-001.md").replace('points: 15, clause: "4.1.2"', 'points: 20, clause: "4.1.2"')
WATER = "  - {symbol: S, meaning: 评价期内，总新鲜水耗, unit: 吨（t）}"


def test_every_formula_rule_has_a_fixture():
    assert {e["rule"] for e in ENTRIES} == {"FORMULA-UNDEF", "FORMULA-DUP", "FORMULA-UNIT",
                                            "FORMULA-REF", "FORMULA-CYCLE"}


def findings(tmp_path, text):
    write(tmp_path, "doc/standard.md", text)
    return [(f.rule, f.severity) for f in check_folder(tmp_path) if f.rule.startswith("FORMULA-")]


def test_sound_formulas_pass(tmp_path):
    assert findings(tmp_path, CLEAN) == []


@pytest.mark.parametrize("symbol_line", [
    "  - {symbol: S, meaning: 评价期内，总新鲜水耗，单位视水源而定}",
    '  - {symbol: S, meaning: 评价期内，总新鲜水耗, unit: "%"}',
])
def test_unit_may_be_percent_or_stated_in_the_meaning(tmp_path, symbol_line):
    assert findings(tmp_path, CLEAN.replace(WATER, symbol_line)) == []


def test_dimensionless_result_needs_no_unit(tmp_path):
    text = CLEAN.replace("{symbol: s, meaning: 万元工业产值新鲜水耗, unit: 吨/万元}",
                         "{symbol: s, meaning: 万元工业产值新鲜水耗}")
    assert findings(tmp_path, text) == []


def test_short_reference_form_counts(tmp_path):
    text = CLEAN.replace("按公式（A.2）计算", "按式（A.2）计算")
    assert findings(tmp_path, text) == []


def test_self_reference_is_a_cycle(tmp_path):
    text = CLEAN.replace("expr: S / A", "expr: S / A + s")
    assert findings(tmp_path, text) == [("FORMULA-CYCLE", "error")]


def test_a_chain_is_not_a_cycle(tmp_path):
    """Formula (A.2) may use the result of (A.1) as long as (A.1) does not use (A.2)'s."""
    text = CLEAN.replace("expr: S / A", "expr: S / A * n").replace(
        WATER, WATER + "\n  - {symbol: n, meaning: 万元工业产值综合能耗, unit: 吨标准煤/万元}")
    assert findings(tmp_path, text) == []


def test_undefined_symbol_is_reported_at_the_expr_line(tmp_path):
    text = CLEAN.replace("expr: S / A", "expr: (S - V) / A")
    write(tmp_path, "doc/standard.md", text)
    [finding] = [f for f in check_folder(tmp_path) if f.rule == "FORMULA-UNDEF"]
    assert finding.line == text.split("\n").index("expr: (S - V) / A") + 1


def test_published_corpus_has_no_formula_errors():
    assert corpus_errors("FORMULA-") == []


def test_symbols_get_plain_ids_from_their_latex(tmp_path):
    """\\eta, P_{u}, \\rho_{\\mathrm{A}} need no id: (eta, P_u, rho_A); the expression uses those."""
    block = CLEAN[CLEAN.index("```{formula} A.2"):]
    block = block[:block.index("```\n", 5) + 4]
    new = ("```{formula} A.2\n"
           "latex: 's = \\frac{P_{u}}{\\rho_{\\mathrm{A}}}'\n"
           "expr: P_u / rho_A\n"
           "symbols:\n"
           "  - {symbol: s, meaning: 万元工业产值新鲜水耗, unit: 吨/万元}\n"
           "  - {symbol: \"P_{u}\", meaning: 评价期内，总新鲜水耗, unit: 吨（t）}\n"
           "  - {symbol: \"\\\\rho_{\\\\mathrm{A}}\", meaning: 评价期内，工业总产值, unit: 万元}\n"
           "```\n")
    write(tmp_path, "doc/standard.md", CLEAN.replace(block, new))
    found = check_folder(tmp_path)
    assert [(f.rule, f.line, f.message) for f in found if f.severity == "error"] == []


def test_symbol_without_a_plain_reduction_needs_an_id(tmp_path):
    text = CLEAN.replace("{symbol: S, meaning: 评价期内，总新鲜水耗, unit: 吨（t）}",
                         "{symbol: \"S_{新鲜}\", meaning: 评价期内，总新鲜水耗, unit: 吨（t）}")
    write(tmp_path, "doc/standard.md", text)
    line = text.split("\n").index(next(l for l in text.split("\n") if "S_{新鲜}" in l)) + 1
    found = [(f.rule, f.line) for f in check_folder(tmp_path) if f.severity == "error"]
    assert ("YAML-004", line) in found
