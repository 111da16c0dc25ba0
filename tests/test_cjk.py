"""Shared by every writer: an author's space between Chinese characters, untitled clauses."""
from __future__ import annotations

from pathlib import Path

from gbstd.cjk import mark_author_spaces, split_author_spaces
from gbstd.quantities import bind_values_to_units
from gbstd.source import reader
from gbstd.writers.html import toc_entries

ROOT = Path(__file__).resolve().parent.parent


def test_an_authors_space_between_chinese_characters_is_found():
    assert split_author_spaces("质量管理体系 要求") == ["质量管理体系", "要求"]
    assert split_author_spaces("GB/T 18916（所有部分） 取水定额") == ["GB/T 18916（所有部分）", "取水定额"]
    assert mark_author_spaces("《中共中央 国务院关于》", "|") == "《中共中央|国务院关于》"


def test_spaces_next_to_latin_text_and_line_breaks_are_not_authors_spaces():
    assert split_author_spaces("GB/T 19001 质量") == ["GB/T 19001 质量"]
    assert split_author_spaces("A 用地") == ["A 用地"]
    assert split_author_spaces("质量\n要求") == ["质量\n要求"]


def test_untitled_clauses_are_flagged_and_left_out_of_the_toc():
    doc = reader.read(ROOT / "standards" / "gbt-36132" / "standard.md")
    flagged = {c.number for c in doc.walk() if c.untitled}
    assert {"4.2", "4.3.1", "4.3.2"} <= flagged
    assert not {"4", "4.1", "4.3", "5.3.1"} & flagged       # titled chapters and clauses
    assert not any(c.untitled for c in doc.walk() if c.kind in ("chapter", "annex", "foreword"))
    listed = {entry["label"] for entry in toc_entries(doc, {})}
    assert "4.1　总则" in listed and "4.2" not in listed


def test_a_value_is_bound_to_its_unit_symbol_but_not_to_words():
    assert bind_values_to_units("温度为5 ℃～40 ℃。") == "温度为5\u00a0℃～40\u00a0℃。"
    assert bind_values_to_units("不低于 5 %，1.5 kW·h") == "不低于 5\u00a0%，1.5\u00a0kW·h"
    assert bind_values_to_units("共 3 项，GB/T 3216 回转，20 kgs") == "共 3 项，GB/T 3216 回转，20 kgs"
