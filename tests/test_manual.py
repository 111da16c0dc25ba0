"""The user manual (standards/manual/) is Chinese, complete, published in the site and not checked
as a standards document."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gbstd.sources import SITE_PAGES_FOLDER, discover
from gbstd.cli import parser

ROOT = Path(__file__).resolve().parent.parent
MANUAL = ROOT / "standards" / SITE_PAGES_FOLDER
PAGES = sorted(p.stem for p in MANUAL.glob("*.md"))


def prose(text: str) -> str:
    """The page without code blocks and inline code: what a reader reads as text."""
    text = re.sub(r"^(`{3,}).*?^\1$", "", text, flags=re.S | re.M)
    return re.sub(r"`[^`]*`", "", text)


def test_manual_has_the_chapters_a_user_needs():
    assert {"index", "authoring", "checking", "scoring", "review", "publishing"} <= set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_manual_pages_are_written_in_chinese(page):
    text = prose((MANUAL / f"{page}.md").read_text(encoding="utf-8"))
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    latin_words = len(re.findall(r"[A-Za-z]{3,}", text))
    assert han > 300 and han > 5 * latin_words, (page, han, latin_words)


def test_every_subcommand_is_documented_in_the_manual():
    text = "\n".join((MANUAL / f"{page}.md").read_text(encoding="utf-8") for page in PAGES)
    subcommands = parser()._subparsers._group_actions[0].choices
    missing = [name for name in subcommands if f"gbstd {name}" not in text]
    assert not missing, f"subcommands the manual does not mention: {missing}"


def test_the_manual_is_not_checked_as_standards_documents():
    files = discover([str(ROOT / "standards")])
    assert files and not [f for f in files if SITE_PAGES_FOLDER in f.relative_to(ROOT / "standards").parts]


def test_the_manual_is_published_linked_and_searchable(html_build):
    out, result = html_build
    assert result.returncode == 0, result.stderr
    for page in PAGES:
        html = (out / SITE_PAGES_FOLDER / f"{page}.html").read_text(encoding="utf-8")
        assert 'lang="zh' in html
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="manual/index.html"' in index
    manual_index = (out / SITE_PAGES_FOLDER / "index.html").read_text(encoding="utf-8")
    for page in set(PAGES) - {"index"}:
        assert f'href="{page}.html' in manual_index
    search_index = (out / "searchindex.js").read_text(encoding="utf-8")
    assert all(f"manual/{page}" in search_index for page in PAGES)
