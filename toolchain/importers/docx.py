"""Word draft (.docx) → gbstd MyST source.

The body is read in order (``ooxml``) and mapped onto the GB/T 1.1 structure:

- headings and their numbers from heading styles (标准文件_章标题 …, Word's Heading 1–5,
  outline levels), from Word automatic numbering (computed from numbering.xml), or from
  numbers typed as text, accepted when they continue the clause numbering;
- GB lists, notes, examples, terms (chapter 3), references (chapter 2), bibliography;
- tables (indicator tables → ``indicator-table``, others → ``list-table``), formulas
  (OMML → LaTeX, with the 式中 list → symbols), images (written next to the source);
- the cover and foreword → front matter, with ``gaps:`` for what is not printed.

Whatever cannot be mapped is kept as text (or as a MyST comment where text is not
allowed) and reported as a finding located at the paragraph number in the .docx.
"""
from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import wordstyles
from ..findings import Finding, SourceError
from ..source.gblists import LIST_MARKER, marker_level
from . import cover, omml, tables
from .ooxml import Grid, Package, Para, read

NUMBER = r"(?:\d+(?:\.\d+){0,5}|[A-Z]\.\d+(?:\.\d+){0,4})"
TYPED = re.compile(rf"^(?P<number>{NUMBER})(?:[\s\u3000]+(?P<rest>.*)|$)", re.S)
ANNEX = re.compile(r"^附\s*录\s*(?P<letter>[A-Z])\s*(?P<rest>.*)$", re.S)
ANNEX_ROLE = re.compile(r"^[（(]\s*(?P<role>规范性|资料性)\s*(?P<suffix>附录)?\s*[)）]\s*(?P<rest>.*)$", re.S)
UNNUMBERED = {"前言": "foreword", "引言": "introduction", "参考文献": "bibliography", "索引": "index"}
TOC_LINE = re.compile(r"(\t|\.{3,}|…{2,}|·{3,}|_{3,})\s*[\dIVXⅠ-Ⅻivx]+\s*$")
TABLE_CAPTION = re.compile(r"^表\s*(?P<number>[A-Z]?\.?\d+)\s*(?P<caption>.*)$")
FIGURE_CAPTION = re.compile(r"^图\s*(?P<number>[A-Z]?\.?\d+)\s*(?P<caption>.*)$")
TEXT_FORMULA = re.compile(r"^(?P<expr>[^\u4e00-\u9fff]{1,80}=[^\u4e00-\u9fff]{1,80}?)[\s\u3000]+"
                          r"[（(](?P<number>[A-Z]\.\d+|\d+)[)）]$")
FORMULA_NUMBER = re.compile(r"^[（(]\s*(?P<number>[A-Z]\.\d+|\d+)\s*[)）]$")
WHERE = re.compile(r"^式中\s*[:：]?\s*(?P<rest>.*)$", re.S)
SYMBOL_LINE = re.compile(r"^\s*(?P<symbol>\x00\d+\x00|[^\s—]{1,16}?)\s*——\s*(?P<rest>.+)$", re.S)
UNIT = re.compile(r"^(?P<meaning>.*?)[，,]\s*单位为(?P<unit>.+)$")
TERM_SOURCE = re.compile(r"^\[来源[：:]\s*(?P<source>.+?)(?P<modified>[，,]\s*有修改)?\]$")
END_LINE = re.compile(r"^[_＿—\-]{3,}$")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(?P<level>[1-9])$", re.I)
RESTORED = "〔复原〕"
GAP_LABEL = "〔原文缺失〕"
GAP_STYLE = getattr(wordstyles, "GAP", "标准文件_缺口")   # gbstd's own style (docs/word.md)
TITLE_PUNCT = re.compile(r"[。；：，;:,]|[.](?!\d)")


@dataclass
class Result:
    markdown: str
    images: dict[str, bytes]                 # path relative to the source → bytes
    findings: list[Finding]
    counts: Counter
    meta: dict = field(default_factory=dict)
    gaps: dict = field(default_factory=dict)

    def summary(self) -> str:
        c = self.counts
        lines = ["导入结果："]
        parts = [f"章 {c['chapter']} 个", f"条 {c['clause']} 个", f"附录 {c['annex']} 个",
                 f"术语 {c['term']} 条", f"规范性引用文件 {c['reference']} 项",
                 f"列项 {c['list-item']} 项", f"注 {c['note']} 条", f"示例 {c['example']} 个",
                 f"表 {c['table']} 个", f"指标表 {c['indicator-table']} 个（指标 {c['indicator']} 个）",
                 f"公式 {c['formula']} 个", f"图片 {c['image']} 幅"]
        lines.append("  " + "，".join(parts) + "。")
        found = [k for k in cover.FIELDS + ("family",) if k in self.meta]
        lines.append("  封面信息：已取得 " + ("、".join(found) if found else "（无）")
                     + ("；未给出（列入 gaps）：" + "、".join(self.gaps) if self.gaps else "") + "。")
        review = [f for f in self.findings if f.severity != "info"]
        if review:
            lines.append(f"需要核对 {len(review)} 处（已原样保留为文字，见下列提示及源文件中的“% 导入提示”注释）：")
            lines += ["  " + f.format().replace("\n", "\n  ") for f in review]
        else:
            lines.append("没有需要核对的内容。")
        return "\n".join(lines) + "\n"


def import_docx(path: str, slug: str = "", image_dir: str = "images", explains: str = "") -> Result:
    """Map a .docx onto a source. ``slug``: the folder the source goes to (table ids);
    ``explains``: for an explanatory note, the slug of its standard when that is known."""
    package = read(path)
    try:
        latex = omml.to_latex([m.element for m in package.maths])
    except omml.ConversionError as exc:
        raise SourceError(path, 1, "IMPORT-005", f"公式转换失败：{exc}",
                          "确认已安装 pypandoc-binary（pip install pypandoc-binary）") from None
    for math, text in zip(package.maths, latex):
        math.latex = text
    mapper = _Mapper(package, slug, image_dir)
    mapper.explains = explains
    return mapper.run()


