import hashlib

import pytest

import dangjian_analysis as dj
from dangjian_analysis.errors import CorpusError

from conftest import RAW


def test_loads_every_report_with_exact_bytes(corpus):
    files = sorted(p.name for p in RAW.glob("*.txt"))
    assert sorted(r.path.name for r in corpus) == files
    for r in corpus:
        data = (RAW / r.path.name).read_bytes()
        assert r.raw_bytes == data
        assert r.sha256 == hashlib.sha256(data).hexdigest()
        assert r.text == data.decode("utf-8")  # nothing else changed: no newline translation, no strip


def test_ids_are_unique_and_metadata_complete(corpus):
    assert len(set(corpus.ids)) == len(corpus)
    for r in corpus:
        for field in ("title", "region_zh", "region_en", "admin_level", "division_code", "year", "genre", "script"):
            assert r.meta[field] not in (None, ""), (r.report_id, field)
        assert r.meta["sources"], r.report_id


def test_metadata_script_agrees_with_detected_script(corpus):
    from dangjian_analysis.damage import dominant_script

    for r in corpus:
        assert dominant_script(r.text) == r.meta["script"], r.report_id


def test_regions_table_keeps_citations(corpus):
    regions = corpus.regions
    assert {"population_source", "area_source"} <= set(regions.columns)
    codes = {r.meta["division_code"] for r in corpus}
    assert codes <= set(regions["division_code"])


def test_folder_without_metadata_gets_one_report_per_file(tmp_path):
    (tmp_path / "a report.txt").write_text("某区开展志愿服务活动30余场。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("全区建成党群服务中心12个。", encoding="utf-8")
    corpus = dj.load_corpus(tmp_path)
    assert corpus.ids == ["a-report", "b"]
    assert corpus["b"].meta["region_zh"] is None and corpus["b"].meta["year"] is None  # unknown, not invented


def test_unlisted_file_is_an_error_not_ignored(raw_copy):
    (raw_copy / "stray.txt").write_text("多出来的报告。", encoding="utf-8")
    with pytest.raises(CorpusError, match="stray.txt"):
        dj.load_corpus(raw_copy)


def test_check_lists_every_problem(raw_copy):
    txt = sorted(raw_copy.glob("*.txt"))
    txt[0].write_bytes(b"")
    txt[1].write_bytes("黨建工作".encode("big5"))
    problems = dj.check_corpus(raw_copy)
    assert len(problems) == 2
    assert txt[0].name in str(problems[0]) and "empty" in str(problems[0])
    assert txt[1].name in str(problems[1]) and "BIG5" in str(problems[1]).upper()
