"""Plot functions: a tidy DataFrame and column names in, the Axes (or Figure) out.

Labels are English by default and Chinese with ``lang="zh"``: group labels come
from ``region_en``/``region_zh`` (+ ``year``) columns when the frame has them,
code labels from the codebook. Draw inside :func:`.style.publication_style` to
get the project's look and a real Chinese font.
"""
from __future__ import annotations

import warnings
from functools import lru_cache

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter

from .labels import report_label
from .style import FIGSIZE, PALETTE

__all__ = ["TEXT", "text", "group_labels", "code_label", "corpus_overview", "composition_bars",
           "residual_heatmap", "rate_ratio_forest", "interval_dots", "quantification_panels",
           "similarity_heatmap", "keyness_bars", "per_capita_dots"]

LANGS = ("en", "zh")
#: Log-axis ticks as plain numbers (0.1, 1, 10) rather than powers of ten.
_PLAIN = FuncFormatter(lambda v, _pos: f"{v:,.10g}")

#: Axis and legend wording in both languages.
TEXT: dict[str, tuple[str, str]] = {
    "share_sentences": ("Share of coded sentences", "编码句子占比"),
    "share_indicators": ("Share of coded indicators", "编码指标占比"),
    "share_strategies": ("Share of named strategies", "命名策略占比"),
    "adj_resid": ("Adjusted standardized residual", "调整标准化残差"),
    "rate_ratio": ("Rate ratio (95% CI, log scale) against the other reports",
                   "率比（95%置信区间，对数刻度），相对于其余报告"),
    "rate_ratio_ref": ("Rate ratio (95% CI, log scale) against {ref}", "率比（95%置信区间，对数刻度），相对于{ref}"),
    "indicators_per_1000": ("Indicators per 1,000 characters", "每千字指标数"),
    "share_approx": ("Share of approximate values (余/多/以上)", "约数占比（余/多/以上）"),
    "share_outcome": ("Outcome indicators / (outcome + activity)", "结果类指标 /（结果类 + 活动类）"),
    "formulas_per_1000": ("Numbered formulas per 1,000 characters", "每千字数字概括式"),
    "cosine": ("TF-IDF cosine similarity", "TF-IDF 余弦相似度"),
    "g2": ("Log-likelihood G² (terms with BH q < 0.05)", "对数似然 G²（BH 校正 q < 0.05 的词）"),
    "per_capita": ("Reported quantity per 10,000 residents (log scale)", "每万名常住人口的报告数量（对数刻度）"),
    "n_chars_analysed": ("Characters analysed", "分析字数"),
    "n_indicators": ("Indicator mentions", "指标提及数"),
    "n_strategies": ("Named strategies", "命名策略数"),
    "any_code": ("Any code", "任一编码"),
    "none": ("(none)", "（无）"),
    "observed": ("observed count", "观测频数"),
    "prefecture_note": ("open marker: prefecture-level population", "空心标记：地级市人口"),
}


def text(key: str, lang: str = "en", **fmt: str) -> str:
    """The wording *key* in *lang* (``en`` or ``zh``)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return TEXT[key][LANGS.index(lang)].format(**fmt)


def group_labels(data: pd.DataFrame, group: str, lang: str = "en") -> pd.Series:
    """Display label of each row's group: region name (and year, n.d. when unknown) in *lang*, else the id."""
    col = f"region_{lang}"
    if col not in data.columns:
        return data[group].astype(str)
    years = data["year"] if "year" in data.columns else [None] * len(data)
    return pd.Series([report_label(r, y, lang, with_year="year" in data.columns, fallback=g)
                      for r, y, g in zip(data[col], years, data[group])], index=data.index)


@lru_cache(maxsize=1)
def _codebook():
    from .codebook import load_codebook

    return load_codebook()


def code_label(dimension: str | None, code: str, lang: str = "en") -> str:
    """A code's label from the codebook (``kind``: strategy kinds); the code itself when unknown."""
    if code == "":
        return text("any_code", lang)
    if dimension == "kind":
        label = _codebook().strategies.kinds.get(code, {}).get("label", {})
        return str(label.get(lang, code))
    if dimension:
        try:
            return _codebook().dimension(dimension).label(code, lang)
        except KeyError:
            pass
    return str(code)


