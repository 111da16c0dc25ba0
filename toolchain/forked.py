"""Run part of a command in a forked child while the parent goes on, its output kept aside.

``gbstd build`` uses it for the steps that read the sources themselves (schemas, Word):
they run on a second core while the Sphinx steps (HTML, then LaTeX and xelatex) run in the
parent, and what they print is printed after the parent's own steps, in the order a
sequential build prints it. A failure or a crash in the child reaches the parent as if the
work had run there: the same return values, the same exception.

``Forked(work, unwind=True)`` forks where it is called, deep inside other work (the HTML
step's Sphinx, as it starts writing pages, hands the PDF step to a child that way): the child
first raises ``Unwinding``, so that every context manager and ``finally`` on the way out is
left as it would be had that work ended there (Sphinx restores docutils' registries), and the
caller catches it where the child's work may start and calls ``run()``, which never returns.

Linux only (``os.fork``); elsewhere ``available()`` is False and callers run the work in
place. The child dies with the parent (``PR_SET_PDEATHSIG``), so a killed build leaves no
orphan writing into build/ behind it.
"""
from __future__ import annotations

import ctypes
import os
import pickle
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Callable

_PR_SET_PDEATHSIG = 1


def usable_cores() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return os.cpu_count() or 1


def available() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith("linux")


class Unwinding(BaseException):
    """Raised in the child of ``Forked(..., unwind=True)``: catch it where the child's work may
    start and call ``run()``. A BaseException, so that no ``except Exception`` on the way (Sphinx
    turns those into a failed build) stops it."""

    def __init__(self, forked: "Forked", work: Callable[[], object], debug: bool):
        super().__init__("forked child leaving its parent's work")
        self._forked, self._work, self._debug = forked, work, debug

    def run(self):
        """Run the child's work and end the child; never returns."""
        self._forked._child(self._work, self._debug)


class Forked:
    """``work()`` running in a child process; ``result()`` waits for it and returns its value."""

    def __init__(self, work: Callable[[], object], debug: bool = False, unwind: bool = False):
        self._folder = Path(tempfile.mkdtemp(prefix="gbstd-forked-"))
        for stream in (sys.stdout, sys.stderr):
            stream.flush()           # or the child would print the parent's buffered lines again
        self._pid = os.fork()
        if self._pid == 0:
            if unwind:
                die_with_parent()
                raise Unwinding(self, work, debug)
            self._child(work, debug)

    def _child(self, work: Callable[[], object], debug: bool) -> None:
        status = 1
        try:
            die_with_parent()
            sys.stdout = open(self._folder / "stdout", "w", encoding="utf-8")
            sys.stderr = open(self._folder / "stderr", "w", encoding="utf-8")
            outcome = ("value", work())
            status = 0
        except BaseException as error:         # noqa: BLE001 - handed to the parent as it was
            if debug:
                traceback.print_exc()
            outcome = ("error", error)
        try:
            try:
                data = pickle.dumps(outcome)
            except Exception:                   # noqa: BLE001 - an exception that cannot travel
                data = pickle.dumps(("error", RuntimeError(repr(outcome[1]))))
            (self._folder / "outcome").write_bytes(data)
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(status)

    def result(self):
        """Wait for the child, print what it printed, then return its value or raise its exception."""
        try:
            _, status = os.waitpid(self._pid, 0)
            self._pid = 0
            for name, stream in (("stdout", sys.stdout), ("stderr", sys.stderr)):
                printed = self._folder / name
                if printed.exists():
                    stream.write(printed.read_text(encoding="utf-8", errors="replace"))
                    stream.flush()
            outcome = self._folder / "outcome"
            if not outcome.exists():
                raise RuntimeError(f"子进程意外结束（状态 {status}）")
            # written by our own child into a folder only this user can read (mkdtemp: 0700)
            kind, value = pickle.loads(outcome.read_bytes())
            if kind == "error":
                raise value
            return value
        finally:
            self.stop()

    def stop(self) -> None:
        """End the child if it still runs (the parent failed or was interrupted) and clean up."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = 0
        shutil.rmtree(self._folder, ignore_errors=True)


def die_with_parent() -> None:
    """This (forked) process gets SIGTERM when its parent ends."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):      # no prctl: a killed parent may leave the child to finish
        pass
