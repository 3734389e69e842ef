"""Exports: Excel workbook that never alters a text, Parquet, Frictionless data package, data dictionary."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import frictionless
import openpyxl
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian_analysis import dictionary, export
from dangjian_analysis.cli import main
from dangjian_analysis.tables import SCHEMAS


LONG = "坚持党建引领基层治理，全区建成党群服务中心12个。" * 1600  # 40,000 characters
assert len(LONG) == 40_000

#: cell text → what must be read back from the workbook (unchanged unless the format cannot hold it)
TRICKY = [
    '=HYPERLINK("http://example.invalid","点我")',
    "=1+1",
    "+1",
    "-1",
    "@x",
    "#N/A",
    "#DIV/0!",
    " 前后有空格 ",
    "第一行\n第二行",
    "全区共排查梳理关键岗位203个，投入资金6000多万元。",
    "全區共排查梳理關鍵崗位203個，投入資金6000多萬元。",
    "=SUM(A1:A9)“三会一课”",
]
CONTROL = ["党员\x01干部\x1f学习", "路径C:\\temp\x07响铃", "制表\t换行\n\x0b垂直"]


def _csv(folder: Path, name: str, df: pd.DataFrame) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    df.to_csv(path, index=False, encoding="utf-8-sig", lineterminator="\n")
    return path


@pytest.fixture(scope="module")
def tricky(tmp_path_factory) -> tuple[Path, Path]:
    """A quality table whose text cells are everything Excel likes to reinterpret; exported once."""
    folder = tmp_path_factory.mktemp("tricky") / "processed"
    texts = TRICKY + CONTROL + [LONG]
    df = pd.DataFrame({
        "report_id": [f"r{i:02d}" for i in range(len(texts))],
        "start": range(len(texts)), "end": [i + 1 for i in range(len(texts))],
        "span": texts, "issue": "test", "severity": "info", "detail": "composed for the test",
    })
    _csv(folder, "quality", df)
    codebook = pd.DataFrame({"dimension": ["theme", "theme"], "code": ["org", "edu"],
                             "keywords": ["=党组织;支部", "@学习;#N/A"]})
    with pytest.MonkeyPatch.context() as mp:  # a codebook of our own, whatever the coding stage holds
        mp.setattr(export, "_codebook", lambda: codebook)
        out = export.export_workbook(folder, folder.parent / "book.xlsx")
    return folder, out


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_text_cells_are_text_never_formulas_or_errors(tricky):
    _, book = tricky
    wb = openpyxl.load_workbook(book, data_only=False)
    ws = wb["quality"]
    header = [c.value for c in ws[1]]
    col = header.index("span") + 1
    for i, text in enumerate(TRICKY, start=2):
        cell = ws.cell(row=i, column=col)
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value == text
    # and in the file itself: no formula element, no error-typed cell anywhere
    with zipfile.ZipFile(book) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
                assert 't="e"' not in xml, name


def test_control_characters_are_escaped_visibly_and_reversibly(tricky):
    _, book = tricky
    wb = openpyxl.load_workbook(book)
    ws = wb["quality"]
    col = [c.value for c in ws[1]].index("span") + 1
    notes = _rows(wb["notes"])
    head = notes[0]
    escaped_notes = [dict(zip(head, r)) for r in notes[1:] if r[head.index("part")] is None]
    for k, text in enumerate(CONTROL):
        row = 2 + len(TRICKY) + k
        shown = ws.cell(row=row, column=col).value
        assert not export.ILLEGAL_CHARS.search(shown)
        assert "\\x" in shown  # visible
        assert export.unescape_cell(shown) == text  # reversible
        note = next(n for n in escaped_notes if n["cell"] == f"{openpyxl.utils.get_column_letter(col)}{row}")
        assert json.loads(note["text"]) == text
        assert note["row_key"] == f"r{len(TRICKY) + k:02d}"
    assert "\t" in ws.cell(row=2 + len(TRICKY) + 2, column=col).value  # tab is legal and kept as is


def test_long_cell_is_continued_not_cut_silently(tricky):
    _, book = tricky
    wb = openpyxl.load_workbook(book)
    ws = wb["quality"]
    col = [c.value for c in ws[1]].index("span") + 1
    shown = ws.cell(row=ws.max_row, column=col).value
    assert len(shown) <= export.EXCEL_CELL_LIMIT
    assert "notes" in shown and "40,000" in shown  # the marker says where the rest is
    marker_at = shown.index(" [")
    assert LONG.startswith(shown[:marker_at])
    notes = _rows(wb["notes"])
    head = notes[0]
    parts = [dict(zip(head, r)) for r in notes[1:] if r[head.index("part")] is not None]
    assert parts and all(p["parts"] == len(parts) for p in parts)
    assert all(len(p["text"]) <= export.EXCEL_CELL_LIMIT for p in parts)
    assert "".join(p["text"] for p in sorted(parts, key=lambda p: p["part"])) == LONG


def test_codebook_sheet_is_safe_text_too(tricky):
    _, book = tricky
    ws = openpyxl.load_workbook(book)["codebook"]
    assert [c.value for c in ws[1]] == ["dimension", "code", "keywords"]
    assert ws["C2"].value == "=党组织;支部" and ws["C2"].data_type == "s"
    assert ws["C3"].value == "@学习;#N/A"
    assert ws.freeze_panes == "A2"


def test_readme_counts_what_was_changed(tricky):
    _, book = tricky
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "README"
    readme = dict(_rows(wb["README"])[1:])
    assert readme["control characters"].startswith(f"{len(CONTROL)} cell(s)")
    assert readme["long cells"].startswith("1 cell(s)")
    assert "data_dictionary" in wb.sheetnames


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])))
def test_escape_round_trips_any_text(text):
    escaped = export.escape_cell(text)
    assert not export.ILLEGAL_CHARS.search(escaped)
    assert export.unescape_cell(escaped) == text if escaped != text else escaped == text


def test_layout_bold_frozen_header_filter_widths_cjk_font(tmp_path):
    folder = tmp_path / "processed"
    _csv(folder, "quality", pd.DataFrame({
        "report_id": ["a", "b"], "start": [0, 5], "end": [3, 9],
        "span": ["基层党组织书记培训", "abcdefghi"], "issue": ["x", "y"], "severity": ["info", "info"],
        "detail": ["abcdefghi", "abcdefghi"],
    }))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(export, "_codebook", lambda: None)
        wb = openpyxl.load_workbook(export.export_workbook(folder, tmp_path / "b.xlsx"))
    assert "codebook" not in wb.sheetnames
    assert "not run" in dict(_rows(wb["README"])[1:])["codebook"]
    ws = wb["quality"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G3"
    assert all(c.font.b for c in ws[1])
    assert ws["D2"].font.name == export.FONT_NAME
    # nine Chinese characters take twice the room of nine Latin letters
    assert ws.column_dimensions["D"].width > ws.column_dimensions["G"].width
    assert ws["D2"].value == "基层党组织书记培训"
    assert ws["B3"].value == 5 and ws["B3"].data_type == "n"


def test_a_table_too_big_for_excel_is_refused_not_cut(tmp_path, monkeypatch):
    folder = tmp_path / "processed"
    _csv(folder, "quality", pd.DataFrame({"report_id": ["a", "b", "c"], "start": [0, 1, 2], "end": [1, 2, 3]}))
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 3)  # header + 2 rows
    with pytest.raises(ValueError, match="do not fit in Excel"):
        export.export_workbook(folder, tmp_path / "b.xlsx")


def test_workbook_of_the_built_tables(tmp_path, built):
    book = export.export_workbook(built, tmp_path / "tables.xlsx")
    again = export.export_workbook(built, tmp_path / "again.xlsx")
    assert book.read_bytes() == again.read_bytes()  # no timestamps
    wb = openpyxl.load_workbook(book)
    names = export.built_tables(built)
    assert names and set(names) <= set(wb.sheetnames)
    for name in names:
        csv = pd.read_csv(built / f"{name}.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
        rows = _rows(wb[name])
        assert list(rows[0]) == list(csv.columns)
        assert len(rows) - 1 == len(csv)
        for col in csv.columns:  # every text survives exactly (empty text is an empty cell)
            if dictionary.column_info(name, col) and dictionary.column_info(name, col)["type"] == "string":
                j = list(csv.columns).index(col)
                got = [r[j] if r[j] is not None else "" for r in rows[1:]]
                assert got == csv[col].tolist(), (name, col)
    dd = _rows(wb["data_dictionary"])
    described = {(r[0], r[1]) for r in dd[1:]}
    for name in names:
        for col in dictionary.csv_columns(built / f"{name}.csv"):
            assert (name, col) in described


# --- data dictionary ---------------------------------------------------------------------

def test_every_built_column_is_described(built):
    assert dictionary.undescribed(built) == {}, "describe these columns in dangjian_analysis/data_dictionary.yaml"


def test_every_schema_column_is_described():
    for table, schema in SCHEMAS.items():
        described = dictionary.table_info(table).get("columns", {})
        missing = [c for c in schema.columns if c not in described]
        assert not missing, (table, missing)


def test_dictionary_entries_are_complete():
    frame = dictionary.dictionary_frame()
    assert (frame["description"].str.len() > 10).all()
    assert set(frame["type"]) <= set(dictionary.TYPES)
    assert not frame.duplicated(["table", "column"]).any()
    # offsets are integers counted in characters wherever they occur
    offsets = frame[frame["column"].isin(["start", "end"])]
    assert (offsets["type"] == "integer").all() and (offsets["unit"] == "characters").all()


def test_a_column_off_the_dictionary_is_reported(tmp_path):
    _csv(tmp_path, "sentences", pd.DataFrame({"sentence_id": ["a:s1"], "mood": ["hopeful"]}))
    assert dictionary.undescribed(tmp_path) == {"sentences": ["mood"]}


def test_typed_reading_keeps_codes_as_text(tmp_path):
    _csv(tmp_path, "reports", pd.DataFrame({"report_id": ["0012"], "division_code": ["010101"], "year": [2024],
                                            "area_km2": [""]}))
    df = dictionary.read_typed_csv(tmp_path / "reports.csv")
    assert df.loc[0, "report_id"] == "0012" and df.loc[0, "division_code"] == "010101"
    assert df.loc[0, "year"] == 2024 and str(df["year"].dtype) == "Int64"
    assert pd.isna(df.loc[0, "area_km2"])
    _csv(tmp_path, "reports", pd.DataFrame({"report_id": ["a"], "year": ["二〇二四"]}))
    with pytest.raises(ValueError, match="year"):
        dictionary.read_typed_csv(tmp_path / "reports.csv")


# --- CSV, Parquet, data package -----------------------------------------------------------

@pytest.fixture()
def processed_copy(tmp_path, built) -> Path:
    folder = tmp_path / "processed"
    folder.mkdir()
    for p in built.glob("*.csv"):
        shutil.copyfile(p, folder / p.name)
    shutil.copyfile(built / "build_info.json", folder / "build_info.json")
    return folder


def test_csv_files_open_in_excel_with_chinese(processed_copy):
    for p in processed_copy.glob("*.csv"):
        data = p.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), f"{p.name}: Excel needs the BOM to read UTF-8"
        data.decode("utf-8")


def test_parquet_for_every_table_same_values_same_bytes(processed_copy):
    first = export.write_parquet(processed_copy)
    assert sorted(p.stem for p in first) == sorted(p.stem for p in processed_copy.glob("*.csv"))
    before = {p: p.read_bytes() for p in first}
    second = export.write_parquet(processed_copy)
    assert {p: p.read_bytes() for p in second} == before
    for path in first:
        table = pq.read_table(path)
        assert table.schema.field(table.schema.names[0]).metadata[b"description"]  # corpus-level tables have no report_id
        from_parquet = table.to_pandas()
        from_csv = dictionary.read_typed_csv(processed_copy / f"{path.stem}.csv")
        assert list(from_parquet.columns) == list(from_csv.columns)
        for col in from_csv.columns:
            a, b = from_parquet[col].tolist(), from_csv[col].tolist()
            assert [None if pd.isna(x) else x for x in a] == [None if pd.isna(x) else x for x in b], (path.stem, col)


def test_datapackage_is_valid_and_describes_every_field(processed_copy):
    path = export.write_datapackage(processed_copy)
    assert export.write_datapackage(processed_copy).read_bytes() == path.read_bytes()
    report = frictionless.validate(path)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = frictionless.Package(path)
    assert sorted(r.name for r in package.resources) == sorted(p.stem for p in processed_copy.glob("*.csv"))
    for resource in package.resources:
        for f in resource.schema.fields:
            assert f.description, (resource.name, f.name)
    assert str(processed_copy) not in path.read_text(encoding="utf-8")  # relative paths only


def test_datapackage_validation_catches_a_changed_table(processed_copy):
    path = export.write_datapackage(processed_copy)
    sections = processed_copy / "sections.csv"
    text = sections.read_text(encoding="utf-8-sig")
    first_id = text.splitlines()[1].split(",")[0]
    sections.write_text(text.replace(first_id + ",", first_id + "x,", 1), encoding="utf-8-sig")
    report = frictionless.validate(path)
    kinds = {e.type for task in report.tasks for e in task.errors}
    assert not report.valid
    assert "hash-count" in kinds  # the table no longer matches its recorded hash
    assert "foreign-key" in kinds  # rows pointing to the renamed section are orphans


def test_cli_export(processed_copy, tmp_path, capsys):
    root = processed_copy.parents[0].parent
    (root / "data").mkdir(exist_ok=True)
    shutil.move(str(processed_copy), root / "data" / "processed")
    (root / "data" / "raw").mkdir()
    book = tmp_path / "out" / "t.xlsx"
    assert main(["export", "--root", str(root), "--out", str(book)]) == 0
    assert book.exists() and (root / "data" / "processed" / "datapackage.json").exists()
    assert "workbook" in capsys.readouterr().out
