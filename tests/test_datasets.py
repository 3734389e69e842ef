"""Tables shipped inside the package: offline, self-describing, the build of the shipped reports."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile

import pandas as pd
import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis import datasets
from dangjian_analysis.dictionary import read_typed_csv

from conftest import PROCESSED, RAW, ROOT, shipped_corpus


def _same_tables(folder, other) -> None:
    names = sorted(p.name for p in folder.glob("*.csv"))
    assert names == sorted(p.name for p in other.glob("*.csv"))
    for name in names + ["build_info.json"]:
        assert (folder / name).read_bytes() == (other / name).read_bytes(), name


def test_package_datasets_are_the_build_of_the_shipped_reports(built):
    """The fixture corpus is a copy of the shipped one: `make datasets` after a rebuild refreshes both."""
    _same_tables(datasets.package_dir(), built)


@shipped_corpus
def test_package_copies_are_identical_to_data_processed():
    _same_tables(datasets.package_dir(), PROCESSED)  # else: `dangjian build`, then `make datasets`


def test_build_never_writes_into_the_package(tmp_path):
    from dangjian_analysis.build import build

    from conftest import make_project

    before = {p.name: p.read_bytes() for p in datasets.package_dir().iterdir() if p.is_file()}
    root = make_project(tmp_path, overrides=None)
    first = sorted(root.joinpath("data", "raw").glob("*.txt"))[0]
    (root / "data" / "raw" / "reports.yaml").unlink()  # a researcher's own corpus: one report, no metadata
    for p in root.joinpath("data", "raw").glob("*.txt"):
        if p != first:
            p.unlink()
    build(root)
    assert {p.name: p.read_bytes() for p in datasets.package_dir().iterdir() if p.is_file()} == before


def test_load_dataset_is_offline_and_describes_itself(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no project here: the data must come from the package
    monkeypatch.setenv("DANGJIAN_ROOT", str(tmp_path))
    assert set(dj.dataset_names()) >= {"reports", "sentences"}
    for name in dj.dataset_names():
        df = dj.load_dataset(name)
        assert isinstance(df, pd.DataFrame) and (len(df) > 0 or name == "override_problems")  # none is good news
        for key in ("title", "source", "notes", "citation", "description"):
            assert df.attrs[key], (name, key)
        pd.testing.assert_frame_equal(df, read_typed_csv(datasets.package_dir() / f"{name}.csv"))


def test_statsmodels_style_dataset():
    ds = datasets.load("reports")
    assert ds.data["report_id"].is_unique
    assert ds.data["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert set(ds.columns["column"]) == set(ds.data.columns)
    assert "reports" in repr(ds)
    for const in (datasets.TITLE, datasets.SOURCE, datasets.DESCRSHORT, datasets.NOTE, datasets.CITATION):
        assert isinstance(const, str) and const


def test_unknown_dataset_names_the_available_ones():
    with pytest.raises(ValueError, match="reports"):
        dj.load_dataset("no_such_table")


def test_refresh_copies_and_prunes(tmp_path, built):
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "stale.csv").write_text("a\n1\n", encoding="utf-8")
    written = datasets.refresh_package_datasets(built, target)
    assert not (target / "stale.csv").exists()
    assert sorted(p.name for p in target.glob("*.csv")) == sorted(p.name for p in built.glob("*.csv"))
    assert target / "build_info.json" in written


def test_a_build_elsewhere_never_touches_the_package(tmp_path):
    (tmp_path / "reports.csv").write_text("report_id\nx\n", encoding="utf-8-sig")
    before = {p.name: p.read_bytes() for p in datasets.package_dir().glob("*.csv")}
    assert datasets.refresh_package_datasets(tmp_path) == []
    assert {p.name: p.read_bytes() for p in datasets.package_dir().glob("*.csv")} == before


def test_wheel_ships_the_datasets(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True)
    wheel = next(tmp_path.glob("dangjian_analysis-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dangjian_analysis/data_dictionary.yaml" in names
    for p in datasets.package_dir().glob("*.csv"):
        assert f"dangjian_analysis/datasets/{p.name}" in names


def test_citation_file_matches_the_package():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"].startswith("1.2")
    assert cff["version"] == dj.__version__
    assert cff["license"] == "MIT"
    assert cff["title"] and cff["authors"] and cff["message"]
    assert dj.__version__ in datasets.CITATION


def test_data_note_names_every_outlet():
    note = (ROOT / "docs" / "data_note.md").read_text(encoding="utf-8")
    meta = yaml.safe_load((RAW / "reports.yaml").read_text(encoding="utf-8"))
    for report in meta["reports"]:
        outlet = report["outlet"].split(" (")[0]
        assert outlet in note, outlet


def test_make_datasets_refreshes_the_package_from_the_checkout(tmp_path, monkeypatch, built, capsys):
    processed, target = tmp_path / "processed", tmp_path / "package"
    shutil.copytree(built, processed)
    target.mkdir()
    monkeypatch.setattr(datasets, "_source_checkout_processed", lambda: processed)
    monkeypatch.setattr(datasets, "package_dir", lambda: target)
    assert datasets.main() == 0
    _same_tables(target, processed)
    (processed / "build_info.json").unlink()  # nothing built here: refuse, one line
    assert datasets.main() == 2
    assert "dangjian build" in capsys.readouterr().err
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\ndatasets:", 1)[1].split("\n\n", 1)[0]
    assert "python -m dangjian_analysis.datasets" in recipe
