"""Score extracted indicators against a hand annotation.

The annotation (``indicators_resolved.csv`` + ``non_indicators_resolved.csv``,
see ``tests/fixtures/gold_dev/README.md``) names reports by their file prefix
(``000``) and gives raw offsets. Predicted rows are matched to gold rows by
the largest overlap of their offsets, one to one. Reported figures:

- precision, recall and F1 of finding the indicators;
- accuracy of each attribute over the matched rows (value with value_high,
  unit, qualifier, per where the annotation gives one, subject);
- strict F1, counting a row right only when every attribute is right;
- the accuracy of ``kind`` for the annotated non-indicator numerals (when
  mentions are given).

Gold rows with status ``optional`` neither earn nor cost anything.
"""
from __future__ import annotations

import argparse
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import paths

GOLD_FILES = ("indicators_resolved.csv", "non_indicators_resolved.csv")
ATTRIBUTES = ("value", "unit", "qualifier", "per", "subject")


def default_gold_dir() -> Path:
    """The development annotation kept with the tests (``tests/fixtures/gold_dev``)."""
    return paths.project_root() / "tests" / "fixtures" / "gold_dev"


def load_gold(folder: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(indicator rows, non-indicator rows) of an annotation folder, text cells as strings."""
    folder = Path(folder) if folder else default_gold_dir()
    frames = []
    for name in GOLD_FILES:
        df = pd.read_csv(folder / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        df["start"] = df["start"].astype(int)
        df["end"] = df["end"].astype(int)
        frames.append(df)
    return frames[0], frames[1]


def _num(x) -> float | None:
    if x is None:
        return None
    if isinstance(x, float):
        return None if math.isnan(x) else x
    s = str(x).strip()
    if not s or s.lower() in ("nan", "none", "<na>"):
        return None
    try:
        return float(s)
    except ValueError:
        return None


def _same(a, b) -> bool:
    a, b = _num(a), _num(b)
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _t2s(text: str) -> str:
    from .normalize import convert_aligned

    return convert_aligned(text, "t2s") if text else text


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


@dataclass
class Score:
    """Counts for one report or the whole annotation, and the rows behind them."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    strict: int = 0
    correct: dict = field(default_factory=lambda: {a: 0 for a in ATTRIBUTES})
    kind_total: int = 0
    kind_correct: int = 0
    misses: list = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.strict += other.strict
        for a in ATTRIBUTES:
            self.correct[a] += other.correct[a]
        self.kind_total += other.kind_total
        self.kind_correct += other.kind_correct
        self.misses += other.misses

    @staticmethod
    def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict[str, float]:
        p, r, f1 = self._f1(self.tp, self.fp, self.fn)
        sp, sr, sf1 = self._f1(self.strict, self.tp + self.fp - self.strict, self.tp + self.fn - self.strict)
        out = dict(gold=self.tp + self.fn, predicted=self.tp + self.fp, tp=self.tp, fp=self.fp, fn=self.fn,
                   precision=p, recall=r, f1=f1)
        for a in ATTRIBUTES:
            out[f"{a}_accuracy"] = self.correct[a] / self.tp if self.tp else 0.0
        out["strict_precision"], out["strict_recall"], out["strict_f1"] = sp, sr, sf1
        out["kind_accuracy"] = self.kind_correct / self.kind_total if self.kind_total else float("nan")
        return out


def score_report(raw: str, gold: pd.DataFrame, non: pd.DataFrame, pred: pd.DataFrame,
                 mentions: pd.DataFrame | None = None, report: str = "") -> Score:
    """Score one report's predicted indicator rows (raw offsets) against its gold rows."""
    sc = Score()
    required = gold[gold["status"] == "required"].reset_index(drop=True)
    optional = gold[gold["status"] != "required"]
    pred = pred.reset_index(drop=True)
    pairs = []
    for gi, g in required.iterrows():
        for pi, x in pred.iterrows():
            o = _overlap(g["start"], g["end"], int(x["start"]), int(x["end"]))
            if o:
                pairs.append((o, -gi, -pi))
    pairs.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    for _o, gi, pi in pairs:
        gi, pi = -gi, -pi
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        g, x = required.loc[gi], pred.loc[pi]
        ok = {
            "value": _same(g["value"], x.get("value")) and (not g["value_high"] or _same(g["value_high"], x.get("value_high"))),
            "unit": g["unit"].strip() == str(x.get("unit") or "").strip(),
            "qualifier": str(x.get("qualifier") or "").strip() in [q.strip() for q in g["qualifier"].split("|")],
            "per": (g.get("per", "") or "").strip() == str(x.get("per") or "").strip(),
            "subject": any(k.strip() and k.strip() in _t2s(str(x.get("subject") or ""))
                           for k in g["subject_key"].split("|")),
        }
        sc.tp += 1
        for a, good in ok.items():
            sc.correct[a] += good
        if all(ok.values()):
            sc.strict += 1
        else:
            wrong = "; ".join(f"{a}: {x.get(a)!r} (gold {g[a] if a != 'subject' else g['subject_key']!r})"
                              for a, good in ok.items() if not good)
            sc.misses.append(dict(report=report, type="wrong", span=g["span"], start=g["start"], detail=wrong))
    for gi, g in required.iterrows():
        if gi not in used_g:
            sc.fn += 1
            sc.misses.append(dict(report=report, type="missed", span=g["span"], start=g["start"],
                                  detail=f"in {g['anchor']!r}"))
    for pi, x in pred.iterrows():
        if pi in used_p:
            continue
        s, e = int(x["start"]), int(x["end"])
        if any(_overlap(o0, o1, s, e) for o0, o1 in zip(optional["start"], optional["end"])):
            continue
        kinds = [k for k0, k1, k in zip(non["start"], non["end"], non["kind"]) if _overlap(k0, k1, s, e)]
        sc.fp += 1
        sc.misses.append(dict(report=report, type="extra", span=x["span"], start=s,
                              detail=f"gold kind {kinds[0] if kinds else 'none'}; context "
                                     f"{raw[max(0, s - 8):e + 4]!r}"))
    if mentions is not None:
        for g in non.itertuples(index=False):
            hit = mentions[(mentions["start"] < g.end) & (mentions["end"] > g.start)]
            sc.kind_total += 1
            got = ",".join(sorted(set(hit["kind"]))) if len(hit) else "none"
            if got == g.kind:
                sc.kind_correct += 1
            else:
                sc.misses.append(dict(report=report, type="kind", span=g.span, start=g.start,
                                      detail=f"kind {got} (gold {g.kind})"))
    return sc


def _gold_reports(raw_dir: Path, prefixes) -> dict[str, Path]:
    files = {p.name.split("_", 1)[0]: p for p in sorted(raw_dir.glob("*.txt"))}
    return {r: files[r] for r in prefixes if r in files}


def evaluate(gold_dir: Path | str | None = None, raw_dir: Path | str | None = None,
             indicators: pd.DataFrame | None = None, reports: pd.DataFrame | None = None) -> dict:
    """Score extraction against an annotation; returns ``{"overall": {...}, "reports": DataFrame, "misses": DataFrame}``.

    Without *indicators*, extraction runs now on the annotated raw files (and
    the kind of every non-indicator numeral is scored too). With a built
    ``indicators`` table, *reports* (``report_id``, ``file``) links its
    report ids to the annotated files.
    """
    from .indicators import indicators_of
    from .mentions import mentions_of
    from .normalize import normalize

    gold, non = load_gold(gold_dir)
    raw_dir = Path(raw_dir) if raw_dir else paths.raw_dir()
    files = _gold_reports(raw_dir, sorted(set(gold["report"])))
    total = Score()
    rows = []
    for rep, path in files.items():
        raw = path.read_bytes().decode("utf-8")
        mentions = None
        if indicators is None:
            norm = normalize(raw)
            mentions = mentions_of(norm)
            pred = indicators_of(norm, mentions)
        else:
            rid = reports.loc[reports["file"] == path.name, "report_id"] if reports is not None else []
            pred = indicators[indicators["report_id"] == rid.iloc[0]] if len(rid) else indicators.iloc[0:0]
        sc = score_report(raw, gold[gold["report"] == rep], non[non["report"] == rep], pred, mentions, rep)
        rows.append(dict(report=rep, file=path.name, **sc.figures()))
        total.add(sc)
    return {"overall": total.figures(), "reports": pd.DataFrame(rows),
            "misses": pd.DataFrame(total.misses, columns=["report", "type", "span", "start", "detail"])}


def format_result(result: dict, verbose: bool = False) -> str:
    """A plain-text report of :func:`evaluate`'s result."""
    lines = []
    for r in result["reports"].to_dict("records") + [dict(report="overall", **result["overall"])]:
        lines.append(
            f"{r['report']:>8}: gold {r['gold']} predicted {r['predicted']} | P {r['precision']:.3f} "
            f"R {r['recall']:.3f} F1 {r['f1']:.3f} | "
            + " ".join(f"{a} {r[f'{a}_accuracy']:.3f}" for a in ATTRIBUTES)
            + f" | strict F1 {r['strict_f1']:.3f}"
            + ("" if math.isnan(r["kind_accuracy"]) else f" | kind accuracy {r['kind_accuracy']:.3f}"))
    if verbose:
        for m in result["misses"].to_dict("records"):
            lines.append(f"   {m['type'].upper():6} {m['report']} {m['span']!r} at {m['start']}: {m['detail']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``dangjian evaluate``: print precision, recall, F1, attribute accuracy and strict F1."""
    ap = argparse.ArgumentParser(prog="dangjian evaluate", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", default=None, help="annotation folder (default tests/fixtures/gold_dev)")
    ap.add_argument("--raw", default=None, help="folder of raw reports (default data/raw)")
    ap.add_argument("--built", action="store_true",
                    help="score data/processed/indicators.csv instead of extracting afresh")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every miss, extra row and wrong attribute")
    args = ap.parse_args(argv)
    return run(args.gold, args.raw, args.built, args.verbose)


def run(gold: str | None = None, raw: str | None = None, built: bool = False, verbose: bool = False) -> int:
    """Evaluate and print the figures (what ``dangjian evaluate`` does)."""
    indicators = reports = None
    if built:
        from .tables import load_table

        indicators, reports = load_table("indicators"), load_table("reports")
    result = evaluate(gold, raw, indicators, reports)
    print(format_result(result, verbose))
    return 0


if __name__ == "__main__":
    sys.exit(main())
