"""Reliability of codes: between two blind coders, and of an automated coder against adjudicated codes.

Standards used (Krippendorff 2004, *Content Analysis*, ch. 11): α ≥ 0.800 is
reliable, 0.667 ≤ α < 0.800 allows tentative conclusions only, and below
0.667 a dimension is exploratory. α (nominal) comes from the ``krippendorff``
package; its 95% interval is a percentile bootstrap over coded units with a
fixed seed. Cohen's κ (statsmodels) is given beside it because most readers
know it. The automated coder is judged by per-code precision, recall and F1
(scikit-learn) and a confusion matrix, per report and overall.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

#: Krippendorff's thresholds for α
RELIABLE, TENTATIVE = 0.800, 0.667
BOOTSTRAP_DRAWS = 1000
ALPHA_COLUMNS = ["table", "dimension", "n_units", "n_categories", "percent_agree", "alpha", "alpha_low",
                 "alpha_high", "kappa", "kappa_low", "kappa_high", "standard"]
SCORE_COLUMNS = ["table", "dimension", "coder", "report_id", "code", "n_true", "n_pred", "precision", "recall",
                 "f1"]
CONFUSION_COLUMNS = ["table", "dimension", "coder", "report_id", "true_code", "predicted_code", "n"]


def standard(alpha: float) -> str:
    """Krippendorff's reading of α: reliable, tentative or exploratory (undefined when α is NaN)."""
    if alpha is None or np.isnan(alpha):
        return "undefined"
    return "reliable" if alpha >= RELIABLE else "tentative" if alpha >= TENTATIVE else "exploratory"


def _matrix(a: pd.Series, b: pd.Series) -> tuple[np.ndarray, list[str]]:
    cats = sorted(set(a) | set(b))
    index = {c: i for i, c in enumerate(cats)}
    data = np.array([[index[x] for x in a], [index[x] for x in b]], dtype=float)
    return data, cats


def alpha_nominal(data: np.ndarray) -> float:
    """Krippendorff's α for nominal data; *data* is coders × units, NaN where a coder gave no code."""
    import krippendorff

    data = np.asarray(data, dtype=float)
    values = data[~np.isnan(data)]
    if data.shape[1] == 0 or len(np.unique(values)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def bootstrap_alpha(data: np.ndarray, draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> tuple[float, float]:
    """Percentile 95% interval of α from resampling units (columns) with replacement."""
    rng = np.random.default_rng(seed)
    n = data.shape[1]
    if n < 2:
        return float("nan"), float("nan")
    stats = np.array([alpha_nominal(data[:, rng.integers(0, n, n)]) for _ in range(draws)])
    stats = stats[~np.isnan(stats)]
    if not len(stats):
        return float("nan"), float("nan")
    return float(np.quantile(stats, 0.025)), float(np.quantile(stats, 0.975))


def cohen_kappa(a: pd.Series, b: pd.Series) -> dict[str, float]:
    """Cohen's κ with its asymptotic 95% interval (statsmodels) for two coders' codes of the same units."""
    from statsmodels.stats.inter_rater import cohens_kappa

    data, cats = _matrix(a, b)
    table = np.zeros((len(cats), len(cats)))
    for i, j in data.T.astype(int):
        table[i, j] += 1
    n = table.sum()
    expected = float((table.sum(0) * table.sum(1)).sum() / n ** 2) if n else 1.0
    if n == 0 or np.isclose(expected, 1.0):
        return dict(kappa=np.nan, kappa_low=np.nan, kappa_high=np.nan)
    res = cohens_kappa(table)
    return dict(kappa=float(res.kappa), kappa_low=float(res.kappa_low), kappa_high=float(res.kappa_upp))


def pairwise(codes_a: pd.DataFrame, codes_b: pd.DataFrame, table: str, seed: int = 0,
             draws: int = BOOTSTRAP_DRAWS) -> pd.DataFrame:
    """α (with bootstrap interval) and κ per dimension for two coders' long files (row_id, dimension, code).

    Only units both coders coded count (``none`` is a category). Multi-label
    dimensions (a ``|`` in a code) are compared as whole sets.
    """
    rows = []
    merged = codes_a.merge(codes_b, on=["row_id", "dimension"], suffixes=("_a", "_b"))
    for dim, sub in merged.groupby("dimension", sort=True):
        a, b = sub["code_a"].map(_canonical), sub["code_b"].map(_canonical)
        data, cats = _matrix(a, b)
        alpha = alpha_nominal(data)
        low, high = bootstrap_alpha(data, draws, seed)
        rows.append(dict(table=table, dimension=dim, n_units=len(sub), n_categories=len(cats),
                         percent_agree=round(100 * float((a.to_numpy() == b.to_numpy()).mean()), 6),
                         alpha=alpha, alpha_low=low, alpha_high=high, **cohen_kappa(a, b), standard=standard(alpha)))
    return pd.DataFrame(rows, columns=ALPHA_COLUMNS)


def _canonical(code: str) -> str:
    return "|".join(sorted(str(code).split("|")))


def scores(true: pd.Series, pred: pd.Series, table: str, dimension: str, coder: str,
           report_ids: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-code precision, recall and F1 and the confusion counts of *pred* against *true*, per report and overall.

    ``report_id`` is ``all`` for the pooled rows. Codes absent from both sides
    of a report are not listed for it.
    """
    from sklearn.metrics import precision_recall_fscore_support

    score_rows, conf_rows = [], []
    frame = pd.DataFrame({"true": true.astype(str).to_numpy(), "pred": pred.astype(str).to_numpy(),
                          "report_id": report_ids.astype(str).to_numpy()})
    groups = [("all", frame)] + [(r, g) for r, g in frame.groupby("report_id", sort=True)]
    for rid, g in groups:
        labels = sorted(set(g["true"]) | set(g["pred"]))
        p, r, f, _ = precision_recall_fscore_support(g["true"], g["pred"], labels=labels, zero_division=np.nan)
        for i, code in enumerate(labels):
            score_rows.append(dict(table=table, dimension=dimension, coder=coder, report_id=rid, code=code,
                                   n_true=int((g["true"] == code).sum()), n_pred=int((g["pred"] == code).sum()),
                                   precision=float(p[i]), recall=float(r[i]), f1=float(f[i])))
        counts = g.groupby(["true", "pred"]).size()
        for (t, q), n in counts.items():
            conf_rows.append(dict(table=table, dimension=dimension, coder=coder, report_id=rid, true_code=t,
                                  predicted_code=q, n=int(n)))
    return pd.DataFrame(score_rows, columns=SCORE_COLUMNS), pd.DataFrame(conf_rows, columns=CONFUSION_COLUMNS)
