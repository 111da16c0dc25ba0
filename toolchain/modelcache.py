"""The model cache of ``gbstd check``: each source file's Document, kept between runs.

Reading (MyST, docutils, the directives) is most of a check, and a check of one file
reads the whole corpus as context. So every file read is stored in the project's output
folder (``build/.cache/models/``: outputs only go there, and the ``.gitignore`` that
``gbstd init`` writes ignores it), and a later check of an unchanged file costs one lookup: the reader
(docutils, myst-parser) is not even imported when every file is found.

An entry is used only when it was written for the same bytes of the same file, read the
same way by the same toolchain: its key is a hash of the file's content, its path as
given and resolved (the model carries both: findings name the path, the slug is the
folder), the names of the files in its folder (an image the text shows must exist), and
the fingerprint of the toolchain (``gbstd.buildstamp.toolchain``: the
version and every file of gbstd, Python's, Sphinx's, MyST's and docutils' versions).
Findings of the rules are kept beside the models, in entries of their own
(``gbstd.findingscache``, signed the same way): see there.

Entries are pickles, and unpickling untrusted data runs code, so an entry is trusted
only after two checks (docs/security.md): an HMAC-SHA256 over the entry with a secret
key kept outside the project (``$XDG_CACHE_HOME/gbstd/cache-key``, or ``~/.cache``,
readable by its owner only) — an entry someone else wrote, copied in or changed does
not verify; and an unpickler that builds only the model's own classes and findings.
An entry that fails either, or is truncated, foreign or of another key, is ignored and
read again; a cache that cannot be written is no cache, never an error.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import os
import pickle
import tempfile
from dataclasses import is_dataclass
from pathlib import Path

from . import buildstamp, model
from .findings import Finding
from .paths import secret_key

FOLDER = ".cache"            # in the project's output folder
FORMAT = b"gbstd-model-cache 1\n"
_TRUSTED = {("gbstd.model", name) for name, value in vars(model).items()
            if isinstance(value, type) and is_dataclass(value) and value.__module__ == model.__name__}
_TRUSTED.add(("gbstd.findings", "Finding"))
# section of the cache folder -> the types an entry of it may be
SECTIONS: dict[str, tuple[type, ...]] = {"models": (model.Document, Finding)}


def add_section(name: str, *types: type) -> None:
    """Another section of entries, of dataclasses of ``types`` (trusted by the unpickler too)."""
    SECTIONS[name] = types
    _TRUSTED.update((t.__module__, t.__name__) for t in types)


class _ModelUnpickler(pickle.Unpickler):
    """Builds the model's dataclasses and findings, and nothing else."""

    def find_class(self, module: str, name: str):
        if (module, name) not in _TRUSTED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of the model")
        return super().find_class(module, name)


class Cache:
    """Models of source files under ``output/.cache/models`` (and other sections beside it)."""

    def __init__(self, output: Path, secret: bytes):
        self.folder = output / FOLDER
        self.secret = secret
        digest = hashlib.sha256(FORMAT)
        buildstamp.toolchain(digest)
        self.toolchain = digest.digest()
        self._names: dict[Path, str] = {}       # path -> its entries' name (resolving costs system calls)
        self._made: set[Path] = set()           # folders of entries known to exist

    def key(self, path: Path, content: bytes) -> bytes:
        """What an entry must have been written for: ``source_key`` with this toolchain."""
        return source_key(self.toolchain, path, content)

    def _entry(self, path: Path, section: str) -> Path:
        """One entry per file and section (a new version of the file replaces it): named by its path."""
        name = self._names.get(path)
        if name is None:
            name = hashlib.sha256(f"{path}\0{path.resolve()}".encode("utf-8", "surrogateescape")).hexdigest()
            self._names[path] = name
        return self.folder / section / name[:2] / name[2:]

    def _mac(self, section: str, key: bytes, payload: bytes) -> bytes:
        return hmac.new(self.secret, FORMAT + section.encode() + b"\0" + key + payload, hashlib.sha256).digest()

    def get(self, path: Path, key: bytes, section: str = "models"):
        """What was stored for ``key`` in ``section``, or None. In ``models``: the Document (or
        the Finding that said why the file cannot be read)."""
        try:
            data = self._entry(path, section).read_bytes()
        except OSError:
            return None
        mac, stored, payload = data[:32], data[32:64], data[64:]
        if len(data) < 64 or stored != key or not hmac.compare_digest(mac, self._mac(section, key, payload)):
            return None
        try:
            value = _ModelUnpickler(io.BytesIO(payload)).load()
        except Exception:          # noqa: BLE001 — a verified entry that still does not load: ignored
            return None
        return value if isinstance(value, SECTIONS[section]) else None

    def put(self, path: Path, key: bytes, value, section: str = "models") -> None:
        """Store ``value`` for ``key``, atomically; a cache that cannot be written is skipped."""
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        entry = self._entry(path, section)
        try:
            if entry.parent not in self._made:
                entry.parent.mkdir(parents=True, exist_ok=True)
                self._made.add(entry.parent)
            handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            with os.fdopen(handle, "wb") as stream:
                stream.write(self._mac(section, key, payload) + key + payload)
            os.replace(temporary, entry)
        except OSError:
            return


def source_key(toolchain: bytes, path: Path, content: bytes) -> bytes:
    """What a result read from one source file depends on: this content of this file, the
    toolchain (``toolchain``, a digest of it and of whatever else the result depends on), and
    the files beside it (the reader reports an image that is not there, FILE-004, and images
    lie in the document's folder)."""
    digest = hashlib.sha256(toolchain)
    resolved = path.resolve()
    digest.update(f"{path}\0{resolved}\0".encode("utf-8", "surrogateescape"))
    digest.update(hashlib.sha256(content).digest())
    folder = resolved.parent
    for base, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            entry = os.path.join(base, name)
            there = os.path.isfile(entry)          # a link to nothing is no image
            digest.update(f"{os.path.relpath(entry, folder)}\0{there:d}\n".encode("utf-8", "surrogateescape"))
    return digest.digest()


def open_cache(root: Path | None) -> Cache | None:
    """The cache of the project at ``root``; None outside a project, or without a key."""
    if root is None or os.environ.get("GBSTD_NO_CACHE"):
        return None
    from .project import load
    secret = secret_key()
    return Cache(load(root).output, secret) if secret else None
