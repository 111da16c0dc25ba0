"""Word export: `gbstd build --docx` once for the corpus, read back with python-docx, opened by LibreOffice."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from gbstd import cli, wordstyles as ws
from gbstd.source.reader import read

ROOT = Path(__file__).resolve().parent.parent
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
REVIEW = ROOT / "tests" / "fixtures" / "review" / "demo"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("docx-build")
    assert cli.main(["build", "--docx", "--out", str(out)]) == 0
    forms = out / "forms"
    forms.mkdir()
    assert cli.main(["comments", "render", str(REVIEW / "comments" / "zq-01.yaml"),
                     "-o", str(forms / "意见汇总处理表.docx")]) == 0
    assert cli.main(["ballot", "render", str(REVIEW / "ballots" / "hs-01.yaml"),
                     "-o", str(forms / "函审结论表.docx")]) == 0
    return out


def sources() -> list[Path]:
    return sorted(p for p in (ROOT / "standards").glob("*/*.md") if p.stem in ("standard", "notes"))


def word(exported: Path, source: Path) -> docx.document.Document:
    return docx.Document(str(exported / "docx" / f"{source.parent.name}-{source.stem}.docx"))


def text_of(element, tag: str = qn("w:t")) -> str:
    """The text of an element (python-docx's elements do not itertext() like plain lxml)."""
    return "".join(t.text or "" for t in element.iter(tag))


def styles_used(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def test_one_file_per_corpus_document_and_nothing_staged(exported):
    names = sorted(p.name for p in (exported / "docx").iterdir())
    assert names == sorted(f"{p.parent.name}-{p.stem}.docx" for p in sources())
    assert not (exported / ".docx.tmp").exists()


def test_every_file_reads_back_with_every_paragraph_in_a_named_style(exported):
    for source in sources():
        document = word(exported, source)
        used = styles_used(document)
        assert used and "Normal" not in used, source
        cells = [p.style.name for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
        assert set(cells) <= {ws.TABLE_TEXT}, source


def test_standard_structure_styles_and_text(exported):
    document = word(exported, ROOT / "standards" / "gbt-36132" / "standard.md")
    text = {(p.style.name, p.text) for p in document.paragraphs}
    # facts of standards/gbt-36132/standard.md
    assert (ws.COVER["designation"], "GB/T 36132—2018") in text
    assert (ws.COVER["title"], "绿色工厂评价通则") in text
    assert (ws.CHAPTER, "1\u3000范围") in text
    assert (ws.CLAUSE[1], "4.3\u3000基础管理职责") in text
    assert (ws.FOREWORD_TITLE, "前\u3000\u3000言") in text
    assert (ws.TERM_ENTRY[1], "3.1\n绿色工厂\u3000green factory") in text
    assert (ws.LIST_ITEM["letter"], "a) 应通过下述方面证实其在绿色工厂方面的领导作用和承诺：") in text
    assert (ws.LIST_ITEM["number"], "1) 对绿色工厂的有效性负责；") in text
    assert any(style == ws.UNTITLED_CLAUSE[2] and t.startswith("4.3.1\u3000最高管理者") for style, t in text)
    assert (ws.ANNEX_LABEL, "附录A\n（规范性附录）\n绿色工厂绩效指标的计算方法") in text
    assert any(style == ws.NOTE_NUMBERED and t.startswith("注2：") for style, t in text)
    english = [r for p in document.paragraphs for r in p.runs if r.style.name == ws.TERM_EN]
    assert [r.text for r in english][:3] == ["green factory", "green product", "interested party; stakeholder"]
    used = set(styles_used(document))
    for style in (ws.TOC_TITLE, ws.BODY_TITLE, ws.PARAGRAPH, ws.END_LINE, ws.ANNEX_FORMULA,
                  ws.FORMULA_WHERE, ws.ANNEX_TABLE_TITLE, ws.COVER["issue_date"], ws.GAP):
        assert style in used, style
    assert styles_used(document)[-1] == ws.END_LINE


def test_sections_page_numbers_headers_and_toc_field(exported):
    document = word(exported, ROOT / "standards" / "green-enterprise" / "standard.md")
    formats = [s._sectPr.find(qn("w:pgNumType")) for s in document.sections]
    assert [f.get(qn("w:fmt")) if f is not None else None for f in formats] == [None, "upperRoman", "decimal"]
    assert formats[2].get(qn("w:start")) == "1"
    assert document.settings.odd_and_even_pages_header_footer
    front = document.sections[1]
    assert front.header.paragraphs[0].text == front.even_page_header.paragraphs[0].text == "T/XXXX XXX—XXXX"
    assert front.header.paragraphs[0].alignment != front.even_page_header.paragraphs[0].alignment
    assert "PAGE" in "".join(e.text for e in front.footer._element.iter(qn("w:instrText")))
    instructions = "".join(e.text for e in document.element.body.iter(qn("w:instrText")))
    assert 'TOC \\o "1-2"' in instructions and "PAGEREF" in instructions
    notes = word(exported, ROOT / "standards" / "green-logistics" / "notes.md")
    assert len(notes.sections) == 2


def test_every_cross_reference_field_points_at_a_bookmark_with_its_text(exported):
    """REF fields (见附录B, 按公式（A.1）…) name a bookmark that is in the file, once, and holds
    exactly the field's cached text, so that a Word field update prints the same."""
    refs_in_corpus = 0
    for source in sources():
        document = word(exported, source).element.body
        marks: dict[str, str] = {}
        for start in document.iter(qn("w:bookmarkStart")):
            name = start.get(qn("w:name"))
            if not name.startswith("_Ref_gbstd_"):
                continue
            assert name not in marks, f"{source}: bookmark {name} twice"
            text, node = "", start.getnext()
            while node is not None and node.tag != qn("w:bookmarkEnd"):
                text += text_of(node)
                node = node.getnext()
            marks[name] = text
        for paragraph in document.iter(qn("w:p")):
            runs = list(paragraph.iter(qn("w:r")))
            for n, run in enumerate(runs):
                instruction = text_of(run, qn("w:instrText")).split()
                if instruction[:1] == ["REF"]:
                    cached = text_of(runs[n + 2])        # after the separate fldChar
                    assert marks.get(instruction[1]) == cached, (source.name, instruction, cached)
                    refs_in_corpus += 1
    assert refs_in_corpus >= 30     # 公式（A.n）, 附录A–C, 第4章, 7.2 … in the corpus


def test_indicator_table_merged_cells_repeated_header_and_total(exported):
    source = ROOT / "standards" / "green-enterprise" / "standard.md"
    model = read(source).indicator_tables[0]
    document = word(exported, source)
    [table] = document.tables
    rows = table._tbl.findall(qn("w:tr"))
    assert len(rows) == 1 + len(model.leaves()) + 1
    assert rows[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    starts = [tc for tc in rows[1].getparent().iter(qn("w:tc"))
              if tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}") is not None
              and tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}").get(qn("w:val")) == "restart"]
    names = [text_of(tc) for tc in starts]
    for indicator in model.indicators:
        assert any(name.startswith(indicator.name) for name in names), indicator.name
    total = rows[-1].findall(qn("w:tc"))
    assert text_of(total[0]) == "合计"
    assert total[0].find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") is not None
    assert text_of(total[1]) == "100"


def test_formulas_are_word_equations_numbered_at_the_right(exported):
    source = ROOT / "standards" / "gbt-36132" / "standard.md"
    formulas = read(source).formulas
    document = word(exported, source)
    lines = [p for p in document.paragraphs if p.style.name in (ws.FORMULA, ws.ANNEX_FORMULA)]
    numbered = [p for p in lines if p.text.endswith("）")]
    assert [p.text.rsplit("\t", 1)[1] for p in numbered] == [f"（{f.number}）" for f in formulas]
    # the ```{math} block of 注2 (source line 386) is an unnumbered equation; its {math} roles too
    [display] = [p for p in lines if p not in numbered]
    assert text_of(display._p.find(f"{M}oMath"), M + "t") == "ki=tit0"
    [note] = [p for p in document.paragraphs if p.text.startswith("注2：工厂总产能")]
    assert note._p.find(f"{M}oMath") is not None and "k_i" not in note.text
    first = lines[0]._p
    math = first.find(f"{M}oMath")
    assert math is not None and math.find(f".//{M}f") is not None      # A.1 is a fraction
    assert "用地" in text_of(math, M + "t")
    assert lines[0].text.endswith("\t（A.1）")
    where = [p for p in document.paragraphs if p.style.name == ws.FORMULA_WHERE]
    assert where[0].text == "式中：" and where[1]._p.find(f"{M}oMath") is not None


def test_review_forms_as_word(exported):
    comments = docx.Document(str(exported / "forms" / "意见汇总处理表.docx"))
    assert comments.paragraphs[0].text == "意见汇总处理表"
    header = [c.text for c in comments.tables[0].rows[0].cells]
    assert header[:3] == ["序号", "标准章条编号", "意见内容"]
    assert comments.sections[0].page_width > comments.sections[0].page_height     # landscape
    ballot = docx.Document(str(exported / "forms" / "函审结论表.docx"))
    assert ballot.paragraphs[0].text.endswith("送审稿函审结论表")
    assert any(p.text == "附：函审单" for p in ballot.paragraphs)


def test_libreoffice_opens_every_exported_file(exported, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装：运行 scripts/ensure-system-deps.sh")
    files = sorted((exported / "docx").glob("*.docx")) + sorted((exported / "forms").glob("*.docx"))
    result = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                             "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for file in files:
        pdf = tmp_path / "pdf" / f"{file.stem}.pdf"
        assert pdf.exists() and pdf.stat().st_size > 1000, file.name
    text = subprocess.run(["pdftotext", str(tmp_path / "pdf" / "gbt-36132-standard.pdf"), "-"],
                          capture_output=True, text=True).stdout
    assert "GB/T 36132—2018" in text and "绿色工厂绩效指标的计算方法" in text


@pytest.mark.parametrize("arguments, message", [
    (["missing.md"], "无法读取文件"),
    (["README.md", "-o", "x.pdf"], "输出文件应以 .docx 结尾"),
    (["tests/fixtures/review/demo/comments/zq-01.yaml"], "不是 Markdown 源文件"),
    (["standards/gbt-36132/standard.md", "-o", "no-such-folder/x.docx"], "目录不存在"),
])
def test_bad_paths_give_one_chinese_error_and_write_nothing(arguments, message, tmp_path, monkeypatch, capsys):
    for name in ("tests", "standards", "README.md"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.iterdir())
    assert cli.main(["export", "docx", *arguments]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and re.search(r":1: 错误 [A-Z]+-\d+: ", err)
    assert set(tmp_path.iterdir()) == before


def test_export_writes_the_named_file(tmp_path, capsys):
    target = tmp_path / "征求意见稿.docx"
    assert cli.main(["export", "docx", str(ROOT / "standards" / "sz-green-industry-guide" / "standard.md"),
                     "-o", str(target)]) == 0
    assert "写入" in capsys.readouterr().out
    assert docx.Document(str(target)).paragraphs


def test_benchmark_tiny_mode_runs():
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "docx_bench.py"), "--tiny"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert re.search(r"bench-20 .* export / read", result.stdout)


def test_a_word_file_is_made_again_when_a_file_beside_its_source_changes(tmp_path):
    """Word files of unchanged documents are taken over from the previous build; what counts
    as unchanged includes the bytes of the files beside the source (an image replaced under
    the same name), not only their names, and a draft's count of open findings."""
    from gbstd.commands.export import _made_from, _tools
    source = tmp_path / "doc" / "standard.md"
    source.parent.mkdir()
    source.write_text("# 范围\n", encoding="utf-8")
    image = source.parent / "figure-1.png"
    image.write_bytes(b"first picture")
    tools = _tools()
    before = _made_from(tools, source, 0)
    assert _made_from(tools, source, 0) == before
    image.write_bytes(b"other picture")
    assert _made_from(tools, source, 0) != before
    assert _made_from(tools, source, 1) != _made_from(tools, source, 0)
    (source.parent / "notes.md").write_text("# 编制说明\n", encoding="utf-8")   # another document
    with_notes = _made_from(tools, source, 0)
    (source.parent / "notes.md").write_text("# 编制说明（修改）\n", encoding="utf-8")
    assert _made_from(tools, source, 0) == with_notes
