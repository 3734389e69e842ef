"""reports.yaml: unknowns as null, typed fields, every problem at once with its line, strict YAML."""
from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis import strict_yaml
from dangjian_analysis.cli import main
from dangjian_analysis.errors import CorpusError
from dangjian_analysis.metadata import FIELDS, METADATA_FILE, package_vocabularies, scan_metadata
from dangjian_analysis.tables import load_table

from conftest import RAW

TEXT = "全区建成党群服务中心12个，开展志愿服务活动30余场。\n"


def _edit(raw: Path, fn) -> Path:
    path = raw / METADATA_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc["reports"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _one_report(tmp_path: Path, entry_yaml: str, text: str = TEXT) -> Path:
    """A project with one report and the entry written as given (after ``- report_id: a`` and ``file: a.txt``)."""
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(text, encoding="utf-8")
    (raw / METADATA_FILE).write_text("reports:\n  - report_id: a\n    file: a.txt\n" + entry_yaml, encoding="utf-8")
    return raw


def _problems(raw: Path) -> list[str]:
    return [str(p) for p in dj.check_corpus(raw)]


def test_the_fixture_metadata_is_clean_and_has_every_required_field():
    assert dj.check_corpus(RAW) == []
    doc = yaml.safe_load((RAW / METADATA_FILE).read_text(encoding="utf-8"))
    required = {f for f, spec in FIELDS.items() if spec.required}
    assert required == {"report_id", "file"}
    for entry in doc["reports"]:
        assert required <= set(entry), entry.get("report_id")


@pytest.mark.parametrize("field", ["report_id", "file"])
def test_missing_required_field_is_named_with_line(raw_copy, field):
    _edit(raw_copy, lambda reps: reps[1].pop(field))
    with pytest.raises(CorpusError) as err:
        dj.load_corpus(raw_copy)
    assert field in str(err.value) and METADATA_FILE in err.value.path and err.value.line


def test_an_entry_with_only_id_and_file_loads_with_every_fact_unknown(tmp_path):
    raw = _one_report(tmp_path, "")
    report = dj.load_corpus(raw)["a"]
    assert all(report.meta[f] is None for f, spec in FIELDS.items() if spec.kind not in ("id", "file", "sources", "extra"))
    assert report.meta["sources"] == {} and report.meta["extra"] == {}


def test_nulls_build_to_empty_cells_never_the_text_none(tmp_path):
    raw = _one_report(tmp_path, "    title: null\n    year: null\n    period: null\n    division_code: null\n"
                                "    admin_level: null\n    framework: null\n    sources: null\n    extra: null\n")
    dj.build_tables(tmp_path)
    reports = load_table("reports", tmp_path / "data" / "processed")
    row = reports.iloc[0]
    for col in ("title", "period", "division_code", "admin_level", "framework", "region_en"):
        assert row[col] == "", col
    assert reports["year"].isna().all() and str(reports["year"].dtype) == "Int64"
    assert row["extra"] == "{}" and row["sources"] == "{}"
    text = (tmp_path / "data" / "processed" / "reports.csv").read_text(encoding="utf-8-sig")
    assert "None" not in text and "nan" not in text.lower().replace("n_chars", "")
    quality = load_table("quality", tmp_path / "data" / "processed")
    flag = quality[quality["issue"] == "region_context_missing"]
    assert len(flag) == 1 and "no division_code" in flag["detail"].iloc[0]
    assert flag["span"].iloc[0] == "" and flag["start"].iloc[0] == flag["end"].iloc[0] == 0


def test_extra_is_kept_as_json_text(tmp_path):
    raw = _one_report(tmp_path, '    extra:\n      url: "https://example.invalid/a"\n      retrieved: 2024-05-01\n'
                                "      coders: [甲, 乙]\n      pages: 3\n")
    assert dj.check_corpus(raw) == []
    dj.build_tables(tmp_path)
    row = load_table("reports", tmp_path / "data" / "processed").iloc[0]
    assert json.loads(row["extra"]) == {"url": "https://example.invalid/a", "retrieved": "2024-05-01",
                                        "coders": ["甲", "乙"], "pages": 3}  # a date stays the text written


def test_a_year_period_and_an_unquoted_code_are_read_as_written(tmp_path):
    raw = _one_report(tmp_path, "    period: 2024\n    division_code: 630102\n    year: 2024\n")
    meta = dj.load_corpus(raw)["a"].meta
    assert meta["period"] == "2024" and meta["division_code"] == "630102" and meta["year"] == 2024


@pytest.mark.parametrize("entry, words", [
    ("    title: 2024\n", ["title", "must be text", "quote it"]),
    ("    title: [一, 二]\n", ["title", "a list"]),
    ("    title: ''\n", ["title", "empty", "null"]),
    ("    region_en: {a: 1}\n", ["region_en", "a mapping"]),
    ("    year: '2024'\n", ["year", "whole year"]),
    ("    year: 2024.5\n", ["year", "whole year"]),
    ("    year: 1800\n", ["year", "1949-2100"]),
    ("    year: true\n", ["year", "true/false"]),
    ("    period: [2018, 2019]\n", ["period", "a list"]),
    ("    period: 2.5\n", ["period", "a number"]),
    ('    division_code: "63010"\n', ["division_code", "six digits", "'63010'"]),
    ('    division_code: "0630102"\n', ["division_code"]),
    ("    sha256: abc\n", ["sha256", "64"]),
    ("    admin_level: hamlet\n", ["admin_level", "'hamlet'", "community", "vocabularies"]),
    ("    genre: blog\n", ["genre", "'blog'"]),
    ("    script: latin\n", ["script", "'latin'"]),
    ("    sources: text\n", ["sources", "mapping"]),
    ("    sources: {title: 1}\n", ["sources", "text"]),
    ("    extra: [1, 2]\n", ["extra", "mapping"]),
    ("    extra: {a: .nan}\n", ["extra", "JSON"]),
    ("    extra: {a: !!binary aGk=}\n", ["extra", "binary"]),
    ("    regoin_en: typo\n", ["regoin_en", "unknown field", "extra"]),
], ids=lambda v: v if isinstance(v, str) and "\n" not in v else None)
def test_every_field_is_typed(tmp_path, entry, words):
    raw = _one_report(tmp_path, entry)
    problems = _problems(raw)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{raw / METADATA_FILE}:4: "), problems[0]  # the field's own line
    for w in words:
        assert w in problems[0], (w, problems[0])
    with pytest.raises(CorpusError):  # build refuses what check lists
        dj.build_tables(tmp_path)


def test_twelve_digit_codes_and_community_and_village_levels(tmp_path):
    raw = _one_report(tmp_path, '    admin_level: community\n    division_code: "630102001002"\n')
    assert dj.check_corpus(raw) == []
    assert {"community", "village", "township"} <= set(package_vocabularies()["admin_level"])


def test_a_project_adds_its_own_levels(tmp_path):
    raw = _one_report(tmp_path, "    admin_level: grid\n")
    assert "grid" in _problems(raw)[0]
    meta = raw / METADATA_FILE
    meta.write_text("vocabularies:\n  admin_level:\n    grid: 网格, a cell below the community\n"
                    + meta.read_text(encoding="utf-8"), encoding="utf-8")
    assert dj.check_corpus(raw) == []
    assert dj.load_corpus(raw)["a"].meta["admin_level"] == "grid"
    meta.write_text("vocabularies:\n  colour: {red: r}\n" + meta.read_text(encoding="utf-8").split("\n", 3)[3],
                    encoding="utf-8")
    assert "not a vocabulary field" in _problems(raw)[0]


def test_every_problem_of_every_entry_in_one_run(raw_copy, capsys):
    def spoil(reps):
        reps[0].update(year="2024", division_code="12", script="latin")  # three problems in one entry
        reps[2].update(title=["a", "b"])
        reps[3]["colour"] = "red"
    _edit(raw_copy, spoil)
    problems = dj.check_corpus(raw_copy)
    assert len(problems) == 5, [str(p) for p in problems]
    assert all(p.line for p in problems)
    assert main(["check", str(raw_copy)]) == 2
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("5 problem(s)")
    for line in out[:-1]:
        assert line.startswith(f"{raw_copy / METADATA_FILE}:") and line.split(":")[1].isdigit(), line
    assert sorted(int(line.split(":")[1]) for line in out[:-1]) == [int(line.split(":")[1]) for line in out[:-1]]
    with pytest.raises(CorpusError) as err:  # build stops before any work, naming all five
        dj.build_tables(raw_copy.parents[1])
    assert len(str(err.value).splitlines()) == 5


def test_duplicate_ids(raw_copy):
    _edit(raw_copy, lambda reps: reps[2].update(report_id=reps[0]["report_id"]))
    with pytest.raises(CorpusError, match="duplicate report_id"):
        dj.load_corpus(raw_copy)


@pytest.mark.parametrize("bad", ["../outside.txt", "/etc/passwd", "missing.txt"])
def test_file_outside_folder_or_missing(raw_copy, bad):
    (raw_copy.parent / "outside.txt").write_text("外面的文件", encoding="utf-8")
    _edit(raw_copy, lambda reps: reps[0].update(file=bad))
    with pytest.raises(CorpusError) as err:
        dj.load_corpus(raw_copy)
    assert any(w in str(err.value) for w in ("outside", "absolute", "does not exist"))


def test_malformed_yaml_names_line(raw_copy):
    (raw_copy / METADATA_FILE).write_text("reports:\n  - report_id: a\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="malformed YAML") as err:
        dj.load_corpus(raw_copy)
    assert err.value.line is not None


def test_unknown_top_level_key_and_schema_version(tmp_path):
    raw = _one_report(tmp_path, "")
    meta = raw / METADATA_FILE
    meta.write_text("schema_version: 2\nreport: x\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    problems = _problems(raw)
    assert any(":1: schema_version 2" in p for p in problems) and any(":2: unknown top-level key 'report'" in p
                                                                       for p in problems)


# --- the YAML itself ---------------------------------------------------------------------------

def test_duplicate_keys_are_refused_with_both_lines(tmp_path):
    raw = _one_report(tmp_path, "    year: 2023\n    year: 2024\n    sources:\n      year: a\n      year: b\n")
    problems = _problems(raw)
    assert len(problems) == 2, problems
    assert ":5: duplicate key 'year' (first on line 4)" in problems[0]
    assert ":8: duplicate key 'year' (first on line 7)" in problems[1]


def test_anchors_and_aliases_are_refused(tmp_path):
    raw = _one_report(tmp_path, "    title: &t 标题\n    region_zh: *t\n")
    problems = _problems(raw)
    assert len(problems) == 1 and ":4:" in problems[0] and "anchors and aliases" in problems[0]


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    """Nine levels of aliases: a few hundred bytes that would expand to a billion strings."""
    lines = ['a0: &a0 ["lol"]'] + [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(TEXT, encoding="utf-8")
    (raw / METADATA_FILE).write_text("\n".join(lines) + "\nreports: *a9\n", encoding="utf-8")
    start = time.perf_counter()
    problems = _problems(raw)
    assert time.perf_counter() - start < 5
    assert len(problems) == 1 and ":1:" in problems[0] and "aliases" in problems[0]


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path, monkeypatch):
    raw = _one_report(tmp_path, "    title: " + "长" * 200 + "\n")
    monkeypatch.setattr(strict_yaml, "MAX_BYTES", 500)
    problems = _problems(raw)
    assert len(problems) == 1 and "over the limit of 500" in problems[0]


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path):
    raw = _one_report(tmp_path, "    extra: {a: " + "[" * 5000 + "]" * 5000 + "}\n")
    problems = _problems(raw)
    assert len(problems) == 1 and "YAML" in problems[0]


def test_scan_reads_the_file_once(tmp_path, monkeypatch):
    raw = _one_report(tmp_path, "")
    calls = []
    original = strict_yaml.load
    monkeypatch.setattr(strict_yaml, "load", lambda *a, **k: calls.append(1) or original(*a, **k))
    scan_metadata(raw / METADATA_FILE)
    assert calls == [1]


# --- the file's sha256 ---------------------------------------------------------------------------

def test_a_changed_file_is_refused_when_its_sha256_is_recorded(tmp_path):
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    raw = _one_report(tmp_path, f"    sha256: {sha}\n")
    assert dj.check_corpus(raw) == []
    (raw / "a.txt").write_text(TEXT + "多一句。\n", encoding="utf-8")
    problems = _problems(raw)
    assert len(problems) == 1 and "a.txt" in problems[0] and "has changed" in problems[0] and sha in problems[0]
    with pytest.raises(CorpusError, match="has changed"):
        dj.build_tables(tmp_path)


# --- regions.csv --------------------------------------------------------------------------------

def test_region_table_problems_are_listed_with_lines(raw_copy):
    path = raw_copy / "regions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    pop = header.index("population_2020")

    def with_population(line: str, value: str) -> str:
        import csv
        import io

        row = next(csv.reader([line]))
        row[pop] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(row)
        return out.getvalue()

    lines[1] = with_population(lines[1], "about 2 million")
    lines[2] = with_population(lines[2], "-5")
    lines.append(lines[3])  # a code listed twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = _problems(raw_copy)
    assert len(problems) == 3, problems
    assert "regions.csv:2: population_2020 'about 2 million'" in problems[0]
    assert "regions.csv:3: population_2020 '-5' must be a positive number" in problems[1]
    assert f"regions.csv:{len(lines)}: division_code" in problems[2] and "listed twice" in problems[2]
