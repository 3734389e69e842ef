"""`dangjian init`: stubs for unlisted reports, holding only what the file shows, in both scripts."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis.cli import main
from dangjian_analysis.metadata import FIELDS, METADATA_FILE
from dangjian_analysis.stubs import guess_year, init_folder

SIMPLIFIED = ("城关镇：“三联三带”激发基层治理活力\n"
              "2023年以来，全镇新建党群服务站12个，培训党员300余人次。\n"
              "2024年3月，镇党委召开专题会议。\n")
TRADITIONAL = ("城關鎮：「三聯三帶」激發基層治理活力\n"
               "2023年以來，全鎮新建黨群服務站12個，培訓黨員300餘人次。\n"
               "2024年3月，鎮黨委召開專題會議。\n")


def _stubs(folder: Path) -> dict[str, dict]:
    doc = yaml.safe_load((folder / METADATA_FILE).read_text(encoding="utf-8"))
    return {e["file"]: e for e in doc["reports"]}


@pytest.mark.parametrize("text, script", [(SIMPLIFIED, "simplified"), (TRADITIONAL, "traditional")])
def test_a_stub_holds_what_the_file_shows_and_null_for_the_rest(tmp_path, text, script):
    (tmp_path / "城关 report.txt").write_text(text, encoding="utf-8")
    stubs, problems = init_folder(tmp_path)
    assert problems == [] and len(stubs) == 1
    entry = _stubs(tmp_path)["城关 report.txt"]
    assert entry["report_id"] == "report"  # a file name's Chinese is not an id character
    assert entry["sha256"] == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert entry["title"] == text.split("\n")[0]  # the first heading line, in its own script
    assert entry["script"] == script
    assert entry["year"] == 2024
    assert entry["sources"]["year"].startswith("inferred: latest year among the dates in the text (2024 ×1, 2023 ×1)")
    assert entry["sources"]["title"].startswith("inferred: first heading line (line 1)")
    assert entry["sources"]["script"].startswith("file: detected")
    unknown = [f for f in FIELDS if f not in ("report_id", "file", "sha256", "title", "year", "script", "sources")]
    assert all(entry[f] is None for f in unknown), {f: entry[f] for f in unknown}
    assert dj.check_corpus(tmp_path) == []  # a stub is valid metadata as it stands


def test_a_count_is_never_taken_for_a_year():
    assert guess_year("全区共有党员2024名，建成站点1998个。")[0] is None
    assert guess_year("二〇二二年，全县建成站点12个。")[0] == 2022
    assert guess_year("发布时间：2021-06-30 09:12")[0] == 2021
    year, reason = guess_year("没有日期的报告。")
    assert year is None and "no dated year" in reason


def test_pinyin_reading_aids_are_left_out_of_the_title(tmp_path):
    (tmp_path / "a.txt").write_text("鄉(xiāng)村振興注入黨建動能\n全鎮開展活動12場。\n", encoding="utf-8")
    init_folder(tmp_path)
    entry = _stubs(tmp_path)["a.txt"]
    assert entry["title"] == "鄉村振興注入黨建動能"
    assert "pinyin reading aids left out" in entry["sources"]["title"]


def test_appends_only_unlisted_files_and_keeps_the_existing_text(tmp_path):
    (tmp_path / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    own = ("# my own notes\nschema_version: 1\nreports:\n  - report_id: mine\n    file: a.txt\n"
           "    year: 2023  # checked in the archive\n")
    (tmp_path / METADATA_FILE).write_text(own, encoding="utf-8")
    (tmp_path / "b.txt").write_text(TRADITIONAL, encoding="utf-8")
    (tmp_path / "b.TXT.bak").write_text("not a report", encoding="utf-8")
    stubs, _ = init_folder(tmp_path)
    assert [s["file"] for s in stubs] == ["b.txt"]
    text = (tmp_path / METADATA_FILE).read_text(encoding="utf-8")
    assert text.startswith(own)  # comments and the researcher's entry untouched
    assert dj.load_corpus(tmp_path).ids == ["mine", "b"]
    assert init_folder(tmp_path) == ([], [])  # nothing left to do
    assert (tmp_path / METADATA_FILE).read_text(encoding="utf-8") == text


def test_ids_stay_unique(tmp_path):
    (tmp_path / METADATA_FILE).write_text("reports:\n  - report_id: a\n    file: x.txt\n", encoding="utf-8")
    (tmp_path / "x.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "A.txt").write_text(SIMPLIFIED, encoding="utf-8")
    stubs, _ = init_folder(tmp_path)
    assert [s["report_id"] for s in stubs] == ["a-2"]
    assert dj.check_corpus(tmp_path) == []


def test_a_file_that_cannot_be_read_gets_no_stub_and_is_named(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes((SIMPLIFIED * 3).encode("gbk"))
    assert main(["init", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert "gbk.txt" in out and "iconv" in out and "1 stub(s)" in out
    assert list(_stubs(tmp_path)) == ["good.txt"]


def test_a_flow_style_list_is_not_rewritten(tmp_path):
    (tmp_path / METADATA_FILE).write_text("reports: []\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    with pytest.raises(dj.CorpusError, match="block list"):
        init_folder(tmp_path)
    assert (tmp_path / METADATA_FILE).read_text(encoding="utf-8") == "reports: []\n"


def test_init_then_check_then_build(tmp_path, capsys):
    raw = tmp_path / "data" / "raw"
    raw.mkdir(parents=True)
    (raw / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (raw / "b.txt").write_text(TRADITIONAL, encoding="utf-8")
    assert main(["init", str(raw)]) == 0
    assert "2 stub(s)" in capsys.readouterr().out
    assert main(["check", str(raw)]) == 0
    tables = dj.build_tables(tmp_path)
    assert list(tables["reports"]["year"]) == [2024, 2024]
    assert (tables["quality"]["issue"] == "region_context_missing").sum() == 2
