"""Every figure of the paper, drawn from the built tables by one call.

``make_all_figures(folder)`` is what notebook 05 and ``dangjian build --all``
run; ``FIGURES`` lists each figure with what it shows and which functions draw
it (``docs/figures.md`` is written from the same list).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from . import analysis as an
from . import paths
from . import plots as pl
from .style import publication_style, save_figure

__all__ = ["FigureSpec", "FIGURES", "load_tables", "draw_figure", "make_all_figures", "figures_markdown"]

TABLES = ("reports", "sentences", "indicators", "strategies", "mentions")


def load_tables(folder: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The built tables the figures need, by name."""
    from .tables import load_table

    return {name: load_table(name, folder) for name in TABLES}


def _fig(ax) -> Figure:
    return ax.figure


def _corpus(t, lang):
    return pl.corpus_overview(t["reports"], lang=lang)


def _composition(dimension: str, table: str, text_key: str):
    def draw(t, lang):
        rows = an.analysable(t[table]) if table == "sentences" else t[table]
        cells = an.contingency(rows, dimension, reports=t["reports"])
        return _fig(pl.composition_bars(cells, "report_id", "code", dimension=dimension, lang=lang,
                                        xlabel=pl.text(text_key, lang)))
    return draw


def _residuals(dimension: str):
    def draw(t, lang):
        cells = an.contingency(an.analysable(t["sentences"]), dimension, reports=t["reports"])
        return _fig(pl.residual_heatmap(cells, "report_id", dimension=dimension, lang=lang))
    return draw


def _rates(t, lang):
    rr = an.rate_ratios(t["sentences"], "theme", reports=t["reports"])
    return _fig(pl.rate_ratio_forest(rr, "report_id", dimension="theme", lang=lang))


def _style(t, lang):
    return pl.quantification_panels(an.quantification_style(t["reports"], t["indicators"], t["strategies"]),
                                    lang=lang)


#: Subject types whose counts mean something against a population (not money, events or documents).
PER_CAPITA_SUBJECTS = ("party_members", "party_organizations", "cadres_staff", "residents_households",
                       "facilities_posts")


def _per_capita(t, lang):
    rows = an.per_capita(t["indicators"], t["reports"], units=("person", "household", "count"))
    rows = rows[rows["subject_type"].isin(PER_CAPITA_SUBJECTS) & ~rows["exceeds_population"]]
    return _fig(pl.per_capita_dots(rows, lang=lang))


def _similarity(t, lang):
    sim = an.similarity(t["sentences"], reports=t["reports"], exclude=an.place_terms(t["reports"]))
    return _fig(pl.similarity_heatmap(sim, lang=lang))


def _keyness(t, lang):
    key = an.keyness(t["sentences"], reports=t["reports"], exclude=an.place_terms(t["reports"]))
    return pl.keyness_bars(key, lang=lang)


@dataclass(frozen=True)
class FigureSpec:
    """One paper figure: file name, what it shows, the functions that compute and draw it."""

    name: str
    shows: str
    functions: str
    draw: Callable[[dict[str, pd.DataFrame], str], Figure]


