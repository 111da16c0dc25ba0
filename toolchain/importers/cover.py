"""Front matter from a Word draft's cover page and foreword.

Only what is printed is taken: a field the file does not show is listed under
``gaps:`` with the reason, never filled in by guess.
"""
from __future__ import annotations

import re

from .. import wordstyles
from .ooxml import Para

DESIGNATION = re.compile(
    r"^(?P<code>T/[A-Z][A-Z0-9]*|GB(?:/[TZ])?|DB\s?\d{2}(?:\d{2})?(?:/T)?|[A-Z]{2}(?:/[TZ])?)\s*"
    r"(?P<number>[\dXx×]+(?:\.\d+)?)\s*(?:[—–\-－]+\s*(?P<year>[\dXx×]{4}))?$")
ICS = re.compile(r"ICS\s*[:：]?\s*(?P<value>\d{2}\.\d{3}(?:\.\d{2})?(?:\s*[;；]\s*\d{2}\.\d{3}(?:\.\d{2})?)*)")
CCS = re.compile(r"CCS\s*[:：]?\s*(?P<value>[A-Z]\s?\d{2})")
DATE = re.compile(r"(?P<y>\d{4}|[Xx]{4})\s*[-—–－.年]\s*(?P<m>\d{1,2}|[Xx]{2})\s*[-—–－.月]\s*"
                  r"(?P<d>\d{1,2}|[Xx]{2})\s*日?\s*(?P<what>发\s*布|实\s*施)")
STAGE = re.compile(r"(征求意见稿|送审稿|报批稿)")
REPLACES = re.compile(r"代替\s*(?P<value>.+)$")
FAMILY_LINE = {"国家标准": "national", "行业标准": "industry", "地方标准": "local", "团体标准": "group"}
ISSUER = re.compile(r"^(?P<value>.+?)\s*发\s*布$")
ENGLISH = re.compile(r"^[A-Za-z][A-Za-z0-9 ,.;:'’()/\-—–&]+$")

RULES = re.compile(r"GB/T\s*1\.1\s*[—–\-]\s*(?P<year>2020|2009)")
PROPOSED_AND_OWNED = re.compile(r"本(?:文件|标准)由(?P<who>.+?)提出并归口")
PROPOSED = re.compile(r"本(?:文件|标准)由(?P<who>.+?)提出")
OWNED = re.compile(r"本(?:文件|标准)由(?P<who>.+?)归口")
UNITS = re.compile(r"本(?:文件|标准)(?:主要)?起草单位[:：](?P<who>.+?)。?$")
DRAFTERS = re.compile(r"本(?:文件|标准)主要起草人[:：](?P<who>.+?)。?$")

NOT_ON_COVER = "Word 文件封面未给出"
NOT_GIVEN = "（未给出）"
PRINTED_NOT_GIVEN = "Word 文件封面印作“（未给出）”"
# gbstd's own cover styles (docs/word.md); literal names until every branch has them in wordstyles
COVER_EXTRA = getattr(wordstyles, "COVER_EXTRA", {"classification": "标准文件_封面分类号",
                                                  "stage": "标准文件_封面稿次",
                                                  "patent": "标准文件_封面专利提示"})
NOT_IN_FOREWORD = "Word 文件前言未给出"
FIELDS = ("designation", "title", "title_en", "stage", "ics", "ccs", "issued", "implemented",
          "issuer")


def normalise_designation(m: re.Match) -> str:
    code = re.sub(r"\s+", "", m["code"])
    number = m["number"].replace("x", "X").replace("×", "X")
    year = (m["year"] or "").replace("x", "X").replace("×", "X")
    return f"{code} {number}—{year}" if year else f"{code} {number}"


def _date(m: re.Match) -> str:
    y, mo, d = m["y"].upper(), m["m"].upper(), m["d"].upper()
    if "X" in y + mo + d:
        return "XXXX-XX-XX"
    return f"{y}-{int(mo):02d}-{int(d):02d}"


