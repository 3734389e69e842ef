"""Hand codes win over rules, unknown keys are reported, and agreement is measured."""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from dangjian_analysis.coding import code_sentences, code_strategies
from dangjian_analysis.normalize import normalize
from dangjian_analysis.overrides import (OVERRIDE_COLUMNS, agreement, apply_overrides, kappa, read_overrides,
                                         write_override_workbook)
from dangjian_analysis.segment import segment
from dangjian_analysis.strategies import strategy_table

from conftest import CODES


def coded_sentences() -> pd.DataFrame:
    texts = ["开展志愿服务活动。", "坚持党建引领。", "对履职不力的书记严肃问责。"]
    df = pd.DataFrame({"sentence_id": [f"r:s{i:04d}" for i in (1, 2, 3)], "text": texts, "boilerplate": ""})
    return code_sentences(df)


def overrides(*rows: tuple[str, str, str]) -> pd.DataFrame:
    df = pd.DataFrame([dict(row_id=r, dimension=d, code=c, coder="t", note="") for r, d, c in rows],
                      columns=OVERRIDE_COLUMNS)
    df["source"] = [f"codes.csv:{i + 2}" for i in range(len(df))]
    return df


def test_hand_code_wins_and_is_marked():
    tables, problems, pairs = apply_overrides({"sentences": coded_sentences()},
                                              overrides(("r:s0001", "theme", "member_management"),
                                                        ("r:s0002", "theme", "organization_building")))
    s = tables["sentences"]
    assert problems.empty
    assert list(s["theme"]) == ["member_management", "organization_building", "discipline_supervision"]
    assert list(s["theme_coded_by"]) == ["hand", "hand", "rule"]
    assert list(pairs["rule_code"]) == ["mass_services", "none"]  # s0002 had no rule code
    assert list(pairs["hand_code"]) == ["member_management", "organization_building"]


def test_none_clears_a_code_by_hand():
    tables, _, _ = apply_overrides({"sentences": coded_sentences()}, overrides(("r:s0001", "stage", "none")))
    assert tables["sentences"].loc[0, "stage"] == ""
    assert tables["sentences"].loc[0, "stage_coded_by"] == "hand"


def test_problems_are_listed_not_dropped():
    ov = overrides(("r:s0099", "theme", "mass_services"),  # id gone
                   ("r:s0001", "mood", "happy"),  # no such dimension
                   ("r:s0001", "theme", "welfare"),  # no such code
                   ("r:s0001", "subject_type", "funds"),  # subject type is for indicators
                   ("r:s0003", "instrument", "incentive"),
                   ("r:s0003", "instrument", "authority"))  # conflicts with the row before
    tables, problems, pairs = apply_overrides({"sentences": coded_sentences()}, ov)
    assert sorted(problems["problem"]) == sorted(["unknown_row_id", "unknown_dimension", "unknown_code",
                                                  "dimension_not_applicable", "conflict"])
    assert problems.set_index("problem").loc["unknown_row_id", "row_id"] == "r:s0099"
    assert tables["sentences"].loc[2, "instrument"] == "incentive"  # the first of two conflicting rows
    assert len(pairs) == 1


def test_csv_and_excel_are_read(tmp_path: Path):
    folder = tmp_path / "overrides"
    folder.mkdir()
    csv = folder / "codes.csv"
    csv.write_text("row_id,dimension,code,coder,note\nr:s0001,theme,member_management,ab,说明\n",
                   encoding="utf-8")
    assert read_overrides(folder)["source"].tolist() == ["codes.csv:2"]
    write_override_workbook(csv, folder / "codes.xlsx")
    both = read_overrides(folder)
    assert both["source"].tolist() == ["codes.csv:2", "codes.xlsx:2"]
    assert both["note"].tolist() == ["说明", "说明"]
    csv.unlink()
    only_excel = read_overrides(folder)
    assert only_excel[["row_id", "dimension", "code"]].iloc[0].tolist() == ["r:s0001", "theme", "member_management"]


def test_missing_folder_means_no_overrides(tmp_path: Path):
    assert read_overrides(tmp_path / "nothing").empty


def test_kappa_matches_the_hand_computation():
    # rule a,a,b,b against hand a,b,b,b: p_o = 3/4, p_e = .5*.25 + .5*.75 = .5, kappa = .5
    pairs = pd.DataFrame({"table": "sentences", "row_id": list("1234"), "dimension": "theme",
                          "rule_code": ["mass_services", "mass_services", "cadres_talent", "cadres_talent"],
                          "hand_code": ["mass_services", "cadres_talent", "cadres_talent", "cadres_talent"],
                          "coder": "t"})
    table, confusion = agreement(pairs)
    row = table.set_index("dimension").loc["theme"]
    assert row["n"] == 4 and row["n_agree"] == 3
    assert row["kappa"] == pytest.approx(0.5)
    assert row["percent_agree"] == pytest.approx(75.0)
    got = {(r.rule_code, r.hand_code): r.n for r in confusion.itertuples()}
    assert got == {("mass_services", "mass_services"): 1, ("mass_services", "cadres_talent"): 1,
                   ("cadres_talent", "cadres_talent"): 2}
    assert table.set_index("dimension").loc["stage", "note"] == "no hand codes"


def test_kappa_is_undefined_for_one_category():
    assert math.isnan(kappa([[3.0]])["kappa"])


