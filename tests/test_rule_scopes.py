"""Rule scopes and the findings cache (gbstd.rules, gbstd.findingscache): every rule declares
what its findings depend on; a cached check reports byte for byte what an uncached one does
after edits of every kind, and recomputes only the findings whose declared inputs changed."""
from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from gbstd import check, findingscache, modelcache, rules, sources
from gbstd.report import render_report

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "tests" / "fixtures" / "review" / "demo"


def test_every_rule_declares_a_scope():
    assert rules.undeclared() == []
    for candidate in rules.load_all().values():
        assert candidate.scope in rules.SCOPES
        assert (candidate.refers is not None) == (candidate.scope == rules.CORPUS), candidate.id
        assert (candidate.files is not None) == (candidate.scope == rules.FILES), candidate.id


def test_a_rule_without_a_scope_is_caught(monkeypatch):
    """The test above fails for such a rule, and the cache is not used while there is one."""
    stray = rules.Rule("STRAY-001", "error", "x", "", ("2020",), ("standard",), lambda doc, ctx: ())
    monkeypatch.setitem(rules.RULES, stray.id, stray)
    assert rules.undeclared() == ["STRAY-001"]
    with pytest.raises(ValueError, match="refers"):
        rules.rule("STRAY-002", "error", "x", scope=rules.CORPUS)
    with pytest.raises(ValueError, match="unknown scope"):
        rules.rule("STRAY-003", "error", "x", scope="everything")


def test_document_rules_read_nothing_but_their_document():
    """Over the real corpus, every document and files rule reports the same with an empty
    context as with the whole corpus."""
    docs = [d for d in check.read_all(sources.discover([str(ROOT / "standards")])) if not isinstance(d, check.Finding)]
    full = check.build_context(docs)
    for doc in docs:
        for candidate in rules.applicable(doc):
            if candidate.scope != rules.CORPUS:
                assert (check.rule_findings(candidate, doc, rules.Context())
                        == check.rule_findings(candidate, doc, full)), (candidate.id, doc.path)


# ---------------------------------------------------------------- cached = uncached


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


EDITS = [   # (name, what it does to the project, a finding it must bring or remove)
    ("document", lambda p: _append(p / "standards/green-logistics/standard.md", "\n本条内容参见GB/T 99999。\n"),
     "green-logistics/standard.md"),
    ("parent guideline", lambda p: _edit(p / "standards/sz-green-industry-guide/standard.md",
                                         "{name: 社会表现, verb: 宜}", "{name: 社会贡献, verb: 宜}"),
     "DERIV-LEVEL1"),
    ("comment record", lambda p: _edit(p / "standards/demo/comments/zq-01.yaml", 'clause: "4.2"', 'clause: "4.9"'),
     "COMMENT-CLAUSE"),
    ("ballot", lambda p: _edit(p / "standards/demo/ballots/hs-01.yaml", "eligible: 4", "eligible: 9"),
     "BALLOT-COUNT"),
    ("draft a round was on", lambda p: _edit(p / "standards/demo/drafts/征求意见稿.md",
                                             "### 4.1 基本要求", "### 4.1 总体要求\n\n### 4.9 补充要求"),
     "COMMENT-CLAUSE"),
    ("new ballot", lambda p: (p / "standards/demo/ballots/hs-02.yaml").write_text(
        "ballot: {id: X, colour: red}\n", encoding="utf-8"), "REVIEW-FILE"),
    ("deleted document", lambda p: (p / "standards/sz-green-industry-guide/standard.md").unlink(),
     "DERIV-PARENT"),
]


def _report(project: Path, cached: bool) -> str:
    cache = modelcache.Cache(project / "build", b"k" * 32) if cached else None
    standards = str(project / "standards")
    findings, docs = check.check_paths([standards], corpus_root=standards, cache=cache, models=False)
    return render_report(findings, docs, "json")


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> list[tuple[str, str, str, list[str]]]:
    """The real corpus and the review demo (comment round on a draft file, ballot): checked
    uncached and cached (filling, then warm) and again after each edit; with the documents
    each cached check ran rules on."""
    project = tmp_path_factory.mktemp("scopes")
    shutil.copy(ROOT / "gbstd.toml", project / "gbstd.toml")
    shutil.copytree(ROOT / "standards", project / "standards")
    shutil.copytree(DEMO, project / "standards" / "demo")
    ran: list[str] = []
    original = findingscache.rule_findings

    def counting(candidate, doc, ctx):
        ran.append(f"{Path(doc.path).parent.name}/{Path(doc.path).name} {candidate.scope}")
        return original(candidate, doc, ctx)

    findingscache.rule_findings = counting
    try:
        result = [("first", _report(project, False), _report(project, True), [])]
        ran.clear()
        result.append(("warm", result[0][1], _report(project, True), sorted(set(ran))))
        for name, edit, _ in EDITS:
            edit(project)
            uncached = _report(project, False)
            ran.clear()
            result.append((name, uncached, _report(project, True), sorted(set(ran))))
    finally:
        findingscache.rule_findings = original
    return result


def test_cached_findings_equal_uncached_after_every_kind_of_edit(runs):
    for name, uncached, cached, _ in runs:
        assert cached == uncached, name
    # every edit changed what is reported, in the way it was meant to
    for (name, _, expected), (_, before, _, _), (_, after, _, _) in zip(EDITS, runs[1:], runs[2:]):
        assert before != after, name
        assert after.count(expected) != before.count(expected), name


def test_only_findings_whose_inputs_changed_are_computed_again(runs):
    ran = {name: done for name, _, _, done in runs}
    assert ran["warm"] == []
    # the document's own rules, the corpus rules of its notes (they read it), and the
    # review rule of the notes (the record files of a folder include its standard.md)
    assert ran["document"] == ["green-logistics/notes.md corpus", "green-logistics/notes.md files"] + [
        f"green-logistics/standard.md {scope}" for scope in ("corpus", "document", "files")]
    # the guideline's own rules, and the corpus rules of the documents that read it
    assert ran["parent guideline"] == ["green-logistics/standard.md corpus",
                                       "sz-green-industry-guide/notes.md corpus",
                                       "sz-green-industry-guide/notes.md files",
                                       "sz-green-industry-guide/standard.md corpus",
                                       "sz-green-industry-guide/standard.md document",
                                       "sz-green-industry-guide/standard.md files"]
    for name in ("comment record", "ballot"):
        assert ran[name] == ["demo/standard.md files"], name
    # a new file in the document's folder changes its model's key (the reader looks for images)
    assert ran["new ballot"] == [f"demo/standard.md {scope}" for scope in ("corpus", "document", "files")]
    # the draft is a document of the corpus too (standards/demo/drafts/)
    assert ran["draft a round was on"] == ["demo/standard.md files"] + [
        f"drafts/征求意见稿.md {scope}" for scope in ("corpus", "document", "files")]


def test_a_rule_that_reads_more_than_it_declares_is_caught(tmp_path, monkeypatch):
    """The comparison above would fail for a corpus rule that does not declare a document it
    reads: cached, it is given only what it declared."""
    shutil.copy(ROOT / "gbstd.toml", tmp_path / "gbstd.toml")
    shutil.copytree(ROOT / "standards", tmp_path / "standards")
    uncached = _report(tmp_path, False)
    assert _report(tmp_path, True) == uncached
    shutil.rmtree(tmp_path / "build")
    monkeypatch.setitem(rules.RULES, "DERIV-PARENT",
                        replace(rules.RULES["DERIV-PARENT"], refers=lambda summary, index: []))
    assert _report(tmp_path, True) != uncached
