"""Figures in HTML and PDF as GB/T 1.1—2020 prints them (9.7): the title 图1　… under the figure,
after its key and notes; the image's text alternative is the title."""
from __future__ import annotations

import re
import subprocess
import sys

import lxml.html
import pytest

from rule_fixtures import check_folder, fixture_text, write
from test_sphinx_warnings import CONF, INDEX, PNG


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """clean-idioms.md (a {figure} with a note, and an ![图2 …](…) image) built as HTML and LaTeX."""
    root = tmp_path_factory.mktemp("figures")
    write(root, "src/conf.py", CONF)
    write(root, "src/index.md", INDEX.replace("{docname}", "doc/standard"))
    write(root, "src/doc/standard.md", fixture_text("clean-idioms.md"))
    for name in ("flow.png", "report.png"):
        (root / "src" / "doc" / name).write_bytes(PNG)
    for builder in ("html", "latex"):
        run = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-q", "-b", builder,
                              str(root / "src"), str(root / builder)], capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
    return root


def test_html_figure_title_comes_last_and_names_the_image(built):
    page = lxml.html.parse(str(built / "html" / "doc" / "standard.html")).getroot()
    figure = page.cssselect("figure")[0]
    children = [child.tag for child in figure]
    assert children[-1] == "figcaption" and children.count("figcaption") == 1
    assert figure[-1].text_content().strip().startswith("图1 评价流程")
    legend = figure.cssselect("div.legend")[0]
    assert "虚线表示可选步骤" in legend.text_content() and not legend.cssselect("figcaption")
    assert figure.cssselect("img")[0].get("alt") == "图1 评价流程"


def test_latex_figure_has_the_gb_title_after_its_note_and_stays_in_place(built):
    tex = next((built / "latex").glob("*.tex")).read_text(encoding="utf-8")
    figure = tex[tex.index(r"\begin{figure}"):]
    figure = figure[:figure.index(r"\end{figure}")]
    assert figure.startswith(r"\begin{figure}[H]")
    assert r"\caption{" not in figure                    # no LaTeX number “图 1:”
    assert re.search(r"虚线表示可选步骤.*\\gbfigurecaption\{图1\}\{评价流程\}", figure, re.S)


def test_an_image_titled_as_a_figure_prints_its_title(built):
    """``![图2 评价报告结构](report.png)`` is 图2 for the checker: its title is printed too."""
    page = lxml.html.parse(str(built / "html" / "doc" / "standard.html")).getroot()
    captions = [c.text_content().strip() for c in page.cssselect("figure figcaption")]
    assert [c.rstrip("¶") for c in captions] == ["图1 评价流程", "图2 评价报告结构"]
    tex = next((built / "latex").glob("*.tex")).read_text(encoding="utf-8")
    assert r"\gbfigurecaption{图2}{评价报告结构}" in tex


def test_a_missing_image_file_is_a_located_error(tmp_path):
    text = fixture_text("clean-idioms.md").replace("](report.png)", "](missing.png)")
    write(tmp_path, "doc/standard.md", text)
    (tmp_path / "doc" / "flow.png").write_bytes(PNG)
    line = text.split("\n").index(next(l for l in text.split("\n") if "missing.png" in l)) + 1
    found = [(f.rule, f.line) for f in check_folder(tmp_path) if f.severity == "error"]
    assert found == [("FILE-004", line)]
