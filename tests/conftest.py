"""Shared fixtures: the fixture corpus, a build of it, and a fresh copy to break.

Tests run on the fixture corpora in ``tests/fixtures``, never on whatever
``data/raw`` holds: a researcher adds reports there. Only the tests marked
``shipped_corpus`` look at ``data/raw`` and ``data/processed``, and they are
skipped when ``data/raw`` is not the shipped corpus (its report files' sha256
differ from the fixture's).
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
#: the fixture corpus: a copy of the shipped reports, their metadata, region table and hand codes
RAW = FIXTURES / "corpus" / "raw"
OVERRIDES = FIXTURES / "corpus" / "overrides"
CODES = FIXTURES / "corpus" / "codes"
#: the project's own corpus and tables, as a researcher may have changed them
PROJECT_RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"


def report_hashes(folder: Path) -> list[str]:
    """Sorted sha256 of the ``.txt`` files of *folder*."""
    return sorted(hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*.txt"))


def is_shipped_corpus() -> bool:
    """True when ``data/raw`` holds exactly the shipped reports (checked by sha256)."""
    return PROJECT_RAW.is_dir() and report_hashes(PROJECT_RAW) == report_hashes(RAW)


#: for tests about the shipped corpus and the tables committed from it
shipped_corpus = pytest.mark.skipif(
    not is_shipped_corpus(),
    reason="data/raw is not the shipped corpus (its .txt files' sha256 differ from tests/fixtures/corpus/raw); "
           "this test checks the tables committed from the shipped reports",
)


def make_project(root: Path, raw: Path = RAW, overrides: Path | None = OVERRIDES,
                 codes: Path | None = CODES) -> Path:
    """A project folder at *root* holding a copy of *raw* as ``data/raw`` (and hand codes); returns *root*."""
    shutil.copytree(raw, root / "data" / "raw")
    if overrides is not None:
        shutil.copytree(overrides, root / "data" / "overrides")
    if codes is not None:
        shutil.copytree(codes, root / "data" / "codes")
    return root


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """``data/processed`` of the fixture corpus, built once per test session (and per xdist worker)."""
    from dangjian_analysis.build import build

    root = make_project(tmp_path_factory.mktemp("fixture_project"))
    build(root)
    return root / "data" / "processed"


@pytest.fixture(scope="session")
def corpus():
    import dangjian_analysis as dj

    return dj.load_corpus(RAW)


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture corpus as ``data/raw`` of a fresh project folder."""
    return make_project(tmp_path / "project", overrides=None) / "data" / "raw"
