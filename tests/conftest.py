"""Shared fixtures: the project root, its raw corpus, and a fresh copy to break."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
PROCESSED = ROOT / "data" / "processed"


@pytest.fixture(scope="session")
def corpus():
    import dangjian_analysis as dj

    return dj.load_corpus(RAW)


@pytest.fixture()
def raw_copy(tmp_path: Path) -> Path:
    """A writable copy of data/raw inside a fresh project folder."""
    dest = tmp_path / "project" / "data" / "raw"
    shutil.copytree(RAW, dest)
    return dest