@dataclass
class _Term:
    number: str
    term: str = ""
    en: str = ""
    source: str = ""
    modified: bool = False
    body: list[str] = field(default_factory=list)
    index: int = 0


class _Mapper:
    def __init__(self, package: Package, slug: str, image_dir: str):
        self.pkg = package
        self.path = package.path
        self.slug = slug
        self.image_dir = image_dir
        self.blocks = package.blocks
        self.out: list[str] = []
        self.findings: list[Finding] = []
        self.counts: Counter = Counter()
        self.images: dict[str, bytes] = {}
        self.part = "front"
        self.numbers: list[str] = []       # current clause number, split: ["5", "1"] / ["A", "2"]
        self.chapter_title = ""
        self.list_lines: list[str] = []
        self.term: _Term | None = None
        self.foreword_texts: list[str] = []
        self.table_count = 0
        self.formula_count = 0
        self.figure_count = 0
        self.meta_title = ""
        self.seen_chapter = False
        self.annex_labels_2009 = False
        self.notes = False
        self.explains = ""
        self.footnote_numbers: dict[int, int | str] = {}   # index in Package.footnotes → [^n] / [^a]
        self.footnote_labels: dict[int, str] = {}          # table footnotes: their letter

    # ------------------------------------------------------------ driver

    def run(self) -> Result:
        start = self._cover_end()
        cover_paras = [b for b in self.blocks[:start] if isinstance(b, Para)]
        meta, used = cover.from_cover(cover_paras, notes=self.notes)
        self.notes = meta.get("kind") == "notes"
        self.meta_title = meta.get("title", "")
        leftovers = [p for p in cover_paras if p.index not in used and p.plain
                     and re.sub(r"\s", "", p.plain) not in ("ICS", "CCS")]
        for b in self.blocks[:start]:
            if isinstance(b, Grid):
                leftovers.append(Para(index=b.index, text="；".join(
                    c.text for row in b.rows for c in row if c is not None and c.text)))
        for para in leftovers:
            self._comment(para.index, f"封面上的文字未能识别为封面信息：{para.plain}", "IMPORT-003")
        i = start
        while i < len(self.blocks):
            i = self._step(i)
        self._flush()
        if self.footnote_numbers:
            self.out.append("\n".join(f"[^{n}]: {_escape(_one_line(self.pkg.footnotes[k]))}"
                                      for k, n in self.footnote_numbers.items()))
        cover.from_foreword(self.foreword_texts, meta)
        if "drafting_rules" not in meta and self.annex_labels_2009:
            meta["drafting_rules"] = "GB/T 1.1—2009"
            self._finding(1, "info", "IMPORT-003", "前言未写起草依据；附录标识为“（规范性附录）”“（资料性附录）”，"
                                                 "按 GB/T 1.1—2009 的规则检查（drafting_rules: GB/T 1.1—2009）",
                          "核对起草依据；按 GB/T 1.1—2020 起草时改写附录标识")
        if not meta.get("title") and self.meta_title and not self.notes:
            meta["title"] = self.meta_title    # the title printed above chapter 1 (no cover)
        title = meta.get("title") or self.pkg.core_title
        gaps = {}
        printed_gaps = meta.pop("_printed_gaps", [])
        fields = ("stage", "drafting_group", "date") if self.notes else cover.FIELDS + ("family",)
        for key in fields:
            if not meta.get(key):
                gaps[key] = cover.PRINTED_NOT_GIVEN if key in printed_gaps else cover.NOT_ON_COVER
        for key in () if self.notes else ("proposer", "owner", "drafting_units", "drafters"):
            if not meta.get(key):
                gaps[key] = cover.NOT_IN_FOREWORD
        if not title:
            title = Path(self.path).stem
            self._finding(1, "warning", "IMPORT-004", f"Word 文件中没有找到文件名称，暂以文件名 “{title}” 作为标题",
                          "在前置元数据中写 title: 文件名称，并改正 # 标题")
        front = self._front_matter(meta, gaps)
        body = "\n\n".join(self.out)
        markdown = f"---\n{front}---\n\n# {_escape(title)}\n\n{body}\n"
        return Result(markdown=markdown, images=self.images, findings=self.findings, counts=self.counts,
                      meta=meta, gaps=gaps)

    def _front_matter(self, meta: dict, gaps: dict) -> str:
        if self.notes:
            subject = re.match(r"^《(?P<name>[^》]+)》", meta.get("title", ""))
            explains = self.explains or (subject["name"] if subject else "")
            data = {"kind": "notes", "title": meta.get("title", ""), "explains": explains}
            if not explains:
                self._finding(1, "warning", "IMPORT-004", "没有找到编制说明所说明的标准（explains）",
                              "在前置元数据中写 explains: 标准的目录名")
            for key in ("stage", "drafting_group", "date"):
                if meta.get(key):
                    data[key] = meta[key]
            notes_gaps = {k: v for k, v in gaps.items() if k in ("stage", "drafting_group", "date")}
            if notes_gaps:
                data["gaps"] = notes_gaps
            return _yaml(data)
        data: dict = {"kind": "standard"}
        for key in ("designation", "family", "title", "title_en", "stage", "ics", "ccs", "issued",
                    "implemented", "issuer", "proposer", "owner", "drafting_units", "drafters",
                    "drafting_rules", "replaces"):
            if meta.get(key):
                data[key] = meta[key]
        data.setdefault("drafting_rules", "GB/T 1.1—2020")
        if gaps:
            data["gaps"] = gaps
        return _yaml(data)

    def _cover_end(self) -> int:
        for i, block in enumerate(self.blocks):
            if not isinstance(block, Para) or not block.plain:
                continue
            key = _key(block.plain)
            if block.style in (wordstyles.TOC_TITLE, wordstyles.FOREWORD_TITLE, wordstyles.BODY_TITLE) \
                    or key in ("目次", "前言", "引言"):
                return i
            if block.style == wordstyles.CHAPTER or _style_level(block.style)[0] == 1 or \
                    (TYPED.match(block.plain) and TYPED.match(block.plain)["number"] == "1"
                     and not TOC_LINE.search(block.text)):
                # no 目次 or 前言: the title (if any) stands right before chapter 1
                j = i - 1
                while j >= 0 and not (isinstance(self.blocks[j], Para) and self.blocks[j].plain):
                    j -= 1
                return i if j < 0 or self._cover_like(j) else j
        return 0

    def _cover_like(self, j: int) -> bool:
        """Whether the paragraph before chapter 1 belongs to a cover (a date, designation…)."""
        para = self.blocks[j]
        return bool(cover.DATE.search(para.plain) or cover.ICS.search(para.plain)
                    or cover.ISSUER.match(para.plain))

    def _step(self, i: int) -> int:
        block = self.blocks[i]
        if isinstance(block, Grid):
            return self._table(i, block, caption=None)
        para = block
        if not para.plain and not para.images and not para.maths and not para.label:
            if para.unmapped:
                self._comment(para.index, "含" + "、".join(dict.fromkeys(para.unmapped)) + "，没有可导入的文字",
                              "IMPORT-003")
            return i + 1
        if self.part == "toc":
            if para.style.lower().startswith("toc") or para.style == "目次、索引正文" or TOC_LINE.search(para.text):
                return i + 1
            self.part = "front"
        if para.style == wordstyles.END_LINE or END_LINE.match(para.plain):
            return i + 1
        heading = self._heading(i, para)
        if heading is not None:
            return heading
        if self.part in ("front", "foreword", "introduction") and self._is_body_title(i, para):
            return i + 1
        if para.images:
            return self._figure(i, para)
        if para.maths and not FORMULA_NUMBER.sub("", _no_math(para.text).strip()).strip():
            return self._formula(i, para)
        if para.style in (wordstyles.FORMULA, wordstyles.ANNEX_FORMULA) and not para.maths and para.plain:
            return self._formula(i, para, latex_text=para.text)
        if TEXT_FORMULA.match(para.plain) and not para.maths:
            return self._formula(i, para, text_formula=TEXT_FORMULA.match(para.plain))
        m = TABLE_CAPTION.match(para.plain)
        if m or para.style in (wordstyles.TABLE_TITLE, wordstyles.ANNEX_TABLE_TITLE):
            j = self._next_nonempty(i + 1)
            if j < len(self.blocks) and isinstance(self.blocks[j], Grid):
                return self._table(j, self.blocks[j], caption=(m["number"], m["caption"].strip()) if m
                                   else ("", para.plain))
            if "续" in para.plain:
                return i + 1
        if para.plain.startswith(GAP_LABEL) or para.style == GAP_STYLE and para.plain.startswith("〔"):
            self._flush()
            text = re.sub(r"^〔[^〕]*〕", "", para.plain).strip()
            self.out.append(f":::{{gap}}\n{_escape(_one_line(text))}\n:::")
            return i + 1
        self._text(para)
        return i + 1

    def _next_nonempty(self, j: int) -> int:
        while j < len(self.blocks) and isinstance(self.blocks[j], Para) and not self.blocks[j].plain \
                and not self.blocks[j].images and not self.blocks[j].maths and not self.blocks[j].label:
            j += 1
        return j

    # ------------------------------------------------------------ headings

    def _heading(self, i: int, para: Para) -> int | None:
        key = _key(para.plain)
        if self.notes:
            return self._notes_heading(i, para)
        if para.style == wordstyles.TOC_TITLE or key == "目次":
            self._flush()
            self.part = "toc"
            return i + 1
        if key in UNNUMBERED and len(para.plain) <= 8:
            kind = UNNUMBERED[key]
            self._flush()
            self.part = kind if kind in ("foreword", "introduction", "bibliography") else "body"
            self.numbers = [] if kind != "bibliography" else self.numbers
            self.out.append(f"## {key}")
            return i + 1
        annex = self._annex(i, para)
        if annex is not None:
            return annex
        level, untitled_style, annex_style = _style_level(para.style)
        if level is None and para.outline is not None and para.style not in (
                wordstyles.PARAGRAPH, wordstyles.BODY_TITLE) and len(para.plain) <= 60:
            level = para.outline + 1
        in_annex = bool(self.numbers) and self.numbers[0].isalpha()
        if level is not None and in_annex and not annex_style:
            level += 1 if para.style in (wordstyles.CHAPTER, *wordstyles.CLAUSE.values(),
                                         *wordstyles.UNTITLED_CLAUSE.values()) else 0
        if level is not None and annex_style and not in_annex:
            level = None    # an annex clause style outside an annex: read its typed number
        text = para.text.strip()
        typed = TYPED.match(text)
        number, rest = None, text
        if typed and (level is None or typed["number"].count(".") + 1 == level):
            number, rest = typed["number"], (typed["rest"] or "").strip()
        label = _label_number(para.label)
        if number is None and label and (level is None or label.count(".") + 1 == level):
            number = label
        if number is None and level is not None:
            if level == 1 and in_annex:
                return None
            number = self._successor(level)
            if number is None:
                return None
        if number is None:
            return None
        successors = self._successors()
        styled = level is not None
        if not styled:
            if number not in successors:
                if not (para.bold and rest and len(rest) <= 30 and not TITLE_PUNCT.search(rest)):
                    return None
            if TOC_LINE.search(para.text):
                return None
            if not rest and not para.bold and "." not in number and self.part != "body" and number != "1":
                return None
        if number.split(".")[0].isalpha() != in_annex and number[0].isalpha():
            return None   # A.1 outside an annex
        previous = self.numbers
        self.numbers = number.split(".")
        depth = len(self.numbers)
        untitled = untitled_style or (rest and (len(rest) > 40 or TITLE_PUNCT.search(rest)
                                                and not para.bold) and not styled) \
            or (rest and len(rest) > 60) or rest.endswith(("。", "；"))
        if untitled and depth == 1 and not styled and not para.bold:
            self.numbers = previous
            return None    # “6 个月内……”: a sentence that starts with a figure, not chapter 6
        if number not in successors:
            expected = "、".join(sorted(successors)) or "—"
            self._finding(para.index, "warning", "IMPORT-006",
                          f"第 {para.index} 段：章条编号 {number} 不接续上一编号（应为 {expected} 之一），按原编号导入",
                          "核对原文的章条编号；gbstd check 会报告编号问题")
        self._flush()
        self.part = "body"
        if self.chapter_title == "术语和定义" and depth >= 2 and self.numbers[0] == "3":
            return self._term_start(i, para, number, rest)
        title = "" if untitled else rest
        if depth == 1:
            self.chapter_title = title
            self.seen_chapter = True
            self.counts["chapter"] += 1
        else:
            self.counts["clause"] += 1
        hashes = "#" * (depth + 1)
        self.out.append(f"{hashes} {number} {_escape(title)}".rstrip())
        if untitled and rest:
            self._paragraph_text(para, rest)
        return i + 1

    def _notes_heading(self, i: int, para: Para) -> int | None:
        """An explanatory note's headings are unnumbered (一、… （一）…): only styles say they are headings."""
        level = _style_level(para.style)[0]
        if level is None and para.outline is not None and len(para.plain) <= 60:
            level = para.outline + 1
        if level is None:
            return None
        self._flush()
        self.part = "body"
        self.seen_chapter = True
        self.counts["chapter" if level == 1 else "clause"] += 1
        self.out.append("#" * min(level + 1, 6) + " " + _escape(_one_line(para.plain)))
        return i + 1

    def _successor(self, depth: int) -> str | None:
        numbers = list(self.numbers)
        if numbers and numbers[0].isalpha():
            if depth < 2:
                return None
        if depth <= len(numbers):
            head = numbers[:depth - 1]
            last = numbers[depth - 1]
            if not last.isdigit():
                return None
            return ".".join(head + [str(int(last) + 1)])
        if depth == len(numbers) + 1 or (not numbers and depth == 1):
            return ".".join(numbers + ["1"])
        return ".".join(numbers + ["1"] * (depth - len(numbers)))

    def _successors(self) -> set[str]:
        found = set()
        for depth in range(1, len(self.numbers) + 2):
            number = self._successor(depth)
            if number:
                found.add(number)
        if not self.numbers:
            found.add("1")
        return found

    def _annex(self, i: int, para: Para) -> int | None:
        text = para.plain
        if para.label.startswith("附录"):        # “附录A” from Word numbering (template annex styles)
            text = f"{para.label}\n{text}".strip()
        m = ANNEX.match(text)
        if not m or (para.style != wordstyles.ANNEX_LABEL and len(text) > 60):
            return None
        letter, rest = m["letter"], m["rest"].strip()
        consumed = i + 1
        role_match = ANNEX_ROLE.match(rest)
        if not role_match:
            j = self._next_nonempty(consumed)
            if j < len(self.blocks) and isinstance(self.blocks[j], Para):
                role_match = ANNEX_ROLE.match(self.blocks[j].plain)
                if role_match:
                    consumed = j + 1
        if not role_match:
            if TOC_LINE.search(para.text) or rest:
                return None
            self._finding(para.index, "warning", "IMPORT-003",
                          f"第 {para.index} 段：附录{letter}没有标明（规范性）或（资料性），按资料性附录导入",
                          "核对原文，按 GB/T 1.1 写明附录的性质")
            role, suffix, title = "资料性", "", ""
        else:
            role, suffix, title = role_match["role"], role_match["suffix"] or "", role_match["rest"].strip()
        if not title:
            j = self._next_nonempty(consumed)
            if j < len(self.blocks) and isinstance(self.blocks[j], Para) and self.blocks[j].plain \
                    and not TYPED.match(self.blocks[j].plain) and len(self.blocks[j].plain) <= 60 \
                    and not TITLE_PUNCT.search(self.blocks[j].plain[-1:]):
                title = self.blocks[j].plain
                consumed = j + 1
        self._flush()
        self.part = "body"
        self.numbers = [letter]
        self.chapter_title = title
        self.counts["annex"] += 1
        self.annex_labels_2009 = self.annex_labels_2009 or bool(suffix)
        label = f"（{role}{suffix}）"
        self.out.append(f"## 附录{letter}{label}{_escape(_one_line(title))}")
        return consumed

    def _is_body_title(self, i: int, para: Para) -> bool:
        if para.style == wordstyles.BODY_TITLE:
            return True
        if self.meta_title and _key(para.plain) == _key(self.meta_title):
            return True
        j = self._next_nonempty(i + 1)
        if j < len(self.blocks) and isinstance(self.blocks[j], Para):
            nxt = TYPED.match(self.blocks[j].plain)
            if nxt and nxt["number"] == "1" and (para.centered or para.bold) and len(para.plain) <= 60 \
                    and not TITLE_PUNCT.search(para.plain):
                if not self.meta_title:
                    self.meta_title = para.plain
                return True
        return False

    # ------------------------------------------------------------ terms

    def _term_start(self, i: int, para: Para, number: str, rest: str) -> int:
        self.term = _Term(number=number, index=para.index)
        self.counts["term"] += 1
        consumed = i + 1
        if not rest:
            j = self._next_nonempty(consumed)
            if j < len(self.blocks) and isinstance(self.blocks[j], Para):
                rest = self.blocks[j].plain
                consumed = j + 1
        self.term.term, self.term.en = _split_term(rest)
        if not self.term.term:
            self._finding(para.index, "warning", "IMPORT-003", f"第 {para.index} 段：术语 {number} 没有找到术语名称",
                          "在 :term: 中补上术语")
        return consumed

    def _term_text(self, para: Para) -> None:
        m = TERM_SOURCE.match(para.plain)
        if m and not self.term.source:
            self.term.source = m["source"].strip()
            self.term.modified = bool(m["modified"])
            return
        self.term.body.append(self._inline(para.text, para))

    def _flush_term(self) -> None:
        term, self.term = self.term, None
        lines = [f"```{{term}} {term.number}", f":term: {_option(term.term)}"]
        if term.en:
            lines.append(f":en: {_option(term.en)}")
        if term.source:
            lines.append(f":source: {_option(term.source)}")
        if term.modified:
            lines.append(":modified:")
        lines.append("")
        lines.append("\n\n".join(term.body) if term.body else "")
        if not term.body:
            self._finding(term.index, "warning", "IMPORT-003", f"第 {term.index} 段：术语 {term.number} 没有定义",
                          "核对原文，补上定义")
        lines.append("```")
        self.out.append("\n".join(lines).replace("\n\n```", "\n```") if not term.body else "\n".join(lines))

    # ------------------------------------------------------------ text, lists, notes

    def _text(self, para: Para) -> None:
        label = para.label.strip()
        text = para.text.strip()
        marker = _list_marker(para, label)
        if self.term is not None and not marker:
            self._term_text(_with_label(para, label, text))
            return
        if marker:
            body = text
            m = LIST_MARKER.match(text)
            if not label and m:
                marker, body = m.group(1).strip(), text[m.end():]
            level = marker_level(marker) if marker in ("——", "·") or marker[:1].isalnum() else 1
            if self.term is not None:
                self.term.body.append(self._inline(f"{marker} {body}", para))
                self.counts["list-item"] += 1
                return
            indent = "   " if level == 2 or (para.num_level >= 1 and label) else ""
            self.list_lines.append(f"{indent}{marker} {self._inline(body, para)}")
            self.counts["list-item"] += 1
            self._unmapped(para)
            return
        self._flush_list()
        if para.style in (wordstyles.NOTE, wordstyles.NOTE_NUMBERED) and not text.startswith("注"):
            text = (label if label.startswith("注") else "注：") + text
        elif para.style in (wordstyles.EXAMPLE, wordstyles.EXAMPLE_NUMBERED) and not text.startswith("示例"):
            text = (label if label.startswith("示例") else "示例：") + text
        elif label and not label.startswith(("注", "示例")):
            text = f"{label} {text}"
            if para.num_format not in ("bullet", "none"):
                self._finding(para.index, "warning", "IMPORT-003",
                              f"第 {para.index} 段：Word 自动编号 “{label}” 不是 GB 列项或章条编号，已作为文字保留",
                              "按 GB/T 1.1 改为 a) 1) —— 列项，或改为章条")
        elif label:
            text = label + text
        if text.startswith("注"):
            self.counts["note"] += 1
        elif text.startswith("示例"):
            self.counts["example"] += 1
        if self.part == "foreword":
            self.foreword_texts.append(para.plain)
        if self.chapter_title == "规范性引用文件" and self.numbers == ["2"]:
            from ..designations import parse_one
            if parse_one(text) and parse_one(text).start == 0:
                self.counts["reference"] += 1
        if self.part == "front" and not self.seen_chapter:
            self._comment(para.index, f"位于文件名称与第一章之间的文字：{para.plain}", "IMPORT-003")
            return
        self._paragraph_text(para, text)

    def _paragraph_text(self, para: Para, text: str) -> None:
        if self.term is not None:
            self.term.body.append(self._inline(text, para))
            return
        self._flush_list()
        self._unmapped(para)
        self.out.append(self._inline(text, para))

    def _unmapped(self, para: Para) -> None:
        for what in dict.fromkeys(para.unmapped):
            self._finding(para.index, "warning", "IMPORT-003",
                          f"第 {para.index} 段含{what}，无法对应到源文件的结构，其文字已保留在正文中",
                          "核对该段；脚注、批注、文本框等需要手工改写")

    def _inline(self, text: str, para: Para, marks: list | None = None) -> str:
        """Escape for MyST; inline equations as {math} roles, footnote references as [^n]
        (their texts go to the end of the document), emphasis as **…**, *…* or roles
        (``para``'s, or ``marks``, taken off that list as they are found)."""
        text = text.replace("\t", " ").strip()
        marks = list(para.marks) if marks is None else marks
        out = []
        position = 0
        for m in re.finditer(r"\x00(\d+)\x00|\x01(\d+)\x01", text):
            out.append(_marked(text[position:m.start()], marks))
            position = m.end()
            if m.group(2) is not None:
                out.append(self._footnote(int(m.group(2))))
                continue
            latex = self.pkg.maths[int(m.group(1))].latex
            if latex:
                out.append(f"{{math}}`{latex}`")
            else:
                self._finding(para.index, "warning", "IMPORT-005",
                              f"第 {para.index} 段中的公式无法转换为 LaTeX，已略去", "核对该段，手工写出公式")
        out.append(_marked(text[position:], marks))
        return "".join(out).strip()

    def _footnote(self, k: int) -> str:
        """``[^n]`` for the k-th footnote referred to; numbered 1, 2 … as GB numbers text footnotes."""
        if k not in self.footnote_numbers:
            label = self.footnote_labels.get(k)      # a table's footnote keeps its letter
            numbered = sum(1 for n in self.footnote_numbers.values() if str(n).isdigit())
            self.footnote_numbers[k] = label if label and label not in self.footnote_numbers.values() \
                else numbered + 1
            self.counts["footnote"] += 1
        return f"[^{self.footnote_numbers[k]}]"

    def _flush_list(self) -> None:
        if self.list_lines:
            self.out.append("\n".join(self.list_lines))
            self.list_lines = []

    def _flush(self) -> None:
        self._flush_list()
        if self.term is not None:
            self._flush_term()

    # ------------------------------------------------------------ tables

    def _table(self, i: int, grid: Grid, caption) -> int:
        self._flush()
        formula = self._formula_table(i, grid)
        if formula is not None:
            return formula
        self.table_count += 1
        number, title = caption or ("", "")
        if not number:
            number = self._table_number()
        if not caption:
            self._finding(grid.index, "info", "IMPORT-007", f"第 {grid.index} 段起的表格没有表题，编为表{number}",
                          "核对表号，并补上表题（表题在表的上方）")
        head = tables.header_roles(grid)
        consumed = i + 1
        if head is not None:
            table_id = (self.slug or "table") + ("" if self.counts["indicator-table"] == 0 else f"-{number}")
            table_id = re.sub(r"[^A-Za-z0-9_.-]", "-", table_id).strip("-") or "table"
            if not table_id[0].isalpha():
                table_id = "t-" + table_id
            parsed = tables.parse_indicators(grid, head, number, title, table_id)
            if parsed.table.indicators:
                consumed = self._grades_after(consumed, parsed)
                self.counts["indicator-table"] += 1
                self.counts["indicator"] += sum(1 for _ in parsed.table.walk())
                for problem in parsed.problems:
                    self._finding(grid.index, "warning", "IMPORT-003", f"表{number}（第 {grid.index} 段起）：{problem}",
                                  "核对导入后的 indicator-table")
                lines = [f"```{{indicator-table}} {number}"]
                if title:
                    lines.append(f":caption: {_option(title)}")
                lines += ["", _yaml(parsed.data).rstrip(), "```"]
                self.out.append("\n".join(lines))
                return consumed
        self.counts["table"] += 1
        consumed = self._table_footnotes(grid, consumed)
        rows, merged = tables.plain_rows(grid)
        if merged:
            self._finding(grid.index, "info", "IMPORT-007",
                          f"表{number}（第 {grid.index} 段起）有合并单元格；list-table 不能合并单元格，合并格的文字已写入它覆盖的每一格",
                          "核对表格；需要合并显示时可改写表格结构")
        header = grid.header_rows or 1
        lines = [f":::{{list-table}} 表{number} {_escape(title)}".rstrip(), f":header-rows: {header}", ""]
        for r, row in enumerate(rows):
            for n, text in enumerate(row):
                owner = tables.owner(grid, r, n)
                cell = self._cell(text, [m for p in (owner.paras if owner else []) for m in p.marks])
                lines.append(("* - " if n == 0 else "  - ") + cell if cell else ("* -" if n == 0 else "  -"))
        lines.append(":::")
        self.out.append("\n".join(lines))
        for row in grid.rows:
            for cell in row:
                for para in (cell.paras if cell else []):
                    self._unmapped(para)
        return consumed

    def _table_footnotes(self, grid: Grid, j: int) -> int:
        """A table's footnotes as gbstd writes them (docs/word.md): under the table, one
        `标准文件_表注` paragraph each, starting with its label a, b … in superscript; in the
        cells, that label in superscript. Both become MyST footnotes ``[^a]``; returns the
        index after the footnote paragraphs."""
        notes: dict[str, int] = {}
        while (k := self._next_nonempty(j)) < len(self.blocks) and isinstance(self.blocks[k], Para):
            para = self.blocks[k]
            m = re.match(r"([a-z])\u3000(.+)", para.text, re.S)
            if para.style != wordstyles.TABLE_NOTE or not m or not para.marks \
                    or para.marks[0][:2] != ("superscript", m.group(1)):
                break
            self.pkg.footnotes.append(_one_line(m.group(2)))
            notes[m.group(1)] = len(self.pkg.footnotes) - 1
            j = k + 1
        for row in grid.rows:
            for cell in row:
                for para in (cell.paras if cell else []):
                    for kind, label, before in para.marks:
                        at = para.text.find(before + label)
                        if kind == "superscript" and label in notes and at >= 0:
                            at += len(before)
                            para.text = f"{para.text[:at]}\x01{notes[label]}\x01{para.text[at + 1:]}"
                            self.footnote_labels[notes[label]] = label
        return j

    def _cell(self, text: str, marks: list | None = None) -> str:
        """A list-table cell: each line of its text, with the emphasis ``marks`` of its paragraphs."""
        marks = list(marks or [])
        parts = [self._inline(t, Para(index=0, text=t), marks) for t in text.split("\n") if t.strip()]
        return "\n\n    ".join(parts)

    def _table_number(self) -> str:
        if self.numbers and self.numbers[0].isalpha():
            prefix = self.numbers[0] + "."
            count = sum(1 for line in self.out if re.match(rf"^(```{{indicator-table}}|:::{{list-table}}) "
                                                           rf"(表)?{prefix}", line)) + 1
            return f"{prefix}{count}"
        count = sum(1 for line in self.out if re.match(r"^(```\{indicator-table\}|:::\{list-table\}) (表)?\d", line)) + 1
        return str(count)

    def _grades_after(self, j: int, parsed) -> int:
        """Grade thresholds, normalisation and variants printed under an indicator table."""
        while True:
            k = self._next_nonempty(j)
            if k >= len(self.blocks) or not isinstance(self.blocks[k], Para):
                return j
            text = self.blocks[k].plain
            found = tables.grades(text)
            if found is not None and "grades" not in parsed.data:
                parsed.data = _insert_before(parsed.data, "indicators", "grades", found)
                for grade in found:
                    if "note" in grade:
                        self._finding(self.blocks[k].index, "warning", "IMPORT-003",
                                      f"第 {self.blocks[k].index} 段：等级“{grade['label']}”印的是说明"
                                      f"“{grade['note']}”而没有最低分，按 min: 0 导入",
                                      "核对该等级的最低综合得分")
            elif text == tables.NORMALIZATION_LINE:
                parsed.data = _insert_before(parsed.data, "indicators", "normalization", "applicable")
            else:
                return j
            j = k + 1

    # ------------------------------------------------------------ formulas, figures

    def _formula(self, i: int, para: Para, number: str | None = None, text_formula=None,
                 latex_text: str = "") -> int:
        self._flush()
        maths = para.maths
        latex = " ".join(self.pkg.maths[k].latex for k in maths if self.pkg.maths[k].latex).strip()
        if latex_text:
            parts = [p.strip() for p in latex_text.split("\t") if p.strip()]
            if parts and FORMULA_NUMBER.match(parts[-1]):
                number = FORMULA_NUMBER.match(parts.pop())["number"]
            latex = " ".join(parts)
            self._finding(para.index, "warning", "IMPORT-005",
                          f"第 {para.index} 段：公式样式的段落中没有 Word 公式，按 LaTeX 文字导入“{latex}”",
                          "核对 formula 指令中的 latex")
        if text_formula is not None:
            latex, number = _text_latex(text_formula["expr"]), text_formula["number"]
            self._finding(para.index, "warning", "IMPORT-005",
                          f"第 {para.index} 段：公式（{number}）是普通文字而不是 Word 公式，已按文字转写为 LaTeX "
                          f"“{latex}”（上下标等格式无法确定）",
                          "核对 formula 指令中的 latex 和式中符号")
        if number is None:
            m = FORMULA_NUMBER.match(_no_math(para.text).strip())
            number = m["number"] if m else ""
        j = i + 1
        symbols = []
        restored = ""
        k = self._next_nonempty(j)
        if k < len(self.blocks) and isinstance(self.blocks[k], Para) and self.blocks[k].plain.startswith(RESTORED):
            restored = self.blocks[k].plain[len(RESTORED):].strip()
            j = k + 1
            k = self._next_nonempty(j)
        if k < len(self.blocks) and isinstance(self.blocks[k], Para) and WHERE.match(self.blocks[k].text.strip()):
            first = WHERE.match(self.blocks[k].text.strip())["rest"]
            j = k + 1
            if first.strip():
                symbol = self._symbol(first, self.blocks[k])
                if symbol:
                    symbols.append(symbol)
            while True:
                k = self._next_nonempty(j)
                if k >= len(self.blocks) or not isinstance(self.blocks[k], Para):
                    break
                symbol = self._symbol(self.blocks[k].text, self.blocks[k])
                if symbol is None:
                    break
                symbols.append(symbol)
                j = k + 1
        if not latex:
            self._finding(para.index, "warning", "IMPORT-005",
                          f"第 {para.index} 段的公式无法转换为 LaTeX，已记为缺失内容", "在 Word 中核对公式，手工写出 latex")
            self.out.append(f":::{{gap}}\n第 {para.index} 段的公式{('（' + number + '）') if number else ''}"
                            f"无法从 Word 文件中转换，需要手工补写。\n:::")
            return j
        self.formula_count += 1
        self.counts["formula"] += 1
        data: dict = {"latex": latex}
        if restored:
            data["restored"] = restored
        if symbols:
            used = set()
            for symbol in symbols:
                if not PLAIN_ID.match(symbol["symbol"]):
                    symbol_id = _symbol_id(symbol["symbol"], used)
                    symbol["id"] = symbol_id
                    symbol = {k: symbol[k] for k in ("symbol", "id", "meaning", "unit") if k in symbol}
                used.add(symbol.get("id", symbol["symbol"]))
            data["symbols"] = [{k: s[k] for k in ("symbol", "id", "meaning", "unit") if k in s}
                               for s in symbols]
        self.out.append(f"```{{formula}} {number}".rstrip() + "\n" + _yaml(data).rstrip() + "\n```")
        return j

    def _symbol(self, text: str, para: Para) -> dict | None:
        m = SYMBOL_LINE.match(text.strip())
        if not m:
            return None
        symbol = m["symbol"]
        if symbol.startswith("\x00"):
            symbol = self.pkg.maths[int(symbol.strip("\x00"))].latex
        rest = _no_math(m["rest"]).strip().rstrip("；;。.").strip()
        unit = UNIT.match(rest)
        out = {"symbol": symbol.strip(), "meaning": (unit["meaning"] if unit else rest).strip()}
        if unit:
            out["unit"] = unit["unit"].strip()
        return out if out["symbol"] else None

    def _formula_table(self, i: int, grid: Grid) -> int | None:
        """An equation laid out in a one-row table: equation in one cell, (n) in another."""
        if len(grid.rows) != 1:
            return None
        cells = [c for c in grid.rows[0] if c is not None]
        math = [p for c in cells for p in c.paras if p.maths]
        numbers = [FORMULA_NUMBER.match(c.text.strip()) for c in cells if c.text.strip() and not
                   any(p.maths for p in c.paras)]
        if len(math) != 1 or len(numbers) > 1 or (numbers and numbers[0] is None):
            return None
        return self._formula(i, math[0], number=numbers[0]["number"] if numbers else "")

    def _figure(self, i: int, para: Para) -> int:
        self._flush()
        j = i + 1
        caption = ""
        k = self._next_nonempty(j)
        if k < len(self.blocks) and isinstance(self.blocks[k], Para) and (
                FIGURE_CAPTION.match(self.blocks[k].plain)
                or self.blocks[k].style in (wordstyles.FIGURE_TITLE, wordstyles.ANNEX_FIGURE_TITLE)):
            caption = self.blocks[k].plain
            j = k + 1
        for target in para.images:
            name = posixpath.basename(target)
            relative = f"{self.image_dir}/{name}"
            self.images[relative] = self.pkg.media[target]
            self.counts["image"] += 1
            lines = [f":::{{figure}} {relative}"]
            if caption:
                lines += ["", _escape(caption)]
            lines.append(":::")
            self.out.append("\n".join(lines))
        text = para.plain
        if text:
            self._text(Para(index=para.index, text=text, style=para.style))
        return j

    # ------------------------------------------------------------ findings

    def _finding(self, index: int, severity: str, rule: str, message: str, hint: str) -> None:
        self.findings.append(Finding(rule, severity, self.path, index, message, hint))

    def _comment(self, index: int, message: str, rule: str) -> None:
        """Text that has no place in the source structure: kept as a MyST comment, reported."""
        self._flush()
        self._finding(index, "warning", rule, f"第 {index} 段：{message}，已作为注释保留在源文件中",
                      "核对后把内容移到合适的位置，或删除该注释")
        self.out.append(f"% 导入提示 {rule}（第 {index} 段）：{_one_line(message)}")


