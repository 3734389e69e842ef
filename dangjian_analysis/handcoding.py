"""Blind hand coding: the coders' guide, coding sheets, and the coders' files read back.

Hand codes are made by people (or independent coders) who see the codebook's
definitions and the texts, never the rule or model codes and never another
coder's work. Each coder's codes live in a long CSV keyed by stable row ids
(``row_id, dimension, code, coder, note``); the adjudicated codes add the two
coders' codes and a ``reason`` for every decision where they disagreed.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .codebook import NO_CODE, Codebook, load_codebook
from .errors import CorpusError

CODE_COLUMNS = ["row_id", "dimension", "code", "coder", "note"]
ADJUDICATED_COLUMNS = ["row_id", "dimension", "code", "coder_a", "coder_b", "reason"]
#: the hand-coded tables, the id column of each and the dimensions a coder codes in it
CODED_TABLES = {
    "sentences": ("sentence_id", ("theme", "themes", "stage", "instrument", "claim")),
    "indicators": ("indicator_id", ("theme", "stage", "instrument", "subject_type")),
}
#: multi-label columns: a '|'-joined set of codes of the dimension named
MULTI = {"themes": "theme"}

HEADING_RULE = (
    "Every sentence that is not web boilerplate is coded, headings included: a heading is the report's own "
    "framing of the work under it and is coded like a sentence (its claim type is usually principle_slogan). "
    "Headings are marked (`is_heading`), so every analysis can drop them; notebooks show that sensitivity check."
)


ROW_KIND = {"s": "sentences", "i": "indicators", "g": "strategies", "m": "mentions"}


def row_table(row_id: str) -> str:
    """The table a stable row id belongs to (``<report>:s<start>`` → sentences); '' if not a row id."""
    tail = str(row_id).rsplit(":", 1)[-1]
    return ROW_KIND.get(tail[:1], "") if tail[1:].isdigit() else ""


def codes_dir(root: Path | None = None) -> Path:
    """``data/codes`` of the project: coders' files and the adjudicated codes."""
    return (root or paths.project_root()) / "data" / "codes"


