"""Every numeral in a report, each with one ``kind``.

One compiled pattern is matched on the normalized (Simplified) text, only
where a run of numeral characters begins (:func:`iter_matches`). Its
alternatives are tried in order at each position, and the leftmost match wins,
so a fixed word (进一步, 两委) or a date (2023年12月) claims its characters
before the generic quantity pattern can. What the pattern cannot settle alone
(is ``三个`` a count or part of a named framework?) is decided by the context
rules in :func:`_classify_quantity`. Each decision names its ``rule``, so a
researcher can audit why a numeral got its kind.

Kinds: ``indicator``, ``date``, ``ordinal``, ``formula``, ``name``, ``unknown``
(see docs/indicators.md). Offsets in the returned tables are raw offsets.
"""
from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from .normalize import Normalized, normalize
from .numerals import parse_chinese, parse_number
from .rows import BOOL, FLOAT, INT, frame
from .words import word_tag

MENTION_COLUMNS = ["start", "end", "span", "kind", "value", "boilerplate", "damaged", "rule"]
KINDS = ("indicator", "date", "ordinal", "formula", "name", "unknown")

# --- building blocks ---------------------------------------------------------
CN_CHARS = "零〇一二三四五六七八九十百千万亿两廿"
CN = f"[{CN_CHARS}]"
DIG = "[0-9０-９]"
AR = f"{DIG}+(?:,[0-9]{{3}})*(?:[.．]{DIG}+)?"
CNUM = f"{CN}+(?:点{CN}+)?"  # 九十八点五
NUM = f"(?:{AR}|{CNUM})"
RNG = "(?:——|[—–\\-~～至到])"
#: blank inside a line; no rule reaches across a line break, so each line can be scanned on its own
SP = "[ \\t\\u3000]"
#: Han characters that are not numeral characters (an explicit class is much faster than a lookahead)


def _han_without_numerals() -> str:
    excluded = sorted(ord(c) for c in CN_CHARS)
    ranges, lo = [], 0x4E00
    for cp in excluded:
        if lo <= cp - 1:
            ranges.append((lo, cp - 1))
        lo = cp + 1
    ranges.append((lo, 0x9FFF))
    return "[" + "".join(f"\\u{a:04x}-\\u{b:04x}" if a != b else f"\\u{a:04x}" for a, b in ranges) + "]"


HANX = _han_without_numerals()
HAN = "[\u4e00-\u9fff]"

