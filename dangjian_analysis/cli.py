"""Command line: ``dangjian build | check`` (and more stages as they land).

Errors about input are printed as ``file:line: problem`` and exit with status
2, never as a traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import paths
from .errors import CorpusError


def _cmd_build(args: argparse.Namespace) -> int:
    from .build import build
    from .progress import Progress

    root = Path(args.root).resolve() if args.root else paths.project_root()
    progress = Progress(stages=6 if args.all else 3)  # stages and bars on a terminal only
    tables = build(root, jobs=args.jobs, progress=progress)
    if args.all:
        _build_all(root, progress)
    progress.close()
    for name, df in sorted(tables.items()):
        print(f"{name:>12}: {len(df):6d} rows")
    print(f"tables written to {paths.processed_dir(root)}")
    if args.all:
        print(f"figures in {paths.figures_dir(root)}, workbook and executed notebooks in {paths.output_dir(root)}")
    return 0


def _build_all(root: Path, progress) -> None:  # noqa: ANN001 (a progress.Progress)
    """Figures, the workbook and the executed notebooks, after the tables."""
    from nbclient.exceptions import CellExecutionError

    from .export import export_all
    from .figures import FIGURES, load_tables, make_all_figures
    from .notebooks import execute_all, notebook_paths

    progress.stage(f"drawing {len(FIGURES)} figures in English and Chinese")
    tables = load_tables(paths.processed_dir(root))
    with progress.bar(2 * len(FIGURES), "figure") as bar:
        for lang in ("en", "zh"):
            for spec in FIGURES:
                make_all_figures(paths.figures_dir(root), lang, tables, names=[spec.name])
                bar.update()
    progress.stage("writing the Excel workbook, Parquet files and datapackage.json")
    export_all(paths.processed_dir(root), paths.output_dir(root) / "dangjian_tables.xlsx")
    notebooks = notebook_paths(root)
    progress.stage(f"executing {len(notebooks)} notebooks")
    done: list[Path] = []
    with progress.bar(len(notebooks), "notebook") as bar:
        try:
            execute_all(root, each=lambda path: (done.append(path), bar.update()))
        except CellExecutionError as exc:  # one line naming the notebook, not the kernel's traceback
            failed = notebooks[len(done)]
            raise CorpusError(failed, f"a cell failed with {exc.ename}: {exc.evalue} (outputs up to the error: "
                                      f"{paths.output_dir(root) / 'notebooks' / failed.name})") from None


def _cmd_bulk(args: argparse.Namespace) -> int:
    from .parallel import write_shards

    client = None
    if args.dask:
        from dask.distributed import Client, LocalCluster

        client = Client(LocalCluster(n_workers=args.jobs or None, threads_per_worker=1)) if args.dask == "local" \
            else Client(args.dask)
    try:
        counts = write_shards(args.folder, args.out, jobs=args.jobs, batch_size=args.batch_size, progress=None,
                              client=client)
    finally:
        if client is not None:
            client.close()
    for name, n in sorted(counts.items()):
        print(f"{name:>12}: {n:8d} rows")
    print(f"Parquet parts written under {args.out}")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from .export import export_all

    root = Path(args.root).resolve() if args.root else paths.project_root()
    out = export_all(paths.processed_dir(root), Path(args.out) if args.out else paths.output_dir(root) / "dangjian_tables.xlsx")
    print(f"{len(out['parquet'])} Parquet file(s) and {out['datapackage'].name} in {paths.processed_dir(root)}")
    print(f"workbook: {out['workbook']}")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from .corpus import check_corpus

    folder = Path(args.folder) if args.folder else paths.raw_dir()
    problems = check_corpus(folder)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {folder}")
        return 2
    print(f"{folder}: OK")
    return 0


def _cmd_init(args: argparse.Namespace) -> int:
    from .metadata import METADATA_FILE
    from .stubs import init_folder

    folder = Path(args.folder) if args.folder else paths.raw_dir()
    stubs, problems = init_folder(folder)
    for p in problems:
        print(p)
    if stubs:
        print(f"{len(stubs)} stub(s) written to {folder / METADATA_FILE}: {', '.join(s['report_id'] for s in stubs)}")
        print("fill in what you know, leave the rest null, check every 'inferred:' value; then `dangjian check`")
    elif not problems:
        print(f"{folder}: every .txt file already has an entry in {METADATA_FILE}")
    if problems:
        print(f"{len(problems)} file(s) got no stub: fix them first (converting a file changes its sha256)")
        return 2
    return 0


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import run

    return run(args.gold, args.raw, args.built, args.verbose)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="dangjian", description="Traceable tables from Party-building reports.")
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="build every table in data/processed")
    b.add_argument("--root", help="project folder holding data/raw (default: found from the current folder)")
    b.add_argument("--all", action="store_true", help="also draw figures and execute the notebooks")
    b.add_argument("--jobs", type=int, default=0,
                   help="worker processes (default 0: all cores once the corpus has 20+ reports per core)")
    b.set_defaults(func=_cmd_build)
    k = sub.add_parser("bulk", help="process a large corpus in batches straight to Parquet parts (bounded memory)")
    k.add_argument("folder", help="folder of .txt reports (with or without reports.yaml)")
    k.add_argument("--out", required=True, help="folder for <table>/part-NNNNN.parquet")
    k.add_argument("--jobs", type=int, default=0, help="worker processes (default 0: all cores)")
    k.add_argument("--batch-size", type=int, default=100, help="reports per Parquet part (bounds memory)")
    k.add_argument("--dask", help="run on Dask: 'local' for a LocalCluster, or a scheduler address tcp://host:8786")
    k.set_defaults(func=_cmd_bulk)
    e = sub.add_parser("export", help="write the Excel workbook, Parquet files and datapackage.json")
    e.add_argument("--root", help="project folder holding data/processed (default: found from the current folder)")
    e.add_argument("--out", help="workbook path (default: output/dangjian_tables.xlsx)")
    e.set_defaults(func=_cmd_export)
    c = sub.add_parser("check", help="validate a corpus folder and list every problem with file and line")
    c.add_argument("folder", nargs="?", help="folder with reports.yaml and .txt files (default: data/raw)")
    c.set_defaults(func=_cmd_check)
    i = sub.add_parser("init", help="write reports.yaml stubs for every .txt file without an entry")
    i.add_argument("folder", nargs="?", help="folder of .txt reports (default: data/raw)")
    i.set_defaults(func=_cmd_init)
    v = sub.add_parser("evaluate", help="score indicator extraction against a hand annotation (P/R/F1 per attribute)")
    v.add_argument("--gold", help="annotation folder (default: tests/fixtures/gold_dev)")
    v.add_argument("--raw", help="folder of raw reports (default: data/raw)")
    v.add_argument("--built", action="store_true", help="score data/processed/indicators.csv instead of extracting afresh")
    v.add_argument("-v", "--verbose", action="store_true", help="list every miss, extra row and wrong attribute")
    v.set_defaults(func=_cmd_evaluate)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as exc:
        for line in str(exc).splitlines():  # several problems: one line each
            print(f"error: {line}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
