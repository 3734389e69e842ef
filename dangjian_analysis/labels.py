"""How a fact that is not known is shown: the one place figures, tables and notebooks format labels.

Metadata may leave a year, region or level null. A label then says so
("n.d." for a year, "unknown" for anything else) instead of showing ``nan``,
``<NA>`` or an invented value. Every figure and notebook label of a report
goes through these functions.
"""
from __future__ import annotations

import math
from typing import Any

#: what a missing value is shown as, by kind and language
NO_DATE = {"en": "n.d.", "zh": "年份不详"}
UNKNOWN = {"en": "unknown", "zh": "不详"}


def is_missing(value: Any) -> bool:
    """True for None, NaN, pandas' NA and empty or blank text."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(value != value) or (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):  # pandas.NA refuses bool()
        return True


def year_label(year: Any, lang: str = "en") -> str:
    """``2024`` for a known year (also when stored as 2024.0 or "2024"), ``n.d.`` (年份不详) when not known."""
    if is_missing(year):
        return NO_DATE[lang]
    try:
        return str(int(float(year)))
    except (TypeError, ValueError):
        return str(year)


def text_label(value: Any, lang: str = "en") -> str:
    """The value as text, or ``unknown`` (不详) when it is not known."""
    return UNKNOWN[lang] if is_missing(value) else str(value)


def report_label(region: Any, year: Any = None, lang: str = "en", with_year: bool = True,
                 fallback: Any = None) -> str:
    """A report's display label: ``Region (2024)``, ``Region (n.d.)``; Chinese brackets in zh.

    With the region unknown the label uses *fallback* (say the report id, so two such reports stay
    apart on an axis), or ``unknown``.
    """
    name = str(fallback) if is_missing(region) and not is_missing(fallback) else text_label(region, lang)
    if not with_year:
        return name
    return f"{name} ({year_label(year, lang)})" if lang == "en" else f"{name}（{year_label(year, lang)}）"
