"""The five-document corpus: it builds cleanly and its figures read back from the model."""
from __future__ import annotations

from pathlib import Path

import pytest

from gbstd.source import reader
from gbstd.check import check_paths

STANDARDS = Path(__file__).resolve().parent.parent / "standards"
EXPECTED = {
    "green-trade-tech/notes.md", "green-logistics/notes.md", "green-logistics/standard.md",
    "sz-green-industry-guide/notes.md", "sz-green-industry-guide/standard.md",
    "green-enterprise/standard.md", "gbt-36132/standard.md",
}


def test_corpus_has_every_seed_document():
    present = {str(p.relative_to(STANDARDS)) for p in STANDARDS.rglob("*.md") if p.name != "index.md"}
    assert EXPECTED <= present


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_document_reads_without_errors(name):
    doc = reader.read(STANDARDS / name)
    assert doc.errors == []
    assert doc.title


def test_corpus_builds_with_sphinx_W(html_build):
    out, result = html_build
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr and "ERROR" not in result.stderr, result.stderr


def test_corpus_check_is_clean():
    findings, docs = check_paths([str(STANDARDS)], corpus_root=str(STANDARDS))
    active = [f.format() for f in findings if f.severity in ("error", "warning") and not f.suppressed_by]
    assert len(docs) == len(EXPECTED)
    assert active == []


def test_table_b1_of_green_enterprise_reads_back():
    doc = reader.read(STANDARDS / "green-enterprise" / "standard.md")
    table = doc.table("B.1")
    assert table is not None and table.total == 100
    groups = table.indicators
    assert [g.name for g in groups] == ["绿色战略", "绿色管理", "绿色创新", "绿色生产", "绿色社会责任"]
    assert [g.points for g in groups] == [20] * 5
    assert [sum(c.points for c in g.children) for g in groups] == [20] * 5
    leaves = table.leaves()
    assert len(leaves) == 35
    assert [leaf.no for leaf in leaves] == [str(n) for n in range(1, 36)]
    # spot figures from the seed (003, 表 B.1)
    by_no = {leaf.no: leaf for leaf in leaves}
    assert (by_no["4"].name, by_no["4"].points) == ("绿色发展专项预算", 2)
    assert (by_no["25"].name, by_no["25"].points) == ("万元工业产值碳排放量削减率", 2)
    assert (by_no["33"].name, by_no["33"].points) == ("发布绿色发展/可持续发展报告", 2)


def test_gbt_36132_follows_the_2009_rules():
    doc = reader.read(STANDARDS / "gbt-36132" / "standard.md")
    assert doc.meta.designation == "GB/T 36132—2018"
    assert doc.meta.profile == "2009"
    assert [a.annex_letter for a in doc.annexes] == ["A", "B", "C"]
    assert len([f for f in doc.formulas if f.number.startswith("A.")]) >= 10
