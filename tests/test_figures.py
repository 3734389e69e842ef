"""Every paper figure from the built tables: all files written, real glyphs, same bytes twice."""
from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402

from dangjian_analysis import figures  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def tables(built):
    return figures.load_tables(built)


@pytest.fixture(scope="module")
def first_run(tables, tmp_path_factory):
    folder = tmp_path_factory.mktemp("figures")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        written = figures.make_all_figures(folder, tables=tables)
    return folder, written, [str(w.message) for w in record]


def test_every_figure_in_three_formats(first_run):
    folder, written, _ = first_run
    names = {p.name for p in written}
    assert names == {f"{f.name}.{ext}" for f in figures.FIGURES for ext in ("png", "svg", "pdf")}
    assert all(p.parent == folder and p.stat().st_size > 2000 for p in written)


def test_no_missing_glyphs(first_run):
    assert [m for m in first_run[2] if "Glyph" in m and "missing" in m] == []


def test_figures_come_back_identical(first_run, tables, tmp_path):
    folder, _, _ = first_run
    again = figures.make_all_figures(tmp_path, tables=tables, names=["fig03_theme_residuals", "fig11_keyness"])
    assert len(again) == 6
    for path in again:
        assert path.read_bytes() == (folder / path.name).read_bytes(), path.name


def test_chinese_twins_draw_without_missing_glyphs(tables, tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        written = figures.make_all_figures(tmp_path, lang="zh", tables=tables, names=["fig11_keyness"])
    assert [p.name for p in written] == ["fig11_keyness_zh.png", "fig11_keyness_zh.svg", "fig11_keyness_zh.pdf"]
    assert not [w for w in record if "Glyph" in str(w.message) and "missing" in str(w.message)]


def test_unknown_figure_name_is_refused(tables, tmp_path):
    with pytest.raises(ValueError, match="unknown figure"):
        figures.make_all_figures(tmp_path, tables=tables, names=["fig99"])


def test_names_are_unique_and_numbered():
    names = [f.name for f in figures.FIGURES]
    assert len(names) == len(set(names))
    assert names == sorted(names) and all(n.startswith("fig") for n in names)


def test_docs_index_is_current():
    assert (ROOT / "docs" / "figures.md").read_text(encoding="utf-8") == figures.figures_markdown()
