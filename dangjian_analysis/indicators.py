"""Indicator rows: value, range, unit, qualifier, rate and subject of each reported quantity.

Works on mentions of kind ``indicator`` outside boilerplate (see
:mod:`dangjian_analysis.mentions`). The subject is the noun phrase the number
counts. Chinese puts it on either side: ``为336名社区“两委”成员`` (number
first) and ``排查梳理关键岗位203个`` (number last). The phrase after the
measure word is tried first; when none starts there, the phrase ending right
before the number is taken. Only a short window around the number is
segmented (jieba with the domain dictionary ``data/userdict.txt``), and
results are cached, so extraction stays fast on long corpora.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib import resources
from typing import Iterable

import pandas as pd
import yaml

from .mentions import (
    CN_CHARS,
    NUMERAL_RUN,
    CLAUSE_END,
    QUANTITY,
    RATE_WINDOW,
    PREFIX_QUALIFIERS,
    QUALIFIER_AT_START,
    RNG,
    clause_break,
    MENTION_ROW,
    MW,
    VERBAL_MEASURES,
    measure_vocabulary,
    mention_rows,
    mentions_frame,
    percent_value,
    quantity_value,
    unit_of,
)
from .normalize import Normalized, normalize
from .rows import FLOAT, INT, frame
from .words import tokens as _tokens
from .words import word_tag

INDICATOR_COLUMNS = ["start", "end", "span", "value", "value_high", "unit", "measure_word", "qualifier", "per",
                     "subject", "list_subjects", "rule"]

POST_QUALIFIER = {"以上": "at_least", "以下": "at_most", "左右": "approx", "上下": "approx", "之多": "more_than",
                  "有余": "more_than"}
#: what 每 / 按每 / 年均 … refer to, longest first
PER_WORDS = (
    ("星期", "week"), ("周", "week"), ("季度", "quarter"), ("季", "quarter"), ("月", "month"),
    ("年度", "year"), ("年", "year"), ("天", "day"), ("日", "day"), ("人", "person"), ("名", "person"),
    ("位", "person"), ("户", "household"), ("星", "star"), ("次", "time"), ("学期", "semester"),
)
AVERAGE_WORDS = {"年均": "year", "人均": "person", "月均": "month", "户均": "household", "日均": "day",
                 "年平均": "year", "月平均": "month", "人平均": "person", "村均": "unit"}
PER_RE = re.compile(r"按?每(?:个|一个)?(" + "|".join(w for w, _ in PER_WORDS) + r"|[\u4e00-\u9fff])?")
#: verbs and adverbs that stand between a subject and its number (关键岗位共203个, 覆盖率达80%)
LINK_WORDS = ("折合人民币", "人民币", "折合", "累计达到", "累计达", "达到", "总计", "共计", "合计", "累计", "总数", "总量", "数量", "分别", "均为",
              "保持在", "稳定在", "控制在", "维持在", "已经", "整整", "足足", "长达",
              "为", "达", "共", "计", "有", "了", "均", "约", "近", "超", "逾", "是", "占", "的", "仅", "已")
NOUN_TAGS = {"n", "nr", "ns", "nt", "nz", "ng", "vn", "j", "l", "b", "an", "eng", "zg", "nrfg", "s"}
GLUE = set("“”\"‘’「」《》()（）")
OPEN_CLOSE = {"“": "”", "《": "》", "(": ")", "（": "）", "「": "」", "‘": "’"}
LIST_JOINERS = {"和", "与", "及", "以及", "、", "或"}
PEOPLE_NOUNS = tuple(str(w) for w in measure_vocabulary()["people_nouns"])
SUBJECT_WINDOW = 16  # characters segmented before a number
AFTER_WINDOW = 24  # and after it (a list of nouns after the number needs more room)


@lru_cache(maxsize=1)
def subject_vocabulary() -> dict:
    """Measure word → head nouns, compound suffixes, modifiers, share and money words (subject_words.yaml)."""
    path = resources.files("dangjian_analysis").joinpath("data/subject_words.yaml")
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text)


#: measure word → the endings of the nouns it can count (支 → 队, 床 → 被)
HEADS: dict[str, tuple[str, ...]] = {str(mw): tuple(sorted(map(str, heads), key=len, reverse=True))
                                     for mw, heads in subject_vocabulary()["heads"].items()}
COMPOUND_SUFFIXES = frozenset(str(w) for w in subject_vocabulary()["compound_suffixes"])
MODIFIERS = frozenset(str(w) for w in subject_vocabulary()["modifiers"])
#: tags of a short word right after a classifier that can begin the counted phrase (独立/v 党支部)
MODIFIER_TAGS = {"v", "vn", "d", "a", "ad", "b", "z"}
MONEY_WORDS = tuple(str(w) for w in subject_vocabulary()["money_words"])
MONEY_VERBS = frozenset(str(w) for w in subject_vocabulary()["money_verbs"])
CAUSATIVE_VERBS = tuple(str(w) for w in subject_vocabulary()["causative_verbs"])
COUNT_NOUNS = frozenset(str(w) for w in subject_vocabulary()["count_nouns"])
STANDARD_NOUNS = frozenset(str(w) for w in subject_vocabulary()["standard_nouns"])
SCOPE_WORDS = frozenset(str(w) for w in subject_vocabulary()["scope_words"])
#: tags of a word before a noun that it modifies (老年/t 日间/t 照料中心, 软弱涣散/i 村党组织)
PRE_TAGS = ("a", "h", "i", "t")
#: a single character of time before a noun it qualifies (月管理费, 年收入)
TIME_PREFIXES = ("年", "月", "日", "周")
ZG_NOUNS = set("村镇乡区县户站点组队室所院员")
_NOT_NOUN = re.compile(f"[0-9０-９.．{CN_CHARS}]+|[该本此各]|每.*|各[类项级种个]")


def _nouny(tok: tuple[str, str]) -> bool:
    """A token that can be part of a subject noun phrase (not a bare number, not 每/各)."""
    if tok[1] == "zg":  # jieba's tag for odd single characters: only place nouns count (村, 镇)
        return tok[0] in ZG_NOUNS
    return tok[1] in NOUN_TAGS and not _NOT_NOUN.fullmatch(tok[0])


@lru_cache(maxsize=65536)
def _words(window: str) -> tuple[tuple[str, str], ...]:
    """Tagged tokens of *window*, a compound suffix cut off by jieba joined to the noun before it.

    ``微信公众/号``, ``便民服务/点``, ``志愿服务/站``: the suffix closes the compound.
    """
    out: list[tuple[str, str]] = []
    for w, t in _tokens(window):
        if w in COMPOUND_SUFFIXES and out and out[-1][0] not in GLUE and (
                _nouny(out[-1]) or (out[-1][1] in ("v", "vn") and len(out[-1][0]) == 2)):
            out[-1] = (out[-1][0] + w, "n")
        else:
            out.append((w, t))
    return tuple(out)


def _balanced(words: list[str]) -> str:
    """Join tokens, dropping unmatched quote/bracket marks and outer quotes around the whole phrase."""
    text = "".join(words)
    changed = True
    while changed and text:
        changed = False
        for o, c in OPEN_CLOSE.items():
            if text.count(o) != text.count(c):
                text = text.replace(o, "").replace(c, "")
                changed = True
        if text and text[0] in OPEN_CLOSE and text.endswith(OPEN_CLOSE[text[0]]) and \
                text.count(text[0]) == 1:
            text = text[1:-1]
            changed = True
        if text and text[-1] in "”》)）」’" and text.count(text[-1]) == 1 and text[0] not in OPEN_CLOSE:
            break
    return text.strip()


def _noun_follows(toks, i: int) -> bool:
    """A noun at *toks[i]*, after any further modifiers (老年 日间 照料中心)."""
    while i < len(toks) and toks[i][1] in PRE_TAGS and not _nouny(toks[i]):
        i += 1
    return i < len(toks) and _nouny(toks[i])


def _modifier(tok: tuple[str, str], head: tuple[str, str]) -> bool:
    """True when *tok*, right after a classifier, begins the counted phrase *tok* + *head*.

    jieba tags 独立 and 联合 as verbs, 非公 as an adverb and cuts 兼合式 into 兼/合式,
    but right after a classifier and straight before a noun of two or more
    characters they modify it (``2个独立党支部``, ``3个非公党组织``).
    """
    if _nouny(tok) or tok[0] in GLUE or not _nouny(head) or len(head[0]) < 2 or head[0][0] in GLUE:
        return False
    return tok[0] in MODIFIERS or (len(tok[0]) == 2 and tok[1] in MODIFIER_TAGS)


@lru_cache(maxsize=65536)
def subject_after(window: str, classifier: bool = False, people: bool = True) -> tuple[str, tuple[str, ...]]:
    """Noun phrase starting a window (number-first order): (subject, list items).

    *classifier*: the window starts right after a classifier of things (not
    money, a share or a time), where a short modifier may begin the phrase.
    *people*: it starts after a classifier of people (or of nothing known).
    """
    avg = _AVERAGE.search(window, 2)
    if avg:
        window = window[:avg.start()]  # 82个联建村集体年均收入: the count is of 联建村集体
    if not window or window[0] in CLAUSE_END:
        return "", ()
    toks = _words(window)
    skip = 0
    while skip < min(2, len(toks) - 1) and toks[skip][1] in ("m", "r", "mq") and len(toks[skip][0]) > 1:
        skip += 1  # 一系列, 各类, 所有: determiners before the noun
    toks = toks[skip:]
    if len(toks) > 1 and (classifier or toks[0][0] in MODIFIERS) and _modifier(toks[0], toks[1]):
        toks = ((toks[0][0] + toks[1][0], "n"),) + toks[2:]
    items: list[list[str]] = [[]]
    has_noun = [False]
    plain = True  # one short noun: in X的Y, a plain noun X is what is counted (23个网格的民情信息)
    i = 0
    while i < len(toks):
        w, t = toks[i]
        if w in GLUE:
            items[-1].append(w)
        elif _nouny(toks[i]) or ((t in PRE_TAGS or w in TIME_PREFIXES) and _noun_follows(toks, i + 1)):
            items[-1].append(w)
            has_noun[-1] = has_noun[-1] or _nouny(toks[i])
            plain = plain and not items[-1][:-1] and len(w) <= 2 and t in ("n", "ns", "nz", "s", "zg")
        elif (w in MODIFIER_VERBS and len(items) == 1 and items[0] and all(x in FUNDERS for x in items[0])
              and i + 1 < len(toks) and _nouny(toks[i + 1])):
            items[-1].append(w)  # 47个中央扶持集体经济项目: a funder and its verb qualify the head noun
            plain = False
        elif w in MODIFIERS and items[-1] and i + 1 < len(toks) and _nouny(toks[i + 1]):
            items[-1].append(w)  # 1个社会组织联合工会: a listed modifier inside the phrase
        elif w in LIST_JOINERS and has_noun[0] and i + 1 < len(toks) and _nouny(toks[i + 1]):
            items.append([])
            has_noun.append(False)
        else:
            if len(items) > 1 and _NOT_NOUN.fullmatch(w):
                items.pop()  # a list item cut by a number belongs to the next indicator
                has_noun.pop()
            break
        i += 1
    j = i
    while j < len(toks) and j - i < 2 and toks[j][1] in ("a", "ad", "an", "d") and len(items) == 1:
        j += 1  # an adjectival predicate before 的: 主题鲜明的
    if j > i and not (j < len(toks) and toks[j][0] == "的"):
        j = i
    plain = plain and j == i  # 主题鲜明的…活动: a predicate before 的 makes X a relative clause
    i = j
    if i < len(toks) and toks[i][0] == "的" and len(items) == 1 and has_noun[0]:
        # X的Y: the head noun comes last (挂职副书记的优秀社区委员, 主题鲜明的党建特色活动), but after
        # a plain noun X what is counted is X (23个网格的民情信息, 4个村的“两委”干部), unless people
        # are counted and Y names people (3名挂职副书记的优秀社区委员)
        rest = "".join(w for w, _ in toks[i + 1:])
        head = subject_after(rest)
        if head[0] and (not plain or (people and head[0].endswith(HEADS["名"]))):
            return head
    phrases = [_balanced(x) for x, noun in zip(items, has_noun) if noun]
    phrases = [p for p in phrases if p]
    if not phrases:
        return "", ()
    if len(phrases) == 1:
        return phrases[0], ()
    return "和".join(phrases), tuple(phrases)


@lru_cache(maxsize=65536)
def predicate_after(window: str) -> tuple[str, tuple[str, ...]]:
    """The verb a share is of (其中98%以上已经办结 → 办结), skipping adverbs; for percentages only."""
    for w, t in _words(window):
        if t in ("d", "ad", "c") or w in ("的", "已", "均", "都"):
            continue
        if t in ("v", "vn") and len(w) >= 2:
            return w, ()
        break
    return "", ()


#: verbs of funding or support that sit inside a noun phrase after a count (28个中央财政支持…项目)
MODIFIER_VERBS = {"扶持", "支持", "资助", "补助", "援建", "补贴"}
#: who funds: only after one of these is the verb part of the phrase (3个部门支持项目建设 counts 部门)
FUNDERS = {"中央", "中央财政", "国家", "省", "省级", "省财政", "市", "市级", "市财政", "县级", "区级", "上级",
           "财政", "各级财政"}
_TRAILING_PER = re.compile(r"按?每(?:个|一个)?[\u4e00-\u9fff]{1,2}$")
#: a base of comparison in time before a number: 由去年的2600元提高到… (the base is not the subject)
_TIME_BASE = re.compile("由[^，。；、]{0,8}?的?$")
_AVERAGE = re.compile("|".join(sorted(AVERAGE_WORDS, key=len, reverse=True)))
NOUN_SUFFIXES = {"率", "比", "量", "额"}
#: verbs of change: an amount after them measures the change (群众增收近3000万元)
CHANGE_VERBS = {"增收", "增长", "增加", "提高", "提升", "下降", "降低", "减少", "节约", "节省", "增幅", "上涨", "上升",
                "缩短", "降幅"}
_AGE_GROUP = re.compile(f"((?:[0-9０-９]+|[{CN_CHARS}]+)(?:周岁|岁)(?:以上|以下))的?(?:仅|只|约)?(?:占比|比例|比重|占)?$")
#: X的占N%: the share of those who are X (其中生产工作一线的占63.5%)
_GROUP_SHARE = re.compile("(?:其中)?([^，。；、的]{2,12})的(?:仅|只|约|均)?占$")


@lru_cache(maxsize=65536)
def subject_after_verb(window: str) -> tuple[str, tuple[str, ...]]:
    """The noun phrase after one leading verb (给予奖励 → 奖励); a last resort for money and counts."""
    toks = _words(window)
    skip = 0
    while skip < min(2, len(toks) - 1) and toks[skip][1] == "v" and len(toks[skip][0]) == 2:
        skip += 1
    if skip:
        return subject_after(window[sum(len(w) for w, _ in toks[:skip]):])
    return "", ()


@lru_cache(maxsize=65536)
def subject_before(window: str, verb_ok: bool = False, people: bool = False,
                   keep_verb: bool = False) -> tuple[str, tuple[str, ...]]:
    """Noun phrase ending a window (number-last order): (subject, list items)."""
    text = _AVERAGE.sub("", _TRAILING_PER.sub("", _TIME_BASE.sub("", window)))  # 按每星2万元, 人均, 由去年的
    changed = True
    while changed:
        changed = False
        for w in LINK_WORDS:
            if text.endswith(w) and len(text) > len(w):
                text = text[: -len(w)]
                changed = True
    bound = _AGE_GROUP.search(text)
    if bound:
        return bound.group(1), ()  # 其中35岁以下的占六成: the share is of the age group
    group = _GROUP_SHARE.search(window)
    if group:
        return group.group(1), ()  # 其中生产工作一线的占63.5%: the share is of that group
    toks = list(_words(text))
    if len(toks) > 1 and toks[-1][0] in NOUN_SUFFIXES and toks[-2][0] not in GLUE:
        toks[-2:] = [(toks[-2][0] + toks[-1][0], "n")]  # 整改率, 占比: a verb made a noun by its suffix
    if keep_verb and len(toks) > 1 and toks[-1][1] in ("v", "vd") and len(toks[-1][0]) >= 2 and _nouny(toks[-2]):
        toks[-1] = (toks[-1][0], "vn")  # things counted by a verb: 群众诉求1426件, 办结1398件
    popped = ""
    while toks and not (_nouny(toks[-1]) or toks[-1][0] in GLUE):
        w, t = toks.pop()  # a verb glued after the noun: 预备党员转正37人
        popped = popped or (w if t == "v" and len(w) == 2 else "")
    run: list[str] = []
    i = len(toks) - 1
    items: list[str] = []
    while i >= 0:
        w, t = toks[i]
        if w in GLUE or _nouny(toks[i]):
            run.insert(0, w)
        elif t == "a" and run:
            run.insert(0, w)
        elif w in LIST_JOINERS and run and i > 0 and _nouny(toks[i - 1]):
            items.insert(0, _balanced(run))
            run = []
        else:
            break
        i -= 1
    if run and run[-1] in COUNT_NOUNS and len(run) == 1 and i >= 0 and toks[i][1] in ("v", "vn"):
        run.insert(0, toks[i][0])  # 关注人数达到2.1万人: the verb says what is counted
    head = _balanced(run)
    if people and head and popped and not items and not _people(head):
        return head + popped, ()  # 企业引才20余人: the people are those the verb names
    if verb_ok and head and popped in CHANGE_VERBS | MONEY_VERBS and not items \
            and not text.endswith(("到", "至")):
        return head + popped, ()  # 群众增收近3000万元, 收入增长15%, 股份分红2100元: the amount is of the change
    if verb_ok and not head and not items and popped and not toks:
        return popped, ()  # nothing but a verb: 人均增收860元 → 增收
    if items:
        parts = [head] + items if head else items
        parts = [p for p in parts if p]
        return "和".join(parts), tuple(parts)
    return head, ()


_LAST_BREAK = {extra: re.compile(f"(?s).*{clause_break(extra)}") for extra in ("", "、")}
_FIRST_BREAK = {extra: re.compile(clause_break(extra)) for extra in ("", "、")}


def _clause_start(text: str, start: int, extra: str = "", reach: int = SUBJECT_WINDOW) -> int:
    """Start of the clause holding *start* (at most *reach* characters back)."""
    lo = max(0, start - reach)
    m = _LAST_BREAK[extra].match(text, lo, start)
    return m.end() if m else lo


def _clause_end(text: str, end: int, extra: str = "、", reach: int = AFTER_WINDOW) -> int:
    """End of the clause holding *end* (at most *reach* characters on)."""
    hi = min(len(text), end + reach)
    m = _FIRST_BREAK[extra].search(text, end, hi)
    return m.start() if m else hi


_QUOTED_AFTER = re.compile(r"[“《「\"]([^“”《》「」\"\n]{1,40})[”》」\"]")


def _quoted_subject(text: str, end: int, classifier: bool = False) -> tuple[str, tuple[str, ...]] | None:
    """A quoted name right after the number (3期“…轮训班”, 48个“公益+”项目) with the noun that follows it."""
    m = _QUOTED_AFTER.match(text, end)
    if not m:
        return None
    tail = subject_after(text[m.end():_clause_end(text, m.end())], True)[0]
    return m.group(1) + tail, ()


_SHARE_OF = re.compile("占(?!比)[^占，,。；;]{1,12}?(?:的比[例重])?的?(?:比[例重])?(?:达到|达|为)?$")
_ETC = re.compile("等(?:各类|各种)?(?:共计|累计|共|计|达)?$")
_DISTANT = re.compile("(至少|最少|不少于|不低于)|(最多|至多|不超过|不高于)")


def _distant_qualifier(text: str, start: int) -> str:
    """``at_least``/``at_most`` from 至少/最多 earlier in the clause (每年至少到社区报到服务2次), else ``exact``."""
    lo = _clause_start(text, start)
    hits = list(_DISTANT.finditer(text, lo, start))
    if not hits or NUMERAL_RUN.search(text, hits[-1].end(), start):
        return "exact"
    return "at_least" if hits[-1].group(1) else "at_most"


_RESPECTIVELY = re.compile("分别(?:为|是|达到|达|有|增加|增长|提高)?")
#: one item of a list of numbers (约12个、 8个和): number (with multiplier), 余/多, a short unit, 以上, separators.
#: The unit holds no numeral, so a digit run cannot be split between items.
_LIST_ITEM = re.compile(f"[约近超过]*(?:[0-9０-９.．,，%％]+[{CN_CHARS}]*|[{CN_CHARS}]+)[余多]?"
                        f"[^、，,和及与以上下0-9０-９{CN_CHARS}]{{0,3}}(?:以上|以下|左右)?[、，,和及与]*")


def _is_number_list(text: str) -> bool:
    """True when *text* is nothing but list items.

    Items are matched one after another without backtracking between them: the
    former single pattern ``(?:item)*`` took exponential time on a long digit run
    (``分别为`` + 20 digits took 15 s).
    """
    pos = 0
    while pos < len(text):
        m = _LIST_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return False
        pos = m.end()
    return True


_ONE_NUMBER = re.compile(f"[0-9０-９]+(?:[.．,，][0-9０-９]+)*[{CN_CHARS}]*|[{CN_CHARS}]+")


def _respectively(text: str, start: int) -> str:
    """For ``A、B和C分别为12个、8个和5个``: the list item standing at this number's place, else ''."""
    lo = max(0, start - 2 * SUBJECT_WINDOW)
    cut = _LAST_BREAK[""].match(text, lo, start)
    lo = cut.end() if cut else lo
    hit = None
    for m in _RESPECTIVELY.finditer(text, lo, start):
        hit = m
    if hit is None:
        return ""
    between = text[hit.end():start]
    if not _is_number_list(between):
        return ""
    place = len(_ONE_NUMBER.findall(between))
    _head, items = subject_before(text[max(lo, hit.start() - 2 * SUBJECT_WINDOW):hit.start()])
    return items[place] if place < len(items) else ""


