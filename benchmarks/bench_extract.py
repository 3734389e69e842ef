"""Time indicator extraction on one core: the reports repeated to 10 MB, dense text, and Recognizers-Text.

Extraction here is the whole path from raw text to one indicators table:
normalize → mentions → indicators → repeats, each report's rows kept as plain
tuples and turned into a single DataFrame at the end. Printed beside it:

- the floor, a bare ``re.finditer(r"\\d+")`` scan of the same text;
- *warm* and *cold*: the corpus repeated as it is, so the caches of
  segmentation and of whole indicator windows hit from the second copy on
  (a corpus with many repeated phrases), and with every cache cleared before
  each report (each copy extracted as if it were new text);
- *dense*: generated text with a count about every ten characters, where
  the cost per mention dominates: a *table* (the same forty rows in every
  report, each with its own values, as in a statistical annex) and *random
  clauses* (verb, subject, value and measure word drawn at random for each
  clause, so no two windows around a number are alike; seeded);
- Recognizers-Text (``recognizers-text-number``, Chinese numbers) on the
  first megabyte of the same corpus, in the same run, when it is installed
  (``pip install recognizers-text-suite``; not a project dependency): its
  number model built once and reused, and its one-call ``recognize_number``.

Times are CPU seconds of this process (``time.process_time``), so other work
on a shared machine does not inflate them; wall-clock seconds are printed too.

Usage: python benchmarks/bench_extract.py [--mb 10] [--dense-mb 1] [--rt-mb 1] [--raw data/raw]
"""
from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dangjian_analysis import indicators, mentions, numerals, words  # noqa: E402
from dangjian_analysis.indicators import indicator_rows, indicators_frame, repeat_of  # noqa: E402
from dangjian_analysis.mentions import mention_rows  # noqa: E402
from dangjian_analysis.normalize import normalize  # noqa: E402

CACHES = (words.tokens, indicators._words, indicators._attributes, indicators._attributes_in,
          indicators._values,
          mentions._scan_line, indicators.subject_after,
          indicators.subject_before, indicators.subject_after_verb, indicators.predicate_after,
          indicators._share_phrase, numerals.parse_number, numerals.parse_chinese)