def test_shipped_hand_codes_all_apply_and_cover_every_sentence(corpus):
    """Every adjudicated code of the shipped corpus points to a row, and every report sentence is hand-coded."""
    from dangjian_analysis.handcoding import adjudicated_overrides, read_adjudicated

    sentences, strategies = [], []
    for report in corpus:
        norm = normalize(report.text)
        s = segment(norm, report.report_id)["sentences"]
        sentences.append(code_sentences(s))
        strategies.append(code_strategies(strategy_table(norm, report.report_id, s), norm))
    tables = {"sentences": pd.concat(sentences, ignore_index=True),
              "strategies": pd.concat(strategies, ignore_index=True)}
    ids = set(tables["sentences"]["report_id"])
    adj = read_adjudicated(CODES)  # the adjudicated hand codes shipped with the fixture corpus
    adj = adj[adj["row_id"].str.rsplit(":", n=1).str[0].isin(ids) & adj["row_id"].str.contains(":s")]
    _, problems, pairs = apply_overrides(tables, adjudicated_overrides(adj))
    assert problems.empty, problems.to_dict("records")
    body = tables["sentences"][tables["sentences"]["boilerplate"] == ""]
    assert set(body["sentence_id"]) == set(pairs["row_id"])


def test_coding_sheet_is_blind_and_reproducible():
    df = coded_sentences()
    df.loc[1, "boilerplate"] = "share"
    from dangjian_analysis.overrides import coding_sheet

    sheet = coding_sheet(df, "sentences", n=5, seed=7, dimensions=("theme", "stage"))
    assert set(sheet["row_id"]) == {"r:s0001", "r:s0003"}  # the boilerplate row is never drawn
    assert len(sheet) == 4 and set(sheet["code"]) == {""}
    assert "theme" not in sheet.columns  # no rule codes to anchor the coder
    assert sheet.equals(coding_sheet(df, "sentences", n=5, seed=7, dimensions=("theme", "stage")))


def test_a_code_outside_the_codebook_stops_the_build():
    from dangjian_analysis.coding import check_codes

    df = coded_sentences()
    check_codes(df, "sentences")
    df.loc[0, "theme"] = "welfare"
    with pytest.raises(ValueError, match="welfare"):
        check_codes(df, "sentences")


# ---------------------------------------------------------------- stable ids under a rule change
STABLE_TEXT = ("一、組織建設\n全區新建黨支部12個；選派黨建指導員30名。堅持開展“三會一課”。\n"
               "二、服务群众\n开展志愿服务活动260场次。\n")


def _coded_tables(text: str, codebook=None) -> dict[str, pd.DataFrame]:
    from dangjian_analysis.coding import code_indicators
    from dangjian_analysis.indicators import indicator_tables

    norm = normalize(text)
    tables = segment(norm, "r")
    sentences = code_sentences(tables["sentences"].drop(columns=["norm_start", "norm_end"]))
    extracted = indicator_tables(norm, "r", sentences)
    return {"sentences": sentences, "indicators": code_indicators(extracted["indicators"], norm),
            "strategies": code_strategies(strategy_table(norm, "r", sentences, codebook), norm)}


def test_ids_are_raw_offsets_and_hand_codes_stay_on_their_rows_when_rules_change(monkeypatch):
    import dataclasses
    import re

    from dangjian_analysis import segment as segment_module
    from dangjian_analysis.codebook import load_codebook

    before = _coded_tables(STABLE_TEXT)
    for name, col in (("sentences", "sentence_id"), ("indicators", "indicator_id"), ("strategies", "strategy_id")):
        df = before[name]
        assert list(df[col]) == [f"r:{col[0] if col != 'strategy_id' else 'g'}{s}" for s in df["start"]]
    sent = before["sentences"].set_index("sentence_id")
    third = sent.index[sent["text"].str.contains("三会一课")][0]
    later = sent.index[sent["text"].str.startswith("开展志愿")][0]
    strategy = before["strategies"]["strategy_id"].iloc[0]
    indicator = before["indicators"].set_index("span").loc["260场次", "indicator_id"]
    hand = overrides((third, "theme", "political_education"), (later, "theme", "mass_services"),
                     (indicator, "stage", "output"), (strategy, "instrument", "authority"))

    # rule change 1: sentences also end at ；   rule change 2: 三会一课 is no longer a strategy
    monkeypatch.setattr(segment_module, "SENTENCE", re.compile(r"[^。！？!?；\n]*(?:[。！？!?；]+[”’」』)）\"']*|$)"))
    cb = load_codebook()
    cb = dataclasses.replace(cb, strategies=dataclasses.replace(
        cb.strategies, not_strategies=cb.strategies.not_strategies | {"三会一课"},
        national_formulas=cb.strategies.national_formulas - {"三会一课"}))
    after = _coded_tables(STABLE_TEXT, cb)
    assert len(after["sentences"]) == len(before["sentences"]) + 1  # the rule really changed segmentation
    assert after["strategies"].empty

    tables, problems, _ = apply_overrides(after, hand)
    s = tables["sentences"].set_index("sentence_id")
    for rid, code in ((third, "political_education"), (later, "mass_services")):
        assert s.loc[rid, "text"] == sent.loc[rid, "text"]  # the same sentence, not a neighbour
        assert (s.loc[rid, "theme"], s.loc[rid, "theme_coded_by"]) == (code, "hand")
    assert (s["theme_coded_by"] == "hand").sum() == 2  # nothing re-attached elsewhere
    ind = tables["indicators"].set_index("indicator_id")
    assert ind.loc[indicator, "span"] == "260场次" and ind.loc[indicator, "stage_coded_by"] == "hand"
    assert problems[["row_id", "problem"]].values.tolist() == [[strategy, "unknown_row_id"]]
