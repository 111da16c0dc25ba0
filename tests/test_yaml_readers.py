"""The fast YAML reader (libyaml events) against the reference reader (PyYAML's pure-Python
loader with the same hooks): same data, same key lines, same findings (issue 10 item 24,
issue 14 item 2).

``yamlsafe.load`` tries the fast reader and, when it gives up or the text does not parse,
lets the reference reader decide. So results can only differ where the fast reader
*succeeds*: every test below checks that whenever it does, the reference reader returns
exactly the same thing (types, values, key order, ``LineMap.lines``).
"""
from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from gbstd.findings import SourceError
from gbstd.source import yamlsafe

from test_fuzz import FUZZ, SOUP

ROOT = Path(__file__).resolve().parent.parent
needs_libyaml = pytest.mark.skipif(yamlsafe._CParser is None, reason="PyYAML built without libyaml")
FENCE = re.compile(r"^(`{3,}|:{3,})\{[^}]+\}[^\n]*\n(.*?)^\1[ \t]*$", re.S | re.M)
FRONT = re.compile(r"\A---\n(.*?)^---$", re.S | re.M)


def same(a, b) -> bool:
    """Equal data of equal types, dict order and key lines included."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and getattr(a, "lines", None) == getattr(b, "lines", None)
                and all(same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def reference(text: str, first_line: int = 1):
    prepared = yamlsafe._LINE_CHAR.sub(lambda m: yamlsafe._LINE_CHARS[m.group()], text)
    try:
        return yamlsafe._reference_load(prepared, "x.yaml", first_line, "测试")
    except SourceError as error:
        return error


GAVE_UP = object()


def fast(text: str, first_line: int = 1):
    """The fast reader's result, or GAVE_UP when it leaves the text to the reference reader."""
    prepared = yamlsafe._LINE_CHAR.sub(lambda m: yamlsafe._LINE_CHARS[m.group()], text)
    try:
        return yamlsafe._fast_load(prepared, first_line)
    except Exception:   # noqa: BLE001 - what load() does
        return GAVE_UP


def agree(text: str, first_line: int = 1) -> bool:
    """True when the fast reader read ``text`` (and then it must agree with the reference)."""
    quick = fast(text, first_line)
    if quick is GAVE_UP:
        return False
    slow = reference(text, first_line)
    assert not isinstance(slow, SourceError), (text, slow.rule, slow.line, slow.message)
    assert same(quick, slow), text
    return True


def corpus_texts() -> list[tuple[str, str]]:
    """Every YAML the repository holds: .yaml files, front matter and directive bodies of every
    Markdown source (standards/, tests/fixtures/, templates/), cut out by pattern."""
    texts = []
    for folder in ("standards", "tests/fixtures", "templates", "docs"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".yaml", ".yml"):
                texts.append((str(path), path.read_text(encoding="utf-8", errors="replace")))
            elif path.suffix == ".md":
                source = path.read_text(encoding="utf-8", errors="replace")
                texts += [(f"{path} front matter", m[1]) for m in FRONT.finditer(source)]
                texts += [(f"{path}:{source.count(chr(10), 0, m.start()) + 2}", m[2])
                          for m in FENCE.finditer(source)]
    return texts


@needs_libyaml
def test_every_yaml_of_the_corpus_and_fixtures_reads_the_same():
    texts = corpus_texts()
    assert len(texts) > 400
    read_fast = readable = 0
    for name, text in texts:
        quick, slow = fast(text, 7), reference(text, 7)
        readable += not isinstance(slow, SourceError)
        if quick is not GAVE_UP:
            read_fast += 1
            assert not isinstance(slow, SourceError) and same(quick, slow), name
    # The fast reader is really used: it reads nearly everything the reference reads.
    assert read_fast >= 0.9 * readable, (read_fast, readable)


