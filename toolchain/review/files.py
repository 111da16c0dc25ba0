"""Record files: reading one (its head mapping and its list), and writing outputs so that
a failure never leaves a half-written file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

from .. import yamlsafe
from ..findings import SourceError
from ..reader import read_text


def open_record(path: str, what: str, head: str, listing: str, head_keys: tuple[str, ...],
                example: str) -> tuple[yamlsafe.Fields, yamlsafe.Fields]:
    """The top mapping of a record file (keys ``head`` and ``listing``) and its ``head`` mapping."""
    data = yamlsafe.load(read_text(path), path, 1, what)
    top = yamlsafe.Fields(data or {}, path, 1, what, (head, listing))
    if head not in top.data:
        raise SourceError(path, 1, "REVIEW-001", f"{what}缺少 {head}:", f"在文件开头写 {head}: {example}")
    return top, yamlsafe.Fields(top.data[head], path, top.line_of(head), head, head_keys)


def replace_atomically(path: str | Path, write: Callable[[Path], None]) -> None:
    """Call ``write(temporary)`` with a file in the same folder, then move it onto ``path``."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gbstd-", suffix=path.suffix)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding=encoding, newline=""))