def _heatmap(grid: pd.DataFrame, **kw) -> Axes:
    """seaborn's heatmap without its notice about a matplotlib call it will change (not ours to fix)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        return sns.heatmap(grid, **kw)


def _ax(ax: Axes | None, size: str = "wide") -> Axes:
    return ax if ax is not None else plt.figure(figsize=FIGSIZE[size]).add_subplot()


def _order(data: pd.DataFrame, group: str, lang: str) -> list[tuple[str, str]]:
    """(group id, label) pairs in a stable order: by id."""
    labs = pd.DataFrame({"g": data[group].astype(str), "l": group_labels(data, group, lang)}).drop_duplicates("g")
    return sorted(zip(labs["g"], labs["l"]))


def corpus_overview(reports: pd.DataFrame, lang: str = "en",
                    columns: tuple[str, ...] = ("n_chars_analysed", "n_indicators", "n_strategies")) -> Figure:
    """One panel per size measure, one bar per report: how much text and how many counts each gives."""
    fig, axes = plt.subplots(1, len(columns), figsize=FIGSIZE["wide"], sharey=True)
    order = _order(reports, "report_id", lang)
    data = reports.set_index("report_id")
    for i, (ax, col) in enumerate(zip(np.atleast_1d(axes), columns)):
        vals = [float(data.at[g, col]) for g, _ in order]
        ax.barh(range(len(order)), vals, color=PALETTE[i % len(PALETTE)])
        ax.set_yticks(range(len(order)), [lab for _, lab in order])
        ax.invert_yaxis()
        ax.set_xlabel(text(col, lang))
    return fig


def composition_bars(data: pd.DataFrame, group: str, category: str, value: str = "share",
                     dimension: str | None = None, lang: str = "en", xlabel: str | None = None,
                     ax: Axes | None = None) -> Axes:
    """Stacked horizontal bars of each group's shares across categories (shares of one bar sum to 1)."""
    ax = _ax(ax)
    order = _order(data, group, lang)
    cats = sorted(data[category].astype(str).unique())
    table = data.pivot_table(index=group, columns=category, values=value, aggfunc="sum", fill_value=0.0)
    left = np.zeros(len(order))
    colors = sns.color_palette(list(PALETTE), n_colors=len(cats)) if len(cats) <= len(PALETTE) \
        else sns.color_palette("tab20", n_colors=len(cats))
    for color, cat in zip(colors, cats):
        vals = np.array([float(table.at[g, cat]) if cat in table.columns else 0.0 for g, _ in order])
        ax.barh(range(len(order)), vals, left=left, color=color, label=code_label(dimension, cat, lang),
                edgecolor="white", linewidth=0.4)
        left += vals
    ax.set_yticks(range(len(order)), [lab for _, lab in order])
    ax.invert_yaxis()
    ax.set_xlim(0, max(1.0, float(left.max()) if len(left) else 1.0))
    ax.set_xlabel(xlabel or text("share_sentences", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), ncol=1)
    return ax


