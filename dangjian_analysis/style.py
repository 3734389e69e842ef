"""One publication style for every figure, and a writer that gives the same bytes every run.

Why each setting:

* ``font.family``: the Chinese font from :mod:`.fonts` first, so region names,
  strategy names and key terms draw real glyphs in English figures too.
* ``pdf.fonttype = 3``: the CJK fonts we find are usually OpenType/CFF;
  matplotlib's Type 42 writer declares them TrueType, which PDF readers flag as
  a font mismatch. Type 3 embeds a clean, searchable subset.
* ``svg.fonttype = "path"``: glyphs as outlines, so an SVG looks the same on a
  machine without the font.
* ``svg.hashsalt`` and the metadata below: no random ids, dates or version
  strings, so PNG, SVG and PDF are byte-identical across runs.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from .fonts import cjk_font_family

__all__ = ["PALETTE", "FIGSIZE", "DPI", "FORMATS", "publication_style", "save_figure", "style_rc"]

#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies and in greyscale print.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
                            "#56B4E9", "#F0E442", "#000000", "#999999", "#882255")

#: Figure sizes in inches: one journal column, and the full text width.
FIGSIZE = {"single": (3.5, 2.6), "wide": (7.0, 3.6), "tall": (7.0, 5.2)}
DPI = 300
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
HASHSALT = "dangjian-analysis"

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Producer": None, "Creator": None},
}


def style_rc() -> dict:
    """The rcParams of the publication style (the Chinese font is looked up here)."""
    return {
        "font.family": [cjk_font_family(), "DejaVu Sans"],
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.linewidth": 0.6,
        "axes.prop_cycle": matplotlib.cycler(color=list(PALETTE)),
        "axes.unicode_minus": True,
        "figure.dpi": 100,
        "figure.figsize": FIGSIZE["wide"],
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.05,
        "pdf.fonttype": 3,
        "svg.fonttype": "path",
        "svg.hashsalt": HASHSALT,
        "path.simplify": True,
        "image.cmap": "RdBu_r",
    }


@contextmanager
def publication_style() -> Iterator[dict]:
    """Draw inside ``with publication_style():`` to get the project's look."""
    rc = style_rc()
    with plt.rc_context(rc):
        yield rc


def save_figure(fig: Figure, name: str, folder: Path | str, formats: Sequence[str] = FORMATS) -> list[Path]:
    """Write ``<folder>/<name>.png|.svg|.pdf`` with fixed metadata; return the paths written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with plt.rc_context({"svg.hashsalt": HASHSALT, "pdf.fonttype": 3, "svg.fonttype": "path",
                         "savefig.bbox": "tight", "savefig.pad_inches": 0.05}):
        for fmt in formats:
            if fmt not in _METADATA:
                raise ValueError(f"unsupported figure format {fmt!r}; use one of {', '.join(FORMATS)}")
            path = folder / f"{name}.{fmt}"
            fig.savefig(path, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
            written.append(path)
    return written
