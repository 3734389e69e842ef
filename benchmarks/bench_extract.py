"""Time indicator extraction over the corpus repeated to at least 10 MB, on one core.

Prints characters per second and peak memory for the full extraction
(normalize → mentions → indicators), beside a bare ``re.finditer(r"\\d+")``
scan over the same text as the floor no extractor can beat.

Two figures for the extraction:

- *warm*: the corpus repeated as it is, so the caches of subject
  segmentation hit from the second copy on (the case of a corpus with many
  similar phrases);
- *cold*: every cache cleared before each report, so each copy is extracted as
  if it were new text.

Usage: python benchmarks/bench_extract.py [--mb 10] [--raw data/raw]
"""
from __future__ import annotations

import argparse
import gc
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dangjian_analysis import indicators, numerals  # noqa: E402
from dangjian_analysis.indicators import indicators_of  # noqa: E402
from dangjian_analysis.mentions import mentions_of  # noqa: E402
from dangjian_analysis.normalize import normalize  # noqa: E402

CACHES = (indicators._tokens, indicators.subject_after, indicators.subject_before, numerals.parse_number,
          numerals.parse_chinese)


def corpus_texts(raw_dir: Path, megabytes: float) -> list[str]:
    """The raw reports, repeated until their UTF-8 size reaches *megabytes*."""
    reports = [p.read_bytes().decode("utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    if not reports:
        raise SystemExit(f"no reports in {raw_dir}")
    size = sum(len(t.encode("utf-8")) for t in reports)
    copies = int(megabytes * 1_000_000 // size) + 1
    return reports * copies


def extract(texts: list[str], cold: bool) -> int:
    n = 0
    for t in texts:
        if cold:
            for c in CACHES:
                c.cache_clear()
        norm = normalize(t)
        m = mentions_of(norm)
        n += len(indicators_of(norm, m))
    return n


def floor(texts: list[str]) -> int:
    digits = re.compile(r"\d+")
    return sum(1 for t in texts for _ in digits.finditer(t))


def timed(fn, *args) -> tuple[float, object]:
    gc.collect()
    t0 = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - t0, out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in MB of UTF-8 text (default 10)")
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    args = ap.parse_args(argv)
    texts = corpus_texts(args.raw, args.mb)
    chars = sum(len(t) for t in texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    extract(texts[:5], cold=False)  # load jieba, OpenCC and compile patterns once, outside the timing
    print(f"corpus: {len(texts)} report texts, {chars:,} characters, {mb:.1f} MB UTF-8 (one core)")
    t_floor, n_digits = timed(floor, texts)
    print(f"floor   re.finditer(r'\\d+'): {t_floor:8.2f} s  {chars / t_floor:14,.0f} chars/s  ({n_digits:,} runs)")
    for label, cold in (("warm", False), ("cold", True)):
        t, n_ind = timed(extract, texts, cold)
        print(f"extract ({label} caches):    {t:8.2f} s  {chars / t:14,.0f} chars/s  ({n_ind:,} indicators)")
    # peak memory allocated by one warm extraction pass over the whole corpus (traced, so slower)
    tracemalloc.start()
    extract(texts, cold=False)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 1e6:.1f} MB allocated at once by the extraction (tracemalloc), "
          f"process peak RSS {rss:.0f} MB (corpus text, jieba and OpenCC dictionaries included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
