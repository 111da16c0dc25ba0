"""Chinese text helpers shared by every writer (PDF, HTML, Word).

An author's space between two Chinese characters is content: in the title of a
cited document it separates the title elements ("GB/T 19001 质量管理体系 要求",
《中共中央 国务院关于…》). xeCJK drops such a space and Word's East Asian layout
may squeeze it, so a writer finds it with ``author_spaces``/``split_author_spaces``
and prints it in a form its engine keeps (LaTeX: ``\\gbspace``). A line break
inside a paragraph is not an author's space (``gbstd.source.gblists.join_cjk_lines``
drops those between Chinese characters).
"""
from __future__ import annotations

import re

# Chinese characters, CJK and full-width punctuation (。，（）《》 …).
CJK_CHARS = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK = re.compile(f"[{CJK_CHARS}]")
# One or more ASCII spaces (never a line break) with a Chinese character on both sides.
AUTHOR_SPACE = re.compile(f"(?<=[{CJK_CHARS}]) +(?=[{CJK_CHARS}])")


def split_author_spaces(text: str) -> list[str]:
    """``text`` cut at each author's space between Chinese characters (the spaces dropped).

    "质量管理体系 要求" → ["质量管理体系", "要求"]; text without one → [text].
    Neighbouring text nodes are not looked at: call it on the whole string.
    """
    return AUTHOR_SPACE.split(text)


def mark_author_spaces(text: str, mark: str) -> str:
    """``text`` with each author's space between Chinese characters replaced by ``mark``."""
    return AUTHOR_SPACE.sub(lambda _: mark, text)
