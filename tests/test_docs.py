"""The documentation's complete example is a real, clean document."""
from __future__ import annotations

import re
from pathlib import Path

from gbstd.check import check_paths

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_complete_example_in_authoring_guide_checks_clean(tmp_path):
    text = (DOCS / "authoring.md").read_text(encoding="utf-8")
    section = text.split("## A complete example", 1)[1]
    example = re.search(r"^````markdown\n(.*?)^````$", section, re.S | re.M).group(1)
    path = tmp_path / "example-enterprise" / "standard.md"
    path.parent.mkdir()
    path.write_text(example, encoding="utf-8")
    findings, docs = check_paths([str(path)])
    assert len(docs) == 1 and docs[0].indicator_tables and docs[0].formulas and docs[0].terms
    assert [f.format() for f in findings if f.severity != "info"] == []


def readme_commands() -> list[str]:
    """The commands of the README's “Everyday use” block, continuation lines joined."""
    text = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Everyday use.*?^```sh\n(.*?)^```$", text, re.S | re.M).group(1)
    return [line.split("  #")[0].strip() for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def test_readme_examples_run_as_written_and_write_only_under_build(tmp_path):
    """In a copy of the project (the full build is run by the PDF and strict-build tests)."""
    import os
    import shutil
    import subprocess
    import sys

    root = DOCS.parent
    for name in ("gbstd.toml", "conf.py"):
        shutil.copy(root / name, tmp_path / name)
    shutil.copytree(root / "standards", tmp_path / "standards")
    shutil.copytree(root / "tests" / "fixtures", tmp_path / "tests" / "fixtures")
    before = {p for p in tmp_path.rglob("*")}
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    commands = readme_commands()
    assert any(c.startswith(".venv/bin/gbstd build") for c in commands)
    prepare = subprocess.run(".venv/bin/gbstd build --only schemas", shell=True, cwd=tmp_path, env=env,
                             capture_output=True, text=True)
    assert prepare.returncode == 0, prepare.stderr
    for command in commands:
        if command.startswith(".venv/bin/gbstd build"):
            continue
        result = subprocess.run(command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}\n{result.stdout[-1500:]}\n{result.stderr[-1500:]}"
    written = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    outside = [str(p.relative_to(tmp_path)) for p in written
               if not p.relative_to(tmp_path).parts[0] in ("build", ".venv")]
    assert outside == []
