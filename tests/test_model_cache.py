"""The model cache of gbstd check: cached and uncached checks report the same bytes, a
cache hit imports no reader, and entries that are not this toolchain's own are never
trusted (docs/security.md)."""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gbstd import modelcache, paths, sources

ROOT = Path(__file__).resolve().parent.parent
EDITED = "standards/green-enterprise/standard.md"


def _gbstd(project: Path, home: Path, *args: str, cache: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    env.pop("GBSTD_NO_CACHE", None)
    if not cache:
        env["GBSTD_NO_CACHE"] = "1"
    return subprocess.run([sys.executable, "-m", "gbstd", *args], cwd=project, env=env, capture_output=True)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of this project, and a home for the cache key."""
    work = tmp_path_factory.mktemp("cache")
    project = work / "project"
    project.mkdir()
    shutil.copy(ROOT / "gbstd.toml", project / "gbstd.toml")
    shutil.copytree(ROOT / "standards", project / "standards")
    return project, work / "home"


@pytest.fixture(scope="module")
def reports(project) -> dict[str, bytes]:
    """JSON reports of the corpus: uncached, while filling the cache, from the cache; then
    after a one-line edit that adds a finding, cached and uncached."""
    folder, home = project
    runs = {"uncached": _gbstd(folder, home, "check", "--format", "json", cache=False),
            "filling": _gbstd(folder, home, "check", "--format", "json"),
            "cached": _gbstd(folder, home, "check", "--format", "json")}
    source = folder / EDITED
    source.write_text(source.read_text(encoding="utf-8") + "\n本条内容参见GB/T 99999。\n", encoding="utf-8")
    runs["edited-cached"] = _gbstd(folder, home, "check", "--format", "json")
    runs["edited-uncached"] = _gbstd(folder, home, "check", "--format", "json", cache=False)
    for name, run in runs.items():
        assert b"Traceback" not in run.stderr, (name, run.stderr[-2000:])
    return {name: run.stdout for name, run in runs.items()}


def test_cached_and_uncached_checks_report_the_same_bytes(reports, project):
    assert reports["uncached"] == reports["filling"] == reports["cached"]
    assert json.loads(reports["cached"])["findings"], "the corpus keeps its suppressed findings"
    # the edit is seen through the cache, and reported as an uncached check reports it
    assert reports["edited-cached"] == reports["edited-uncached"] != reports["cached"]
    entries = list((project[0] / "build" / modelcache.FOLDER / "models").glob("*/*"))
    assert len(entries) == len(sources.discover([str(project[0] / "standards")]))    # one per file


def test_a_cache_hit_imports_no_reader(reports, project):
    """The second check of one file (its entry is its path as given: the first check of it
    alone reads it) imports neither docutils nor myst-parser."""
    folder, home = project
    program = ("import sys; from gbstd import cli; code = cli.main(['check', %r]); "
               "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docutils', 'myst_parser', 'sphinx')))"
               % EDITED)
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    env.pop("GBSTD_NO_CACHE", None)
    for _ in range(2):
        run = subprocess.run([sys.executable, "-c", program], cwd=folder, env=env, capture_output=True, text=True)
    assert run.stdout.splitlines()[-1] == "[]", run.stdout[-2000:] + run.stderr[-2000:]


def _entry(folder: Path, section: str) -> Path:
    """The entry of the edited file as `gbstd check` of the whole project reads it."""
    return modelcache.Cache(folder / "build", b"k" * 32)._entry(folder / EDITED, section)


class _Planted:
    """Unpickling this runs code: it would create the file ``marker``."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


@pytest.mark.parametrize("section", ["models", "findings"])
@pytest.mark.parametrize("damage", ["garbage", "truncated", "flipped", "foreign", "signed-but-not-a-model"])
def test_entries_that_are_not_our_own_are_ignored(reports, project, tmp_path, damage, section):
    """A damaged entry of either section is ignored, read again and stored again (the model
    entry is read when the findings entry is not found: that one is removed first)."""
    folder, home = project
    entry = _entry(folder, section)
    original = entry.read_bytes()
    findings_entry = _entry(folder, "findings")
    findings_original = findings_entry.read_bytes()
    marker = tmp_path / "ran"
    payload = pickle.dumps(_Planted(marker))
    secret = (home / "gbstd" / paths.KEY_FILE).read_bytes()
    cache = modelcache.Cache(folder / "build", secret)
    key = original[32:64]
    data = {"garbage": b"not a cache entry",
            "truncated": original[:100],
            "flipped": original[:-1] + bytes([original[-1] ^ 1]),
            # written by someone without this user's key: the MAC cannot be right
            "foreign": hashlib.sha256(payload).digest() + key + payload,
            # even with the key: only the model's classes are built
            "signed-but-not-a-model": cache._mac(section, key, payload) + key + payload}[damage]
    try:
        if section == "models":
            findings_entry.unlink()
        entry.write_bytes(data)
        run = _gbstd(folder, home, "check", "--format", "json")
        assert run.stdout == reports["edited-uncached"] and not marker.exists()
        assert entry.read_bytes()[32:64] == key and entry.read_bytes() != data     # read again, stored again
    finally:
        entry.write_bytes(original)
        findings_entry.write_bytes(findings_original)


def test_a_key_others_can_read_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    key = paths.secret_key()
    path = tmp_path / "gbstd" / paths.KEY_FILE
    assert key and path.read_bytes() == key and path.stat().st_mode & 0o077 == 0
    assert paths.secret_key() == key
    path.chmod(0o644)
    assert paths.secret_key() is None
    assert modelcache.open_cache(tmp_path) is None


def test_the_cache_is_in_the_output_folder_that_init_ignores(tmp_path, monkeypatch):
    from gbstd import cli
    assert cli.main(["init", str(tmp_path / "p"), "--ci", "none"]) == 0
    assert "/build/" in (tmp_path / "p" / ".gitignore").read_text(encoding="utf-8").splitlines()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("GBSTD_NO_CACHE", raising=False)
    assert modelcache.open_cache(tmp_path / "p").folder == tmp_path / "p" / "build" / ".cache"


def test_an_image_that_appears_is_seen_through_the_cache(tmp_path):
    """The reader reports a missing image (FILE-004): adding the image changes the key."""
    home = tmp_path / "home"
    project = tmp_path / "p"
    assert subprocess.run([sys.executable, "-m", "gbstd", "init", str(project), "--ci", "none"],
                          capture_output=True).returncode == 0
    source = next(project.glob("standards/*/standard.md"))
    source.write_text(source.read_text(encoding="utf-8") + "\n![示意图](figure-1.png)\n", encoding="utf-8")
    reports = []
    for image in (False, True):
        if image:
            (source.parent / "figure-1.png").write_bytes(b"\x89PNG\r\n\x1a\n")
        cached = [_gbstd(project, home, "check", "--format", "json") for _ in range(2)]
        uncached = _gbstd(project, home, "check", "--format", "json", cache=False)
        assert cached[0].stdout == cached[1].stdout == uncached.stdout
        reports.append(uncached.stdout)
    assert b"FILE-004" in reports[0] and b"FILE-004" not in reports[1]
