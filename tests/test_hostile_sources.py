"""Hostile sources (issue #10, items 1, 2, 10–14, 17, 22): no crash, no script, no file leaves the machine.

The fixtures in tests/fixtures/hostile/ carry the inputs of the issue; expected.yaml says
where each must be reported. One HTML build of them (module scope) is inspected for
anything live that came from a source.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from gbstd import cli
from gbstd.check import check_paths
from gbstd.source import mathcheck, reader
from gbstd.writers import latex, texrun
from gbstd.writers.mathml import to_mathml

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "tests" / "fixtures" / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def checked() -> dict[str, list]:
    findings, _ = check_paths([str(HOSTILE / "formula-typos.md"), str(HOSTILE / "injection")])
    by_file: dict[str, list] = {}
    for finding in findings:
        by_file.setdefault(Path(finding.path).resolve().relative_to(HOSTILE).as_posix(), []).append(finding)
    return by_file


@pytest.mark.parametrize("entry", EXPECTED, ids=lambda e: f"{e['fixture']}:{e['line']}:{e['rule']}")
def test_hostile_input_is_reported_where_it_is(checked, entry):
    lines = [f.line for f in checked.get(entry["fixture"], []) if f.rule == entry["rule"]]
    assert entry["line"] in lines, [f.format() for f in checked.get(entry["fixture"], [])]


def test_each_rule_reports_nothing_beyond_the_fixture_lines(checked):
    for fixture, findings in checked.items():
        for rule in ("MATH-001", "SAFE-001", "SAFE-002"):
            wanted = sorted(e["line"] for e in EXPECTED if e["fixture"] == fixture and e["rule"] == rule)
            assert sorted(f.line for f in findings if f.rule == rule) == wanted, (fixture, rule)


def test_a_broken_formula_leaves_the_rest_of_the_document_read():
    doc = reader.read(HOSTILE / "formula-typos.md")
    numbers = [b.number for clause in doc.walk() for b in clause.blocks if hasattr(b, "latex")]
    assert numbers == ["7"]   # the one sound formula; the others are error boxes
    assert not any(f.rule == "MYST-001" for f in doc.errors)


def test_check_of_a_corpus_with_typos_runs_to_the_end(tmp_path, capsys):
    corpus = tmp_path / "standards"
    shutil.copytree(ROOT / "standards", corpus)
    shutil.copy(HOSTILE / "formula-typos.md", corpus / "gbt-36132" / "typos.md")
    assert cli.main(["check", str(corpus)]) == 1
    out = capsys.readouterr().out
    assert "typos.md:29: 错误 MATH-001" in out
    assert "Traceback" not in out


@pytest.mark.parametrize("latex_text", [
    r"x^2^3", r"\left( x", "x^", r"\begin{cases} a", r"\frac{", r"\frac{" * 600 + "}" * 600,
    "9" * 5000, r"\input{/etc/passwd}", r"\href{javascript:alert(1)}{x}", "^^5cinput", r"a % b",
    r"$x$", r"\def\x{1}", r"\begin{filecontents}{x}"])
def test_bad_latex_is_refused_with_a_reason(latex_text):
    assert mathcheck.problem(latex_text)


@pytest.mark.parametrize("latex_text", [
    r"n = \frac{N}{A}", r"E_{用地} = \sum_{i=1}^{n} k_i \times t_i", r"\left( a + b \right) \leq 1",
    r"f = \begin{cases} 1 & x > 0 \\ 0 & x \leq 0 \end{cases}", r"\text{若 } x \geq 10\%"])
def test_sound_latex_passes(latex_text):
    assert mathcheck.problem(latex_text) == ""


def test_mathml_has_no_live_markup():
    out = to_mathml(r"\text{<script>alert(1)</script>} + \text{&lt;b&gt;} < b")
    assert "<script" not in out and "&lt;script&gt;" in out
    assert "<b>" not in out


# ---------------------------------------------------------------- the HTML of hostile sources

@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("hostile-src")
    shutil.copy(ROOT / "standards" / "index.md", source / "index.md")
    shutil.copytree(HOSTILE / "injection", source / "injection")
    (source / "typos").mkdir()
    shutil.copy(HOSTILE / "formula-typos.md", source / "typos" / "standard.md")
    out = tmp_path_factory.mktemp("hostile-html")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", str(ROOT),
                             "-d", str(out / ".doctrees"), str(source), str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    return out


def _pages(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


class _Tags(HTMLParser):
    """Every element a browser would build: (tag, attributes), and the text of scripts."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        self._in_script = False


def test_no_script_or_handler_from_a_source_is_live(site):
    parser = _Tags()
    parser.feed(_pages(site))
    assert parser.tags
    assert not [t for t, a in parser.tags if any(name.startswith("on") for name in a)]
    assert not [t for t, a in parser.tags if (a.get("href") or "").strip().lower().startswith("javascript")]
    assert not [t for t, a in parser.tags if t in ("iframe", "img") and a.get("src") in ("x", "javascript:alert(4)")]
    assert not [s for s in parser.scripts if "alert(" in s]


