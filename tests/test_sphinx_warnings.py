"""Inside Sphinx the checker reports findings as warnings at docname:line with the rule id."""
from __future__ import annotations

import subprocess
import sys

from rule_fixtures import expected, fixture_text, write

CONF = 'extensions = ["myst_parser", "gbstd.sphinx"]\nmyst_enable_extensions = ["colon_fence"]\n' \
       'language = "zh_CN"\n'
INDEX = "# 文件\n\n```{toctree}\n{docname}\n```\n"
CLEAN = fixture_text("IND-001.md").replace('points: 15, clause: "4.1.2"', 'points: 20, clause: "4.1.2"')


def sphinx_build(tmp_path, text: str, *options: str) -> subprocess.CompletedProcess:
    write(tmp_path, "src/conf.py", CONF)
    write(tmp_path, "src/index.md", INDEX.replace("{docname}", "doc/standard"))
    write(tmp_path, "src/doc/standard.md", text)
    return subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", *options,
                           str(tmp_path / "src"), str(tmp_path / "out")],
                          capture_output=True, text=True)


def test_defective_document_fails_the_build_at_its_line(tmp_path):
    run = sphinx_build(tmp_path, fixture_text("IND-001.md"))
    assert run.returncode != 0
    assert f"doc/standard.md:{expected('IND-001')[0]['line']}" in run.stderr
    assert "IND-001" in run.stderr


def test_clean_document_builds(tmp_path):
    run = sphinx_build(tmp_path, CLEAN)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "doc" / "standard.html").exists()


def test_suppressed_finding_is_not_a_warning(tmp_path):
    text = fixture_text("IND-001.md").replace("```{indicator-table}",
                                              "% gbstd: ignore IND-001 原文如此\n```{indicator-table}")
    run = sphinx_build(tmp_path, text)
    assert run.returncode == 0, run.stderr


def test_checker_can_be_switched_off(tmp_path):
    run = sphinx_build(tmp_path, fixture_text("IND-001.md"), "-D", "gbstd_check=0")
    assert run.returncode == 0, run.stderr


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def test_real_standard_idioms_build_clean_in_sphinx_too(tmp_path):
    """Figures, footnotes, clauses deeper than ###### and foreign designations read the same
    from Sphinx's doctree as from `gbstd check` (tests/fixtures/rules/clean-idioms.md)."""
    for name in ("flow.png", "report.png"):
        (tmp_path / "src" / "doc").mkdir(parents=True, exist_ok=True)
        (tmp_path / "src" / "doc" / name).write_bytes(PNG)
    run = sphinx_build(tmp_path, fixture_text("clean-idioms.md"))
    assert run.returncode == 0, run.stderr
    run = sphinx_build(tmp_path, fixture_text("FIG-006.md"))
    assert "FIG-006" in run.stderr and "doc/standard.md:137" in run.stderr


def test_grade_table_is_written_from_the_grades(tmp_path):
    text = fixture_text("clean-grade-table.md")
    run = sphinx_build(tmp_path, text)
    assert run.returncode == 0, run.stderr
    page = (tmp_path / "out" / "doc" / "standard.html").read_text(encoding="utf-8")
    assert "评价等级" in page and "70 分≤综合评价得分&lt;85 分" in page and "≥85 分" in page
