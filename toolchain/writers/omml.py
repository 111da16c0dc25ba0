"""LaTeX → OMML (Word's native equations) through pandoc's texmath, one pandoc call per document.

pandoc ships as a wheel (pypandoc-binary), so no network and no system package is needed.
All formulas of a document go into one pandoc AST (one paragraph each); pandoc writes a
.docx and each paragraph's ``m:oMath`` is lifted out in order. A formula pandoc cannot
convert comes back as ``None``: the caller prints its LaTeX as text.
"""
from __future__ import annotations

import copy
import json
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from ..findings import SourceError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_CJK = re.compile(r"^[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+$")


def pandoc_path() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as error:
        raise SourceError("pandoc", 1, "DOCX-001", f"找不到 pandoc：{error}",
                          "重新安装 gbstd（依赖 pypandoc-binary，其中带有 pandoc）") from None


def _ast(latexes: list[str]) -> str:
    blocks = [{"t": "Para", "c": [{"t": "Math", "c": [{"t": "InlineMath"}, " ".join(tex.split())]}]}
              for tex in latexes]
    return json.dumps({"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks})


def convert(latexes: list[str], origin: str = "", half_points: int = 21) -> list[etree._Element | None]:
    """``m:oMath`` elements for each LaTeX string, in order (None where pandoc gave none);
    ``half_points``: the font size of the text around them (21: 五号, 10.5 pt)."""
    if not latexes:
        return []
    with tempfile.TemporaryDirectory(prefix="gbstd-omml-") as folder:
        target = Path(folder) / "maths.docx"
        result = subprocess.run([pandoc_path(), "-f", "json", "-t", "docx", "-o", str(target)],
                                input=_ast(latexes), capture_output=True, text=True, errors="replace")
        if result.returncode != 0 or not target.exists():
            raise SourceError(origin or "pandoc", 1, "DOCX-001",
                              "pandoc 无法转换公式：" + (result.stderr.strip().splitlines() or ["（无输出）"])[0],
                              "检查公式的 LaTeX 写法，或重新安装 pypandoc-binary")
        with zipfile.ZipFile(target) as archive:
            body = etree.fromstring(archive.read("word/document.xml")).find(f"{{{W}}}body")
    paragraphs = body.findall(f"{{{W}}}p")
    found: list[etree._Element | None] = []
    for index in range(len(latexes)):
        maths = paragraphs[index].findall(f".//{{{M}}}oMath") if index < len(paragraphs) else []
        found.append(_tidy(maths[0], half_points) if len(maths) == 1 else None)
    return found


def _tidy(math: etree._Element, half_points: int) -> etree._Element:
    """Chinese in a formula (A_{用地}) as one upright run per word, as Word's editor types it;
    every run at the body size (LibreOffice otherwise sets formulas at 12 pt)."""
    math = copy.deepcopy(math)
    for text in math.iter(f"{{{M}}}t"):
        properties = etree.Element(f"{{{W}}}rPr")
        etree.SubElement(properties, f"{{{W}}}sz").set(f"{{{W}}}val", str(half_points))
        text.addprevious(properties)
    for run in list(math.iter(f"{{{M}}}r")):
        text = run.findtext(f"{{{M}}}t") or ""
        if not _CJK.match(text):
            continue
        following = run.getnext()
        while following is not None and following.tag == f"{{{M}}}r" and \
                _CJK.match(following.findtext(f"{{{M}}}t") or ""):
            run.find(f"{{{M}}}t").text += following.findtext(f"{{{M}}}t")
            run.getparent().remove(following)
            following = run.getnext()
        if run.find(f"{{{M}}}rPr") is None:
            properties = etree.SubElement(run, f"{{{M}}}rPr")
            run.remove(properties)
            run.insert(0, properties)
            etree.SubElement(properties, f"{{{M}}}sty").set(f"{{{M}}}val", "p")
    return math