FIGURES: tuple[FigureSpec, ...] = (
    FigureSpec("fig01_corpus", "How much analysed text, how many indicator mentions and how many named "
               "strategies each report contributes.", "plots.corpus_overview", _corpus),
    FigureSpec("fig02_theme_shares", "Each report's coded sentences split by theme.",
               "analysis.contingency → plots.composition_bars", _composition("theme", "sentences",
                                                                              "share_sentences")),
    FigureSpec("fig03_theme_residuals", "Where a report uses a theme more or less than independence predicts "
               "(adjusted residuals; counts in the cells).", "analysis.contingency → plots.residual_heatmap",
               _residuals("theme")),
    FigureSpec("fig04_stage_shares", "Logic-model stage (input, activity, output, outcome) of each report's "
               "coded sentences.", "analysis.contingency → plots.composition_bars",
               _composition("stage", "sentences", "share_sentences")),
    FigureSpec("fig05_instrument_shares", "Policy instruments in each report's coded sentences.",
               "analysis.contingency → plots.composition_bars",
               _composition("instrument", "sentences", "share_sentences")),
    FigureSpec("fig06_strategy_kinds", "Kinds of named strategies (numbered formulas, quoted programmes, "
               "mechanisms) in each report.", "analysis.contingency → plots.composition_bars",
               _composition("kind", "strategies", "share_strategies")),
    FigureSpec("fig07_theme_rate_ratios", "Rate of theme-coded sentences per character in each report against "
               "the other reports pooled, with 95% intervals.", "analysis.rate_ratios → plots.rate_ratio_forest",
               _rates),
    FigureSpec("fig08_quantification_style", "How densely and how precisely each report counts: indicators per "
               "1,000 characters, approximate values, outcome share, numbered formulas.",
               "analysis.quantification_style → plots.quantification_panels", _style),
    FigureSpec("fig09_per_capita", "Reported counts of members, organizations, staff, residents and "
               "facilities per 10,000 residents (2020 census), the prefecture-level report marked; "
               "counts larger than the population are left out.", "analysis.per_capita → plots.per_capita_dots", _per_capita),
    FigureSpec("fig10_similarity", "How alike the reports' vocabularies are (TF-IDF cosine, place names left "
               "out).", "analysis.similarity → plots.similarity_heatmap", _similarity),
    FigureSpec("fig11_keyness", "Words each report uses significantly more than the others (log-likelihood, "
               "Benjamini–Hochberg).", "analysis.keyness → plots.keyness_bars", _keyness),
)


def draw_figure(spec: FigureSpec | str, tables: dict[str, pd.DataFrame] | None = None, lang: str = "en") -> Figure:
    """Draw one figure (by spec or name) in the publication style; the caller closes it."""
    if isinstance(spec, str):
        spec = {f.name: f for f in FIGURES}[spec]
    tables = tables if tables is not None else load_tables()
    with publication_style():
        return spec.draw(tables, lang)


def make_all_figures(folder: Path | str | None = None, lang: str = "en",
                     tables: dict[str, pd.DataFrame] | None = None,
                     names: Sequence[str] | None = None) -> list[Path]:
    """Draw every figure (or those in *names*) and write PNG, SVG and PDF to *folder* (default ``output/figures``)."""
    folder = Path(folder) if folder is not None else paths.figures_dir()
    tables = tables if tables is not None else load_tables()
    suffix = "" if lang == "en" else f"_{lang}"
    known = {f.name for f in FIGURES}
    unknown = sorted(set(names or ()) - known)
    if unknown:
        raise ValueError(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    written: list[Path] = []
    for spec in FIGURES:
        if names is not None and spec.name not in names:
            continue
        with publication_style():
            fig = spec.draw(tables, lang)
            try:
                written += save_figure(fig, spec.name + suffix, folder)
            finally:
                plt.close(fig)
    return written


def figures_markdown() -> str:
    """``docs/figures.md``: the figures index, written from :data:`FIGURES` so it cannot drift."""
    lines = [
        "# Figures index",
        "",
        "Every figure of the paper comes from one call, `dangjian_analysis.figures.make_all_figures(folder)`,",
        "which notebook `05_figures.ipynb` runs (and `dangjian build --all` with it). Each figure is written as",
        "PNG (300 dpi), SVG and PDF to `output/figures/`; the same tables give byte-identical files.",
        "Labels are English; `make_all_figures(folder, lang=\"zh\")` writes Chinese-labelled twins",
        "with a `_zh` suffix. Chinese glyphs come from the font found by `dangjian_analysis.fonts.find_cjk_font()`",
        "(see `docs/analysis.md`).",
        "",
        "| file | what it shows | drawn by |",
        "|---|---|---|",
    ]
    lines += [f"| `{f.name}` | {f.shows} | `{f.functions}` |" for f in FIGURES]
    lines += ["", "This page is generated: edit `FIGURES` in `dangjian_analysis/figures.py`, then run",
              "`python -c \"import dangjian_analysis.figures as f; open('docs/figures.md','w').write(f.figures_markdown())\"`.",
              ""]
    return "\n".join(lines)
