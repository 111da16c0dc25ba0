"""OMML (Word equations) → LaTeX, through pandoc's texmath reader.

All equations of a document go to pandoc in one small .docx (one paragraph per
equation, tagged with its index), so an import costs one pandoc run however many
formulas it has. pandoc comes from the ``pypandoc-binary`` wheel: no network, no
system package.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile

from lxml import etree

M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


class ConversionError(Exception):
    pass


def pandoc_path() -> str:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise ConversionError(f"找不到 pandoc（pypandoc-binary 未安装：{exc}）") from None


def to_latex(elements: list[etree._Element]) -> list[str]:
    """LaTeX of each OMML ``m:oMath`` element, in order ("" where pandoc gave nothing)."""
    if not elements:
        return []
    paragraphs = []
    for n, element in enumerate(elements):
        math = etree.tostring(element, encoding="unicode")
        paragraphs.append(f'<w:p><w:r><w:t xml:space="preserve">@@{n}@@ </w:t></w:r>{math}</w:p>')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W}" xmlns:m="{M}"><w:body>{"".join(paragraphs)}'
                f'</w:body></w:document>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", document)
    try:
        done = subprocess.run([pandoc_path(), "-f", "docx", "-t", "json"], input=buffer.getvalue(),
                              capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConversionError(f"pandoc 无法运行：{exc}") from None
    if done.returncode != 0:
        raise ConversionError(done.stderr.decode("utf-8", "replace").strip())
    out = [""] * len(elements)
    for block in json.loads(done.stdout)["blocks"]:
        inlines = block.get("c", [])
        if not isinstance(inlines, list):
            continue
        current = None
        found = []
        for inline in inlines:
            if inline.get("t") == "Str":
                m = re.fullmatch(r"@@(\d+)@@", inline["c"])
                if m:
                    current = int(m.group(1))
            elif inline.get("t") == "Math" and current is not None:
                found.append(inline["c"][1])
        if current is not None and current < len(out):
            out[current] = " ".join(found).strip()
    return out
