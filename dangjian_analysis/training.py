"""``dangjian train``: training rows from adjudicated hand codes, the held-out evaluation and the coder choice.

The training rows hold what the model reads (texts, headings, clauses) next to
the adjudicated codes, so the model can be retrained anywhere without the
reports themselves. The evaluation is leave-one-report-out: every report is
coded by a model that never saw it, and the rules code it too; per dimension
the coder with the higher Cohen's κ against the adjudicated codes is chosen.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .autocoder import (CHOICE_COLUMNS, CHOICE_FILE, FIELDS, MODEL_DIMENSIONS, NONE, TRAINING_FILES,
                        indicator_fields, leave_one_report_out)
from .codebook import Codebook, load_codebook
from .handcoding import CODED_TABLES, codes_dir, hand_code_table, read_adjudicated
from .reliability import cohen_kappa

HELDOUT_FILE = "heldout_predictions.csv"
HELDOUT_COLUMNS = ["table", "dimension", "row_id", "report_id", "true", "model", "rule"]


def corpus_rows(folder: Path, codebook: Codebook | None = None) -> dict[str, pd.DataFrame]:
    """Rule-coded rows of every report in *folder* with the fields the model reads."""
    from .autocoder import sentence_fields
    from .coding import code_indicators, code_sentences
    from .corpus import load_corpus
    from .indicators import indicator_tables
    from .normalize import normalize
    from .segment import segment

    cb = codebook or load_codebook()
    sent_frames, ind_frames = [], []
    for report in load_corpus(folder).reports:
        norm = normalize(report.text)
        t = segment(norm, report.report_id)
        sentences = t["sentences"].drop(columns=["norm_start", "norm_end"])
        sentences = sentences[sentences["boilerplate"] == ""]
        headings = dict(zip(t["sections"]["section_id"], t["sections"]["heading"]))
        fields = sentence_fields(sentences, sentences["section_id"].map(headings).fillna(""))
        coded = code_sentences(sentences, cb)
        sent_frames.append(pd.concat([coded[["sentence_id", "report_id", "is_heading",
                                             *MODEL_DIMENSIONS["sentences"]]], fields], axis=1))
        ind = indicator_tables(norm, report.report_id, sentences)["indicators"]
        if len(ind):
            coded_i = code_indicators(ind, norm, cb)
            ind_frames.append(pd.concat([coded_i[["indicator_id", "report_id", *MODEL_DIMENSIONS["indicators"]]],
                                         indicator_fields(ind, norm)], axis=1))
    return {"sentences": pd.concat(sent_frames, ignore_index=True),
            "indicators": pd.concat(ind_frames, ignore_index=True) if ind_frames else pd.DataFrame()}


def training_rows(rows: dict[str, pd.DataFrame], adjudicated: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows that have adjudicated codes: the model's fields plus the hand codes (``none`` kept as a class)."""
    out = {}
    for table, df in rows.items():
        id_col, dims = CODED_TABLES[table]
        hand = hand_code_table(adjudicated, table)
        if not len(df) or not len(hand):
            out[table] = pd.DataFrame(columns=["row_id", "report_id", *FIELDS[table], *MODEL_DIMENSIONS[table]])
            continue
        for d in MODEL_DIMENSIONS[table]:
            hand[d] = hand[d].replace("", NONE) if d in hand else NONE
        merged = df[[id_col, "report_id", *FIELDS[table]]].merge(hand[[id_col, *MODEL_DIMENSIONS[table]]],
                                                                  on=id_col)
        out[table] = merged.rename(columns={id_col: "row_id"}).sort_values("row_id", kind="mergesort")
    return out


def evaluate(train: dict[str, pd.DataFrame], rule_rows: dict[str, pd.DataFrame],
             codebook: Codebook | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Held-out predictions of the model and the rules, and the coder chosen per dimension."""
    cb = codebook or load_codebook()
    held, choice = [], []
    for table, df in train.items():
        if not len(df):
            continue
        id_col = CODED_TABLES[table][0]
        rules = rule_rows[table].set_index(id_col)
        for dim in MODEL_DIMENSIONS[table]:
            rule_codes = rules[dim].replace("", NONE).to_dict()
            pred = leave_one_report_out(df, table, dim, rule_codes, cb)
            if not len(pred):
                continue
            pred.insert(0, "dimension", dim)
            pred.insert(0, "table", table)
            held.append(pred)
            k_model = cohen_kappa(pred["true"], pred["model"])["kappa"]
            k_rule = cohen_kappa(pred["true"], pred["rule"])["kappa"]
            coder = "model" if k_model >= (k_rule if k_rule == k_rule else -1) else "rule"
            choice.append(dict(table=table, dimension=dim, coder=coder, n_rows=len(pred),
                               n_reports=pred["report_id"].nunique(), kappa_model=round(k_model, 6),
                               kappa_rule=round(k_rule, 6), codebook_version=cb.version))
    held_df = pd.concat(held, ignore_index=True) if held else pd.DataFrame(columns=HELDOUT_COLUMNS)
    return held_df[HELDOUT_COLUMNS], pd.DataFrame(choice, columns=CHOICE_COLUMNS)


def train(corpora: list[Path] | None = None, root: Path | None = None, out: Path | None = None,
          codebook: Codebook | None = None) -> dict[str, pd.DataFrame]:
    """Write training rows, held-out predictions and the coder choice into ``data/codes`` (or *out*)."""
    from .tables import write_csv

    cb = codebook or load_codebook()
    root = root or paths.project_root()
    corpora = corpora or [paths.raw_dir(root)]
    adjudicated = read_adjudicated(codes_dir(root), cb)
    parts = [corpus_rows(Path(c), cb) for c in corpora]
    rows = {t: pd.concat([p[t] for p in parts if len(p[t])], ignore_index=True) for t in CODED_TABLES}
    train_sets = training_rows(rows, adjudicated)
    held, choice = evaluate(train_sets, rows, cb)
    out = out or codes_dir(root)
    for table, df in train_sets.items():
        write_csv(df, out / TRAINING_FILES[table])
    write_csv(held, out / HELDOUT_FILE)
    write_csv(choice, out / CHOICE_FILE)
    return {"heldout": held, "choice": choice, **train_sets}
