"""Built tables shipped inside the package, so a pip user has the data offline.

Like statsmodels' datasets, the collection describes itself with ``TITLE``,
``SOURCE``, ``DESCRSHORT``, ``NOTE`` and ``CITATION``; :func:`load` returns a
:class:`Dataset` (``.data`` plus that metadata) and :func:`load_dataset`
returns the table itself, as seaborn's does, with the metadata in
``DataFrame.attrs``. The CSV files here are copies of the source checkout's
``data/processed`` built from the shipped reports. ``dangjian build`` never
writes here (a researcher's own corpus must not replace the package's data);
maintainers refresh the copies explicitly with ``make datasets``
(``python -m dangjian_analysis.datasets``).

Example::

    import dangjian_analysis as dj
    indicators = dj.load_dataset("indicators")
    indicators.attrs["citation"]
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd

from .. import __version__
from ..dictionary import dictionary_frame, read_typed_csv, table_info

TITLE = "Tables built from Chinese local Party-building (基层党建) reports"
SOURCE = (
    "Built by dangjian-analysis from published news features and government reports on local "
    "Party building (see the `outlet` and `sources` columns of the reports table). Every row points to "
    "exact character offsets in the raw report files, whose sha256 is in the reports table."
)
DESCRSHORT = "Reports, sections, paragraphs, sentences, numeral mentions, indicators, strategies and codes."
NOTE = (
    "One table per dataset name (see dataset_names()). Offsets start/end index the raw report text as a "
    "Python str: raw_text[start:end] is the span. Column meanings, types and units: "
    "dangjian_analysis.dictionary.dictionary_frame()."
)
CITATION = (
    f"dangjian-analysis developers (2026). dangjian-analysis: traceable tables from local Party-building "
    f"reports (version {__version__}) [software and data]. See CITATION.cff."
)
RIGHTS = (
    "The code is MIT-licensed. The report texts, and the excerpts of them in the tables (sentences, spans, "
    "headings, titles), remain the copyright of their publishers; they are included for research and "
    "verification. See docs/data_note.md before redistributing them."
)

#: files copied from data/processed besides the CSV tables
EXTRA_FILES = ("build_info.json",)


@dataclass
class Dataset:
    """A table with what a citation and a methods section need (statsmodels' Dataset, simplified)."""

    name: str
    data: pd.DataFrame
    title: str
    source: str
    description: str
    notes: str
    citation: str
    columns: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, {len(self.data)} rows × {len(self.data.columns)} columns: {self.title})"


def package_dir() -> Path:
    """Folder of the shipped CSV files (inside the installed package)."""
    return Path(str(resources.files(__package__)))


def dataset_names() -> list[str]:
    """Names :func:`load_dataset` accepts: the tables shipped with this version."""
    from ..export import built_tables

    return built_tables(package_dir())


def load(name: str) -> Dataset:
    """The shipped table *name* with its title, source, notes and citation."""
    path = package_dir() / f"{name}.csv"
    if not path.exists():
        raise ValueError(f"no dataset {name!r}; available: {', '.join(dataset_names())}")
    info = table_info(name)
    data = read_typed_csv(path, name)
    return Dataset(
        name=name,
        data=data,
        title=f"{info.get('title', name)} — {TITLE}",
        source=SOURCE,
        description=info.get("description", ""),
        notes=f"{NOTE} {RIGHTS}",
        citation=CITATION,
        columns=dictionary_frame({name: list(data.columns)}),
    )


def load_dataset(name: str) -> pd.DataFrame:
    """The shipped table *name* as a DataFrame; ``.attrs`` holds title, source, description, notes, citation.

    Offline and independent of the current folder: the data come from inside
    the installed package. Use :func:`dangjian_analysis.tables.load_table` for
    the tables of your own build.
    """
    ds = load(name)
    df = ds.data
    df.attrs.update(name=ds.name, title=ds.title, source=ds.source, description=ds.description,
                    notes=ds.notes, citation=ds.citation)
    return df


def _source_checkout_processed() -> Path:
    """``data/processed`` of the repository this package's source lives in (if it is a checkout)."""
    return Path(__file__).resolve().parents[2] / "data" / "processed"


def refresh_package_datasets(folder: Path, target: Path | None = None) -> list[Path]:
    """Copy the CSV tables (and build_info.json) of *folder* into the package; drop tables no longer built.

    Without *target*, this only acts when *folder* is the ``data/processed``
    of the source checkout the package is imported from: tables built
    elsewhere never change the installed package's data. Returns the files
    written.
    """
    folder = Path(folder).resolve()
    if target is None:
        if folder != _source_checkout_processed():
            return []
        target = package_dir()
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    wanted = {p.name for p in folder.glob("*.csv")} | {n for n in EXTRA_FILES if (folder / n).exists()}
    for old in target.glob("*.csv"):
        if old.name not in wanted:
            old.unlink()
    written = []
    for name in sorted(wanted):
        dest = target / name
        if not dest.exists() or dest.read_bytes() != (folder / name).read_bytes():
            shutil.copyfile(folder / name, dest)
        written.append(dest)
    return written


def main() -> int:
    """``make datasets``: copy the checkout's built tables into the package (a maintainer's explicit step)."""
    import sys

    folder = _source_checkout_processed()
    if not (folder / "build_info.json").is_file():
        print(f"error: {folder}: no built tables here; run this in a source checkout after `dangjian build`",
              file=sys.stderr)
        return 2
    written = refresh_package_datasets(folder)
    print(f"{len(written)} file(s) in {package_dir()} now match {folder}")
    return 0
