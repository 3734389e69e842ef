"""The validation tables of a build: how reliable the hand codes are, and how well the automated coder does.

``reliability``: Krippendorff's α (bootstrap 95% interval) and Cohen's κ between
the two blind coders, per table and dimension, over every unit both coded.
``coder_choice``: per dimension, κ of the trained model and of the keyword
rules against the adjudicated codes on reports they never saw
(leave-one-report-out), and which coder the build uses. ``coder_scores`` and
``coder_confusion``: per-code precision, recall and F1 and the confusion
counts of both automated coders, per report and overall.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .autocoder import CHOICE_COLUMNS, CHOICE_FILE, HELDOUT_FILE, read_choice
from .handcoding import coder_files, read_codes, row_table
from .reliability import ALPHA_COLUMNS, CONFUSION_COLUMNS, SCORE_COLUMNS, pairwise, scores

#: bootstrap draws for α in a build (the interval's third decimal is stable at this size)
BUILD_DRAWS = 1000


def intercoder(codes_folder: Path, seed: int = 0, draws: int = BUILD_DRAWS) -> pd.DataFrame:
    """α and κ between the first two coders' files in *codes_folder*, per table and dimension."""
    files = coder_files(codes_folder)
    if len(files) < 2:
        return pd.DataFrame(columns=ALPHA_COLUMNS)
    (_, a_path), (_, b_path) = sorted(files.items())[:2]
    a, b = read_codes(a_path), read_codes(b_path)
    frames = []
    for table in ("sentences", "indicators"):
        sa, sb = a[a["row_id"].map(row_table) == table], b[b["row_id"].map(row_table) == table]
        if len(sa) and len(sb):
            frames.append(pairwise(sa, sb, table, seed=seed, draws=draws))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=ALPHA_COLUMNS)


def read_heldout(folder: Path) -> pd.DataFrame:
    path = folder / HELDOUT_FILE
    if not path.is_file():
        return pd.DataFrame(columns=["table", "dimension", "row_id", "report_id", "true", "model", "rule"])
    return pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)


def automated(training_folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per-code scores and confusion counts of the model and the rules on held-out reports."""
    held = read_heldout(training_folder)
    s_frames, c_frames = [], []
    for (table, dim), g in held.groupby(["table", "dimension"], sort=True):
        for coder in ("model", "rule"):
            s, c = scores(g["true"], g[coder], table, dim, coder, g["report_id"])
            s_frames.append(s)
            c_frames.append(c)
    s_df = pd.concat(s_frames, ignore_index=True) if s_frames else pd.DataFrame(columns=SCORE_COLUMNS)
    c_df = pd.concat(c_frames, ignore_index=True) if c_frames else pd.DataFrame(columns=CONFUSION_COLUMNS)
    return s_df, c_df


def validation_tables(codes_folder: Path, training_folder: Path) -> dict[str, pd.DataFrame]:
    """Every validation table of a build, ready to be written next to the other tables."""
    score_df, confusion_df = automated(training_folder)
    choice = read_choice(training_folder) if (training_folder / CHOICE_FILE).is_file() else pd.DataFrame(
        columns=CHOICE_COLUMNS)
    return {"reliability": intercoder(codes_folder), "coder_choice": choice, "coder_scores": score_df,
            "coder_confusion": confusion_df}
