"""Output tables: one checked schema each, a deterministic writer and a loader.

Schemas (pandera) are checked at the end of the build, so a broken table never
reaches a notebook. The writer fixes row order, column order, float format and
line endings, so the same inputs give byte-identical files. CSV files are
UTF-8 with a byte-order mark, which Excel needs to show Chinese correctly and
which pandas and the csv module (``utf-8-sig``) read transparently.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from . import paths
from .metadata import DIVISION_CODE

CSV_ENCODING = "utf-8-sig"

KINDS = ["indicator", "date", "ordinal", "formula", "name", "unknown"]
UNITS = ["yuan", "percent", "person", "person_time", "household", "hour", "study_hour", "day", "month", "year", "count"]
QUALIFIERS = ["exact", "approx", "more_than", "at_least", "at_most", "nearly", "range"]
CODE_DIMENSIONS = ["theme", "stage", "instrument", "claim", "subject_type"]
#: who set a code: keyword rules, the trained model, a person (adjudicated hand codes or an override), nobody
CODED_BY = ["rule", "model", "hand", ""]


def _str(required: bool = True, nullable: bool = False, **kw) -> pa.Column:
    return pa.Column(str, required=required, nullable=nullable, **kw)


def _int(**kw) -> pa.Column:
    return pa.Column(int, pa.Check.ge(0), **kw)


def _codes() -> dict[str, pa.Column]:
    """Optional code columns added by the coding stage."""
    cols: dict[str, pa.Column] = {}
    for dim in CODE_DIMENSIONS:
        cols[dim] = _str(required=False, nullable=True)
        cols[f"{dim}_coded_by"] = _str(required=False, nullable=True, checks=pa.Check.isin(CODED_BY))
    cols["themes"] = _str(required=False, nullable=True)
    return cols


OFFSETS = {"start": _int(), "end": _int()}

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "reports": pa.DataFrameSchema(
        {
            "report_id": _str(unique=True),
            "file": _str(),
            "sha256": _str(checks=pa.Check.str_matches(r"^[0-9a-f]{64}$")),
            # metadata: null where reports.yaml says null (not known)
            **{c: _str(nullable=True) for c in ("title", "region_zh", "region_en", "province", "prefecture",
                                                "admin_level")},
            "division_code": _str(nullable=True, checks=pa.Check.str_matches(DIVISION_CODE)),
            "year": pa.Column("Int64", nullable=True),
            **{c: _str(nullable=True) for c in ("period", "outlet", "genre", "script", "framework")},
            "sources": _str(), "extra": _str(),
            "population_2020": pa.Column(float, nullable=True),
            "area_km2": pa.Column(float, nullable=True),
            "population_source": _str(nullable=True, required=False),
            "area_source": _str(nullable=True, required=False),
            "script_detected": _str(),
            "n_bytes": _int(), "n_chars_raw": _int(), "n_chars_normalized": _int(),
            "n_chars_boilerplate": _int(), "n_chars_analysed": _int(),
            "n_reading_aids_chars": _int(),
            "n_sections": _int(), "n_paragraphs": _int(), "n_sentences": _int(),
            "n_mentions": _int(required=False), "n_indicators": _int(required=False),
            "n_strategies": _int(required=False), "n_quality_issues": _int(required=False),
        },
        strict=True, coerce=True, name="reports",
    ),
    "sections": pa.DataFrameSchema(
        {"section_id": _str(unique=True), "report_id": _str(), "level": _int(), "kind": _str(
            checks=pa.Check.isin(["front", "title", "heading", "trailer"])),
         "parent_id": _str(), "heading": _str(), **OFFSETS},
        strict=True, coerce=True, name="sections",
    ),
    "paragraphs": pa.DataFrameSchema(
        {"paragraph_id": _str(unique=True), "report_id": _str(), "section_id": _str(), **OFFSETS,
         "is_heading": pa.Column(bool), "boilerplate": _str()},
        strict=True, coerce=True, name="paragraphs",
    ),
    "sentences": pa.DataFrameSchema(
        {"sentence_id": _str(unique=True), "report_id": _str(), "section_id": _str(), "paragraph_id": _str(),
         **OFFSETS, "is_heading": pa.Column(bool), "boilerplate": _str(), "text": _str(),
         "n_chars": _int(required=False), **_codes()},
        strict=True, coerce=True, name="sentences",
    ),
    "quality": pa.DataFrameSchema(
        {"report_id": _str(), **OFFSETS, "span": _str(), "issue": _str(),
         "severity": _str(checks=pa.Check.isin(["error", "warning", "info"])), "detail": _str()},
        strict=True, coerce=True, name="quality",
    ),
    "mentions": pa.DataFrameSchema(
        {"mention_id": _str(unique=True), "report_id": _str(), **OFFSETS, "span": _str(),
         "kind": _str(checks=pa.Check.isin(KINDS)),
         "value": pa.Column(float, nullable=True), "boilerplate": _str(), "damaged": pa.Column(bool),
         "rule": _str(), "sentence_id": _str(), "section_id": _str()},
        checks=pa.Check(lambda df: df["start"] < df["end"], error="start < end"),
        strict=True, coerce=True, name="mentions",
    ),
    "indicators": pa.DataFrameSchema(
        {"report_id": _str(), "indicator_id": _str(unique=True), **OFFSETS, "span": _str(),
         "value": pa.Column(float), "value_high": pa.Column(float, nullable=True),
         "unit": _str(checks=pa.Check.isin(UNITS)), "measure_word": _str(),
         "qualifier": _str(checks=pa.Check.isin(QUALIFIERS)), "per": _str(), "subject": _str(),
         "list_subjects": _str(), "rule": _str(), "repeat_of": _str(), "sentence_id": _str(),
         "section_id": _str(), **_codes()},
        checks=[pa.Check(lambda df: df["start"] < df["end"], error="start < end"),
                pa.Check(lambda df: df["value_high"].isna() | (df["value_high"] >= df["value"]),
                         error="a range's upper bound is not below its lower bound")],
        strict=True, coerce=True, name="indicators",
    ),
    "strategies": pa.DataFrameSchema(
        {"strategy_id": _str(unique=True), "report_id": _str(), "section_id": _str(), "sentence_id": _str(),
         **OFFSETS, "span": _str(), "name": _str(), "head": _str(), "kind": _str(), "quoted": pa.Column(bool),
         "numbers": _str(), "number_total": pa.Column(float, nullable=True), "national": pa.Column(bool),
         **_codes()},
        checks=pa.Check(lambda df: df["start"] < df["end"], error="start < end"),
        strict=True, coerce=True, name="strategies",
    ),
}

#: row order of each table (ties are impossible: ids or offsets are unique)
SORT_KEYS: dict[str, list[str]] = {
    "reports": ["report_id"],
    "sections": ["report_id", "start", "section_id"],
    "paragraphs": ["report_id", "start"],
    "sentences": ["report_id", "start"],
    "quality": ["report_id", "start", "end", "issue", "span"],
    "mentions": ["report_id", "start", "end"],
    "indicators": ["report_id", "start", "end"],
    "strategies": ["report_id", "start", "end"],
}


def validate(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check *df* against its schema (if one is registered); raise a readable error naming the table."""
    schema = SCHEMAS.get(name)
    if schema is None:
        return df
    try:
        return schema.validate(df, lazy=True)
    except (SchemaError, SchemaErrors) as exc:
        raise ValueError(f"table {name!r} fails its schema:\n{exc}") from None