def residual_heatmap(data: pd.DataFrame, group: str, code: str = "code", value: str = "adj_resid",
                     annot: str = "observed", dimension: str | None = None, lang: str = "en",
                     ax: Axes | None = None) -> Axes:
    """Codes × groups coloured by adjusted residual, annotated with counts; |residual| ≥ 1.96 outlined."""
    ax = _ax(ax, "tall")
    order = _order(data, group, lang)
    codes = sorted(data[code].astype(str).unique())
    grid = data.pivot_table(index=code, columns=group, values=value, aggfunc="first").reindex(
        index=codes, columns=[g for g, _ in order])
    counts = data.pivot_table(index=code, columns=group, values=annot, aggfunc="first").reindex_like(grid)
    lim = max(2.0, float(np.nanmax(np.abs(grid.to_numpy()))))
    _heatmap(grid, ax=ax, cmap="RdBu_r", vmin=-lim, vmax=lim, center=0, annot=counts.fillna(0).astype(int),
                fmt="d", linewidths=0.5, linecolor="white", cbar_kws={"label": text("adj_resid", lang)},
                annot_kws={"fontsize": 6})
    resid = np.abs(grid.to_numpy())
    for i, j in zip(*np.nonzero(np.nan_to_num(resid) >= 1.96)):
        ax.add_patch(Rectangle((j + 0.04, i + 0.04), 0.92, 0.92, fill=False, edgecolor="black", lw=0.8))
    ax.set_xticks(np.arange(len(order)) + 0.5, [lab for _, lab in order], rotation=30, ha="right")
    ax.set_yticks(np.arange(len(codes)) + 0.5, [code_label(dimension, c, lang) for c in codes], rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return ax


def rate_ratio_forest(data: pd.DataFrame, group: str, code: str = "code", estimate: str = "rate_ratio",
                      low: str = "ci_low", high: str = "ci_high", dimension: str | None = None,
                      lang: str = "en", ax: Axes | None = None) -> Axes:
    """Rate ratios with 95 % intervals on a log axis, grouped by code; missing estimates are left out."""
    ax = _ax(ax, "tall")
    rows = data[data[estimate].notna() & data[low].notna() & (data.get("model", "") != "reference")]
    order = _order(data, group, lang)
    codes = sorted(rows[code].astype(str).unique())
    y, ticks, labels = 0, [], []
    for ci, c in enumerate(codes):
        part = rows[rows[code].astype(str) == c].set_index(group)
        for k, (g, lab) in enumerate(order):
            if g not in part.index:
                continue
            r = part.loc[g]
            ax.errorbar(r[estimate], y, xerr=[[r[estimate] - r[low]], [r[high] - r[estimate]]], fmt="o",
                        color=PALETTE[k % len(PALETTE)], ms=3, lw=0.8, capsize=0,
                        label=lab if ci == 0 or lab not in ax.get_legend_handles_labels()[1] else None)
            y += 1
        ticks.append(y - (len(part) + 1) / 2)
        labels.append(code_label(dimension, c, lang))
        y += 1
    ax.axvline(1.0, color="0.4", lw=0.6, ls="--")
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_PLAIN)
    ax.set_yticks(ticks, labels)
    ax.invert_yaxis()
    refs = sorted(set(data["reference"].astype(str))) if "reference" in data.columns else ["rest"]
    if refs == ["rest"]:
        ax.set_xlabel(text("rate_ratio", lang))
    else:
        ref_lab = dict(order).get(refs[0], refs[0])
        ax.set_xlabel(text("rate_ratio_ref", lang, ref=ref_lab))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax


def interval_dots(data: pd.DataFrame, group: str, value: str, low: str | None = None, high: str | None = None,
                  lang: str = "en", xlabel: str | None = None, ax: Axes | None = None) -> Axes:
    """One dot per group (with an interval when *low*/*high* are given), groups on the y axis."""
    ax = _ax(ax, "single")
    order = _order(data, group, lang)
    d = data.set_index(group)
    for k, (g, _) in enumerate(order):
        v = float(d.at[g, value])
        if low and high and np.isfinite(d.at[g, low]):
            ax.plot([d.at[g, low], d.at[g, high]], [k, k], color="0.55", lw=1.0)
        ax.plot(v, k, "o", color=PALETTE[0], ms=4)
    ax.set_yticks(range(len(order)), [lab for _, lab in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel(xlabel or (text(value, lang) if value in TEXT else value))
    return ax


def quantification_panels(style: pd.DataFrame, lang: str = "en") -> Figure:
    """Four panels of :func:`.analysis.quantification_style`: density, approximation, outcomes, formulas."""
    fig, axes = plt.subplots(2, 2, figsize=FIGSIZE["tall"], sharey=True)
    specs = [("indicators_per_1000", None, None), ("share_approx", "share_approx_low", "share_approx_high"),
             ("share_outcome", "share_outcome_low", "share_outcome_high"), ("formulas_per_1000", None, None)]
    for ax, (col, lo, hi) in zip(axes.ravel(), specs):
        interval_dots(style, "report_id", col, lo, hi, lang=lang, ax=ax)
        if lo:
            ax.set_xlim(-0.02, 1.02)
        else:
            ax.set_xlim(left=0)
    fig.tight_layout()
    return fig


def similarity_heatmap(data: pd.DataFrame, group: str = "report_id", value: str = "cosine", lang: str = "en",
                       ax: Axes | None = None) -> Axes:
    """Pairwise similarity matrix (the long output of :func:`.analysis.similarity`), diagonal blank."""
    ax = _ax(ax, "single")
    a, b = f"{group}_a", f"{group}_b"
    labs = {}
    for side, col in (("a", a), ("b", b)):
        reg = f"region_{lang}_{side}"
        labs.update(dict(zip(data[col], data[reg] if reg in data.columns else data[col])))
    ids = sorted(labs)
    grid = data.pivot_table(index=a, columns=b, values=value).reindex(index=ids, columns=ids)
    mask = np.eye(len(ids), dtype=bool)
    _heatmap(grid, mask=mask, ax=ax, cmap="Blues", vmin=0, vmax=float(np.nanmax(grid.to_numpy()[~mask])),
                annot=True, fmt=".2f", square=True, linewidths=0.5, linecolor="white",
                cbar_kws={"label": text("cosine", lang)}, annot_kws={"fontsize": 6})
    ax.set_xticks(np.arange(len(ids)) + 0.5, [labs[i] for i in ids], rotation=30, ha="right")
    ax.set_yticks(np.arange(len(ids)) + 0.5, [labs[i] for i in ids], rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    return ax


def keyness_bars(data: pd.DataFrame, group: str = "report_id", term: str = "term", value: str = "g2",
                 key: str = "key", top: int = 8, lang: str = "en") -> Figure:
    """One panel per group: its *top* key terms (overused, significant after BH) by G²."""
    order = _order(data, group, lang)
    fig, axes = plt.subplots(1, len(order), figsize=FIGSIZE["wide"], squeeze=False)
    for k, (ax, (g, lab)) in enumerate(zip(axes[0], order)):
        part = data[(data[group] == g) & data[key]].sort_values([value, term], ascending=[False, True]).head(top)
        ax.barh(range(len(part)), part[value], color=PALETTE[k % len(PALETTE)])
        ax.set_yticks(range(len(part)), list(part[term]))
        ax.set_ylim(top - 0.5, -0.5)
        ax.set_title(lab, fontsize=7)
        if not len(part):
            ax.text(0.5, 0.5, text("none", lang), transform=ax.transAxes, ha="center", va="center")
    fig.supxlabel(text("g2", lang), fontsize=8)
    fig.tight_layout()
    return fig


def per_capita_dots(data: pd.DataFrame, group: str = "report_id", value: str = "per_10000_residents",
                    hue: str = "subject_type", dimension: str | None = "subject_type", lang: str = "en",
                    ax: Axes | None = None) -> Axes:
    """Each reported quantity per 10,000 residents, by report; open markers where the level is a prefecture."""
    ax = _ax(ax)
    order = _order(data, group, lang)
    data = data[data[value] > 0]
    cats = sorted(data[hue].astype(str).unique())
    colors = dict(zip(cats, PALETTE if len(cats) <= len(PALETTE) else sns.color_palette("tab20", len(cats))))
    rng = np.random.default_rng(0)
    for k, (g, _) in enumerate(order):
        part = data[data[group] == g].sort_values(value)
        jitter = rng.uniform(-0.25, 0.25, len(part))
        for (_, r), j in zip(part.iterrows(), jitter):
            open_marker = str(r.get("admin_level", "")) == "prefecture"
            ax.plot(r[value], k + j, "o", ms=3.5, mec=colors[str(r[hue])],
                    mfc="none" if open_marker else colors[str(r[hue])], mew=0.8)
    for cat in cats:
        ax.plot([], [], "o", ms=3.5, color=colors[cat], label=code_label(dimension, cat, lang) if cat else
                text("none", lang))
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(_PLAIN)
    ax.set_yticks(range(len(order)), [lab for _, lab in order])
    ax.set_ylim(len(order) - 0.5, -0.5)
    ax.set_xlabel(text("per_capita", lang))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), title=text("prefecture_note", lang))
    return ax
