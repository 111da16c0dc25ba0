"""Evaluation reports: the sections of the seeds' report templates, escaping, the text summary,
and the PDF (typeset once per module)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pdf_support import assert_cjk_fonts_embedded, needs_tex, pdf_text
from scoring_support import assessment, schema, synthetic
from gbstd.cli import main
from gbstd.scoring import Scorer, published, report

SECTIONS = ["一、基本信息", "二、基本情况概述", "三、认定情况", "四、评分表", "五、评价结论", "附录"]


def _project_result(**changes) -> tuple[dict, dict]:
    emitted = synthetic()
    doc = assessment("synthetic-project.yaml")
    doc.update(changes)
    return emitted, Scorer(emitted).score(doc)


def test_html_report_has_the_template_sections_in_order():
    emitted, result = _project_result()
    html = report.render_html(emitted, result)
    positions = [html.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "达到“深绿”等级" in html and "合成测试冷链配送中心项目（虚构）" in html
    assert "项目运营不产生废弃物" in html           # the reason of a not-applicable item
    assert "评分档：有效知识产权 1～4 项" in html     # the level's criterion, not its code


def test_every_user_string_is_escaped():
    emitted, result = _project_result(applicant={"name": "<script>alert(1)</script>", "备注": "A & B"},
                                      overview="<b>概述</b>")
    html = report.render_html(emitted, result)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>概述</b>" not in html and "A &amp; B" in html


def test_context_is_the_seam_for_other_renderers():
    emitted = schema("green-enterprise", "green-enterprise")
    result = Scorer(emitted).score(assessment("green-enterprise-b1.yaml"))
    context = report.report_context(emitted, result)
    assert [g["title"] for g in context["groups"]] == ["绿色战略", "绿色管理", "绿色创新", "绿色生产", "绿色社会责任"]
    assert [g["earned"] for g in context["groups"]] == ["14.5", "16", "14", "16.5", "16"]
    assert context["totals"]["raw"] == "77" and context["gates"] == []
    assert {"title": "环境管理体系认证", "files": ["ISO14001证书.pdf"]} in context["evidence"]
    assert context["applicant_rows"][1] == {"label": "统一社会信用代码", "value": "91440300MA5XXXXXXX"}


def test_conclusions():
    emitted, result = _project_result()
    assert report.conclusion(result) == "综合评价得分 82 分（按参评项折算为百分制），达到“深绿”等级。"
    doc = assessment("synthetic-project.yaml")
    doc["responses"]["catalog"] = {"status": "fail"}
    assert report.conclusion(Scorer(emitted).score(doc)) == "否决项“目录符合”不符合要求，一票否决，不予通过评价。"


def test_text_summary_lists_score_grade_and_items():
    emitted, result = _project_result()
    text = report.render_text(emitted, result)
    assert "得分：41 / 50　折算得分：82" in text and "等级：深绿" in text
    assert "资源综合利用效益　—/10　不适用" in text and "发展能力　—/15　不参评" in text
    assert report.summary_line(result).split("\t") == ["合成测试冷链配送中心项目（虚构）", "达到等级", "82", "深绿", ""]


@pytest.mark.parametrize("title,expected", [
    ("绿色企业评价通则", "绿色企业评价报告"), ("某某评价规范", "某某评价报告"),
    ("深圳市绿色产业认定评价导则", "深圳市绿色产业认定评价报告"), ("某某评价技术规范", "某某评价报告"),
    ("优秀绿色贸易技术评价标准", "优秀绿色贸易技术评价报告"), ("某某评价", "某某评价报告"),
    ("绿色低碳产业认定行业技术规范　绿色物流", "绿色低碳产业认定行业技术规范　绿色物流评价报告"),
    ("合成测试用绿色物流认定评价规范（SYNTHETIC，分值为虚构）", "合成测试用绿色物流认定评价报告（SYNTHETIC，分值为虚构）"),
])
def test_report_title_names_the_evaluation_once(title, expected):
    assert report.report_title(title) == expected


def test_every_report_takes_its_title_from_the_context():
    emitted = schema("green-enterprise", "green-enterprise")
    result = Scorer(emitted).score(assessment("green-enterprise-b1.yaml"))
    html, text = report.render_html(emitted, result), report.render_text(emitted, result)
    source = report.render_latex(emitted, result)
    assert "<h1>绿色企业评价报告</h1>" in html and text.splitlines()[0] == "绿色企业评价报告"
    assert r"\selectfont 绿色企业评价报告\par" in source
    assert not any("评价通则评价报告" in out for out in (html, text, source))
    assert "依据：T/XXXX XXX—XXXX《绿色企业评价通则》" in text


def test_metrics_are_listed_in_formula_order():
    emitted = schema("gbt-36132", "gbt-36132")
    doc = assessment("gbt-36132-land.json")
    doc["inputs"].update({"V_w": 30, "V_d": 70, "N": 5000})
    context = report.report_context(emitted, Scorer(emitted).score(doc))
    # R (A.1), r (A.2), n (A.3) and K_w (A.10): A.10 after A.3, not after A.1
    assert [m["formula"] for m in context["metrics"]] == ["公式（A.1）", "公式（A.2）", "公式（A.3）", "公式（A.10）"]


# ---------------------------------------------------------------- LaTeX and PDF

HOSTILE_NAME = r"冷链中心 \input{/etc/passwd} 100% #1 a_b {x} <script>alert(1)</script>"


def _hostile_project() -> dict:
    doc = assessment("synthetic-project.yaml")
    doc.update(applicant={"name": HOSTILE_NAME, "备注": "50% ~ ^ $5 [x]"}, assessor={"name": "评价机构 #2 {a}"},
               overview="\\def\\x{y}\n第二行 % 不是注释")
    doc["responses"]["ip"]["evidence"] = ["证书_1.pdf"]
    return doc


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The synthetic schema and the hostile project assessment as files for the CLI."""
    folder = tmp_path_factory.mktemp("report")
    paths = {"schema": folder / "schema.json", "assessment": folder / "project.json", "folder": folder}
    paths["schema"].write_text(published.dumps(synthetic()), encoding="utf-8")
    paths["assessment"].write_text(json.dumps(_hostile_project(), ensure_ascii=False), encoding="utf-8")
    return paths


