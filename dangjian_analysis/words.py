"""Words and their parts of speech: jieba with the domain dictionary, on short windows only.

Subjects (:mod:`dangjian_analysis.indicators`) and a few kind decisions
(:mod:`dangjian_analysis.mentions`: an idiom is not a formula, a count is
next to a verb) need to know where a word ends and what it is. jieba decides
both; only windows of a few dozen characters are ever segmented, and results
are cached, so the cost does not grow with the report.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def posseg():
    """jieba's POS tagger with the domain dictionary ``data/userdict.txt`` loaded (once)."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    path = resources.files("dangjian_analysis").joinpath("data/userdict.txt")
    with resources.as_file(path) as p:
        jieba.load_userdict(str(p))
    pseg.dt.makesure_userdict_loaded()  # the domain words' tags, for :func:`word_tag`
    return pseg


_QUOTED = re.compile(r"“[^“”]{1,16}”|《[^《》]{1,30}》|「[^「」]{1,16}」")


@lru_cache(maxsize=65536)
def tokens(window: str) -> tuple[tuple[str, str], ...]:
    """(word, POS tag) pairs; a quoted name (“两委”, 《劳动合同》) is one noun token."""
    out: list[tuple[str, str]] = []
    pos = 0
    cut = posseg().cut
    for m in _QUOTED.finditer(window):
        if m.start() > pos:
            out.extend((w.word, w.flag) for w in cut(window[pos:m.start()], HMM=False))
        out.append((m.group(), "nz"))
        pos = m.end()
    if pos < len(window):
        out.extend((w.word, w.flag) for w in cut(window[pos:], HMM=False))
    return tuple(out)


def word_tag(word: str) -> str:
    """The POS tag jieba's dictionary gives *word* (``i`` idiom, ``v`` verb …), '' when it is not a word."""
    return posseg().dt.word_tag_tab.get(word, "")
