"""Reports per second for the whole per-report stage on a large recombined corpus.

Makes a corpus of N reports (default 5,000) by recombining the sentences of
the reports in ``data/raw`` (see ``dangjian_analysis.synthetic``), then runs
the bounded-memory route (``write_shards``: read → normalize → segment →
extract → code → Parquet parts) three ways and prints reports per second,
characters per second and peak memory:

- one core (a single process);
- all cores (a process pool);
- a Dask ``LocalCluster`` with one single-threaded worker process per core.

The three outputs are compared byte for byte at the end.

Usage: python benchmarks/bench_scale.py [--reports 5000] [--batch-size 100] [--work DIR]
"""
from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dangjian_analysis.parallel import write_shards  # noqa: E402
from dangjian_analysis.synthetic import recombine  # noqa: E402


def same_tree(a: Path, b: Path) -> bool:
    """True when two shard folders hold the same files with the same bytes."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    return files_a == files_b and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def run(label: str, n: int, chars: int, fn) -> None:
    t0 = time.perf_counter()
    counts = fn()
    dt = time.perf_counter() - t0
    print(f"{label:<28} {dt:8.1f} s {n / dt:10.1f} reports/s {chars / dt:12,.0f} chars/s "
          f"({counts['indicators']:,} indicators)", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=5000)
    ap.add_argument("--batch-size", type=int, default=100)
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    ap.add_argument("--work", type=Path, help="working folder (default: a temporary one, removed afterwards)")
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="dangjian-bench-"))
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    recombine(args.raw, corpus, args.reports, seed=0)
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    chars = sum(len(t) for t in texts)
    cores = os.cpu_count() or 1
    print(f"corpus: {len(texts):,} recombined reports, {chars:,} characters, "
          f"{sum(len(t.encode()) for t in texts) / 1e6:.1f} MB; {cores} cores; batch size {args.batch_size}",
          flush=True)
    outs = {k: work / k for k in ("one", "all", "dask")}
    for o in outs.values():
        shutil.rmtree(o, ignore_errors=True)
    run("one core", len(texts), chars,
        lambda: write_shards(corpus, outs["one"], jobs=1, batch_size=args.batch_size, progress=False))
    run(f"all cores ({cores} processes)", len(texts), chars,
        lambda: write_shards(corpus, outs["all"], jobs=cores, batch_size=args.batch_size, progress=False))

    from dask.distributed import Client, LocalCluster

    def on_dask():
        with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            return write_shards(corpus, outs["dask"], batch_size=args.batch_size, progress=False, client=client)

    run(f"Dask LocalCluster ({cores} workers)", len(texts), chars, on_dask)
    print(f"peak RSS: this process {rss_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"largest worker {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    print("outputs byte-identical:", same_tree(outs["one"], outs["all"]) and same_tree(outs["one"], outs["dask"]))
    if not args.work:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
