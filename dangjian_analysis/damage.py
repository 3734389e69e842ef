"""Detect damaged input and report it; nothing here repairs a text.

Each finding is a row for ``quality.csv`` with raw offsets, so a researcher
can open the file at that place and judge. Kinds of damage:

- ``lost_character``: ``?`` standing for a character lost in an encoding
  round trip (a question mark touching Chinese text, where Chinese writing
  would use ``？``);
- ``replacement_character``: U+FFFD, a byte sequence a decoder gave up on;
- ``mojibake``: character sequences typical of text decoded with the wrong
  codec (``锟斤拷``, ``Ã©``, ``â€œ``, Chinese UTF-8 read as Windows-1252:
  ``å…šå‘˜``);
- ``byte_order_mark``: a UTF-8 BOM inside the text;
- ``mixed_script``: a line in the other script than the report's majority
  (Traditional among Simplified or the reverse);
- ``reading_aid_left``: parentheses holding tone-marked pinyin that the
  reading-aid rule did not remove (not glued to a Chinese character, or
  holding more than pinyin), so they stay in the text that is analysed;
- ``no_report_text``: nothing outside web boilerplate is Chinese text (a saved
  page of navigation, share buttons and counters), so every table is empty for
  the report; found on the normalized text by :func:`no_report_text`.
"""
from __future__ import annotations

import re

import pandas as pd

from .normalize import HAN, TONED_PARENTHESES, Normalized, convert_aligned

QUALITY_COLUMNS = ["report_id", "start", "end", "span", "issue", "severity", "detail"]

_NEAR_CHINESE = rf"[{HAN}\u3000-\u303f\uff00-\uffef“”‘’]"
#: a whole run of '?' touching Chinese; ``(?<!\?)`` starts the second branch only at the run's start,
#: else a long run of '?' far from Chinese is rescanned from every position (quadratic time)
LOST = re.compile(rf"(?:(?<={_NEAR_CHINESE})\?+|(?<!\?)\?+(?={_NEAR_CHINESE}))")
REPLACEMENT = re.compile("\ufffd+")
#: what the bytes 0x80-0xBF (UTF-8 continuation bytes) become when decoded as Windows-1252 or Latin-1
_CONTINUATION = "\\u0080-\\u00bf" + re.escape("".join(sorted(set(bytes(range(0x80, 0xa0)).decode("cp1252", errors="ignore")))))
#: Chinese written in UTF-8 and read as Windows-1252: each character becomes a letter à-ï and two of the above
#: (党员 → å…šå‘˜); written first so that a whole run is one finding
_UTF8_AS_CP1252 = f"(?:[\u00e0-\u00ef][{_CONTINUATION}]{{2}})+"
MOJIBAKE = re.compile(rf"{_UTF8_AS_CP1252}|锟斤拷|烫烫烫|屯屯屯|[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ]|ï»¿")
BOM = re.compile("\ufeff")


def _rows(pattern: re.Pattern[str], text: str, issue: str, severity: str, detail: str) -> list[dict]:
    return [dict(start=m.start(), end=m.end(), span=m.group(), issue=issue, severity=severity, detail=detail)
            for m in pattern.finditer(text)]


def undo_cp1252(span: str) -> str | None:
    """What a UTF-8-read-as-Windows-1252 *span* said (``å…šå‘˜`` → ``党员``), or None; shown, never applied."""
    try:
        data = bytes(ord(ch) if ord(ch) < 256 else ch.encode("cp1252")[0] for ch in span)
        return data.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError, ValueError):
        return None


def mojibake_rows(text: str) -> list[dict]:
    """``mojibake`` findings; the detail shows the probable original text where it can be recovered."""
    rows = []
    for m in MOJIBAKE.finditer(text):
        was = undo_cp1252(m.group()) if m.group()[0] not in "锟烫屯" else None
        detail = "text decoded with the wrong codec at some point"
        if was and was != m.group():
            detail += f"; probably {was!r} read as Windows-1252 (the file is kept as it is)"
        rows.append(dict(start=m.start(), end=m.end(), span=m.group(), issue="mojibake", severity="error", detail=detail))
    return rows


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
    """Lines written mostly in the other script than the report's majority, and lines mixing both.

    Traditional text uses a few characters OpenCC counts as Simplified-only (干, 范),
    so a line mixes scripts only when each script has 3+ such characters and the
    rarer one has at least a third as many as the other.
    """
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
        elif min(t, s) >= 3 and 3 * min(t, s) >= max(t, s):
            rows.append(dict(start=start, end=end, span=line, issue="mixed_script", severity="info",
                             detail=f"line mixes scripts ({t} traditional-only and {s} simplified-only characters): "
                                    "a partly converted text?"))
    return rows


def damage(text: str) -> list[dict]:
    """Every damage finding in a raw text (offsets into *text*)."""
    rows = (
        _rows(LOST, text, "lost_character", "error", "'?' inside Chinese text: a character was lost in conversion; numbers touching it are not read")
        + _rows(REPLACEMENT, text, "replacement_character", "error", "U+FFFD: undecodable bytes were replaced before this file was saved")
        + mojibake_rows(text)
        + _rows(BOM, text, "byte_order_mark", "warning", "byte-order mark inside the text")
        + mixed_script_lines(text)
    )
    return sorted(rows, key=lambda r: (r["start"], r["issue"]))


_HAN_CHAR = re.compile(f"[{HAN}]")


def no_report_text(norm: Normalized) -> list[dict]:
    """One row when no Chinese character stands outside boilerplate: the report has nothing to analyse.

    Such a file loads (its bytes are valid text), so without this row its empty
    tables would pass unnoticed. The row points at the first line of the file.
    """
    text, pos = norm.text, 0
    for b in (*norm.boilerplate, None):
        stop = b.start if b else len(text)
        if _HAN_CHAR.search(text, pos, stop):
            return []
        pos = b.end if b else pos
    first = norm.boilerplate[0] if norm.boilerplate else None
    if first:
        start, end = norm.mapped.raw_span(first.start, first.end)
        detail = "every line is web boilerplate (navigation, share buttons, counters, credits): no report text to analyse"
    else:
        lead = len(text) - len(text.lstrip())
        start, end = norm.mapped.raw_span(lead, lead + len(text.strip().split("\n", 1)[0]))
        detail = "no Chinese characters in the file: no report text to analyse"
    return [dict(start=start, end=end, span=norm.raw[start:end], issue="no_report_text", severity="error", detail=detail)]


def reading_aids_left(norm: Normalized) -> list[dict]:
    """Tone-marked pinyin in parentheses still in the normalized text: a reading aid the rule did not remove."""
    rows = []
    for m in TONED_PARENTHESES.finditer(norm.text):
        start, end = norm.mapped.raw_span(*m.span())
        rows.append(dict(start=start, end=end, span=norm.raw[start:end], issue="reading_aid_left", severity="warning",
                         detail="parentheses holding tone-marked pinyin were not removed as a reading aid (not right "
                                "after a Chinese character, or not only pinyin); they stay in the text analysed"))
    return rows


def damage_table(report_id: str, norm: Normalized) -> pd.DataFrame:
    """``quality.csv`` rows for the damage in one report (raw text), pinyin left in the normalized text, and a
    report with no text to analyse."""
    rows = damage(norm.raw) + reading_aids_left(norm) + no_report_text(norm)
    df = pd.DataFrame(sorted(rows, key=lambda r: (r["start"], r["issue"])), columns=QUALITY_COLUMNS[1:])
    df.insert(0, "report_id", report_id)
    return df
