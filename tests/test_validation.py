"""Validation tables of a build: coders' reliability and the automated coders on held-out reports."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from dangjian_analysis.autocoder import CHOICE_FILE, HELDOUT_FILE
from dangjian_analysis.tables import write_csv
from dangjian_analysis.validation import validation_tables


def _coder(codes: list[str], name: str) -> pd.DataFrame:
    return pd.DataFrame({"row_id": [f"r:s{i}" for i in range(len(codes))] + ["r:i5"], "dimension":
                         ["theme"] * len(codes) + ["subject_type"], "code": codes + ["funds"], "coder": name,
                         "note": ""})


def test_build_validation_tables_from_the_coders_and_the_held_out_predictions(tmp_path: Path):
    codes, training = tmp_path / "codes", tmp_path / "training"
    a = ["mass_services", "cadres_talent", "mass_services", "none"] * 5
    b = a[:-2] + ["cadres_talent", "none"]
    write_csv(_coder(a, "A"), codes / "coder_a.csv")
    write_csv(_coder(b, "B"), codes / "coder_b.csv")
    held = pd.DataFrame({"table": "sentences", "dimension": "theme", "row_id": ["r:s0", "r:s1", "q:s0", "q:s1"],
                         "report_id": ["r", "r", "q", "q"], "true": ["x", "y", "x", "y"],
                         "model": ["x", "y", "x", "x"], "rule": ["y", "y", "x", "none"]})
    write_csv(held, training / HELDOUT_FILE)
    write_csv(pd.DataFrame([dict(table="sentences", dimension="theme", coder="model", n_rows=4, n_reports=2,
                                 kappa_model=0.5, kappa_rule=0.0, codebook_version="t")]), training / CHOICE_FILE)
    out = validation_tables(codes, training)
    rel = out["reliability"].set_index(["table", "dimension"])
    assert rel.loc[("sentences", "theme"), "n_units"] == 20
    assert math.isclose(rel.loc[("sentences", "theme"), "percent_agree"], 95.0)
    assert rel.loc[("indicators", "subject_type"), "standard"] == "undefined"  # one category: alpha undefined
    scores = out["coder_scores"]
    model_all = scores[(scores["coder"] == "model") & (scores["report_id"] == "all")].set_index("code")
    assert math.isclose(model_all.loc["x", "precision"], 2 / 3) and math.isclose(model_all.loc["y", "recall"], 0.5)
    assert set(out["coder_confusion"]["report_id"]) == {"all", "q", "r"}
    assert out["coder_choice"]["coder"].tolist() == ["model"]


def test_no_coders_and_no_training_give_empty_tables(tmp_path: Path):
    out = validation_tables(tmp_path / "none", tmp_path / "none")
    assert all(df.empty for df in out.values())
