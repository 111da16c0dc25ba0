"""Document designations (GB/T 36132—2018, DB4403/T 313, T/CAS 290—2017 …).

Finds them in running text, normalises them, and classifies them by family.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Industry codes (GB/T 1.1 rule catalogue, DOCNO-002). DB is matched as local.
INDUSTRY_CODES = (
    "AQ BB CB CH CJ CY DA DL DZ EJ FZ GA GH GM GY HB HG HJ HS HY JB JC JG JR JT JY "
    "LB LD LS LY MH MT MZ NY QB QC QJ QX SB SC SH SJ SL SN SY TB TD TJ TY WB WH WJ "
    "WM WS WW XB YB YC YD YS YY YZ ZY").split()

_CODE = (r"GB\s?(?:/\s?[TZ])?|ISO/IEC|ISO|IEC|DB\d{2}(?:\d{2})?(?:\s?/\s?T)?|T/[A-Z][A-Z0-9]*"
         r"|(?:" + "|".join(INDUSTRY_CODES) + r")(?:/[TZ])?")
CITATION = re.compile(
    r"(?<![A-Za-z/])(?P<code>" + _CODE + r")\s?(?P<number>\d+(?:\.\d+)*)"
    r"(?:(?P<sep>\s?[—\-–－:：]\s?)(?P<year>\d{4}))?(?![\d.]*\d)"
    r"(?P<parts>\s?（所有部分）)?")

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
    return re.sub(r"\s+", "", code).upper()


def family_of(code: str) -> str:
    if code.startswith("GB"):
        return "national"
    if code.startswith("DB"):
        return "local"
    if code.startswith("T/"):
        return "group"
    if code.startswith(("ISO", "IEC")):
        return "international"
    return "industry"


def find_all(text: str) -> list[Designation]:
    found = []
    for m in CITATION.finditer(text):
        separator = (m.group("sep") or "").strip()
        found.append(Designation(
            code=normalise_code(m.group("code")), number=m.group("number"),
            year=m.group("year") or "", separator=separator,
            all_parts=bool(m.group("parts")), raw=m.group(0).strip(),
            start=m.start(), end=m.end()))
    return found


def parse_one(text: str) -> Designation | None:
    """The designation at the start of ``text`` (a reference-list entry), if any."""
    found = find_all(text)
    return found[0] if found and found[0].start == 0 else None


def sort_key(designation: Designation) -> tuple:
    """Order within a reference-list group: by code, then numerically by number."""
    numbers = tuple(int(n) for n in designation.number.split("."))
    code = "" if designation.family in ("national", "international") else designation.code
    return (code, numbers)
