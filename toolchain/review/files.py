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
    """Call ``write(temporary)`` with a file in the same folder, then move it onto ``path``.

    A folder that does not exist or cannot be written is reported (FILE-003) before
    ``write`` runs. The file gets the permissions a plain ``open`` would give it.
    """
    path = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".gbstd-", suffix=path.suffix)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _unwritable(path: Path, error: OSError) -> SourceError:
    reason = {FileNotFoundError: "目录不存在", PermissionError: "没有写入权限",
              IsADirectoryError: "这是一个目录"}.get(type(error), error.strerror)
    return SourceError(str(path), 1, "FILE-003", f"无法写入输出文件：{reason}",
                       "检查输出目录是否存在、是否可写，或用 -o 换一个位置")


def write_text(path: str | Path, text: str, encoding: str = "utf-8") -> None:
    replace_atomically(path, lambda temporary: temporary.write_text(text, encoding=encoding, newline=""))
