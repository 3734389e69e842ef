"""Comparisons across reports: every function takes built tables and returns a tidy DataFrame.

The unit of comparison is a report (``group="report_id"``); its region and
year travel along as label columns. With one report per region, a difference
between "regions" is a difference between what those reports chose to tell:
the functions compute honest statistics, the caveats in ``docs/analysis.md``
say how far they carry.
"""
from __future__ import annotations

import logging
import math
import re
import warnings
from collections import Counter
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from .labels import report_label, text_label

__all__ = [
    "APPROXIMATE_QUALIFIERS", "LABEL_COLUMNS", "analysable", "code_counts", "contingency",
    "chi_square_tests", "rate_ratios", "quantification_style", "per_capita", "tokenize", "place_terms",
    "report_terms", "similarity", "keyness",
]

#: Qualifiers that mark a value as approximate or open-ended (余, 多, 以上, 约, 近, 不超过 ...).
APPROXIMATE_QUALIFIERS = ("approx", "more_than", "at_least", "at_most", "nearly")
#: Report columns carried into results so figures can label a group in either language.
LABEL_COLUMNS = ("region_en", "region_zh", "admin_level", "year")
#: Pearson chi2/df above this switches a Poisson model to a negative binomial one.
OVERDISPERSION = 1.5
SEED = 20240601


def _labels(frame: pd.DataFrame, reports: pd.DataFrame | None, group: str) -> pd.DataFrame:
    """Add region/year label columns from *reports* when grouping by report."""
    if reports is None or group not in reports.columns:
        return frame
    cols = [c for c in LABEL_COLUMNS if c in reports.columns and c not in frame.columns and c != group]
    if not cols:
        return frame
    return frame.merge(reports[[group, *cols]].drop_duplicates(group), on=group, how="left")


def analysable(sentences: pd.DataFrame) -> pd.DataFrame:
    """Sentences of the report's own text: web boilerplate (breadcrumbs, menus) left out."""
    if "boilerplate" not in sentences.columns:
        return sentences
    return sentences[sentences["boilerplate"].fillna("").astype(str) == ""]


# --- contingency tables -------------------------------------------------------------------------

def code_counts(data: pd.DataFrame, dimension: str, group: str = "report_id") -> pd.DataFrame:
    """Cross-tab of rows with a code in *dimension* (rows: codes, columns: groups); uncoded rows left out."""
    coded = data[data[dimension].fillna("").astype(str) != ""]
    table = pd.crosstab(coded[dimension], coded[group])
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    return table.sort_index().sort_index(axis=1)


