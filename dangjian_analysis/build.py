"""The pipeline: corpus → normalize → segment → extract → code → checked tables.

:func:`process_report` does everything that needs only one report, so it can
run in a worker process or on a Dask cluster; :func:`build` gathers the
per-report frames, adds the corpus-level tables and writes ``data/processed``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

import pandas as pd

from . import __version__, paths
from .corpus import Report
from .damage import QUALITY_COLUMNS, damage_table, dominant_script
from .metadata import METADATA_FILE, REGIONS_FILE, extra_json
from .normalize import normalize
from .progress import Progress, silent
from .segment import segment
from .tables import write_table

#: tables produced per report and concatenated over the corpus
PER_REPORT_TABLES = ("sections", "paragraphs", "sentences", "quality", "mentions", "indicators", "strategies")


def report_row(report: Report) -> dict:
    """The metadata part of a report's row in ``reports.csv``: unknowns stay empty, mappings become JSON text."""
    row = {k: v for k, v in report.meta.items() if k != "sha256"}  # a given sha256 was checked on reading
    row["sources"] = json.dumps(report.meta.get("sources") or {}, ensure_ascii=False, sort_keys=True)
    row["extra"] = extra_json(report.meta.get("extra"))
    row["sha256"] = report.sha256
    row["n_bytes"] = len(report.raw_bytes)
    return row


def region_context_missing(report: Report) -> pd.DataFrame:
    """A ``quality.csv`` row saying the report has no census context, and why (an empty span: it is about
    the metadata, not a place in the text)."""
    code = report.meta.get("division_code")
    why = (f"no division_code in {METADATA_FILE}" if not code
           else f"division code {code} has no population in {REGIONS_FILE}")
    detail = f"{why}: census population and area are unknown, so counts are not checked against the population"
    return pd.DataFrame([dict(report_id=report.report_id, start=0, end=0, span="", issue="region_context_missing",
                              severity="warning", detail=detail)], columns=QUALITY_COLUMNS)


def _visible(text: str) -> int:
    """Characters that are not whitespace: line breaks are layout, not text to analyse."""
    return len("".join(text.split()))


def process_report(report: Report, population: float | None = None) -> dict[str, pd.DataFrame]:
    """Every per-report table for one report; *population* (census) lets implausible counts be flagged."""
    norm = normalize(report.text)
    rid = report.report_id
    tables = segment(norm, rid)
    sentences = tables["sentences"]
    sentences["n_chars"] = sentences["text"].str.len()  # normalized length: pinyin aids do not count
    tables["sentences"] = sentences.drop(columns=["norm_start", "norm_end"])
    quality = [damage_table(rid, norm)]
    if population is None:
        quality.append(region_context_missing(report))
    from .indicators import indicator_tables

    extracted = indicator_tables(norm, rid, tables["sentences"], population)
    tables["mentions"], tables["indicators"] = extracted["mentions"], extracted["indicators"]
    quality.append(extracted["quality"])
    from .autocoder import code_indicators, code_sentences
    from .coding import code_strategies
    from .strategies import strategy_table

    headings = dict(zip(tables["sections"]["section_id"], tables["sections"]["heading"]))
    tables["sentences"] = code_sentences(tables["sentences"],
                                         headings=tables["sentences"]["section_id"].map(headings).fillna(""))
    tables["indicators"] = code_indicators(tables["indicators"], norm)
    tables["strategies"] = code_strategies(strategy_table(norm, rid, tables["sentences"]), norm)
    tables["quality"] = pd.concat(quality, ignore_index=True) if quality else pd.DataFrame(columns=QUALITY_COLUMNS)

    boiler = sum(b.end - b.start for b in norm.boilerplate)
    boiler_visible = sum(_visible(norm.text[b.start:b.end]) for b in norm.boilerplate)
    counts = dict(
        script_detected=dominant_script(report.text),
        n_chars_raw=len(report.text),
        n_chars_normalized=len(norm.text),
        n_reading_aids_chars=len(report.text) - len(norm.text),
        n_chars_boilerplate=boiler,
        n_chars_analysed=_visible(norm.text) - boiler_visible,  # a page of only boilerplate gives 0
        n_sections=int((tables["sections"]["level"] > 0).sum()),
        n_paragraphs=len(tables["paragraphs"]),
        n_sentences=int((tables["sentences"]["boilerplate"] == "").sum()),
        n_quality_issues=len(tables["quality"]),
        n_mentions=len(tables["mentions"]),
        n_indicators=len(tables["indicators"]),
        n_strategies=len(tables["strategies"]),
    )
    tables["report"] = pd.DataFrame([{**report_row(report), **counts}])
    return tables


