"""A researcher's first real corpus, end to end: init, check, build, build --all, timed.

Makes a 17-report corpus from the fixture corpus (``tests/fixtures/corpus``)
with ``dangjian_analysis.synthetic.varied_corpus``: the real reports with
their metadata (one with year and division code unknown) plus recombined
reports described the way ``dangjian init`` leaves them, partly filled in
(unknown years, no division codes, community- and village-level reports,
``extra`` fields). Then it runs the commands a researcher runs, each in a
fresh process as from the shell, and prints the seconds each took.

Usage: python benchmarks/bench_varied.py [--reports 17] [--jobs 0] [--work DIR]
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dangjian_analysis.synthetic import varied_corpus  # noqa: E402


def timed(label: str, args: list[str], cwd: Path) -> float:
    """Run ``dangjian ARGS`` in *cwd*; print and return the seconds it took (exit on failure)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "dangjian_analysis.cli", *args], cwd=cwd,
                          capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{label} failed:\n{done.stdout}\n{done.stderr}")
    print(f"{label:<28} {seconds:7.1f} s")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=17)
    ap.add_argument("--jobs", type=int, default=0, help="worker processes for build (0: automatic)")
    ap.add_argument("--work", help="folder for the project (default: a temporary folder, removed after)")
    args = ap.parse_args()
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="dangjian-varied-"))
    try:
        raw = varied_corpus(ROOT / "tests" / "fixtures" / "corpus" / "raw", work / "data" / "raw", args.reports)
        shutil.copytree(ROOT / "notebooks", work / "notebooks",
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        print(f"{len(list(raw.glob('*.txt')))} reports in {raw}")
        timed("dangjian check", ["check", str(raw)], work)
        timed("dangjian build", ["build", "--jobs", str(args.jobs)], work)
        timed("dangjian build --all", ["build", "--all", "--jobs", str(args.jobs)], work)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
