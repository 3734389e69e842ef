"""Blind hand coding: the coders' guide, coders' files, disagreements and hand codes in the tables."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dangjian_analysis.codebook import load_codebook
from dangjian_analysis.errors import CorpusError
from dangjian_analysis.handcoding import (apply_multi_label, coder_guide, disagreements, hand_code_table,
                                          read_adjudicated, read_codes, row_table)


def test_guide_has_definitions_and_decision_rules_but_no_keyword_lists():
    cb = load_codebook()
    guide = coder_guide(cb)
    for dim in cb.dimensions.values():
        assert dim.decision.split()[0] in guide
        for c in dim.codes:
            assert f"`{c.id}`" in guide and c.definition_en in guide
    shown = "".join(x for dim in cb.dimensions.values() for c in dim.codes
                    for x in (*c.include, *c.exclude, *c.examples, c.definition_zh, c.label_zh, dim.decision,
                              dim.label_zh))
    hidden = [w for dim in cb.dimensions.values() for c in dim.codes for w in c.keywords if w not in shown]
    assert len(hidden) > 100 and not [w for w in hidden if w in guide]  # keywords only the rules know stay out
    assert "keyword" not in guide.lower()


def _write(tmp_path: Path, text: str, name: str = "coder_a.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_coders_file_is_checked_line_by_line(tmp_path: Path):
    ok = _write(tmp_path, "row_id,dimension,code,coder,note\nr:s0,theme,mass_services,A,\n"
                          "r:s0,themes,mass_services|political_education,A,\nr:s0,stage,none,A,\n")
    assert len(read_codes(ok)) == 3
    bad = _write(tmp_path, "row_id,dimension,code,coder,note\nr:s0,theme,mass_services,A,\nr:s5,theme,welfare,A,\n")
    with pytest.raises(CorpusError, match=r"coder_a.csv: line 3: 'welfare' is not a code of theme"):
        read_codes(bad)
    twice = _write(tmp_path, "row_id,dimension,code,coder,note\nr:s0,theme,mass_services,A,\n"
                             "r:s0,theme,mass_services,A,\n")
    with pytest.raises(CorpusError, match="coded twice"):
        read_codes(twice)


def test_disagreements_compare_multi_label_sets():
    a = pd.DataFrame({"row_id": ["r:s0", "r:s0", "r:s9"], "dimension": ["themes", "stage", "stage"],
                      "code": ["p|q", "output", "input"], "coder": "A", "note": ""})
    b = a.assign(code=["q|p", "activity", "input"], coder="B")
    d = disagreements(a, b)
    assert d[["row_id", "dimension", "code_a", "code_b"]].values.tolist() == [["r:s0", "stage", "output", "activity"]]


def test_an_adjudicated_disagreement_needs_a_reason(tmp_path: Path):
    header = "row_id,dimension,code,coder_a,coder_b,reason\n"
    _write(tmp_path, header + "r:s0,stage,output,output,activity,\n", "adjudicated.csv")
    with pytest.raises(CorpusError, match="needs a reason"):
        read_adjudicated(tmp_path)
    _write(tmp_path, header + "r:s0,stage,output,output,activity,建成 is a product\n", "adjudicated.csv")
    assert read_adjudicated(tmp_path)["code"].tolist() == ["output"]


def test_row_ids_name_their_table_and_wide_codes_blank_none():
    assert [row_table(x) for x in ("a-b:s12", "a-b:i3", "a-b:g7", "a:front", "x")] == \
        ["sentences", "indicators", "strategies", "", ""]
    adj = pd.DataFrame({"row_id": ["r:s1", "r:s1", "r:i4"], "dimension": ["theme", "stage", "theme"],
                        "code": ["mass_services", "none", "funds"], "coder_a": "", "coder_b": "", "reason": ""})
    wide = hand_code_table(adj, "sentences")
    assert wide.loc[0, "sentence_id"] == "r:s1" and wide.loc[0, "stage"] == "" and len(wide) == 1


def test_multi_label_hand_codes_replace_rule_sets_in_codebook_order():
    df = pd.DataFrame({"sentence_id": ["r:s1", "r:s2"], "themes": ["mass_services", "cadres_talent"]})
    adj = pd.DataFrame({"row_id": ["r:s1"], "dimension": ["themes"],
                        "code": ["mass_services|political_education"], "coder_a": "", "coder_b": "", "reason": ""})
    out = apply_multi_label({"sentences": df}, adj)["sentences"]
    assert out["themes"].tolist() == ["political_education|mass_services", "cadres_talent"]
