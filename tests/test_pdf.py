"""PDF in GB layout: one per corpus document, checked on the PDFs themselves (poppler, pypdf).

The corpus is built once per session with `gbstd build --only pdf`, as a user
would; a small fixture project (tests/fixtures/pdf) adds a table long enough
to continue on a second page, a formula with Chinese in it and a title full of
LaTeX special characters.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from gbstd.source import reader
from gbstd.writers.doctree_writer import table_columns, table_rows
from gbstd.writers.latex import (CELL_PADDING_EM, LINE_EM, POINTS_SUFFIX, cell_lines, cjk_in_math, heading,
                             indicator_column_widths, latex_escape, stranded_pair,
                             table_column_widths, text_em)
from gbstd.writers.texrun import latex_errors
from gbstd.model import Clause

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "pdf"
SOURCES = sorted(ROOT.glob("standards/*/standard.md")) + sorted(ROOT.glob("standards/*/notes.md"))
STANDARDS = [s for s in SOURCES if s.name == "standard.md"]
SPECIAL_TITLE = r"特殊字符 100% & $5 #1 {a} ~b ^c _d \e [f]"

needs_tex = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("xelatex", "latexmk", "pdftotext", "pdffonts")),
    reason="xelatex, latexmk and poppler are needed (make system-deps installs them)")


def gbstd(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbstd", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


@pytest.fixture(scope="session")
def corpus_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf-build")
    result = gbstd("build", "--only", "pdf", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def corpus_pdfs(corpus_build) -> Path:
    return corpus_build / "pdf"


@pytest.fixture(scope="session")
def fixture_project(tmp_path_factory) -> Path:
    """A copy of the project configuration with the PDF fixture corpus as standards/."""
    project = tmp_path_factory.mktemp("pdf-project")
    shutil.copy(ROOT / "gbstd.toml", project / "gbstd.toml")
    shutil.copytree(FIXTURE / "standards", project / "standards")
    return project


@pytest.fixture(scope="session")
def long_table_pdf(fixture_project) -> Path:
    # the fixture is a draft with open findings: only --draft publishes it
    result = gbstd("build", "--draft", "--only", "pdf", "--out", str(fixture_project / "build"),
                   cwd=fixture_project)
    assert result.returncode == 0, result.stderr
    return fixture_project / "build" / "pdf" / "long-table-standard.pdf"


def pdf_name(source: Path) -> str:
    return f"{source.parent.name}-{source.stem}.pdf"


def text(pdf: Path, page: int | None = None, *, header: bool = False, layout: bool = False) -> str:
    """pdftotext of the whole file, one page (1-based), or only that page's top 22 mm."""
    command = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else [])
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    if header:
        command += ["-r", "72", "-x", "0", "-y", "0", "-W", "595", "-H", "62"]
    return subprocess.run([*command, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def squash(value: str) -> str:
    """Without white space: pdftotext puts spaces between Chinese and Latin, and at line ends."""
    return re.sub(r"\s+", "", value)


def labels(pdf: Path) -> list[str]:
    return list(PdfReader(str(pdf)).page_labels)


ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


# ---------------------------------------------------------------- the corpus

@needs_tex
@pytest.mark.parametrize("source", SOURCES, ids=lambda s: pdf_name(s))
def test_each_document_has_a_pdf_with_its_title_and_designation(corpus_pdfs, source):
    pdf = corpus_pdfs / pdf_name(source)
    assert pdf.exists(), f"missing {pdf.name}"
    doc = reader.read(source)
    content = text(pdf)
    assert squash(doc.meta.title or doc.title) in squash(content)
    if not doc.is_notes:
        assert doc.meta.designation in content   # GB/T 36132—2018 with its 一字线, in one piece
        assert squash(doc.meta.designation) in squash(text(pdf, 1))   # on the cover


@needs_tex
def test_no_pdf_beyond_the_corpus(corpus_pdfs):
    assert sorted(p.name for p in corpus_pdfs.iterdir()) == sorted(pdf_name(s) for s in SOURCES)


@needs_tex
@pytest.mark.parametrize("source", SOURCES[:1] + SOURCES[-1:], ids=lambda s: pdf_name(s))
def test_cjk_fonts_are_embedded(corpus_pdfs, source):
    fonts = subprocess.run(["pdffonts", str(corpus_pdfs / pdf_name(source))], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert any("SerifCJK" in line for line in cjk) and any("SansCJK" in line for line in cjk)
    for line in fonts:
        assert line.split()[-5] == "yes", f"not embedded: {line}"


@needs_tex
@pytest.mark.parametrize("source", STANDARDS, ids=lambda s: pdf_name(s))
def test_standard_pages_labelled_cover_then_roman_then_arabic(corpus_pdfs, source):
    found = labels(corpus_pdfs / pdf_name(source))
    first_body = found.index("1")
    front = [label for label in found[1:first_body] if label != "封二"]
    assert found[0] == "封面"                                 # the cover is not counted
    assert found[1:2] == ["封二"] if reader.read(source).meta.provenance else "封二" not in found
    assert front == ROMAN[:len(front)] and len(front) >= 1   # 目次 (and 前言) I, II …
    assert found[first_body:] == [str(n) for n in range(1, len(found) - first_body + 1)]


@needs_tex
@pytest.mark.parametrize("source", [s for s in SOURCES if s.name == "notes.md"], ids=lambda s: pdf_name(s))
def test_notes_have_a_simple_cover_then_arabic_pages(corpus_pdfs, source):
    pdf = corpus_pdfs / pdf_name(source)
    found = [label for label in labels(pdf) if label != "封二"]   # the provenance note's page
    assert found[1:] == [str(n) for n in range(1, len(found))]
    cover = squash(text(pdf, 1))
    meta = reader.read(source).meta
    assert "编制说明" in cover and "ICS" not in cover and "发布" not in cover
    for given_value in (meta.drafting_group, meta.date):
        assert squash(given_value) in cover


@needs_tex
@pytest.mark.parametrize("source", STANDARDS, ids=lambda s: pdf_name(s))
def test_running_header_carries_the_designation(corpus_pdfs, source):
    pdf = corpus_pdfs / pdf_name(source)
    designation = reader.read(source).meta.designation
    found = labels(pdf)
    for page in range(found.index("1") + 1, len(found) + 1):
        assert designation in text(pdf, page, header=True), f"page {page} has no running header"
    assert designation not in text(pdf, 1, header=True)    # the cover has none


@needs_tex
def test_toc_page_lists_chapters_and_annexes_with_page_numbers(corpus_pdfs):
    pdf = corpus_pdfs / "green-enterprise-standard.pdf"
    toc_page = labels(pdf).index("I") + 1
    lines = [squash(line) for line in text(pdf, toc_page, layout=True).splitlines() if line.strip()]
    assert "目次" in lines
    assert any(re.fullmatch(r"1范围\.+\d+", line) for line in lines)
    assert any(re.fullmatch(r"附录A（规范性）绿色企业绩效指标计算方法\.+\d+", line) for line in lines)
    assert not any(line.startswith("3.1") for line in lines)   # terms are not in the 目次


@needs_tex
@pytest.mark.parametrize("name, role", [("green-enterprise-standard.pdf", "（规范性）"),
                                        ("gbt-36132-standard.pdf", "（规范性附录）")])
def test_annex_heading_on_three_lines_with_its_edition_label(corpus_pdfs, name, role):
    lines = [squash(line) for line in text(corpus_pdfs / name).splitlines() if line.strip()]
    start = lines.index("附录A")
    assert lines[start + 1] == role
    assert lines[start + 2].endswith("计算方法")


@needs_tex
def test_gaps_print_as_not_given_on_the_cover(corpus_pdfs):
    cover = text(corpus_pdfs / "green-enterprise-standard.pdf", 1)
    assert "ICS （未给出）" in cover and "（未给出）发布" in squash(cover)
    lines = [line.strip() for line in cover.splitlines() if line.strip()]
    assert lines[lines.index("绿色企业评价通则") + 1] == "（未给出）"       # the English title
    assert "CCS （未给出）" in text(corpus_pdfs / "gbt-36132-standard.pdf", 1)   # 2009, a gap: labelled


@needs_tex
def test_cover_family_line_and_provenance_on_the_reverse(corpus_pdfs):
    group = text(corpus_pdfs / "green-enterprise-standard.pdf", 1, layout=True)
    assert re.search(r"^\s{8,}团\s+体\s+标\s+准\s*$", group, re.M)   # centred, not across the page
    for name in ("gbt-36132-standard.pdf", "green-logistics-standard.pdf"):
        pdf = corpus_pdfs / name
        assert "来源说明" not in text(pdf, 1) and "来源说明" in text(pdf, 2)
        assert labels(pdf)[:2] == ["封面", "封二"]


@needs_tex
def test_cited_titles_print_exactly_as_written(corpus_pdfs):
    """Every normative reference's title, with the author's spaces between its elements."""
    checked = 0
    for source in STANDARDS:
        lines = {line.strip() for line in text(corpus_pdfs / pdf_name(source)).splitlines()}
        for reference in reader.read(source).references:
            if reference.title:
                checked += 1
                assert any(line.endswith(reference.title) for line in lines), reference.raw
    assert checked >= 20
    body = text(corpus_pdfs / "gbt-36132-standard.pdf")
    assert "GB/T 19001 质量管理体系 要求" in body and "GB/T 18916（所有部分） 取水定额" in body


@needs_tex
def test_untitled_clauses_run_into_their_text_and_are_no_headings(corpus_pdfs):
    pdf = corpus_pdfs / "gbt-36132-standard.pdf"
    layout = text(pdf, layout=True)
    assert re.search(r"^\s*4\.3\.1\s+最高管理者：", layout, re.M)
    assert re.search(r"^\s*4\.2\s+〔原文缺失〕", layout, re.M)        # a gap takes the number too
    toc = squash(text(pdf, labels(pdf).index("I") + 1))
    assert "4.1总则" in toc and "4.3基础管理职责" in toc and "4.2" not in toc

    def titles(outline) -> list[str]:
        return [t for item in outline for t in (titles(item) if isinstance(item, list) else [item.title])]
    bookmarks = [b.strip() for b in titles(PdfReader(str(pdf)).outline)]
    assert "4.1 总则" in bookmarks and not {"4.2", "4.3.1", "4.3.2"} & set(bookmarks)


@needs_tex
def test_pdf_metadata_language_and_searchable_maths(corpus_pdfs):
    pdf = PdfReader(str(corpus_pdfs / "gbt-36132-standard.pdf"))
    assert pdf.trailer["/Root"]["/Lang"] == "zh-CN"
    info = pdf.metadata
    assert info.title == "绿色工厂评价通则" and info.subject == "GB/T 36132—2018"
    assert "GB/T 36132—2018" in info["/Keywords"] and "中华人民共和国国家标准" in info["/Keywords"]
    assert "A用地" in text(corpus_pdfs / "gbt-36132-standard.pdf")   # maths letters as ASCII


@needs_tex
def test_headings_are_set_in_noto_sans_cjk_bold(corpus_pdfs):
    fonts = subprocess.run(["pdffonts", str(corpus_pdfs / "gbt-36132-standard.pdf")], capture_output=True,
                           text=True, check=True).stdout
    # the SC faces, named as such (gbstd.writers.cjkfonts), not the collection's shared "…jp" name
    assert "NotoSansCJKsc-Bold" in fonts and "NotoSerifCJKsc-Regular" in fonts
    assert "CJKjp" not in fonts


@needs_tex
def test_notes_cover_title_breaks_between_words_and_names_its_stage_once(corpus_pdfs):
    cover = [line.strip() for line in text(corpus_pdfs / "green-trade-tech-notes.pdf", 1).splitlines() if line.strip()]
    assert cover[:3] == ["《优秀绿色贸易技术评价标准》", "（征集意见稿）团体标准", "编制说明"]
    assert "（征求意见稿）" not in cover


@needs_tex
def test_framework_prints_as_gb_provisions_not_its_id(corpus_pdfs):
    content = text(corpus_pdfs / "sz-green-industry-guide-standard.pdf")
    assert "sz-green-industry" not in content and "派生标准应遵循的框架" not in content
    assert "评价指标体系的一级指标宜包括目录符合、技术符合、业务表现" in squash(content)
    assert "比例应不低于70%" in squash(content)


# ---------------------------------------------------------------- the fixture project

@needs_tex
def test_user_strings_reach_the_pdf_verbatim(long_table_pdf):
    assert SPECIAL_TITLE in text(long_table_pdf, 1)


@needs_tex
def test_every_character_has_a_glyph(corpus_build, long_table_pdf):
    assert "≥ 60 且 ≤ 100" in text(long_table_pdf)
    logs = [*(corpus_build / ".latex").glob("*.log"), long_table_pdf.parent.parent / ".latex" /
            "long-table-standard.log"]
    assert len(logs) == len(SOURCES) + 1
    for log in logs:
        assert "Missing character" not in log.read_text(errors="replace"), log.name


@needs_tex
def test_authors_spaces_and_ellipses_extract_as_written(long_table_pdf):
    body = text(long_table_pdf).replace("\n", "")      # lines joined, spaces kept
    assert "《中共中央 国务院关于加快经济社会发展全面绿色转型的意见》" in body
    assert "“推动……转型”" in body and "⋯" not in body
    assert "N可再生" in body                                     # a maths letter as ASCII


@needs_tex
def test_draft_cover_has_stage_and_patent_sentence(long_table_pdf):
    cover = squash(text(long_table_pdf, 1))
    assert cover.startswith("含未解决的检查结果（")      # built with --draft, findings open
    assert "含未解决的检查结果" in text(long_table_pdf, 3, header=True)
    assert "（征求意见稿）" in cover and "请将您知道的相关专利连同支持性文件一并附上" in cover
    assert cover.index("2025-01-01发布") < cover.index("2025-06-01实施") < cover.index("测试协会")


@needs_tex
def test_long_table_continues_with_caption_and_header(long_table_pdf):
    pages = [squash(text(long_table_pdf, n, layout=True))
             for n in range(1, len(labels(long_table_pdf)) + 1)]
    first = next(i for i, page in enumerate(pages) if "表A.1长表测试评价指标表" in page)
    continued = [i for i, page in enumerate(pages) if "表A.1（续）" in page]
    assert continued and continued[0] == first + 1
    for i in continued:
        assert pages[i].index("表A.1（续）") < pages[i].index("一级指标序号二级指标分值评分标准")
    assert "合计100" in pages[continued[-1]]


@needs_tex
def test_first_level_group_kept_on_one_page_and_a_taller_one_repeats_its_name(long_table_pdf):
    pages = [text(long_table_pdf, n) for n in range(1, len(labels(long_table_pdf)) + 1)]

    def page_of(group: str, row: int) -> int:
        return next(i for i, page in enumerate(pages) if re.search(rf"{group}指标\s*{row}(?!\d)", page))

    # 第二类 (30 rows) does not fit under 第一类: it moves to the next page whole
    assert page_of("第一类", 10) < page_of("第二类", 1) == page_of("第二类", 30)
    # 能源 (60 rows) is taller than a page: split, its name repeated at the top of the continuation
    first, last = page_of("能源", 1), page_of("能源", 60)
    assert last == first + 1
    # (the name wraps in its narrow column: 能源 / （合计 60 分）)
    assert "（合计 60 分）" in pages[first] and "能源（续）" not in pages[first]
    assert squash(pages[last]).index("能源（续）") < squash(pages[last]).index("能源指标")
    assert "第一类（续）" not in "".join(pages) and "第二类（续）" not in "".join(pages)


def page_lines(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    """The lines of text on a page (pdftotext -bbox-layout): (top, bottom, text)."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                         capture_output=True, text=True, check=True).stdout
    return [(float(m[1]), float(m[2]), re.sub(r"<[^>]+>|\s", "", m[3]))
            for m in re.finditer(r'<line xMin="[^"]*" yMin="([^"]*)" xMax="[^"]*" yMax="([^"]*)">(.*?)</line>',
                                 xml, re.S)]


@needs_tex
def test_merged_first_level_cells_are_centred_and_their_column_narrow(corpus_pdfs):
    pdf = corpus_pdfs / "green-enterprise-standard.pdf"
    page = next(n for n in range(1, len(labels(pdf)) + 1) if "绿色战略（" in squash(text(pdf, n)))
    lines = page_lines(pdf, page)
    name = [line for line in lines if line[2] in ("绿色战略", "（合计20分）")][:2]
    first, last = (next(line for line in lines if line[2] == t) for t in ("最高管理者承诺", "合规性经营"))
    assert [line[2] for line in name] == ["绿色战略", "（合计20分）"]     # wrapped: a narrow column
    centre = (name[0][0] + name[1][1]) / 2
    assert abs(centre - (first[0] + last[1]) / 2) < 3          # in the middle of its seven rows
    # a second-level name over three rows too (表E.1 of the green logistics standard)
    pdf = corpus_pdfs / "green-logistics-standard.pdf"
    page = next(n for n in range(1, len(labels(pdf)) + 1) if "先进性（20分）" in squash(text(pdf, n)))
    lines = page_lines(pdf, page)
    name, first, last = (next(line for line in lines if line[2] == t)
                         for t in ("先进性（20分）", "有效知识产权", "关键技术先进性"))
    assert abs((name[0] + name[1]) / 2 - (first[0] + last[1]) / 2) < 3


@needs_tex
def test_plain_table_columns_take_their_width_from_their_text(long_table_pdf):
    lines = [squash(line) for line in text(long_table_pdf, layout=True).splitlines()]
    assert "优综合得分不低于85分且全部必选指标和可选指标均满足要求的企业" in lines


@needs_tex
def test_pages_end_at_the_foot_of_the_text_block(corpus_pdfs):
    """No page that could be full ends a line and a half or more short (headings used to
    be kept out of the last six lines of a page); scripts/pdf_page_fill.py measures it."""
    spec = importlib.util.spec_from_file_location("pdf_page_fill", ROOT / "scripts" / "pdf_page_fill.py")
    fill = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fill)
    short = {pdf.name: [(page, round(lines, 1)) for page, lines in fill.shortfalls(pdf) if lines >= 1.5]
             for pdf in sorted(corpus_pdfs.glob("*.pdf"))}
    assert not any(short.values()), short


@needs_tex
@pytest.mark.parametrize("source", [s for s in STANDARDS if reader.read(s).indicator_tables],
                         ids=lambda s: pdf_name(s))
def test_indicator_table_headers_and_points_labels_do_not_break(corpus_pdfs, source):
    content = text(corpus_pdfs / pdf_name(source))
    for table in reader.read(source).indicator_tables:
        if any(i.requirement for i in table.walk()):
            assert "必选/可选" in content
        names = [i for i, role in enumerate(table_columns(table)) if role.startswith("level")]
        for row in table_rows(table):
            for cell in (row[i] for i in names if row[i] is not None):
                if POINTS_SUFFIX.search(cell[0]):
                    assert POINTS_SUFFIX.search(cell[0])[0] in content, cell[0]


@needs_tex
def test_formula_number_at_the_right_margin_with_where_list(long_table_pdf):
    layout = text(long_table_pdf, layout=True).splitlines()
    line = next(line for line in layout if "(A.1)" in line)
    assert line.rstrip().endswith("(A.1)")
    boxes = subprocess.run(["pdftotext", "-bbox", str(long_table_pdf), "-"], capture_output=True,
                           text=True, check=True).stdout
    right = float(re.search(r'xMax="([\d.]+)"[^>]*>\(A\.1\)<', boxes)[1])
    assert abs(right - (210 - 20) / 25.4 * 72) < 1      # at the right margin (20 mm)
    following = "".join(layout[layout.index(line):])
    assert "式中" in following and "可再生" in following


@needs_tex
def test_pdf_option_builds_only_that_document(corpus_build, tmp_path):
    for work in (".latex", ".doctrees"):   # latexmk finds its files up to date: no rerun
        shutil.copytree(corpus_build / work, tmp_path / work)
    kept = tmp_path / "pdf" / "earlier.pdf"
    kept.parent.mkdir()
    kept.write_bytes(b"%PDF-earlier")
    result = gbstd("build", "--pdf", "standards/green-trade-tech/notes.md", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in kept.parent.iterdir()) == ["earlier.pdf", "green-trade-tech-notes.pdf"]
    assert not (tmp_path / "html").exists()


@needs_tex
def test_pdf_option_says_what_the_checker_reports_for_the_document(fixture_project, long_table_pdf, tmp_path):
    for work in (".latex", ".doctrees"):
        shutil.copytree(fixture_project / "build" / work, tmp_path / work)
    source = "standards/long-table/standard.md"
    strict = gbstd("build", "--pdf", source, "--out", str(tmp_path), cwd=fixture_project)
    assert strict.returncode == 1 and not (tmp_path / "pdf").exists()
    result = gbstd("build", "--draft", "--pdf", source, "--out", str(tmp_path), cwd=fixture_project)
    assert result.returncode == 0, result.stderr
    check = gbstd("check", source, cwd=fixture_project)
    errors, warnings = re.search(r"(\d+) 个错误，(\d+) 个警告", check.stdout).groups()
    assert int(errors) > 0    # the fixture is a draft with open findings
    line = result.stdout.splitlines()[-1]
    assert "草稿构建" in result.stderr
    assert f"{errors} 个错误、{warnings} 个警告" in line and f"gbstd check {source}" in line


def test_pdf_option_rejects_a_path_outside_the_corpus(tmp_path):
    result = gbstd("build", "--pdf", "docs/authoring.md", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "docs/authoring.md" in result.stderr and "standards/" in result.stderr
    assert not (tmp_path / "pdf").exists()


@needs_tex
def test_failed_latex_run_is_reported_and_leaves_build_pdf_alone(fixture_project, tmp_path):
    out = tmp_path / "build"
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "earlier.pdf").write_bytes(b"%PDF-earlier")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "latexmk").write_text("#!/bin/sh\nfor a; do n=$a; done\n"
                                  "echo \"./${n%.tex}.tex:42: Undefined control sequence.\" > \"${n%.tex}.log\"\n"
                                  "exit 12\n")
    (fake / "latexmk").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ['PATH']}"}
    result = gbstd("build", "--draft", "--only", "pdf", "--out", str(out), cwd=fixture_project, env=env)
    assert result.returncode == 1
    assert "long-table-standard" in result.stderr and ".tex:42: Undefined control sequence" in result.stderr
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["earlier.pdf"]


# ---------------------------------------------------------------- Sphinx-free helpers

_UNESCAPE = {r"\gbspace{}": " ", r"\textbackslash{}": "\\", r"\textasciicircum{}": "^", r"\textasciitilde{}": "~",
             "{[}": "[", "{]}": "]", **{"\\" + c: c for c in "{}$&#%_"}}
_ESCAPE_SEQUENCE = re.compile("|".join(re.escape(k) for k in sorted(_UNESCAPE, key=len, reverse=True)))


@given(st.text(alphabet=st.sampled_from(list("\\{}$&#^_%~[]a 中—")), max_size=40))
def test_latex_escape_leaves_no_special_character_and_is_reversible(value):
    escaped = latex_escape(value)
    assert not re.search(r"[\\{}$&#^_%~\[\]]", _ESCAPE_SEQUENCE.sub("", escaped))
    assert _ESCAPE_SEQUENCE.sub(lambda m: _UNESCAPE[m.group()], escaped) == value


def test_latex_escape_keeps_a_value_on_one_line():
    assert latex_escape("甲\n\n乙\x07") == "甲 乙"


def test_latex_escape_keeps_an_authors_space_between_chinese_characters():
    assert latex_escape("GB/T 19001 质量管理体系 要求") == r"GB/T 19001 质量管理体系\gbspace{}要求"
    assert latex_escape("《中共中央 国务院关于》") == r"《中共中央\gbspace{}国务院关于》"
    assert latex_escape("A 用地 B") == "A 用地 B"


def test_chinese_in_formulas_is_set_as_text():
    assert cjk_in_math(r"k = \frac{N_{可再生}}{N}") == r"k = \frac{N_{\text{可再生}}}{N}"
    assert cjk_in_math(r"E_{ui} = \frac{E_{i}}{Q}") == r"E_{ui} = \frac{E_{i}}{Q}"


def test_annex_heading_is_three_escaped_lines_and_a_plain_bookmark():
    annex = Clause(kind="annex", title="指标表 100%", line=1, heading_level=2, number="B",
                   annex_letter="B", annex_role="资料性", annex_role_label="（资料性附录）")
    assert heading(annex) == (r"\texorpdfstring{\gbannextitle{附录B}{（资料性附录）}{指标表 100\%}}"
                              r"{附录B（资料性附录）指标表 100\%}")


INDICATOR_ROLES = ["level1", "level2", "points", "requirement", "criteria"]
INDICATOR_HEADERS = ["一级指标", "二级指标", "分值", "必选/可选", "评分标准"]


def indicator_rows(level1: str, criteria: str, count: int = 4) -> list:
    return [[(level1, count) if n == 0 else None, (f"二级指标{n}", 1), ("5", 1), ("必选", 1), (criteria, 1)]
            for n in range(count)]


def text_widths(widths: list[int]) -> list[float]:
    """Each column's text width in ems, as LaTeX sets it: the line shared out in proportion."""
    return [LINE_EM * w / sum(widths) - CELL_PADDING_EM for w in widths]


def test_indicator_columns_take_their_width_from_their_text():
    level1, level2, points, requirement, criteria = text_widths(
        indicator_column_widths(INDICATOR_ROLES, INDICATOR_HEADERS, indicator_rows("能源（合计 60 分）", "—")))
    # a name over four rows wraps (能源 / （合计 60 分）): its column no wider than it needs
    assert text_em("（合计 60 分）") - 0.05 <= level1 < text_em("能源（合计 60 分）")
    assert requirement >= text_em("必选/可选") and points >= text_em("分值")   # headers on one line
    assert criteria < level2                                # an empty 评分标准 stays narrow


def test_no_character_is_left_alone_on_a_line_while_another_column_has_room():
    # equal widths would set the long text on two lines
    rows = [[("等级", 1), ("判定条件", 1)], [("优", 1), ("综" * 30, 1)], [("良", 1), ("不低于70分", 1)]]
    grade, condition = text_widths(table_column_widths(rows))
    assert condition >= 30 and grade >= text_em("等级")
    assert cell_lines("温室气体排放水平", 7) == (2, 1)          # 平 alone on the second line
    assert stranded_pair("温室气体排放水平", 7) == 6            # so 水平 are kept together
    assert stranded_pair("温室气体排放水平", 8) is None
    assert stranded_pair("能源（合计 60 分）", 6.5) is None     # the points never break


def test_long_criteria_get_the_room_and_names_wrap_in_their_merged_cells():
    long = "满足本条全部要求并提供证明材料的得满分，否则不得分"
    widths = indicator_column_widths(INDICATOR_ROLES, INDICATOR_HEADERS,
                                     indicator_rows("能源与资源综合利用（合计 60 分）", long))
    level1, _, _, requirement, criteria = text_widths(widths)
    assert sum(w / 10 for w in widths) <= LINE_EM + 0.5    # no wider than the line
    assert criteria >= text_em(long)                        # every criterion on one line
    assert text_em("（合计 60 分）") <= level1 < text_em("能源与资源综合利用（合计 60 分）")
    assert requirement >= text_em("必选/可选")


def test_latex_errors_are_taken_from_the_log():
    log = "This is XeTeX\n./x.tex:12: Undefined control sequence.\nl.12 \\foo\n! Emergency stop.\n"
    assert latex_errors(log) == ["./x.tex:12: Undefined control sequence.", "! Emergency stop."]


@needs_tex
def test_a_document_removed_from_the_corpus_loses_its_pdf(fixture_project, long_table_pdf):
    work = fixture_project / "build" / ".latex"
    stale = work / "removed-standard.tex"
    stale.write_text((work / "long-table-standard.tex").read_text(encoding="utf-8"), encoding="utf-8")
    result = gbstd("build", "--draft", "--only", "pdf", "--out", str(fixture_project / "build"), cwd=fixture_project)
    assert result.returncode == 0, result.stderr
    assert not stale.exists()
    assert sorted(p.name for p in (fixture_project / "build" / "pdf").iterdir()) == ["long-table-standard.pdf"]
