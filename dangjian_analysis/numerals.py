"""Numerals as written → numbers.

Reports mix Arabic digits (``203``, ``27.9``), full-width digits (``２０３``),
Chinese numerals (``十五``, ``两千``, ``千``) and Arabic digits scaled by a
Chinese multiplier (``6000万``, ``1.5亿``). These functions read one isolated
numeral string at a time. They are never run over running text: an in-text
transform would turn the numerals inside place names and fixed words into digits
(see ``data/numeral_words.yaml`` for the words that keep them).

Chinese numerals are read with :mod:`cn2an` (cached); what cn2an refuses
(bare ``千``, ``万``) is completed first (``一千``).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

#: every character that can be part of a Chinese numeral
CN_NUMERAL_CHARS = "零〇一二三四五六七八九十百千万亿两廿"
CN_DIGITS = "零〇一二三四五六七八九两廿"
#: Arabic digits, ASCII and full-width
ARABIC_DIGITS = "0-9０-９"

MULTIPLIERS = {"百": 1e2, "千": 1e3, "万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8}

_HALF = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_ARABIC = re.compile(r"^([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?)([百千万萬亿億]*)$")
_CN_ONLY = re.compile(f"^[{CN_NUMERAL_CHARS}萬億兩]+(?:[点點][{CN_NUMERAL_CHARS}兩]+)?$")


def to_halfwidth(text: str) -> str:
    """Full-width digits, point, comma and percent sign → ASCII (same length)."""
    return text.translate(_HALF)


def _multiplier(chars: str) -> float | None:
    factor = 1.0
    for ch in chars:
        if ch not in MULTIPLIERS:
            return None
        factor *= MULTIPLIERS[ch]
    return factor


@lru_cache(maxsize=8192)
def parse_chinese(text: str) -> float | None:
    """A Chinese numeral (``十五``, ``两千``, ``二〇二四``, ``千``) → its value, or None.

    Digit strings without place words (``二〇二四``, ``五四``) are read digit by
    digit, as years and codes are written.
    """
    s = text.replace("萬", "万").replace("億", "亿").replace("兩", "两").replace("點", "点")
    if not s or not _CN_ONLY.match(s):
        return None
    if s[0] in "十百千万亿":
        s = "一" + s
    if "点" in s and s[-1] in "万亿":  # 二点五万: a decimal scaled by its multiplier
        base = parse_chinese(s[:-1])
        return None if base is None else base * MULTIPLIERS[s[-1]]
    if len(s) > 1 and "点" not in s and all(ch in "零〇一二三四五六七八九" for ch in s):
        return float("".join(str("零一二三四五六七八九".index(ch)) if ch != "〇" else "0" for ch in s))
    import cn2an

    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return float(value)


@lru_cache(maxsize=8192)
def parse_number(text: str) -> float | None:
    """One numeral as written → float, or None when it is not a well-formed numeral.

    Accepts Arabic (``1,234``, ``27.9``, full-width), Arabic with Chinese
    multipliers (``6000万`` → 6e7, ``1.5亿``), Chinese (``两千`` → 2000) and
    Chinese numerals followed by multipliers (``三十万``).
    """
    s = to_halfwidth(text.strip())
    if not s:
        return None
    m = _ARABIC.match(s)
    if m:
        factor = _multiplier(m.group(2))
        if factor is None:
            return None
        value = float(m.group(1).replace(",", "")) * factor
        return value if math.isfinite(value) else None  # 400 digits overflow to inf: not a quantity
    value = parse_chinese(s)
    if value is not None and math.isfinite(value):
        return value
    return None


def is_chinese_numeral(text: str) -> bool:
    """True when *text* is written only with Chinese numeral characters."""
    return bool(text) and bool(_CN_ONLY.match(text))