@pytest.fixture(scope="module")
def report_pdf(files) -> Path:
    """`gbstd score --format pdf`, run once for the module."""
    target = files["folder"] / "评价报告.pdf"
    assert main(["score", str(files["schema"]), str(files["assessment"]), "--format", "pdf", "-o", str(target)]) == 0
    return target


def test_latex_report_escapes_every_user_string():
    emitted = synthetic()
    source = report.render_latex(emitted, Scorer(emitted).score(_hostile_project()))
    assert r"\input{/etc/passwd}" not in source and r"\def\x" not in source
    assert r"\textbackslash{}input\{/etc/passwd\} 100\% \#1 a\_b \{x\} <script>alert(1)</script>" in source
    assert r"50\% \textasciitilde{} \textasciicircum{} \$5 {[}x{]}" in source
    assert r"\textbackslash{}def\textbackslash{}x\{y\}" in source and r"第二行 \% 不是注释" in source


def test_latex_conclusion_box_names_score_grade_and_failed_gates():
    emitted, result = _project_result()
    source = report.render_latex(emitted, result)
    assert "{\\sffamily\\Large 82}" in source and "{\\sffamily\\Large 深绿}" in source and "全部符合" in source
    doc = assessment("synthetic-project.yaml")
    doc["responses"]["catalog"] = {"status": "fail"}
    source = report.render_latex(emitted, Scorer(emitted).score(doc))
    assert "“目录符合”不符合要求，一票否决" in source


@needs_tex
def test_pdf_report_shows_applicant_score_grade_and_sections(report_pdf):
    assert report_pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(report_pdf)
    for piece in (r"\input{/etc/passwd} 100% #1 a_b {x} <script>alert(1)</script>", "$5 [x]", "#2 {a}",
                  r"\def\x{y}", "不是注释", "_1.pdf"):
        assert piece in text, piece
    assert re.search(r"综合评价得分\s+82\b", text) and re.search(r"评价等级\s+深绿", text)
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)


@needs_tex
def test_pdf_report_embeds_the_cjk_fonts(report_pdf):
    assert_cjk_fonts_embedded(report_pdf)


def test_cli_report_format_follows_the_output_suffix(files):
    target = files["folder"] / "report.html"
    assert main(["score", str(files["schema"]), str(files["assessment"]), "-o", str(target)]) == 0
    assert "五、评价结论" in target.read_text(encoding="utf-8")


def test_cli_pdf_report_needs_an_output_file(files, capsys):
    assert main(["score", str(files["schema"]), str(files["assessment"]), "--format", "pdf"]) == 2
    assert "需要用 -o 指定输出文件" in capsys.readouterr().err


@needs_tex
def test_cli_pdf_report_into_a_missing_folder_is_located(files, capsys):
    target = files["folder"] / "missing" / "r.pdf"
    assert main(["score", str(files["schema"]), str(files["assessment"]), "-o", str(target)]) == 2
    assert f"{target}:1: 错误 FILE-003: 无法写入输出文件" in capsys.readouterr().err
    assert not target.parent.exists()