def contingency(data: pd.DataFrame, dimension: str, group: str = "report_id",
                reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Code × group cells: observed, expected, share within group, adjusted standardized residual.

    An adjusted residual beyond ±1.96 marks a cell that departs from independence at
    roughly the 5 % level on its own (no correction for the many cells looked at).
    """
    counts = code_counts(data, dimension, group)
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        raise ValueError(f"{dimension!r} × {group!r} needs at least two codes and two groups with coded rows")
    table = Table(np.array(counts, dtype=float), shift_zeros=False)
    observed = counts.stack().rename("observed").reset_index()
    observed.columns = ["code", group, "observed"]
    shape = counts.shape
    expected = pd.DataFrame(np.asarray(table.fittedvalues).reshape(shape), index=counts.index, columns=counts.columns)
    resid = pd.DataFrame(np.asarray(table.standardized_resids).reshape(shape),
                         index=counts.index, columns=counts.columns)
    share = counts / counts.sum(axis=0)
    out = observed.assign(
        dimension=dimension,
        expected=[expected.at[c, g] for c, g in zip(observed["code"], observed[group])],
        share=[share.at[c, g] for c, g in zip(observed["code"], observed[group])],
        group_total=[counts[g].sum() for g in observed[group]],
        adj_resid=[resid.at[c, g] for c, g in zip(observed["code"], observed[group])],
    )
    out = _labels(out, reports, group)
    front = ["dimension", group, "code", "observed", "expected", "group_total", "share", "adj_resid"]
    return out[front + [c for c in out.columns if c not in front]].sort_values([group, "code"]).reset_index(drop=True)


def _permutation_p(codes: np.ndarray, groups: np.ndarray, observed_chi2: float, n_perm: int) -> float:
    """Share of label shuffles with a chi-square at least as large (exact-ish test for sparse tables)."""
    rng = np.random.default_rng(SEED)
    c_idx = np.unique(codes, return_inverse=True)[1]
    g_idx = np.unique(groups, return_inverse=True)[1]
    n_c, n_g = c_idx.max() + 1, g_idx.max() + 1
    row = np.bincount(c_idx, minlength=n_c)
    col = np.bincount(g_idx, minlength=n_g)
    exp = np.outer(row, col) / len(c_idx)
    hits = 0
    for _ in range(n_perm):
        tab = np.bincount(c_idx * n_g + rng.permutation(g_idx), minlength=n_c * n_g).reshape(n_c, n_g)
        hits += ((tab - exp) ** 2 / exp).sum() >= observed_chi2 - 1e-9
    return (hits + 1) / (n_perm + 1)


def chi_square_tests(data: pd.DataFrame, dimensions: tuple[str, ...] | list[str], group: str = "report_id",
                     n_perm: int = 2000) -> pd.DataFrame:
    """One row per dimension: Pearson chi-square, df, asymptotic and permutation p, Cramér's V, sparsity."""
    rows = []
    for dim in dimensions:
        counts = code_counts(data, dim, group)
        if counts.shape[0] < 2 or counts.shape[1] < 2:
            continue
        res = Table(np.array(counts, dtype=float), shift_zeros=False).test_nominal_association()
        n = int(counts.to_numpy().sum())
        expected = np.outer(counts.sum(axis=1), counts.sum(axis=0)) / n
        coded = data[data[dim].fillna("").astype(str) != ""]
        k = min(counts.shape) - 1
        rows.append({
            "dimension": dim, "n": n, "n_codes": counts.shape[0], "n_groups": counts.shape[1],
            "chi2": float(res.statistic), "df": int(res.df), "p_value": float(res.pvalue),
            "p_permutation": _permutation_p(coded[dim].to_numpy(), coded[group].to_numpy(),
                                            float(res.statistic), n_perm),
            "cramers_v": math.sqrt(float(res.statistic) / (n * k)),
            "min_expected": float(expected.min()),
            "share_expected_below_5": float((expected < 5).mean()),
        })
    return pd.DataFrame(rows)


# --- rate models --------------------------------------------------------------------------------

def _unit_counts(sentences: pd.DataFrame, dimension: str, code: str | None, group: str, unit: str) -> pd.DataFrame:
    s = analysable(sentences)
    codes = s[dimension].fillna("").astype(str)
    hit = codes != "" if code is None else codes == code
    return (s.assign(_hit=hit.astype(int), _chars=s["text"].astype(str).str.len().astype(float))
            .groupby([group, unit], sort=True).agg(count=("_hit", "sum"), exposure=("_chars", "sum"))
            .reset_index().query("exposure > 0"))


def _fit(y: pd.Series, X: pd.DataFrame, exposure: pd.Series) -> dict:
    """Poisson GLM with log exposure; negative binomial when the Poisson fit is overdispersed.

    When the negative binomial cannot be estimated (sparse counts: alpha runs to 0
    or the Hessian is singular) the Poisson fit is kept with its standard errors
    scaled by the Pearson dispersion (quasi-Poisson), so intervals still widen.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pois = sm.GLM(y, X, family=sm.families.Poisson(), exposure=exposure).fit()
        dispersion = float(pois.pearson_chi2 / pois.df_resid) if pois.df_resid > 0 else float("nan")
        if not dispersion > OVERDISPERSION:
            return {"fit": pois, "model": "poisson", "dispersion": dispersion, "alpha": float("nan")}
        try:
            nb = sm.NegativeBinomial(y, X, exposure=exposure).fit(disp=0, maxiter=300)
            alpha = float(nb.params["alpha"])
            if nb.mle_retvals.get("converged") and alpha > 1e-6 and np.all(np.isfinite(nb.bse)):
                return {"fit": nb, "model": "negative_binomial", "dispersion": dispersion, "alpha": alpha}
        except (np.linalg.LinAlgError, ValueError):
            pass
        quasi = sm.GLM(y, X, family=sm.families.Poisson(), exposure=exposure).fit(scale="X2")
    return {"fit": quasi, "model": "quasi_poisson", "dispersion": dispersion, "alpha": float("nan")}


def _contrast(units: pd.DataFrame, group: str, target: str, reference: str | None) -> dict:
    """Fit count ~ [target vs reference] (or vs every other group when *reference* is None)."""
    if reference is not None:
        units = units[units[group].isin([target, reference])]
    X = sm.add_constant(pd.DataFrame({"target": (units[group] == target).astype(float)}, index=units.index))
    res = _fit(units["count"].astype(float), X, units["exposure"].astype(float))
    fit = res["fit"]
    low, high = np.asarray(fit.conf_int().loc["target"])
    return {"rate_ratio": float(np.exp(fit.params["target"])), "ci_low": float(np.exp(low)),
            "ci_high": float(np.exp(high)), "p_value": float(fit.pvalues["target"]), "model": res["model"],
            "dispersion": res["dispersion"], "alpha": res["alpha"], "n_units": len(units)}


def rate_ratios(sentences: pd.DataFrame, dimension: str, group: str = "report_id", unit: str = "paragraph_id",
                reference: str | None = None, codes: list[str] | None = None, min_count: int = 10,
                reports: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rate ratios of coded sentences per character, with 95 % intervals, one row per code × group.

    Each group is compared with all other groups pooled (``reference=None``) or
    with one named group. Counts are taken per *unit* (paragraph by default) so
    the model has replicates within a report and can see overdispersion; text
    length (characters of the report's own sentences) is the exposure. ``code=""``
    rows model sentences with any code of the dimension; other rows one code
    each (codes with fewer than *min_count* sentences are skipped). A group with
    no sentence of the code (or a reference without any) gets no estimate.
    ``q_value`` is the Benjamini–Hochberg adjusted p over every estimate of the call.
    """
    data = analysable(sentences)
    groups = sorted(data[group].unique())
    if reference is not None and reference not in groups:
        raise ValueError(f"reference {reference!r} is not a {group} of the data")
    coded = data[dimension].fillna("").astype(str)
    if codes is None:
        totals = coded[coded != ""].value_counts()
        codes = sorted(c for c, n in totals.items() if n >= min_count)
    rows = []
    for code in [None, *codes]:
        units = _unit_counts(sentences, dimension, code, group, unit)
        totals = units.groupby(group)[["count", "exposure"]].sum()
        for g in groups:
            count, exposure = int(totals.at[g, "count"]), float(totals.at[g, "exposure"])
            row = {"dimension": dimension, "code": code or "", group: g, "reference": reference or "rest",
                   "count": count, "exposure": exposure, "rate_per_1000": 1000 * count / exposure}
            others = totals["count"].drop(g) if reference is None else totals["count"].loc[[reference]]
            if g == reference:
                row.update(rate_ratio=1.0, ci_low=1.0, ci_high=1.0, p_value=float("nan"), model="reference")
            elif count == 0 or others.sum() == 0:
                row.update(rate_ratio=float("nan"), ci_low=float("nan"), ci_high=float("nan"),
                           p_value=float("nan"), model="not_estimable")
            else:
                row.update(_contrast(units, group, g, reference))
            rows.append(row)
    out = pd.DataFrame(rows)
    tested = out["p_value"].notna()
    out["q_value"] = float("nan")
    if tested.any():
        out.loc[tested, "q_value"] = multipletests(out.loc[tested, "p_value"], method="fdr_bh")[1]
    out = _labels(out, reports, group)
    return out.sort_values(["code", group]).reset_index(drop=True)


# --- quantification style -----------------------------------------------------------------------

def _wilson(k: int, n: int) -> tuple[float, float]:
    if n == 0:
        return float("nan"), float("nan")
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    return float(low), float(high)


def quantification_style(reports: pd.DataFrame, indicators: pd.DataFrame, strategies: pd.DataFrame,
                         mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per report: how densely and how precisely it counts, and what it counts.

    * ``indicators_per_1000`` — indicator mentions per 1,000 analysed characters;
    * ``share_approx`` — share of indicators with an open or approximate qualifier
      (余/多/以上/约/近/不超过), with a Wilson 95 % interval;
    * ``share_outcome`` — outcome-stage indicators against outcome + activity ones;
    * ``formulas_per_1000`` — numbered formulas (三会一课, 两学一做 ...) per 1,000 characters.
    """
    rows = []
    for _, rep in reports.sort_values("report_id").iterrows():
        rid = rep["report_id"]
        ind = indicators[indicators["report_id"] == rid]
        chars = float(rep["n_chars_analysed"])
        n = len(ind)
        n_approx = int(ind["qualifier"].isin(APPROXIMATE_QUALIFIERS).sum())
        stage = ind["stage"].fillna("").astype(str)
        n_out, n_act, n_output = int((stage == "outcome").sum()), int((stage == "activity").sum()), \
            int((stage == "output").sum())
        strat = strategies[strategies["report_id"] == rid]
        n_formula = int((strat["kind"] == "numbered_formula").sum())
        low, high = _wilson(n_approx, n)
        o_low, o_high = _wilson(n_out, n_out + n_act)
        row = {
            "report_id": rid, "n_chars_analysed": int(chars), "n_indicators": n,
            "n_indicators_distinct": int((ind["repeat_of"].fillna("").astype(str) == "").sum())
            if "repeat_of" in ind else n,
            "indicators_per_1000": 1000 * n / chars,
            "n_approx": n_approx, "share_approx": n_approx / n if n else float("nan"),
            "share_approx_low": low, "share_approx_high": high,
            "n_outcome": n_out, "n_output": n_output, "n_activity": n_act,
            "share_outcome": n_out / (n_out + n_act) if n_out + n_act else float("nan"),
            "share_outcome_low": o_low, "share_outcome_high": o_high,
            "n_numbered_formulas": n_formula, "formulas_per_1000": 1000 * n_formula / chars,
        }
        if mentions is not None:
            kinds = mentions.loc[mentions["report_id"] == rid, "kind"]
            row["n_mentions"] = len(kinds)
            row["share_numerals_indicator"] = float((kinds == "indicator").mean()) if len(kinds) else float("nan")
        rows.append(row)
    return _labels(pd.DataFrame(rows), reports, "report_id")


# --- per-capita figures -------------------------------------------------------------------------

#: Units that count things a population can be set against (not shares, durations or rates).
ABSOLUTE_UNITS = ("person", "person_time", "household", "count", "yuan")


def per_capita(indicators: pd.DataFrame, reports: pd.DataFrame, per: int = 10_000,
               units: tuple[str, ...] = ABSOLUTE_UNITS) -> pd.DataFrame:
    """Each absolute indicator (no rate, no repeat) set against the 2020 census population.

    ``caveat`` names the administrative level of the population used: a
    prefecture-level city's population includes its counties, a district's only
    the district, so the same programme looks smaller per head in a city report.
    ``exceeds_population`` flags a count of people or households larger than the
    whole population: kept as written (see INDICATORS.md), to be checked by hand.
    """
    levels = sorted(reports["admin_level"].fillna("").astype(str).unique())
    ind = indicators[indicators["unit"].isin(units) & (indicators["per"].fillna("").astype(str) == "")]
    if "repeat_of" in ind:
        ind = ind[ind["repeat_of"].fillna("").astype(str) == ""]
    cols = ["report_id", "indicator_id", "span", "value", "unit", "qualifier", "subject"]
    cols += [c for c in ("subject_type", "theme", "stage") if c in ind.columns]
    rep = reports[["report_id", "region_en", "region_zh", "admin_level", "year", "population_2020"]]
    out = ind[cols].merge(rep, on="report_id", how="left")
    out[f"per_{per}_residents"] = out["value"].astype(float) / out["population_2020"].astype(float) * per
    people = out["unit"].isin(["person", "household"])
    out["exceeds_population"] = people & (out["value"].astype(float) > out["population_2020"].astype(float))
    mixed = f"; the reports compared cover {' and '.join(levels)} levels" if len(levels) > 1 else ""
    out["caveat"] = [f"denominator: {text_label(lvl)}-level population of {report_label(reg, fallback=rid, with_year=False)} "
                     f"(2020 census){mixed}" if pd.notna(pop) else "no census population for this report"
                     for lvl, reg, rid, pop in zip(out["admin_level"], out["region_en"], out["report_id"],
                                                   out["population_2020"])]
    return out.sort_values(["report_id", "indicator_id"]).reset_index(drop=True)


# --- words: similarity and keyness --------------------------------------------------------------

_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer with the project's domain dictionary (no global state touched)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with resources.files("dangjian_analysis").joinpath("data/userdict.txt").open("rb") as f:
        tok.load_userdict(f)
    return tok


def tokenize(text: str, min_chars: int = 2) -> list[str]:
    """Words of *text* (jieba, no HMM guesses): Chinese words of at least *min_chars* characters.

    Single characters (的, 了, 和) and numbers carry little of a report's vocabulary, so
    they are left out rather than listed as stop words.
    """
    return [w for w in _tokenizer().cut(text, HMM=False) if len(w) >= min_chars and _HAN.search(w)]


PLACE_SUFFIXES = "省市区县镇乡"


def place_terms(reports: pd.DataFrame, columns: tuple[str, ...] = ("region_zh", "prefecture", "province")) -> set[str]:
    """Words naming the reports' own places (a district and its bare name, 某某区 and 某某), from the reports table.

    Place names are the most "key" words of any local report and say nothing about
    its strategy; pass this set as ``exclude`` to keyness and similarity.
    """
    names = {str(v) for c in columns if c in reports.columns for v in reports[c] if str(v)}
    words = set(names)
    for name in names:
        words.update(tokenize(name))
    words.update(w.rstrip(PLACE_SUFFIXES) for w in list(words) if len(w.rstrip(PLACE_SUFFIXES)) >= 2)
    return words


def report_terms(sentences: pd.DataFrame, group: str = "report_id", exclude: set[str] | frozenset[str] = frozenset()
                 ) -> pd.DataFrame:
    """Long table of term frequencies: group, term, n (the report's own sentences; *exclude* left out)."""
    rows = []
    for g, part in analysable(sentences).sort_values([group, "start"]).groupby(group, sort=True):
        counts = Counter(w for text in part["text"].astype(str) for w in tokenize(text) if w not in exclude)
        rows += [(g, term, n) for term, n in sorted(counts.items())]
    return pd.DataFrame(rows, columns=[group, "term", "n"])


def similarity(sentences: pd.DataFrame, group: str = "report_id", reports: pd.DataFrame | None = None,
               exclude: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors (sublinear tf, smoothed idf, L2 norm) for every pair of groups."""
    terms = report_terms(sentences, group, exclude)
    matrix = terms.pivot_table(index=group, columns="term", values="n", fill_value=0).sort_index()
    tf = np.asarray(matrix, dtype=float)
    tf = np.where(tf > 0, 1.0 + np.log(np.where(tf > 0, tf, 1.0)), 0.0)
    n_docs = tf.shape[0]
    idf = np.log((1 + n_docs) / (1 + (tf > 0).sum(axis=0))) + 1.0
    x = tf * idf
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    cos = x @ x.T
    names = list(matrix.index)
    out = pd.DataFrame([(a, b, float(np.clip(cos[i, j], 0.0, 1.0)))
                        for i, a in enumerate(names) for j, b in enumerate(names)],
                       columns=[f"{group}_a", f"{group}_b", "cosine"])
    if reports is not None:
        for side in ("a", "b"):
            lab = reports[[group, "region_en", "region_zh"]].rename(
                columns={group: f"{group}_{side}", "region_en": f"region_en_{side}", "region_zh": f"region_zh_{side}"})
            out = out.merge(lab, on=f"{group}_{side}", how="left")
    return out


def _g2(a: np.ndarray, b: np.ndarray, c: float, d: float) -> np.ndarray:
    """Dunning's log-likelihood for a term seen *a* times in a corpus of *c* words and *b* in *d*."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = np.where(a > 0, a * np.log(a / e1), 0.0)
        t2 = np.where(b > 0, b * np.log(b / e2), 0.0)
    return 2 * (t1 + t2)


def keyness(sentences: pd.DataFrame, group: str = "report_id", min_freq: int = 3, alpha: float = 0.05,
            reports: pd.DataFrame | None = None, exclude: set[str] | frozenset[str] = frozenset()) -> pd.DataFrame:
    """Terms used more (or less) in one group than in all others: log-likelihood G², BH-corrected.

    ``log_ratio`` is the binary log of the relative frequencies (0.5 added to both
    counts), an effect size to read beside G². ``q_value`` is the Benjamini–Hochberg
    adjusted p over every term × group test; ``key`` marks overused terms with q < *alpha*.
    """
    terms = report_terms(sentences, group, exclude)
    matrix = terms.pivot_table(index="term", columns=group, values="n", fill_value=0)
    matrix = matrix[matrix.sum(axis=1) >= min_freq]
    totals = terms.groupby(group)["n"].sum()
    frames = []
    for g in sorted(matrix.columns):
        a = matrix[g].to_numpy(dtype=float)
        b = matrix.drop(columns=g).sum(axis=1).to_numpy(dtype=float)
        c = float(totals[g])
        d = float(totals.drop(g).sum())
        g2 = _g2(a, b, c, d)
        ratio = np.log2(((a + 0.5) / c) / ((b + 0.5) / d))
        frames.append(pd.DataFrame({group: g, "term": matrix.index, "n_target": a.astype(int),
                                    "n_rest": b.astype(int), "words_target": int(c), "words_rest": int(d),
                                    "g2": g2, "log_ratio": ratio, "direction": np.where(ratio > 0, "over", "under"),
                                    "p_value": stats.chi2.sf(g2, 1)}))
    out = pd.concat(frames, ignore_index=True)
    out["q_value"] = multipletests(out["p_value"], method="fdr_bh")[1]
    out["key"] = (out["q_value"] < alpha) & (out["direction"] == "over")
    out = _labels(out, reports, group)
    order = ["direction", "g2", "term"]  # overused terms first, strongest first
    return out.sort_values([group, *order], ascending=[True, True, False, True]).reset_index(drop=True)
