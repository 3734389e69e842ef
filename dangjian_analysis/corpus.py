"""Load a folder of reports: bytes, sha256, strict UTF-8 text, validated metadata.

The raw report is immutable: ``Report.text`` is the file's bytes decoded as
UTF-8 with nothing changed, and every offset in every table indexes it.
"""
from __future__ import annotations

import csv
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import pandas as pd

from .decoding import decode_report
from .errors import CorpusError, CorpusErrors
from .metadata import DIVISION_CODE, METADATA_FILE, REGIONS_FILE, Entry, check_inside, default_entry, resolve_file, scan_metadata


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


def safe_folder(folder: Path | str) -> Path:
    """*folder* resolved, or a CorpusError when it does not exist or is a file."""
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
    expected = entry.fields.get("sha256")
    actual = hashlib.sha256(data).hexdigest() if expected else None
    if actual != expected:
        raise CorpusError(path, f"the file has changed since its entry was written: its sha256 is "
                                f"{actual}, {METADATA_FILE} (line {entry.line}) says "
                                f"{expected}; check the file, then correct or remove the sha256")
    text = decode_report(path, data)
    return Report(entry.report_id, path, data, text, entry.fields)


def _number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def scan_regions(folder: Path) -> tuple[pd.DataFrame, list[CorpusError]]:
    """Region context (census population, area, with sources) from ``regions.csv``, and every problem in it.

    Codes have 6 or 12 digits and are unique (a code listed twice would double a report's row in the join);
    population and area are positive numbers, or empty when not known.
    """
    path = folder / REGIONS_FILE
    empty = pd.DataFrame({"division_code": pd.Series(dtype=str), "population_2020": pd.Series(dtype=float),
                          "area_km2": pd.Series(dtype=float)})
    if not path.exists():
        return empty, []
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            columns = reader.fieldnames or []
            rows = [(reader.line_num, row) for row in reader]
    except UnicodeDecodeError as exc:
        return empty, [CorpusError(path, f"not UTF-8 (byte {exc.start}); save it as UTF-8")]
    except (OSError, csv.Error) as exc:
        return empty, [CorpusError(path, f"cannot read the region table: {exc}")]
    need = ["division_code", "population_2020", "area_km2"]
    missing = [c for c in need if c not in columns]
    if missing:
        return empty, [CorpusError(path, f"region table lacks column(s): {', '.join(missing)}", 1)]
    problems: list[CorpusError] = []
    first: dict[str, int] = {}
    records = []
    for line, row in rows:
        if None in row:
            problems.append(CorpusError(path, f"more cells than the {len(columns)} columns of the header", line))
            continue
        code = (row["division_code"] or "").strip()
        if not re.fullmatch(DIVISION_CODE, code):
            problems.append(CorpusError(path, f"division_code {code!r} is not a code of 6 or 12 digits", line))
        elif code in first:
            problems.append(CorpusError(path, f"division_code {code} is listed twice (first on line {first[code]})",
                                        line))
        else:
            first[code] = line
        record = {c: (row[c] if row[c] not in (None, "") else None) for c in columns}
        record["division_code"] = code
        for col in ("population_2020", "area_km2"):
            text = (row[col] or "").strip()
            number = _number(text) if text else None
            if text and (number is None or number <= 0):
                problems.append(CorpusError(path, f"{col} {text!r} must be a positive number, or empty when not "
                                                  "known", line))
            record[col] = number
        records.append(record)
    df = pd.DataFrame(records, columns=columns) if records else empty
    df = df.astype({"population_2020": float, "area_km2": float})
    return df, problems


@dataclass(frozen=True)
class Plan:
    """A corpus folder surveyed without reading its reports: (file, entry) pairs, regions, every problem."""

    root: Path
    pairs: list[tuple[Path, Entry]]
    regions: pd.DataFrame = field(repr=False)
    problems: list[CorpusError] = field(default_factory=list)


def _listed_files(root: Path, meta_path: Path) -> tuple[list[tuple[Path, Entry]], list[CorpusError]]:
    meta = scan_metadata(meta_path)
    problems = list(meta.problems)
    pairs = []
    for entry in meta.entries:
        try:
            pairs.append((resolve_file(meta_path, entry), entry))
        except CorpusError as exc:
            problems.append(exc)
    if meta.problems and not meta.entries:
        return pairs, problems  # the file could not be read: every report would look unlisted
    listed = {p for p, _ in pairs} | {(root / name).resolve() for name in meta.files}
    stray = sorted(p for p in root.glob("*.txt") if p.resolve() not in listed)
    if stray:
        names = ", ".join(p.name for p in stray[:5]) + (" …" if len(stray) > 5 else "")
        problems.append(CorpusError(meta_path, f"{len(stray)} report file(s) in the folder have no metadata entry: "
                                               f"{names} (`dangjian init` writes entries for them)"))
    dup = {p for p, n in Counter(p for p, _ in pairs).items() if n > 1}
    if dup:
        problems.append(CorpusError(meta_path, f"file(s) listed by more than one entry: "
                                               f"{', '.join(sorted(p.name for p in dup))}"))
    return pairs, problems


def _unlisted_files(root: Path) -> tuple[list[tuple[Path, Entry]], list[CorpusError]]:
    problems, pairs = [], []
    for p in sorted(root.glob("*.txt")):
        try:
            check_inside(root, p)
            pairs.append((p, default_entry(p)))
        except CorpusError as exc:
            problems.append(exc)
    dups = sorted(i for i, n in Counter(e.report_id for _, e in pairs).items() if n > 1)
    if dups:
        problems.append(CorpusError(root, f"file names give duplicate report ids: {', '.join(dups)}; "
                                          f"add a {METADATA_FILE} (`dangjian init` writes one)"))
    return pairs, problems


def survey_corpus(folder: Path | str) -> Plan:
    """Every problem of the metadata, the file list and the region table of *folder*, without reading reports.

    The single validation behind both ``dangjian check`` and ``dangjian build``.
    """
    root = safe_folder(folder)
    meta_path = root / METADATA_FILE
    pairs, problems = _listed_files(root, meta_path) if meta_path.exists() else _unlisted_files(root)
    regions, region_problems = scan_regions(root)
    problems += region_problems
    if not pairs and not problems:
        problems.append(CorpusError(root, f"no reports: the folder has no {METADATA_FILE} entries and no .txt "
                                          "files"))
    return Plan(root, pairs, regions, problems)


def plan_corpus(folder: Path | str) -> Plan:
    """The survey of *folder*; raise CorpusErrors listing every problem if there is any."""
    plan = survey_corpus(folder)
    if plan.problems:
        raise CorpusErrors(plan.problems)
    return plan


def load_corpus(folder: Path | str) -> Corpus:
    """Load every report of *folder* (with ``reports.yaml`` if present); raise on the first bad file."""
    plan = plan_corpus(folder)
    reports = tuple(read_report(path, entry) for path, entry in plan.pairs)
    return Corpus(plan.root, reports, plan.regions)


def check_corpus(folder: Path | str) -> list[CorpusError]:
    """Every problem of a corpus folder (not only the first), for ``dangjian check``: what ``build`` refuses."""
    try:
        plan = survey_corpus(folder)
    except CorpusError as exc:
        return [exc]
    problems = list(plan.problems)
    for path, entry in plan.pairs:
        try:
            read_report(path, entry)
        except CorpusError as exc:
            problems.append(exc)
    return problems
