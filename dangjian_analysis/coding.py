"""Rule coding: codebook keywords → theme, stage, instrument and subject type.

Rules read the normalized Simplified text, so Traditional and Simplified
copies of one sentence get the same codes. Within a dimension, keywords are
matched longest-first without overlap; how one primary code is chosen from
the hits (most hits, priority order, last hit) is a codebook decision. Each
code column comes with ``<dimension>_coded_by``: ``rule`` when a rule gave
the code, ``hand`` after a researcher's override (:mod:`.overrides`), and
empty when no rule applies. Sentences also keep every matching theme in
``themes`` (``|``-joined, codebook order) for multi-label analysis.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .codebook import Codebook, Dimension, load_codebook
from .normalize import Normalized, convert_aligned

CLAUSE_END = "，,；;。！？!?：:\n"
SENTENCE_END = "。！？!?\n"


@dataclass(frozen=True)
class Hit:
    """One keyword found in a text: where, which keyword, which code (None for an exclude phrase)."""

    start: int
    end: int
    keyword: str
    code: str | None


_MATCHERS: dict[int, tuple[Dimension, re.Pattern[str] | None, dict[str, str | None]]] = {}


def _matcher(dim: Dimension) -> tuple[re.Pattern[str] | None, dict[str, str | None]]:
    """One alternation of every keyword of *dim*, compiled once per Dimension object.

    Keyed by identity: hashing a frozen Dimension walks all its keywords, which
    cost more than the matching itself.
    """
    cached = _MATCHERS.get(id(dim))
    if cached is not None and cached[0] is dim:
        return cached[1], cached[2]
    owner: dict[str, str | None] = {w: None for w in dim.exclude_phrases}
    for c in dim.codes:
        for w in c.keywords:
            owner[w] = c.id
    words = sorted(owner, key=lambda w: (-len(w), w))
    pattern = re.compile("|".join(map(re.escape, words))) if words else None
    _MATCHERS[id(dim)] = (dim, pattern, owner)
    return pattern, owner


def hits(text: str, dim: Dimension) -> list[Hit]:
    """Keyword hits of *dim* in *text*, left to right, longest keyword first at each position."""
    pattern, owner = _matcher(dim)
    if pattern is None or not text:
        return []
    return [Hit(m.start(), m.end(), m.group(), owner[m.group()]) for m in pattern.finditer(text)]


def primary(found: list[Hit], dim: Dimension, anchor: tuple[int, int] | None = None) -> str:
    """The primary code from *found* under the dimension's rule ('' when nothing matched).

    With an *anchor* (the indicator's own span inside the text) and a dimension
    marked ``nearest_for_indicators``, the keyword nearest before the anchor
    wins, else the nearest after it.
    """
    found = [h for h in found if h.code]
    if not found:
        return ""
    if anchor is not None and dim.nearest_for_indicators:
        before = [h for h in found if h.end <= anchor[0]]
        if before:
            return max(before, key=lambda h: h.end).code or ""
        after = [h for h in found if h.start >= anchor[1]]
        if after:
            return min(after, key=lambda h: h.start).code or ""
        return ""
    order = dim.code_ids
    if dim.primary == "last_hit":
        return found[-1].code or ""
    if dim.primary == "priority":
        present = {h.code for h in found}
        return next(c for c in order if c in present)
    counts: dict[str, int] = {}
    for h in found:
        counts[h.code] = counts.get(h.code, 0) + 1  # type: ignore[index]
    best = max(counts.values())
    return next(c for c in order if counts.get(c) == best)


def all_codes(found: list[Hit], dim: Dimension) -> str:
    """Every code with a hit, in codebook order, ``|``-joined."""
    present = {h.code for h in found if h.code}
    return "|".join(c for c in dim.code_ids if c in present)


def code_text(text: str, dim: Dimension, anchor: tuple[int, int] | None = None) -> str:
    """Primary code of one (Simplified) text on one dimension."""
    return primary(hits(text, dim), dim, anchor)


def simplified(text: str) -> str:
    """Coding reads Simplified text; Traditional input is converted character for character."""
    return convert_aligned(text, "t2s") if text else ""


def _set(df: pd.DataFrame, dim: str, codes: list[str]) -> None:
    df[dim] = codes
    df[f"{dim}_coded_by"] = ["rule" if c else "" for c in codes]


def code_frame(df: pd.DataFrame, table: str, text_col: str = "text", codebook: Codebook | None = None,
               skip: pd.Series | None = None) -> pd.DataFrame:
    """A copy of *df* with code columns for every dimension that applies to *table*, from *text_col*.

    Rows where *skip* is true (e.g. masked boilerplate) get no code.
    """
    cb = codebook or load_codebook()
    out = df.copy()
    texts = [simplified(t) if isinstance(t, str) else "" for t in out[text_col]] if len(out) else []
    skip_mask = skip.to_numpy(dtype=bool) if skip is not None else np.zeros(len(out), dtype=bool)
    for dim in cb.dimensions_for(table):
        if dim.id == "subject_type":
            continue
        found = [[] if s else hits(t, dim) for t, s in zip(texts, skip_mask)]
        _set(out, dim.id, [primary(f, dim) for f in found])
        if dim.id == "theme":
            out["themes"] = [all_codes(f, dim) for f in found]
    return out


def code_sentences(sentences: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """Sentences with theme, themes, stage, instrument; boilerplate sentences stay uncoded."""
    skip = sentences["boilerplate"].astype(str).ne("") if "boilerplate" in sentences else None
    return code_frame(sentences, "sentences", "text", codebook, skip)


# --- indicators and strategies: code the words around the span ----------------

def _norm_pos(norm: Normalized, raw_pos: int) -> int:
    """Normalized offset of the first kept character at or after raw offset *raw_pos*."""
    return int(np.searchsorted(norm.mapped.index, raw_pos, side="left"))


def context(norm: Normalized, raw_start: int, raw_end: int, stops: str) -> tuple[str, tuple[int, int]]:
    """The normalized stretch around a raw span bounded by any of *stops*, and the span's place inside it."""
    text = norm.text
    s, e = _norm_pos(norm, raw_start), _norm_pos(norm, raw_end)
    lo = max((text.rfind(ch, 0, s) for ch in stops), default=-1) + 1
    hi_candidates = [k for k in (text.find(ch, e) for ch in stops) if k >= 0]
    hi = min(hi_candidates) if hi_candidates else len(text)
    return text[lo:hi], (s - lo, e - lo)


def subject_code(subject: str, measure_word: str, unit: str, dim: Dimension) -> str:
    """Subject type: the head-final keyword of the subject, else the measure word, else the unit."""
    code = primary(hits(simplified(subject or ""), dim), dim)
    if code:
        return code
    mw = simplified(measure_word or "")
    for c in dim.codes:
        if mw and mw in c.measure_words:
            return c.id
    for c in dim.codes:
        if unit and unit in c.units:
            return c.id
    return ""


def code_spans(df: pd.DataFrame, norm: Normalized, table: str, codebook: Codebook | None = None,
               name_col: str | None = None) -> pd.DataFrame:
    """Code rows that point into one report by raw ``start``/``end`` (indicators, strategies).

    Theme and instrument come from the row's own words (*name_col*, for
    strategies), else its clause, else its sentence. Stage comes from the
    clause with the nearest-keyword rule. Subject type (indicators) comes from
    ``subject``, ``measure_word`` and ``unit``.
    """
    cb = codebook or load_codebook()
    out = df.copy()
    rows = list(out.itertuples(index=False))
    # the words around each row, found once and shared by every dimension
    clauses = [context(norm, int(r.start), int(r.end), CLAUSE_END) for r in rows]
    sentences = [context(norm, int(r.start), int(r.end), SENTENCE_END)[0] for r in rows]
    names = [[simplified(str(getattr(r, name_col)))] if name_col else [] for r in rows]
    for dim in cb.dimensions_for(table):
        codes: list[str] = []
        every: list[str] = []
        for r, (clause, anchor), sentence, name in zip(rows, clauses, sentences, names):
            if dim.id == "subject_type":
                codes.append(subject_code(getattr(r, "subject", ""), getattr(r, "measure_word", ""),
                                          getattr(r, "unit", ""), dim))
                continue
            if dim.nearest_for_indicators:
                codes.append(primary(hits(clause, dim), dim, anchor))
                continue
            code, found = "", []
            for t in (*name, clause, sentence):
                found = hits(t, dim)
                code = primary(found, dim)
                if code:
                    break
            codes.append(code)
            every.append(all_codes(found, dim))
        _set(out, dim.id, codes)
        if dim.id == "theme":
            out["themes"] = every
    return out


def code_indicators(indicators: pd.DataFrame, norm: Normalized, codebook: Codebook | None = None) -> pd.DataFrame:
    """Indicators of one report coded on every dimension that applies (subject type included)."""
    return code_spans(indicators, norm, "indicators", codebook)


def code_strategies(strategies: pd.DataFrame, norm: Normalized, codebook: Codebook | None = None) -> pd.DataFrame:
    """Strategies of one report coded from their name (with head), else clause, else sentence."""
    if len(strategies):
        named = strategies.assign(coding_words=strategies["name"].astype(str) + strategies["head"].astype(str))
    else:
        named = strategies.assign(coding_words=pd.Series([], dtype=str))
    return code_spans(named, norm, "strategies", codebook, name_col="coding_words").drop(columns="coding_words")


def with_labels(df: pd.DataFrame, lang: str = "en", codebook: Codebook | None = None) -> pd.DataFrame:
    """Add ``<dimension>_label`` columns (English or Chinese, from the codebook) for figures and tables."""
    cb = codebook or load_codebook()
    out = df.copy()
    for dim in cb.dimensions.values():
        if dim.id in out.columns:
            out[f"{dim.id}_label"] = [dim.label(c, lang) if c else "" for c in out[dim.id].fillna("")]
    return out


def check_codes(df: pd.DataFrame, table: str, codebook: Codebook | None = None) -> None:
    """Raise if a code column holds anything but a code id of the codebook (or is empty)."""
    cb = codebook or load_codebook()
    for dim in cb.dimensions_for(table):
        if dim.id not in df.columns:
            continue
        allowed = set(dim.code_ids) | {""}
        bad = sorted(set(df[dim.id].fillna("").astype(str)) - allowed)
        if bad:
            raise ValueError(f"table {table!r}, column {dim.id!r}: {', '.join(bad)} are not codes of the codebook "
                             f"({cb.path}); known: {', '.join(dim.code_ids)}")
        by = df.get(f"{dim.id}_coded_by")
        if by is not None:
            wrong = sorted(set(by.fillna("").astype(str)) - {"rule", "model", "hand", ""})
            if wrong:
                raise ValueError(f"table {table!r}, column {dim.id}_coded_by: {', '.join(wrong)} "
                                 "(allowed: rule, model, hand, empty)")