# ---------------------------------------------------------------- helpers

def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def _style_level(style: str) -> tuple[int | None, bool, bool]:
    """(number depth, untitled, annex) a heading style stands for."""
    if style == wordstyles.CHAPTER:
        return 1, False, False
    for depth, name in wordstyles.CLAUSE.items():
        if style == name:
            return depth + 1, False, False
    for depth, name in wordstyles.UNTITLED_CLAUSE.items():
        if style == name:
            return depth + 1, True, False
    if style == wordstyles.ANNEX_CHAPTER:
        return 2, False, True
    for depth, name in wordstyles.ANNEX_CLAUSE.items():
        if style == name:
            return depth + 2, False, True
    m = HEADING_STYLE.match(style)
    if m:
        return int(m["level"]), False, False
    return None, False, False


def _label_number(label: str) -> str:
    label = label.strip().rstrip("．.、 \t")
    return label if re.fullmatch(NUMBER, label) else ""


def _list_marker(para: Para, label: str) -> str:
    if label:
        if para.num_format == "bullet":
            return "——" if para.num_level == 0 else "·"
        if re.fullmatch(r"[a-z][)）]", label):
            return label[0] + ")"
        if re.fullmatch(r"\d+[)）]", label):
            return label[:-1] + ")"
        if para.style in wordstyles.LIST_ITEM.values() and re.fullmatch(r"[a-z]", label.rstrip(".")):
            return label.rstrip(".") + ")"
        return ""
    if para.style in (wordstyles.LIST_ITEM["dash"], wordstyles.LIST_ITEM["dash2"]) \
            and not para.text.startswith(("——", "·")):
        return "——" if para.style == wordstyles.LIST_ITEM["dash"] else "·"
    m = LIST_MARKER.match(para.text.strip())
    return m.group(1).strip() if m else ""


