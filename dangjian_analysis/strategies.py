"""Named strategies: the programmes, formulas and mechanisms a report says it runs.

Local Party-building writing names its work. Four shapes are recognized,
all on the normalized Simplified text and mapped back to raw offsets:

- ``numbered_formula``: a name built on numbers, quoted (“五星联创”, “136”,
  “一场所六中心”) or unquoted with a classifier and a head (六大工程, 三项机制);
  centrally promoted formulas listed in the codebook (三会一课) are found
  anywhere. The number structure is recorded: 五星联创 → ``5``, 三会一课 →
  ``3+1``, “136” → ``1,3,6`` when the report spells the three parts out.
- ``distributive_formula``: one-per-one slogans (一人一档); no numbers kept.
- ``quoted_programme``: a quoted name followed by a head word (“三单制”工作模式).
- ``named_mechanism``: an unquoted name ending in a head such as 工程, 机制,
  工作法 (群众说事制度), opened by a verb of adopting (建立, 实施, ...).

Every word list lives in the codebook (``strategies:``), so researchers tune
recognition without touching this file. Overlaps are resolved by the order
above; masked web boilerplate is skipped.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .codebook import Codebook, StrategyRules, load_codebook
from .normalize import HAN, Normalized, normalize
from .numerals import parse_number

STRATEGY_COLUMNS = ["start", "end", "span", "name", "head", "kind", "quoted", "numbers", "number_total", "national",
                    "norm_start", "norm_end"]
#: numeral characters that can open or sit inside a formula
CN_NUM = "一二三四五六七八九十两百千"
#: characters before 一 that make it part of a word, not a numeral (统一, 唯一, 第一 ...)
NOT_NUMERAL_AFTER = set("统唯同第万逐专每单划整")
QUOTES = (("“", "”"), ("「", "」"), ("『", "』"), ('"', '"'), ("‘", "’"))
CLASSIFIERS = "大项个张本级种型类星条支"
SENTENCE_END = set("。！？!?；;，,、：:\n")
_HAN = re.compile(f"[{HAN}]")
_RUN = re.compile(rf"[0-9]+|[{CN_NUM}]+")
_DISTRIBUTIVE = re.compile(rf"^一([{HAN}]{{1,3}})一([{HAN}]{{1,3}})$")
_CODE = re.compile(r"^[0-9]+(?:\+(?:[0-9]+|[A-Za-z]))*$")
#: what follows a numeral that is an ordinal, not part of a formula (十九大精神, 二十届, 97周年)
_ORDINAL = re.compile(r"届|周年|大(?:精神|报告|以来|会议|代表|召开)|次(?:全会|会议)|中全会")
_COUNTED = re.compile(rf"(?:[0-9]+|[{CN_NUM}]+)(?:余|多)?[个名项家支所条套批]$")
#: kinds in the order that wins an overlap
KIND_ORDER = ("numbered_formula", "distributive_formula", "quoted_programme", "named_mechanism")


@dataclass(frozen=True)
class Candidate:
    start: int  # normalized offsets
    end: int
    name: str
    head: str
    kind: str
    quoted: bool
    rank: int  # lower wins an overlap

    def overlaps(self, other: "Candidate") -> bool:
        return self.start < other.end and other.start < self.end


def numeral_runs(name: str) -> list[tuple[int, str]]:
    """Numerals inside a name as (position, text), skipping 一 that belongs to a word (统一, 第一)."""
    runs = []
    for m in _RUN.finditer(name):
        if m.start() > 0 and name[m.start() - 1] in NOT_NUMERAL_AFTER:
            continue
        runs.append((m.start(), m.group()))
    return runs


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def number_structure(name: str, text: str = "", near: int = 0) -> tuple[str, float | None]:
    """The number structure of a formula's name, and its total where a total means something.

    ``五星联创`` → ("5", 5); ``三会一课`` → ("3+1", 4); ``一场所六中心`` → ("1+6", 7);
    a digit code such as ``136`` → ("1,3,6", 10) when *text* spells out parts
    numbered 1, 3 and 6 in that order (nearest to *near*), else ("136", None);
    ``1+N`` → ("1+N", None). ("", None) when the numbers are not a formula's:
    a name read digit by digit (五四青年节, 一二九), an ordinal (十九大精神, 二十届),
    or arithmetic (1+1>2).
    """
    if re.search(r"[0-9]", name):
        if not _CODE.match(name):
            return "", None
        if name.isdigit() and len(name) > 1:
            parts = spelled_out(name, text, near)
            if parts:
                return ",".join(parts), float(sum(int(p) for p in parts))
            return name, None
        if name.isdigit():
            return name, float(name)
        return name, None
    values = []
    for pos, run in numeral_runs(name):
        if len(run) > 1 and not set(run) & set("十百千"):
            return "", None  # read digit by digit: a name or date (五四, 一二九), not a count
        if _ORDINAL.match(name, pos + len(run)):
            return "", None
        v = parse_number(run)
        if v is None:
            return "", None
        values.append(v)
    if not values:
        return "", None
    return "+".join(_fmt(v) for v in values), float(sum(values))


def spelled_out(code: str, text: str, near: int, max_span: int = 60) -> list[str] | None:
    """Digits of a code such as ``136`` found spelled out in *text* as successive Chinese numerals
    (一个…三项…六大) within *max_span* characters; the occurrence nearest to *near* wins."""
    digits = [int(d) for d in code]
    runs = []
    for m in re.finditer(rf"[{CN_NUM}]+(?=[{CLASSIFIERS}])", text):
        if m.start() > 0 and text[m.start() - 1] in NOT_NUMERAL_AFTER:
            continue
        v = parse_number(m.group())
        if v is not None:
            runs.append((m.start(), int(v)))
    best = None
    for i in range(len(runs) - len(digits) + 1):
        window = runs[i:i + len(digits)]
        if [v for _, v in window] == digits and window[-1][0] - window[0][0] <= max_span:
            distance = abs(window[0][0] - near)
            if best is None or distance < best:
                best = distance
    return [str(d) for d in digits] if best is not None else None


def _starts_numeral(content: str) -> bool:
    return bool(content) and (content[0] in CN_NUM or content[0].isdigit())


def _head_after(text: str, pos: int, rules: StrategyRules) -> str:
    """The longest head word (from ``quoted_heads``) that the Han run after a closing quote ends with."""
    window = []
    for ch in text[pos:pos + rules.max_name_chars]:
        if not _HAN.match(ch) or ch in CN_NUM or ch in "等和与及的了":
            break
        window.append(ch)
    run = "".join(window)
    for end in range(len(run), 0, -1):
        for head in rules.quoted_heads:
            if run[:end].endswith(head):
                return run[:end]
    return ""


def quoted_candidates(text: str, rules: StrategyRules) -> list[Candidate]:
    """Quoted names: numbered or distributive formulas, or programmes followed by a head word."""
    out = []
    for open_, close in QUOTES:
        pattern = re.compile(re.escape(open_) + rf"([^{re.escape(open_ + close)}\n]{{1,{rules.max_quote_chars}}})"
                             + re.escape(close))
        for m in pattern.finditer(text):
            content = m.group(1).strip()
            if not content or content in rules.not_strategies or re.search(r"[。！？!?；;，,]", content):
                continue
            head = _head_after(text, m.end(), rules)
            end = m.end() + len(head)
            if "、" not in content and _DISTRIBUTIVE.match(content):
                kind, rank = "distributive_formula", 1
            elif not re.search(r"[、\s·]", content) and _starts_numeral(content) and number_structure(content)[0] != "":
                kind, rank = "numbered_formula", 0
            elif head:
                kind, rank = "quoted_programme", 2
            else:
                continue
            out.append(Candidate(m.start(), end, content, head, kind, True, rank))
    return out


def _generic(prefix: str, rules: StrategyRules) -> bool:
    """True when *prefix* is made only of generic words (工作, 基层党建 ...) or is too short."""
    rest = prefix
    for word in sorted(rules.generic_names, key=len, reverse=True):
        rest = rest.replace(word, "")
    return len(rest) < 2


def unquoted_numbered(text: str, rules: StrategyRules) -> list[Candidate]:
    """Numeral + classifier + head, unquoted: 六大工程, 三项机制, 四本台账; and listed national formulas."""
    heads = "|".join(map(re.escape, rules.name_suffixes))
    pattern = re.compile(rf"(?<![{CN_NUM}0-9])([{CN_NUM}]{{1,2}})([{CLASSIFIERS}])([{HAN}]{{0,2}}?)({heads})")
    out = []
    for m in pattern.finditer(text):
        if m.start() > 0 and text[m.start() - 1] in NOT_NUMERAL_AFTER:
            continue
        name = m.group()
        out.append(Candidate(m.start(), m.end(), name, m.group(4), "numbered_formula", False, 3))
    for formula in sorted(rules.national_formulas, key=len, reverse=True):
        for m in re.finditer(re.escape(formula), text):
            start, end = m.start(), m.end()
            quoted = any(text[start - 1:start] == o and text[end:end + 1] == c for o, c in QUOTES)
            if quoted:
                start, end = start - 1, end + 1
            if _starts_numeral(formula) and number_structure(formula)[0] != "":
                kind = "numbered_formula"
            else:
                kind = "quoted_programme" if quoted else "named_mechanism"
            out.append(Candidate(start, end, formula, "", kind, quoted, 3))
    return out


def named_mechanisms(text: str, rules: StrategyRules) -> list[Candidate]:
    """Unquoted names ending in a head (群众说事制度), opened by a verb or particle from ``lead_words``."""
    heads = "|".join(map(re.escape, rules.name_suffixes))
    verbs = [w for w in rules.lead_words if len(w) > 1]
    particles = [w for w in rules.lead_words if len(w) == 1]
    out = []
    for m in re.finditer(heads, text):
        after = text[m.end():m.end() + 4]
        if after and _HAN.match(after[0]) and not any(after.startswith(w) for w in rules.after_head):
            continue  # the head is part of a longer word: 机制化, 体系效应
        lo = max(0, m.start() - rules.max_name_chars)
        window = text[lo:m.start()]
        cut = -1
        for i in range(len(window) - 1, -1, -1):  # nearest non-Han character (punctuation, quote, digit)
            if not _HAN.match(window[i]):
                cut = i + 1
                break
        if cut < 0 and lo == 0:
            cut = 0
        for p in particles:  # rightmost particle (和 与 的 ...) closes the name on the left
            k = window.rfind(p, max(cut, 0))
            if k >= 0:
                cut = max(cut, k + 1)
        first_verb = None
        for v in verbs:  # leftmost verb of adopting opens it (建立, 实施 ...)
            k = window.find(v, max(cut, 0))
            if k >= 0 and (first_verb is None or k < first_verb[0] or (k == first_verb[0] and len(v) > first_verb[1])):
                first_verb = (k, len(v))
        if first_verb is not None:
            cut = first_verb[0] + first_verb[1]
            stripped = True
            while stripped:  # 通过建立…, 探索推行…: a run of opening verbs is not part of the name
                stripped = False
                for v in verbs:
                    if window.startswith(v, cut) and cut + len(v) < len(window):
                        cut += len(v)
                        stripped = True
                        break
        if cut < 0:
            continue  # no boundary within reach: a name this long cannot be trusted
        start = lo + cut
        name = text[start:m.end()]
        prefix = name[: len(name) - len(m.group())]
        if _generic(prefix, rules) or _counted_before(text, start):
            continue
        if _starts_numeral(name) and number_structure(name)[0] != "":
            out.append(Candidate(start, m.end(), name, m.group(), "numbered_formula", False, 4))
            continue
        out.append(Candidate(start, m.end(), name, m.group(), "named_mechanism", False, 4))
    return out


def _counted_before(text: str, start: int) -> bool:
    """A noun counted by a number (8个区域治理党建联盟) is a type of unit, not a named programme."""
    before = text[max(0, start - 8):start]
    if _COUNTED.search(before):
        return True
    return text[start:start + 1] in CLASSIFIERS and bool(re.search(rf"(?:[0-9]+|[{CN_NUM}]+)(?:余|多)?$", before))


def _resolve(cands: list[Candidate]) -> list[Candidate]:
    """Keep the best of overlapping candidates: lower rank, then earlier, then longer."""
    kept: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (c.rank, c.start, -(c.end - c.start))):
        if not any(c.overlaps(k) for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


def strategies_of(norm: Normalized, report_id: str | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """Every named strategy in one normalized report, with raw offsets (``raw[start:end] == span``).

    With *report_id*, rows also carry ``report_id`` and a ``strategy_id``
    ``<report_id>:g<raw start>`` that stays the same while the text does, even
    when the codebook's recognition rules change.
    """
    rules = (codebook or load_codebook()).strategies
    text = norm.text
    cands = quoted_candidates(text, rules) + unquoted_numbered(text, rules) + named_mechanisms(text, rules)
    # any overlap with boilerplate (a breadcrumb repeating the headline) disqualifies a candidate
    cands = [c for c in cands if not norm.overlaps_boilerplate(c.start, c.end)]
    rows = []
    for c in _resolve(cands):
        r0, r1 = norm.mapped.raw_span(c.start, c.end)
        if c.kind == "numbered_formula":
            numbers, total = number_structure(c.name, text, c.start)
        else:
            numbers, total = "", None
        rows.append(dict(start=r0, end=r1, span=norm.raw[r0:r1], name=c.name, head=c.head, kind=c.kind,
                         quoted=c.quoted, numbers=numbers, number_total=np.nan if total is None else total,
                         national=c.name in rules.national_formulas, norm_start=c.start, norm_end=c.end))
    df = pd.DataFrame(rows, columns=STRATEGY_COLUMNS)
    df["number_total"] = df["number_total"].astype(float)
    df["quoted"] = df["quoted"].astype(bool)
    df["national"] = df["national"].astype(bool)
    if report_id is not None:
        df.insert(0, "report_id", report_id)
        df.insert(0, "strategy_id", [f"{report_id}:g{s}" for s in df["start"]])
    return df


def strategy_table(norm: Normalized, report_id: str, sentences: pd.DataFrame | None = None,
                   codebook: Codebook | None = None) -> pd.DataFrame:
    """:func:`strategies_of` plus the sentence and section holding each strategy (table columns only)."""
    df = strategies_of(norm, report_id, codebook).drop(columns=["norm_start", "norm_end"])
    if sentences is not None and len(df):
        from .segment import locate

        loc = locate(sentences, df["start"])
        df.insert(2, "section_id", loc["section_id"].to_numpy())
        df.insert(3, "sentence_id", loc["sentence_id"].to_numpy())
    elif "section_id" not in df.columns:
        df.insert(2, "section_id", pd.Series([], dtype=str) if not len(df) else "")
        df.insert(3, "sentence_id", pd.Series([], dtype=str) if not len(df) else "")
    return df



def extract_strategies(text: str | Normalized, codebook: Codebook | None = None) -> pd.DataFrame:
    """Every named strategy in any text (Simplified or Traditional), offsets into *text*; ``dj.extract_strategies``."""
    return strategies_of(normalize(text) if isinstance(text, str) else text, None, codebook)
