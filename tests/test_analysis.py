"""Analysis functions on small tables composed here, with expected values worked out by hand."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from dangjian_analysis import analysis as an


def _coded(cells: dict[tuple[str, str], int], dimension: str = "theme") -> pd.DataFrame:
    """One row per coded sentence: {(code, group): count}."""
    rows = [{"report_id": g, dimension: c} for (c, g), n in cells.items() for _ in range(n)]
    return pd.DataFrame(rows)


# --- contingency ---------------------------------------------------------------------------------

def test_perfect_association_2x2_by_hand():
    # 10 vs 0 and 0 vs 10: expected 5 per cell, chi2 = 4 * 25/5 = 20, adjusted residual = sqrt(20)
    data = _coded({("mass_services", "a"): 10, ("political_education", "b"): 10})
    cells = an.contingency(data, "theme")
    assert cells["expected"].tolist() == pytest.approx([5.0] * 4)
    diag = cells[(cells["code"] == "mass_services") & (cells["report_id"] == "a")]
    assert diag["adj_resid"].item() == pytest.approx(math.sqrt(20))
    off = cells[(cells["code"] == "mass_services") & (cells["report_id"] == "b")]
    assert off["adj_resid"].item() == pytest.approx(-math.sqrt(20))
    tests = an.chi_square_tests(data, ["theme"])
    assert tests.loc[0, "chi2"] == pytest.approx(20.0)
    assert tests.loc[0, "df"] == 1
    assert tests.loc[0, "cramers_v"] == pytest.approx(1.0)
    assert tests.loc[0, "p_permutation"] < 0.01


def test_adjusted_residual_formula_on_a_3x3_table():
    counts = {("a1", "x"): 12, ("a1", "y"): 3, ("a1", "z"): 5, ("a2", "x"): 4, ("a2", "y"): 9,
              ("a2", "z"): 6, ("a3", "x"): 2, ("a3", "y"): 2, ("a3", "z"): 11}
    cells = an.contingency(_coded(counts, "stage"), "stage")
    n = sum(counts.values())
    row = {c: sum(v for (cc, _), v in counts.items() if cc == c) for c in ("a1", "a2", "a3")}
    col = {g: sum(v for (_, gg), v in counts.items() if gg == g) for g in ("x", "y", "z")}
    for _, r in cells.iterrows():
        e = row[r["code"]] * col[r["report_id"]] / n
        want = (counts[(r["code"], r["report_id"])] - e) / math.sqrt(e * (1 - row[r["code"]] / n)
                                                                       * (1 - col[r["report_id"]] / n))
        assert r["adj_resid"] == pytest.approx(want)


def test_uncoded_rows_are_left_out_and_shares_sum_to_one():
    data = _coded({("mass_services", "a"): 3, ("cadres_talent", "a"): 1, ("mass_services", "b"): 2,
                   ("cadres_talent", "b"): 2})
    data = pd.concat([data, pd.DataFrame({"report_id": ["a", "b"], "theme": ["", ""]})], ignore_index=True)
    cells = an.contingency(data, "theme")
    assert cells["observed"].sum() == 8
    assert cells.groupby("report_id")["share"].sum().tolist() == pytest.approx([1.0, 1.0])
    assert "" not in set(cells["code"])


def test_contingency_needs_two_codes_and_two_groups():
    with pytest.raises(ValueError, match="at least two"):
        an.contingency(_coded({("mass_services", "a"): 3, ("mass_services", "b"): 2}), "theme")


def test_report_labels_travel_along():
    data = _coded({("mass_services", "a"): 3, ("cadres_talent", "b"): 2})
    reports = pd.DataFrame({"report_id": ["a", "b"], "region_en": ["East District", "West County"],
                            "region_zh": ["东区", "西县"], "admin_level": ["district", "county"], "year": [2020, 2021]})
    cells = an.contingency(data, "theme", reports=reports)
    assert set(cells["region_zh"]) == {"东区", "西县"}


# --- rate models ---------------------------------------------------------------------------------

def _sentences(counts: dict[str, list[int]], per_paragraph: int = 4, chars: int = 25) -> pd.DataFrame:
    """Each paragraph has *per_paragraph* sentences of *chars* characters; the first k are coded."""
    rows = []
    for g, coded in counts.items():
        for p, k in enumerate(coded):
            for s in range(per_paragraph):
                rows.append({"report_id": g, "paragraph_id": f"{g}:p{p}", "start": p * 1000 + s * chars,
                             "text": "党" * chars, "boilerplate": "",
                             "theme": "mass_services" if s < k else ""})
    return pd.DataFrame(rows)


def test_rate_ratio_is_the_ratio_of_rates():
    # a: 2 coded per 100 characters, b: 1 per 100 -> rate ratio 2 against b
    sents = _sentences({"a": [2, 2, 2, 2], "b": [1, 1, 1, 1]})
    rr = an.rate_ratios(sents, "theme", reference="b")
    a = rr[(rr["code"] == "") & (rr["report_id"] == "a")].iloc[0]
    assert a["rate_ratio"] == pytest.approx(2.0)
    assert a["ci_low"] < 2.0 < a["ci_high"]
    assert a["rate_per_1000"] == pytest.approx(20.0)
    assert a["model"] == "poisson"  # equal counts in every paragraph: no overdispersion
    b = rr[(rr["code"] == "") & (rr["report_id"] == "b")].iloc[0]
    assert b["model"] == "reference" and b["rate_ratio"] == 1.0


def test_overdispersed_counts_switch_model_and_widen_the_interval():
    calm = an.rate_ratios(_sentences({"a": [2, 2, 2, 2], "b": [1, 1, 1, 1]}), "theme", reference="b")
    wild = an.rate_ratios(_sentences({"a": [0, 0, 0, 8], "b": [1, 1, 1, 1]}, per_paragraph=8, chars=12),
                          "theme", reference="b")
    w = wild[(wild["code"] == "") & (wild["report_id"] == "a")].iloc[0]
    c = calm[(calm["code"] == "") & (calm["report_id"] == "a")].iloc[0]
    assert w["dispersion"] > an.OVERDISPERSION
    assert w["model"] in {"negative_binomial", "quasi_poisson"}
    assert w["rate_ratio"] == pytest.approx(2.0, rel=1e-3)  # same totals, so the same ratio
    assert w["ci_high"] / w["ci_low"] > c["ci_high"] / c["ci_low"]


def test_against_the_rest_and_zero_counts():
    sents = _sentences({"a": [2, 2], "b": [1, 1], "c": [0, 0]})
    rr = an.rate_ratios(sents, "theme")
    any_code = rr[rr["code"] == ""].set_index("report_id")
    # a: 4 per 200 chars; the rest (b + c): 2 per 400 chars -> ratio 4
    assert any_code.at["a", "rate_ratio"] == pytest.approx(4.0)
    assert any_code.at["c", "model"] == "not_estimable"
    assert np.isnan(any_code.at["c", "rate_ratio"])
    assert set(rr["reference"]) == {"rest"}
    tested = rr[rr["p_value"].notna()]
    assert (tested["q_value"] >= tested["p_value"] - 1e-15).all() and rr.loc[rr["p_value"].isna(), "q_value"].isna().all()


def test_unknown_reference_is_refused():
    with pytest.raises(ValueError, match="reference"):
        an.rate_ratios(_sentences({"a": [1], "b": [1]}), "theme", reference="zzz")


def test_boilerplate_sentences_do_not_count():
    sents = _sentences({"a": [2, 2], "b": [1, 1]})
    extra = sents.iloc[[0]].assign(boilerplate="breadcrumb", theme="mass_services", paragraph_id="a:p9")
    rr = an.rate_ratios(pd.concat([sents, extra]), "theme", reference="b")
    assert rr[(rr["code"] == "") & (rr["report_id"] == "a")]["count"].item() == 4


# --- quantification style and per-capita --------------------------------------------------------

REPORTS = pd.DataFrame({
    "report_id": ["r1", "r2"], "region_en": ["River City", "Hill District"], "region_zh": ["河城市", "山区"],
    "admin_level": ["prefecture", "district"], "year": [2024, 2019], "n_chars_analysed": [2000, 1000],
    "population_2020": [1_000_000, 200_000],
})


def test_quantification_style_by_hand():
    indicators = pd.DataFrame({
        "report_id": ["r1"] * 4 + ["r2"],
        "qualifier": ["exact", "more_than", "at_least", "exact", "range"],
        "stage": ["outcome", "activity", "activity", "output", ""],
        "repeat_of": ["", "", "", "r1:i0001", ""],
    })
    strategies = pd.DataFrame({"report_id": ["r1"] * 4, "kind": ["numbered_formula"] * 3 + ["quoted_programme"]})
    style = an.quantification_style(REPORTS, indicators, strategies).set_index("report_id")
    assert style.at["r1", "indicators_per_1000"] == pytest.approx(2.0)
    assert style.at["r1", "n_indicators_distinct"] == 3
    assert style.at["r1", "share_approx"] == pytest.approx(0.5)
    assert style.at["r1", "share_approx_low"] < 0.5 < style.at["r1", "share_approx_high"]
    assert style.at["r1", "share_outcome"] == pytest.approx(1 / 3)
    assert style.at["r1", "formulas_per_1000"] == pytest.approx(1.5)
    assert style.at["r2", "share_approx"] == 0.0  # a range is not an approximation
    assert np.isnan(style.at["r2", "share_outcome"])


def test_per_capita_with_the_level_caveat():
    indicators = pd.DataFrame({
        "report_id": ["r1", "r1", "r1", "r2", "r2"],
        "indicator_id": ["r1:i1", "r1:i2", "r1:i3", "r2:i1", "r2:i2"],
        "span": ["500名", "80%", "每周1期", "300名", "300万名"],
        "value": [500, 80, 1, 300, 3_000_000], "unit": ["person", "percent", "count", "person", "person"],
        "qualifier": ["exact"] * 5, "per": ["", "", "week", "", ""], "subject": ["党员"] * 5,
        "repeat_of": [""] * 5,
    })
    pc = an.per_capita(indicators, REPORTS).set_index("indicator_id")
    assert list(pc.index) == ["r1:i1", "r2:i1", "r2:i2"]  # shares and rates are not set against people
    assert pc.at["r1:i1", "per_10000_residents"] == pytest.approx(5.0)
    assert pc.at["r2:i1", "per_10000_residents"] == pytest.approx(15.0)
    assert "prefecture-level" in pc.at["r1:i1", "caveat"] and "district" in pc.at["r1:i1", "caveat"]
    assert bool(pc.at["r2:i2", "exceeds_population"]) and not bool(pc.at["r2:i1", "exceeds_population"])


# --- words -----------------------------------------------------------------------------------------

def test_tokenize_keeps_chinese_words_only():
    words = an.tokenize("2023年以来，社区党组织共开展志愿服务120场，覆盖率达80%。")
    assert words and all(len(w) >= 2 and not any(ch.isdigit() for ch in w) for w in words)
    assert "社区" in words or "社区党组织" in words


def test_place_terms_from_the_reports_table():
    reports = pd.DataFrame({"region_zh": ["江州市河东区"], "prefecture": ["江州市"], "province": ["南江省"]})
    terms = an.place_terms(reports)
    assert {"江州市", "江州", "南江省", "南江"} <= terms
    assert "河东区" in terms or "江州市河东区" in terms


def _docs(texts: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame([{"report_id": g, "start": i, "text": t, "boilerplate": ""}
                         for g, ts in texts.items() for i, t in enumerate(ts)])


def test_similarity_identical_and_disjoint():
    docs = _docs({"a": ["社区治理网格管理"], "b": ["社区治理网格管理"], "c": ["乡村振兴产业发展"]})
    sim = an.similarity(docs).set_index(["report_id_a", "report_id_b"])["cosine"]
    assert sim[("a", "b")] == pytest.approx(1.0)
    assert sim[("a", "c")] == pytest.approx(0.0)
    assert sim[("c", "a")] == sim[("a", "c")]


def test_g2_by_hand():
    # 10 of 100 words against 0 of 100: expected 5 and 5, G2 = 2 * 10 * ln 2
    assert an._g2(np.array([10.0]), np.array([0.0]), 100.0, 100.0)[0] == pytest.approx(20 * math.log(2))


def test_keyness_finds_the_overused_word_and_corrects_p():
    a = ["社区治理" + "居民议事" for _ in range(20)]
    b = ["乡村振兴" + "产业发展" for _ in range(20)]
    key = an.keyness(_docs({"a": a, "b": b}), min_freq=3)
    top_a = key[key["report_id"] == "a"].iloc[0]
    assert top_a["direction"] == "over" and top_a["key"]
    assert top_a["term"] in an.tokenize("社区治理居民议事")
    assert (key["q_value"] >= key["p_value"] - 1e-15).all()
    assert not key[(key["report_id"] == "a") & key["term"].isin(an.tokenize("乡村振兴产业发展"))]["key"].any()


# --- against an independent implementation ---------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from scipy.stats import chi2_contingency  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(1, 30), min_size=3, max_size=3), min_size=2, max_size=4))
def test_chi_square_and_residuals_agree_with_scipy(table):
    cells = {(f"c{i}", f"g{j}"): n for i, row in enumerate(table) for j, n in enumerate(row)}
    data = _coded(cells)
    stat, _, dof, expected = chi2_contingency(np.array(table), correction=False)
    tests = an.chi_square_tests(data, ["theme"], n_perm=10)
    assert tests.loc[0, "chi2"] == pytest.approx(stat)
    assert tests.loc[0, "df"] == dof
    out = an.contingency(data, "theme").set_index(["code", "report_id"])
    for (i, j), e in np.ndenumerate(expected):
        assert out.loc[(f"c{i}", f"g{j}"), "expected"] == pytest.approx(e)
