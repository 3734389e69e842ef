"""Hand codes that win over rules, and how well rules agree with them.

A researcher corrects any code in ``data/overrides/codes.csv`` (columns
``row_id, dimension, code, coder, note``) or the same columns in a sheet of
``data/overrides/codes.xlsx``. Rows are keyed by stable ids
made of raw start offsets (``<report>:s<start>`` sentences,
``<report>:i<start>`` indicators, ``<report>:g<start>`` strategies), so a
correction stays on its row when rules change and survives every rebuild
while the text does not change. The build applies them, marks those rows
``coded_by = hand``, lists every override it could not apply (unknown id,
unknown code, ...) instead of dropping it silently, and compares the rule
codes with the hand codes: Cohen's kappa per dimension (statsmodels) and a
confusion table.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from .codebook import NO_CODE, Codebook, load_codebook
from .errors import CorpusError

OVERRIDE_COLUMNS = ["row_id", "dimension", "code", "coder", "note"]
#: which id column identifies a row in each coded table (first present wins)
ID_COLUMNS = {"sentences": ("sentence_id",), "indicators": ("indicator_id", "mention_id"),
              "strategies": ("strategy_id",)}
PROBLEM_COLUMNS = ["source", "row_id", "dimension", "code", "problem", "detail"]
AGREEMENT_COLUMNS = ["dimension", "n", "n_agree", "percent_agree", "kappa", "kappa_se", "kappa_low", "kappa_high",
                     "n_categories", "note"]
CONFUSION_COLUMNS = ["dimension", "rule_code", "hand_code", "n"]
PAIR_COLUMNS = ["table", "row_id", "dimension", "rule_code", "hand_code", "coder"]


def overrides_dir(root: Path | None = None) -> Path:
    return (root or paths.project_root()) / "data" / "overrides"


def _clean(df: pd.DataFrame, source: Path) -> pd.DataFrame:
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in OVERRIDE_COLUMNS[:3] if c not in df.columns]
    if missing:
        raise CorpusError(source, f"override file needs columns {', '.join(OVERRIDE_COLUMNS)}; "
                                  f"missing {', '.join(missing)}")
    for c in OVERRIDE_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[OVERRIDE_COLUMNS].fillna("").astype(str).apply(lambda s: s.str.strip())
    df["source"] = [f"{source.name}:{i + 2}" for i in range(len(df))]  # line / Excel row (header is 1)
    return df[(df["row_id"] != "") | (df["dimension"] != "") | (df["code"] != "")]


def read_overrides(folder: Path | None = None) -> pd.DataFrame:
    """Every override row from ``codes.csv`` and, if present, ``codes.xlsx`` (CSV rows first).

    A ``source`` column says where each row came from (``codes.csv:7``) so
    problems can point back to it. An absent folder means no overrides.
    """
    folder = folder or overrides_dir()
    frames = []
    csv = folder / "codes.csv"
    if csv.is_file():
        frames.append(_clean(pd.read_csv(csv, dtype=str, encoding="utf-8-sig", keep_default_na=False,
                                         comment=None), csv))
    xlsx = folder / "codes.xlsx"
    if xlsx.is_file():
        sheets = pd.read_excel(xlsx, sheet_name=None, dtype=str, engine="openpyxl")
        name = "codes" if "codes" in sheets else next(iter(sheets))
        frames.append(_clean(sheets[name], xlsx))
    if not frames:
        return pd.DataFrame(columns=[*OVERRIDE_COLUMNS, "source"])
    return pd.concat(frames, ignore_index=True)


def write_override_workbook(csv_path: Path | None = None, xlsx_path: Path | None = None) -> Path:
    """Copy the override CSV into an Excel sheet named ``codes`` for researchers who prefer Excel."""
    folder = overrides_dir()
    csv_path = csv_path or folder / "codes.csv"
    xlsx_path = xlsx_path or csv_path.with_suffix(".xlsx")
    df = pd.read_csv(csv_path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    with pd.ExcelWriter(xlsx_path, engine="openpyxl") as writer:
        df.to_excel(writer, sheet_name="codes", index=False)
    return xlsx_path


def _id_column(table: str, df: pd.DataFrame) -> str | None:
    return next((c for c in ID_COLUMNS.get(table, ()) if c in df.columns), None)


def apply_overrides(tables: dict[str, pd.DataFrame], overrides: pd.DataFrame,
                    codebook: Codebook | None = None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, pd.DataFrame]:
    """Apply hand codes to the coded tables.

    Returns the updated tables (copies), the problems (one row per override
    that could not be applied, or that conflicts with an earlier one) and the
    pairs of rule and hand codes used for :func:`agreement`.
    """
    cb = codebook or load_codebook()
    tables = {name: df.copy() for name, df in tables.items()}
    where: dict[str, tuple[str, int]] = {}
    for table in ID_COLUMNS:
        df = tables.get(table)
        if df is None:
            continue
        col = _id_column(table, df)
        if col is None:
            continue
        for pos, rid in enumerate(df[col].astype(str)):
            where[rid] = (table, pos)
    problems, pairs = [], []
    seen: dict[tuple[str, str], str] = {}

    def problem(o, kind: str, detail: str) -> None:
        problems.append(dict(source=o.source, row_id=o.row_id, dimension=o.dimension, code=o.code, problem=kind,
                             detail=detail))

    for o in overrides.itertuples(index=False):
        if o.dimension not in cb.dimensions:
            problem(o, "unknown_dimension", f"dimensions are {', '.join(cb.dimensions)}")
            continue
        dim = cb.dimensions[o.dimension]
        if o.code != NO_CODE and o.code not in dim.code_ids:
            problem(o, "unknown_code", f"codes of {dim.id} are {', '.join(dim.code_ids)} (or {NO_CODE})")
            continue
        if o.row_id not in where:
            problem(o, "unknown_row_id", "no sentence, indicator or strategy has this id in this build "
                                         "(the text changed, or the id is mistyped)")
            continue
        key = (o.row_id, o.dimension)
        if key in seen:
            if seen[key] != o.code:
                problem(o, "conflict", f"an earlier override gives {seen[key]!r}; the earlier one is kept")
            continue
        table, pos = where[o.row_id]
        df = tables[table]
        if table not in dim.applies_to or dim.id not in df.columns:
            problem(o, "dimension_not_applicable", f"{dim.id} is not coded in {table}")
            continue
        seen[key] = o.code
        col = df.columns.get_loc(dim.id)
        rule_code = df.iat[pos, col] if df[f"{dim.id}_coded_by"].iat[pos] == "rule" else ""
        df.iat[pos, col] = "" if o.code == NO_CODE else o.code
        df.iat[pos, df.columns.get_loc(f"{dim.id}_coded_by")] = "hand"
        pairs.append(dict(table=table, row_id=o.row_id, dimension=dim.id, rule_code=rule_code or NO_CODE,
                          hand_code=o.code, coder=o.coder))
    problems_df = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    problems_df = problems_df.sort_values(["source", "row_id", "dimension"], kind="mergesort").reset_index(drop=True)
    pairs_df = pd.DataFrame(pairs, columns=PAIR_COLUMNS)
    return tables, problems_df, pairs_df


def kappa(table: np.ndarray) -> dict[str, float]:
    """Cohen's kappa of a square rule × hand contingency table (statsmodels), NaN where undefined."""
    from statsmodels.stats.inter_rater import cohens_kappa

    table = np.asarray(table, dtype=float)
    n = table.sum()
    expected = float((table.sum(0) * table.sum(1)).sum() / n ** 2) if n else 1.0
    if n == 0 or np.isclose(expected, 1.0):
        return dict(kappa=np.nan, kappa_se=np.nan, kappa_low=np.nan, kappa_high=np.nan)
    res = cohens_kappa(table)
    return dict(kappa=float(res.kappa), kappa_se=float(res.std_kappa), kappa_low=float(res.kappa_low),
                kappa_high=float(res.kappa_upp))


