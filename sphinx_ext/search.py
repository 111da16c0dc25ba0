"""Chinese full-text search for the HTML site, on Sphinx's own search page.

Sphinx 9.0.4's Chinese search is broken in the browser (its language_data.js
names a ``ChineseStemmer`` that does not exist, sphinx-doc/sphinx#14229; the
fix is not released) and indexes no Chinese at all unless jieba is installed.
This replaces it with an index of overlapping character bigrams, as Lucene's
CJK analyser does: the index and the query are split the same way (Python
here, the same rule in JavaScript for the query), and Sphinx's search keeps a
page only when it holds every bigram of the query. No dictionary, no network.
"""
from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.search import SearchLanguage

# CJK ideographs (with extension A and compatibility ideographs) form the runs
# that are cut into bigrams; Latin letters and digits form words.
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(f"[{_CJK}]+|[A-Za-z0-9_]+")
_IS_CJK = re.compile(f"[{_CJK}]")


def split(text: str) -> list[str]:
    """Words of ``text``: each CJK character and each pair of neighbours; Latin words whole."""
    words: list[str] = []
    for token in _TOKEN.findall(text):
        if _IS_CJK.match(token):
            words.extend(token)                                          # 单字
            words.extend(token[i:i + 2] for i in range(len(token) - 1))  # 双字
        else:
            words.append(token)
    return words


# The query side: a run of one character is looked up as that character, a
# longer run as its bigrams, so every bigram must be on the page.
JS_SPLITTER = r"""
function splitQuery(query) {
  const words = [];
  const tokens = query.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[A-Za-z0-9_]+/g) || [];
  for (const token of tokens) {
    if (/^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/.test(token) && token.length > 1) {
      for (let i = 0; i + 1 < token.length; i++) words.push(token.slice(i, i + 2));
    } else {
      words.push(token);
    }
  }
  return words;
}
"""

JS_STEMMER = """
var Stemmer = function () {
  this.stemWord = function (w) { return w.toLowerCase(); };
};
"""


class ChineseBigramSearch(SearchLanguage):
    lang = "zh"
    language_name = "Chinese"
    js_splitter_code = JS_SPLITTER
    js_stemmer_rawcode = ""          # no stemmer file: Sphinx would name a missing ChineseStemmer
    js_stemmer_code = JS_STEMMER
    stopwords = frozenset()

    def split(self, input: str) -> list[str]:
        return split(input)

    def word_filter(self, word: str) -> bool:
        # called for every word of every page: the length first, the pattern for one character
        return len(word) > 1 or bool(_IS_CJK.match(word))

    def stem(self, word: str) -> str:
        return word.lower()


def setup(app: Sphinx) -> dict:
    app.add_search_language(ChineseBigramSearch)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
