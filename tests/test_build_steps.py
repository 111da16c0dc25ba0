"""How ``gbstd build`` runs its steps: the schemas and Word steps in a forked child beside
the Sphinx steps, with the messages, failures and crashes of a sequential build."""
from __future__ import annotations

import argparse
import os
import time

import pytest

from gbstd import forked
from gbstd.commands import build

pytestmark = pytest.mark.skipif(not forked.available(), reason="fork: Linux only")


def _step(name: str, ok: bool, log: list[str] | None = None):
    def step(root, out, args):
        print(f"{name} out")
        print(f"{name} err", file=__import__("sys").stderr)
        if log is not None:
            log.append(f"{name}:{os.getpid()}")
        return ok
    return step


def _steps(**replace):
    names = ["html", "pdf", "schemas", "docx"]
    return [(name, replace.get(name) or _step(name, True)) for name in names]


def _run(steps, monkeypatch, tmp_path, cores=2):
    monkeypatch.setattr(build, "_cores", lambda: cores)
    return build._run_steps(steps, tmp_path, tmp_path, argparse.Namespace(debug=False))


def test_messages_come_in_step_order_and_every_failure_is_named(monkeypatch, tmp_path, capsys):
    failed = _run(_steps(pdf=_step("pdf", False), docx=_step("docx", False)), monkeypatch, tmp_path)
    assert failed == ["pdf", "docx"]
    printed = capsys.readouterr()
    assert printed.out.split() == ["html", "out", "pdf", "out", "schemas", "out", "docx", "out"]
    assert printed.err.split() == ["html", "err", "pdf", "err", "schemas", "err", "docx", "err"]


def test_schemas_and_word_run_in_another_process_only_beside_the_sphinx_steps(monkeypatch, tmp_path, capsys):
    log: list[str] = []
    steps = [(name, _step(name, True, log)) for name in ("html", "schemas", "docx")]
    _run(steps, monkeypatch, tmp_path)
    # the child's appends do not reach the parent's list: only the steps run here are logged
    assert log == [f"html:{os.getpid()}"]
    log.clear()
    _run(steps[1:], monkeypatch, tmp_path)              # nothing to run beside: run in place
    _run(steps, monkeypatch, tmp_path, cores=1)         # one core: nothing gained
    assert len(log) == 5 and all(entry.endswith(f":{os.getpid()}") for entry in log)


def test_a_crash_in_the_child_is_raised_in_the_parent_after_its_messages(monkeypatch, tmp_path, capsys):
    def crashes(root, out, args):
        print("docx started")
        raise ValueError("broken writer")
    with pytest.raises(ValueError, match="broken writer"):
        _run(_steps(docx=crashes), monkeypatch, tmp_path)
    assert "docx started" in capsys.readouterr().out


def test_an_interrupt_in_the_child_reaches_the_parent_as_an_interrupt(monkeypatch, tmp_path, capsys):
    def interrupted(root, out, args):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt):
        _run(_steps(schemas=interrupted), monkeypatch, tmp_path)


def test_a_child_still_running_when_the_parent_gives_up_is_ended():
    started = time.monotonic()
    child = forked.Forked(lambda: time.sleep(60))
    pid = child._pid
    child.stop()
    assert time.monotonic() - started < 10
    with pytest.raises(ChildProcessError):        # reaped: no zombie, no orphan
        os.waitpid(pid, 0)


