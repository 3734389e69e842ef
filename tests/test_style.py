"""The publication style draws real Chinese glyphs and writes the same bytes every run."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from matplotlib.ft2font import FT2Font  # noqa: E402

from dangjian_analysis.fonts import find_cjk_font  # noqa: E402
from dangjian_analysis.style import publication_style, save_figure  # noqa: E402

LABELS_ZH = ["大同市云冈区", "庆阳市", "郑州市二七区"]
TITLE = "党员“双报到”覆盖率达80%以上 · 黨員幹部 6000多萬元"


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _chart():
    fig, ax = plt.subplots(figsize=(4, 2.5))
    ax.bar(LABELS_ZH, [3, -1, 2])
    ax.set_title(TITLE)
    ax.set_xlabel("Region 地区")
    return fig


def _glyph_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "Glyph" in str(w.message) and "missing" in str(w.message)]


def test_chinese_text_draws_without_missing_glyphs(tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with publication_style():
            fig = _chart()
            save_figure(fig, "zh", tmp_path)
    assert _glyph_warnings(record) == []


def test_the_glyph_check_does_fire_without_the_style(tmp_path):
    # negative control: the default Latin font lacks these glyphs, and the warning is what the test above looks for
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        with plt.rc_context({"font.family": ["DejaVu Sans"]}):
            fig = _chart()
            fig.savefig(tmp_path / "boxes.png")
    assert _glyph_warnings(record)


def test_three_formats_written(tmp_path):
    with publication_style():
        paths = save_figure(_chart(), "fig", tmp_path / "out")
    assert [p.suffix for p in paths] == [".png", ".svg", ".pdf"]
    assert all(p.stat().st_size > 1000 for p in paths)


def test_saving_twice_gives_identical_bytes(tmp_path):
    first, second = [], []
    for folder, bucket in ((tmp_path / "a", first), (tmp_path / "b", second)):
        with publication_style():
            bucket += save_figure(_chart(), "same", folder)
        plt.close("all")
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_files_carry_no_dates_or_versions(tmp_path):
    with publication_style():
        png, svg, pdf = save_figure(_chart(), "meta", tmp_path)
    assert "Software" not in Image.open(png).info
    svg_text = svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg_text
    assert b"/CreationDate" not in pdf.read_bytes()
    assert matplotlib.__version__.encode() not in pdf.read_bytes()


def test_pdf_embeds_the_chinese_font(tmp_path):
    with publication_style():
        (pdf,) = save_figure(_chart(), "font", tmp_path, formats=["pdf"])
    data = pdf.read_bytes()
    assert b"/Type3" in data  # Type 3 subset: no TrueType/CFF mismatch for OpenType fonts
    name = FT2Font(str(find_cjk_font())).postscript_name  # e.g. NotoSansCJKsc-Regular
    assert name.encode() in data


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unsupported figure format"):
        save_figure(_chart(), "x", tmp_path, formats=["jpg"])