NOTES_KIND = "编制说明"
NOTES_DATE = re.compile(r"^(?P<y>\d{4})\s*[-年.]\s*(?P<m>\d{1,2})\s*月?(?:\s*[-.]\s*(?P<d>\d{1,2})\s*日?)?$")


def from_cover(paras: list[Para], notes: bool = False) -> tuple[dict, set[int]]:
    """Metadata printed on the cover, and the indexes of the paragraphs it came from."""
    notes_cover = _notes_cover(paras)
    if notes_cover is not None:
        return notes_cover
    meta: dict = {}
    used: set[int] = set()
    leftovers: list[Para] = []
    by_style = {name: key for key, name in wordstyles.COVER.items()}
    for para in paras:
        text = para.plain
        if not text:
            continue
        key = by_style.get(para.style)
        compact = re.sub(r"\s+", "", text)
        if para.style in (COVER_EXTRA["patent"], COVER_EXTRA["open_findings"]):   # not metadata
            used.add(para.index)
            continue
        if NOT_GIVEN in text:
            if para.style == COVER_EXTRA["classification"] and not text.startswith(("ICS", "CCS")):
                key = "ccs" if "ics" in meta or "ics" in meta.get("_printed_gaps", []) else "ics"
            _not_given(meta, key, text)
            used.add(para.index)
            continue
        if key == "issuer":
            meta.setdefault("issuer", []).append(re.sub(r"\s*发\s*布$", "", text).strip())
            used.add(para.index)
            continue
        if para.style == COVER_EXTRA["classification"] and re.fullmatch(r"[A-Z]\s?\d{2}", text.strip()):
            meta.setdefault("ccs", re.sub(r"^([A-Z])\s?(\d{2})$", r"\1 \2", text.strip()))
            used.add(para.index)
            continue
        if key in ("title", "title_en") and key not in meta:
            meta[key] = _clean_title(text)
            used.add(para.index)
            continue
        found = False
        for line in text.split("\n"):
            line = line.strip()
            compact_line = re.sub(r"\s+", "", line)
            if m := ICS.search(line):
                meta.setdefault("ics", re.sub(r"\s*[;；]\s*", "；", m["value"]))
                found = True
            if m := CCS.search(line):
                meta.setdefault("ccs", re.sub(r"^([A-Z])\s?(\d{2})$", r"\1 \2", m["value"]))
                found = True
            for m in DATE.finditer(line):
                meta.setdefault("issued" if "发" in m["what"] else "implemented", _date(m))
                found = True
            if m := REPLACES.search(line):
                meta.setdefault("replaces", [d.strip() for d in re.split(r"[、，,;；]", m["value"]) if d.strip()])
                found = True
            elif m := DESIGNATION.match(line.strip()):
                if "designation" not in meta and (m["year"] or "X" in line or key == "designation"):
                    meta["designation"] = normalise_designation(m)
                    found = True
            if not found and (stage := STAGE.search(compact_line)) and len(compact_line) <= 12:
                meta.setdefault("stage", stage.group(1))
                found = True
            if not found:
                family = next((f for k, f in FAMILY_LINE.items() if k in compact_line), None)
                if family and len(compact_line) <= 20:
                    meta.setdefault("family", family)
                    found = True
            if not found and (m := ISSUER.match(line)) and not DATE.search(line):
                issuers = [i for i in re.split(r"\s{2,}|\t|\u3000", m["value"]) if i.strip()]
                meta.setdefault("issuer", issuers)
                found = True
        if found:
            used.add(para.index)
        elif key is None and compact not in ("ICS", "CCS"):
            leftovers.append(para)
        elif key is not None:
            used.add(para.index)
    _titles(meta, leftovers, used)
    if "family" not in meta and meta.get("designation"):
        meta["family"] = _family_of(meta["designation"])
    return meta, used


