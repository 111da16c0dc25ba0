"""The HTML site: index, cover, 目次, GB tables, formulas, annex headings, links, escaping."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent


def page(html_build, name: str):
    out, result = html_build
    assert result.returncode == 0, result.stderr
    return lxml.html.parse(str(out / name)).getroot()


def test_index_lists_every_document(html_build):
    index = page(html_build, "index.html")
    rows = index.cssselect("table.gb-corpus tbody tr")
    assert len(rows) == 7
    texts = [r.text_content() for r in rows]
    assert any("GB/T 36132—2018" in t and "绿色工厂评价通则" in t for t in texts)
    assert sum("编制说明" in t for t in texts) == 3
    for link in index.cssselect("table.gb-corpus td:nth-child(2) a"):
        assert (html_build[0] / link.get("href")).exists()
    pdfs = [a.get("href") for a in index.cssselect("table.gb-corpus a[type='application/pdf']")]
    assert len(pdfs) == 7 and "../pdf/gbt-36132-standard.pdf" in pdfs


def test_standard_page_has_cover_toc_and_numbered_clauses(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    cover = doc.cssselect(".gb-cover")[0]
    assert cover.cssselect(".gb-cover-family")[0].text_content() == "团体标准"
    assert cover.cssselect(".gb-cover-title")[0].text_content() == "绿色企业评价通则"
    toc = [li.text_content() for li in doc.cssselect(".gb-toc li")]
    assert toc[0] == "前言" and "1　范围" in toc and "5.1　绿色发展战略" in toc
    assert not any(entry.startswith("3.1") for entry in toc)   # terms never in 目次
    assert any(entry.startswith("附录A（规范性）") for entry in toc)
    for link in doc.cssselect(".gb-toc a"):
        assert doc.get_element_by_id(link.get("href")[1:]) is not None


def test_indicator_table_has_merged_cells_and_total(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    table = doc.cssselect("table.gb-indicator-table")[0]
    assert table.cssselect("caption")[0].text_content().strip().startswith("表B.1")
    merged = [th for th in table.cssselect("th[rowspan]") if "绿色战略" in th.text_content()]
    assert merged and merged[0].get("rowspan") == "7"
    assert "合计 20 分" in merged[0].text_content()
    total = table.cssselect("tr.gb-total-row")[0].text_content()
    assert "合计" in total and "100" in total


def test_formulas_are_numbered_with_where_list(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    numbers = [n.text_content() for n in doc.cssselect(".gb-formula-no")]
    assert numbers[:2] == ["(A.1)", "(A.2)"]          # as the PDF prints them (\\tag*{(A.1)})
    first = doc.cssselect(".gb-formula")[0]
    assert first.cssselect("math")
    assert first.cssselect("p.gb-where")[0].text_content() == "式中："
    assert first.cssselect("p.gb-where-item")[-1].text_content().endswith("。")


def test_annex_heading_prints_on_three_lines(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    heading = doc.cssselect("section.gb-annex h2")[0]
    lines = [span.text_content() for span in heading.cssselect(".gb-annex-line")]
    assert lines == ["附录A", "（规范性）", "绿色企业绩效指标计算方法"]


def test_terms_in_gb_layout(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    entry = doc.cssselect(".gb-term")[0]
    assert entry.cssselect(".gb-term-number")[0].text_content() == "3.1"
    assert entry.cssselect(".gb-term-name strong")[0].text_content() == "绿色企业"


def test_notes_and_standard_link_both_ways(html_build):
    standard = page(html_build, "green-logistics/standard.html")
    notes = page(html_build, "green-logistics/notes.html")
    assert any(a.get("href") == "notes.html" for a in standard.cssselect(".gb-related a"))
    assert any(a.get("href") == "standard.html" for a in notes.cssselect(".gb-related a"))


def test_user_strings_are_escaped(tmp_path):
    (tmp_path / "standards" / "evil").mkdir(parents=True)
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "gbstd.sphinx"]\nhtml_theme = "basic"\n')
    (tmp_path / "standards" / "index.md").write_text(
        "# 库\n\n```{corpus-index}\n```\n\n```{toctree}\n:glob:\n\n*/standard\n```\n", encoding="utf-8")
    (tmp_path / "standards" / "evil" / "standard.md").write_text(
        "---\nkind: standard\ntitle: \"<script>alert(1)</script>\"\nissuer: \"<b>发布</b>\"\n---\n\n"
        "# 恶意\n\n## 1 范围\n\n本文件规定了要求。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(tmp_path),
                             str(tmp_path / "standards"), str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in ("evil/standard.html", "index.html"):
        html = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_two_builds_give_identical_html(html_build, tmp_path):
    first, _ = html_build
    subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(ROOT),
                    "-d", str(tmp_path / ".doctrees"), str(ROOT / "standards"), str(tmp_path / "out")],
                   check=True, capture_output=True)
    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert pages
    for name in pages:
        assert (tmp_path / "out" / name).read_bytes() == (first / name).read_bytes(), name


def test_line_breaks_between_chinese_characters_leave_no_space(html_build, root):
    source = (root / "standards" / "index.md").read_text(encoding="utf-8")
    assert "构建，\n构建时" in source          # the source wraps here
    intro = page(html_build, "index.html").cssselect("p")[0].text_content()
    assert "构建，构建时" in intro


def test_total_sits_under_the_points_column(html_build):
    doc = page(html_build, "green-logistics/standard.html")
    table = doc.cssselect("table.gb-indicator-table")[0]
    headers = [th.text_content().strip() for th in table.cssselect("thead th")]
    cells = table.cssselect("tr.gb-total-row td")
    spanned = int(cells[0].get("colspan", "1"))
    assert spanned == headers.index("分值")
    assert cells[1].text_content().strip() == "100"
    assert spanned + len(cells) - 1 == len(headers)


def test_documents_without_body_are_reported_not_crashed_on(tmp_path):
    (tmp_path / "standards" / "bare").mkdir(parents=True)
    (tmp_path / "standards" / "empty").mkdir()
    (tmp_path / "conf.py").write_text('extensions = ["myst_parser", "gbstd.sphinx"]\nhtml_theme = "basic"\n')
    (tmp_path / "standards" / "index.md").write_text(
        "# 库\n\n```{toctree}\n:glob:\n\n*/standard\n```\n", encoding="utf-8")
    (tmp_path / "standards" / "bare" / "standard.md").write_text(
        "---\nkind: standard\ntitle: 只有元数据\n---\n", encoding="utf-8")
    (tmp_path / "standards" / "empty" / "standard.md").write_text("", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(tmp_path),
                             str(tmp_path / "standards"), str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr, result.stderr
    assert "bare/standard.md:1: WARNING: HEAD-001" in result.stderr
    assert "empty/standard.md:1: WARNING: META-001" in result.stderr


def _pages(html_build):
    out, result = html_build
    assert result.returncode == 0, result.stderr
    return {str(p.relative_to(out)): lxml.html.parse(str(p)).getroot() for p in sorted(out.rglob("*.html"))}


def test_every_page_is_self_contained_with_one_viewport_and_a_search_box(html_build):
    pages = _pages(html_build)
    assert "genindex.html" not in pages                 # no empty index page
    for name, doc in pages.items():
        remote = [e.get("src") or e.get("href") for e in doc.cssselect("script[src], link[href]")
                  if (e.get("src") or e.get("href")).startswith(("http:", "https:", "//"))]
        assert remote == [], name                        # no CDN: MathJax or anything else
        assert len(doc.cssselect('meta[name="viewport"]')) == 1, name
        skip = doc.cssselect("a.gb-skip")[0].get("href")
        assert doc.get_element_by_id(skip[1:], None) is not None, name   # the skip link's target
        if name != "search.html":
            form = doc.cssselect("form.gb-search")[0]
            assert form.get("action").endswith("search.html") and form.cssselect('input[name="q"]'), name


def test_math_role_and_directive_are_mathml_not_tex(html_build):
    doc = page(html_build, "gbt-36132/standard.html")
    text = doc.cssselect("main")[0].text_content()
    assert "\\frac" not in text and "k_i" not in text and "\\[" not in text
    block = doc.cssselect("div.gb-math-block math[display=block]")[0]
    assert block.cssselect("mfrac")                      # k_i = t_i / t_0
    assert len(doc.cssselect("p math[display=inline] msub")) >= 4   # {math}`k_i` in 注2 and 式中


def test_indicator_table_cells_are_classed_by_column_not_position(html_build):
    doc = page(html_build, "green-enterprise/standard.html")
    table = doc.cssselect("table.gb-indicator-table")[0]
    assert all(th.get("scope") == "col" for th in table.cssselect("thead th"))
    groups = table.cssselect('th[scope="rowgroup"]')
    assert groups and all("gb-col-level1" in g.get("class") for g in groups)
    assert "绿色战略" in groups[0].text_content()
    assert len(table.cssselect("tbody")) == len(groups)        # one row group per first-level indicator
    # in a row under a rowspan the first cell is 二级指标 or 序号, never centred by position
    for row in table.cssselect("tbody tr"):
        for cell in row.cssselect("td"):
            assert any(c.startswith("gb-col-") for c in cell.get("class", "").split()) \
                or "gb-total-row" in row.get("class", "")
    points = [td.text_content().strip() for td in table.cssselect("td.gb-col-points")]
    assert points and all(p.replace(".", "").isdigit() or p == "—" for p in points)
    css = (ROOT / "templates" / "html" / "static" / "gb.css").read_text(encoding="utf-8")
    assert "td:first-child" not in css
    for role in ("no", "points", "requirement"):
        assert f"td.gb-col-{role} p" in css


def test_notes_terms_and_downloads(html_build):
    doc = page(html_build, "gbt-36132/standard.html")
    notes = doc.cssselect("p.gb-note")
    assert notes and all(p.text_content().startswith("注") for p in notes)
    en = page(html_build, "green-enterprise/standard.html").cssselect(".gb-term-name strong[lang=en]")
    assert en and en[0].text_content().isascii()
    standard = page(html_build, "green-enterprise/standard.html")
    assert standard.cssselect("a.gb-skip")[0].get("href") == "#gb-text"   # past the 目次
    side = standard.cssselect(".gb-side")[0]
    links = {a.text_content(): a.get("href") for a in side.cssselect(".gb-downloads a")}
    assert links["PDF（正式版式）"] == "../../pdf/green-enterprise-standard.pdf"
    assert any(h.startswith("../../schemas/green-enterprise-") and h.endswith(".json") for h in links.values())
    toc = [a.get("href") for a in side.cssselect(".gb-side-toc a")]
    assert len(toc) > 10 and all(standard.get_element_by_id(h[1:], None) is not None for h in toc)
    notes_page = page(html_build, "green-logistics/notes.html")
    assert notes_page.cssselect(".gb-downloads a")[0].get("href") == "../../pdf/green-logistics-notes.pdf"



def test_untitled_clauses_run_into_their_text_and_stay_out_of_the_toc(html_build, root):
    source = (root / "standards" / "gbt-36132" / "standard.md").read_text(encoding="utf-8")
    assert "#### 4.3.1\n\n最高管理者：" in source              # a clause without a title
    doc = page(html_build, "gbt-36132/standard.html")
    headings = [h.text_content() for h in doc.cssselect("h2, h3, h4, h5")]
    assert not any(h.strip().rstrip("¶").strip() in ("4.2", "4.3.1", "4.3.2") for h in headings)
    section = doc.get_element_by_id("clause-4-3-1")             # its anchor stays
    first = section.cssselect("p")[0]
    assert first.cssselect("span.gb-clause-no")[0].text_content() == "4.3.1"
    assert first.text_content().startswith("4.3.1　最高管理者：")
    toc = [li.text_content() for li in doc.cssselect(".gb-toc li")]
    assert "4.3　基础管理职责" in toc and not any(e.startswith(("4.2", "4.3.1")) for e in toc)
    side = [a.text_content() for a in doc.cssselect(".gb-side-toc a")]
    assert not any(e.startswith(("4.2", "4.3.1")) for e in side)


def test_an_authors_space_between_chinese_title_elements_is_kept(html_build):
    text = page(html_build, "green-enterprise/standard.html").cssselect("main")[0].text_content()
    assert "GB/T 33635 绿色制造 制造企业绿色供应链管理 导则" in text
    assert "GB/T 24001 环境管理体系 要求及使用指南" in text


def test_a_value_and_its_unit_do_not_break_apart(html_build):
    """GB/T 36132's 式中 says “层高超过8 m的”: the space is kept but no line may break there."""
    text = page(html_build, "gbt-36132/standard.html").text_content()
    assert "超过8\u00a0m的" in text and "超过8 m的" not in text
