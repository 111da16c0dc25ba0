"""Cover and designation: the front matter checked against the forms of each family.

The front matter parser (``gbstd.source.metadata``) already rejects unknown keys,
wrong types and malformed dates; these rules check what a well-formed front
matter says. A key listed under ``gaps:`` is declared missing from the source
and is not asked for.
"""
from __future__ import annotations

import datetime
import re
from typing import Iterator

from ..designations import INDUSTRY_CODES, PROVINCE_CODES, family_of
from ..source.metadata import STAGES
from ..model import Document
from . import DOCUMENT, Report, rule
from .text import gb

PLACEHOLDER = re.compile(r"X{2,}|×{2,}")
NUMBER = r"[\dX]+(?:\.[\dX]+)?—(?:\d{4}|XXXX)"     # placeholders allowed before 报批稿
FORMS = {
    "national": (re.compile(r"^GB(?:/[TZ])? " + NUMBER + "$"), "GB/T 36132—2018（GB、GB/T、GB/Z）"),
    "industry": (re.compile(r"^(?P<code>[A-Z]{2})(?:/[TZ])? " + NUMBER + "$"), "HJ 212—2017、YD/T 3340—2018"),
    "local": (re.compile(r"^DB(?P<division>\d{2}(?:\d{2})?)(?:/T)? " + NUMBER + "$"), "DB44/T 1234—2020、DB4403/T 313—2023"),
    "group": (re.compile(r"^T/[A-Z][A-Z0-9]* " + NUMBER + "$"), "T/CAS 290—2017"),
}
RULE_OF_FAMILY = {"national": "DOCNO-001", "industry": "DOCNO-002", "local": "DOCNO-003", "group": "DOCNO-004"}
FAMILY_NAMES = {"national": "国家标准", "industry": "行业标准", "local": "地方标准", "group": "团体标准"}


def _family(doc: Document) -> str:
    code = doc.meta.designation.split(" ")[0]
    return doc.meta.family or (family_of(code) if code else "")


def _designation_findings(doc: Document, family: str) -> Iterator[Report]:
    designation = doc.meta.designation
    if not designation or _family(doc) != family:
        return
    pattern, example = FORMS[family]
    line = doc.meta.line_of("designation")
    m = pattern.match(designation)
    hint = f"{FAMILY_NAMES[family]}编号写成 代号、空格、顺序号、一字线“—”、年号，如 {example}"
    if m is None:
        yield Report(line, f"文件编号 “{designation}” 不符合{FAMILY_NAMES[family]}编号的格式", hint)
    elif family == "industry" and m["code"] not in INDUSTRY_CODES:
        yield Report(line, f"“{m['code']}” 不在已知的行业标准代号之列", "核对行业标准代号（见行业标准管理办法）")
    elif family == "local" and int(m["division"][:2]) not in PROVINCE_CODES:
        yield Report(line, f"“DB{m['division']}” 的前两位不是省级行政区划代码", "核对行政区划代码，如 DB44（广东）、DB4403（深圳）")


@rule("DOCNO-001", "error", "国家标准编号为 GB/GB/T/GB/Z 顺序号—年号", clause=gb("8.1；《国家标准管理办法》"), scope=DOCUMENT)
def national_number(doc: Document, ctx) -> Iterator[Report]:
    yield from _designation_findings(doc, "national")


@rule("DOCNO-002", "warning", "行业标准编号为 行业代号[/T] 顺序号—年号，代号为已知的行业代号",
      clause="《行业标准管理办法》", scope=DOCUMENT)
def industry_number(doc: Document, ctx) -> Iterator[Report]:
    yield from _designation_findings(doc, "industry")


@rule("DOCNO-003", "warning", "地方标准编号为 DB+行政区划代码[/T] 顺序号—年号", clause="《地方标准管理办法》", scope=DOCUMENT)
def local_number(doc: Document, ctx) -> Iterator[Report]:
    yield from _designation_findings(doc, "local")


@rule("DOCNO-004", "warning", "团体标准编号为 T/社会团体代号 顺序号—年号", clause="《团体标准管理规定》", scope=DOCUMENT)
def group_number(doc: Document, ctx) -> Iterator[Report]:
    yield from _designation_findings(doc, "group")


LATE_STAGES = ("报批稿", "发布稿")


@rule("META-PLACEHOLDER", "error", "占位符 XXXX 只允许出现在报批稿之前的草案中", clause=gb("8.1"), scope=DOCUMENT)
def placeholders(doc: Document, ctx) -> Iterator[Report]:
    if doc.meta.stage not in LATE_STAGES:
        return
    for key in ("designation", "issued", "implemented"):
        value = getattr(doc.meta, key)
        if PLACEHOLDER.search(value) and key not in doc.meta.gaps:
            yield Report(doc.meta.line_of(key), f"{doc.meta.stage}的 {key} 仍是占位符 “{value}”",
                         f"{doc.meta.stage}应给出真实的{'文件编号' if key == 'designation' else '日期'}")


@rule("META-STAGE", "error", "阶段只在前置元数据 stage 中给出，不写进文件名称", clause=gb("8.1"), scope=DOCUMENT)
def stage_in_title(doc: Document, ctx) -> Iterator[Report]:
    for text, line in ((doc.meta.title, doc.meta.line_of("title")), (doc.title, doc.title_line)):
        stage = next((s for s in STAGES + ("讨论稿",) if s in text), None)
        if stage:
            yield Report(line, f"文件名称 “{text}” 中写了阶段“{stage}”",
                         f"从名称中删去“{stage}”，在前置元数据中写 stage: {stage if stage in STAGES else '征求意见稿'}")