def _notes_cover(paras: list[Para]) -> tuple[dict, set[int]] | None:
    """The cover of an explanatory note: “subject / 编制说明”, stage, drafting group, date."""
    titled = [p for p in paras if p.plain.replace("\n", "").endswith(NOTES_KIND)]
    if not titled:
        return None
    meta: dict = {"kind": "notes", "title": re.sub(r"\s*\n\s*", "", titled[0].plain)}
    used = {titled[0].index}
    for para in paras:
        text = para.plain
        if para.index in used or not text:
            continue
        used.add(para.index)
        stage = STAGE.search(text)
        if stage and len(text) <= 12:
            meta.setdefault("stage", stage.group(1))
        elif NOT_GIVEN in text:
            meta.setdefault("_printed_gaps", []).append("date" if text.startswith("日期") else "drafting_group")
        elif m := NOTES_DATE.match(text):
            meta.setdefault("date", "-".join(x for x in (m["y"], f"{int(m['m']):02d}",
                                                         f"{int(m['d']):02d}" if m["d"] else "") if x))
        else:
            meta.setdefault("drafting_group", text)
    return meta, used


def _not_given(meta: dict, key: str | None, text: str) -> None:
    """A field the cover prints as “（未给出）”: a declared gap, never a value."""
    gaps = meta.setdefault("_printed_gaps", [])
    if text.startswith("ICS"):
        gaps.append("ics")
    elif text.startswith("CCS"):
        gaps.append("ccs")
    elif "发布" in text or "实施" in text:
        for line in re.split(r"\t+", text):
            if NOT_GIVEN in line:
                gaps.append("issued" if "发布" in line else "implemented")
            elif m := DATE.search(line):
                meta.setdefault("issued" if "发" in m["what"] else "implemented", _date(m))
    elif key:
        gaps.append(key)


def _titles(meta: dict, leftovers: list[Para], used: set[int]) -> None:
    """Chinese title: the cover lines between the designation block and the English title."""
    chinese, english = [], []
    for para in leftovers:
        text = para.plain
        if ENGLISH.match(text) and len(text) > 3:
            english.append(para)
        elif re.search(r"[\u4e00-\u9fff]", text) and "title" not in meta and not english:
            if re.search(r"本稿完成|完成日期|文件编号|备案号|^\d", text):
                continue
            chinese.append(para)
    if chinese and "title" not in meta:
        meta["title"] = "\u3000".join(_clean_title(p.plain) for p in chinese)
        used.update(p.index for p in chinese)
    if english and "title_en" not in meta:
        meta["title_en"] = _clean_title(" ".join(p.plain for p in english))
        used.update(p.index for p in english)


def _clean_title(text: str) -> str:
    text = re.sub(r"[ \t]*\n[ \t]*", "\u3000", text.strip())
    return re.sub(r"[ \t]{2,}", "\u3000", text)


def _family_of(designation: str) -> str:
    if designation.startswith("GB"):
        return "national"
    if designation.startswith("T/"):
        return "group"
    if designation.startswith("DB"):
        return "local"
    return "industry"


def from_foreword(texts: list[str], meta: dict) -> None:
    """Drafting rules, proposer, owner, drafting units and drafters stated in the foreword."""
    for text in texts:
        if (m := RULES.search(text)) and "drafting_rules" not in meta:
            meta["drafting_rules"] = f"GB/T 1.1—{m['year']}"
        if m := PROPOSED_AND_OWNED.search(text):
            meta.setdefault("proposer", m["who"])
            meta.setdefault("owner", m["who"])
        else:
            if m := PROPOSED.search(text):
                meta.setdefault("proposer", m["who"])
            if m := OWNED.search(text):
                meta.setdefault("owner", m["who"])
        if m := UNITS.search(text):
            meta.setdefault("drafting_units", _names(m["who"]))
        if m := DRAFTERS.search(text):
            meta.setdefault("drafters", _names(m["who"]))


def _names(text: str) -> list[str]:
    return [n.strip() for n in re.split(r"[、，,；;]", text) if n.strip()]
