"""The build of the fixture corpus, and the committed tables are exactly what the build makes from data/raw."""
import hashlib
import re
import shutil

import pandas as pd

from dangjian_analysis.build import build
from dangjian_analysis.normalize import normalize
from dangjian_analysis.tables import load_table

from conftest import PROCESSED, PROJECT_RAW, RAW, shipped_corpus


@shipped_corpus
def test_rebuild_is_byte_identical_to_committed_tables(tmp_path):
    shutil.copytree(PROJECT_RAW, tmp_path / "data" / "raw")
    for folder in ("overrides", "codes"):  # hand codes are inputs too
        shutil.copytree(PROJECT_RAW.parent / folder, tmp_path / "data" / folder)
    rebuilt = tmp_path / "data" / "processed"
    build(tmp_path, rebuilt)
    made = sorted(p.name for p in rebuilt.iterdir() if p.is_file())
    committed = sorted(p.name for p in PROCESSED.iterdir() if p.is_file())
    assert made == committed
    for name in made:
        assert (rebuilt / name).read_bytes() == (PROCESSED / name).read_bytes(), f"{name} differs: run `dangjian build` and commit"


def test_reports_table(built):
    reports = load_table("reports", built)
    for _, row in reports.iterrows():
        data = (RAW / row["file"]).read_bytes()
        assert row["sha256"] == hashlib.sha256(data).hexdigest()
        assert row["n_chars_raw"] == len(data.decode("utf-8"))
        assert row["n_chars_analysed"] <= row["n_chars_normalized"] <= row["n_chars_raw"]
        assert row["n_sentences"] > 0 and row["n_sections"] > 0
        assert row["population_2020"] > 0  # joined from regions.csv


def test_reading_aids_are_counted(built):
    reports = load_table("reports", built)
    with_aids = reports[reports["n_reading_aids_chars"] > 0]
    assert len(with_aids) >= 1
    for _, row in with_aids.iterrows():
        raw = (RAW / row["file"]).read_text(encoding="utf-8")
        assert "(wǎng)" in raw or "(" in raw


def test_every_sentence_span_is_raw_text(built):
    sentences = load_table("sentences", built)
    reports = load_table("reports", built).set_index("report_id")
    texts = {rid: (RAW / f).read_text(encoding="utf-8") for rid, f in reports["file"].items()}
    for rid, s, e, text in zip(sentences["report_id"], sentences["start"], sentences["end"], sentences["text"]):
        raw = texts[rid][s:e]
        assert normalize(raw).text == text


def test_title_given_in_both_scripts_normalizes_to_one_title():
    """Report 003 repeats its title in Simplified under the Traditional one."""
    raw = next(RAW.glob("003_*.txt")).read_text(encoding="utf-8")
    lines = [l for l in normalize(raw).text.split("\n") if l.strip()]
    assert lines[0] == lines[1]
    raw_lines = [l for l in raw.split("\n") if l.strip()]
    assert raw_lines[0] != raw_lines[1]


def test_ordinary_parentheses_survive():
    raw = next(RAW.glob("001_*.txt")).read_text(encoding="utf-8")
    text = normalize(raw).text
    for kept in ("(村民小组)", "(党支部)", "(社区)", "(街道)", "(党委)"):
        assert kept in text
    assert "wǎng" not in text and "(" in text
    toned = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
    latin = re.findall(r"\(([a-zü%s]+)\)" % toned, raw)
    assert latin and all(any(c in syllable for c in toned) for syllable in latin)
    # only the pinyin parentheses go; every other parenthesis stays
    assert text.count("(") == raw.count("(") - len(latin)
    assert text.count(")") == raw.count(")") - len(latin)
