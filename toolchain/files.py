"""Reading sources and writing outputs: whole files and folders or nothing at all."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .findings import SourceError


def read_text(path: str | Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise SourceError(str(path), line, "FILE-001", "文件不是 UTF-8 编码", "以 UTF-8 另存该文件") from None
    except OSError as exc:
        raise SourceError(str(path), 1, "FILE-002", f"无法读取文件：{exc.strerror}",
                          "检查路径是否正确") from None


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


def replace_folder(staging: Path, target: Path) -> None:
    """Put a completely built output folder in place of the previous one."""
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
