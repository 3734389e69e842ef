"""``dangjian init``: metadata stubs for report files that have no entry yet.

A researcher with a folder of new reports edits entries instead of writing
them from scratch. A stub records only what the file itself shows, each with
its source: the sha256, the detected script, the first heading line as the
title and a year guessed from the dates in the text, marked ``inferred`` with
the reason. Everything else is ``null`` until the researcher knows it.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from . import strict_yaml
from .corpus import safe_folder
from .damage import script_counts
from .decoding import decode_report
from .errors import CorpusError
from .metadata import FIELDS, METADATA_FILE, SCHEMA_VERSION, YEARS, EMPTY, report_id_for, scan_metadata

HEADER = f"""\
# Metadata for the reports in this folder: one entry per report (docs/metadata.md).
# Stubs written by `dangjian init` hold only what the file shows; fill in what
# you know and leave null what you do not. `sources` says where each fact comes
# from ("text:" quotes the report, "file:" the file, "inferred:" a reading, with
# the reason); check every "inferred:" value. `dangjian check` lists what is wrong.
schema_version: {SCHEMA_VERSION}
reports:
"""
STUB_NOTE = "  # stub written by `dangjian init`: fill in what you know, leave the rest null\n"
_DIGIT = str.maketrans("〇零一二三四五六七八九", "00123456789")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)|([〇零一二三四五六七八九]{4})(?=年)")


def first_heading(text: str) -> tuple[str | None, int | None, bool]:
    """The first heading line of a report in its own script, its line number, and whether pinyin reading
    aids were left out of it; (None, None, False) when the report has no heading line."""
    from .normalize import READING_AID, normalize
    from .segment import paragraphs

    norm = normalize(text)
    for par in paragraphs(norm):
        if par.heading_level and not par.boilerplate:
            start, end = norm.mapped.raw_span(par.start, par.end)
            line = text[start:end]
            title = READING_AID.sub("", line)
            return title, text.count("\n", 0, start) + 1, title != line
    return None, None, False


def guess_year(text: str) -> tuple[int | None, str]:
    """The latest year among the dates in *text* (years 1949-2100), with the reason; (None, reason) if none.

    Dates are what the extraction calls dates (``2024年以来``, ``2022-02-14``,
    ``二〇二四年``), so a count such as ``2024名`` is never taken for a year.
    """
    from .mentions import extract_mentions

    dates = extract_mentions(text)
    dates = dates[dates["kind"] == "date"]
    found: Counter[int] = Counter()
    for span in dates["span"]:
        for arabic, chinese in _YEAR.findall(span):
            year = int(arabic or chinese.translate(_DIGIT))
            if YEARS[0] <= year <= YEARS[1]:
                found[year] += 1
    if not found:
        return None, f"no dated year in the text ({len(dates)} date mention(s) without a year)"
    year = max(found)
    seen = ", ".join(f"{y} ×{n}" for y, n in sorted(found.items(), reverse=True))
    return year, (f"inferred: latest year among the dates in the text ({seen}), guessed by dangjian init; "
                  "a plan's target year would be later than the report: check it")


def detected_script(text: str) -> tuple[str, str]:
    """``simplified``, ``traditional`` or ``unknown``, with the counts it rests on."""
    trad, simp = script_counts(text)
    script = "unknown" if trad == simp == 0 else "traditional" if trad > simp else "simplified"
    return script, (f"file: detected by dangjian init ({trad} Traditional-only and {simp} Simplified-only "
                    "characters)")


def stub_entry(path: Path, report_id: str) -> dict[str, Any]:
    """A metadata entry for *path* holding only what the file shows; raises CorpusError for an unreadable file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file: {exc.strerror or exc}") from None
    text = decode_report(path, data)
    entry: dict[str, Any] = {name: EMPTY.get(spec.kind) for name, spec in FIELDS.items()}
    entry.update(report_id=report_id, file=path.name, sha256=hashlib.sha256(data).hexdigest())
    sources: dict[str, str] = {}
    title, line, aids = first_heading(text)
    if title is not None:
        entry["title"] = title
        sources["title"] = (f"inferred: first heading line (line {line}{'; pinyin reading aids left out' * aids}), "
                            "taken by dangjian init: check it")
    year, reason = guess_year(text)
    if year is not None:
        entry["year"] = year
        sources["year"] = reason
    entry["script"], sources["script"] = detected_script(text)
    entry["sources"] = sources
    entry["extra"] = None
    return entry


def _entry_yaml(entry: dict[str, Any], indent: str) -> str:
    body = yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return "".join(indent + line if line.strip() else line for line in body.splitlines(keepends=True))


def _append_point(path: Path) -> tuple[str, str]:
    """The text of an existing metadata file, ready to take more entries, and the indent of its list."""
    doc = strict_yaml.load(path)
    node = doc.node
    if not isinstance(node, yaml.MappingNode) or not node.value:
        raise CorpusError(path, "malformed metadata: expected a mapping with a 'reports:' list")
    last_key, last_value = node.value[-1]
    if last_key.value != "reports" or not isinstance(last_value, yaml.SequenceNode) or last_value.flow_style:
        raise CorpusError(path, "dangjian init appends to a block list 'reports:' written last in the file; "
                                "move 'reports:' to the end (or write it as '- ...' items) and run it again",
                          strict_yaml.line_of(last_key))
    text = path.read_text(encoding="utf-8")
    if not last_value.value:
        raise CorpusError(path, "'reports:' holds no entries to append to; delete the file and run dangjian init",
                          strict_yaml.line_of(last_key))
    first = last_value.value[0].start_mark
    line = text.splitlines()[first.line]
    indent = line[: len(line) - len(line.lstrip())]
    return (text if text.endswith("\n") else text + "\n"), indent


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to a temporary file beside *path* and rename it into place (no half-written file)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def init_folder(folder: Path | str) -> tuple[list[dict[str, Any]], list[CorpusError]]:
    """Append a stub to ``reports.yaml`` (creating it if needed) for every ``.txt`` file without an entry.

    Returns the stubs written and the files that could not be read (those get
    no stub: fix the file first, since converting it changes its sha256).
    """
    root = safe_folder(folder)
    meta_path = root / METADATA_FILE
    if meta_path.exists():
        meta = scan_metadata(meta_path)
        text, indent = _append_point(meta_path)
        listed = {(root / name).resolve() for name in meta.files}
        taken = {e.report_id for e in meta.entries}
    else:
        text, indent, listed, taken = HEADER, "  ", set(), set()
    stubs, problems = [], []
    for path in sorted(root.glob("*.txt")):
        if path.resolve() in listed:
            continue
        rid, n = report_id_for(path), 2
        while rid in taken:
            rid, n = f"{report_id_for(path)}-{n}", n + 1
        try:
            stubs.append(stub_entry(path, rid))
        except CorpusError as exc:
            problems.append(exc)
            continue
        taken.add(rid)
    if stubs:
        text += "".join("\n" + STUB_NOTE.replace("  ", indent, 1) + _entry_yaml(s, indent) for s in stubs)
        write_atomically(meta_path, text)
    return stubs, problems