def _required(doc: Document) -> dict[str, str]:
    required = {"title": "文件名称", "designation": "文件编号", "family": "文件层次（family）", "ics": "ICS 号",
                "ccs": "CCS 号", "issued": "发布日期", "implemented": "实施日期", "issuer": "发布机构"}
    if _family(doc) in ("national", "industry"):
        required["title_en"] = "英文名称"
    return required


@rule("COVER-001", "error", "封面信息齐全：名称、编号、ICS、CCS、发布和实施日期、发布机构（国家、行业标准还有英文名称）",
      clause=gb("8.1"), scope=DOCUMENT)
def cover_fields(doc: Document, ctx) -> Iterator[Report]:
    for key, name in _required(doc).items():
        if not getattr(doc.meta, key) and key not in doc.meta.gaps:
            space = " " if name[0].isascii() else ""   # 封面缺少 ICS 号, 封面缺少发布日期
            yield Report(1, f"封面缺少{space}{name}（前置元数据 {key}）",
                         f"在前置元数据中写 {key}: …；原始资料未给出时在 gaps: 中说明 {key}: 原因")


ICS = re.compile(r"^\d{2}\.\d{3}(?:\.\d{2})?$")
CCS = re.compile(r"^[A-Z] ?\d{2}$")


@rule("COVER-002", "warning", "ICS 号形如 13.020.01，CCS 号形如 Z 04", clause=gb("8.1"), scope=DOCUMENT)
def classification_codes(doc: Document, ctx) -> Iterator[Report]:
    for key, pattern, example in (("ics", ICS, "13.020.01"), ("ccs", CCS, "Z 04")):
        value = getattr(doc.meta, key)
        if not value:
            continue
        codes = [c.strip() for c in re.split(r"[;；]", value)]
        prefix = key.upper()
        if value.upper().startswith(prefix):
            yield Report(doc.meta.line_of(key), f"{key} 中写了前缀“{prefix}”", f"只写号码（如 {example}），排版时自动加前缀")
        elif not all(pattern.match(c) for c in codes):
            yield Report(doc.meta.line_of(key), f"{prefix} 号 “{value}” 的格式不对",
                         f"写成 {example}（YAML 中加引号，如 {key}: \"{example}\"）")


def _date(value: str) -> datetime.date | None | str:
    """The date, None for a placeholder or nothing, or "invalid"."""
    if not value or PLACEHOLDER.search(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return "invalid"


@rule("COVER-003", "error", "发布日期和实施日期是有效日期，实施日期不早于发布日期", clause=gb("8.1"), scope=DOCUMENT)
def cover_dates(doc: Document, ctx) -> Iterator[Report]:
    dates = {}
    for key in ("issued", "implemented"):
        value = _date(getattr(doc.meta, key))
        if value == "invalid":
            yield Report(doc.meta.line_of(key), f"{key} “{getattr(doc.meta, key)}” 不是有效的日期", "写成有效的 YYYY-MM-DD")
        elif value is not None:
            dates[key] = value
    if len(dates) == 2 and dates["implemented"] < dates["issued"]:
        yield Report(doc.meta.line_of("implemented"),
                     f"实施日期 {doc.meta.implemented} 早于发布日期 {doc.meta.issued}", "实施日期应不早于发布日期")


ZH_ELEMENT_GAP = re.compile(r"(?<=[\u4e00-\u9fff）)])[ \u3000]+(?=[\u4e00-\u9fff（(])")
EN_ELEMENT_GAP = re.compile(r"\s*[—–]\s*|\s+-{1,2}\s+")
ZH_PART = re.compile(r"第\s*(\d+)\s*部分")
EN_PART = re.compile(r"\bPart\s+(\d+)\b", re.IGNORECASE)


@rule("COVER-007", "warning", "英文名称与中文名称的要素一致（要素之间用“—”，部分写 Part n:）",
      clause=gb("6.3、8.1"), scope=DOCUMENT)
def title_parity(doc: Document, ctx) -> Iterator[Report]:
    """The title's elements are separated by a space in Chinese and by a dash in English
    (GB/T 1.1—2020 6.3): 环境管理体系 要求及使用指南 / Environmental management systems—
    Requirements with guidance for use. The same elements, the same part number."""
    zh, en = doc.meta.title.strip(), doc.meta.title_en.strip()
    if not zh or not en:
        return
    line = doc.meta.line_of("title_en")
    zh_part, en_part = ZH_PART.search(zh), EN_PART.search(en)
    if (zh_part is None) != (en_part is None) or (zh_part and en_part and zh_part[1] != en_part[1]):
        said = f"第{zh_part[1]}部分" if zh_part else "不分部分"
        yield Report(line, f"中文名称{said}，英文名称却{'写 Part ' + en_part[1] if en_part else '没有 Part n'}",
                     "英文名称的补充要素写作 Part n: …，与中文名称的“第n部分：”一致")
        return
    zh_count = len(ZH_ELEMENT_GAP.split(zh))
    en_count = len([e for e in EN_ELEMENT_GAP.split(en) if e.strip()])
    if zh_count != en_count:
        yield Report(line, f"中文名称有 {zh_count} 个要素，英文名称有 {en_count} 个",
                     "中文名称的要素之间空一个字，英文名称的要素之间用一字线“—”，两者要素一一对应")
