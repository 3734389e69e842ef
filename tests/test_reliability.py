"""Reliability statistics against published and hand-computed examples."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dangjian_analysis.reliability import alpha_nominal, bootstrap_alpha, cohen_kappa, pairwise, scores, standard

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C (nominal data,
# four observers, twelve units, missing values): alpha = 0.743
KRIPPENDORFF_2011 = [[1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
                     [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN]]


def test_alpha_matches_the_published_worked_example():
    assert round(alpha_nominal(np.array(KRIPPENDORFF_2011)), 3) == 0.743


def test_alpha_of_two_coders_computed_by_hand():
    # units (a,a) (a,a) (b,b) (a,b); coincidences o_aa = 4, o_bb = 2, o_ab = o_ba = 1; n_a = 5, n_b = 3, n = 8
    # alpha = 1 - (n - 1) * (o_ab + o_ba) / (n_a * n_b + n_b * n_a) = 1 - 7 * 2 / 30
    data = np.array([[0, 0, 1, 0], [0, 0, 1, 1]], dtype=float)
    assert math.isclose(alpha_nominal(data), 1 - 14 / 30)


def test_kappa_matches_a_hand_computed_table():
    # table [[20, 5], [10, 15]]: p_o = 0.7, p_e = (25*30 + 25*20) / 50**2 = 0.5, kappa = 0.4
    a = pd.Series(["x"] * 25 + ["y"] * 25)
    b = pd.Series(["x"] * 20 + ["y"] * 5 + ["x"] * 10 + ["y"] * 15)
    assert math.isclose(cohen_kappa(a, b)["kappa"], 0.4)


def test_standard_follows_krippendorffs_thresholds():
    assert [standard(x) for x in (0.85, 0.8, 0.7, 0.667, 0.5, NAN)] == \
        ["reliable", "reliable", "tentative", "tentative", "exploratory", "undefined"]


def _long(codes: list[str], coder: str) -> pd.DataFrame:
    return pd.DataFrame({"row_id": [f"r:s{i}" for i in range(len(codes))], "dimension": "theme", "code": codes,
                         "coder": coder, "note": ""})


def test_pairwise_gives_alpha_with_a_reproducible_bootstrap_interval():
    rng = np.random.default_rng(3)
    a = list(rng.choice(["p", "q", "r"], 120))
    b = [x if rng.random() < 0.8 else "p" for x in a]
    one = pairwise(_long(a, "A"), _long(b, "B"), "sentences", seed=1, draws=300)
    two = pairwise(_long(a, "A"), _long(b, "B"), "sentences", seed=1, draws=300)
    pd.testing.assert_frame_equal(one, two)
    row = one.iloc[0]
    assert row["n_units"] == 120 and row["alpha_low"] < row["alpha"] < row["alpha_high"]
    assert math.isclose(row["percent_agree"], 100 * np.mean(np.array(a) == np.array(b)))


def test_multi_label_codes_compare_as_sets():
    a = _long(["p|q", "q", "r"], "A").assign(dimension="themes")
    b = _long(["q|p", "q", "q"], "B").assign(dimension="themes")
    assert pairwise(a, b, "sentences", draws=10).iloc[0]["percent_agree"] == round(200 / 3, 6)


def test_precision_recall_and_confusion_per_report_and_overall():
    true = pd.Series(["a", "a", "b", "b", "a"])
    pred = pd.Series(["a", "b", "b", "b", "a"])
    reports = pd.Series(["r1", "r1", "r1", "r2", "r2"])
    s, c = scores(true, pred, "sentences", "theme", "model", reports)
    overall = s[(s["report_id"] == "all")].set_index("code")
    assert math.isclose(overall.loc["a", "precision"], 1.0) and math.isclose(overall.loc["a", "recall"], 2 / 3)
    assert math.isclose(overall.loc["b", "precision"], 2 / 3) and math.isclose(overall.loc["b", "recall"], 1.0)
    r1 = s[s["report_id"] == "r1"].set_index("code")
    assert math.isclose(r1.loc["a", "recall"], 0.5)
    pooled = c[c["report_id"] == "all"].set_index(["true_code", "predicted_code"])["n"]
    assert pooled.to_dict() == {("a", "a"): 2, ("a", "b"): 1, ("b", "b"): 2}


def test_bootstrap_of_one_unit_is_undefined():
    assert all(math.isnan(x) for x in bootstrap_alpha(np.array([[0.0], [1.0]])))
