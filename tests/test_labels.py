"""Labels of facts nobody knows: n.d. for a year, unknown for the rest, never nan or an invented value."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from dangjian_analysis.labels import is_missing, report_label, text_label, year_label
from dangjian_analysis.plots import group_labels


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, "", "  ", math.nan])
def test_missing_values_are_labelled_as_such(missing):
    assert is_missing(missing)
    assert year_label(missing) == "n.d." and year_label(missing, "zh") == "年份不详"
    assert text_label(missing) == "unknown" and text_label(missing, "zh") == "不详"


@pytest.mark.parametrize("year", [2024, 2024.0, "2024", pd.array([2024], dtype="Int64")[0]])
def test_a_known_year_is_the_year(year):
    assert year_label(year) == "2024"


def test_report_labels():
    assert report_label("Xigu District", 2024) == "Xigu District (2024)"
    assert report_label("Xigu District", None) == "Xigu District (n.d.)"
    assert report_label("西固区", None, "zh") == "西固区（年份不详）"
    assert report_label(None, None) == "unknown (n.d.)"
    assert report_label("", 2020, fallback="report-7") == "report-7 (2020)"  # two unknown regions stay apart
    assert report_label("Xigu District", 2024, with_year=False) == "Xigu District"


def test_figure_labels_of_reports_with_unknowns():
    reports = pd.DataFrame({"report_id": ["a", "b", "c"], "region_en": ["Xigu District", "", "Erqi District"],
                            "year": pd.array([2024, None, None], dtype="Int64")})
    labels = group_labels(reports, "report_id").tolist()
    assert labels == ["Xigu District (2024)", "b (n.d.)", "Erqi District (n.d.)"]
    assert not any("nan" in lab.lower() or "<na>" in lab.lower() for lab in labels)