def per_of(text: str, start: int) -> str:
    """What a quantity is counted per (``week`` … ``star``), from 每/按每/年均 earlier in its clause."""
    lo = max(0, start - RATE_WINDOW)
    m = _LAST_BREAK[""].match(text, lo, start)
    clause = text[m.end() if m else lo:start]
    for word, per in AVERAGE_WORDS.items():
        if word in clause:
            return per
    hits = list(PER_RE.finditer(clause))
    if not hits:
        return ""
    m = hits[-1]
    word = m.group(1) or ""
    if m.group(0).endswith("一"):
        return ""
    for w, per in PER_WORDS:
        if word == w:
            return per
    return "unit"


def _people_unit(unit: str) -> bool:
    return unit in ("person", "person_time")


def _people(subject: str) -> bool:
    return subject.endswith(PEOPLE_NOUNS)


_NUMBER_ITEM = (f"[约近]?(?:[0-9０-９]+(?:[.．,][0-9０-９]+)*|[{CN_CHARS}]+)[百千万亿]*[余多]?"
                f"(?:{MW})?(?:以上|以下|左右)?")
#: more amounts of the same thing, then 的 and the noun they are of: 3000元、5000元的奖励
_AMOUNTS_THEN_DE = re.compile(f"(?:(?:、|和|与|及|或|至|到|—|-|～|~)\\s*{_NUMBER_ITEM})+的")