def corpus_texts(raw_dir: Path, megabytes: float) -> list[str]:
    """The raw reports, repeated until their UTF-8 size reaches *megabytes*."""
    reports = [p.read_bytes().decode("utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    if not reports:
        raise SystemExit(f"no reports in {raw_dir}")
    size = sum(len(t.encode("utf-8")) for t in reports)
    copies = int(megabytes * 1_000_000 // size) + 1
    return reports * copies


SUBJECTS = ("党组织", "党支部", "党员", "网格员", "志愿服务队", "党群服务中心", "培训班", "活动", "项目", "资金",
            "困难群众", "社区", "行政村", "问题", "矛盾纠纷", "服务站", "示范岗", "党员中心户", "实事", "座谈会")
MEASURES = ("个", "名", "人", "次", "场", "期", "支", "项", "件", "户", "万元", "元", "%", "人次", "座", "家")
VERBS = ("建成", "培训", "开展", "发放", "组建", "新增", "走访", "解决", "投入", "选派")


#: forty rows of a table: verb, subject, a value, a measure word
ROWS = [f"{v}{s}{{}}{m}" for v, s, m in zip(VERBS * 4, SUBJECTS * 2, MEASURES * 3)]


def dense_tables(megabytes: float, seed: int = 0) -> list[str]:
    """Generated tables of counts: the same forty rows in every report, each with its own values (seeded)."""
    rng = random.Random(seed)
    texts, size = [], 0
    while size < megabytes * 1_000_000:
        text = "".join(row.format(rng.randint(2, 9999)) + "；\n" for row in ROWS)
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def dense_texts(megabytes: float, seed: int = 0) -> list[str]:
    """Generated reports of short clauses drawn at random, one count about every ten characters (seeded)."""
    rng = random.Random(seed)
    texts, size = [], 0
    while size < megabytes * 1_000_000:
        clauses = []
        for _ in range(200):
            n = str(rng.randint(2, 9999))
            if rng.random() < 0.5:
                clauses.append(f"{rng.choice(VERBS)}{rng.choice(SUBJECTS)}{n}{rng.choice(MEASURES)}")
            else:
                clauses.append(f"{rng.choice(VERBS)}{n}{rng.choice(MEASURES)}{rng.choice(SUBJECTS)}")
        text = "".join(c + rng.choice("，，、。") for c in clauses) + "\n"
        texts.append(text)
        size += len(text.encode("utf-8"))
    return texts


def extract(texts: list[str], cold: bool = False):
    """One indicators table (with repeats linked per report) for all *texts*, built once at the end."""
    rows: list[tuple] = []
    links: list = []
    for t in texts:
        if cold:
            for c in CACHES:
                c.cache_clear()
        norm = normalize(t)
        found = indicator_rows(norm, mention_rows(norm))
        rows.extend(found)
        links.extend(repeat_of(found))
    df = indicators_frame(rows)
    df["repeat_of"] = links
    return df


def floor(texts: list[str]) -> int:
    digits = re.compile(r"\d+")
    return sum(1 for t in texts for _ in digits.finditer(t))


def recognizers(texts: list[str]):
    """Two ways of running Recognizers-Text's Chinese numbers over *texts*; None when it is not installed.

    The model built once and reused (its fastest use), and ``recognize_number``
    called per text, the library's documented one-call entry point.
    """
    try:
        from recognizers_number import NumberRecognizer, recognize_number
        from recognizers_text import Culture
    except Exception:  # noqa: BLE001 - absent, or broken by its old dependencies
        return None
    model = NumberRecognizer(Culture.Chinese).get_number_model()
    model.parse("投入资金6000多万元")
    return [("Recognizers-Text, model reused", lambda: sum(len(model.parse(t)) for t in texts)),
            ("Recognizers-Text, recognize_number", lambda: sum(len(recognize_number(t, Culture.Chinese))
                                                               for t in texts))]


def timed(fn, *args) -> tuple[float, float, object]:
    """(CPU seconds, wall seconds, result)."""
    gc.collect()
    c0, w0 = time.process_time(), time.perf_counter()
    out = fn(*args)
    return time.process_time() - c0, time.perf_counter() - w0, out


def line(label: str, cpu: float, wall: float, chars: int, what: str) -> float:
    rate = chars / cpu
    print(f"{label:<34} {cpu:7.2f} s CPU {wall:7.2f} s wall {rate:13,.0f} chars/s  ({what})", flush=True)
    return rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=10.0, help="corpus size in MB of UTF-8 text (default 10)")
    ap.add_argument("--dense-mb", type=float, default=1.0, help="dense text in MB (default 1)")
    ap.add_argument("--rt-mb", type=float, default=1.0, help="MB of text for Recognizers-Text (default 1)")
    ap.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    args = ap.parse_args(argv)
    texts = corpus_texts(args.raw, args.mb)
    chars = sum(len(t) for t in texts)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    extract(texts[:5])  # load jieba, OpenCC and compile patterns once, outside the timing
    for c in CACHES:
        c.cache_clear()
    print(f"corpus: {len(texts)} report texts, {chars:,} characters, {mb:.1f} MB UTF-8 (one core)")
    cpu, wall, n = timed(floor, texts)
    line("floor re.finditer(r'\\d+')", cpu, wall, chars, f"{n:,} digit runs")
    cpu, wall, df = timed(extract, texts)
    warm = line("extract, warm caches", cpu, wall, chars, f"{len(df):,} indicators")
    cpu, wall, df = timed(extract, texts, True)
    cold = line("extract, cold caches", cpu, wall, chars, f"{len(df):,} indicators")

    for label, dense in (("dense table", dense_tables(args.dense_mb)),
                         ("dense random clauses", dense_texts(args.dense_mb))):
        dchars = sum(len(t) for t in dense)
        for c in CACHES:
            c.cache_clear()
        cpu, wall, df = timed(extract, dense)
        line(f"{label} ({dchars / len(df):.0f} chars/count)", cpu, wall, dchars, f"{len(df):,} indicators")

    sample = corpus_texts(args.raw, args.rt_mb)
    schars = sum(len(t) for t in sample)
    models = recognizers(sample)
    if models is None:
        print("Recognizers-Text: not installed (pip install recognizers-text-suite), skipped")
    else:
        for label, run_rt in models:
            cpu, wall, n = timed(run_rt)
            rt = line(label, cpu, wall, schars, f"{n:,} numbers, first {args.rt_mb:g} MB")
            print(f"{'':34} extraction (warm) is {warm / rt:.1f}x, (cold) {cold / rt:.1f}x its speed")

    tracemalloc.start()  # peak memory of one warm extraction pass (traced, so slower)
    extract(texts)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak / 1e6:.1f} MB allocated at once by the extraction (tracemalloc, result table "
          f"included), process peak RSS {rss:.0f} MB (corpus text, jieba and OpenCC dictionaries included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