def agreement(pairs: pd.DataFrame, codebook: Codebook | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rule versus hand coding, per dimension: kappa table and long confusion table.

    Only rows coded both ways count. "No code" is a category of its own
    (``none``), so a rule that misses a sentence a researcher coded counts
    as a disagreement.
    """
    cb = codebook or load_codebook()
    rows, confusion = [], []
    for dim in cb.dimensions.values():
        sub = pairs[pairs["dimension"] == dim.id] if len(pairs) else pairs
        if not len(sub):
            rows.append(dict(dimension=dim.id, n=0, n_agree=0, percent_agree=np.nan, kappa=np.nan, kappa_se=np.nan,
                             kappa_low=np.nan, kappa_high=np.nan, n_categories=0, note="no hand codes"))
            continue
        cats = [c for c in (*dim.code_ids, NO_CODE) if c in set(sub["rule_code"]) | set(sub["hand_code"])]
        index = {c: i for i, c in enumerate(cats)}
        table = np.zeros((len(cats), len(cats)))
        for r, h in zip(sub["rule_code"], sub["hand_code"]):
            table[index[r], index[h]] += 1
        k = kappa(table)
        n, agree = int(table.sum()), int(np.trace(table))
        note = "" if not np.isnan(k["kappa"]) else "kappa undefined: one category only"
        if n < 30 and not note:
            note = "fewer than 30 hand codes: read kappa as indicative"
        rows.append(dict(dimension=dim.id, n=n, n_agree=agree, percent_agree=round(100 * agree / n, 6), **k,
                         n_categories=len(cats), note=note))
        for r in cats:
            for h in cats:
                if table[index[r], index[h]]:
                    confusion.append(dict(dimension=dim.id, rule_code=r, hand_code=h,
                                          n=int(table[index[r], index[h]])))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS), pd.DataFrame(confusion, columns=CONFUSION_COLUMNS)


def apply_hand_codes(tables: dict[str, pd.DataFrame], folder: Path | None = None,
                     codebook: Codebook | None = None, codes_folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """The build's coding finish: researchers' overrides, then adjudicated hand codes, win over automated codes.

    Override rows (``data/overrides``) come first, so a researcher's explicit
    correction wins over the adjudicated code of the same row (the conflict is
    listed). Returns the updated coded tables plus ``override_problems``,
    ``agreement`` and ``confusion`` (automated codes against hand codes).
    """
    from .handcoding import adjudicated_overrides, apply_multi_label, read_adjudicated

    cb = codebook or load_codebook()
    coded = {name: df for name, df in tables.items() if name in ID_COLUMNS}
    adjudicated = read_adjudicated(codes_folder, cb)
    # codes of reports outside this corpus are training material for the model, not problems of this build
    present = set().union(*(df["report_id"].astype(str) for name, df in coded.items() if "report_id" in df))
    adjudicated = adjudicated[adjudicated["row_id"].str.rsplit(":", n=1).str[0].isin(present)]
    hand = pd.concat([read_overrides(folder), adjudicated_overrides(adjudicated, codes_folder)], ignore_index=True)
    updated, problems, pairs = apply_overrides(coded, hand, cb)
    updated = apply_multi_label(updated, adjudicated, cb)
    from .coding import check_codes

    for name, df in updated.items():
        check_codes(df, name, cb)
    table, confusion = agreement(pairs, cb)
    return {**updated, "override_problems": problems, "agreement": table, "confusion": confusion}


def override_inputs(folder: Path | None = None) -> dict[str, str]:
    """sha256 of each override file present, for the build's record of its inputs."""
    import hashlib

    folder = folder or overrides_dir()
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in (folder / "codes.csv", folder / "codes.xlsx") if p.is_file()}


def coding_sheet(df: pd.DataFrame, table: str, n: int, seed: int, dimensions: tuple[str, ...] = ("theme",),
                 text_col: str = "text") -> pd.DataFrame:
    """A blank sheet for blind hand coding: *n* rows drawn at random (fixed *seed*), one line per dimension.

    Rules' codes are left out on purpose, so the coder is not anchored by
    them; fill ``code`` and ``coder``, then append the rows to codes.csv.
    Boilerplate rows are never drawn.
    """
    col = _id_column(table, df)
    if col is None:
        raise ValueError(f"table {table!r} has no id column ({', '.join(ID_COLUMNS.get(table, ()))})")
    pool = df[df["boilerplate"].astype(str).eq("")] if "boilerplate" in df.columns else df
    drawn = pool.sample(min(n, len(pool)), random_state=seed).sort_values(col)
    rows = [dict(row_id=rid, dimension=dim, code="", coder="", note="", text=text)
            for rid, text in zip(drawn[col], drawn[text_col] if text_col in drawn else [""] * len(drawn))
            for dim in dimensions]
    return pd.DataFrame(rows, columns=[*OVERRIDE_COLUMNS, "text"])

