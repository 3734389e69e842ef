"""The evaluation command: matching, figures, and the score on the development annotation."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dangjian_analysis.evaluate import evaluate, format_result, load_gold, main, score_report

from conftest import RAW

GOLD = Path(__file__).resolve().parent / "fixtures" / "gold_dev"

TEXT = "建成站点12个，培训党员300余人，覆盖率达80%。"


def gold_rows() -> tuple[pd.DataFrame, pd.DataFrame]:
    cols = dict(report="x", anchor="", occurrence="1", value_high="", per="", status="required", note="")
    ind = pd.DataFrame([
        dict(cols, span="12个", value="12", unit="count", qualifier="exact", subject_key="站点", start=4, end=7),
        dict(cols, span="300余人", value="300", unit="person", qualifier="more_than", subject_key="党员",
             start=10, end=15),
    ])
    non = pd.DataFrame(columns=["report", "anchor", "occurrence", "span", "kind", "note", "start", "end"])
    return ind, non


def pred_row(span: str, **kw) -> dict:
    start = TEXT.index(span)
    row = dict(start=start, end=start + len(span), span=span, value_high=float("nan"), per="")
    row.update(kw)
    return row


def test_perfect_prediction_scores_one() -> None:
    ind, non = gold_rows()
    pred = pd.DataFrame([
        pred_row("12个", value=12.0, unit="count", qualifier="exact", subject="站点"),
        pred_row("300余人", value=300.0, unit="person", qualifier="more_than", subject="党员"),
    ])
    fig = score_report(TEXT, ind, non, pred).figures()
    assert fig["f1"] == 1.0 and fig["strict_f1"] == 1.0


def test_miss_extra_and_wrong_attribute() -> None:
    ind, non = gold_rows()
    pred = pd.DataFrame([
        pred_row("300余人", value=300.0, unit="count", qualifier="more_than", subject="党员"),
        pred_row("80%", value=80.0, unit="percent", qualifier="exact", subject="覆盖率"),
    ])
    sc = score_report(TEXT, ind, non, pred)
    fig = sc.figures()
    assert (fig["tp"], fig["fp"], fig["fn"]) == (1, 1, 1)
    assert fig["unit_accuracy"] == 0.0 and fig["value_accuracy"] == 1.0
    assert fig["strict_f1"] == 0.0
    assert {m["type"] for m in sc.misses} == {"missed", "extra", "wrong"}


def test_optional_gold_rows_neither_earn_nor_cost() -> None:
    ind, non = gold_rows()
    ind.loc[1, "status"] = "optional"
    pred = pd.DataFrame([
        pred_row("12个", value=12.0, unit="count", qualifier="exact", subject="站点"),
        pred_row("300余人", value=1.0, unit="count", qualifier="exact", subject=""),
    ])
    fig = score_report(TEXT, ind, non, pred).figures()
    assert (fig["tp"], fig["fp"], fig["fn"]) == (1, 0, 0)


def test_fixture_annotation_is_complete() -> None:
    ind, non = load_gold(GOLD)
    assert set(ind["report"]) == {"000", "004"}
    for name in ("000", "004"):
        raw = next(RAW.glob(f"{name}_*.txt")).read_bytes().decode("utf-8")
        for r in pd.concat([ind, non]).query("report == @name").itertuples():
            assert raw[r.start:r.end] == r.span


def test_development_annotation_score() -> None:
    """Strict F1 ≥ 0.97 on the development annotation (reports 000 and 004)."""
    result = evaluate(GOLD, RAW)
    overall = result["overall"]
    assert overall["strict_f1"] >= 0.97, format_result(result, verbose=True)
    assert overall["f1"] >= 0.97
    assert overall["kind_accuracy"] >= 0.9


def test_main_prints_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--gold", str(GOLD), "--raw", str(RAW), "-v"]) == 0
    out = capsys.readouterr().out
    assert "overall" in out and "strict F1" in out and "subject" in out


def test_cli_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    from dangjian_analysis.cli import main as cli_main

    assert cli_main(["evaluate", "--gold", str(GOLD), "--raw", str(RAW)]) == 0
    assert "strict F1" in capsys.readouterr().out


def test_composed_annotation_score() -> None:
    """Rules carry over to reports composed for the tests (fixtures/gold_composed)."""
    composed = GOLD.parent / "gold_composed"
    result = evaluate(composed, composed / "raw")
    assert result["overall"]["strict_f1"] >= 0.9, format_result(result, verbose=True)
    assert result["overall"]["kind_accuracy"] >= 0.9


def test_blind_annotation_score() -> None:
    """An independent annotation of twelve reports (fixtures/gold_blind): subjects and strict F1 ≥ 0.95."""
    blind = GOLD.parent / "gold_blind"
    result = evaluate(blind, blind / "raw")
    overall = result["overall"]
    assert overall["strict_f1"] >= 0.95, format_result(result, verbose=True)
    assert overall["subject_accuracy"] >= 0.95
    assert overall["f1"] >= 0.99
