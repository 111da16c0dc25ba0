"""Document designations (GB/T 36132—2018, DB4403/T 313, T/CAS 290—2017 …).

Finds them in running text, normalises them, and classifies them by family.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# 行业标准代号: the codes of the industry standards approved for filing by SAC (the list
# published with the 《行业标准管理办法》 and its later additions). DB is matched as local
# (DB + division code), so 地震's DB is not listed.
INDUSTRY_CODES = (
    "AQ BB CB CH CJ CY DA DL DZ EJ FZ GA GH GM GY HB HG HJ HS HY JB JC JG JR JT JY "
    "KA LB LD LS LY MH MT MZ NB NY QB QC QJ QX RB SB SC SF SH SJ SL SN SW SY TB TD TJ TY "
    "WB WH WJ WM WS WW XB XF YB YC YD YJ YS YY YZ ZY").split()
# Other Chinese codes seen in references: metrology (JJF 技术规范, JJG 检定规程), occupational
# health (GBZ), engineering construction (GBJ, JGJ, CJJ, JTG, JTJ, JTS, CECS) and enterprise
# standards (Q/…).
OTHER_CHINESE_CODES = "JJF JJG GBZ GBJ JGJ CJJ JTG JTJ JTS CECS".split()
# Foreign and international bodies whose documents Chinese standards cite. ISO, IEC, ITU and
# their joint forms are "international" (year after a colon); the rest are "foreign".
INTERNATIONAL_CODES = ("ISO/IEC/IEEE", "ISO/IEC", "ISO/TS", "ISO/TR", "ISO/PAS", "IEC/TS", "IEC/TR",
                       "IEC/PAS", "ISO", "IEC", "ITU-T", "ITU-R")
FOREIGN_CODES = ("ANSI/ASHRAE", "ANSI/UL", "ANSI/IEEE", "ANSI", "ASTM", "IEEE Std", "IEEE", "ASME", "API",
                 "NFPA", "SAE", "UL", "EN ISO", "EN IEC", "EN", "BS EN", "BS ISO", "BS", "DIN EN ISO",
                 "DIN EN", "DIN ISO", "DIN", "NF EN", "NF", "JIS", "KS", "CNS", "GOST", "AS/NZS", "AS",
                 "ETSI EN", "ETSI TS", "ETSI", "CEN/TS", "CLC/TS", "IESO", "OIML", "CISPR")


def _alternatives(codes) -> str:
    return "|".join(re.escape(c).replace(r"\ ", r"\s") for c in sorted(codes, key=len, reverse=True))


_CODE = (r"GB\s?(?:/\s?[TZ])?|GBZ(?:/T)?|DB\d{2}(?:\d{2})?(?:\s?/\s?T)?|T/[A-Z][A-Z0-9]*|Q/[A-Z0-9]+"
         r"|(?:" + _alternatives(INDUSTRY_CODES + OTHER_CHINESE_CODES) + r")(?:/[TZ])?")
_FOREIGN = _alternatives(INTERNATIONAL_CODES + FOREIGN_CODES)
# Chinese designations: the number is digits with dots (GB/T 1.1, SH/T 0689), the year after
# 一字线 (or a wrong hyphen, reported by NREF-008). Industry and other codes need a space or
# their /T: “SH000001F” (a security code) is not SH 000001. Nothing may follow but punctuation.
CITATION = re.compile(
    r"(?<![A-Za-z/])(?P<code>" + _CODE + r")(?P<gap>\s?)(?P<number>\d+(?:\.\d+)*)"
    r"(?:(?P<sep>\s?[—\-–－:：]\s?)(?P<year>\d{4}))?(?![\d.]*\d|[A-Za-z])"
    r"(?P<parts>\s?（所有部分）)?")
# Foreign designations: a series letter may precede the number (ASTM D1234, JIS Z 8101,
# ITU-T Y.3001), parts follow a hyphen (IEC 60364-5-52), the year a colon (ISO) or a hyphen.
FOREIGN = re.compile(
    r"(?<![A-Za-z/])(?P<code>" + _FOREIGN + r")\s?(?P<number>(?:[A-Z]{1,2}\s?\.?\s?)?\d+(?:\.\d+)*(?:-\d{1,3}(?![\d]))*)"
    r"(?:(?P<sep>\s?[:：—\-]\s?)(?P<year>\d{4}|\d{2}(?=\D|$)))?(?![\d.]*\d|[A-Za-z])"
    r"(?P<parts>\s?（所有部分）)?")
# A reference-list entry with a code nobody listed here, but well formed: upper-case code
# (with / or - joined parts), a space, a number. Only read at the start of a chapter-2 entry.
GENERIC = re.compile(
    r"^(?P<code>[A-Z][A-Z0-9]*(?:[/\-][A-Z][A-Z0-9]*)*)\s(?P<number>(?:[A-Z]{1,2}\s?\.?\s?)?\d+(?:\.\d+)*(?:-\d{1,3}(?![\d]))*)"
    r"(?:(?P<sep>\s?[—\-–:：]\s?)(?P<year>\d{4}))?(?![\d.]*\d|[A-Za-z])(?P<parts>\s?（所有部分）)?")

# Every code of CITATION, FOREIGN and GENERIC (so every code a reference list can add)
# starts with one of these.
CAPITAL = re.compile(r"[A-Z]")

# Formal designations (front matter, reference list): code, space, number, —, year.
FORMAL = {
    "national": re.compile(r"^GB(?:/[TZ])? \d+(?:\.\d+)?—\d{4}$"),
    "industry": re.compile(r"^(?:" + "|".join(INDUSTRY_CODES) + r")(?:/[TZ])? \d+(?:\.\d+)?—\d{4}$"),
    "local": re.compile(r"^DB\d{2}(?:\d{2})?/T \d+(?:\.\d+)?—\d{4}$|^DB\d{2}(?:\d{2})? \d+(?:\.\d+)?—\d{4}$"),
    "group": re.compile(r"^T/[A-Z][A-Z0-9]* \d+(?:\.\d+)?—\d{4}$"),
}
PLACEHOLDER = re.compile(r"X{2,}|×{2,}")
PROVINCE_CODES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44,
                  45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82}


@dataclass(frozen=True)
class Designation:
    code: str          # normalised: "GB/T", "DB4403/T", "ISO"
    number: str        # "36132", "1.1"
    year: str          # "2018" or ""
    separator: str     # as written between number and year ("—", "-", ":")
    all_parts: bool
    raw: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """Undated designation used to match citations with list entries."""
        return f"{self.code} {self.number}"

    @property
    def family(self) -> str:
        return family_of(self.code)


def normalise_code(code: str) -> str:
    """“GB /T” → “GB/T”, “DIN  EN” → “DIN EN”."""
    return re.sub(r"\s+", " ", re.sub(r"\s*/\s*", "/", code.strip())).upper()


_FOREIGN_NORMALISED = {normalise_code(c) for c in FOREIGN_CODES}
_INDUSTRY = set(INDUSTRY_CODES)


def family_of(code: str) -> str:
    """national | industry | local | group | enterprise | metrology | international | foreign | other"""
    base = code.split("/")[0]
    if code.startswith(("GBZ", "GBJ")):
        return "national" if code.startswith("GBZ") else "other"
    if code.startswith("GB"):
        return "national"
    if code.startswith("DB") and code[2:4].isdigit():
        return "local"
    if code.startswith("T/"):
        return "group"
    if code.startswith("Q/"):
        return "enterprise"
    if base in ("JJF", "JJG"):
        return "metrology"
    if code.startswith(("ISO", "IEC", "ITU")):
        return "international"
    if code in _FOREIGN_NORMALISED or base in _FOREIGN_NORMALISED:
        return "foreign"
    if base in _INDUSTRY:
        return "industry"
    return "other"


def _designation(m: re.Match) -> Designation:
    return Designation(
        code=normalise_code(m.group("code")), number=re.sub(r"\s+", "", m.group("number")),
        year=m.group("year") or "", separator=(m.group("sep") or "").strip(),
        all_parts=bool(m.group("parts")), raw=m.group(0).strip(), start=m.start(), end=m.end())


def find_all(text: str, extra_codes: tuple[str, ...] = ()) -> list[Designation]:
    """Designations in running text: Chinese and foreign codes, and ``extra_codes`` (codes the
    document's own reference list uses that are not known here)."""
    if not CAPITAL.search(text):
        return []       # every code starts with a capital A–Z: most running text has none
    # an industry or other code glued to its number (HG20592, SH000001F) is an identifier
    found = [_designation(m) for m in CITATION.finditer(text)
             if m.group("gap") or "/" in m.group("code") or m.group("code").startswith("GB")]
    found += [_designation(m) for m in FOREIGN.finditer(text)
              if not any(d.start <= m.start() < d.end for d in found)]
    if extra_codes:
        extra = re.compile(r"(?<![A-Za-z/])(?P<code>" + _alternatives(extra_codes) + r")\s(?P<number>\d+(?:\.\d+)*(?:-\d{1,3}(?![\d]))*)"
                           r"(?:(?P<sep>\s?[—\-–:：]\s?)(?P<year>\d{4}))?(?![\d.]*\d|[A-Za-z])(?P<parts>\s?（所有部分）)?")
        found += [_designation(m) for m in extra.finditer(text)
                  if not any(d.start <= m.start() < d.end for d in found)]
    return sorted(found, key=lambda d: d.start)


def parse_one(text: str) -> Designation | None:
    """The designation at the start of ``text`` (a reference-list entry), if any: a known code,
    or any well-formed one (an upper-case code, a space, a number)."""
    found = find_all(text)
    if found and found[0].start == 0:
        return found[0]
    m = GENERIC.match(text)
    return _designation(m) if m else None


def sort_key(designation: Designation) -> tuple:
    """Order within a reference-list group: by code, then numerically by number."""
    numbers = tuple(int(n) for n in re.findall(r"\d+", designation.number))
    code = "" if designation.family in ("national", "international") else designation.code
    return (code, numbers)


def entry_end(text: str, designation: Designation) -> int:
    """Where the designation of a reference entry ends, past an adopted international
    designation written after it (GB/T 19001—2016/ISO 9001:2015)."""
    end = designation.end
    while text[end:end + 1] == "/":
        rest = text[end + 1:]    # matched on its own: the patterns refuse a code right after “/”
        m = FOREIGN.match(rest) or CITATION.match(rest)
        if m is None:
            break
        end += 1 + m.end()
    return end
