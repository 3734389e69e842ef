"""``dangjian coding-sheet | reliability | train``: a researcher's hand-coding workflow for new reports.

1. ``coding-sheet`` draws a blind, stratified random sample of built rows into an
   Excel sheet (codebook guide on a second sheet, no automated codes shown);
2. two coders fill copies independently; ``reliability --sheets A B`` gives α and
   κ per dimension and writes their disagreements for adjudication;
3. the adjudicated codes go to ``data/codes/adjudicated.csv``; ``train`` retrains
   the automated coder on them and re-runs its leave-one-report-out evaluation.
"""
from __future__ import annotations

import argparse
from pathlib import Path

from . import paths


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if getattr(args, "root", None) else paths.project_root()


def _cmd_sheet(args: argparse.Namespace) -> int:
    from .handcoding import coding_sheet, write_coding_sheet
    from .tables import load_table

    processed = paths.processed_dir(_root(args))
    rows = load_table(args.table, processed)
    headings = None
    if args.table == "sentences":
        sections = load_table("sections", processed)
        headings = rows["section_id"].map(dict(zip(sections["section_id"], sections["heading"]))).fillna("")
    else:  # an indicator is read in its sentence
        sentences = load_table("sentences", processed)
        headings = rows["sentence_id"].map(dict(zip(sentences["sentence_id"], sentences["text"]))).fillna("")
        rows = rows.assign(text=rows["span"])
    sheet = coding_sheet(rows, args.table, args.n, args.seed, headings)
    out = Path(args.out)
    write_coding_sheet(sheet, out)
    print(f"{len(sheet)} {args.table} from {sheet['report_id'].nunique()} report(s), seed {args.seed}: {out}")
    return 0


def _cmd_reliability(args: argparse.Namespace) -> int:
    import pandas as pd

    from .handcoding import disagreements, read_sheet, row_table
    from .reliability import TENTATIVE, pairwise

    pd.set_option("display.width", 140)
    if args.sheets:
        a, b = (read_sheet(Path(p)) for p in args.sheets)
        table = row_table(a["row_id"].iloc[0]) if len(a) else "sentences"
        result = pairwise(a, b, table or "sentences")
        print(result.drop(columns="table").to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        if args.disagreements:
            disagreements(a, b).to_csv(args.disagreements, index=False, encoding="utf-8-sig")
            print(f"disagreements to adjudicate: {args.disagreements}")
    else:
        from .tables import load_table

        processed = paths.processed_dir(_root(args))
        result = load_table("reliability", processed)
        print("Between the two blind coders (Krippendorff's alpha, nominal; bootstrap 95% interval):")
        print(result.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        choice = load_table("coder_choice", processed)
        print("\nAutomated coders against adjudicated codes on reports they never saw (Cohen's kappa):")
        print(choice.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"\nStandard: alpha >= 0.800 reliable, >= {TENTATIVE:.3f} tentative, below exploratory "
          "(Krippendorff 2004).")
    return 0


def _cmd_train(args: argparse.Namespace) -> int:
    from .training import train

    root = _root(args)
    corpora = [Path(c) for c in args.corpus] if args.corpus else None
    out = Path(args.out) if args.out else None
    result = train(corpora, root, out)
    print(result["choice"].to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"training rows: {len(result['sentences'])} sentences, {len(result['indicators'])} indicators")
    return 0


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register the hand-coding commands on the ``dangjian`` parser."""
    s = sub.add_parser("coding-sheet", help="write a blind, stratified random sample of rows for hand coding (Excel)")
    s.add_argument("--table", choices=("sentences", "indicators"), default="sentences")
    s.add_argument("--n", type=_positive, default=200, help="rows to draw (stratified by report)")
    s.add_argument("--seed", type=int, default=1, help="random seed (the same seed draws the same rows)")
    s.add_argument("--out", default="coding_sheet.xlsx", help="Excel file to write")
    s.add_argument("--root", help="project folder (default: found from the current folder)")
    s.set_defaults(func=_cmd_sheet)
    r = sub.add_parser("reliability", help="agreement between coders and of the automated coder (alpha, kappa)")
    r.add_argument("--sheets", nargs=2, metavar=("CODER_A", "CODER_B"), help="two coders' filled sheets")
    r.add_argument("--disagreements", help="with --sheets: write the rows they coded differently to this CSV")
    r.add_argument("--root", help="project folder (default: found from the current folder)")
    r.set_defaults(func=_cmd_reliability)
    t = sub.add_parser("train", help="retrain the automated coder on the adjudicated codes in data/codes")
    t.add_argument("--corpus", action="append", help="a corpus folder whose reports have adjudicated codes "
                                                      "(repeatable; default data/raw)")
    t.add_argument("--out", help="folder for the training files (default data/codes)")
    t.add_argument("--root", help="project folder (default: found from the current folder)")
    t.set_defaults(func=_cmd_train)