def test_the_top_bar_keeps_an_escaped_title_escaped(site):
    page = (site / "injection" / "standard.html").read_text(encoding="utf-8")
    bar = re.search(r'<header class="gb-topbar">(.*?)</header>', page, re.S).group(1)
    assert "&lt;img src=x onerror=alert(9)&gt;" in bar


def test_no_file_of_the_build_machine_is_published(site):
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    assert passwd not in _pages(site)
    assert not list(site.rglob("passwd*"))


def test_formula_errors_are_visible_boxes_and_sound_formulas_render(site):
    page = (site / "typos" / "standard.html").read_text(encoding="utf-8")
    assert page.count('class="gb-error') >= 9
    assert "【源文件错误】MATH-001" in page
    assert "<math" in page   # formula (7) still rendered


# ---------------------------------------------------------------- xelatex

needs_tex = pytest.mark.skipif(shutil.which("latexmk") is None or shutil.which("xelatex") is None,
                               reason="needs TeX Live")

# maths letters come from the text italic (ASCII in the text layer): that too must not vary
MATHS = "\n\n示例：$A_{\\text{用地}} = k_i \\alpha$。"
TEXT = "it's \"quoted\" <<a>> `b' -- c --- d ?` !`"


def _document(body: str) -> str:
    return ("\\documentclass{article}\n\\usepackage{fontspec}\n\\usepackage{xeCJK}\n"
            + latex.render("fonts.tex.j2", **latex.fonts()) + "\\begin{document}\n" + body
            + "\n\\end{document}\n")


@pytest.fixture(scope="module")
def typeset(tmp_path_factory) -> list[Path]:
    """The same small document typeset twice with SOURCE_DATE_EPOCH set."""
    folder = tmp_path_factory.mktemp("tex")
    pdfs = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        # one run first: a font cache built during a run (fresh machine) is not part of "the same build"
        for n in range(3):
            pdfs.append(folder / f"{n}.pdf")
            latex.compile_pdf(_document(latex.latex_escape(TEXT) + MATHS), pdfs[-1], "x.md", "FILE-003")
    return pdfs[1:]


@needs_tex
def test_pdf_text_prints_exactly_as_written(typeset):
    text = subprocess.run(["pdftotext", str(typeset[0]), "-"], capture_output=True, text=True).stdout
    assert TEXT in " ".join(text.split())
    assert "A用地 = ki" in text         # maths letters extract as ASCII


@needs_tex
def test_two_pdfs_of_the_same_source_are_byte_identical(typeset):
    assert typeset[0].read_bytes() == typeset[1].read_bytes()


@needs_tex
def test_a_pdf_carries_the_source_date_not_the_minute_it_was_made(typeset):
    """XeTeX stamps its output (the PDF's /Creator) with the time: two builds a minute
    apart differed until it was told to take SOURCE_DATE_EPOCH (2023-11-14 22:13 UTC)."""
    info = subprocess.run(["pdfinfo", str(typeset[0])], capture_output=True, text=True).stdout
    creator = next(line for line in info.splitlines() if line.startswith("Creator:"))
    assert "2023.11.14:2213" in creator, creator


@needs_tex
def test_xelatex_reads_no_file_outside_its_folder(tmp_path):
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\begin{document}\\input{/etc/hostname}"
                                    "\\end{document}\n", encoding="utf-8")
    subprocess.run(["xelatex", "-interaction=nonstopmode", "t.tex"], cwd=tmp_path,
                   capture_output=True, env=texrun.tex_environment(), timeout=120)
    log = (tmp_path / "t.log").read_text(errors="replace")
    assert "/etc/hostname.tex' not found" in log or "not permitted" in log


# ---------------------------------------------------------------- exit codes (item 10)

def _boom(args):
    raise RuntimeError("simulated fault\nsecond line")


def test_an_unexpected_exception_is_a_bug_exit_3_one_line(monkeypatch, capsys):
    monkeypatch.setattr("gbstd.commands.rules.run", _boom)
    monkeypatch.setattr(cli, "parser", _parser_with(_boom))
    assert cli.main(["rules"]) == cli.EXIT_BUG
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert "内部错误" in err and "缺陷" in err and "--debug" in err


def test_debug_shows_the_traceback(monkeypatch, capsys):
    monkeypatch.setattr(cli, "parser", _parser_with(_boom))
    assert cli.main(["rules", "--debug"]) == cli.EXIT_BUG
    assert "Traceback" in capsys.readouterr().err


def _parser_with(func):
    original = cli.parser

    def parser(*args):      # cli.parser(only): the subcommand main() would import
        top = original(*args)
        top.set_defaults(func=func)
        for action in top._subparsers._group_actions:
            for sub in action.choices.values():
                sub.set_defaults(func=func)
        return top
    return parser


def test_findings_exit_1_and_unreadable_input_exit_2(tmp_path, capsys):
    assert cli.main(["check", str(HOSTILE / "formula-typos.md")]) == 1
    assert cli.main(["check", str(tmp_path / "missing.md")]) == 2