def _money_context(text: str, ns: int, ne: int) -> bool:
    """块 is money only before 钱 or with a word of money in its clause (工资, 元 …)."""
    if text.startswith("钱", ne):
        return True
    lo, hi = _clause_start(text, ns), _clause_end(text, ne, "")
    return any(w in text[lo:ns] or w in text[ne:hi] for w in MONEY_WORDS)


def _noun_phrases(window: str) -> list[tuple[int, int, str]]:
    """(start, end, phrase) of every run of nouns in *window*."""
    out: list[tuple[int, int, str]] = []
    pos, first, run = 0, 0, []
    for tok in _words(window):
        if _nouny(tok) or (run and tok[0] in GLUE):
            if not run:
                first = pos
            run.append(tok[0])
        elif run:
            out.append((first, pos, _balanced(run)))
            run = []
        pos += len(tok[0])
    if run:
        out.append((first, pos, _balanced(run)))
    return out


_NEXT_COUNT = re.compile(f"[0-9０-９]|[{CN_CHARS}]+(?:{MW})")
_SENTENCE_BREAK = re.compile("(?s).*[。！？!?；;\n]")


def _agreeing_phrase(text: str, ns: int, ne: int, heads: tuple[str, ...], earlier: bool = True) -> str:
    """The noun phrase nearest the number that its measure word can count, else ''.

    First in the number's clause (after it up to the next comma: 建成3座集党建、文化、便民于一体的党群服务站),
    then, when *earlier* (the subject found is nothing or a bare verb), in the clauses before it in the
    same sentence (举办专题培训班，累计开展4期).
    """
    first = _words(text[ne:ne + 4])
    if first and first[0][0] in heads:
        return first[0][0]  # 8亩地: the head is the word right after the measure word
    lo, hi = _clause_start(text, ns, "、"), _clause_end(text, ne, "")
    later = _NEXT_COUNT.search(text, ne, hi)
    if later:  # a noun after the next count is that count's, and so is its item of a list (X 31人、Y 18人)
        mark = text.rfind("、", ne, later.start())
        hi = mark if mark >= 0 else later.start()
    best, distance = "", len(text)
    for _a, b, phrase in _noun_phrases(text[lo:ns]):
        if phrase.endswith(heads) and ns - (lo + b) < distance:
            best, distance = phrase, ns - (lo + b)
    for a, _b, phrase in _noun_phrases(text[ne:hi]):
        if phrase.endswith(heads) and a < distance:
            best, distance = phrase, a
    if best or not earlier:
        return best
    reach = max(0, lo - 2 * SUBJECT_WINDOW)
    cut = _SENTENCE_BREAK.match(text, reach, lo)
    for _a, _b, phrase in reversed(_noun_phrases(text[cut.end() if cut else reach:lo])):
        if phrase.endswith(heads):
            return phrase
    return ""