@lru_cache(maxsize=1)
def measure_vocabulary() -> dict:
    """Measure words → units, duration words and people nouns, from ``data/measure_words.yaml``."""
    text = resources.files("dangjian_analysis").joinpath("data/measure_words.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


UNIT_OF_MEASURE: dict[str, str] = {str(w): unit for unit, words in measure_vocabulary()["units"].items()
                                   for w in words}
#: measure words and units after a number, longest first
MEASURE_WORDS = tuple(sorted(UNIT_OF_MEASURE, key=lambda w: (-len(w), w)))
MW = "(?:" + "|".join(re.escape(w) for w in MEASURE_WORDS) + ")"
POST = "(?:以上|以下|左右|上下|之多|有余)"
TIME_MEASURES = frozenset(str(w) for w in measure_vocabulary()["duration"])
VERBAL_MEASURES = frozenset(str(w) for w in measure_vocabulary()["verbal"])
COUNT_ADVERBS = tuple(sorted((str(w) for w in measure_vocabulary()["count_adverbs"]), key=len, reverse=True))


def unit_of(measure_word: str) -> str:
    """The INDICATORS.md unit for a measure word (``count`` for every other classifier)."""
    return UNIT_OF_MEASURE.get(measure_word, "count")


# --- the lexicon of fixed words ----------------------------------------------
@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """Fixed words containing numerals → kind, from ``data/numeral_words.yaml``."""
    text = resources.files("dangjian_analysis").joinpath("data/numeral_words.yaml").read_text(encoding="utf-8")
    words: dict[str, str] = {}
    for kind, items in (yaml.safe_load(text) or {}).items():
        if kind not in KINDS:
            raise ValueError(f"numeral_words.yaml: unknown kind {kind!r}")
        for w in items or []:
            words[str(w)] = kind
    return words


# --- the master pattern --------------------------------------------------------
YEAR4 = f"(?:1[89]{DIG}{DIG}|20{DIG}{DIG}|[12][0-9０-９]{{3}}(?=年度))"
CN_YEAR = "[〇零一二三四五六七八九]{4}"
CN_MONTH = "(?:十[一二]?|[一二三四五六七八九])"
CN_DAY = "(?:三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
DATE_SUFFIX = "(?:以来|来|度|底|初|末|中旬|上旬|下旬|份)?"

_PATTERNS: list[tuple[str, str]] = [
    # a range of years, full dates, clock times
    ("date_year_range", f"{YEAR4}{SP}*{RNG}{SP}*{YEAR4}年度?"),
    ("date_ymd", f"{DIG}{{4}}[-/.]{DIG}{{1,2}}[-/.]{DIG}{{1,2}}"
                 f"(?:{SP}+{DIG}{{1,2}}:{DIG}{{2}}(?::{DIG}{{2}})?)?"),
    ("date_clock", f"(?<![0-9０-９]){DIG}{{1,2}}[:：]{DIG}{{2}}(?:[:：]{DIG}{{2}})?(?![0-9０-９])"),
    ("date_year", f"(?:{YEAR4}|{CN_YEAR})年(?:{DIG}{{1,2}}月(?:{DIG}{{1,2}}[日号])?|{CN_MONTH}月(?:{CN_DAY}[日号])?)?"
                  f"(?:以来|度|底|初|末|上半年|下半年)?"),
    ("date_month_range", f"{DIG}{{1,2}}{SP}*{RNG}{SP}*{DIG}{{1,2}}月(?:份)?"),
    ("date_month", f"{DIG}{{1,2}}月(?:{DIG}{{1,2}}[日号])?{DATE_SUFFIX}"),
    ("date_cn_month_day", f"{CN_MONTH}月{CN_DAY}[日号]"),
    ("name_document_number", f"[〔\\[［(（]{DIG}{{4}}[〕\\]］)）]{SP}*(?:第{SP}*)?{DIG}+{SP}*号"),
    ("date_day", f"{DIG}{{1,2}}日(?=[^0-9０-９个天]|$)|{DIG}{{1,2}}号(?=[上下]午|晚上|凌晨|当天)"),
    ("date_period", f"(?:近|最近)?(?:{DIG}{{1,2}}|{CN}{{1,3}})年多?(?:来|以来|(?=累计|共计?|间))|近(?:{DIG}{{1,2}}|[一二两三四五六七八九十]{{1,2}})(?:年|个月)(?![级度])"),
    ("date_quarter", "(?:[一二三四1-4１-４])季度"),
    # ordinals
    ("ordinal_di", f"第{NUM}"),
    ("ordinal_congress", "(?:十[一二三四五六七八九]|二十[一二三]?)大(?![项类工事])"),
    ("ordinal_session", f"{NUM}届(?:{CN}+中全会|{CN}+次(?:全体)?(?:会议|全会)?)?|{CN}+中全会"
                        f"|[一二三四五六七八九十]+次(?:全体会议|会议|代表大会|党代会)"),
    ("ordinal_anniversary", f"{NUM}周年"),
    ("ordinal_century", f"{NUM}世纪"),
    ("ordinal_number_label", f"{DIG}+号"),
    ("ordinal_list_marker", f"^[ \\t\\u3000]*(?:{CN}+|{DIG}{{1,2}})(?:[、．]|\\.(?![0-9]))"),
    ("ordinal_bracket", f"[（(](?:{CN}{{1,3}}|{DIG}{{1,2}})[）)]"),
    ("ordinal_enumeration", f"(?:其)?{CN}{{1,2}}是(?![否非])|其[一二三四五六七八九十]"),
    ("name_very", "十分(?!钟)"),
    # a generation label (90后党员, 00后志愿者) names people; it counts nothing
    ("name_cohort", "(?<![0-9０-９.])(?:[5-9]0|00|10|[５-９]０|００|１０)后(?![0-9０-９分钟])"),
    # formulas
    ("formula_plus", f"{DIG}+{SP}*[+＋]{SP}*(?:{DIG}+|[A-Za-zＡ-Ｚａ-ｚ]+)(?:{SP}*[+＋]{SP}*(?:{DIG}+|[A-Za-z]+))*"
                     f"(?:{SP}*[>＞=＝]{SP}*{DIG}+)?|[A-Za-z]{SP}*[+＋]{SP}*{DIG}+"),
    ("formula_pair", f"{DIG}+对(?:{DIG}+|[A-Za-zＡ-Ｚａ-ｚ])(?![A-Za-z0-9])"),
    ("fraction", f"(?:{CN}+|{DIG}+)分之(?:{CNUM}|{DIG}+(?:[.．]{DIG}+)?)(?:{RNG}(?:百分之)?{NUM})?{POST}?"),
    ("formula_one_many", f"一(?![个年天次名位项件场期])(?:{HANX}{{1,2}})多{HANX}{{1,2}}"),
    ("formula_numbered_pairs", f"(?!{CN}+[点至到]{CN})(?:{CN}{{1,2}}{HANX}{{1,3}}){{1,3}}{CN}{{1,2}}{HANX}{{1,2}}"),
    ("date_cn_month", f"{CN_MONTH}月(?:份|底|初|末|中旬|上旬|下旬)"),
    # quantities
    ("percent_cn", f"百分之{NUM}(?:{RNG}(?:百分之)?{NUM})?{POST}?"),
    ("percent_cheng", f"(?:[一二三四五六七八九]|{DIG})成(?:以上|以下|左右|多)?(?![立为员果绩功效本])"),
    # a range may repeat its multiplier and unit (3000元至1万元, 3万元-5万元, 50%-75%)
    ("quantity", f"(?:(?P<a1>{AR})(?:(?:(?P<p1>[%％])|(?P<m1>[百千万亿]+)?(?:(?P<u1>{MW})"
                 f"(?={SP}*{RNG}{SP}*{AR}[百千万亿]*[多余]?(?P=u1)))?)?{SP}*(?P<ar>{RNG}){SP}*(?P<a2>{AR}))?"
                 f"|(?P<c1>{CNUM})(?:(?P<cr>{RNG})(?P<c2>{CNUM}))?)"
                 f"(?P<s1>[多余])?(?P<mult>(?!千[克米])[百千万亿]+)?(?P<s2>[多余])?(?P<mw>{MW})?(?P<post>{POST})?"),
]


def trie_regex(words) -> str:
    """One regex matching any of *words*, longest first, written as a prefix tree.

    A flat alternation of hundreds of words is tried branch by branch at every
    position; a prefix tree lets the regex engine reject a position after one
    character.
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return emit(trie)


@lru_cache(maxsize=1)
def master_pattern() -> re.Pattern[str]:
    """Lexicon words (longest first, as a prefix tree), then the rules of :data:`_PATTERNS`, as one alternation."""
    lex = "(?P<lexicon>" + trie_regex(lexicon()) + ")"
    alts = [lex] + [f"(?P<{name}>{pat})" for name, pat in _PATTERNS]
    return re.compile("|".join(alts), re.M)


QUANTITY = re.compile(dict(_PATTERNS)["quantity"])
QUANTITY_GROUPS = ("a1", "p1", "m1", "u1", "ar", "a2", "c1", "cr", "c2", "s1", "mult", "s2", "mw", "post")
#: short quoted phrases (slogans) and book titles
QUOTE = re.compile(r"“[^“”\n]{1,40}”|\"[^\"\n]{1,40}\"|「[^「」\n]{1,40}」|『[^『』\n]{1,40}』|‘[^‘’\n]{1,40}’")
TITLE = re.compile(r"《[^《》\n]{1,120}》|〈[^〈〉\n]{1,120}〉")
MAX_SLOGAN_CHARS = 12
#: a longer quoted name (programme, campaign) has no sentence punctuation and at most this many characters
MAX_NAME_CHARS = 24
SPEECH_PUNCT = re.compile("[，。！？；,!?;]")
#: a character before a round Chinese numeral that makes it vague: 数十, 几百, 上千
VAGUE_BEFORE = "数几上"
#: how far back a 每 can set a rate (每季度组织1次…活动、召开一次点评会)
RATE_WINDOW = 48
DAMAGE_CHARS = "?\ufffd"
#: a rate is introduced by 每 / 按每 within the same clause
CLAUSE_END = "，。；！？：\n,;!?:"


def clause_break(extra: str = "") -> str:
    """A regex for one clause break; an ASCII comma between digits (1,234) is not one."""
    chars = re.escape(CLAUSE_END.replace(",", "").replace(":", "") + extra)
    return f"(?:[{chars}]|,(?![0-9０-９])|:(?![0-9０-９]))"


_LAST_CLAUSE_BREAK = re.compile(f"(?s).*{clause_break()}")
LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
PROGRAMME_AFTER = re.compile(r"^(?:攻坚|行动|计划|规划|工程|服务圈|生活圈|之外|以外|工作法)")
PREFIX_QUALIFIERS = (
    ("大约", "approx"), ("约", "approx"), ("将近", "nearly"), ("接近", "nearly"), ("近", "nearly"),
    ("超过", "more_than"), ("突破", "more_than"), ("超", "more_than"), ("逾", "more_than"), ("多于", "more_than"), ("高于", "more_than"),
    ("不少于", "at_least"), ("不低于", "at_least"), ("至少", "at_least"),
    ("不超过", "at_most"), ("不到", "at_most"), ("不足", "at_most"), ("少于", "at_most"), ("低于", "at_most"),
)
_QUALIFIER_LAST_CHARS = frozenset(w[-1] for w, _ in PREFIX_QUALIFIERS)
QUALIFIER_AT_START = {w[0] for w, _ in PREFIX_QUALIFIERS}
#: characters before 约 / 近 that make them part of another word (节约, 附近)
NOT_QUALIFIER_BEFORE = {"约": set("节制公契集邀预签合条婚履特大"), "近": set("附最就亲邻靠远贴相将接贵"),
                        "超": set("赶高")}


@dataclass
class Found:
    """A numeral found in normalized text (normalized offsets)."""

    start: int
    end: int
    kind: str
    rule: str
    value: float = math.nan
    damaged: bool = False


def _spans(pattern: re.Pattern[str], text: str) -> tuple[list[int], list[int]]:
    starts, ends = [], []
    for m in pattern.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(spans: tuple[list[int], list[int]], start: int, end: int) -> tuple[int, int] | None:
    starts, ends = spans
    i = bisect.bisect_right(starts, start) - 1
    if i >= 0 and end <= ends[i]:
        return starts[i], ends[i]
    return None


def _rate_before(text: str, start: int) -> bool:
    """True when 每 appears earlier in the same clause (a quantity per something)."""
    lo = max(0, start - RATE_WINDOW)
    m = _LAST_CLAUSE_BREAK.match(text, lo, start)
    return "每" in text[m.end() if m else lo:start]


def prefix_qualifier(text: str, start: int) -> tuple[str, str]:
    """The qualifier word written right before a number (``约``, ``近``, ``超过`` …) and its code."""
    if start == 0 or text[start - 1] not in _QUALIFIER_LAST_CHARS:
        return "", ""  # the common case, decided without a loop
    for word, code in PREFIX_QUALIFIERS:
        lo = start - len(word)
        if lo >= 0 and text[lo:start] == word:
            blocked = NOT_QUALIFIER_BEFORE.get(word)
            if blocked and lo > 0 and text[lo - 1] in blocked:
                continue
            return word, code
    return "", ""


def quantity_value(g: dict) -> tuple[float, float]:
    """(value, value_high) in base units from the groups of a :data:`QUANTITY` match."""
    mult = g.get("mult") or ""
    if g.get("a1"):
        # the low end has its own multiplier, or none when its own unit follows it (3000元至1万元)
        low = parse_number(g["a1"] + (g.get("m1") or ("" if g.get("u1") else mult)))
        high = parse_number(g["a2"] + mult) if g.get("a2") else None
    else:
        pair = CN_PAIR.match(g.get("c1") or "")
        if pair and _is_cn_pair(pair.group(0)):  # 两三个, 三四十人: two neighbouring digits are a range
            tail = pair.group(3) or ""
            low = parse_chinese(pair.group(1) + tail + mult)
            high = parse_chinese(pair.group(2) + tail + mult)
        else:
            low = parse_chinese(g["c1"] + mult) if g.get("c1") else None
            high = parse_chinese(g["c2"] + mult) if g.get("c2") else None
    return (math.nan if low is None else low), (math.nan if high is None else high)


_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}
CN_PAIR = re.compile("^([一二两三四五六七八])([二三四五六七八九])([十百千万]?)$")


def _is_cn_pair(c1: str) -> bool:
    m = CN_PAIR.match(c1)
    return bool(m) and _DIGIT_VALUE[m.group(2)] == _DIGIT_VALUE[m.group(1)] + 1


def _next_to_verb(text: str, start: int, end: int) -> bool:
    """A verb (jieba's dictionary) ends right before *start* or begins at *end*, or a counting adverb precedes."""
    if text.endswith(COUNT_ADVERBS, max(0, start - 2), start):
        return True
    before = (text[max(0, start - 2):start], text[start - 1:start] if start else "")
    after = (text[end:end + 2], text[end:end + 1])
    return any(word_tag(w).startswith("v") for w in before + after if w)


def _classify_quantity(text: str, m: re.Match, g: dict, quotes, titles) -> tuple[str, str]:
    """Kind and rule for a bare number or number + measure word, from its context."""
    start, end = m.start(), m.end()
    mw = g.get("mw") or ""
    after = text[end:end + 6]
    before = text[start - 1] if start else ""
    q = _inside(quotes, start, end)
    if q and SPEECH_PUNCT.search(text, q[0], q[1]):
        q = None  # reported speech, not a slogan: “现在一个电话就能解决。”
    if q and q[1] - q[0] - 2 <= MAX_SLOGAN_CHARS:
        return "formula", "in_short_quote"
    if _inside(titles, start, end):
        return "name", "in_book_title"
    if q and g.get("c1") and q[1] - q[0] - 2 <= MAX_NAME_CHARS:
        return "formula", "in_quoted_name"  # 党的创新理论万场宣讲进基层 (not reported speech: “现在一个电话就能解决。”)
    if mw in ("岁", "周岁") and (g.get("post") or after.startswith("的")):
        return "unknown", "age_bound"  # 40岁以下的年轻干部: describes a group, reports no quantity
    if g.get("a1"):
        if LATIN.match(after[:1]) or LATIN.match(before):
            return "name", "alphanumeric_code"
        if mw:
            return "indicator", "arabic_measure"
        if after.startswith("热线"):
            return "name", "hotline"
        if g.get("p1") or g.get("s1") or g.get("mult") or g.get("post"):
            return "indicator", "arabic_qualified"
        if after[:1] and "\u4e00" <= after[0] <= "\u9fff":
            return "indicator", "arabic_before_noun"
        return "unknown", "bare_number"
    value, high = quantity_value(g)
    if not math.isnan(high) and mw:
        return "indicator", "cn_range"  # 两三名, 三至五个
    if before and before in VAGUE_BEFORE and g["c1"][0] in "十百千万亿":
        return "indicator", "cn_vague"  # 数十个, 上千名: a round number, more than
    large = (value >= 11) if not math.isnan(value) else False
    approx = bool(g.get("s1") or g.get("s2") or g.get("post"))
    if mw in TIME_MEASURES:
        if after.startswith(("来", "以来")):
            return "date", "cn_period"
        if PROGRAMME_AFTER.match(after):
            return "formula", "cn_programme_duration"
        return "indicator", "cn_duration"
    if mw == "大":
        return ("indicator", "cn_quantity") if large else ("formula", "cn_major_items")
    if mw:
        if approx or large or g.get("mult"):
            return "indicator", "cn_quantity"
        if _rate_before(text, start):
            return "indicator", "cn_rate"
        if mw in VERBAL_MEASURES and value >= 2 and _next_to_verb(text, start, end):
            return "indicator", "cn_verbal_count"  # 先后三次召开专题会, 开展两轮次全员培训
        if value == 1:
            return "name", "indefinite_yi"
        return "formula", "numbered_framework"
    if approx and not math.isnan(value):
        return "indicator", "cn_quantity"
    if value == 1 or math.isnan(value) or large:
        return "unknown", "cn_bare"
    if after[:1] and "\u4e00" <= after[0] <= "\u9fff":
        return "formula", "numbered_term"
    return "unknown", "cn_bare"


NUMERAL_RUN = re.compile(f"(?:{DIG}|{CN})+")


@lru_cache(maxsize=1)
def _reach_back() -> int:
    """The most characters any rule can match before its first numeral character."""
    first = []
    for word in lexicon():
        hits = [i for i, ch in enumerate(word) if ch in CN_CHARS or ch.isdigit()]
        if not hits:
            raise ValueError(f"numeral_words.yaml: {word!r} contains no numeral")
        first.append(hits[0])
    return max(first + [3])  # 最近2年来 reaches back two characters; 其一 one


_LEADING_BLANK = re.compile("[ \t\u3000]*")


def iter_matches(text: str):
    """The matches of :func:`master_pattern` over *text*, as ``finditer`` would give them.

    Every rule contains a numeral, so instead of trying every alternative at
    every position, the scan jumps from one run of numeral characters to the
    next and searches only from a few characters before it.
    """
    pattern = master_pattern()
    back = _reach_back()
    pos = scanned = line = 0
    lead_end = _LEADING_BLANK.match(text).end()  # end of the current line's indentation
    for run in NUMERAL_RUN.finditer(text):
        run_start, run_end = run.span()
        if run_end <= pos:
            continue
        # the line start is tracked as the scan goes: searching back from every run is quadratic on one long line
        nl = text.rfind("\n", scanned, run_start)
        scanned = run_start
        if nl >= 0:
            line = nl + 1
            lead_end = _LEADING_BLANK.match(text, line).end()
        p = max(pos, run_start - back)
        if line < p and lead_end >= run_start:
            p = max(pos, line)  # a list marker after indentation: the rule anchors at the line start
        while p < run_end:
            m = pattern.search(text, p)
            if m is None:  # pragma: no cover - the quantity rule matches any numeral
                break
            yield m
            p = max(m.end(), p + 1)
        pos = p


CN_RUN_START = re.compile(f"(?:[其第]?){CN}")
#: jieba's tags for idioms (成语) and set phrases (习用语)
IDIOM_TAGS = ("i", "l")


def _idiom_around(text: str, start: int, end: int, floor: int) -> tuple[int, int] | None:
    """The four-character idiom holding the numeral at ``[start, end)`` (not before *floor*), else None.

    Idioms with numerals (一呼百应, 三心二意, 一年到头) are fixed words, not numbered formulas or counts.
    """
    for lo in range(max(floor, start - 3), start + 1):
        hi = lo + 4
        if hi > start and hi <= len(text) and word_tag(text[lo:hi]) in IDIOM_TAGS:
            while hi < end and word_tag(text[hi:hi + 4]) in IDIOM_TAGS:
                hi += 4  # 三天打鱼两天晒网: two idioms of four
            if hi >= end:
                return lo, hi
    return None


#: lines up to this long are remembered (a line repeated across reports is scanned once); longer ones are not
CACHED_LINE = 4000


def scan(text: str) -> list[tuple]:
    """Every numeral in normalized *text*, in order, as non-overlapping ``(start, end, kind, rule, value,
    damaged)`` tuples (normalized offsets).

    No rule reaches across a line break, so each line is scanned on its own,
    and a line seen before (boilerplate, a repeated paragraph) is not scanned again.
    """
    out: list[tuple] = []
    base = 0
    for line in text.split("\n"):
        found = _scan_line(line) if len(line) <= CACHED_LINE else _scan_text(line)
        if found:
            if base:
                out.extend((a + base, b + base, k, r, v, d) for a, b, k, r, v, d in found)
            else:
                out.extend(found)
        base += len(line) + 1
    return out


@lru_cache(maxsize=4096)
def _scan_line(line: str) -> tuple[tuple, ...]:
    return tuple(_scan_text(line)) if NUMERAL_RUN.search(line) else ()


def _scan_text(text: str) -> list[tuple]:
    """:func:`scan` of one line (or any text), every match of :func:`iter_matches` classified."""
    quotes = _spans(QUOTE, text)
    titles = _spans(TITLE, text)
    lex = lexicon()
    out: list[Found] = []
    covered = 0  # the end of an idiom that reached past its match
    for m in iter_matches(text):
        rule = m.lastgroup or ""
        start, end = m.span()
        if start < covered:
            continue  # a numeral inside an idiom already found (一呼百应: 百)
        if rule == "lexicon":
            out.append(Found(start, end, lex[m.group()], "lexicon"))
            continue
        if rule == "ordinal_list_marker":
            # leading spaces are not part of the marker
            s = m.group()
            start += len(s) - len(s.lstrip(" \t\u3000"))
        if rule == "quantity":
            g = {k: v for k, v in zip(QUANTITY_GROUPS, m.group(*QUANTITY_GROUPS)) if v}
            kind, why = _classify_quantity(text, m, g, quotes, titles)
            f = Found(start, end, kind, why)
            if kind == "indicator":
                f.value = quantity_value(g)[0]
            if why == "cn_vague":
                f.start -= 1
        elif rule.startswith("percent") or rule == "fraction":
            f = Found(start, end, "indicator", rule)
            q = _inside(quotes, start, end)
            if q and q[1] - q[0] - 2 <= MAX_SLOGAN_CHARS:
                f.kind, f.rule = "formula", "in_short_quote"
            else:
                f.value = percent_value(m.group())[0]
        else:
            kind = rule.split("_", 1)[0]
            f = Found(start, end, kind, rule)
        if f.kind in ("formula", "unknown", "indicator") and CN_RUN_START.match(text, f.start):
            idiom = _idiom_around(text, f.start, f.end, out[-1].end if out else 0)
            if idiom:  # 一呼百应, 三心二意: jieba's dictionary knows the idiom
                f = Found(idiom[0], idiom[1], "name", "idiom")
                covered = idiom[1]
        if f.kind == "indicator" and math.isnan(f.value):
            f.kind, f.rule = "unknown", "unreadable"  # no number can be read (400 digits, 百分之九九九…): flagged
        # a lost character glued to the number: the number cannot be trusted
        lo, hi = f.start, f.end
        while lo > 0 and text[lo - 1] in DAMAGE_CHARS:
            lo -= 1
        while hi < len(text) and text[hi] in DAMAGE_CHARS:
            hi += 1
        if (lo, hi) != (f.start, f.end):
            f.start, f.end, f.damaged = lo, hi, True
            f.kind, f.rule, f.value = "unknown", "damaged", math.nan
        elif f.kind == "indicator":
            word, _code = prefix_qualifier(text, f.start)
            f.start -= len(word)
        out.append(f)
    return [(f.start, f.end, f.kind, f.rule, f.value, f.damaged) for f in out]


def percent_value(span: str) -> tuple[float, float]:
    """(value, value_high) in percent for ``百分之八十`` or ``八成`` forms."""
    if "分之" in span and not span.startswith("百分之"):
        whole, part = re.sub(POST + "$", "", span).split("分之", 1)
        a, b = parse_number(whole), parse_number(part)
        return ((100.0 * b / a) if a and b is not None else math.nan), math.nan
    if "成" in span and "百分之" not in span:
        core = span.split("成")[0]
        v = parse_number(core)
        return ((v * 10) if v is not None else math.nan), math.nan
    body = re.sub(POST + "$", "", span).replace("百分之", " ")
    parts = [p for p in re.split(RNG, body) if p.strip()]
    vals = [parse_number(p.strip()) for p in parts]
    low = vals[0] if vals and vals[0] is not None else math.nan
    high = vals[1] if len(vals) > 1 and vals[1] is not None else math.nan
    return low, high


#: a mention row: MENTION_COLUMNS, then its normalized offsets (for :mod:`dangjian_analysis.indicators`)
MENTION_ROW = MENTION_COLUMNS + ["norm_start", "norm_end"]
MENTION_TYPES = {"start": INT, "end": INT, "value": FLOAT, "damaged": BOOL,
                 "norm_start": INT, "norm_end": INT}


def mention_rows(norm: Normalized) -> list[tuple]:
    """Every numeral of one normalized report as a plain tuple in :data:`MENTION_ROW` order."""
    found = scan(norm.text)
    if not found:
        return []
    r0, r1 = norm.mapped.raw_spans(np.fromiter((f[0] for f in found), np.int64, len(found)),
                                   np.fromiter((f[1] for f in found), np.int64, len(found)))
    raw = norm.raw
    masked = [norm.masked(f[0], f[1]) or "" for f in found] if norm.boilerplate else [""] * len(found)
    return [(a, b, raw[a:b], kind, value, m, damaged, rule, ns, ne)
            for (ns, ne, kind, rule, value, damaged), a, b, m in zip(found, r0.tolist(), r1.tolist(), masked)]


def mentions_frame(rows: list[tuple]) -> pd.DataFrame:
    """Mention rows (:data:`MENTION_ROW` tuples) as one DataFrame."""
    return frame(rows, MENTION_ROW, MENTION_TYPES)


def mentions_of(norm: Normalized) -> pd.DataFrame:
    """Mentions table for one normalized report: raw offsets, span as written, kind, value, rule.

    Extra columns ``norm_start`` / ``norm_end`` (normalized offsets) let
    :func:`dangjian_analysis.indicators.indicators_of` reread a mention
    without scanning again; drop them before writing.
    """
    return mentions_frame(mention_rows(norm))


def extract_mentions(text: str) -> pd.DataFrame:
    """Every numeral in any text (Simplified or Traditional): offsets into *text*, kind, value, rule."""
    return mentions_of(normalize(text)).drop(columns=["norm_start", "norm_end"])
