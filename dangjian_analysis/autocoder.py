"""The automated coder: a linear model trained on adjudicated hand codes, for reports nobody coded by hand.

Keyword rules agree poorly with human coders on stage and instrument, because
the same verb serves many stages. The model reads what a coder reads: the
characters of the row itself (character 1–3-grams, which need no word
segmentation and work for any script once text is Simplified), the heading of
its section (reports group their work under thematic headings), and the
codebook's keyword hits as features, so a researcher's codebook edits still
count. A multinomial logistic regression (scikit-learn) is deterministic: the
same training rows give the same model, so it is trained when first needed
from the training file shipped with the package (or the project's own, after
``dangjian train``) instead of being stored as a pickle.

Whether a dimension is coded by the model or by the rules is decided by a
leave-one-report-out evaluation (:func:`leave_one_report_out`): the coder
with the higher κ against the adjudicated codes on reports it never saw wins.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook, Dimension, load_codebook
from .coding import hits, primary, simplified

#: dimensions the model can code, per table, and the text fields it reads
MODEL_DIMENSIONS = {
    "sentences": ("theme", "stage", "instrument", "claim"),
    "indicators": ("theme", "stage", "instrument", "subject_type"),
}
FIELDS = {"sentences": ("text", "heading"), "indicators": ("clause", "sentence", "subject")}
NONE = "none"
#: inverse regularization strength of the logistic regression (chosen by leave-one-report-out on the seeds)
C = 4.0


class KeywordHits:
    """Counts of the codebook's keyword hits per code, plus the rule's primary code, as features."""

    def __init__(self, dim: Dimension):
        self.dim = dim

    def fit(self, x, y=None):
        return self

    def transform(self, x) -> np.ndarray:
        codes = self.dim.code_ids
        out = np.zeros((len(x), 2 * len(codes)))
        for i, text in enumerate(x):
            found = hits(simplified(str(text)), self.dim)
            for h in found:
                if h.code:
                    out[i, codes.index(h.code)] += 1.0
            p = primary(found, self.dim)
            if p:
                out[i, len(codes) + codes.index(p)] = 1.0
        return np.log1p(out)

    def get_params(self, deep: bool = True) -> dict:
        return {"dim": self.dim}

    def set_params(self, **params):
        self.dim = params.get("dim", self.dim)
        return self


def pipeline(table: str, dim: Dimension):
    """The scikit-learn pipeline for one dimension of one table (unfitted)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    fields = FIELDS[table]
    parts = [(f"chars_{fields[0]}", TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True),
              fields[0]),
             (f"hits_{fields[0]}", KeywordHits(dim), fields[0])]
    for f in fields[1:]:
        parts.append((f"chars_{f}", TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True), f))
    return Pipeline([("features", ColumnTransformer(parts)),
                     ("model", LogisticRegression(C=C, max_iter=5000, class_weight="balanced"))])


def _inputs(df: pd.DataFrame, table: str) -> pd.DataFrame:
    return pd.DataFrame({f: [simplified(str(v)) for v in df[f].fillna("")] if f in df else [""] * len(df)
                         for f in FIELDS[table]}, index=df.index)


def fit(train: pd.DataFrame, table: str, dim_id: str, codebook: Codebook | None = None):
    """A fitted pipeline for *dim_id* from training rows (fields of the table plus the code column)."""
    cb = codebook or load_codebook()
    rows = train[train[dim_id].fillna("").astype(str) != ""]
    labels = rows[dim_id].astype(str)
    model = pipeline(table, cb.dimension(dim_id))
    if labels.nunique() < 2:
        raise ValueError(f"training rows for {table}.{dim_id} hold fewer than two codes")
    return model.fit(_inputs(rows, table), labels)


def predict(model, df: pd.DataFrame, table: str) -> tuple[list[str], np.ndarray]:
    """Codes (``none`` becomes '') and the probability of each chosen code."""
    if not len(df):
        return [], np.zeros(0)
    x = _inputs(df, table)
    proba = model.predict_proba(x)
    best = proba.argmax(axis=1)
    classes = model.classes_
    codes = ["" if classes[k] == NONE else str(classes[k]) for k in best]
    return codes, proba[np.arange(len(best)), best]


def leave_one_report_out(train: pd.DataFrame, table: str, dim_id: str, rule_codes: pd.Series,
                         codebook: Codebook | None = None) -> pd.DataFrame:
    """Held-out predictions: for each report, a model trained on all other reports codes it.

    The held-out report's rows never enter training (tested). Returns
    ``row_id, report_id, true, model, rule`` for every training row coded on
    *dim_id*.
    """
    cb = codebook or load_codebook()
    rows = train[train[dim_id].fillna("").astype(str) != ""]
    out = []
    for rid in sorted(rows["report_id"].unique()):
        held = rows[rows["report_id"] == rid]
        rest = rows[rows["report_id"] != rid]
        if rest[dim_id].nunique() < 2:
            continue
        model = fit(rest, table, dim_id, cb)
        pred, _ = predict(model, held, table)
        out.append(pd.DataFrame({"row_id": held["row_id"].to_numpy(), "report_id": rid,
                                 "true": held[dim_id].astype(str).to_numpy(),
                                 "model": [p or NONE for p in pred],
                                 "rule": [(rule_codes.get(r) or NONE) for r in held["row_id"]]}))
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["row_id", "report_id", "true", "model", "rule"])


def training_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the trained coder in use -------------------------------------------------

