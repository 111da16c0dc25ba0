"""The garbage collector's handling during a Sphinx build (gbstd.sphinx.collector): the site is
byte-identical to a build with the collector left alone, Sphinx's in-memory doctrees are gone
when reading ends (the pages are written from the pickled doctrees), and the process's collector
is as it was afterwards (enabled, nothing frozen, same thresholds)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Both builds in one fresh process (Sphinx and docutils keep global state), the second one with
# the collector module's entry point replaced by a no-op, so that nothing of it engages.
SCRIPT = r"""
import gc, json, sys
from sphinx.cmd.build import build_main
import gbstd.sphinx.collector as collector

conf, source, out = sys.argv[1:4]
seen = {}
original = collector.on_env_updated

def spy(app, env):
    original(app, env)
    seen.setdefault("doctrees_kept", len(env._write_doc_doctree_cache))
    seen.setdefault("frozen_while_writing", gc.get_freeze_count())

collector.on_env_updated = spy
threshold = gc.get_threshold()
seen["rc_on"] = build_main(["-b", "html", "-q", "-c", conf, "-d", out + "/on-doctrees", source, out + "/on"])
seen.update(enabled=gc.isenabled(), frozen_after=gc.get_freeze_count(),
            threshold_restored=gc.get_threshold() == threshold)
collector.on_before_read = lambda app, env, docnames: None
seen["rc_off"] = build_main(["-b", "html", "-q", "-c", conf, "-d", out + "/off-doctrees", source, out + "/off"])
print(json.dumps(seen))
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict:
    work = tmp_path_factory.mktemp("collector")
    run = subprocess.run([sys.executable, "-m", "gbstd", "init", str(work / "p")], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    run = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT), str(work / "p" / "standards"), str(work)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    return {"seen": seen, "on": _files(work / "on"), "off": _files(work / "off")}


def test_the_site_is_the_same_with_and_without_the_collector_handling(builds):
    assert builds["seen"]["rc_on"] == builds["seen"]["rc_off"] == 0
    assert any(name.endswith("standard.html") for name in builds["on"])
    assert builds["on"].keys() == builds["off"].keys()
    assert [name for name in builds["on"] if builds["on"][name] != builds["off"][name]] == []


def test_doctrees_are_not_kept_in_memory_and_the_environment_is_frozen_while_writing(builds):
    assert builds["seen"]["doctrees_kept"] == 0
    assert builds["seen"]["frozen_while_writing"] > 0


def test_the_collector_is_as_it_was_after_the_build(builds):
    seen = builds["seen"]
    assert seen["enabled"] is True
    assert seen["frozen_after"] == 0
    assert seen["threshold_restored"] is True
