"""Execute the project's notebooks headless on fresh kernels (nbclient).

Used by ``dangjian build --all`` (executed copies go to ``output/notebooks``)
and by the test suite, so both run the notebooks the same way: in order, each
on a new kernel, with the notebook's own folder as working directory.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

import nbformat
from nbclient import NotebookClient

from . import paths


def notebook_paths(root: Path | None = None) -> list[Path]:
    """The numbered notebooks of ``notebooks/``, in order."""
    return sorted((root or paths.project_root()).joinpath("notebooks").glob("[0-9][0-9]_*.ipynb"))


def execute_notebook(path: Path, out_dir: Path | None = None, timeout: int = 600) -> nbformat.NotebookNode:
    """Run *path* top to bottom on a fresh kernel; write the executed copy to *out_dir* if given.

    A failing cell raises nbclient's CellExecutionError; the copy in *out_dir*
    then holds the outputs up to and including the error, to read in JupyterLab.
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        with tempfile.TemporaryDirectory(prefix="dangjian-kernel-") as sockets:
            if os.name == "posix":  # local sockets: no network port, no "running over TCP" warning on stderr
                client.km = client.create_kernel_manager()
                client.km.transport, client.km.ip = "ipc", os.path.join(sockets, "kernel")
            client.execute()
    finally:
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, out_dir / path.name)
    return nb


def execute_all(root: Path | None = None, out_dir: Path | None = None,
                each: Callable[[Path], None] | None = None) -> list[Path]:
    """Execute every notebook in order; return the executed copies' paths (*each* is called after each one)."""
    out_dir = out_dir or paths.output_dir(root) / "notebooks"
    done = []
    for nb_path in notebook_paths(root):
        execute_notebook(nb_path, out_dir)
        done.append(out_dir / nb_path.name)
        if each is not None:
            each(done[-1])
    return done