def _with_label(para: Para, label: str, text: str) -> Para:
    if label and para.style in (wordstyles.NOTE, wordstyles.NOTE_NUMBERED, wordstyles.EXAMPLE,
                                wordstyles.EXAMPLE_NUMBERED):
        text = label + text
    elif para.style in (wordstyles.NOTE, wordstyles.NOTE_NUMBERED) and not text.startswith("注"):
        text = "注：" + text
    return Para(index=para.index, text=text, style=para.style)


def _split_term(text: str) -> tuple[str, str]:
    """“绿色工厂　green factory” → (绿色工厂, green factory)."""
    text = text.strip()
    last = -1
    for n, ch in enumerate(text):
        if CJK.match(ch):
            last = n
    if last < 0:
        return text, ""
    zh, en = text[:last + 1], text[last + 1:].strip()
    if en and not re.match(r"^[A-Za-z]", en):
        return text, ""
    return zh.strip("\u3000 "), en


TEXT_SYMBOLS = {"∑": r"\sum ", "×": r"\times ", "÷": r"\div ", "≥": r"\geq ", "≤": r"\leq ",
                "±": r"\pm ", "·": r"\cdot ", "∏": r"\prod ", "√": r"\sqrt "}


def _text_latex(text: str) -> str:
    """A formula typed as plain text, written as LaTeX character by character (no guessing of structure)."""
    text = re.sub(r"([#$%&_{}])", r"\\\1", text.strip())
    return re.sub(r"\s+", " ", "".join(TEXT_SYMBOLS.get(ch, ch) for ch in text)).strip()