def test_ctrl_c_during_the_html_step_stops_the_whole_build(tmp_path):
    """Sphinx runs in gbstd's process and answers Ctrl-C itself; gbstd still stops there
    (no PDF step after it), says 已中断 once, and prints no traceback."""
    import shutil
    import signal
    import subprocess
    import sys
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    for name in ("standards", "conf.py", "gbstd.toml"):
        copy = shutil.copytree if (repo / name).is_dir() else shutil.copy
        copy(repo / name, tmp_path / name)
    build_run = subprocess.Popen([sys.executable, "-m", "gbstd", "build", "--only", "html", "--only", "pdf"],
                                 cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert "构建 HTML" in build_run.stdout.readline()        # the HTML step has started
    time.sleep(0.5)
    build_run.send_signal(signal.SIGINT)
    out, err = build_run.communicate(timeout=120)
    assert build_run.returncode == 2, err
    assert "已中断" in err and "Traceback" not in err and "Interrupted!" not in err
    assert "PDF" not in out and not (tmp_path / "build" / "html").exists()


def test_an_interrupt_inside_generated_code_still_exits_with_status_2(tmp_path):
    """Ctrl-C can land in code Python runs through exec of a string (a dataclass's generated
    __init__ while Sphinx is imported): CPython then ended the process by SIGINT after gbstd had
    said 已中断 (status -2, seen in CI). The command here is interrupted exactly there."""
    import subprocess
    import sys
    # run with -m as `python -m gbstd` is: only that way does CPython check its note at exit
    (tmp_path / "interrupted_check.py").write_text(
        "import sys, gbstd.commands.check as check, gbstd.cli as cli\n"
        "check.run = lambda args: exec('raise KeyboardInterrupt')\n"
        "sys.exit(cli.main(['check']))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "interrupted_check"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    assert "已中断" in done.stderr and "Traceback" not in done.stderr


def test_a_progress_line_arrives_when_printed_also_through_a_pipe(tmp_path):
    """gbstd build | tee build.log: each line as it is printed, not all of them at the end.
    The HTML step's Sphinx run is replaced by a wait, so the line can only come from a flush."""
    import shutil
    import subprocess
    import sys
    import threading
    from pathlib import Path
    repo = Path(__file__).resolve().parents[1]
    shutil.copytree(repo / "standards", tmp_path / "standards")
    shutil.copy(repo / "gbstd.toml", tmp_path / "gbstd.toml")
    script = ("import sys, time\nfrom gbstd import cli\nfrom gbstd.commands import build\n"
              "build._sphinx = lambda arguments: time.sleep(60)\n"
              "sys.exit(cli.main(['build', '--only', 'html']))\n")
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    build_run = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, text=True, env=env)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(build_run.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout=30)
    build_run.kill()
    build_run.wait()
    assert lines and "构建 HTML" in lines[0]


def _html_that_starts_writing(log: list[str], marker):
    """An HTML step as Sphinx runs it: it prints, reaches the point where its pages are written
    (where gbstd.sphinx runs ``when_html_writing``), then writes them, slowly."""
    from gbstd import sphinx as extension

    def step(root, out, args):
        print("html out")
        log.append(f"html:{os.getpid()}")
        while extension.when_html_writing:          # what the extension does at write-started
            extension.when_html_writing.pop(0)()
        time.sleep(0.3)
        marker.write_text("pages written")
        print("html err", file=__import__("sys").stderr)
        return True
    return step


def _pdf_that_reads(log: list[str], marker, ok: bool = True):
    """A PDF step whose Sphinx has documents to read: it must wait for the pages."""
    from gbstd import sphinx as extension

    def step(root, out, args):
        print("pdf out")
        for hook in extension.before_reading:       # what the extension does before reading
            hook()
        print(f"pdf saw {marker.read_text() if marker.exists() else 'nothing'}")
        print(f"pdf in {'child' if os.getpid() != int(os.environ['PARENT']) else 'parent'}")
        print("pdf err", file=__import__("sys").stderr)
        return ok
    return step


def test_the_pdf_step_starts_beside_the_pages_and_reads_only_after_them(monkeypatch, tmp_path, capsys):
    log: list[str] = []
    marker = tmp_path / "marker"
    monkeypatch.setenv("PARENT", str(os.getpid()))
    steps = _steps(html=_html_that_starts_writing(log, marker), pdf=_pdf_that_reads(log, marker, ok=False))
    assert _run(steps, monkeypatch, tmp_path) == ["pdf"]
    printed = capsys.readouterr()
    assert printed.out.split("\n")[:5] == ["html out", "pdf out", "pdf saw pages written", "pdf in child",
                                           "schemas out"]
    assert printed.err.split() == ["html", "err", "pdf", "err", "schemas", "err", "docx", "err"]
    assert log == [f"html:{os.getpid()}"]           # the HTML step ran once, here
    from gbstd import sphinx as extension
    assert extension.when_html_writing == [] and extension.before_reading == []


def test_the_pdf_step_runs_after_an_html_step_that_never_wrote(monkeypatch, tmp_path, capsys):
    """An HTML step whose Sphinx stops before writing (a read failure), or a draft: as before."""
    marker = tmp_path / "marker"
    monkeypatch.setenv("PARENT", str(os.getpid()))
    steps = _steps(html=_step("html", False), pdf=_pdf_that_reads([], marker))
    assert _run(steps, monkeypatch, tmp_path) == ["html"]
    assert "pdf in parent" in capsys.readouterr().out
    from gbstd import sphinx as extension
    assert extension.when_html_writing == []
    monkeypatch.setattr(build, "_cores", lambda: 2)
    steps = _steps(html=_html_that_starts_writing([], marker), pdf=_pdf_that_reads([], marker))
    assert build._run_steps(steps, tmp_path, tmp_path, argparse.Namespace(debug=False, draft=True)) == []
    assert "pdf in parent" in capsys.readouterr().out


def test_an_interrupted_html_step_ends_the_pdf_step_started_beside_it(monkeypatch, tmp_path, capsys):
    from gbstd import sphinx as extension

    def interrupted(root, out, args):
        while extension.when_html_writing:
            extension.when_html_writing.pop(0)()
        raise KeyboardInterrupt
    monkeypatch.setenv("PARENT", str(os.getpid()))
    with pytest.raises(KeyboardInterrupt):
        _run(_steps(html=interrupted, pdf=_pdf_that_reads([], tmp_path / "marker")), monkeypatch, tmp_path)
    assert "pdf" not in capsys.readouterr().out
