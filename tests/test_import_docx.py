"""gbstd import: foreign Word drafts → sources that check with only the drafts' real defects."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import yaml

from gbstd import cli
from gbstd.check import check_paths
from gbstd.importers.numbering import format_number
from gbstd.importers.ooxml import read
from gbstd.source import reader

from docx_support import norm_latex

FIXTURES = Path(__file__).parent / "fixtures" / "docx"
NAMES = ("direct", "autonum", "libreoffice")


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    root = tmp_path_factory.mktemp("imported")
    out = {}
    for name in NAMES:
        target = root / name / "standard.md"
        assert cli.main(["import", str(FIXTURES / f"{name}.docx"), "-o", str(target)]) == 0
        findings, docs = check_paths([str(target)])
        out[name] = {"target": target, "doc": docs[0], "findings": findings,
                     "lines": target.read_text(encoding="utf-8").split("\n"),
                     "expected": yaml.safe_load((FIXTURES / f"{name}.expected.yaml").read_text("utf-8"))}
    return out


@pytest.mark.parametrize("name", NAMES)
def test_structure(imported, name):
    case = imported[name]
    doc, expected = case["doc"], case["expected"]
    assert [c.number or c.title for c in doc.walk()] == expected["clauses"]
    assert [c.number for c in doc.walk() if c.number and not c.title and c.kind != "annex"] == expected["untitled"]
    assert [{"number": t.number, "term": t.term, "en": t.en, "source": t.source, "modified": t.modified}
            for t in doc.terms] == expected["terms"]
    assert all(t.definition for t in doc.terms)
    assert [r.designation for r in doc.references] == expected["references"]
    assert [(f.number, norm_latex(f.latex), [s.symbol for s in f.symbols]) for f in doc.formulas] == \
        [(f["number"], norm_latex(f["latex"]), f["symbols"]) for f in expected["formulas"]]
    assert all(s.meaning and s.unit == "分" for f in doc.formulas for s in f.symbols)
    table = doc.indicator_tables[0]
    assert {i.name: i.points for i in table.walk()} == expected["indicators"]
    assert {g.label: g.min for g in table.grades} == expected["grades"]
    assert [i.no for i in table.leaves()] == ["1", "2", "3", "4"]
    images = list((case["target"].parent / "images").iterdir())
    assert len(images) == expected["images"] and images[0].read_bytes().startswith(b"\x89PNG")
    for key, value in expected["cover"].items():
        assert getattr(doc.meta, key) == value, key
    assert sorted(doc.meta.gaps) == sorted(expected["gaps"])
    # lists: a) b) with 1) 2) nested under b) in 4.2 (4.3 in direct.docx)
    clause = doc.clause("4.3" if name == "direct" else "4.2")
    items = next(b for b in clause.blocks if hasattr(b, "items")).items
    assert [i.marker for i in items] == ["a)", "b)"] and [c.marker for c in items[1].children] == ["1)", "2)"]
    assert any(p.kind == "note" for _, p in doc.paragraphs(("note",)))
    assert any(p.kind == "example" for _, p in doc.paragraphs(("example",)))


@pytest.mark.parametrize("name", NAMES)
def test_checks_with_only_the_real_defects(imported, name):
    case = imported[name]
    found = sorted((f.rule, case["lines"][f.line - 1].strip().removeprefix("- ")) for f in case["findings"]
                   if f.severity != "info" and not f.suppressed_by)
    expected = sorted((e["rule"], e["line"]) for e in case["expected"]["check"])
    assert found == expected


def test_import_findings_and_summary(tmp_path, capsys):
    for name in NAMES:
        expected = yaml.safe_load((FIXTURES / f"{name}.expected.yaml").read_text("utf-8"))["import"]
        assert cli.main(["import", str(FIXTURES / f"{name}.docx"), "-o", str(tmp_path / name / "s.md")]) == 0
        out = capsys.readouterr().out
        assert out.startswith("导入结果：") and "术语 2 条" in out and "指标表 1 个" in out
        assert f"已写入 {tmp_path / name / 's.md'}" in out
        located = [line for line in out.split("\n") if f"{name}.docx:" in line]
        assert len(located) == len(expected)
        for line, want in zip(located, expected):
            assert f" {want['rule']}: 第 " in line and want["text"] in line


def test_bad_input_one_located_error_nothing_written(tmp_path, capsys):
    cases = {"corrupt.docx": "已损坏", "legacy.doc": "二进制 Word 文件（.doc）",
             "encrypted.docx": "设有打开密码", }
    (tmp_path / "notword.docx").write_text("plain text", encoding="utf-8")
    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document><unclosed>")
    cases.update({str(tmp_path / "notword.docx"): "不是 .docx", str(broken): "XML 错误"})
    for name, message in cases.items():
        source = FIXTURES / name if "/" not in name else Path(name)
        target = tmp_path / "out" / "standard.md"
        assert cli.main(["import", str(source), "-o", str(target)]) == 2
        err = capsys.readouterr().err.strip().split("\n")
        assert err[0].startswith(f"{source}:1: 错误 IMPORT-00") and message in err[0], err
        assert len(err) == 2 and err[1].strip().startswith("建议：")
        assert not (tmp_path / "out").exists()


def test_never_overwrites_without_force(tmp_path, capsys):
    target = tmp_path / "demo" / "standard.md"
    target.parent.mkdir()
    target.write_text("mine", encoding="utf-8")
    assert cli.main(["import", str(FIXTURES / "direct.docx"), "-o", str(target)]) == 2
    assert "已存在" in capsys.readouterr().err and target.read_text(encoding="utf-8") == "mine"
    assert not (target.parent / "images").exists()
    assert cli.main(["import", str(FIXTURES / "direct.docx"), "-o", str(target), "--force"]) == 0
    assert target.read_text(encoding="utf-8").startswith("---\nkind: standard")


def test_automatic_numbers_are_computed():
    """autonum.docx has no number in its text: every clause number comes from numbering.xml."""
    package = read(str(FIXTURES / "autonum.docx"))
    labels = [(p.label, p.plain) for p in package.blocks if getattr(p, "label", "")]
    assert ("1", "范围") in labels and ("4.2", "绿色规划") in labels and ("A.1", "指标表") in labels
    assert ("附录A", "") in labels                     # the annex label, too, is only a number
    assert ("a)", "发展目标；") in labels and ("1)", "节能降碳；") in labels
    assert ("6.1.2", "评价机构收到申请后，应在 10 个工作日内完成资料审查。") in labels
    assert not any(text.startswith(("1 ", "4.2", "a)")) for _, text in labels)
    assert [format_number(n, f) for n, f in ((3, "lowerLetter"), (28, "upperLetter"), (14, "upperRoman"),
                                             (12, "chineseCounting"))] == ["c", "AB", "XIV", "十二"]


def test_benchmark_tiny_mode_runs(capsys):
    import importlib.util
    spec = importlib.util.spec_from_file_location("import_bench", Path(__file__).parent.parent / "benchmarks" / "import_bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--tiny"]) == 0
    row = capsys.readouterr().out.strip().split("\n")[-1]
    assert row.startswith("| generated draft, typed numbers | 19 |")   # 17 clauses of the fixture + 2


def test_what_cannot_be_mapped_is_kept_and_located(tmp_path, capsys):
    """A footnote, a text box, a shape and stray cover text: kept as text, reported at their paragraph."""
    import docx
    from docx.oxml import parse_xml
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    v = 'xmlns:v="urn:schemas-microsoft-com:vml"'
    document = docx.Document()
    document.add_paragraph("某某评价规范")                                    # 1: the title
    document.add_paragraph("内部资料　请勿外传")                               # 2: not cover information
    document.add_paragraph("1　范围")                                          # 3
    p = document.add_paragraph("本文件规定了评价要求。")                       # 4: a footnote reference
    p._p.append(parse_xml(f'<w:r {w}><w:footnoteReference w:id="1"/></w:r>'))
    p = document.add_paragraph()                                                # 5: a text box
    p._p.append(parse_xml(f'<w:r {w}><w:pict><v:shape {v}><v:textbox><w:txbxContent><w:p><w:r>'
                          f'<w:t>框内文字</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))
    p = document.add_paragraph()                                                # 6: a shape, no text
    p._p.append(parse_xml(f'<w:r {w}><w:pict><v:rect {v}/></w:pict></w:r>'))
    source = tmp_path / "odd.docx"
    document.save(source)
    target = tmp_path / "odd" / "standard.md"
    assert cli.main(["import", str(source), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    text = target.read_text(encoding="utf-8")
    assert "# 某某评价规范" in text and "## 1 范围" in text
    assert "内部资料　请勿外传" in text and "本文件规定了评价要求。" in text and "框内文字" in text
    located = sorted((line.split(": ")[0].rsplit(":", 1)[1], line.split(": ")[1].split()[-1])
                     for line in out.split("\n") if line.strip().startswith(str(source)))
    assert located == [("2", "IMPORT-003"), ("4", "IMPORT-003"), ("5", "IMPORT-003"), ("6", "IMPORT-003")]
    assert "脚注" in out and "文本框" in out and "图形对象" in out


def test_default_output_in_the_project_and_notes_next_to_their_standard(tmp_path, monkeypatch, capsys):
    (tmp_path / "standards").mkdir()
    (tmp_path / "gbstd.toml").write_text("[project]\n")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["import", str(FIXTURES / "direct.docx")]) == 0     # the file name gives the folder
    assert (tmp_path / "standards" / "direct" / "standard.md").exists()
    assert (tmp_path / "standards" / "direct" / "images" / "image1.png").exists()
    assert "已写入 standards/direct/standard.md" in capsys.readouterr().out
    assert cli.main(["import", str(FIXTURES / "direct.docx"), "-o", "standards/direct/notes.md"]) == 2
    assert "图片 standards/direct/images/image1.png 已存在" in capsys.readouterr().err   # images too
    assert not (tmp_path / "standards" / "direct" / "notes.md").exists()
    assert cli.main(["import", str(FIXTURES / "direct.docx"), "-o", "standards/direct/notes.md",
                     "--images", "notes-images"]) == 0
    # not an explanatory note: still a standard, whatever the file is called
    assert "kind: standard" in (tmp_path / "standards" / "direct" / "notes.md").read_text(encoding="utf-8")
    source = tmp_path / "草案.docx"
    source.write_bytes((FIXTURES / "direct.docx").read_bytes())
    assert cli.main(["import", str(source)]) == 2
    assert "请用 -o 指定输出" in capsys.readouterr().err
