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


def test_a_failing_cell_stops_build_all_with_one_line_naming_the_notebook(tmp_path, monkeypatch, capsys):
    from dangjian_analysis import export, figures
    from dangjian_analysis.cli import main

    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "a.txt").write_text("全区建成党群服务中心12个。\n", encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
                                         nbformat.v4.new_code_cell("raise ValueError('no such column')")])
    nbformat.write(nb, tmp_path / "notebooks" / "01_broken.ipynb")
    monkeypatch.setattr(figures, "make_all_figures", lambda *a, **k: [])  # only the notebooks matter here
    monkeypatch.setattr(export, "export_all", lambda *a, **k: {})
    assert main(["build", "--all", "--root", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "01_broken.ipynb" in err and "ValueError: no such column" in err
    executed = nbformat.read(tmp_path / "output" / "notebooks" / "01_broken.ipynb", as_version=4)
    assert executed.cells[1].outputs[0]["ename"] == "ValueError"  # the copy shows where it stopped
