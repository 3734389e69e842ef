"""Normalization steps, each keeping the map back to raw offsets.

1. :func:`strip_reading_aids` removes parenthesized pinyin glued after a Han
   character (``網(wǎng)格`` → ``網格``); ordinary parentheses stay.
2. :func:`to_simplified` converts Traditional to Simplified with OpenCC,
   character for character, so offsets survive.
3. :func:`boilerplate_spans` finds web boilerplate (breadcrumbs, share
   buttons, related links, view counters, banners, credits). It is *masked*,
   not deleted: it stays in the text and tables, flagged, and is left out of
   indicators and coding.

Damage (lost characters, mojibake, mixed scripts) is detected in
:mod:`dangjian_analysis.damage` and reported, never repaired.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from .textmap import MappedText

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN_LETTERS = f"a-zü{_TONED}"
#: spaces a copy may leave inside the parentheses of a reading aid (``會(huì )``, ``(zǔ  zhī)``)
_AID_SPACE = "[ \u00a0\u3000]"
#: "(wǎng)", "(wǎng luò)" or "(huì )" directly after a Han character; at least one tone mark required
READING_AID = re.compile(
    rf"(?<=[{HAN}])[(（](?=[{_PINYIN_LETTERS} \u00a0\u3000]*[{_TONED}])"
    rf"{_AID_SPACE}{{0,2}}[{_PINYIN_LETTERS}]+(?:{_AID_SPACE}{{1,2}}[{_PINYIN_LETTERS}]+){{0,3}}{_AID_SPACE}{{0,2}}[)）]"
)
#: parentheses holding a tone-marked letter: what is left of one after :func:`strip_reading_aids` is flagged
TONED_PARENTHESES = re.compile(rf"[(（][^()（）\n]{{0,40}}[{_TONED}][^()（）\n]{{0,40}}[)）]")


def strip_reading_aids(mt: MappedText) -> MappedText:
    """Drop pinyin reading aids; never touches parentheses holding Chinese or untoned Latin text."""
    spans = [m.span() for m in READING_AID.finditer(mt.text)]
    return mt.delete(spans) if spans else mt


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def convert_aligned(text: str, config: str = "t2s") -> str:
    """OpenCC conversion that keeps the length: phrase-level where that keeps it, else per character."""
    cc = _converter(config)
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c) == 1 else ch for ch, c in ((ch, cc.convert(ch)) for ch in line))
        fixed.append(conv)
    return "\n".join(fixed)


def to_simplified(mt: MappedText) -> MappedText:
    """Traditional → Simplified (OpenCC ``t2s``), character for character."""
    return mt.substitute(convert_aligned(mt.text, "t2s"))


# --- web boilerplate -------------------------------------------------------
# Rules apply to whole lines of Simplified text; each has a kind for the tables.
BOILERPLATE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # two or more " > " separators on a line without 。; the lookahead rejects a 。 line before any
    # backtracking (the nested form `(?:\s>\s[^。]*){2,}$` took exponential time on " > " * 25 + "。")
    ("breadcrumb", re.compile(r"^\s*(当前位置|您的位置|你的位置|您现在的位置)[:：]|^(?=[^。\n]*$)[^\n]*?\s[>»]\s[^\n]*?\s[>»]\s")),
    ("page_meta", re.compile(r"^[^。\n]{0,60}(浏览次数|阅读次数|点击数|点击量|阅读量|访问量|浏览量)[:：]?[^。\n]{0,20}$")),
    ("share", re.compile(r"^\s*(分享到|分享至|扫一扫|扫码分享|微信扫一扫)[:：]?[^。\n]{0,40}$")),
    ("related", re.compile(r"^\s*(相关文章|相关阅读|相关新闻|相关链接|延伸阅读|热门文章|上一篇|下一篇)[:：]?[^。\n]{0,80}$")),
    ("recommendation", re.compile(r"^\s*(推荐访问|推荐阅读|猜你喜欢|为你推荐|热门推荐|精彩推荐)[:：]?[^。\n]{0,80}$")),
    ("banner", re.compile(r"^\s*(热烈祝贺|热烈庆祝|广告)[^。\n]{0,40}$")),
    ("credit", re.compile(r"^\s*[◆■●]?\s*(本报记者|记者|编辑|责任编辑|责编|统筹|来源|作者|通讯员|审核|校对)[:：\s][^。\n]{0,40}$")),
)


@dataclass(frozen=True)
class Boilerplate:
    """A masked stretch of normalized text: ``[start, end)`` and what kind of boilerplate."""

    start: int
    end: int
    kind: str


def boilerplate_spans(text: str) -> list[Boilerplate]:
    """Whole lines of *text* (normalized, Simplified) that are web boilerplate, not the report."""
    found: list[Boilerplate] = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            for kind, rule in BOILERPLATE_RULES:
                if rule.search(stripped):
                    lead = len(line) - len(line.lstrip())
                    found.append(Boilerplate(pos + lead, pos + lead + len(stripped), kind))
                    break
        pos += len(line) + 1
    return found


@dataclass(frozen=True)
class Normalized:
    """A report after normalization: Simplified text mapped to raw offsets, with masked boilerplate."""

    raw: str
    mapped: MappedText
    boilerplate: tuple[Boilerplate, ...]

    @property
    def text(self) -> str:
        return self.mapped.text

    @cached_property
    def _starts(self) -> list[int]:
        return [b.start for b in self.boilerplate]  # sorted: spans are whole lines in text order

    def _before(self, pos: int) -> int:
        """Index of the last boilerplate span starting at or before *pos* (-1 when none)."""
        return bisect.bisect_right(self._starts, pos) - 1

    def masked(self, start: int, end: int) -> str | None:
        """The boilerplate kind covering normalized ``[start, end)``, or None.

        A binary search, not a loop over all spans: a page of many boilerplate
        lines would otherwise cost (lines × spans).
        """
        i = self._before(start)
        if i >= 0 and end <= self.boilerplate[i].end:
            return self.boilerplate[i].kind
        return None

    def overlaps_boilerplate(self, start: int, end: int) -> bool:
        """True when normalized ``[start, end)`` shares any character with boilerplate."""
        i = self._before(max(start, end - 1))
        return i >= 0 and start < self.boilerplate[i].end and self.boilerplate[i].start < end


def normalize(raw: str) -> Normalized:
    """Run every normalization step over a raw report text."""
    mt = to_simplified(strip_reading_aids(MappedText.identity(raw)))
    return Normalized(raw, mt, tuple(boilerplate_spans(mt.text)))
