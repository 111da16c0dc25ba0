"""The SC faces of the Noto CJK collection as fonts of their own, so that the PDF names them.

Debian's fonts-noto-cjk ships each weight as one collection (.ttc) of the JP, KR,
SC, TC and HK faces. The faces share one CFF table, whose name is the JP face's
("NotoSerifCJKjp-Regular"), and xdvipdfmx names an embedded font after its CFF
table: pdffonts would list the SC body text as a Japanese font. ``sc_faces``
copies the tables of each SC face into a font file of its own and writes the SC
face's PostScript name into the copy's CFF table; the glyphs, metrics and
features are those of the SC face, byte for byte. The copies are made once into
a cache folder (``$XDG_CACHE_HOME/gbstd/fonts``) and reused while the collection
is unchanged; without fontconfig or the collection, the fonts are named by family
as before.
"""
from __future__ import annotations

import functools
import shutil
import struct
import subprocess
from array import array
from pathlib import Path

from ..files import replace_atomically
from ..findings import SourceError
from ..paths import user_cache

# font key of FONTS in gbstd.writers.latex → fontconfig pattern of the SC face
FACES = {
    "cjk_serif": "Noto Serif CJK SC:style=Regular",
    "cjk_sans": "Noto Sans CJK SC:style=Regular",
    "cjk_sans_bold": "Noto Sans CJK SC:style=Bold",
    "cjk_mono": "Noto Sans Mono CJK SC:style=Regular",
}


def cache_folder() -> Path:
    return user_cache() / "fonts"


def sc_faces(folder: Path | None = None) -> dict[str, Path]:
    """Font key → a font file of that SC face alone, named as the face; {} when unavailable."""
    if shutil.which("fc-match") is None:
        return {}
    folder = folder or cache_folder()
    if ":" in str(folder):            # a separator in OPENTYPEFONTS
        return {}
    faces = {}
    for key, pattern in FACES.items():
        found = _fc_match(pattern).split("\t")
        if len(found) != 3 or not found[0].endswith(".ttc"):
            return {}
        source, index, name = Path(found[0]), int(found[1] or 0), found[2]
        if "sc-" not in name:         # fontconfig found another face: leave the fonts as they are
            return {}
        stat = source.stat()
        target = folder / f"{name}-{stat.st_size}-{int(stat.st_mtime)}.otf"
        if not target.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                font = face_from_collection(source.read_bytes(), index, name)
                replace_atomically(target, lambda temporary: Path(temporary).write_bytes(font))
            except (OSError, SourceError, ValueError, struct.error):
                return {}
        faces[key] = target
    return faces


@functools.lru_cache(maxsize=None)
def _fc_match(pattern: str) -> str:
    """fontconfig's file, index and PostScript name for ``pattern``, asked once per process
    (the HTML and LaTeX steps of a build both configure the fonts)."""
    return subprocess.run(["fc-match", "-f", "%{file}\t%{index}\t%{postscriptname}", pattern],
                          capture_output=True, text=True).stdout


def face_from_collection(collection: bytes, index: int, name: str) -> bytes:
    """The font ``index`` of an OpenType collection as a font file of its own, its CFF
    table named ``name`` (when that name has the length of the shared one)."""
    if collection[:4] != b"ttcf":
        raise ValueError("not an OpenType collection")
    count, = struct.unpack_from(">I", collection, 8)
    if not 0 <= index < count:
        raise ValueError("no such face")
    start, = struct.unpack_from(">I", collection, 12 + 4 * index)
    version, tables = collection[start:start + 4], struct.unpack_from(">H", collection, start + 4)[0]
    records = [struct.unpack_from(">4sIII", collection, start + 12 + 16 * n) for n in range(tables)]
    data = {tag: bytearray(collection[offset:offset + length]) for tag, _, offset, length in records}
    if b"CFF " in data:
        _rename_cff(data[b"CFF "], name.encode("ascii"))
    if b"head" in data:
        data[b"head"][8:12] = b"\0\0\0\0"          # checkSumAdjustment, set below
    header = bytearray(collection[start:start + 12])
    directory, body = bytearray(), bytearray()
    offset = 12 + 16 * tables
    head_at = None
    for tag, _, _, _ in sorted(records):
        table = bytes(data[tag])
        if tag == b"head":
            head_at = offset + len(body)
        directory += struct.pack(">4sIII", tag, _checksum(table), offset + len(body), len(table))
        body += table + b"\0" * (-len(table) % 4)
    font = bytearray(version) + header[4:] + directory + body
    if head_at is not None:
        struct.pack_into(">I", font, head_at + 8, (0xB1B0AFBA - _checksum(bytes(font))) & 0xFFFFFFFF)
    return bytes(font)


def _rename_cff(cff: bytearray, name: bytes) -> None:
    """Write ``name`` into the Name INDEX of a CFF table (one name, the same length)."""
    size = cff[2]                                     # header size
    count, = struct.unpack_from(">H", cff, size)
    offsize = cff[size + 2]
    if count != 1:
        return
    offsets = [int.from_bytes(cff[size + 3 + offsize * n:size + 3 + offsize * (n + 1)], "big") for n in range(2)]
    data = size + 3 + offsize * 2 - 1                 # INDEX offsets count from 1
    if offsets[1] - offsets[0] == len(name):
        cff[data + offsets[0]:data + offsets[1]] = name


def _checksum(table: bytes) -> int:
    """The OpenType checksum: the sum of the big-endian 32-bit words, padded with zeros."""
    words = array("I", table + b"\0" * (-len(table) % 4))
    if words.itemsize != 4:
        raise ValueError("no 32-bit array type")
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        words.byteswap()
    return sum(words) & 0xFFFFFFFF
