"""The review records of a source file: ``comments/*.yaml`` and ``ballots/*.yaml`` beside it.

Loaded once per folder and file state, so that the rules (which each ask for
them) and the site builder do not read the same files again.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..findings import SourceError
from .ballots import Ballot, load_ballot
from .comments import Round, load_round

COMMENTS_FOLDER = "comments"
BALLOTS_FOLDER = "ballots"


@dataclass
class Records:
    folder: Path
    rounds: list[Round] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)   # files that could not be read
    has_ballots_folder: bool = False

    @property
    def latest_ballot(self) -> Ballot | None:
        dated = sorted(self.ballots, key=lambda b: (b.deadline or b.sent, b.id))
        return dated[-1] if dated else None


def records_for(source: str | Path) -> Records:
    """Records kept beside ``source`` (a standard.md or notes.md)."""
    folder = Path(source).parent
    return _load(folder, _state(folder / COMMENTS_FOLDER) + _state(folder / BALLOTS_FOLDER))


def _state(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in yaml_files(folder))


def yaml_files(folder: Path) -> list[Path]:
    """The records of a comments/ or ballots/ folder (none when there is no such folder)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


@lru_cache(maxsize=64)
def _load(folder: Path, state: tuple) -> Records:
    records = Records(folder=folder, has_ballots_folder=(folder / BALLOTS_FOLDER).is_dir())
    for name, loader, target in ((COMMENTS_FOLDER, load_round, records.rounds),
                                 (BALLOTS_FOLDER, load_ballot, records.ballots)):
        if not (folder / name).is_dir():
            continue
        for path in yaml_files(folder / name):
            try:
                target.append(loader(path))
            except SourceError as error:
                records.errors.append(error)
    records.rounds.sort(key=lambda r: (r.closes or r.opened, r.id))
    return records