def tidy(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Validate, then sort rows by the table's keys; a fresh 0..n-1 index."""
    df = validate(name, df)
    keys = [k for k in SORT_KEYS.get(name, []) if k in df.columns]
    if keys:
        df = df.sort_values(keys, kind="mergesort")
    return df.reset_index(drop=True)


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """Write *df* to *path* deterministically (UTF-8 with BOM, LF line endings, 15 significant digits)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding=CSV_ENCODING, lineterminator="\n", float_format="%.15g")
    return path


def write_table(name: str, df: pd.DataFrame, folder: Path | None = None) -> Path:
    """Write ``<folder>/<name>.csv`` deterministically (UTF-8 with BOM, LF line endings)."""
    folder = folder or paths.processed_dir()
    return write_csv(tidy(name, df), folder / f"{name}.csv")


def load_table(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """A built table from ``data/processed`` (or *folder*), with empty text cells as ''."""
    folder = Path(folder) if folder else paths.processed_dir()
    path = folder / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"{path}: table not built yet; run `dangjian build`")
    from .dictionary import column_info

    # text columns as text even when every cell is empty (a title nobody knows is '', not NaN)
    text = {c: str for c in pd.read_csv(path, encoding=CSV_ENCODING, nrows=0).columns
            if (column_info(name, c) or {}).get("type") == "string"}
    df = pd.read_csv(path, encoding=CSV_ENCODING, keep_default_na=False, na_values=[""],
                     dtype={**text, "division_code": str, "report_id": str, "year": "Int64"})
    text_cols = df.select_dtypes(include=["object", "string"]).columns
    df[text_cols] = df[text_cols].fillna("")
    return df