TRAINING_FILES = {"sentences": "training_sentences.csv", "indicators": "training_indicators.csv"}
CHOICE_FILE = "model_choice.csv"
CHOICE_COLUMNS = ["table", "dimension", "coder", "n_rows", "n_reports", "kappa_model", "kappa_rule",
                  "codebook_version"]


def package_training_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files(__package__) / "data" / "training"))


def training_dir(root: Path | None = None) -> Path:
    """The project's ``data/codes`` when it holds training files (after ``dangjian train``), else the package's."""
    from .handcoding import codes_dir

    local = codes_dir(root)
    return local if (local / TRAINING_FILES["sentences"]).is_file() else package_training_dir()


def read_choice(folder: Path) -> pd.DataFrame:
    path = folder / CHOICE_FILE
    if not path.is_file():
        return pd.DataFrame(columns=CHOICE_COLUMNS)
    return pd.read_csv(path, dtype={"table": str, "dimension": str, "coder": str}, encoding="utf-8-sig",
                       keep_default_na=False)


def model_dimensions(table: str, folder: Path) -> tuple[str, ...]:
    """Dimensions of *table* whose held-out evaluation chose the model over the rules."""
    choice = read_choice(folder)
    sub = choice[(choice["table"] == table) & (choice["coder"] == "model")]
    return tuple(d for d in MODEL_DIMENSIONS[table] if d in set(sub["dimension"]))


@lru_cache(maxsize=4)
def _trained(table: str, folder_str: str, training_sha: str, codebook_path: str, codebook_sha: str) -> dict:
    cb = load_codebook(codebook_path)
    folder = Path(folder_str)
    train = pd.read_csv(folder / TRAINING_FILES[table], dtype=str, encoding="utf-8-sig", keep_default_na=False)
    return {d: fit(train, table, d, cb) for d in model_dimensions(table, folder)}


def trained_models(table: str, folder: Path | None = None, codebook: Codebook | None = None) -> dict:
    """Fitted models for the dimensions the model codes, trained once per process and training file."""
    cb = codebook or load_codebook()
    folder = folder or training_dir()
    path = folder / TRAINING_FILES[table]
    if not path.is_file():
        return {}
    return _trained(table, str(folder), training_hash(path), str(cb.path), cb.sha256)


def apply_models(df: pd.DataFrame, table: str, fields: pd.DataFrame, codebook: Codebook | None = None,
                 folder: Path | None = None, skip: pd.Series | None = None) -> pd.DataFrame:
    """Replace rule codes by model codes on the dimensions the model won; ``<dim>_coded_by`` = model."""
    models = trained_models(table, folder, codebook)
    if not models or not len(df):
        return df
    out = df.copy()
    keep = np.ones(len(df), dtype=bool) if skip is None else ~skip.to_numpy(dtype=bool)
    for dim, model in models.items():
        codes, _ = predict(model, fields[keep], table)
        col = out[dim].astype(object).to_numpy().copy() if dim in out else np.array([""] * len(out), dtype=object)
        by = np.array([""] * len(out), dtype=object)
        col[keep] = codes
        by[keep] = "model"
        out[dim] = col
        out[f"{dim}_coded_by"] = by
    return out


def sentence_fields(sentences: pd.DataFrame, headings: pd.Series | None = None) -> pd.DataFrame:
    """What the model reads of a sentence: its text and its section's heading."""
    heading = headings if headings is not None else sentences.get("heading", pd.Series("", index=sentences.index))
    return pd.DataFrame({"text": sentences["text"].fillna("").astype(str).to_numpy(),
                         "heading": pd.Series(heading).fillna("").astype(str).to_numpy()}, index=sentences.index)


def indicator_fields(indicators: pd.DataFrame, norm) -> pd.DataFrame:
    """What the model reads of an indicator: its clause, its sentence and its subject."""
    from .coding import CLAUSE_END, SENTENCE_END, context

    clauses = [context(norm, int(s), int(e), CLAUSE_END)[0] for s, e in zip(indicators["start"], indicators["end"])]
    sentences = [context(norm, int(s), int(e), SENTENCE_END)[0]
                 for s, e in zip(indicators["start"], indicators["end"])]
    return pd.DataFrame({"clause": clauses, "sentence": sentences,
                         "subject": indicators.get("subject", pd.Series("", index=indicators.index)).fillna("")
                         .astype(str).to_numpy()}, index=indicators.index)


def code_sentences(sentences: pd.DataFrame, codebook: Codebook | None = None,
                   headings: pd.Series | None = None) -> pd.DataFrame:
    """Sentences coded by the best coder per dimension (model or rules); works on any frame with ``text``.

    ``dj.code_sentences``. *headings* (or a ``heading`` column) gives each
    sentence's section heading, which the model reads; boilerplate stays uncoded.
    """
    from .coding import code_sentences as rule_code

    coded = rule_code(sentences, codebook)
    skip = sentences["boilerplate"].astype(str).ne("") if "boilerplate" in sentences else None
    return apply_models(coded, "sentences", sentence_fields(sentences, headings), codebook, skip=skip)


def code_indicators(indicators: pd.DataFrame, norm, codebook: Codebook | None = None) -> pd.DataFrame:
    """Indicators of one report coded by the best coder per dimension (model or rules)."""
    from .coding import code_indicators as rule_code

    coded = rule_code(indicators, norm, codebook)
    if not len(indicators):
        return coded
    return apply_models(coded, "indicators", indicator_fields(indicators, norm), codebook)
