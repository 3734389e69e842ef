"""Property tests of normalization: reading aids, Traditional script and boilerplate never break the offset map."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_analysis.normalize import convert_aligned, normalize

SIMPLIFIED = list("党建社区服务中心组织干部工作群众")
#: Traditional characters whose Simplified form is one fixed character
TRADITIONAL = list("黨區網組織會課幹發廣國際後")
AIDS = ["(wǎng)", "(qū)", "(zǔ zhī)", "（dǎng）", "(jiàn shè)", "(huì )", "( guó )", "(zǔ  zhī)", "（dǎng\u3000）"]
BOILERPLATE = ["首页 > 新闻中心 > 正文", "分享到：微信 微博", "相关文章", "浏览次数：123", "责任编辑：王某"]
OTHER = ["(试行)", "（二）", "，", "。", "12", "１２", "ab", " ", "\n", "“", "”", "?"]


@st.composite
def report(draw):
    """A raw text of random pieces, and the raw spans of the pinyin reading aids put into it."""
    raw, aids = "", []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["simp", "trad", "aid", "boiler", "other"]))
        if kind == "simp":
            raw += draw(st.sampled_from(SIMPLIFIED))
        elif kind == "trad":
            raw += draw(st.sampled_from(TRADITIONAL))
        elif kind == "aid":  # a reading aid is glued after a Han character
            raw += draw(st.sampled_from(SIMPLIFIED + TRADITIONAL))
            aid = draw(st.sampled_from(AIDS))
            aids.append((len(raw), len(raw) + len(aid)))
            raw += aid
        elif kind == "boiler":
            raw += "\n" + draw(st.sampled_from(BOILERPLATE)) + "\n"
        else:
            raw += draw(st.sampled_from(OTHER))
    return raw, aids


@settings(max_examples=300, deadline=None)
@given(report())
def test_every_normalized_character_maps_to_a_raw_character_that_converts_to_it(case) -> None:
    raw, aids = case
    norm = normalize(raw)
    index = norm.mapped.index.tolist()
    assert len(index) == len(norm.text) and index == sorted(set(index))  # one raw offset each, in order
    for ch, r in zip(norm.text, index):
        assert ch == raw[r] or ch == convert_aligned(raw[r]), (ch, raw[r])
    assert not any(ch in TRADITIONAL for ch in norm.text)  # every Traditional character converted


@settings(max_examples=300, deadline=None)
@given(report())
def test_only_the_reading_aids_are_deleted(case) -> None:
    raw, aids = case
    norm = normalize(raw)
    deleted = sorted(set(range(len(raw))) - set(norm.mapped.index.tolist()))
    assert deleted == [i for a, b in aids for i in range(a, b)]
    assert "(试行)" in norm.text or "(试行)" not in raw  # ordinary parentheses stay


@settings(max_examples=200, deadline=None)
@given(report())
def test_boilerplate_lines_are_masked_and_map_back_to_raw(case) -> None:
    raw, _ = case
    norm = normalize(raw)
    for b in norm.boilerplate:
        r0, r1 = norm.mapped.raw_span(b.start, b.end)
        assert convert_aligned(raw[r0:r1]) == norm.text[b.start:b.end]
        assert norm.masked(b.start, b.end) == b.kind
    for piece in BOILERPLATE:  # a boilerplate line standing alone is always found
        if "\n" + piece + "\n" in raw:
            start = norm.text.find("\n" + piece + "\n") + 1
            assert norm.masked(start, start + len(piece)) is not None, piece


@pytest.mark.parametrize("raw, text", [
    ("會(huì )議", "会议"),  # a space before the closing parenthesis, as copies of pages leave it
    ("会(huì )议", "会议"),
    ("組( zǔ zhī )織", "组织"),
    ("黨（dǎng\u3000）建", "党建"),
    ("網(wǎng luò  )格", "网格"),
])
def test_reading_aids_with_spaces_inside_the_parentheses_are_removed(raw, text):
    norm = normalize(raw)
    assert norm.text == text
    kept = "".join(raw[i] for i in norm.mapped.index)  # the raw characters the offsets point to
    assert kept == raw[0] + raw[-1]  # each case: a character, its reading aid, a character


@pytest.mark.parametrize("raw", ["會 (huì)議", "会 (huì)议", "党(Party, dǎng)建", "會(huì)(yì)"])
def test_pinyin_the_rule_does_not_remove_is_flagged(raw):
    from dangjian_analysis.damage import damage_table

    norm = normalize(raw)
    rows = damage_table("r", norm)
    left = rows[rows["issue"] == "reading_aid_left"]
    assert len(left) == 1, rows.to_dict("records")
    start, end, span = left.iloc[0][["start", "end", "span"]]
    assert raw[start:end] == span and span.startswith("(") and span.endswith(")")


def test_untoned_latin_in_parentheses_is_neither_removed_nor_flagged():
    from dangjian_analysis.damage import damage_table

    norm = normalize("党建(Party building)工作(试行)")
    assert norm.text == "党建(Party building)工作(试行)"
    assert damage_table("r", norm).empty
