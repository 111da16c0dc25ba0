"""The review forms: 意见汇总处理表 and 函审结论表 (HTML, LaTeX/PDF), and their pages in the
site. Hostile strings from outside the committee must come out as text."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pdf_support import assert_cjk_fonts_embedded, needs_tex, pdf_text
from test_review_tables import hostile_round
from gbstd.writers import latex
from gbstd.cli import main
from gbstd.findings import SourceError
from gbstd.review import render
from gbstd.review.ballots import AGAINST, Vote, load_ballot, tally
from gbstd.review.comments import load_round

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "fixtures" / "review" / "demo"


def test_comment_form_escapes_every_field():
    page = render.page("t", render.comments_fragment(hostile_round()))
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "<b>1</b>" not in page and "R-&lt;b&gt;1&lt;/b&gt;" in page
    assert "{{ 7*7 }}" in page                   # printed as written, not evaluated
    assert r"\input{/etc/passwd}" in page        # harmless in HTML: shown as text


def test_comment_form_has_the_annex_4_columns_and_counts():
    page = render.comments_fragment(load_round(DEMO / "comments" / "zq-01.yaml"))
    headers = ["序号", "标准章条编号", "意见内容", "提出单位", "处理意见", "备注"]
    assert "".join(f"<th>{h}</th>" for h in headers) in page
    for text in ("①发送“征求意见稿”的单位数：5个。", "④没有回函的单位数：1个。", "共收到3条意见，采纳2条，部分采纳1条",
                 "修改建议：增加“水重复利用率不低于 90%”。", "（现 4.3）"):
        assert text in page


def test_ballot_form_counts_and_escapes():
    ballot = load_ballot(DEMO / "ballots" / "hs-01.yaml")
    ballot.votes.append(Vote(member="<img src=x onerror=alert(1)>", line=1, vote=AGAINST,
                             reasons="\\input{/etc/passwd}\n第二行"))
    ballot.title = "<script>t</script>"
    page = render.ballot_fragment(ballot, tally(ballot))
    assert "<img" not in page and "<script>t" not in page and "&lt;img src=x" in page
    assert "标准送审稿函审结论表" in page and "函审单总数：5" in page
    assert "不赞成：共 1 个单位" in page and "未复函：共 0 个单位" in page
    assert "结论：未通过" in page                 # 3 of 5 returned < 3/4


def test_latex_source_escapes_control_sequences():
    source = render.comments_latex(hostile_round())
    assert r"\input{/etc/passwd}" not in source
    assert r"\textbackslash{}input\{/etc/passwd\}" in source
    assert r"{{ 7*7 }}" not in source and r"\{\{ 7*7 \}\}" in source
    assert "多行\\newline 第二行\\newline \\newline 第四行" in source


@pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                    reason="latexmk/xelatex not installed")
def test_pdf_of_a_hostile_round(tmp_path):
    target = tmp_path / "form.pdf"
    render.write_comments(hostile_round(), target)
    assert target.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True).stdout
        assert "input{/etc/passwd}" in text and "意见汇总处理表" in text


def test_cli_ballot_tally_and_render(tmp_path, capsys):
    ballot = DEMO / "ballots" / "hs-01.yaml"
    assert main(["ballot", "tally", str(ballot)]) == 0
    assert "赞成率 75.0%：通过" in capsys.readouterr().out
    assert main(["ballot", "render", str(ballot), "-o", str(tmp_path / "b.html")]) == 0
    assert "函审结论表" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_site_publishes_the_forms(tmp_path):
    source = tmp_path / "src"
    shutil.copytree(DEMO, source / "demo", ignore=shutil.ignore_patterns("drafts"))
    round_file = source / "demo" / "comments" / "zq-01.yaml"
    round_file.write_text(round_file.read_text(encoding="utf-8").replace(
        "  draft_file: ../drafts/征求意见稿.md\n", "").replace("text: 表A.1 的", "text: <script>x</script>表A.1 的"),
        encoding="utf-8")
    (source / "demo" / "notes.md").write_text(
        "---\nkind: notes\ntitle: 示例说明\nexplains: demo\n---\n\n# 示例说明\n\n## 一、工作简况\n\n"
        "共收到3条反馈意见，采纳2条，部分采纳1条。\n", encoding="utf-8")
    (source / "index.md").write_text("# 索引\n\n```{toctree}\n:glob:\n\n*/*\n```\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(ROOT),
                             "-d", str(tmp_path / "doctrees"), str(source), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    form = (out / "demo" / "comments" / "zq-01.html").read_text(encoding="utf-8")
    assert "意见汇总处理表" in form and "&lt;script&gt;x&lt;/script&gt;" in form and "<script>x" not in form
    assert 'href="../standard.html">返回' in form        # back to the standard the round belongs to
    assert "函审结论表" in (out / "demo" / "ballots" / "hs-01.html").read_text(encoding="utf-8")
    standard = (out / "demo" / "standard.html").read_text(encoding="utf-8")
    assert 'href="comments/zq-01.html"' in standard and 'href="ballots/hs-01.html"' in standard
    notes = (out / "demo" / "notes.html").read_text(encoding="utf-8")
    assert "意见处理情况" in notes and "共收到3条意见，采纳2条，部分采纳1条" in notes


# ---------------------------------------------------------------- 函审结论表 as LaTeX and PDF

HOSTILE_VOTE = """  - {member: '\\input{/etc/passwd} <script>x</script>', vote: 不赞成, reasons: "100% #1 a_b {x}\\n第二行"}
"""


@pytest.fixture(scope="module")
def hostile_ballot_file(tmp_path_factory) -> Path:
    """The demo ballot with a hostile title and a hostile vote against: 3 of 5 in favour, 未通过."""
    source = tmp_path_factory.mktemp("ballot") / "hs-01.yaml"
    text = (DEMO / "ballots" / "hs-01.yaml").read_text(encoding="utf-8")
    source.write_text(text.replace("title: 示例企业绿色评价规范", "title: '示例规范 ~^$&[x] <b>t</b>'")
                      .replace("eligible: 4", "eligible: 5") + HOSTILE_VOTE, encoding="utf-8")
    return source


@pytest.fixture(scope="module")
def ballot_pdf(hostile_ballot_file) -> Path:
    """`gbstd ballot render -o …pdf`, run once for the module."""
    target = hostile_ballot_file.with_name("函审结论表.pdf")
    assert main(["ballot", "render", str(hostile_ballot_file), "-o", str(target)]) == 0
    return target


def test_ballot_latex_escapes_every_field(hostile_ballot_file, tmp_path):
    target = tmp_path / "b.tex"
    assert main(["ballot", "render", str(hostile_ballot_file), "-o", str(target)]) == 0
    source = target.read_text(encoding="utf-8")
    assert r"\input{/etc/passwd}" not in source and r"\textbackslash{}input\{/etc/passwd\}" in source
    assert r"100\% \#1 a\_b \{x\}\newline 第二行" in source
    assert r"示例规范 \textasciitilde{}\textasciicircum{}\$\&{[}x{]} <b>t</b>" in source


@needs_tex
def test_ballot_pdf_shows_the_counts_and_the_outcome(ballot_pdf):
    assert ballot_pdf.read_bytes().startswith(b"%PDF")
    layout = pdf_text(ballot_pdf, layout=True)
    counts = dict(re.findall(r"(\S+)\s{2,}共 (\d+) 个单位", layout))
    assert counts == {"赞成": "2", "赞成，有建议或意见": "1", "不赞成，如采纳建议或意见改成赞成": "0",
                      "弃权": "1", "不赞成": "1", "未复函": "0"}
    assert re.search(r"函审单总数\s+5 个单位（起草单位 1 个不参加表决", layout)
    text = pdf_text(ballot_pdf)
    assert "标准送审稿函审结论表" in text and "结论：未通过" in text and "附：函审单" in text
    for piece in (r"\input{/etc/passwd}", "<script>x</script>", "100% #1 a_b {x}", "~^$&[x] <b>t</b>"):
        assert piece in text, piece


@needs_tex
def test_ballot_pdf_embeds_the_cjk_fonts(ballot_pdf):
    assert_cjk_fonts_embedded(ballot_pdf)


def test_ballot_render_into_a_missing_folder_is_located(hostile_ballot_file, tmp_path, capsys):
    target = tmp_path / "missing" / "b.html"
    assert main(["ballot", "render", str(hostile_ballot_file), "-o", str(target)]) == 2
    assert f"{target}:1: 错误 FILE-003: 无法写入输出文件" in capsys.readouterr().err


@needs_tex
def test_failed_typesetting_is_located_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "form.pdf"
    target.write_bytes(b"old")
    with pytest.raises(SourceError) as caught:
        latex.compile_pdf("\\documentclass{article}\\begin{document}\\nosuchmacro\\end{document}\n",
                          target, "hs-01.yaml", "REVIEW-006")
    assert (caught.value.path, caught.value.rule) == ("hs-01.yaml", "REVIEW-006")
    assert "Undefined control sequence" in caught.value.message
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["form.pdf"]


def test_forms_say_national_standard_only_for_a_national_standard(tmp_path):
    from gbstd.review.render import form_level
    folder = tmp_path / "std"
    (folder / "ballots").mkdir(parents=True)
    record = folder / "ballots" / "hs-01.yaml"
    (folder / "standard.md").write_text("---\nkind: standard\ntitle: 甲\nfamily: national\n---\n", encoding="utf-8")
    assert form_level(str(record)) == "国家标准"
    (folder / "standard.md").write_text("---\nkind: standard\ntitle: 甲\nfamily: group\n---\n", encoding="utf-8")
    assert form_level(str(record)) == "标准"
