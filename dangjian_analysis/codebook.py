"""The codebook: research decisions (codes, labels, keywords, strategy rules) read from YAML.

The YAML file, not Python, holds every decision a researcher may want to
change. This module loads it, checks it thoroughly (every error names the
file and the key, so a researcher can fix it without reading code), and
offers it as plain objects, a long table for export, and a Markdown page.
The file's ``version`` and sha256 are recorded with every build.
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import paths
from .errors import CorpusError

ENV_CODEBOOK = "DANGJIAN_CODEBOOK"
PRIMARY_RULES = ("most_hits", "priority", "last_hit")
#: the code a coder or an override writes when no code of a dimension applies
NO_CODE = "none"
TABLES = ("sentences", "indicators", "strategies")
ID = re.compile(r"^[a-z][a-z0-9_]*$")
HAN = re.compile(r"[\u3400-\u9fff]")


class CodebookError(CorpusError):
    """A problem in the codebook file, naming the key (``dimensions.theme.codes[2].keywords``)."""

    def __init__(self, path: Path | str, key: str, problem: str):
        self.key = key
        super().__init__(path, f"{key}: {problem}" if key else problem)


@dataclass(frozen=True)
class Code:
    """One code of a dimension, with its bilingual label and matching rules."""

    id: str
    label_zh: str
    label_en: str
    definition_zh: str
    definition_en: str
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    measure_words: tuple[str, ...] = ()
    units: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dimension:
    """A coding dimension (theme, stage, ...): its codes in tie-break order and how a primary code is chosen."""

    id: str
    label_zh: str
    label_en: str
    definition_en: str
    applies_to: tuple[str, ...]
    primary: str
    note: str
    codes: tuple[Code, ...]
    exclude_phrases: tuple[str, ...] = ()
    nearest_for_indicators: bool = False
    #: how a human coder decides (the coders' guide); ``note`` says how the rules decide
    decision: str = ""

    @property
    def code_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.codes)

    def code(self, code_id: str) -> Code:
        for c in self.codes:
            if c.id == code_id:
                return c
        raise KeyError(f"dimension {self.id!r} has no code {code_id!r}")

    def label(self, code_id: str, lang: str = "en") -> str:
        """The code's label in ``en`` or ``zh``; '' for an empty code."""
        if not code_id:
            return ""
        c = self.code(code_id)
        return c.label_zh if lang == "zh" else c.label_en


@dataclass(frozen=True)
class StrategyRules:
    """Word lists that recognize named strategies (see ``strategies:`` in the YAML)."""

    kinds: dict[str, dict[str, Any]]
    name_suffixes: tuple[str, ...]
    quoted_heads: tuple[str, ...]
    lead_words: tuple[str, ...]
    generic_names: frozenset[str]
    after_head: tuple[str, ...]
    max_name_chars: int
    max_quote_chars: int
    not_strategies: frozenset[str]
    national_formulas: frozenset[str]


@dataclass(frozen=True)
class Codebook:
    """The whole codebook plus where it came from (path, version, sha256)."""

    path: Path
    version: str
    sha256: str
    title_zh: str
    title_en: str
    references: tuple[dict[str, str], ...]
    dimensions: dict[str, Dimension]
    strategies: StrategyRules
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def dimension(self, dim: str) -> Dimension:
        try:
            return self.dimensions[dim]
        except KeyError:
            raise KeyError(f"codebook has no dimension {dim!r}; known: {', '.join(self.dimensions)}") from None

    def dimensions_for(self, table: str) -> list[Dimension]:
        """Dimensions coded in *table* (``sentences``, ``indicators`` or ``strategies``)."""
        return [d for d in self.dimensions.values() if table in d.applies_to]


# --- locating and hashing ---------------------------------------------------

def package_codebook_path() -> Path:
    """The codebook shipped inside the package."""
    return Path(str(resources.files(__package__) / "codebook.yaml"))


def default_codebook_path() -> Path:
    """$DANGJIAN_CODEBOOK, else ``<project root>/codebook.yaml`` if a researcher put one there, else the package's."""
    env = os.environ.get(ENV_CODEBOOK)
    if env:
        return Path(env)
    local = paths.project_root() / "codebook.yaml"
    return local if local.is_file() else package_codebook_path()


def codebook_hash(path: Path | str | None = None) -> str:
    """sha256 of the codebook file's bytes (recorded with every build)."""
    return hashlib.sha256(Path(path or default_codebook_path()).read_bytes()).hexdigest()


def codebook_version(path: Path | str | None = None) -> str:
    """The codebook's ``version`` field."""
    return load_codebook(path).version