def assemble_frames(results: Iterable[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Concatenate per-report results into tables (``reports`` without region context)."""
    results = list(results)
    tables = {name: pd.concat([r[name] for r in results], ignore_index=True) for name in PER_REPORT_TABLES}
    tables["reports"] = pd.concat([r["report"] for r in results], ignore_index=True)
    return tables


def assemble(regions: pd.DataFrame, results: Iterable[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Corpus tables from per-report results, with region context (census) joined to ``reports``."""
    tables = assemble_frames(results)
    context = regions.drop(columns=[c for c in ("region_zh", "region_en", "admin_level", "prefecture",
                                                "province") if c in regions.columns])
    reports = tables["reports"].merge(context, on="division_code", how="left")
    first = ["report_id", "file", "sha256"]
    tables["reports"] = reports[first + [c for c in reports.columns if c not in first]]
    return tables


def build_info(tasks: list, reports: pd.DataFrame, overrides: Path, codes: Path | None = None) -> dict:
    """What the tables were made from: package version and the sha256 of every input (no timestamps)."""
    import hashlib

    from .codebook import load_codebook
    from .overrides import override_inputs

    codebook = load_codebook()
    sha = dict(zip(reports["report_id"], reports["sha256"]))
    return {
        "package_version": __version__,
        "inputs": {t.path.name: sha[t.report_id] for t in tasks},
        "codebook": {"version": codebook.version, "sha256": codebook.sha256},
        "overrides": override_inputs(overrides),
        "hand_codes": {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                       for p in sorted(codes.glob("*.csv"))} if codes is not None and codes.is_dir() else {},
    }


def build(root: Path | None = None, out: Path | None = None, jobs: int | None = 1,
          progress: Progress | None = None) -> dict[str, pd.DataFrame]:
    """Build every table from ``<root>/data/raw`` into ``data/processed`` (or *out*); return them.

    *jobs* processes work on the reports (0 or None: all cores, when the
    corpus is large enough to gain from it); the tables are the same bytes
    whatever the number. *progress* shows the three stages (check, process,
    write) on a terminal.
    """
    from .parallel import plan_tasks, run_tasks

    progress = progress or silent()
    root = root or paths.project_root()
    progress.stage("checking the corpus and its metadata")
    _, tasks, regions = plan_tasks(paths.raw_dir(root))
    progress.stage(f"processing {len(tasks)} report(s)")
    tables = assemble(regions, run_tasks(tasks, jobs, progress))
    progress.stage("writing the tables")
    from .handcoding import codes_dir
    from .overrides import apply_hand_codes, overrides_dir

    # hand codes win over automated ones; agreement of automated codes with hand codes
    tables.update(apply_hand_codes(tables, overrides_dir(root), codes_folder=codes_dir(root)))
    out = out or paths.processed_dir(root)
    for name, df in tables.items():
        write_table(name, df, out)
    info = build_info(tasks, tables["reports"], overrides_dir(root), codes_dir(root))
    (out / "build_info.json").write_text(
        json.dumps(info, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    from .export import write_datapackage, write_parquet

    write_parquet(out)  # Parquet twin of every CSV table
    write_datapackage(out)  # Frictionless descriptor (hashes the final CSVs, so it comes last)
    return tables
