"""A 17-report corpus as a researcher's first real one looks builds end to end, unknowns kept unknown.

Made by ``synthetic.varied_corpus`` from the fixture corpus: the real reports
(one with year and division code unknown) and recombined reports described
the way ``dangjian init`` leaves them, partly filled in: unknown years, no
division codes, community- and village-level reports, ``extra`` fields.
"""
from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis import figures
from dangjian_analysis.notebooks import execute_notebook, notebook_paths
from dangjian_analysis.plots import group_labels
from dangjian_analysis.synthetic import varied_corpus
from dangjian_analysis.tables import load_table

from conftest import CODES, OVERRIDES, RAW, ROOT


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("varied")
    varied_corpus(RAW, root / "data" / "raw", n_reports=17)
    shutil.copytree(OVERRIDES, root / "data" / "overrides")
    shutil.copytree(CODES, root / "data" / "codes")  # the shipped reports keep their ids and hand codes
    dj.build_tables(root)
    return root


@pytest.fixture(scope="module")
def meta(project) -> list[dict]:
    return yaml.safe_load((project / "data" / "raw" / "reports.yaml").read_text(encoding="utf-8"))["reports"]


def test_the_corpus_is_as_messy_as_a_real_one(project, meta):
    assert len(list((project / "data" / "raw").glob("*.txt"))) == len(meta) == 17
    assert sum(e["year"] is None for e in meta) >= 3
    assert sum(not e.get("division_code") for e in meta) >= 3
    assert {"community", "village"} <= {e["admin_level"] for e in meta}
    assert any(e.get("extra") for e in meta)
    assert dj.check_corpus(project / "data" / "raw") == []


def test_unknowns_stay_unknown_in_the_tables(project, meta):
    processed = project / "data" / "processed"
    reports = load_table("reports", processed).set_index("report_id")
    by_id = {e["report_id"]: e for e in meta}
    assert sorted(reports.index) == sorted(by_id)
    for rid, row in reports.iterrows():
        entry = by_id[rid]
        assert pd.isna(row["year"]) if entry["year"] is None else row["year"] == entry["year"]
        assert row["division_code"] == (entry.get("division_code") or "")
        assert json.loads(row["extra"]) == (entry.get("extra") or {})
    assert reports["year"].isna().sum() == sum(e["year"] is None for e in meta)
    text = (processed / "reports.csv").read_text(encoding="utf-8-sig")
    assert ",None," not in text and ",nan," not in text
    quality = load_table("quality", processed)
    flagged = set(quality.loc[quality["issue"] == "region_context_missing", "report_id"])
    assert flagged == set(reports.index[reports["population_2020"].isna()])
    assert flagged >= {rid for rid, e in by_id.items() if not e.get("division_code")}


def test_every_span_is_raw_text(project):
    processed = project / "data" / "processed"
    files = load_table("reports", processed).set_index("report_id")["file"]
    texts = {rid: (project / "data" / "raw" / f).read_text(encoding="utf-8") for rid, f in files.items()}
    for name in ("mentions", "indicators", "strategies", "quality"):
        df = load_table(name, processed)
        assert all(texts[r][s:e] == span for r, s, e, span in zip(df["report_id"], df["start"], df["end"], df["span"]))


def test_figures_draw_with_nd_labels(project, tmp_path):
    tables = figures.load_tables(project / "data" / "processed")
    labels = group_labels(tables["reports"], "report_id").tolist()
    assert any(lab.endswith("(n.d.)") for lab in labels)
    assert not [lab for lab in labels if "nan" in lab.lower() or "<na>" in lab.lower() or "None" in lab]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        written = figures.make_all_figures(tmp_path, tables=tables)
    assert len(written) == 3 * len(figures.FIGURES)
    assert not [w for w in record if "Glyph" in str(w.message) and "missing" in str(w.message)]


@pytest.mark.parametrize("path", notebook_paths(ROOT), ids=[p.stem for p in notebook_paths(ROOT)])
def test_notebooks_run_on_it(path, project, tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_ROOT", str(project))
    execute_notebook(path, tmp_path)
