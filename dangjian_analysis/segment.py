"""Sections, paragraphs and sentences, each with raw offsets.

Reports are line-oriented: a paragraph is a non-empty line. A heading is a
paragraph that looks like one in this genre: numbered (``一、`` ``（二）``
``一是…。`` ``1.``), or a short standalone line without sentence punctuation
(``聚焦机制化``, ``乡村振兴注入党建动能``). Each heading opens a section that
runs to the next heading. Rules work on the normalized Simplified text; offsets
are mapped back to the raw file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from .normalize import Normalized

CN_DIGITS = "一二三四五六七八九十百零〇两"
NUMBERED_L1 = re.compile(rf"^(?:[{CN_DIGITS}]+、|第[{CN_DIGITS}]+[部章节篇]|[IVX]+[.、])")
NUMBERED_L2 = re.compile(rf"^(?:[（(][{CN_DIGITS}]+[)）]|[{CN_DIGITS}]+是|\d{{1,2}}[.、．]|[（(]\d{{1,2}}[)）])")
SENTENCE_PUNCT = re.compile(r"[。！？!?；;]")
#: a sentence ends at 。！？!? (plus closing quotes/brackets); the rest of a line is a sentence too
SENTENCE = re.compile(r"[^。！？!?\n]*(?:[。！？!?]+[”’」』)）\"']*|$)")
MAX_HEADING_CHARS = 32


@dataclass(frozen=True)
class Paragraph:
    start: int  # normalized offsets
    end: int
    text: str
    heading_level: int  # 0 = body text, 1 = section heading, 2 = sub-heading
    boilerplate: str


def heading_level(line: str) -> int:
    """1 or 2 for a heading line, 0 for body text."""
    if len(line) > MAX_HEADING_CHARS * 2:
        return 0
    if NUMBERED_L1.match(line):
        return 1
    if NUMBERED_L2.match(line) and len(line) <= MAX_HEADING_CHARS and len(SENTENCE_PUNCT.findall(line.rstrip("。"))) == 0:
        return 2
    if len(line) <= MAX_HEADING_CHARS and not SENTENCE_PUNCT.search(line) and not line.endswith((":", "：")):
        return 1
    return 0


MAX_TITLE_CHARS = 64


def paragraphs(norm: Normalized) -> list[Paragraph]:
    """Non-empty lines of the normalized text, classified as heading or body.

    The first non-boilerplate line is the title when it has no sentence punctuation
    (titles run longer than section headings, so they get their own limit).
    """
    out: list[Paragraph] = []
    pos = 0
    text = norm.text
    first = True
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + len(line) - len(line.lstrip())
            end = start + len(stripped)
            kind = norm.masked(start, end) or ""
            level = 0 if kind else heading_level(stripped)
            if first and not kind:
                if not level and len(stripped) <= MAX_TITLE_CHARS and not SENTENCE_PUNCT.search(stripped):
                    level = 1
                first = False
            out.append(Paragraph(start, end, stripped, level, kind))
        pos += len(line) + 1
    return out


def front_id(report_id: str) -> str:
    """The id of the section before the first heading (it has no heading offset of its own)."""
    return f"{report_id}:front"


def segment(norm: Normalized, report_id: str) -> dict[str, pd.DataFrame]:
    """Tables ``sections``, ``paragraphs`` and ``sentences`` for one normalized report."""
    mapped = norm.mapped
    sec_rows, par_rows, sent_rows = [], [], []
    section_id = front_id(report_id)
    parent_l1 = section_id
    seen_body = False
    previous_level = -1  # heading level of the previous non-boilerplate paragraph (0 = body)
    sec_rows.append(dict(section_id=section_id, report_id=report_id, level=0, kind="front", parent_id="",
                         heading="", start=0, end=0))
    for par in paragraphs(norm):
        raw_start, raw_end = mapped.raw_span(par.start, par.end)
        par_id = f"{report_id}:p{raw_start}"
        if par.heading_level == 1 and previous_level == 1:
            # a heading straight after another (title + subtitle, 聚焦X + its slogan): one section
            sec_rows[-1]["heading"] += " " + par.text
        elif par.heading_level:
            section_id = f"{report_id}:h{raw_start}"
            kind = "heading" if seen_body else "title"
            if par.heading_level == 1:
                parent_l1 = section_id
            sec_rows.append(dict(section_id=section_id, report_id=report_id, level=par.heading_level, kind=kind,
                                 parent_id="" if par.heading_level == 1 else parent_l1,
                                 heading=par.text, start=raw_start, end=raw_end))
        elif not par.boilerplate:
            seen_body = True
        if not par.boilerplate:
            previous_level = par.heading_level
        par_rows.append(dict(paragraph_id=par_id, report_id=report_id, section_id=section_id, start=raw_start,
                             end=raw_end, is_heading=bool(par.heading_level), boilerplate=par.boilerplate))
        for m in SENTENCE.finditer(par.text):
            s_text = m.group().strip()
            if not s_text:
                continue
            lead = len(m.group()) - len(m.group().lstrip())
            s0 = par.start + m.start() + lead
            s1 = s0 + len(s_text)
            r0, r1 = mapped.raw_span(s0, s1)
            sent_rows.append(dict(report_id=report_id, section_id=section_id, paragraph_id=par_id, start=r0, end=r1,
                                  norm_start=s0, norm_end=s1, is_heading=bool(par.heading_level),
                                  boilerplate=par.boilerplate, text=s_text))
    # a section runs from its heading to the next heading (or the end of the file)
    body_sections = {r["section_id"] for r in par_rows if not r["is_heading"] and not r["boilerplate"]}
    for row in reversed(sec_rows[1:]):  # headings after the last body text are credits, not sections
        if row["section_id"] in body_sections:
            break
        row["kind"] = "trailer"
    sections = pd.DataFrame(sec_rows)
    starts = sections["start"].tolist()
    sections["end"] = starts[1:] + [len(norm.raw)]
    sections.loc[0, "end"] = starts[1] if len(starts) > 1 else len(norm.raw)
    sentences = pd.DataFrame(sent_rows)
    if len(sentences):
        sentences.insert(0, "sentence_id", [f"{report_id}:s{s}" for s in sentences["start"]])
    else:
        sentences = pd.DataFrame(columns=["sentence_id", *SENTENCE_COLUMNS])
    return {"sections": sections, "paragraphs": pd.DataFrame(par_rows), "sentences": sentences}


SENTENCE_COLUMNS = ["report_id", "section_id", "paragraph_id", "start", "end", "norm_start", "norm_end",
                    "is_heading", "boilerplate", "text"]


def locate(sentences: pd.DataFrame, starts: pd.Series) -> pd.DataFrame:
    """For raw offsets *starts*, the sentence and section that contain them (empty when none)."""
    if sentences.empty or starts.empty:
        return pd.DataFrame({"sentence_id": [""] * len(starts), "section_id": [""] * len(starts)}, index=starts.index)
    order = sentences.sort_values("start")
    pos = order["start"].searchsorted(starts.to_numpy(), side="right") - 1
    ends = order["end"].to_numpy()
    ids, secs = order["sentence_id"].tolist(), order["section_id"].tolist()  # plain lists: .iat per row is slow
    sid, sec = [], []
    for p, s in zip(pos.tolist(), starts.tolist()):
        inside = p >= 0 and s < ends[p]
        sid.append(ids[p] if inside else "")
        sec.append(secs[p] if inside else "")
    return pd.DataFrame({"sentence_id": sid, "section_id": sec}, index=starts.index)
