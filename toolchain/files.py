"""Reading sources and writing outputs: whole files and folders or nothing at all."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .findings import SourceError


def read_text(path: str | Path, data: bytes | None = None) -> str:
    """The text of a UTF-8 file (``data``: its bytes, already read), newlines made \\n."""
    try:
        if data is None:
            data = Path(path).read_bytes()
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(str(path), line, "FILE-001", "文件不是 UTF-8 编码", "以 UTF-8 另存该文件") from None
    except OSError as exc:
        raise SourceError(str(path), 1, "FILE-002", f"无法读取文件：{exc.strerror}",
                          "检查路径是否正确") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text    # as open() reads


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
    """Put a completely built output folder in place of the previous one.

    The swap is two renames (old aside, new in) and only then a delete: a kill at any
    moment leaves either the old or the new folder in place, or the old one aside as
    ``.NAME.old``, which ``recover_outputs`` puts back on the next run.
    """
    aside = target.with_name(f".{target.name}.old")
    shutil.rmtree(aside, ignore_errors=True)
    if target.exists():
        target.rename(aside)
    staging.rename(target)
    shutil.rmtree(aside, ignore_errors=True)


def publish_folder(work: Path, target: Path, staging: Path, skip: Callable[[str], bool] = lambda name: False) -> int:
    """Publish the files of ``work`` as ``target``, whole (``replace_folder``), rewriting only
    what changed: a file whose bytes equal the published one is the published file, linked
    into ``staging`` (same inode, same modification time); any other file is copied from
    ``work``. ``work`` itself is never linked, so writing into it later cannot touch what is
    published. ``skip(relative name)`` leaves a file of ``work`` out. Returns how many files
    were new or changed.
    """
    shutil.rmtree(staging, ignore_errors=True)
    changed = 0
    for base, dirs, names in os.walk(work):
        dirs.sort()
        relative = Path(base).relative_to(work)
        (staging / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            if skip(str(relative / name)):
                continue
            source, published, copy = Path(base, name), target / relative / name, staging / relative / name
            if _same_bytes(source, published):
                try:
                    os.link(published, copy)
                    continue
                except OSError:        # no hard links here: a copy keeps the time at least
                    shutil.copy2(published, copy)
                    continue
            shutil.copyfile(source, copy)
            changed += 1
    replace_folder(staging, target)
    return changed


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        if one.stat().st_size != other.stat().st_size:
            return False
        with one.open("rb") as a, other.open("rb") as b:
            while True:
                block = a.read(1 << 20)
                if block != b.read(1 << 20):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def recover_outputs(out: Path) -> None:
    """Undo what an interrupted run left in ``out``: an output set aside but not replaced
    goes back in place; staging folders (``.NAME.tmp``) and old outputs are removed."""
    if not out.is_dir():
        return
    for aside in out.glob(".*.old"):
        target = out / aside.name[1:-len(".old")]
        if not target.exists():
            aside.rename(target)
        else:
            shutil.rmtree(aside, ignore_errors=True)
    for staging in out.glob(".*.tmp"):
        shutil.rmtree(staging, ignore_errors=True)
