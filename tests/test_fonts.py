"""The Chinese font search: environment variable, installed families, the shipped fallback, a clear error."""
from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from dangjian_analysis import fonts


@pytest.fixture(autouse=True)
def fresh_search(monkeypatch):
    monkeypatch.delenv(fonts.ENV_FONT, raising=False)
    fonts._find.cache_clear()
    yield
    fonts._find.cache_clear()


def _draws(path: Path, chars: str) -> bool:
    font = FT2Font(str(path))
    return all(font.get_char_index(ord(c)) for c in chars)


def test_found_font_draws_chinese_of_the_reports():
    path = fonts.find_cjk_font()
    assert path.is_file()
    # words of the reports, Simplified and Traditional, chosen here rather than from fonts.PROBE
    assert _draws(path, "社区党组织书记领办项目服务群众")
    assert _draws(path, "黨員幹部聯繫群眾")


def test_family_name_is_registered_with_matplotlib():
    family = fonts.cjk_font_family()
    found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    assert _draws(Path(found), "基层党建")


def test_environment_variable_with_a_file_wins(monkeypatch):
    shipped = fonts._shipped()
    serif = shipped.with_name("NotoSerifCJKsc-Regular.otf")
    if not serif.is_file():  # another CJK file to point at; the shipped one otherwise
        serif = shipped
    monkeypatch.setenv(fonts.ENV_FONT, str(serif))
    assert fonts.find_cjk_font() == serif.resolve()


def test_environment_variable_with_a_latin_font_is_refused(monkeypatch):
    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv(fonts.ENV_FONT, str(latin))
    with pytest.raises(fonts.CJKFontNotFound, match="no glyphs for Chinese"):
        fonts.find_cjk_font()


def test_environment_variable_with_an_unknown_family_is_refused(monkeypatch):
    monkeypatch.setenv(fonts.ENV_FONT, "No Such Hei Family")
    with pytest.raises(fonts.CJKFontNotFound, match="neither a font file nor an installed family"):
        fonts.find_cjk_font()


def test_installed_family_comes_before_the_shipped_file(monkeypatch):
    installed = fonts._shipped().with_name("NotoSerifCJKsc-Regular.otf")
    monkeypatch.setattr(fonts, "KNOWN_FAMILIES", ("Imaginary Sans SC",))
    monkeypatch.setattr(fonts, "_installed", lambda fam: installed if fam == "Imaginary Sans SC" else None)
    assert fonts.find_cjk_font() == installed.resolve()


def test_no_font_anywhere_gives_the_fix(monkeypatch):
    monkeypatch.setattr(fonts, "KNOWN_FAMILIES", ())
    monkeypatch.setattr(fonts, "_shipped", lambda: None)
    with pytest.raises(fonts.CJKFontNotFound) as err:
        fonts.find_cjk_font()
    assert "pip install mplfonts" in str(err.value)
    assert fonts.ENV_FONT in str(err.value)


def test_covers_chinese_rejects_a_file_that_is_not_a_font(tmp_path):
    bogus = tmp_path / "font.otf"
    bogus.write_bytes(b"not a font")
    assert not fonts.covers_chinese(bogus)


def test_registering_twice_adds_the_font_once():
    fonts.cjk_font_family()
    before = len(font_manager.fontManager.ttflist)
    fonts.cjk_font_family()
    assert len(font_manager.fontManager.ttflist) == before
