"""The notebooks run top to bottom on fresh kernels (on the fixture corpus's tables), committed without outputs."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from dangjian_analysis.notebooks import execute_notebook, notebook_paths

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = notebook_paths(ROOT)
EXPECTED = ["01_corpus_quality", "02_indicators", "03_strategies_themes", "04_statistics", "05_figures"]


def test_the_five_numbered_notebooks_are_there():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "a notebook with no code"
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_runs_on_a_fresh_kernel(path: Path, tmp_path: Path, built: Path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_ROOT", str(built.parents[1]))  # the kernel reads the fixture corpus's tables
    nb = execute_notebook(path, tmp_path)  # raises CellExecutionError on any failing cell
    streams = [o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
               if o.output_type == "stream" and o.name == "stderr"]
    assert not [s for s in streams if "Glyph" in s and "missing" in s]
    assert (tmp_path / path.name).exists()
