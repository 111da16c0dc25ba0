"""Word export of what the corpus hardly has, and its import back: emphasis, footnotes,
cross-references as REF fields, an indicator table across a page break, the English title
gap on the cover. One fixture (tests/fixtures/docx/features/standard.md), exported once."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from gbstd import cli
from gbstd.source import reader

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests" / "fixtures" / "docx" / "features" / "standard.md"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("features")
    target = out / "features.docx"
    assert cli.main(["export", "docx", str(SOURCE), "-o", str(target)]) == 0
    with zipfile.ZipFile(target) as package:
        parts = {name: package.read(name).decode("utf-8") for name in package.namelist()
                 if name.endswith((".xml", ".rels"))}
    imported = out / "imported" / "features" / "standard.md"
    assert cli.main(["import", str(target), "-o", str(imported)]) == 0
    return target, parts, imported


def paragraph_xml(document: str, starting: str) -> str:
    """The w:p whose text starts with ``starting``."""
    for p in re.findall(r"<w:p>.*?</w:p>|<w:p .*?</w:p>", document):
        text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
        if text.startswith(starting):
            return p
    raise AssertionError(f"no paragraph starts with {starting!r}")


def test_emphasis_is_written_as_run_properties(exported):
    _, parts, _ = exported
    p = paragraph_xml(parts["word/document.xml"], "本文件规定了绿色工厂的")
    assert re.search(r"<w:rPr><w:b/></w:rPr><w:t>评价要求</w:t>", p)
    assert re.search(r"<w:rPr><w:i/></w:rPr><w:t>评价方法</w:t>", p)
    p = paragraph_xml(parts["word/document.xml"], "工厂应满足")
    assert re.search(r'<w:vertAlign w:val="subscript"/></w:rPr><w:t>2</w:t>', p)
    assert re.search(r'<w:vertAlign w:val="superscript"/></w:rPr><w:t>2</w:t>', p)


def test_footnotes_are_word_footnotes(exported):
    _, parts, _ = exported
    assert 'relationships/footnotes" Target="footnotes.xml"' in parts["word/_rels/document.xml.rels"]
    assert 'PartName="/word/footnotes.xml"' in parts["[Content_Types].xml"]
    notes = parts["word/footnotes.xml"]
    assert re.findall(r'<w:footnote w:type="(\w+)" w:id="(-?\d)"', notes) == [
        ("separator", "-1"), ("continuationSeparator", "0")]
    assert "绿色工厂指实现了用地集约化" in notes and "计量单位按 GB 3100 的规定。" in notes
    document = parts["word/document.xml"]
    assert re.findall(r'<w:footnoteReference w:id="(\d)"/>', document) == ["1", "2"]
    # the footnote's number “1” printed in the model's text is Word's mark now, not text
    p = paragraph_xml(document, "本文件适用于绿色工厂的评价")
    assert "评价1" not in "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p))
    assert 'w:styleId="FootnoteText"' in parts["word/styles.xml"]
    # a table's footnote: its letter in superscript in the cell, its text under the table
    table = re.search(r"<w:tbl>.*?</w:tbl>", document[document.index("评价等级</w:t>"):]).group()
    assert re.search(r'<w:t>综合得分</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                     r"<w:t>a</w:t>", table)
    note = paragraph_xml(document, "a　综合得分按公式")
    assert '<w:pStyle w:val="标准文件_表注"/>' in note and 'w:val="superscript"' in note


def test_cross_references_are_ref_fields_to_bookmarked_numbers(exported):
    _, parts, _ = exported
    document = parts["word/document.xml"]
    refs = re.findall(r"<w:instrText[^>]*> REF (\S+) \\h </w:instrText></w:r><w:r><w:fldChar "
                      r'w:fldCharType="separate"/></w:r><w:r><w:t>([^<]*)</w:t>', document)
    # (bookmark, the cached text as written) in the order of the text
    assert refs == [("_Ref_gbstd_c4", "4"), ("_Ref_gbstd_aA", "A"), ("_Ref_gbstd_c5_2", "5.2"),
                    ("_Ref_gbstd_c5_3", "5.3"), ("_Ref_gbstd_tA_1", "A.1"), ("_Ref_gbstd_t1", "1"),
                    ("_Ref_gbstd_f1", "1"), ("_Ref_gbstd_t1", "1"), ("_Ref_gbstd_c5_1", "5.1")]
    # each bookmark encloses exactly the number, so an updated field reads the same
    bookmarked = dict(re.findall(r'<w:bookmarkStart w:id="\d+" w:name="(_Ref_gbstd_\w+)"/>'
                                 r"<w:r><w:t>([^<]*)</w:t></w:r><w:bookmarkEnd", document))
    for name, shown in refs:
        assert bookmarked[name] == shown
    # references to other documents and numbers that are no target stay text
    assert "_Ref_gbstd_c3_1" not in document
    settings = parts["word/settings.xml"]
    assert '<w:updateFields w:val="true"/>' in settings
    assert '<w:fldChar w:fldCharType="begin" w:dirty="true"/>' in document   # the 目次


def test_indicator_table_header_repeats_and_cover_prints_the_english_title_gap(exported):
    _, parts, _ = exported
    document = parts["word/document.xml"]
    table = re.search(r"<w:tbl>.*?</w:tbl>", document[document.index("绿色工厂评价指标表"):]).group()
    first_row = re.search(r"<w:tr>.*?</w:tr>|<w:tr .*?</w:tr>", table).group()
    assert "<w:tblHeader/>" in first_row and first_row.count("<w:tblHeader/>") == 1
    assert re.search(r'<w:pStyle w:val="封面标准英文名称"/></w:pPr><w:r><w:t>（未给出）</w:t>', document)


def test_import_brings_emphasis_and_footnotes_back(exported):
    _, _, imported = exported
    text = imported.read_text(encoding="utf-8")
    assert "绿色工厂的**评价要求**和*评价方法*" in text
    assert "以 O{sub}`2` 计，面积以 m{sup}`2` 计[^2]" in text
    assert "[^1]: 绿色工厂指实现了用地集约化" in text
    assert "  - **不低于** 85 分" in text                  # emphasis in a table cell
    assert "  - 综合得分[^a]" in text and "[^a]: 综合得分按公式（1）计算，保留一位小数。" in text
    original, back = reader.read(SOURCE), reader.read(imported)
    assert [p.text for _, p in back.paragraphs()] == [p.text for _, p in original.paragraphs()]
    assert [(f.label, f.text, f.in_table) for f in back.footnotes] == \
        [(f.label, f.text, f.in_table) for f in original.footnotes] and len(original.footnotes) == 3
    assert [t.rows for t in back.tables] == [t.rows for t in original.tables]
    assert back.meta.gaps.keys() == original.meta.gaps.keys()


def test_libreoffice_shows_footnotes_references_and_the_repeated_header(exported, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) 未安装：运行 scripts/ensure-system-deps.sh")
    target, _, _ = exported
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(target)],
                   capture_output=True, text=True, timeout=300, check=True)
    pages = [re.sub(r"\s+", "", page) for page in subprocess.run(
        ["pdftotext", str(tmp_path / "features.pdf"), "-"], capture_output=True, text=True).stdout.split("\f")]
    assert "（未给出）" in pages[0]                        # the cover
    body = next(page for page in pages if "本文件规定了绿色工厂的" in page)
    assert "评价指标见第4章和附录A" in body and "工厂应满足5.2和5.3规定的条件" in body
    assert "绿色工厂指实现了用地集约化" in body          # the footnote on its page
    assert len([page for page in pages if "评分标准" in page]) >= 2   # the header row printed again


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """A project whose one standard has one open finding (“必须”), built with --docx --draft."""
    root = tmp_path_factory.mktemp("draft")
    (root / "gbstd.toml").write_text("[project]\n", encoding="utf-8")
    folder = root / "standards" / "features"
    folder.mkdir(parents=True)
    text = SOURCE.read_text(encoding="utf-8").replace("工厂应满足", "工厂必须满足")
    (folder / "standard.md").write_text(text, encoding="utf-8")
    return root, folder / "standard.md"


def _parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode("utf-8") for name in package.namelist()
                if name.endswith(".xml")}


def test_a_draft_says_so_on_its_cover_and_every_page(draft, monkeypatch, tmp_path):
    root, source = draft
    monkeypatch.chdir(root)
    assert cli.main(["build", "--docx"]) == 1                      # strict: nothing written
    assert not (root / "build" / "docx").exists()
    assert cli.main(["build", "--docx", "--draft"]) == 0
    mark = "含未解决的检查结果（1 条）"
    parts = _parts(root / "build" / "docx" / "features-standard.docx")
    first = re.search(r"<w:body><w:p>.*?</w:p>", parts["word/document.xml"]).group()
    assert '<w:pStyle w:val="标准文件_草稿标记"/>' in first and mark in first
    headers = [text for name, text in parts.items() if name.startswith("word/header")]
    assert len(headers) == 2 and all(mark in h and "T/GBSTD 9—2026" in h for h in headers)
    # gbstd export docx --draft marks it too; without --draft nothing is marked
    assert cli.main(["export", "docx", "--draft", str(source), "-o", str(tmp_path / "d.docx")]) == 0
    assert mark in _parts(tmp_path / "d.docx")["word/document.xml"]
    soffice = shutil.which("soffice")
    if soffice is not None:     # the mark takes room on the cover: the issuer stays on it
        subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "d.docx")],
                       capture_output=True, timeout=300, check=True)
        cover = subprocess.run(["pdftotext", "-l", "1", str(tmp_path / "d.pdf"), "-"],
                               capture_output=True, text=True).stdout
        assert mark in cover and "某某标准化协会" in cover
    assert cli.main(["export", "docx", str(source), "-o", str(tmp_path / "plain.docx")]) == 0
    assert "含未解决的检查结果" not in "".join(_parts(tmp_path / "plain.docx").values())
    # the mark is not metadata: importing the draft brings no trace of it
    assert cli.main(["import", str(tmp_path / "d.docx"), "-o", str(tmp_path / "back" / "standard.md")]) == 0
    assert "含未解决" not in (tmp_path / "back" / "standard.md").read_text(encoding="utf-8")
