"""Reliability of codes: between two blind coders, and of an automated coder against adjudicated codes.

Standards used (Krippendorff 2004, *Content Analysis*, ch. 11): α ≥ 0.800 is
reliable, 0.667 ≤ α < 0.800 allows tentative conclusions only, and below
0.667 a dimension is exploratory. α (nominal) is computed from the
coincidence matrix (checked against the ``krippendorff`` package in the
tests); its 95% interval is a percentile bootstrap over coded units with a
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
    """Krippendorff's α for nominal data; *data* is coders × units, NaN where a coder gave no code.

    Computed from the coincidence matrix (:func:`_nominal_parts`); the tests
    check it against Krippendorff's published example and against the
    ``krippendorff`` package, which is far slower when a dimension has many
    categories (a multi-label set of themes has well over a hundred).
    """
    data = np.asarray(data, dtype=float)
    values = data[~np.isnan(data)]
    if data.shape[1] == 0 or len(np.unique(values)) < 2:
        return float("nan")
    return _alpha_from_parts(*_nominal_parts(data))


def _nominal_parts(data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per pairable unit (two or more codes): its observed disagreement and its category counts.

    Nominal α is 1 − ΣD_u / D_e, where D_u = (m_u² − Σ_c n_uc²) / (m_u − 1) for a
    unit with m_u codes, n_uc of them in category c, and D_e = (n² − Σ_c n_c²) / (n − 1)
    over the pooled counts (Krippendorff 2011, coincidence-matrix form).
    """
    finite = data[~np.isnan(data)]
    n_cat = int(finite.max()) + 1 if len(finite) else 0
    counts = np.stack([(data == c).sum(axis=0) for c in range(n_cat)], axis=1).astype(float) if n_cat else \
        np.zeros((data.shape[1], 0))
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    return (m ** 2 - (counts ** 2).sum(axis=1)) / (m - 1), counts


def _alpha_from_parts(disagree: np.ndarray, counts: np.ndarray) -> float:
    n_c = counts.sum(axis=0)
    n = n_c.sum()
    expected = (n ** 2 - (n_c ** 2).sum()) / (n - 1) if n > 1 else 0.0
    return float(1 - disagree.sum() / expected) if expected > 0 else float("nan")


def bootstrap_alpha(data: np.ndarray, draws: int = BOOTSTRAP_DRAWS, seed: int = 0) -> tuple[float, float]:
    """Percentile 95% interval of α from resampling units (columns) with replacement.

    Each draw recomputes α from per-unit parts of the coincidence matrix
    (:func:`_nominal_parts`): the same value the ``krippendorff`` package
    gives for the resampled matrix (a test checks it), without its per-call
    overhead, so a thousand draws take milliseconds, not seconds.
    """
    data = np.asarray(data, dtype=float)
    rng = np.random.default_rng(seed)
    n = data.shape[1]
    if n < 2:
        return float("nan"), float("nan")
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    d, c = _nominal_parts(data)
    disagree, counts = np.zeros(n), np.zeros((n, c.shape[1]))
    disagree[pairable], counts[pairable] = d, c  # unpairable units are drawn too, and add nothing
    stats = np.array([_alpha_from_parts(disagree[idx], counts[idx]) for idx in
                      (rng.integers(0, n, n) for _ in range(draws))])
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


def misclassification_draw(codes: pd.Series, coded_by: pd.Series, confusion: pd.DataFrame,
                           rng: np.random.Generator, prior: float = 0.5) -> pd.Series:
    """One draw of the true codes behind automated codes, for intervals that carry coding error.

    Rows coded by hand keep their code. For a row the automated coder put in
    code *c*, a true code is drawn from P(true | predicted = c), itself drawn
    from a Dirichlet posterior over the held-out confusion counts (*prior*
    added to every cell, the Jeffreys prior), so both the coder's errors and
    the uncertainty about its error rates enter the interval. *confusion* has
    ``true_code, predicted_code, n`` for one dimension and coder (pooled over
    reports). Repeating the draw inside a bootstrap over reports or paragraphs
    gives intervals with sampling and coding error together.
    """
    from .codebook import NO_CODE

    out = codes.fillna("").astype(str).copy()
    auto = coded_by.fillna("").astype(str).isin(["model", "rule"]).to_numpy()
    if not auto.any() or confusion.empty:
        return out
    cats = sorted(set(confusion["true_code"]) | set(confusion["predicted_code"]))
    table = confusion.pivot_table(index="predicted_code", columns="true_code", values="n", aggfunc="sum",
                                  fill_value=0).reindex(index=cats, columns=cats, fill_value=0)
    values = out.to_numpy(copy=True)
    pred = np.where(values == "", NO_CODE, values)
    for c in np.unique(pred[auto]):
        rows = np.flatnonzero(auto & (pred == c))
        counts = table.loc[c].to_numpy(dtype=float) if c in table.index else np.zeros(len(cats))
        probs = rng.dirichlet(counts + prior)
        drawn = np.asarray(cats, dtype=object)[rng.choice(len(cats), size=len(rows), p=probs)]
        values[rows] = np.where(drawn == NO_CODE, "", drawn)
    return pd.Series(values, index=codes.index, name=codes.name)