def _agree(subject: str, items: tuple[str, ...], text: str, ns: int, ne: int,
           mw: str) -> tuple[str, tuple[str, ...]]:
    """The subject a measure word with a narrow set of heads can count (2期…培训班, 200床棉被)."""
    heads = HEADS.get(mw)
    if not heads:
        return subject, items
    agreeing = tuple(x for x in items if x.endswith(heads))
    if agreeing:  # 发放慰问品和棉被200床: of a list, the items the measure word can count
        return "和".join(agreeing), (agreeing if len(agreeing) > 1 else ())
    if subject.endswith(heads):
        return subject, items
    found = _agreeing_phrase(text, ns, ne, heads, not subject or word_tag(subject).startswith("v"))
    return (found, ()) if found else (subject, items)


_SHARE_WORD = re.compile(
    "(?:在[^在，。；]{1,12}中)?的?(?P<word>"
    + "|".join(w for w in subject_vocabulary()["share_words"] if len(w) > 1) + ")"
    f"(?:为|达到|达|约|是)?$")
_BOUND_BEFORE = re.compile(f"(?:[0-9０-９]+|[{CN_CHARS}]+)(?:周岁|岁)(?:以上|以下)的?$")


@lru_cache(maxsize=65536)
def _share_phrase(window: str) -> str:
    """A share written with 占比/所占比例/比重 after its noun: the noun (with an age bound) and the word, else ''.

    ``其中女性党员所占比例为`` → 女性党员所占比例; ``35岁以下干部的占比达到`` → 35岁以下干部占比;
    ``女性党员在党员总数中的占比为`` → 女性党员占比.
    """
    m = _SHARE_WORD.search(window)
    if m is None or m.start() == 0:
        return ""
    head, _items = subject_before(window[:m.start()])
    if not head:
        return ""
    before = window[:m.start()]
    before = before[:before.rfind(head)] if head in before else ""
    bound = _BOUND_BEFORE.search(before)
    return (bound.group().rstrip("的") if bound else "") + head + m.group("word")


