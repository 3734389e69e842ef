"""Plot functions: tidy frame in, Axes/Figure out; English labels by default, Chinese on request."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dangjian_analysis import plots as pl  # noqa: E402
from dangjian_analysis.style import publication_style  # noqa: E402

REGIONS = {"r1": ("River City", "河城市", 2024, "prefecture"), "r2": ("Hill District", "山区", 2019, "district")}


@pytest.fixture(autouse=True)
def style_and_close():
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with publication_style():
            yield
        plt.close("all")
    missing = [str(w.message) for w in record if "Glyph" in str(w.message) and "missing" in str(w.message)]
    assert missing == []


def _with_regions(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(region_en=[REGIONS[r][0] for r in df["report_id"]],
                     region_zh=[REGIONS[r][1] for r in df["report_id"]],
                     year=[REGIONS[r][2] for r in df["report_id"]],
                     admin_level=[REGIONS[r][3] for r in df["report_id"]])


def _ticks(ax: Axes, axis: str = "y") -> list[str]:
    ax.figure.canvas.draw()
    labels = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in labels]


CELLS = _with_regions(pd.DataFrame({
    "report_id": ["r1", "r1", "r2", "r2"], "code": ["mass_services", "cadres_talent"] * 2,
    "observed": [6, 2, 1, 5], "share": [0.75, 0.25, 1 / 6, 5 / 6], "adj_resid": [2.3, -2.3, -2.3, 2.3],
}))


def test_labels_in_english_by_default_and_chinese_on_request():
    ax = pl.composition_bars(CELLS, "report_id", "code", dimension="theme")
    assert _ticks(ax) == ["River City (2024)", "Hill District (2019)"]
    assert "Services to the masses" in [t.get_text() for t in ax.get_legend().get_texts()]
    ax = pl.composition_bars(CELLS, "report_id", "code", dimension="theme", lang="zh")
    assert _ticks(ax) == ["河城市（2024）", "山区（2019）"]
    assert "服务群众" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_group_id_when_no_region_columns():
    ax = pl.composition_bars(CELLS[["report_id", "code", "share"]], "report_id", "code")
    assert _ticks(ax) == ["r1", "r2"]


def test_composition_bars_stack_to_the_shares():
    ax = pl.composition_bars(CELLS, "report_id", "code", dimension="theme")
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths == sorted(round(v, 6) for v in CELLS["share"])


def test_residual_heatmap_outlines_large_residuals_only():
    cells = CELLS.copy()
    cells.loc[0, "adj_resid"] = 1.0
    ax = pl.residual_heatmap(cells, "report_id", dimension="theme", lang="zh")
    outlined = [p for p in ax.patches if p.get_fill() is False]
    assert len(outlined) == 3
    assert "干部、人才与社区工作者" in _ticks(ax)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "2", "5", "6"]


def test_rate_ratio_forest_skips_missing_estimates():
    rr = _with_regions(pd.DataFrame({
        "report_id": ["r1", "r2", "r1", "r2"], "code": ["", "", "mass_services", "mass_services"],
        "rate_ratio": [1.5, 0.7, np.nan, 2.0], "ci_low": [1.1, 0.5, np.nan, 1.2], "ci_high": [2.0, 1.0, np.nan, 3.5],
        "reference": ["rest"] * 4, "model": ["poisson"] * 4}))
    ax = pl.rate_ratio_forest(rr, "report_id", dimension="theme")
    assert ax.get_xscale() == "log"
    assert len(ax.lines) >= 3  # three estimates drawn plus the reference line
    assert _ticks(ax) == ["Any code", "Services to the masses"]


def test_interval_dots_and_quantification_panels():
    style = _with_regions(pd.DataFrame({
        "report_id": ["r1", "r2"], "indicators_per_1000": [12.0, 7.0], "share_approx": [0.4, 0.1],
        "share_approx_low": [0.3, 0.02], "share_approx_high": [0.5, 0.3], "share_outcome": [0.2, 0.5],
        "share_outcome_low": [0.1, 0.2], "share_outcome_high": [0.4, 0.8], "formulas_per_1000": [3.0, 1.0]}))
    fig = pl.quantification_panels(style, lang="zh")
    assert isinstance(fig, Figure) and len(fig.axes) == 4
    assert fig.axes[0].get_xlabel() == pl.text("indicators_per_1000", "zh")


def test_similarity_heatmap_blank_diagonal():
    sim = pd.DataFrame({"report_id_a": ["r1", "r1", "r2", "r2"], "report_id_b": ["r1", "r2", "r1", "r2"],
                        "cosine": [1.0, 0.3, 0.3, 1.0], "region_zh_a": ["河城市", "河城市", "山区", "山区"],
                        "region_zh_b": ["河城市", "山区", "河城市", "山区"]})
    ax = pl.similarity_heatmap(sim, lang="zh")
    assert sorted(t.get_text() for t in ax.texts) == ["0.30", "0.30"]
    assert _ticks(ax) == ["河城市", "山区"]


def test_keyness_bars_draw_chinese_terms():
    key = _with_regions(pd.DataFrame({
        "report_id": ["r1", "r1", "r2"], "term": ["网格", "议事", "振兴"], "g2": [20.0, 9.0, 12.0],
        "key": [True, False, True]}))
    fig = pl.keyness_bars(key, lang="zh")
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["网格"]
    assert fig.axes[1].get_title() == "山区（2019）"


def test_per_capita_dots_open_markers_for_prefecture_level():
    pc = _with_regions(pd.DataFrame({"report_id": ["r1", "r2"], "per_10000_residents": [5.0, 15.0],
                                     "subject_type": ["party_members", "party_members"]}))
    ax = pl.per_capita_dots(pc)
    faces = [line.get_markerfacecolor() for line in ax.lines if len(line.get_xdata())]
    assert "none" in faces and len(faces) == 2


def test_corpus_overview_has_one_panel_per_measure():
    reports = _with_regions(pd.DataFrame({"report_id": ["r1", "r2"], "n_chars_analysed": [3000, 2000],
                                          "n_indicators": [30, 10], "n_strategies": [5, 8]}))
    fig = pl.corpus_overview(reports, lang="zh")
    assert len(fig.axes) == 3
    assert fig.axes[0].get_xlabel() == "分析字数"


def test_text_refuses_unknown_language():
    with pytest.raises(ValueError, match="lang"):
        pl.text("cosine", "fr")