def coder_guide(codebook: Codebook | None = None, dimensions: tuple[str, ...] | None = None) -> str:
    """The codebook as coders read it (Markdown): definitions, decision rules, include/exclude and examples.

    Keyword lists and the rules' notes are left out on purpose: they are how the
    rules decide, and a coder who reads them codes like the rules instead of
    like a reader.
    """
    cb = codebook or load_codebook()
    lines = [f"# {cb.title_en} ({cb.title_zh}), version {cb.version}: guide for coders", "",
             "Code each row from its text (and the context given) using only these definitions. "
             f"Write `{NO_CODE}` when no code of a dimension applies.", "", "## Which rows", "", HEADING_RULE, ""]
    for dim in cb.dimensions.values():
        if dimensions and dim.id not in dimensions:
            continue
        lines += [f"## {dim.id}: {dim.label_en} ({dim.label_zh})", "", dim.definition_en, "",
                  f"Coded in: {', '.join(dim.applies_to)}.", ""]
        if dim.decision:
            lines += ["How to decide: " + dim.decision.strip(), ""]
        for c in dim.codes:
            lines += [f"### `{c.id}`: {c.label_en} ({c.label_zh})", "", f"{c.definition_en} ({c.definition_zh})", ""]
            if c.include:
                lines.append("- includes: " + "; ".join(c.include))
            if c.exclude:
                lines.append("- excludes: " + "; ".join(c.exclude))
            if c.examples:
                lines.append("- examples: " + " / ".join(c.examples))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def read_codes(path: Path, codebook: Codebook | None = None) -> pd.DataFrame:
    """One coder's long file (CSV or Excel), checked: known dimensions and codes, one code per row and dimension.

    Raises :class:`CorpusError` naming the file and line of the first problems,
    so a typo in a code is never taken for a disagreement.
    """
    cb = codebook or load_codebook()
    path = Path(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        df = pd.read_excel(path, sheet_name=0, dtype=str, engine="openpyxl").fillna("")
    else:
        df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    df.columns = [str(c).strip().lower() for c in df.columns]
    missing = [c for c in CODE_COLUMNS[:3] if c not in df.columns]
    if missing:
        raise CorpusError(path, f"a coder's file needs columns {', '.join(CODE_COLUMNS)}; missing {', '.join(missing)}")
    for c in CODE_COLUMNS:
        if c not in df.columns:
            df[c] = ""
    df = df[CODE_COLUMNS].astype(str).apply(lambda s: s.str.strip())
    df["line"] = range(2, len(df) + 2)
    df = df[(df["row_id"] != "") & (df["code"] != "")]
    problems = []
    for r in df.itertuples(index=False):
        dim_id = MULTI.get(r.dimension, r.dimension)
        if dim_id not in cb.dimensions:
            problems.append(f"line {r.line}: unknown dimension {r.dimension!r}")
            continue
        allowed = set(cb.dimensions[dim_id].code_ids) | {NO_CODE}
        bad = [c for c in r.code.split("|") if c not in allowed]
        if bad or (r.dimension not in MULTI and "|" in r.code):
            problems.append(f"line {r.line}: {r.code!r} is not a code of {dim_id}")
    dup = df[df.duplicated(["row_id", "dimension"], keep=False)]
    if len(dup):
        problems.append(f"line {int(dup['line'].iloc[0])}: {dup['row_id'].iloc[0]} coded twice on "
                        f"{dup['dimension'].iloc[0]}")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise CorpusError(path, "; ".join(problems[:3]) + more)
    return df.drop(columns="line").reset_index(drop=True)


def coder_files(folder: Path | None = None) -> dict[str, Path]:
    """The coders' files in ``data/codes`` (``coder_<name>.csv``), keyed by coder name."""
    folder = folder or codes_dir()
    return {p.stem.removeprefix("coder_"): p for p in sorted(folder.glob("coder_*.csv"))}


def read_adjudicated(folder: Path | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """The adjudicated codes (``data/codes/adjudicated.csv``), checked like a coder's file; empty if absent."""
    path = (folder or codes_dir()) / "adjudicated.csv"
    if not path.is_file():
        return pd.DataFrame(columns=ADJUDICATED_COLUMNS)
    df = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    missing = [c for c in ADJUDICATED_COLUMNS if c not in df.columns]
    if missing:
        raise CorpusError(path, f"needs columns {', '.join(ADJUDICATED_COLUMNS)}; missing {', '.join(missing)}")
    read_codes(path, codebook)  # same checks of dimensions and codes as a coder's file
    canon = lambda col: df[col].map(lambda c: "|".join(sorted(c.split("|"))))  # noqa: E731
    no_reason = df[(canon("coder_a") != canon("coder_b")) & (df["reason"].str.strip() == "")]
    if len(no_reason):
        line = int(no_reason.index[0]) + 2
        raise CorpusError(path, "a disagreement between the coders needs a reason for the decision", line)
    return df[ADJUDICATED_COLUMNS]


def disagreements(codes_a: pd.DataFrame, codes_b: pd.DataFrame) -> pd.DataFrame:
    """Rows and dimensions the two coders coded differently (sets compared for multi-label ones)."""
    m = codes_a.merge(codes_b, on=["row_id", "dimension"], how="outer", suffixes=("_a", "_b")).fillna("")
    canon = lambda s: s.map(lambda c: "|".join(sorted(c.split("|"))) if c else "")  # noqa: E731
    m = m[canon(m["code_a"]) != canon(m["code_b"])]
    return m[["row_id", "dimension", "code_a", "code_b", "note_a", "note_b"]].reset_index(drop=True)


def hand_code_table(adjudicated: pd.DataFrame, table: str) -> pd.DataFrame:
    """Wide adjudicated codes of one table: one row per id, one column per dimension ('' for none)."""
    id_col, dims = CODED_TABLES[table]
    sub = adjudicated[adjudicated["row_id"].map(row_table) == table]
    wide = sub.pivot_table(index="row_id", columns="dimension", values="code", aggfunc="first").reindex(
        columns=list(dims)).astype(object).fillna("")
    wide = wide.replace({NO_CODE: ""}).rename_axis(id_col).reset_index()
    wide.columns.name = None
    return wide


def adjudicated_overrides(adjudicated: pd.DataFrame, folder: Path | None = None) -> pd.DataFrame:
    """Adjudicated single-label codes in the override format, so the build applies them the same way."""
    single = adjudicated[~adjudicated["dimension"].isin(MULTI)]
    name = ((folder or codes_dir()) / "adjudicated.csv").name
    return pd.DataFrame({"row_id": single["row_id"].to_numpy(), "dimension": single["dimension"].to_numpy(),
                         "code": single["code"].to_numpy(), "coder": "adjudicated",
                         "note": single["reason"].to_numpy(),
                         "source": [f"{name}:{i + 2}" for i in single.index]})


def apply_multi_label(tables: dict[str, pd.DataFrame], adjudicated: pd.DataFrame,
                      codebook: Codebook | None = None) -> dict[str, pd.DataFrame]:
    """Set multi-label columns (``themes``) from adjudicated codes on the rows that have them (codebook order)."""
    cb = codebook or load_codebook()
    out = dict(tables)
    for column, dim in MULTI.items():
        sub = adjudicated[adjudicated["dimension"] == column]
        if not len(sub):
            continue
        order = {c: i for i, c in enumerate(cb.dimension(dim).code_ids)}
        codes = {r: "|".join(sorted((x for x in c.split("|") if x in order), key=order.get))
                 for r, c in zip(sub["row_id"], sub["code"])}
        for name, df in out.items():
            id_col = CODED_TABLES.get(name, (None,))[0]
            if id_col is None or id_col not in df.columns or column not in df.columns:
                continue
            df = df.copy()
            df[column] = [codes[r] if r in codes else v
                          for r, v in zip(df[id_col], df[column])]
            out[name] = df
    return out