# --- loading and validation -------------------------------------------------

def load_codebook(path: Path | str | None = None) -> Codebook:
    """Read and validate a codebook (cached per file content); raises :class:`CodebookError`."""
    path = Path(path or default_codebook_path())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CodebookError(path, "", f"cannot read the codebook ({exc.strerror})") from None
    return _parse(str(path), data)


@lru_cache(maxsize=8)
def _parse(path_str: str, data: bytes) -> Codebook:
    path = Path(path_str)
    try:
        raw = yaml.safe_load(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CodebookError(path, "", "the codebook must be UTF-8 text") from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise CorpusError(path, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                          line + 1 if line is not None else None) from None
    v = _Validator(path)
    root = v.mapping(raw, "")
    version = v.text(root, "version", "")
    title = v.bilingual(root, "title", "")
    dims_raw = v.mapping(root.get("dimensions"), "dimensions")
    if not dims_raw:
        raise CodebookError(path, "dimensions", "at least one dimension is needed")
    dims = {name: v.dimension(name, spec) for name, spec in dims_raw.items()}
    strategies = v.strategies(root.get("strategies"), "strategies")
    refs = tuple(dict(r) for r in (root.get("references") or []))
    return Codebook(path, str(version), hashlib.sha256(data).hexdigest(), title[0], title[1], refs, dims,
                    strategies, raw)


class _Validator:
    """Small helpers that raise a :class:`CodebookError` naming the offending key."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, problem: str) -> None:
        raise CodebookError(self.path, key, problem)

    def mapping(self, value: Any, key: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key or "(top level)", "expected a mapping of keys to values")
        return value

    def text(self, m: dict, name: str, where: str, required: bool = True) -> str:
        key = f"{where}.{name}" if where else name
        value = m.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(key, "missing; please fill it in")
            return ""
        if not isinstance(value, (str, int, float)):
            self.fail(key, "expected text")
        return str(value).strip()

    def bilingual(self, m: dict, name: str, where: str) -> tuple[str, str]:
        key = f"{where}.{name}" if where else name
        value = self.mapping(m.get(name), key)
        self.known(value, ("zh", "en"), key)
        return self.text(value, "zh", key), self.text(value, "en", key)

    def known(self, m: dict, allowed: tuple[str, ...], where: str) -> None:
        """Unknown keys are usually typos or a comma that split a value; say so instead of ignoring them."""
        extra = [str(k) for k in m if k not in allowed]
        if extra:
            self.fail(where, f"unknown key(s) {', '.join(map(repr, extra))}; allowed: {', '.join(allowed)}"
                             " (a comma inside {…} splits a value: put the text on its own line)")

    def strings(self, m: dict, name: str, where: str, required: bool = False) -> tuple[str, ...]:
        key = f"{where}.{name}"
        value = m.get(name)
        if value is None:
            if required:
                self.fail(key, "missing; give a list")
            return ()
        if not isinstance(value, list):
            self.fail(key, "expected a list")
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, (str, int)) or not str(item).strip():
                self.fail(f"{key}[{i}]", "expected non-empty text")
            out.append(str(item).strip())
        return tuple(out)

    def simplified(self, words: tuple[str, ...], key: str) -> None:
        """Keywords must be Simplified, because coding runs on Simplified text."""
        from .normalize import convert_aligned

        for i, w in enumerate(words):
            if convert_aligned(w, "t2s") != w:
                self.fail(f"{key}[{i}]", f"keyword {w!r} is not Simplified Chinese "
                                         f"(write {convert_aligned(w, 't2s')!r}); coding reads Simplified text")

    def dimension(self, name: str, spec: Any) -> Dimension:
        where = f"dimensions.{name}"
        if not ID.match(str(name)):
            self.fail(where, "dimension ids are lower_snake_case")
        spec = self.mapping(spec, where)
        self.known(spec, ("label", "definition", "applies_to", "primary", "decision", "note", "codes",
                          "exclude_phrases", "nearest_for_indicators"), where)
        zh, en = self.bilingual(spec, "label", where)
        definition = self.mapping(spec.get("definition"), f"{where}.definition")
        self.known(definition, ("zh", "en"), f"{where}.definition")
        applies = self.strings(spec, "applies_to", where, required=True)
        for t in applies:
            if t not in TABLES:
                self.fail(f"{where}.applies_to", f"{t!r} is not a table; use {', '.join(TABLES)}")
        primary = self.text(spec, "primary", where)
        if primary not in PRIMARY_RULES:
            self.fail(f"{where}.primary", f"{primary!r} is not a rule; use one of {', '.join(PRIMARY_RULES)}")
        codes_raw = spec.get("codes")
        if not isinstance(codes_raw, list) or not codes_raw:
            self.fail(f"{where}.codes", "expected a non-empty list of codes")
        codes = [self.code(c, f"{where}.codes[{i}]") for i, c in enumerate(codes_raw)]
        seen_ids: set[str] = set()
        owner: dict[str, str] = {}
        for i, c in enumerate(codes):
            if c.id in seen_ids:
                self.fail(f"{where}.codes[{i}].id", f"code id {c.id!r} is used twice")
            seen_ids.add(c.id)
            for w in c.keywords:
                if w in owner and owner[w] != c.id:
                    self.fail(f"{where}.codes[{i}].keywords",
                              f"keyword {w!r} already belongs to code {owner[w]!r}; a keyword may mark one code only")
                owner[w] = c.id
        exclude_phrases = self.strings(spec, "exclude_phrases", where)
        self.simplified(exclude_phrases, f"{where}.exclude_phrases")
        return Dimension(str(name), zh, en, self.text(definition, "en", f"{where}.definition"), applies, primary,
                         self.text(spec, "note", where, required=False), tuple(codes), exclude_phrases,
                         bool(spec.get("nearest_for_indicators", False)),
                         self.text(spec, "decision", where, required=False))

    def code(self, spec: Any, where: str) -> Code:
        spec = self.mapping(spec, where)
        self.known(spec, ("id", "label", "definition", "include", "exclude", "keywords", "examples",
                          "measure_words", "units"), where)
        cid = self.text(spec, "id", where)
        if not ID.match(cid):
            self.fail(f"{where}.id", f"{cid!r}: code ids are lower_snake_case ascii (e.g. political_education)")
        zh, en = self.bilingual(spec, "label", where)
        dzh, den = self.bilingual(spec, "definition", where)
        keywords = self.strings(spec, "keywords", where, required=False)
        measure_words = self.strings(spec, "measure_words", where)
        if not keywords and not measure_words and not spec.get("units"):
            self.fail(f"{where}.keywords", "a code needs keywords (or measure words / units) for rules to apply it")
        self.simplified(keywords, f"{where}.keywords")
        dup = sorted({w for w in keywords if keywords.count(w) > 1})
        if dup:
            self.fail(f"{where}.keywords", f"listed twice: {', '.join(dup)}")
        for i, w in enumerate(keywords):
            if not HAN.search(w):
                self.fail(f"{where}.keywords[{i}]", f"keyword {w!r} has no Chinese character")
        return Code(cid, zh, en, dzh, den, self.strings(spec, "include", where), self.strings(spec, "exclude", where),
                    keywords, self.strings(spec, "examples", where), measure_words,
                    self.strings(spec, "units", where))

    def strategies(self, spec: Any, where: str) -> StrategyRules:
        spec = self.mapping(spec, where)
        kinds = self.mapping(spec.get("kinds"), f"{where}.kinds")
        for k, kv in kinds.items():
            self.bilingual(self.mapping(kv, f"{where}.kinds.{k}"), "label", f"{where}.kinds.{k}")
        lists = {}
        for name in ("name_suffixes", "quoted_heads", "lead_words", "generic_names", "after_head",
                     "not_strategies", "national_formulas"):
            lists[name] = self.strings(spec, name, where, required=True)
            self.simplified(lists[name], f"{where}.{name}")
        ints = {}
        for name in ("max_name_chars", "max_quote_chars"):
            value = spec.get(name)
            if not isinstance(value, int) or value < 2:
                self.fail(f"{where}.{name}", "expected a whole number of characters (2 or more)")
            ints[name] = value
        return StrategyRules(
            kinds={k: dict(v) for k, v in kinds.items()},
            name_suffixes=tuple(sorted(lists["name_suffixes"], key=len, reverse=True)),
            quoted_heads=tuple(sorted(lists["quoted_heads"], key=len, reverse=True)),
            lead_words=tuple(sorted(lists["lead_words"], key=len, reverse=True)),
            generic_names=frozenset(lists["generic_names"]),
            after_head=lists["after_head"],
            not_strategies=frozenset(lists["not_strategies"]),
            national_formulas=frozenset(lists["national_formulas"]),
            **ints,
        )


# --- views for people -------------------------------------------------------

def codebook_frame(codebook: Codebook | None = None) -> pd.DataFrame:
    """One row per code: dimension, code, labels, definitions, rules, keywords (``|``-joined)."""
    cb = codebook or load_codebook()
    rows = []
    for dim in cb.dimensions.values():
        for order, c in enumerate(dim.codes, start=1):
            rows.append(dict(
                dimension=dim.id, order=order, code=c.id, label_zh=c.label_zh, label_en=c.label_en,
                definition_zh=c.definition_zh, definition_en=c.definition_en,
                include="|".join(c.include), exclude="|".join(c.exclude), keywords="|".join(c.keywords),
                measure_words="|".join(c.measure_words), units="|".join(c.units), examples="|".join(c.examples),
                applies_to="|".join(dim.applies_to), primary_rule=dim.primary,
                codebook_version=cb.version,
            ))
    return pd.DataFrame(rows)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codebook_markdown(codebook: Codebook | None = None) -> str:
    """The codebook as a Markdown page for human readers (generated; do not edit by hand)."""
    cb = codebook or load_codebook()
    out = [
        f"# {cb.title_en} ({cb.title_zh})",
        "",
        "<!-- Generated from dangjian_analysis/codebook.yaml by dangjian_analysis.codebook.write_codebook_doc;"
        " edit the YAML, not this page. -->",
        "",
        f"- Codebook version: **{cb.version}**",
        f"- sha256 of codebook.yaml: `{cb.sha256}`",
        "",
        "How the rules read text, and how to override them by hand: see [coding.md](coding.md).",
        "",
    ]
    for dim in cb.dimensions.values():
        out += [f"## {dim.label_en} (`{dim.id}`, {dim.label_zh})", "", dim.definition_en, "",
                f"- Coded in: {', '.join(dim.applies_to)}",
                f"- Primary code: `{dim.primary}`" + (" (for indicators: nearest keyword to the number)"
                                                      if dim.nearest_for_indicators else ""), ""]
        if dim.decision:
            out += [f"How a coder decides: {dim.decision}", ""]
        if dim.note:
            out += [f"How the rules decide: {dim.note}", ""]
        out += ["| order | code | English | 中文 | definition |", "|---|---|---|---|---|"]
        for i, c in enumerate(dim.codes, start=1):
            out.append(f"| {i} | `{c.id}` | {_md_cell(c.label_en)} | {_md_cell(c.label_zh)} | "
                       f"{_md_cell(c.definition_en)} |")
        out.append("")
        for c in dim.codes:
            out += [f"### `{c.id}` — {c.label_en} / {c.label_zh}", "", f"{c.definition_en}  ", f"{c.definition_zh}",
                    ""]
            if c.include:
                out += ["Include: " + "; ".join(c.include), ""]
            if c.exclude:
                out += ["Exclude: " + "; ".join(c.exclude), ""]
            if c.keywords:
                out += ["Keywords: " + "、".join(c.keywords), ""]
            if c.measure_words or c.units:
                out += [f"Measure words: {'、'.join(c.measure_words) or '—'}; units: {', '.join(c.units) or '—'}",
                        ""]
            if c.examples:
                out += ["Examples:", *[f"- {e}" for e in c.examples], ""]
    st = cb.strategies
    out += ["## Named strategies", "", "| kind | English | 中文 | definition |", "|---|---|---|---|"]
    for k, v in st.kinds.items():
        label = v.get("label", {})
        definition = v.get("definition", {})
        out.append(f"| `{k}` | {_md_cell(str(label.get('en', '')))} | {_md_cell(str(label.get('zh', '')))} | "
                   f"{_md_cell(str(definition.get('en', '')))} |")
    out += ["",
            "Name heads (unquoted): " + "、".join(st.name_suffixes), "",
            "Heads after a quoted name: " + "、".join(st.quoted_heads), "",
            "Words that open a name: " + "、".join(st.lead_words), "",
            "Too generic to be a name: " + "、".join(sorted(st.generic_names)), "",
            "Quoted numbered terms that are not strategies: " + "、".join(sorted(st.not_strategies)), "",
            "Formulas recorded as national (centrally promoted): " + "、".join(sorted(st.national_formulas)), ""]
    if cb.references:
        out += ["## References", ""] + [f"- {r.get('text', '')}" for r in cb.references] + [""]
    return "\n".join(out)


def write_codebook_doc(path: Path | str | None = None, codebook: Codebook | None = None) -> Path:
    """Write the generated Markdown page (default ``docs/codebook.md`` in the project root)."""
    path = Path(path) if path else paths.project_root() / "docs" / "codebook.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(codebook_markdown(codebook), encoding="utf-8", newline="\n")
    return path