CASES = [
    "a: 1\nb: [1, 2.5, -3, +4, 0x1F, 0o17, 0017, 1e3, .inf, -.Inf, .NaN, 12:30, 2018-05-14]\n",
    "no: no\nyes: yes\non: off\nt: [true, True, TRUE, false, tRue]\nn: [~, null, Null, NULL, '', ]\n",
    "1: a\n0x10: b\n1.5: c\ntrue: d\n.inf: e\n'q': f\n\"2\": g\n",
    "k: v\nk: w\nj: x\nk: y\n",                       # duplicate keys: last value, first place
    "s: |\n  一\n  二\nt: >\n  a\n  b\n\nu: 'it''s'\nv: \"\\u2028\\x85\\N\\L\\P\\t\"\n",
    "a: 行\u2028中\x85间\u2029\nb: 2\nc: [x\u2028y]\n",  # YAML 1.2 line characters are characters
    "x: \U000F2028\n",                                  # a stand-in written in the source
    "- a\n- - b\n  - c\n- {d: e, f: [g, {h: i}]}\n- []\n- {}\n",
    "---\na: 1\n...\n", "", "# only a comment\n", "---\n", "plain", "\n\n\n  k: v\n",
    "key with spaces: value:with colon\nurl: http://x.y/z#a\n'#': hash\n",
    "a:\n  b:\n    c:\n      d: [1, [2, [3]]]\n",
    "\ufeffa: 1\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\r",
    "多行: 第一行\n  第二行\n\n  第三行\nx: \"a\n  b\"\n",
    "a: " + "9" * 100 + "\nb: " + "9" * 30 + "." + "9" * 70 + "\n",
]
# Each of these is left to the reference reader (which gives the same findings as before).
GIVE_UP = [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !foo x\n", "base: &b {p: 1}\nc:\n  <<: *b\n",
    "= : 1\n", "? [a]\n: 1\n", "~: 1\n", ": 1\n", "a: 1\n---\nb: 2\n", "%YAML 1.1\n---\na: 1\n",
    "a: " + "9" * 101 + "\n", "a: " + "[" * 70 + "]" * 70 + "\n", "a: [\n", "a: b: c\n",
    "a:\n\t- b\n", "a: 1\n a: 2\n", "x: \x00\n", "'a\n",
]


@needs_libyaml
@pytest.mark.parametrize("text", CASES)
def test_cases_read_fast_and_the_same(text):
    assert agree(text, 3), f"the fast reader gave up on {text!r}"


@needs_libyaml
@pytest.mark.parametrize("text", GIVE_UP)
def test_unusual_input_goes_to_the_reference_reader(text):
    assert fast(text) is GAVE_UP
    slow = reference(text, 3)
    try:
        result = yamlsafe.load(text, "x.yaml", 3, "测试")
    except SourceError as error:
        assert isinstance(slow, SourceError) and (error.rule, error.line, error.message) == \
            (slow.rule, slow.line, slow.message)
    else:
        assert same(result, slow)


@needs_libyaml
def test_load_uses_the_fast_reader_for_plain_documents(monkeypatch):
    def refuse(*args):
        raise AssertionError("the reference reader ran")
    monkeypatch.setattr(yamlsafe, "_reference_load", refuse)
    monkeypatch.setattr(yamlsafe, "USE_LIBYAML", True)     # also under GBSTD_PURE_YAML=1
    data = yamlsafe.load("a: 1\nb:\n  c: [x]\n", "x.yaml", 10, "测试")
    assert data == {"a": 1, "b": {"c": ["x"]}} and data.lines == {"a": 10, "b": 11}
    assert data["b"].lines == {"c": 12}


def test_deep_nesting_does_not_crash_either_reader():
    """100,000 nested brackets, 1,000 indented levels, 50,000 “- ”: one LIMIT-001 at the right line,
    in a child process (a crash of the C parser would kill it), with and without libyaml."""
    script = ("import sys\nfrom gbstd.source import yamlsafe\nfrom gbstd.findings import SourceError\n"
              "for text, line in [('a: 1\\nb: ' + '[' * 100000, 2), ('x:\\n' + ''.join(' ' * i + 'k:\\n'"
              " for i in range(1, 1000)), 64), ('- ' * 50000 + 'x', 1)]:\n"
              "    try:\n        yamlsafe.load(text, 'x.yaml', 1, 't')\n"
              "    except SourceError as e:\n        print(e.rule, e.line, e.line == line)\n")
    for pure in ("", "1"):
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                                env={"GBSTD_PURE_YAML": pure, "PATH": ""}, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.split("\n")[:3] == ["LIMIT-001 2 True", "LIMIT-001 64 True",
                                                  "LIMIT-001 1 True"], (pure, result.stdout)


# Random documents: data dumped by PyYAML in block and flow style, and free text made of
# YAML syntax (SOUP). Whatever the fast reader reads must read the same in the reference.
SCALARS = st.one_of(st.text(max_size=12), st.integers(-10**30, 10**30), st.booleans(), st.none(),
                    st.floats(allow_nan=False), st.sampled_from(["0017", "12:30", "no", "1e3", "~", ".inf",
                                                                 "a\u2028b", "x\x85", "#", "- ", ": "]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=20)


@needs_libyaml
@FUZZ
@given(DATA, st.sampled_from([None, True, False]), st.sampled_from([None, "'", '"', "|"]))
def test_dumped_data_reads_the_same(data, flow, style):
    try:
        text = yaml.safe_dump(data, default_flow_style=flow, default_style=style, allow_unicode=True)
    except yaml.YAMLError:
        return
    agree(text)


@needs_libyaml
@FUZZ
@given(SOUP)
def test_yaml_soup_reads_the_same(text):
    agree(text, 2)
