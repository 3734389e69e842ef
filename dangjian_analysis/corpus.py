"""Load a folder of reports: bytes, sha256, strict UTF-8 text, validated metadata.

The raw report is immutable: ``Report.text`` is the file's bytes decoded as
UTF-8 with nothing changed, and every offset in every table indexes it.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .decoding import decode_report
from .errors import CorpusError, CorpusErrors
from .metadata import METADATA_FILE, REGIONS_FILE, Entry, check_inside, default_entry, read_metadata, resolve_file


@dataclass(frozen=True)
class Report:
    """One raw report with its metadata."""

    report_id: str
    path: Path
    raw_bytes: bytes = field(repr=False)
    text: str = field(repr=False)
    meta: dict[str, Any] = field(repr=False)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw_bytes).hexdigest()


@dataclass(frozen=True)
class Corpus:
    """The reports of one folder, in metadata order, plus region context."""

    folder: Path
    reports: tuple[Report, ...]
    regions: pd.DataFrame = field(repr=False)

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __getitem__(self, report_id: str) -> Report:
        for r in self.reports:
            if r.report_id == report_id:
                return r
        raise KeyError(report_id)

    @property
    def ids(self) -> list[str]:
        return [r.report_id for r in self.reports]


def _safe_folder(folder: Path | str) -> Path:
    path = Path(folder)
    if not path.exists():
        raise CorpusError(path, "corpus folder does not exist")
    if not path.is_dir():
        raise CorpusError(path, "expected a folder of .txt reports, got a file")
    return path.resolve()


def read_report(path: Path, entry: Entry) -> Report:
    """Read and decode one report file (raises CorpusError naming the file)."""
    try:
        data = path.read_bytes()
    except OSError as exc:  # unreadable, a folder, a dangling link: say so instead of a traceback
        raise CorpusError(path, f"cannot read the file: {exc.strerror or exc}") from None
    text = decode_report(path, data)
    return Report(entry.report_id, path, data, text, entry.fields)


def load_regions(folder: Path) -> pd.DataFrame:
    """Region context (census population, area, with sources) from ``regions.csv``, if present."""
    path = folder / REGIONS_FILE
    if not path.exists():
        return pd.DataFrame(columns=["division_code", "population_2020", "area_km2"])
    try:
        df = pd.read_csv(path, dtype={"division_code": str}, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CorpusError(path, f"cannot read region table: {exc}") from None
    need = {"division_code", "population_2020", "area_km2"}
    if not need <= set(df.columns):
        raise CorpusError(path, f"region table lacks column(s): {', '.join(sorted(need - set(df.columns)))}")
    return df


def plan_corpus(folder: Path | str) -> tuple[Path, list[tuple[Path, Entry]]]:
    """Validate the metadata of *folder* and list (file, entry) pairs without reading the reports."""
    root = _safe_folder(folder)
    meta_path = root / METADATA_FILE
    if meta_path.exists():
        entries = read_metadata(meta_path)
        pairs = [(resolve_file(meta_path, e), e) for e in entries]
        listed = {p for p, _ in pairs}
        stray = sorted(p for p in root.glob("*.txt") if p.resolve() not in listed)
        if stray:
            names = ", ".join(p.name for p in stray[:5]) + (" …" if len(stray) > 5 else "")
            raise CorpusError(meta_path, f"{len(stray)} report file(s) in the folder have no metadata entry: {names}")
        dup = {p for p, n in Counter(p for p, _ in pairs).items() if n > 1}
        if dup:
            raise CorpusError(meta_path, f"file(s) listed by more than one entry: {', '.join(sorted(p.name for p in dup))}")
    else:
        files = sorted(root.glob("*.txt"))
        for p in files:
            check_inside(root, p)
        pairs = [(p, default_entry(p)) for p in files]
        dups = sorted(i for i, n in Counter(e.report_id for _, e in pairs).items() if n > 1)
        if dups:
            raise CorpusError(root, f"file names give duplicate report ids: {', '.join(dups)}; add a {METADATA_FILE}")
    if not pairs:
        raise CorpusError(root, f"no reports: the folder has no {METADATA_FILE} entries and no .txt files")
    return root, pairs


def load_corpus(folder: Path | str) -> Corpus:
    """Load every report of *folder* (with ``reports.yaml`` if present); raise on the first bad file."""
    root, pairs = plan_corpus(folder)
    reports = tuple(read_report(path, entry) for path, entry in pairs)
    return Corpus(root, reports, load_regions(root))


def check_corpus(folder: Path | str) -> list[CorpusError]:
    """Every problem of a corpus folder (not only the first), for ``dangjian check``."""
    try:
        root, pairs = plan_corpus(folder)
    except CorpusError as exc:
        return [exc]
    problems: list[CorpusError] = []
    for path, entry in pairs:
        try:
            read_report(path, entry)
        except CorpusError as exc:
            problems.append(exc)
    try:
        load_regions(root)
    except CorpusError as exc:
        problems.append(exc)
    return problems


def require_clean(folder: Path | str) -> None:
    """Raise CorpusErrors listing every problem of *folder*, if any."""
    problems = check_corpus(folder)
    if problems:
        raise CorpusErrors(problems)
