"""Run the per-report stage over many reports: here, on all cores, or on a Dask cluster.

Every backend calls the same function on the same small, picklable
:class:`Task` (a file path and its metadata entry, never the text), so a
worker reads its own report and the tables do not depend on where they were
computed. Two ways to collect the results:

- :func:`run_tasks` yields each report's tables in corpus order, for
  :func:`dangjian_analysis.build.build`, which writes the usual CSV tables;
- :func:`write_shards` processes batches of reports and writes each batch's
  tables straight to Parquet (``<out>/<table>/part-00000.parquet`` …), so
  memory stays bounded by the batch size however large the corpus is.
"""
from __future__ import annotations

import os
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import pandas as pd
from tqdm.auto import tqdm

from .corpus import plan_corpus, read_report
from .metadata import Entry
from .progress import Progress

#: below this many reports per worker, starting processes costs more than it saves
REPORTS_PER_WORKER = 20


@dataclass(frozen=True)
class Task:
    """What a worker needs for one report: where it is, its metadata and its region's population."""

    path: Path
    entry: Entry
    population: float | None = None

    @property
    def report_id(self) -> str:
        return self.entry.report_id


def plan_tasks(folder: Path | str) -> tuple[Path, list[Task], pd.DataFrame]:
    """Validate the metadata of *folder*; one task per report (no report read yet) and the region table."""
    plan = plan_corpus(folder)
    regions = plan.regions
    population = {str(c): float(p) for c, p in zip(regions["division_code"], regions["population_2020"])
                  if pd.notna(p)}
    tasks = [Task(path, entry, population.get(str(entry.fields.get("division_code")))) for path, entry in plan.pairs]
    return plan.root, tasks, regions


def run_task(task: Task) -> dict[str, pd.DataFrame]:
    """Read, decode and process one report (the unit of work on every backend)."""
    from .build import process_report

    return process_report(read_report(task.path, task.entry), task.population)


def resolve_jobs(jobs: int | None, n_tasks: int) -> int:
    """Worker count: *jobs* if positive; else (auto) all cores, but one per 20 reports at most."""
    if jobs and jobs > 0:
        return max(1, min(jobs, n_tasks))
    return max(1, min(os.cpu_count() or 1, n_tasks // REPORTS_PER_WORKER))


def _bar(total: int, progress: bool | None | Progress, unit: str) -> tqdm:
    """A progress bar on stderr; ``progress=None`` shows it only on a terminal."""
    if isinstance(progress, Progress):
        return progress.bar(total, unit)
    return tqdm(total=total, disable=None if progress is None else not progress, unit=unit, leave=False)


def run_tasks(tasks: Sequence[Task], jobs: int | None = 1,
              progress: bool | None | Progress = False) -> Iterator[dict[str, pd.DataFrame]]:
    """Each task's tables, in task order, computed in *jobs* processes (0 or None: all cores)."""
    workers = resolve_jobs(jobs, len(tasks))
    with _bar(len(tasks), progress, "report") as bar:
        if workers == 1:
            for task in tasks:
                yield run_task(task)
                bar.update()
            return
        chunk = max(1, min(16, len(tasks) // (workers * 8)))
        with ProcessPoolExecutor(workers) as pool:
            for result in pool.map(run_task, tasks, chunksize=chunk):
                yield result
                bar.update()


# --- bounded memory: batches written straight to Parquet -------------------------------------

def batches(tasks: Sequence[Task], size: int) -> list[list[Task]]:
    """Consecutive batches of *size* tasks (the last may be shorter)."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    return [list(tasks[i:i + size]) for i in range(0, len(tasks), size)]


def part_name(index: int) -> str:
    """File name of batch *index* (zero-padded, so names sort in corpus order)."""
    return f"part-{index:05d}.parquet"


def run_batch(index: int, tasks: Sequence[Task], out: Path | str, regions: pd.DataFrame) -> dict[str, int]:
    """Process one batch and write each table to ``<out>/<table>/part-<index>.parquet``; return row counts."""
    from .build import assemble
    from .export import write_parquet_file
    from .tables import tidy

    tables = assemble(regions, [run_task(t) for t in tasks])
    counts = {}
    for name, df in sorted(tables.items()):
        folder = Path(out) / name
        folder.mkdir(parents=True, exist_ok=True)
        write_parquet_file(name, tidy(name, df), folder / part_name(index))
        counts[name] = len(df)
    return counts


def _sum(counts: list[dict[str, int]]) -> dict[str, int]:
    return dict(sum(map(Counter, counts), Counter()))


def write_shards(folder: Path | str, out: Path | str, jobs: int | None = None, batch_size: int = 100,
                 progress: bool | None = None, client: Any = None) -> dict[str, int]:
    """Process every report of *folder* in batches and write Parquet parts under *out*; return row counts.

    With *client* (a ``dask.distributed.Client``) the batches run on its
    cluster; otherwise on *jobs* local processes (0 or None: all cores).
    Each batch is written by the worker that made it and only row counts come
    back; on local processes at most two batches per worker are in flight, so
    memory does not grow with the corpus. Read a table back with ``pd.read_parquet(out / name)``
    or ``dask.dataframe.read_parquet``.
    """
    _, tasks, regions = plan_tasks(folder)
    out = Path(out)
    work = batches(tasks, batch_size)
    with _bar(len(tasks), progress, "report") as bar:
        if client is not None:
            return _sum(_on_dask(client, work, out, regions, bar))
        workers = resolve_jobs(jobs, len(tasks))
        if workers == 1:
            counts = []
            for i, batch in enumerate(work):
                counts.append(run_batch(i, batch, out, regions))
                bar.update(len(batch))
            return _sum(counts)
        return _sum(_on_pool(workers, work, out, regions, bar))


def _on_pool(workers: int, work: list[list[Task]], out: Path, regions: pd.DataFrame, bar: tqdm) -> list[dict[str, int]]:
    """Run batches on a process pool, keeping at most ``2 × workers`` in flight."""
    counts: list[dict[str, int]] = []
    pending: dict[Future, int] = {}
    todo = iter(enumerate(work))
    with ProcessPoolExecutor(workers) as pool:
        while True:
            while len(pending) < 2 * workers:
                nxt = next(todo, None)
                if nxt is None:
                    break
                pending[pool.submit(run_batch, nxt[0], nxt[1], out, regions)] = len(nxt[1])
            if not pending:
                return counts
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                counts.append(fut.result())
                bar.update(pending.pop(fut))


def _on_dask(client: Any, work: list[list[Task]], out: Path, regions: pd.DataFrame, bar: tqdm) -> list[dict[str, int]]:
    """Run batches on a Dask cluster; the workers must see *out* (a shared file system)."""
    from dask.distributed import as_completed

    shared = client.scatter(regions, broadcast=True)
    futures = client.map(run_batch, range(len(work)), work, out=str(out), regions=shared, pure=False)
    sizes = {f.key: len(b) for f, b in zip(futures, work)}
    counts = []
    for fut in as_completed(futures):
        counts.append(fut.result())
        bar.update(sizes[fut.key])
    return counts


def read_shards(out: Path | str, name: str) -> pd.DataFrame:
    """One table of a sharded build, all parts in order."""
    folder = Path(out) / name
    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        raise FileNotFoundError(f"{folder}: no Parquet parts; run `dangjian bulk` first")
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
