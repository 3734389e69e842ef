"""Property tests of normalization: reading aids, Traditional script and boilerplate never break the offset map."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_analysis.normalize import convert_aligned, normalize

SIMPLIFIED = list("党建社区服务中心组织干部工作群众")
#: Traditional characters whose Simplified form is one fixed character
TRADITIONAL = list("黨區網組織會課幹發廣國際後")
AIDS = ["(wǎng)", "(qū)", "(zǔ zhī)", "（dǎng）", "(jiàn shè)"]
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
