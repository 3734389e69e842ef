"""Exports researchers use: an Excel workbook, Parquet files and a Frictionless data package.

Every export reads the built CSV tables that are present in ``data/processed``
(whatever stages have run), types their columns from the data dictionary, and
writes deterministic files: the same tables give the same bytes.

The workbook is made for reading and hand-coding in Excel, so it must show
exactly what the reports say. Three things in Excel would silently change a
text cell, and each is handled visibly:

- a text starting with ``=`` would become a formula and ``#N/A`` an error
  value: every text cell is stored as text (never formula or error);
- control characters cannot be stored in the file format at all: they are
  written as ``\\xNN`` escapes (backslashes in that cell doubled, so the
  escape can be undone with :func:`unescape_cell`), and each such cell is
  listed in the ``notes`` sheet;
- Excel holds at most 32,767 characters in a cell: a longer text keeps its
  first part in the cell, ending with a marker, and the whole text goes to the
  ``notes`` sheet in parts.

The README sheet says how many cells were escaped or continued.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__, paths
from .dictionary import column_info, csv_columns, dictionary_frame, read_typed_csv, table_info, table_names

WORKBOOK_NAME = "dangjian_tables.xlsx"
DATAPACKAGE_NAME = "datapackage.json"
#: Excel's hard limit on characters in one cell
EXCEL_CELL_LIMIT = 32_767
#: Excel's sheet size; a bigger table is refused rather than cut (use the Parquet or CSV files)
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
#: size of each part of an over-long text in the notes sheet (below the limit, leaving room)
NOTE_PART_CHARS = 32_000
#: characters the xlsx format cannot hold (XML 1.0 forbids them); tab, LF and CR are allowed
ILLEGAL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ESCAPE = re.compile(r"\\(\\|x[0-9a-f]{2})")
#: a font with Chinese glyphs that Excel has on Windows and Mac; charset 134 (GB2312) lets
#: Excel pick a Chinese fallback where it is missing
FONT_NAME = "Microsoft YaHei"
FONT_CHARSET = 134
MAX_COLUMN_WIDTH = 60
RESERVED_SHEETS = ("README", "data_dictionary", "codebook", "notes")


# --- reading the built tables -------------------------------------------------------------

def built_tables(folder: Path | None = None) -> list[str]:
    """Names of the CSV tables in *folder*: dictionary order first, then any others alphabetically."""
    folder = Path(folder) if folder else paths.processed_dir()
    present = {p.stem for p in folder.glob("*.csv")}
    known = [t for t in table_names() if t in present]
    return known + sorted(present - set(known))


def load_tables(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every built table in *folder*, typed from the data dictionary."""
    folder = Path(folder) if folder else paths.processed_dir()
    return {name: read_typed_csv(folder / f"{name}.csv", name) for name in built_tables(folder)}


# --- Excel-safe cell values --------------------------------------------------------------