_PURPOSE = re.compile("用于|用来|用作")
#: a verb phrase of a few characters and 的 right after a classifier (无物业的, 有特色的)
_VERB_THEN_DE = re.compile("[无有没不未][\u4e00-\u9fff]{1,5}?的")
_ALT_MEASURE = re.compile(f"[（(](?:{MW})[）)]")
_AGE_START = re.compile(f"(?:[0-9０-９]+|[{CN_CHARS}]+)(?:周岁|岁)(?:以上|以下|左右)的?")
_COUNT_AT = re.compile(f"(?:[0-9０-９]+(?:[.．][0-9０-９]+)?|[{CN_CHARS}]+)[百千万亿]*[余多]?(?:{MW})")
#: tags that end the words of an event or purpose (开展联合整治, 到外地考察学习): particles, conjunctions,
#: prepositions, pronouns, numerals, classifiers, adverbs, punctuation
NOT_EVENT_TAGS = {"x", "uj", "ul", "uz", "ug", "uv", "ud", "u", "c", "p", "r", "m", "mq", "q", "y", "e", "o",
                  "f"}
EVENT_CHARS = 12


def _phrase_run(window: str, skip_verb: bool = False, whole: bool = False) -> str:
    """The words of a purpose or object starting *window* (用于 村集体再发展, 发放 驻村生活补助).

    *whole*: '' when the words run on past :data:`EVENT_CHARS` (only a whole phrase will do).
    """
    toks = list(_words(window))
    if skip_verb and len(toks) > 1 and toks[0][1] == "v":
        toks = toks[1:]  # 发放 驻村生活补助: the verb that pays the amount
    run: list[str] = []
    for w, t in toks:
        if t in NOT_EVENT_TAGS or _NOT_NOUN.fullmatch(w):
            break
        if sum(map(len, run)) + len(w) > EVENT_CHARS:
            return "" if whole else _balanced(run)
        run.append(w)
    return _balanced(run)


