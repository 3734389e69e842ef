"""Detect damaged input and report it; nothing here repairs a text.

Each finding is a row for ``quality.csv`` with raw offsets, so a researcher
can open the file at that place and judge. Kinds of damage:

- ``lost_character``: ``?`` standing for a character lost in an encoding
  round trip (a question mark touching Chinese text, where Chinese writing
  would use ``？``);
- ``replacement_character``: U+FFFD, a byte sequence a decoder gave up on;
- ``mojibake``: character sequences typical of text decoded with the wrong
  codec (``锟斤拷``, ``Ã©``, ``â€œ``);
- ``byte_order_mark``: a UTF-8 BOM inside the text;
- ``mixed_script``: a line in the other script than the report's majority
  (Traditional among Simplified or the reverse).
"""
from __future__ import annotations

import re

import pandas as pd

from .normalize import HAN, convert_aligned

QUALITY_COLUMNS = ["report_id", "start", "end", "span", "issue", "severity", "detail"]

_NEAR_CHINESE = rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’]"
#: a whole run of '?' touching Chinese; ``(?<!\?)`` starts the second branch only at the run's start,
#: else a long run of '?' far from Chinese is rescanned from every position (quadratic time)
LOST = re.compile(rf"(?:(?<={_NEAR_CHINESE})\?+|(?<!\?)\?+(?={_NEAR_CHINESE}))")
REPLACEMENT = re.compile("\ufffd+")
MOJIBAKE = re.compile(r"锟斤拷|烫烫烫|屯屯屯|[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ]|ï»¿")
BOM = re.compile("\ufeff")


def _rows(pattern: re.Pattern[str], text: str, issue: str, severity: str, detail: str) -> list[dict]:
    return [dict(start=m.start(), end=m.end(), span=m.group(), issue=issue, severity=severity, detail=detail)
            for m in pattern.finditer(text)]


def script_counts(text: str) -> tuple[int, int]:
    """(Traditional-only, Simplified-only) character counts, judged by OpenCC in both directions."""
    t2s = convert_aligned(text, "t2s")
    s2t = convert_aligned(text, "s2t")
    trad = sum(1 for a, b in zip(text, t2s) if a != b)
    simp = sum(1 for a, b in zip(text, s2t) if a != b)
    return trad, simp


def dominant_script(text: str) -> str:
    """``traditional``, ``simplified`` or ``unknown`` (no script-specific characters at all)."""
    trad, simp = script_counts(text)
    if trad == simp == 0:
        return "unknown"
    return "traditional" if trad > simp else "simplified"


def mixed_script_lines(text: str) -> list[dict]:
    """Lines written mostly in the other script than the report's majority."""
    t2s = convert_aligned(text, "t2s")
    s2t = convert_aligned(text, "s2t")
    lines, pos = [], 0
    total_t = total_s = 0
    for line in text.split("\n"):
        end = pos + len(line)
        t = sum(1 for a, b in zip(line, t2s[pos:end]) if a != b)
        s = sum(1 for a, b in zip(line, s2t[pos:end]) if a != b)
        total_t += t
        total_s += s
        if line.strip():
            lines.append((pos, end, line, t, s))
        pos = end + 1
    majority = "traditional" if total_t > total_s else "simplified"
    rows = []
    for start, end, line, t, s in lines:
        # a line counts as the other script only when it has several such characters and few of the majority's
        other, own = (s, t) if majority == "traditional" else (t, s)
        if other >= 3 and other > 2 * own:
            script = "simplified" if majority == "traditional" else "traditional"
            rows.append(dict(start=start, end=end, span=line, issue="mixed_script", severity="info",
                             detail=f"line in {script} script ({other} {script}-only characters) in a mostly {majority} report"))
    return rows


def damage(text: str) -> list[dict]:
    """Every damage finding in a raw text (offsets into *text*)."""
    rows = (
        _rows(LOST, text, "lost_character", "error", "'?' inside Chinese text: a character was lost in conversion; numbers touching it are not read")
        + _rows(REPLACEMENT, text, "replacement_character", "error", "U+FFFD: undecodable bytes were replaced before this file was saved")
        + _rows(MOJIBAKE, text, "mojibake", "error", "text decoded with the wrong codec at some point")
        + _rows(BOM, text, "byte_order_mark", "warning", "byte-order mark inside the text")
        + mixed_script_lines(text)
    )
    return sorted(rows, key=lambda r: (r["start"], r["issue"]))


def damage_table(report_id: str, text: str) -> pd.DataFrame:
    """``quality.csv`` rows for the damage in one report."""
    df = pd.DataFrame(damage(text), columns=QUALITY_COLUMNS[1:])
    df.insert(0, "report_id", report_id)
    return df