def escape_cell(text: str) -> str:
    """*text* with characters the xlsx format cannot hold written as ``\\xNN``.

    Only a text that needs escaping is changed; in it, backslashes are doubled
    first, so :func:`unescape_cell` gives back the original exactly.
    """
    if not ILLEGAL_CHARS.search(text):
        return text
    return ILLEGAL_CHARS.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\\", "\\\\"))


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` for a cell listed as escaped in the notes sheet."""
    return _ESCAPE.sub(lambda m: "\\" if m.group(1) == "\\" else chr(int(m.group(1)[1:], 16)), text)


def display_width(text: str) -> int:
    """Columns *text* takes on screen: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


@dataclass
class _Notes:
    """Rows for the notes sheet: escaped cells and parts of over-long cells."""

    rows: list[dict] = field(default_factory=list)
    n_escaped: int = 0
    n_continued: int = 0

    COLUMNS = ("sheet", "cell", "row_key", "column", "note", "part", "parts", "text")

    def next_row(self) -> int:
        return len(self.rows) + 2  # row 1 is the header


def _plain(value: Any) -> Any:
    """A Python value openpyxl can write: None for missing, str for structures."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (list, dict, tuple)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalar
        value = value.item()
        if isinstance(value, float) and value != value:
            return None
    return value


def _safe_text(text: str, where: dict, notes: _Notes) -> str:
    """*text* ready for a cell: escaped and, when too long, cut with a marker pointing at the notes sheet."""
    escaped = escape_cell(text)
    if escaped != text:
        notes.n_escaped += 1
        original = json.dumps(text, ensure_ascii=False)
        notes.rows.append({**where, "note": "control characters written as \\xNN (backslashes doubled); "
                           "dangjian_analysis.export.unescape_cell() restores the text. 'text' here is the "
                           "original as a JSON string" + ("" if len(original) <= NOTE_PART_CHARS else
                                                           " (too long: unescape the joined parts below)"),
                           "part": None, "parts": None,
                           "text": original if len(original) <= NOTE_PART_CHARS else ""})
    if len(escaped) <= EXCEL_CELL_LIMIT:
        return escaped
    notes.n_continued += 1
    parts = [escaped[i:i + NOTE_PART_CHARS] for i in range(0, len(escaped), NOTE_PART_CHARS)]
    first = notes.next_row()
    marker = (f" [… cut at Excel's {EXCEL_CELL_LIMIT:,}-character cell limit; the full text "
              f"({len(escaped):,} characters) is in sheet 'notes', rows {first}-{first + len(parts) - 1}]")
    for i, part in enumerate(parts, start=1):
        notes.rows.append({**where, "note": "full text of a cell longer than Excel's limit: join the parts in order",
                           "part": i, "parts": len(parts), "text": part})
    return escaped[:EXCEL_CELL_LIMIT - len(marker)] + marker


# --- the workbook ------------------------------------------------------------------------

def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"
    candidate, n = base, 1
    while candidate.lower() in {t.lower() for t in taken}:
        n += 1
        candidate = f"{base[:28]}_{n}"
    taken.add(candidate)
    return candidate


def _write_sheet(wb, title: str, df: pd.DataFrame, notes: _Notes | None, key: str | None = None,
                 wrap: tuple[str, ...] = ()) -> None:
    """One sheet: bold frozen header, autofilter, widths from content, every text cell stored as text.

    *notes* collects escaped and over-long cells (None for the notes sheet itself, whose texts are
    already safe); *key* names the id column quoted in the notes; *wrap* columns wrap their text.
    """
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    if len(df) + 1 > EXCEL_MAX_ROWS or len(df.columns) > EXCEL_MAX_COLUMNS:
        raise ValueError(f"sheet {title!r}: {len(df)} rows × {len(df.columns)} columns do not fit in Excel "
                         f"({EXCEL_MAX_ROWS - 1} rows × {EXCEL_MAX_COLUMNS} columns); use the Parquet or CSV files")
    ws = wb.create_sheet(title)
    body_font = Font(name=FONT_NAME, charset=FONT_CHARSET, size=10)
    head_font = Font(name=FONT_NAME, charset=FONT_CHARSET, size=10, bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    columns = [str(c) for c in df.columns]
    widths = [display_width(c) for c in columns]
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=j, value=name)
        cell.data_type = "s"
        cell.font = head_font
    keys = df[key].tolist() if key and key in df.columns else None
    for i, row in enumerate(df.itertuples(index=False, name=None), start=2):
        for j, raw in enumerate(row, start=1):
            value = _plain(raw)
            if isinstance(value, str):
                if value == "":
                    value = None
                elif notes is not None:
                    where = {"sheet": title, "cell": f"{get_column_letter(j)}{i}",
                             "row_key": str(keys[i - 2]) if keys else "", "column": columns[j - 1]}
                    value = _safe_text(value, where, notes)
            cell = ws.cell(row=i, column=j, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula or an error value
            cell.font = body_font
            if columns[j - 1] in wrap:
                cell.alignment = wrapped
            if value is not None:
                shown = str(value)[:200]
                widths[j - 1] = max(widths[j - 1], display_width(shown))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), MAX_COLUMN_WIDTH)
    ws.freeze_panes = "A2"
    if columns:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(df) + 1, 1)}"


def _codebook() -> pd.DataFrame | None:
    """The codebook as a table, when the coding stage is installed.

    A codebook that exists but cannot be read is an error, not a missing sheet.
    """
    try:
        from .codebook import codebook_frame  # type: ignore[attr-defined]
    except ImportError:
        return None
    return codebook_frame()


def _build_info(folder: Path) -> dict:
    path = folder / "build_info.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _readme(folder: Path, sheets: list[tuple[str, str, pd.DataFrame]], notes: _Notes, has_codebook: bool) -> pd.DataFrame:
    """The README sheet: what the workbook holds, how to read it, what was changed to fit Excel."""
    from .datasets import CITATION, RIGHTS

    info = _build_info(folder)
    rows: list[tuple[str, str]] = [
        ("title", "dangjian-analysis: tables built from local Party-building (基层党建) reports"),
        ("package version", str(info.get("package_version", __version__))),
        ("how to read", "One sheet per table; row 1 is the header. Every column is explained in sheet "
                        "'data_dictionary'. start/end are character offsets into the raw report file "
                        "(UTF-8 text, nothing changed): raw_text[start:end] is the span."),
        ("text cells", "Every text cell is stored as text: a cell that begins with = + - @ or reads #N/A "
                       "shows exactly what the table holds and is never a formula or an error value."),
        ("control characters", f"{notes.n_escaped} cell(s) held control characters the file format cannot "
                               "store; they are written as \\xNN and each is listed in sheet 'notes'."),
        ("long cells", f"{notes.n_continued} cell(s) were longer than Excel's limit of {EXCEL_CELL_LIMIT:,} "
                       "characters; each shows its first part with a marker, and sheet 'notes' holds the full "
                       "text in parts."),
        ("codebook", "sheet 'codebook'" if has_codebook else "no codebook in this build (the coding stage has not run)"),
        ("other formats", "The same tables are in data/processed as CSV (UTF-8 with BOM), Parquet, and "
                          "datapackage.json (Frictionless Data)."),
        ("citation", CITATION),
        ("rights", RIGHTS),
    ]
    for name, sha in sorted(info.get("inputs", {}).items()):
        rows.append((f"input {name}", f"sha256 {sha}"))
    for sheet, table, df in sheets:
        desc = table_info(table).get("description", "")
        rows.append((f"sheet {sheet}", f"{len(df)} rows × {len(df.columns)} columns. {desc}".strip()))
    return pd.DataFrame(rows, columns=["item", "text"])


def export_workbook(folder: Path | None = None, path: Path | None = None) -> Path:
    """Write every built table to one Excel workbook (default ``output/dangjian_tables.xlsx``).

    Sheets: README, one per table, data_dictionary, codebook (when coded) and
    notes (escaped and over-long cells, when any).
    """
    from openpyxl import Workbook

    folder = Path(folder) if folder else paths.processed_dir()
    path = Path(path) if path else paths.output_dir() / WORKBOOK_NAME
    tables = load_tables(folder)
    if not tables:
        raise FileNotFoundError(f"{folder}: no tables built yet; run `dangjian build`")
    wb = Workbook()
    wb.remove(wb.active)
    taken = set(RESERVED_SHEETS)
    notes = _Notes()
    sheets = []
    for name, df in tables.items():
        sheet = _sheet_name(name, taken)
        key = next((c for c in df.columns if c.endswith("_id")), None)
        _write_sheet(wb, sheet, df, notes, key)
        sheets.append((sheet, name, df))
    _write_sheet(wb, "data_dictionary", dictionary_frame({n: list(df.columns) for n, df in tables.items()}), notes,
                 wrap=("description",))
    codebook = _codebook()
    if codebook is not None:
        _write_sheet(wb, "codebook", codebook, notes)
    if notes.rows:
        _write_sheet(wb, "notes", pd.DataFrame(notes.rows, columns=list(_Notes.COLUMNS)), None)
    # README comes first but is written last, when the counts of escaped and long cells are known
    _write_sheet(wb, "README", _readme(folder, sheets, notes, codebook is not None), None,
                 wrap=("text",))
    wb.move_sheet("README", offset=-(len(wb.sheetnames) - 1))
    wb.active = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_fixed_zip_times(buffer.getvalue()))
    return path


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite an xlsx (a zip) with fixed member times and no creation date, so bytes repeat."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            content = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                content = re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", content)
            info = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, content)
    return out.getvalue()


# --- Parquet -----------------------------------------------------------------------------

_ARROW = {"string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_()}


def arrow_table(name: str, df: pd.DataFrame) -> pa.Table:
    """*df* as an Arrow table with types, descriptions and units from the data dictionary."""
    fields, arrays = [], []
    for col in df.columns:
        info = column_info(name, col) or {"type": "string", "unit": "", "description": ""}
        kind = _ARROW[info["type"]]
        meta = {"description": info["description"], "unit": info["unit"]}
        fields.append(pa.field(col, kind, nullable=True, metadata=meta))
        arrays.append(pa.array(df[col].astype(object).where(df[col].notna(), None).tolist(), type=kind))
    schema = pa.schema(fields, metadata={"table": name, "description": table_info(name).get("description", "")})
    return pa.Table.from_arrays(arrays, schema=schema)


def write_parquet(folder: Path | None = None) -> list[Path]:
    """Write ``<table>.parquet`` beside every CSV table in *folder*; deterministic bytes."""
    folder = Path(folder) if folder else paths.processed_dir()
    written = []
    for name, df in load_tables(folder).items():
        written.append(write_parquet_file(name, df, folder / f"{name}.parquet"))
    return written


def write_parquet_file(name: str, df: pd.DataFrame, path: Path) -> Path:
    """Table *name* as one Parquet file with deterministic bytes."""
    # Parquet stores no timestamps; fixed compression settings keep bytes stable. The stored Arrow
    # schema carries each column's description and unit.
    pq.write_table(arrow_table(name, df), path, compression="zstd", compression_level=3,
                   use_dictionary=True, write_statistics=True, store_schema=True)
    return path


# --- Frictionless data package -----------------------------------------------------------

def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def resource_descriptor(folder: Path, name: str) -> dict:
    """Frictionless tabular resource for ``<name>.csv``: fields, keys, size and hash."""
    path = folder / f"{name}.csv"
    info = table_info(name)
    fields = []
    for col in csv_columns(path):
        col_info = column_info(name, col) or {"type": "string", "unit": "", "description": ""}
        field_ = {"name": col, "type": col_info["type"], "description": col_info["description"]}
        if col_info["unit"]:
            field_["unit"] = col_info["unit"]
        if col_info["type"] == "boolean":
            field_["trueValues"], field_["falseValues"] = ["True"], ["False"]
        fields.append(field_)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    names = {f["name"] for f in fields}
    if info.get("primary_key") and set(info["primary_key"]) <= names:
        schema["primaryKey"] = info["primary_key"]
    fks = [fk for fk in info.get("foreign_keys", [])
           if set(fk["fields"]) <= names and (folder / f"{fk['reference']['resource']}.csv").exists()]
    if fks:
        schema["foreignKeys"] = fks
    return {
        "name": name,
        "path": f"{name}.csv",
        "title": info.get("title", name),
        "description": info.get("description", ""),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8-sig",
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        "schema": schema,
    }


def datapackage_descriptor(folder: Path | None = None) -> dict:
    """The ``datapackage.json`` content for the tables in *folder* (no timestamps, sorted keys)."""
    from .datasets import CITATION, RIGHTS

    folder = Path(folder) if folder else paths.processed_dir()
    sources = []
    reports = folder / "reports.csv"
    if reports.exists():
        meta = read_typed_csv(reports, "reports")
        for _, row in meta.iterrows():
            sources.append({"title": f"{row.get('outlet', '')}: {row.get('title', '')}".strip(": "),
                            "report_id": str(row.get("report_id", ""))})
    info = _build_info(folder)
    return {
        "profile": "tabular-data-package",
        "name": "dangjian-analysis-tables",
        "title": "Tables built from local Party-building (基层党建) reports",
        "description": ("Traceable tables built by dangjian-analysis: every row points to exact character "
                        "offsets in the raw report files. Each CSV table has a Parquet twin with the same "
                        "columns (<name>.parquet). " + RIGHTS),
        "version": str(info.get("package_version", __version__)),
        "citation": CITATION,
        "sources": sources,
        "resources": [resource_descriptor(folder, name) for name in built_tables(folder)],
    }


def write_datapackage(folder: Path | None = None) -> Path:
    """Write ``<folder>/datapackage.json`` describing every CSV table and field."""
    folder = Path(folder) if folder else paths.processed_dir()
    path = folder / DATAPACKAGE_NAME
    text = json.dumps(datapackage_descriptor(folder), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")
    return path


# --- everything --------------------------------------------------------------------------

def export_all(folder: Path | None = None, path: Path | None = None) -> dict[str, Any]:
    """Parquet files and datapackage.json in *folder*, and the Excel workbook at *path*."""
    folder = Path(folder) if folder else paths.processed_dir()
    return {
        "parquet": write_parquet(folder),
        "datapackage": write_datapackage(folder),
        "workbook": export_workbook(folder, path),
    }
