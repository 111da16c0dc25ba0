"""Word automatic numbering (word/numbering.xml): the number Word prints, computed.

A numbered paragraph carries only ``w:numPr`` (numId, ilvl), directly or through its
style; the printed label comes from the abstract numbering's level definitions
(``w:start``, ``w:numFmt``, ``w:lvlText`` such as ``%1.%2``) and from counting the
paragraphs that came before. This module does that counting in reading order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False            # w:isLgl: all levels printed as decimals
    restart: int | None = None     # w:lvlRestart
    style: str = ""                # w:pStyle: the style this level is linked to


@dataclass
class _List:
    abstract: str
    overrides: dict[int, int] = field(default_factory=dict)   # ilvl -> startOverride
    override_levels: dict[int, Level] = field(default_factory=dict)


class Numbering:
    def __init__(self, root, styles):
        self.styles = styles
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.lists: dict[str, _List] = {}
        self.counters: dict[str, dict[int, int]] = {}     # abstract id -> ilvl -> current value
        self.started: set[str] = set()                    # numIds whose start override was applied
        self.style_levels: dict[str, tuple[str, int]] = {}  # style id -> (abstract id, ilvl)
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            aid = abstract.get(w("abstractNumId"))
            self.abstracts[aid] = {int(lvl.get(w("ilvl"), "0")): _level(lvl)
                                   for lvl in abstract.iter(w("lvl"))}
            for ilvl, level in self.abstracts[aid].items():
                if level.style:
                    self.style_levels.setdefault(level.style, (aid, ilvl))
        for num in root.iter(w("num")):
            ref = num.find(w("abstractNumId"))
            if ref is None:
                continue
            entry = _List(abstract=ref.get(w("val")))
            for override in num.iter(w("lvlOverride")):
                ilvl = int(override.get(w("ilvl"), "0"))
                start = override.find(w("startOverride"))
                if start is not None and start.get(w("val"), "").lstrip("-").isdigit():
                    entry.overrides[ilvl] = int(start.get(w("val")))
                lvl = override.find(w("lvl"))
                if lvl is not None:
                    entry.override_levels[ilvl] = _level(lvl)
            self.lists[num.get(w("numId"))] = entry

    def _num_pr(self, ppr, style_id: str) -> tuple[str, int] | None:
        """(numId, ilvl) of a paragraph: its own numPr, or the one its style carries."""
        num_id, ilvl = None, None
        if ppr is not None:
            num_pr = ppr.find(w("numPr"))
            if num_pr is not None:
                node = num_pr.find(w("numId"))
                num_id = node.get(w("val")) if node is not None else None
                node = num_pr.find(w("ilvl"))
                ilvl = int(node.get(w("val"))) if node is not None and node.get(w("val"), "").isdigit() else None
        if num_id is None:
            for style in self.styles.chain(style_id):
                num_pr = style.find(f"{w('pPr')}/{w('numPr')}")
                if num_pr is None:
                    continue
                node = num_pr.find(w("numId"))
                if node is not None:
                    num_id = node.get(w("val"))
                if ilvl is None and num_pr.find(w("ilvl")) is not None:
                    ilvl = int(num_pr.find(w("ilvl")).get(w("val"), "0"))
                break
            if num_id is not None and ilvl is None:
                # a style linked to a level of the list (w:pStyle in the level definition)
                linked = self.style_levels.get(style_id)
                ilvl = linked[1] if linked else 0
        if num_id is None or num_id == "0" or num_id not in self.lists:
            return None
        return num_id, ilvl or 0

    def label_for(self, ppr, style_id: str) -> tuple[str, str, int] | None:
        """The printed label, its numFmt and level, advancing the counters; None if unnumbered."""
        found = self._num_pr(ppr, style_id)
        if found is None:
            return None
        num_id, ilvl = found
        entry = self.lists[num_id]
        levels = dict(self.abstracts.get(entry.abstract, {}))
        levels.update(entry.override_levels)
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(entry.abstract, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in entry.overrides.items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in list(counters):
            if deeper > ilvl:
                restart = levels.get(deeper, Level()).restart
                if restart is None or restart == 0 or ilvl < restart:
                    del counters[deeper]
        for upper in range(ilvl):   # a level used before its parents: parents count from start
            if upper in levels and upper not in counters:
                counters[upper] = levels[upper].start
        text = level.text
        for k in range(9):
            if f"%{k + 1}" in text:
                lvl = levels.get(k, Level())
                value = counters.get(k, lvl.start)
                fmt = "decimal" if level.legal and k < ilvl else lvl.fmt
                text = text.replace(f"%{k + 1}", format_number(value, fmt))
        return text, level.fmt, ilvl


def _level(lvl) -> Level:
    def val(tag, default=""):
        node = lvl.find(w(tag))
        return node.get(w("val"), default) if node is not None else default
    start = val("start", "1")
    restart = val("lvlRestart")
    legal = lvl.find(w("isLgl"))
    return Level(start=int(start) if start.lstrip("-").isdigit() else 1,
                 fmt=val("numFmt", "decimal"), text=val("lvlText", ""),
                 legal=legal is not None and legal.get(w("val"), "true") not in ("0", "false"),
                 restart=int(restart) if restart.isdigit() else None, style=val("pStyle"))


CHINESE = "〇一二三四五六七八九"


def format_number(value: int, fmt: str) -> str:
    if fmt in ("upperLetter", "lowerLetter"):
        letters, n = "", value
        while n > 0:
            n, rem = divmod(n - 1, 26)
            letters = chr(ord("A") + rem) + letters
        letters = letters or "A"
        return letters if fmt == "upperLetter" else letters.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        roman = _roman(value)
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional",
               "chineseLegalSimplified", "taiwaneseCounting"):
        return _chinese(value)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(value)


def _roman(value: int) -> str:
    out = ""
    for number, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            out += letters
            value -= number
    return out


def _chinese(value: int) -> str:
    if value < 10:
        return CHINESE[value]
    if value < 20:
        return "十" + (CHINESE[value - 10] if value > 10 else "")
    if value < 100:
        return CHINESE[value // 10] + "十" + (CHINESE[value % 10] if value % 10 else "")
    return str(value)
