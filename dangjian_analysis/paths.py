"""Every path the toolkit uses, in one place.

Notebooks and the CLI never hard-code a path: they ask here. The project root
is found from the current directory (a folder holding ``data/raw``) or the
``DANGJIAN_ROOT`` environment variable, so an installed package still finds a
researcher's own corpus.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_ROOT = "DANGJIAN_ROOT"


def project_root(start: Path | None = None) -> Path:
    """The folder that holds ``data/raw``: $DANGJIAN_ROOT, else the nearest parent of *start*."""
    env = os.environ.get(ENV_ROOT)
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    return here


def raw_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "raw"


def processed_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "processed"


def output_dir(root: Path | None = None) -> Path:
    """Generated figures and executed notebooks (not committed)."""
    return (root or project_root()) / "output"


def figures_dir(root: Path | None = None) -> Path:
    return output_dir(root) / "figures"
