"""Find a font that really draws Simplified Chinese, so figures never show empty boxes.

Matplotlib's default fonts have no CJK glyphs: it warns "Glyph ... missing"
and draws boxes. The search goes, in order:

1. ``$DANGJIAN_CJK_FONT``: a path to a font file, or an installed family name;
2. installed families known to cover Simplified Chinese (Noto Sans CJK, Source
   Han Sans, PingFang, Microsoft YaHei, WenQuanYi, ...);
3. the Noto Sans CJK SC file shipped by the ``mplfonts`` dependency, so a plain
   ``pip install`` on any system has one.

Every candidate is checked for real coverage of common Chinese characters
before it is used.
"""
from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

__all__ = ["ENV_FONT", "KNOWN_FAMILIES", "CJKFontNotFound", "find_cjk_font", "cjk_font_family", "covers_chinese"]

ENV_FONT = "DANGJIAN_CJK_FONT"

#: Installed families tried in order; all cover the GB2312 set of Simplified characters.
KNOWN_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
    "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Heiti SC", "Hiragino Sans GB", "SimHei", "Noto Sans CJK JP", "Source Han Sans",
)

#: File inside the mplfonts package used when nothing is installed.
SHIPPED_FONT = ("mplfonts", "fonts", "NotoSansCJKsc-Regular.otf")

#: Characters a usable font must draw: common words of the reports and the figures' labels.
PROBE = "党建基层组织社区书记群众服务区市县镇街道万亿余多个名项户"

FIX = (
    "No font with Chinese glyphs was found. Fix: `pip install mplfonts` (ships Noto Sans CJK SC), "
    "or install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`), "
    f"or set {ENV_FONT} to a font file such as /path/to/NotoSansCJKsc-Regular.otf."
)


class CJKFontNotFound(RuntimeError):
    """No usable Chinese font; the message says how to get one."""


def covers_chinese(path: Path | str) -> bool:
    """True when the font file has a glyph for every probe character."""
    try:
        font = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(font.get_char_index(ord(ch)) for ch in PROBE)


def _installed(family: str) -> Path | None:
    wanted = family.casefold()
    hits = sorted((Path(f.fname) for f in font_manager.fontManager.ttflist if f.name.casefold() == wanted),
                  key=lambda p: (p.suffix.lower() == ".ttc", str(p)))
    return hits[0] if hits else None


def _shipped() -> Path | None:
    spec = importlib.util.find_spec(SHIPPED_FONT[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        path = Path(root).joinpath(*SHIPPED_FONT[1:])
        if path.is_file():
            return path
    return None


@lru_cache(maxsize=8)
def _find(env_value: str) -> Path:
    if env_value:
        as_path = Path(env_value).expanduser()
        path = as_path if as_path.is_file() else _installed(env_value)
        if path is None:
            raise CJKFontNotFound(f"{ENV_FONT}={env_value!r} is neither a font file nor an installed family. {FIX}")
        if not covers_chinese(path):
            raise CJKFontNotFound(f"{ENV_FONT}={env_value!r} ({path}) has no glyphs for Chinese text. {FIX}")
        return path.resolve()
    for family in KNOWN_FAMILIES:
        path = _installed(family)
        if path is not None and covers_chinese(path):
            return path.resolve()
    path = _shipped()
    if path is not None and covers_chinese(path):
        return path.resolve()
    raise CJKFontNotFound(FIX)


def find_cjk_font() -> Path:
    """The font file to draw Chinese with (see the module docstring for the search order)."""
    return _find(os.environ.get(ENV_FONT, "").strip())


def cjk_font_family() -> str:
    """Register the found font with matplotlib and return its family name for ``font.family``."""
    return _register(find_cjk_font())


@lru_cache(maxsize=8)
def _register(path: Path) -> str:
    """Add *path* to matplotlib's font list once (addfont appends on every call)."""
    if not any(Path(f.fname).resolve() == path for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()
