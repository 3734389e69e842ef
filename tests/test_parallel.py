"""Parallel and distributed runs give the same tables as one process, and errors keep their file."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dangjian_analysis.build import build
from dangjian_analysis.errors import CorpusError
from dangjian_analysis.parallel import batches, plan_tasks, read_shards, resolve_jobs, write_shards
from dangjian_analysis.synthetic import recombine
from dangjian_analysis.tables import SORT_KEYS

from conftest import RAW


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """Forty recombined reports, no metadata file."""
    folder = tmp_path_factory.mktemp("synthetic") / "raw"
    recombine(RAW, folder, 40, seed=7)
    return folder


@pytest.fixture(scope="module")
def serial_shards(synthetic, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("serial")
    write_shards(synthetic, out, jobs=1, batch_size=8, progress=False)
    return out


def test_resolve_jobs():
    assert resolve_jobs(3, 100) == 3
    assert resolve_jobs(8, 2) == 2  # never more workers than reports
    assert resolve_jobs(0, 5) == 1  # auto: a handful of reports stays in this process
    assert resolve_jobs(None, 10_000) >= 1


def test_batches_cover_every_task_once():
    _, tasks, _ = plan_tasks(RAW)
    parts = batches(tasks, 2)
    assert [len(b) for b in parts] == [2, 2, 1]
    assert [t.report_id for b in parts for t in b] == [t.report_id for t in tasks]
    with pytest.raises(ValueError):
        batches(tasks, 0)


def test_shards_hold_every_report_once(serial_shards, synthetic):
    reports = read_shards(serial_shards, "reports")
    assert sorted(reports["report_id"]) == sorted(p.stem for p in synthetic.glob("*.txt"))
    assert len(list((serial_shards / "mentions").glob("part-*.parquet"))) == 5  # 40 reports / 8
    mentions = read_shards(serial_shards, "mentions")
    texts = {p.stem: p.read_text(encoding="utf-8") for p in synthetic.glob("*.txt")}
    assert all(texts[r][s:e] == span for r, s, e, span in
               zip(mentions["report_id"], mentions["start"], mentions["end"], mentions["span"]))


def test_process_pool_gives_identical_parts(serial_shards, synthetic, tmp_path):
    counts = write_shards(synthetic, tmp_path, jobs=2, batch_size=8, progress=False)
    assert counts["reports"] == 40
    assert _files(tmp_path) == _files(serial_shards)


def test_dask_local_cluster_gives_identical_parts(serial_shards, synthetic, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        counts = write_shards(synthetic, tmp_path, batch_size=8, progress=False, client=client)
    assert counts["reports"] == 40
    assert _files(tmp_path) == _files(serial_shards)


def test_bulk_route_matches_the_standard_build(tmp_path, built):
    """Rule-coded rows that no hand code touches are the same whichever route built them."""
    write_shards(RAW, tmp_path, jobs=1, batch_size=2, progress=False)
    for name in ("mentions", "sections", "paragraphs"):
        keys = SORT_KEYS[name]  # each part is sorted; the parts follow the metadata order
        bulk = read_shards(tmp_path, name).sort_values(keys, kind="mergesort").reset_index(drop=True)
        standard = pd.read_parquet(built / f"{name}.parquet")
        pd.testing.assert_frame_equal(bulk, standard, check_dtype=False)


def test_build_with_workers_is_byte_identical(tmp_path, built):
    root = tmp_path / "project"
    shutil.copytree(RAW, root / "data" / "raw")
    shutil.copytree(RAW.parent / "overrides", root / "data" / "overrides")
    shutil.copytree(RAW.parent / "codes", root / "data" / "codes")
    out = root / "data" / "processed"
    build(root, out, jobs=2)
    for path in sorted(out.iterdir()):
        assert path.read_bytes() == (built / path.name).read_bytes(), f"{path.name} differs with 2 workers"


def test_error_in_a_worker_names_the_file(synthetic, tmp_path):
    folder = tmp_path / "raw"
    shutil.copytree(synthetic, folder)
    bad = sorted(folder.glob("*.txt"))[-1]
    bad.write_bytes(bad.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(CorpusError) as err:
        write_shards(folder, tmp_path / "out", jobs=2, batch_size=8, progress=False)
    assert bad.name in str(err.value) and "UTF-8" in str(err.value)


def test_bulk_command_writes_parts_and_reports_bad_input_in_one_line(synthetic, tmp_path, capsys):
    from dangjian_analysis.cli import main

    assert main(["bulk", str(synthetic), "--out", str(tmp_path / "out"), "--jobs", "1", "--batch-size", "16"]) == 0
    assert sorted(p.name for p in (tmp_path / "out" / "indicators").iterdir()) == [
        "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    assert "Parquet parts written" in capsys.readouterr().out
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["bulk", str(empty), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "no reports" in err and "Traceback" not in err