def _no_math(text: str) -> str:
    return re.sub(r"\x00\d+\x00|\x01\d+\x01", "", text)


def _one_line(text: str) -> str:
    return re.sub(r"\s*\n\s*", lambda m: "" if True else " ", text).strip()


_ESCAPE = re.compile(r"([\\`*_<\[\]{}|$])")


def _escape(text: str) -> str:
    return _escape_start(_ESCAPE.sub(r"\\\1", text.replace("\t", " ").strip()))


def _escape_start(text: str) -> str:
    """What would start a block if a line began with it."""
    text = re.sub(r"^([#>%+=~:])", r"\\\1", text)
    text = re.sub(r"^(-)(\s|$)", r"\\\1\2", text)
    text = re.sub(r"^(\d+)([.])(\s|$)", r"\1\\\2\3", text)
    return text


ROLES = {"strong": "strong", "emphasis": "emphasis", "subscript": "sub", "superscript": "sup"}


def _marked(piece: str, marks: list[tuple[str, str, str]]) -> str:
    """``piece`` escaped, with the emphasis ``marks`` found in it (in order; those found are
    taken off the list) written as MyST: ``**bold**``/``*italic*`` where CommonMark reads
    them as emphasis (not beginning or ending with punctuation next to text), else the
    ``{strong}``/``{emphasis}`` role; ``{sub}``/``{sup}`` for sub- and superscripts."""
    if not marks:
        return _escape(_one_line(piece))
    piece = _one_line(piece)
    out, position = [], 0
    while marks:
        kind, content, before = marks[0]
        at = -1
        for context in (before, before[-2:], ""):     # where it was: after the text before it
            at = piece.find(context + content, position)
            if at >= 0:
                at += len(context)
                break
        if at < 0:
            break
        out.append(_ESCAPE.sub(r"\\\1", piece[position:at]))
        out.append(_emphasised(kind, content))
        position = at + len(content)
        marks.pop(0)
    out.append(_ESCAPE.sub(r"\\\1", piece[position:]))
    return _escape_start("".join(out))


def _emphasised(kind: str, content: str) -> str:
    def plain(ch: str) -> bool:
        return not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S"))
    if kind in ("strong", "emphasis") and plain(content[0]) and plain(content[-1]):
        delimiter = "**" if kind == "strong" else "*"
        return delimiter + _ESCAPE.sub(r"\\\1", content) + delimiter
    if "`" in content:
        return _ESCAPE.sub(r"\\\1", content)
    return f"{{{ROLES[kind]}}}`{content}`"


def _option(text: str) -> str:
    return _one_line(text).replace("\n", " ")


def _symbol_id(latex: str, used: set[str]) -> str:
    base = re.sub(r"\\[A-Za-z]+", lambda m: m.group(0)[1:], latex)
    base = re.sub(r"[{}\s^]", "", base)
    base = re.sub(r"[^A-Za-z0-9_]", "", base).strip("_") or "x"
    if not base[0].isalpha():
        base = "x" + base
    ident, n = base, 1
    while ident in used:
        n += 1
        ident = f"{base}_{n}"
    return ident


def _insert_before(data: dict, before: str, key: str, value) -> dict:
    out = {}
    for k, v in data.items():
        if k == before:
            out[key] = value
        out[k] = v
    return out


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False, width=4096)
