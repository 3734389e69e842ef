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


def test_misclassification_draws_follow_the_confusion_and_keep_hand_codes():
    from dangjian_analysis.reliability import misclassification_draw

    codes = pd.Series(["a"] * 2000 + ["b"] * 10)
    by = pd.Series(["model"] * 2000 + ["hand"] * 10)
    # held out: the coder's "a" is really "a" 80 times and "b" 20 times
    confusion = pd.DataFrame({"true_code": ["a", "b", "b"], "predicted_code": ["a", "a", "b"], "n": [80, 20, 50]})
    draw = misclassification_draw(codes, by, confusion, np.random.default_rng(0))
    assert (draw.iloc[2000:] == "b").all()  # hand codes are kept
    share_b = (draw.iloc[:2000] == "b").mean()
    assert 0.1 < share_b < 0.32  # about 20/100, with the posterior's spread
    again = misclassification_draw(codes, by, confusion, np.random.default_rng(0))
    assert draw.equals(again)


def test_alpha_equals_the_krippendorff_package_on_random_data_with_missing_codes():
    import krippendorff

    rng = np.random.default_rng(11)
    for n_cat in (2, 5, 40):
        data = rng.integers(0, n_cat, (3, 80)).astype(float)
        data[1, :45] = data[0, :45]
        data[2, rng.random(80) < 0.4] = np.nan  # missing codes, and units only one coder coded
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        assert math.isclose(alpha_nominal(data), expected, abs_tol=1e-12)


def test_the_bootstrap_interval_resamples_units():
    rng = np.random.default_rng(11)
    data = rng.integers(0, 5, (2, 60)).astype(float)
    data[1, :35] = data[0, :35]
    draws, seed = 200, 4
    again = np.random.default_rng(seed)
    stats = np.array([alpha_nominal(data[:, again.integers(0, 60, 60)]) for _ in range(draws)])
    low, high = bootstrap_alpha(data, draws, seed)
    assert math.isclose(low, float(np.quantile(stats, 0.025)), abs_tol=1e-12)
    assert math.isclose(high, float(np.quantile(stats, 0.975)), abs_tol=1e-12)