def _event_after(text: str, after: int) -> str:
    """The event a verbal count counts: the words right after it (三次专题研究这项工作 → 专题研究), or after a
    causative verb the verb phrase that ends the clause (三次组织…观摩学习 → …观摩学习)."""
    window = text[after:_clause_end(text, after, "")]
    first = _phrase_run(window, whole=True)
    if first and not first.startswith(CAUSATIVE_VERBS):
        return first
    if not _phrase_run(window):
        return ""  # no event words right after the count (a quoted name, another number)
    hi = _clause_end(text, after, "", 5 * SUBJECT_WINDOW // 2 + SUBJECT_WINDOW)
    if hi < len(text) and text[hi] not in CLAUSE_END:
        return ""  # the clause runs on past the window: its last words are out of sight
    toks = list(_words(text[after:hi]))
    while toks and toks[-1][0] in ("了", "的", "等", "着", "过"):
        toks.pop()
    run: list[tuple[str, str]] = []
    while toks and toks[-1][1] not in NOT_EVENT_TAGS and not _NOT_NOUN.fullmatch(toks[-1][0]) \
            and sum(len(w) for w, _ in run) + len(toks[-1][0]) <= EVENT_CHARS:
        run.insert(0, toks.pop())
    while len(run) > 1 and run[0][1] != "v" and any(t == "v" for _, t in run[1:]):
        run.pop(0)  # 部门开展联合整治 → 开展联合整治: the event begins with its verb
    return _balanced([w for w, _ in run])


def _measured_before(text: str, ns: int, unit: str) -> str:
    """The noun right before an amount that bounds a following noun (收入超过50万元的村 → 收入), else ''."""
    window = text[_clause_start(text, ns, "、"):ns]
    if "每" in window:
        return ""  # 按照每名党员100元的标准: the noun after 每 is what the amount is per
    head, items = subject_before(window, True)
    if not head or items or head in SCOPE_WORDS or not window.endswith(head):
        return ""
    return head


def subject_of(text: str, ns: int, ne: int, unit: str, mw: str, post: str) -> tuple[str, tuple[str, ...]]:
    """What the number at normalized ``[ns, ne)`` counts: (subject, list items)."""
    subject, items = _respectively(text, ns), ()
    after = ne + 1 if mw == "块" and text.startswith("钱", ne) else ne  # 2000块钱: 钱 is the unit's
    alt = _ALT_MEASURE.match(text, after)
    after = alt.end() if alt else after  # 表扬信、锦旗230余件（面）: a second measure word
    age = _AGE_START.match(text, after)
    after = age.end() if age else after  # 发展1名35岁以下的年轻党员: the age bound describes the noun
    verbal = mw in VERBAL_MEASURES
    # people are often followed by what they did (2000余人开展…活动): only listed modifiers for them
    classifier = bool(mw) and unit in ("count", "household") and not verbal
    people = unit in ("person", "person_time")
    amount = unit in ("yuan", "percent")
    if not subject and amount:
        purpose = _PURPOSE.match(text, after)
        if purpose:  # 30%用于公益事业: the share is the one for that purpose
            subject = _phrase_run(text[purpose.end():_clause_end(text, purpose.end())])
    if not subject and amount and (post or text.startswith("的", after)):
        subject = _measured_before(text, ns, unit)  # 收入超过50万元的村, 年产值亿元以上企业: a bound on 收入
    if not subject and unit != "percent":
        listed = _AMOUNTS_THEN_DE.match(text, ne, _clause_end(text, ne, ""))
        if listed:  # 分别给予3000元、5000元的奖励: every amount is of the noun after 的
            subject, items = subject_after(text[listed.end():_clause_end(text, listed.end())])
    if not subject and verbal:
        subject = _event_after(text, after)  # 先后三次组织…观摩学习: the count is of the event
    if not subject and unit != "percent":
        subject, items = (_quoted_subject(text, after, classifier)
                          or subject_after(text[after:_clause_end(text, after)], classifier, people))
    if not subject and _VERB_THEN_DE.match(text, after):
        # 3个无物业的老旧小区: a short relative clause before the counted noun
        de = text.index("的", after)
        subject, items = subject_after(text[de + 1:_clause_end(text, de + 1)])
    if not subject and text.startswith("的", after) and not post:
        subject, items = subject_after(text[after + 1:_clause_end(text, after + 1)])
    if not subject:
        # A、B、C等1200余个: 、 joins a list that 等 closes; elsewhere it separates clauses
        listed = _ETC.search(text, max(0, ns - 8), ns) is not None
        lo = _clause_start(text, ns, "", 2 * SUBJECT_WINDOW) if listed else _clause_start(text, ns, "、")
        if text.count("”", lo, ns) > text.count("“", lo, ns):  # 、 inside a quotation: keep it whole
            opening = text.rfind("“", max(0, lo - SUBJECT_WINDOW), lo)
            lo = opening if opening >= 0 else lo
        window = text[lo:ns]
        share = _SHARE_OF.search(window) if unit == "percent" else None
        shared = _share_phrase(window) if unit == "percent" and not share else ""
        if shared:
            return shared, ()
        if share and share.start() > 0:
            window = window[:share.start()]  # 党员占总人口的4.8%: the share is of 党员, not of the whole
        subject, items = subject_before(window, amount, people, unit == "count")
        if subject in SCOPE_WORDS and text.startswith("的", after):
            subject, items = "", ()  # 覆盖全省85%以上的城市社区: a share of the noun after 的, not of 全省
    if not subject and text.startswith("的", after):
        # 三分之一以上的村: with nothing before, the noun after 的 (a bound: 收入10万元以上的村 keeps 收入)
        subject, items = subject_after(text[after + 1:_clause_end(text, after + 1)])
    if not subject and unit == "percent":
        subject, items = subject_after(text[ne:_clause_end(text, ne)])  # 按照50%-75%不同比例
        if not subject:
            subject, items = predicate_after(text[ne:_clause_end(text, ne)])  # 其中98%以上已经办结
    if not subject:
        nxt = _COUNT_AT.match(text, after)
        if nxt:  # 明确7大类32项前置事项: a grouping counts what the next count counts
            subject, items = subject_after(text[nxt.end():_clause_end(text, nxt.end())], classifier, people)
    if not subject:
        # the noun after a verb: 按每星2万元给予奖励; for people only a noun for people (150人返乡担任…成员)
        subject, items = subject_after_verb(text[after:_clause_end(text, after)])
        if _people_unit(unit) and not _people(subject):
            subject, items = "", ()
    if not subject and unit == "count":
        subject, items = subject_before(text[_clause_start(text, ns, "、"):ns], True)  # 办结1398件 → 办结
    if not subject:
        # a relative clause between number and noun: 1000余名有奉献精神的居民党员
        stop = _clause_end(text, ne, "")
        de = text.find("的", ne, stop)
        if de > 0 and not NUMERAL_RUN.search(text, ne, de):
            subject, items = subject_after(text[de + 1:_clause_end(text, de + 1)])
    if subject in STANDARD_NOUNS:
        # 按照每天80元的标准发放驻村生活补助: the amount is of what the standard is for
        stop = _clause_end(text, ne, "")
        pos = text.find(subject, ne, stop)
        if pos >= 0:
            found = _phrase_run(text[pos + len(subject):_clause_end(text, pos + len(subject))], True)
            subject, items = (found, ()) if found else (subject, items)
    return _agree(subject, items, text, ns, ne, mw)


#: every rule reads at most this many characters before a number's start and after its end
CONTEXT = 72


#: every digit read as 0 (the rules for units, qualifiers and subjects never look at a digit's value)
_DIGIT, _WIDE_DIGIT = re.compile("[1-9]"), re.compile("[１-９]")
_MASKED = re.compile("[0０]")


def _masked(text: str) -> str:
    """*text* with every digit but 0 made 0 (same length; a regex is faster than ``str.translate`` here)."""
    return _WIDE_DIGIT.sub("０", _DIGIT.sub("0", text))


def attributes(text: str, ns: int, ne: int, rule: str = "quantity") -> tuple | None:
    """(value, value_high, unit, measure_word, qualifier, per, subject, list_subjects) of the indicator
    mention at normalized ``[ns, ne)``; None if it does not parse.

    Every rule reads a bounded window around the number (:data:`CONTEXT`), so
    the result depends only on that window, and apart from the value not on
    the digits in it: everything but the value is computed once per distinct
    window with its digits masked (a table of similar rows, a phrase that
    recurs with other numbers, a report repeated in a corpus), and the cost
    per mention does not grow with the line.
    """
    values = _values(text[ns:ne], rule)
    if values is None:
        return None
    lo = max(0, ns - CONTEXT)
    rest = _attributes_in(text[lo:ne + CONTEXT], ns - lo, ne - lo, rule)
    return None if rest is None else values + rest


@lru_cache(maxsize=1 << 14)
def _attributes_in(window: str, ns: int, ne: int, rule: str) -> tuple | None:
    """:func:`_attributes` of a window as written, looked up by the window with its digits masked."""
    rest = _attributes(_masked(window), ns, ne, rule)
    if rest is not None and _MASKED.search(rest[4] + rest[5]):
        rest = _attributes(window, ns, ne, rule)  # digits in the subject (35岁以下): read them as written
    return rest


_RANGE = re.compile(RNG)


def _reading(text: str, ns: int, ne: int, rule: str) -> tuple | None:
    """(value, high, measure word, unit, post qualifier, range?, 余/多?, prefix qualifier code) as written."""
    if rule == "cn_vague":
        word, code = text[ns], "more_than"
    else:
        word, code = ("", "")
        if text[ns] in QUALIFIER_AT_START:
            word, code = next(((w, c) for w, c in PREFIX_QUALIFIERS if text.startswith(w, ns)), ("", ""))
    core = ns + len(word)
    if rule.startswith("percent") or rule == "fraction":
        value, high = percent_value(text[core:ne])
        post = next((p for p in POST_QUALIFIER if text[core:ne].endswith(p)), "")
        return value, high, "%", "percent", post, bool(_RANGE.search(text, core, ne)), \
            text[core:ne].endswith("多"), code
    m = QUANTITY.match(text, core, ne)
    if m is None:
        return None
    g = m.groupdict()
    value, high = quantity_value(g)
    mw = g.get("mw") or ""
    unit = unit_of(mw)
    rng = bool(g.get("a2") or g.get("c2")) or not math.isnan(high)
    suffix = bool(g.get("s1") or g.get("s2")) or "多" in mw
    mw = mw.replace("多", "")  # 一个多月: the qualifier is not part of the unit
    if g.get("p1"):
        unit, mw = "percent", "%"
    return value, high, mw, unit, g.get("post") or "", rng, suffix, code


@lru_cache(maxsize=1 << 16)
def _values(span: str, rule: str) -> tuple[float, float] | None:
    """(value, value_high) of a mention's span (normalized), None when it does not parse."""
    reading = _reading(span, 0, len(span), rule)
    return None if reading is None else reading[:2]


@lru_cache(maxsize=1 << 16)
def _attributes(text: str, ns: int, ne: int, rule: str) -> tuple | None:
    """(unit, measure_word, qualifier, per, subject, list_subjects) from a window with its digits masked."""
    reading = _reading(text, ns, ne, rule)
    if reading is None:
        return None
    _value, _high, mw, unit, post, rng, suffix, code = reading
    if mw == "块" and not _money_context(text, ns, ne):
        unit = "count"  # 更换标识牌120块: pieces, not money
    if rng:
        qualifier = "range"
    elif code:
        qualifier = code
    elif post:
        qualifier = POST_QUALIFIER[post]
    elif suffix:
        qualifier = "more_than"
    else:
        qualifier = _distant_qualifier(text, ns)
    subject, items = subject_of(text, ns, ne, unit, mw, post)
    if not mw and unit == "count" and _people(subject):
        unit = "person"
    if unit == "percent" and not mw.endswith("百分点"):
        mw = "%"
    return unit, mw, qualifier, per_of(text, ns), subject, "|".join(items)


def _alternation(words) -> str:
    return "|".join(re.escape(str(w)) for w in sorted(words, key=len, reverse=True))


#: what stands between a count and a share, change or level of the same thing: 45名、占比60%;
#: 42.5岁、比上届下降3.1岁; 由过去的55%提高到82%; 占获奖总人次的62%
_INHERIT = re.compile(
    f"[、，,]?(?:其中)?(?:(?P<share>{_alternation(subject_vocabulary()['share_words'])}"
    f"(?:[^，。；、0-9０-９]{{1,10}}?的(?:比例|比重)?)?)"
    f"|(?P<level>(?:{_alternation(CHANGE_VERBS | {'整合', '调整', '压缩', '扩大', '缩减', '合并'})})(?:到|至|为)"
    f"(?:[^，。；、0-9０-９]{{1,6}}?的)?)"
    f"|(?:(?:比|较)(?:{_alternation(subject_vocabulary()['comparison_bases'])})|同比|环比)?"
    f"(?P<change>{_alternation(CHANGE_VERBS)}))(?:了|为|达到|达|约)?")
#: between two counts of one sentence (no sentence break, no other number)
_SAME_SENTENCE = re.compile("[^。！？!?；;\n0-9０-９]{0,40}")


def _inherited(text: str, prev_end: int, prev_subject: str, ns: int) -> str:
    """The subject of a share, change or level written right after a count with no noun of its own, else ''.

    ``有专职书记45名、占比60%`` → 专职书记占比; ``平均年龄42.5岁、比上届下降3.1岁`` → 平均年龄下降;
    ``优果率由过去的55%提高到82%`` → 优果率.
    """
    if not prev_subject or not 0 <= ns - prev_end <= 16:
        return ""
    m = _INHERIT.fullmatch(text, prev_end, ns)
    if m is None:
        return ""
    if m.group("level"):
        return prev_subject
    return prev_subject + ("占比" if m.group("share") else m.group("change"))


_LEADING_ADVERBS = re.compile("^[、，,（(]?(?:其中|目前|已经|已|还有|另有|共|累计|又|再|有)*")


def _verb_before(text: str, prev_end: int, ns: int) -> str:
    """The verb phrase between two counts (发现问题157个，已整改到位149个 → 整改到位), else ''."""
    between = text[prev_end:ns]
    verb = between[_LEADING_ADVERBS.match(between).end():]
    return verb if len(verb) <= 6 and all("\u4e00" <= ch <= "\u9fff" for ch in verb) else ""


def _weak(subject: str) -> bool:
    """A subject that names nothing counted: empty, or a bare verb (整改到位, 组建)."""
    return not subject or (word_tag(subject) == "v" and subject not in CHANGE_VERBS)


INDICATOR_TYPES = {"start": INT, "end": INT, "value": FLOAT, "value_high": FLOAT}


def indicator_rows(norm: Normalized, mentions: Iterable[tuple]) -> list[tuple]:
    """One plain tuple (:data:`INDICATOR_COLUMNS` order) per indicator mention outside boilerplate.

    *mentions* are :data:`~dangjian_analysis.mentions.MENTION_ROW` tuples, in text order.
    """
    text = norm.text
    out: list[tuple] = []
    prev_end, prev_subject = -1, ""  # the row before, whose subject a share or change may take
    prev_unit, prev_noun = ("", ""), ""  # and its unit and measure word, and the noun it counts
    for start, end, span, kind, _value, boilerplate, _damaged, rule, ns, ne in mentions:
        if kind != "indicator" or boilerplate:
            continue
        attrs = attributes(text, ns, ne, rule)
        if attrs is None:
            continue
        value, high, unit, mw, qualifier, per, subject, items = attrs
        noun = subject
        inherited = _inherited(text, prev_end, prev_subject, ns)
        if inherited:
            subject, items, noun = inherited, "", prev_noun
        elif (prev_noun and unit != "percent" and (unit, mw if unit == "count" else "") == prev_unit
              and 0 <= ns - prev_end <= 40 and _weak(subject)
              and _SAME_SENTENCE.fullmatch(text, prev_end, ns)):
            # 发现问题157个，已整改到位149个: a count with only a verb counts the same things as the one before
            subject, items, noun = prev_noun + _verb_before(text, prev_end, ns), "", prev_noun
        prev_end, prev_subject, prev_noun = ne, subject, noun
        prev_unit = (unit, mw if unit == "count" else "")
        out.append((start, end, span, value, high, unit, mw, qualifier, per, subject, items, rule))
    return out


def indicators_frame(rows: list[tuple]) -> pd.DataFrame:
    """Indicator rows (:data:`INDICATOR_COLUMNS` tuples) as one DataFrame."""
    return frame(rows, INDICATOR_COLUMNS, INDICATOR_TYPES)


def indicators_of(norm: Normalized, mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator mention outside boilerplate, columns as in INDICATORS.md (+ list_subjects, rule)."""
    rows = mentions[MENTION_ROW].itertuples(index=False, name=None)
    return indicators_frame(indicator_rows(norm, rows))


def extract_indicators(text: str) -> pd.DataFrame:
    """Indicator rows for any text (Simplified or Traditional), offsets into *text*, repeats linked."""
    norm = normalize(text)
    rows = indicator_rows(norm, mention_rows(norm))
    df = indicators_frame(rows)
    df["repeat_of"] = pd.array(repeat_of(rows), dtype="Int64")
    return df


# --- repeats and implausible values --------------------------------------------
_MARKS = re.compile(r"[“”\"‘’「」《》()（）\s]")


@lru_cache(maxsize=1 << 14)
def _subject_key(subject: str) -> str:
    return _MARKS.sub("", subject)


#: below this value two mentions are one fact only when their subjects share a head
#: (a small count recurs by chance)
DISTINCTIVE_VALUE = 10


def _same_head(a: str, b: str, distinctive: bool = True) -> bool:
    """Subjects naming the same thing: one ends with the other, or a shared head of 3+ characters.

    With a *distinctive* value, one starting with the other (3+ characters) also counts.
    """
    if a.endswith(b) or b.endswith(a):
        return True
    short = min(a, b, key=len)
    if distinctive and len(short) >= 3 and (a.startswith(b) or b.startswith(a)):
        return True  # 1261个行政村 / 1261个行政村网格党组织: the number counts the first noun
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n >= 3


def _fact(value: float, high: float, unit: str, mw: str, per: str) -> tuple:
    return value, (None if math.isnan(high) else high), unit, mw, per


def repeat_of(rows: Iterable[tuple]) -> list[int | None]:
    """For indicator rows of one report (:data:`INDICATOR_COLUMNS` tuples, in text order): the ``start``
    of the first earlier row telling the same fact, else None.

    The same fact is the same value, value_high, unit, measure word and per,
    with subjects that name the same thing (:func:`_same_head`). Earlier facts
    are looked up by their key, so the cost stays linear in the rows.
    """
    firsts: dict[tuple, list[tuple[str, int]]] = {}
    out: list[int | None] = []
    for start, _end, _span, value, high, unit, mw, _q, per, subject, *_rest in rows:
        subj = _subject_key(subject)
        key = _fact(value, high, unit, mw, per)
        distinctive = not value < DISTINCTIVE_VALUE
        hit = None
        if subj:
            for fsubj, fstart in firsts.get(key, ()):
                if fsubj and _same_head(subj, fsubj, distinctive):
                    hit = fstart
                    break
        if hit is None:
            firsts.setdefault(key, []).append((subj, int(start)))
        out.append(hit)
    return out


def link_repeats(indicators: pd.DataFrame, by: str | None = "report_id") -> pd.DataFrame:
    """Add ``repeat_of`` (:func:`repeat_of`): the ``start`` offset of the first earlier mention of the
    same fact, else empty, within one report (column *by*, when present)."""
    df = indicators.copy()
    links: list = [None] * len(df)
    if len(df):
        keys = df[by].tolist() if by and by in df.columns else [None] * len(df)
        order = sorted(range(len(df)), key=lambda i: (keys[i] is None, str(keys[i]), int(df["start"].iat[i])))
        cols = [df[c].tolist() for c in INDICATOR_COLUMNS]
        group: list[int] = []
        for pos, i in enumerate(order + [None]):
            if group and (i is None or keys[i] != keys[group[0]]):
                for j, hit in zip(group, repeat_of([tuple(col[j] for col in cols) for j in group])):
                    links[j] = hit
                group = []
            if i is not None:
                group.append(i)
    df["repeat_of"] = pd.array(links, dtype="Int64")
    return df


def implausible(indicators: pd.DataFrame, population: float | None = None) -> pd.DataFrame:
    """Quality rows for values that cannot be true; the values themselves are kept as written.

    A share above 100 % (unless the subject is a growth rate), and a count of
    people or households above the region's census *population*.
    """
    rows = []
    for r in indicators.itertuples(index=False):
        values = [v for v in (r.value, r.value_high) if not (isinstance(v, float) and math.isnan(v))]
        if not values:
            continue
        top = max(values)
        if r.unit == "percent" and top > 100 and not re.search(r"增|长|提高|提升|上升", str(r.subject)):
            rows.append(dict(start=r.start, end=r.end, span=r.span, issue="implausible_value", severity="warning",
                             detail=f"a share of {top:g}% is above 100%"))
        if population and r.unit in ("person", "household") and top > population:
            rows.append(dict(start=r.start, end=r.end, span=r.span, issue="implausible_value", severity="warning",
                             detail=f"{top:,.0f} {r.unit}s counted ({r.subject}) but the region's census population "
                                    f"is {population:,.0f}"))
    return pd.DataFrame(rows, columns=["start", "end", "span", "issue", "severity", "detail"])


#: why a numeral is left unclassified; ``{span}`` is the row's own text (never an example from another report)
UNKNOWN_DETAIL = {
    "age_bound": "an age bound describing a group ({span}), not a reported quantity; kept out of the indicators",
    "bare_number": "an Arabic number ({span}) with no unit, noun or qualifier around it",
    "cn_bare": "a Chinese numeral ({span}) outside any known word, date, ordinal or formula",
}


def mention_quality(mentions: pd.DataFrame) -> pd.DataFrame:
    """Quality rows for damaged numerals and numerals no rule could classify (kind ``unknown``)."""
    rows = []
    for r in mentions.itertuples(index=False):
        if r.damaged:
            rows.append(dict(start=r.start, end=r.end, span=r.span, issue="damaged_numeral", severity="error",
                             detail="a lost character touches this number; its value is not read"))
        elif r.rule == "unreadable" and not r.boilerplate:
            rows.append(dict(start=r.start, end=r.end, span=r.span, issue="unreadable_value", severity="warning",
                             detail="a quantity whose numeral cannot be read as a number (malformed, or too long "
                                    "to be one); kept as a mention, left out of the indicators"))
        elif r.kind == "unknown" and not r.boilerplate:
            why = UNKNOWN_DETAIL.get(r.rule, "no rule could classify this numeral ({span}, rule {rule})")
            why = why.format(span=r.span, rule=r.rule)
            rows.append(dict(start=r.start, end=r.end, span=r.span, issue="unclassified_numeral", severity="info",
                             detail=why))
    return pd.DataFrame(rows, columns=["start", "end", "span", "issue", "severity", "detail"])


def indicator_tables(norm: Normalized, report_id: str, sentences: pd.DataFrame | None = None,
                     population: float | None = None) -> dict[str, pd.DataFrame]:
    """``mentions``, ``indicators`` and extraction ``quality`` rows for one report, ready for the build.

    Rows carry ``report_id`` and, when *sentences* (raw offsets) are given, the
    ``sentence_id`` and ``section_id`` they sit in. Indicators get a stable
    ``indicator_id``; ``repeat_of`` names the first indicator telling the same fact.
    """
    from .segment import locate

    found = mention_rows(norm)
    rows = sorted(indicator_rows(norm, found), key=lambda r: (r[0], r[1]))
    mentions = mentions_frame(found).drop(columns=["norm_start", "norm_end"])
    mentions.insert(0, "mention_id", [f"{report_id}:m{s}" for s in mentions["start"]])
    ids = [f"{report_id}:i{r[0]}" for r in rows]
    by_start = {r[0]: i for r, i in zip(rows, ids)}
    indicators = indicators_frame(rows)
    indicators.insert(0, "indicator_id", ids)
    indicators["repeat_of"] = [by_start[s] if s is not None else "" for s in repeat_of(rows)]
    quality = pd.concat([implausible(indicators, population), mention_quality(mentions)], ignore_index=True)
    out = {"mentions": mentions, "indicators": indicators, "quality": quality}
    for name, df in out.items():
        df.insert(0, "report_id", report_id)
        if name != "quality" and sentences is not None:
            where = locate(sentences, df["start"])
            df["sentence_id"] = where["sentence_id"].to_numpy()
            df["section_id"] = where["section_id"].to_numpy()
    return out
