"""The data dictionary: meaning, type and unit of every column of every table.

The text lives in ``data_dictionary.yaml`` beside this module, so a researcher
can correct a description without touching Python. The Excel workbook, the
Frictionless ``datapackage.json`` and the package datasets all read it from
here, so the three can never disagree.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources
from pathlib import Path

import pandas as pd
import yaml

#: Frictionless field types the dictionary may use
TYPES = ("string", "integer", "number", "boolean")
DICTIONARY_COLUMNS = ["table", "column", "type", "unit", "description"]


@lru_cache(maxsize=1)
def _raw() -> dict:
    text = resources.files(__package__).joinpath("data_dictionary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def table_names() -> list[str]:
    """Tables the dictionary describes, in the order a reader meets them."""
    return list(_raw()["tables"])


def table_info(name: str) -> dict:
    """Title, description, keys and columns of one table (``{}`` when the table is not described).

    ``columns`` maps column name → ``{"type", "unit", "description"}``; shared
    groups listed under ``include`` follow the table's own columns.
    """
    raw = _raw()
    table = raw["tables"].get(name)
    if table is None:
        return {}
    columns: dict[str, dict] = {}
    for col, spec in (table.get("columns") or {}).items():
        columns[col] = _field(spec)
    for group in table.get("include", []):
        for col, spec in raw["groups"][group].items():
            columns.setdefault(col, _field(spec))
    return {
        "title": table.get("title", name),
        "description": " ".join(str(table.get("description", "")).split()),
        "primary_key": list(table.get("primary_key", [])),
        "foreign_keys": list(table.get("foreign_keys", [])),
        "columns": columns,
    }


def _field(spec: dict) -> dict:
    kind = spec.get("type", "string")
    if kind not in TYPES:
        raise ValueError(f"data_dictionary.yaml: type {kind!r} is not one of {TYPES}")
    return {"type": kind, "unit": str(spec.get("unit") or ""), "description": str(spec.get("description", ""))}


def column_info(table: str, column: str) -> dict | None:
    """``{"type", "unit", "description"}`` of one column, or None when it is not described."""
    return table_info(table).get("columns", {}).get(column)


def dictionary_frame(columns: dict[str, list[str]] | None = None) -> pd.DataFrame:
    """The dictionary as a table (one row per column).

    With *columns* (table → column names, as built), rows follow the built
    tables' column order, and a column missing from the dictionary gets a row
    saying so rather than disappearing.
    """
    rows = []
    wanted = columns if columns is not None else {t: list(table_info(t)["columns"]) for t in table_names()}
    for table, cols in wanted.items():
        described = table_info(table).get("columns", {})
        for col in cols:
            info = described.get(col) or {"type": "", "unit": "", "description": "(not described in the data dictionary)"}
            rows.append({"table": table, "column": col, **info})
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def csv_columns(path: Path) -> list[str]:
    """Header of a built CSV table (UTF-8 with or without BOM)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh), [])


def undescribed(folder: Path) -> dict[str, list[str]]:
    """Columns of the CSV tables in *folder* that the dictionary does not describe (table → columns)."""
    missing: dict[str, list[str]] = {}
    for path in sorted(Path(folder).glob("*.csv")):
        described = table_info(path.stem).get("columns", {})
        gaps = [c for c in csv_columns(path) if c not in described]
        if gaps:
            missing[path.stem] = gaps
    return missing


def read_typed_csv(path: Path, table: str | None = None) -> pd.DataFrame:
    """A built CSV table with column types from the dictionary.

    Text stays text (an id like ``"0012"`` keeps its zeros; an empty text cell
    is ``""``); integers become nullable ``Int64``, numbers ``float64`` and
    booleans nullable ``boolean``. A column the dictionary does not describe
    is kept as text, so nothing is guessed.
    """
    path = Path(path)
    table = table or path.stem
    df = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for col in df.columns:
        info = column_info(table, col)
        kind = info["type"] if info else "string"
        if kind == "string":
            continue
        values = df[col].mask(df[col] == "")
        try:
            if kind == "integer":
                df[col] = pd.to_numeric(values).astype("Int64")
            elif kind == "number":
                df[col] = pd.to_numeric(values).astype("float64")
            else:
                bad = set(values.dropna()) - {"True", "False"}
                if bad:
                    raise ValueError(f"not True/False: {sorted(bad)[:3]}")
                df[col] = values.map({"True": True, "False": False}).astype("boolean")
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{path.name}: column {col!r} is not {kind} as dangjian_analysis/data_dictionary.yaml "
                             f"says ({exc}); fix the column or its dictionary entry") from None
    return df
