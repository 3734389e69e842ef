"""Property tests of the offset map: whatever is deleted or substituted, each character knows its raw offset."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian_analysis.textmap import MappedText


@st.composite
def text_and_spans(draw):
    """A text and sorted, non-overlapping spans to delete from it."""
    text = draw(st.text(alphabet="党建网格社区ab1２,。\n (wǎng)", max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=12)))
    spans = [(a, b) for a, b in zip(cuts[::2], cuts[1::2]) if a < b]
    return text, spans


@settings(max_examples=300, deadline=None)
@given(text_and_spans())
def test_delete_keeps_every_character_mapped_to_itself(case) -> None:
    text, spans = case
    mt = MappedText.identity(text).delete(spans)
    gone = {i for a, b in spans for i in range(a, b)}
    assert mt.index.tolist() == [i for i in range(len(text)) if i not in gone]
    assert all(text[r] == ch for ch, r in zip(mt.text, mt.index.tolist()))
    assert mt.raw_length == len(text)


@settings(max_examples=200, deadline=None)
@given(text_and_spans(), st.data())
def test_raw_span_covers_what_was_deleted_inside(case, data) -> None:
    text, spans = case
    mt = MappedText.identity(text).delete(spans)
    if not len(mt):
        return
    start = data.draw(st.integers(0, len(mt) - 1))
    end = data.draw(st.integers(start + 1, len(mt)))
    r0, r1 = mt.raw_span(start, end)
    kept = [i for i in range(r0, r1) if i in set(mt.index.tolist())]
    assert "".join(text[i] for i in kept) == mt.text[start:end]  # the raw span holds exactly these characters
    v0, v1 = mt.raw_spans(np.array([start]), np.array([end]))
    assert (int(v0[0]), int(v1[0])) == (r0, r1)


@settings(max_examples=100, deadline=None)
@given(text_and_spans())
def test_two_deletions_compose(case) -> None:
    """Deleting in two steps maps to the same raw offsets as the surviving characters had at the start."""
    text, spans = case
    once = MappedText.identity(text).delete(spans)
    twice = once.delete([(0, 1)] if len(once) else [])
    assert twice.index.tolist() == once.index.tolist()[1:]
    assert all(text[r] == ch for ch, r in zip(twice.text, twice.index.tolist()))
