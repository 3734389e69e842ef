"""Two builds in fresh processes give byte-identical tables and figures.

Each build runs in its own interpreter with a different hash seed, so set
iteration order, caches and import order cannot leak into the bytes.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import RAW

SCRIPT = """
import sys
from pathlib import Path
from dangjian_analysis.build import build
from dangjian_analysis.figures import load_tables, make_all_figures

root = Path(sys.argv[1])
out = root / "data" / "processed"
build(root, out)
tables = load_tables(out)
for lang in ("en", "zh"):
    make_all_figures(root / "figures", lang, tables)
"""


def _fresh_build(tmp: Path, seed: str) -> Path:
    root = tmp / f"build-{seed}"
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(RAW.parent / "overrides", root / "data" / "overrides")
    shutil.copytree(RAW.parent / "codes", root / "data" / "codes")
    env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", SCRIPT, str(root)], check=True, env=env, cwd=tmp, timeout=900)
    return root


def _files(root: Path) -> dict[str, bytes]:
    found = {}
    for sub in ("data/processed", "figures"):
        for p in sorted((root / sub).rglob("*")):
            if p.is_file():
                found[str(p.relative_to(root))] = p.read_bytes()
    return found


def test_two_fresh_builds_are_byte_identical(tmp_path):
    first, second = _files(_fresh_build(tmp_path, "1")), _files(_fresh_build(tmp_path, "2"))
    assert sorted(first) == sorted(second)
    kinds = {Path(name).suffix for name in first}
    assert {".csv", ".parquet", ".json", ".png", ".svg", ".pdf"} <= kinds
    differ = [name for name in first if first[name] != second[name]]
    assert not differ, f"differ between two fresh builds: {differ}"
