"""Schemas catch broken rows before they reach a notebook; the writer is deterministic."""
from __future__ import annotations

import pandas as pd
import pytest

from dangjian_analysis.tables import SCHEMAS, load_table, validate, write_table



def test_every_built_table_with_a_schema_passes_it(built):
    for name in SCHEMAS:
        validate(name, load_table(name, built))


@pytest.mark.parametrize("column, bad, message", [
    ("unit", "furlong", "isin"),
    ("qualifier", "roughly", "isin"),
    ("end", 0, "start < end"),
    ("value_high", 1.0, "upper bound"),
])
def test_indicator_schema_rejects_broken_rows(column, bad, message, built):
    df = load_table("indicators", built)
    validate("indicators", df)  # the built rows pass
    row = df.index[df["value_high"].notna()][0] if column == "value_high" else df.index[0]
    df.loc[row, column] = bad if column != "value_high" else df.loc[row, "value"] - 1
    with pytest.raises(ValueError, match=message) as err:
        validate("indicators", df)
    assert "'indicators'" in str(err.value)


def test_mention_kind_outside_vocabulary_is_refused(built):
    df = load_table("mentions", built)
    df.loc[0, "kind"] = "price"
    with pytest.raises(ValueError, match="mentions"):
        validate("mentions", df)


def test_writer_sorts_rows_so_input_order_does_not_matter(tmp_path, built):
    df = load_table("strategies", built)
    a = write_table("strategies", df, tmp_path / "a").read_bytes()
    b = write_table("strategies", df.sample(frac=1, random_state=1), tmp_path / "b").read_bytes()
    assert a == b == (built / "strategies.csv").read_bytes()
