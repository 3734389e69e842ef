"""Reading isolated numerals: Arabic, full-width, Chinese, and Arabic with Chinese multipliers."""
from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_analysis.numerals import is_chinese_numeral, parse_chinese, parse_number, to_halfwidth


@pytest.mark.parametrize(
    "text, value",
    [
        ("203", 203), ("27.9", 27.9), ("1,234", 1234), ("２０３", 203), ("２７．９", 27.9),
        ("6000万", 60_000_000), ("27.9万", 279_000), ("1.5亿", 150_000_000), ("690亿", 69_000_000_000),
        ("十五", 15), ("两", 2), ("两千", 2000), ("千", 1000), ("万", 10_000), ("十", 10), ("二十", 20),
        ("一百零五", 105), ("三十六", 36), ("廿", 20), ("三十万", 300_000), ("兩千", 2000), ("三萬", 30_000),
        ("二〇二四", 2024), ("一九四九", 1949), ("九十八点五", 98.5), ("二点五万", 25_000), ("兩點五", 2.5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "12a", "二七区", "第一", "1.2.3", "万元"])
def test_not_a_numeral(text: str) -> None:
    assert parse_number(text) is None


def test_halfwidth_keeps_length() -> None:
    s = "覆盖率达８０％，共１，２３４人"
    assert len(to_halfwidth(s)) == len(s)
    assert "80%" in to_halfwidth(s)


def test_is_chinese_numeral() -> None:
    assert is_chinese_numeral("两千")
    assert not is_chinese_numeral("二七区")
    assert not is_chinese_numeral("")


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_round_trip(n: int) -> None:
    """Any integer written out in Chinese by cn2an reads back to itself."""
    assert parse_chinese(cn2an.an2cn(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**9))
def test_fullwidth_round_trip(n: int) -> None:
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(full) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99_999), st.sampled_from([("万", 1e4), ("亿", 1e8)]))
def test_multiplier(n: int, mult: tuple[str, float]) -> None:
    word, factor = mult
    assert parse_number(f"{n}{word}") == pytest.approx(n * factor)


_FULL = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12), st.booleans())
def test_thousands_separators_round_trip(n: int, full_width: bool) -> None:
    """1,234,567 (and full-width １，２３４，５６７) read back to the integer."""
    text = f"{n:,}"
    assert parse_number(text.translate(_FULL) if full_width else text) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=999), st.booleans())
def test_decimals_round_trip(whole: int, frac: int, full_width: bool) -> None:
    text = f"{whole}.{frac:03d}"
    assert parse_number(text.translate(_FULL) if full_width else text) == float(text)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_traditional_chinese_round_trip(n: int) -> None:
    """萬 and 億, as Traditional reports write them, read like 万 and 亿."""
    assert parse_chinese(cn2an.an2cn(n).replace("万", "萬").replace("亿", "億")) == n


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789,.，．０１２３４５６７８９零〇一二三四五六七八九十百千万亿两萬億点%％ab", max_size=20))
def test_any_string_gives_a_finite_number_or_none(text: str) -> None:
    """Malformed numerals (1,2,3 / 十十 / 万万万) are refused with None, never an exception or infinity."""
    value = parse_number(text)
    assert value is None or (isinstance(value, float) and value == value and abs(value) != float("inf"))


@pytest.mark.parametrize("text", ["1" * 400, "9" * 309 + "亿", "1" * 400 + ".5"])
def test_a_number_too_long_to_be_one_is_none_not_infinity(text: str) -> None:
    assert parse_number(text) is None
