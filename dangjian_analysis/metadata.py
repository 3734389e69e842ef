"""The metadata file (``reports.yaml``): its fields, their types, and validation with line numbers.

Facts about a report (region, year, outlet, its own framework) live in this
file and never in code. Anything not known is written ``null`` (or left out):
a researcher never has to invent a year or a division code. :func:`scan_metadata`
is the one validation of the file: ``dangjian check`` lists its problems and
``dangjian build`` refuses to start while there are any, so the two are
equally strict. Every problem names the file, the line and the field.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Callable

import yaml

from . import strict_yaml
from .errors import CorpusError

METADATA_FILE = "reports.yaml"
REGIONS_FILE = "regions.csv"
SCHEMA_VERSION = 1
#: keys allowed at the top of reports.yaml
TOP_KEYS = ("schema_version", "vocabularies", "reports")


@dataclass(frozen=True)
class Field:
    """One field of an entry: how its value is checked, whether it must be there, what it means."""

    kind: str
    required: bool
    meaning: str


#: field -> how it is checked; the order is the column order of reports.csv. Only ``report_id`` and
#: ``file`` are required: every other field may be null or left out when it is not known.
FIELDS: dict[str, Field] = {
    "report_id": Field("id", True, "stable id: lower-case letters, digits, '-', '_' or '.'"),
    "file": Field("file", True, "file name of the report, relative to the metadata file's folder"),
    "sha256": Field("sha256", False, "sha256 of the file's bytes; when given, a changed file is refused"),
    "title": Field("text", False, "the report's title as given (or a marked editorial title)"),
    "region_zh": Field("text", False, "region in Chinese"),
    "region_en": Field("text", False, "region in English"),
    "province": Field("text", False, "province in Chinese"),
    "prefecture": Field("text", False, "prefecture-level unit in Chinese"),
    "admin_level": Field("vocabulary", False, "administrative level of the region"),
    "division_code": Field("division_code", False, "administrative division code (6 or 12 digits); joins regions.csv"),
    "year": Field("year", False, "year the report was written or published"),
    "period": Field("period", False, "period the report covers, as text (2024, 2018-01/2018-05)"),
    "outlet": Field("text", False, "where the report was published"),
    "genre": Field("vocabulary", False, "kind of text"),
    "script": Field("vocabulary", False, "writing system of the file"),
    "framework": Field("text", False, "the report's own stated framework"),
    "sources": Field("sources", False, "mapping: field -> where that fact comes from"),
    "extra": Field("extra", False, "free mapping for anything else a project records"),
}
VOCABULARY_FIELDS = tuple(f for f, spec in FIELDS.items() if spec.kind == "vocabulary")
YEARS = (1949, 2100)
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: a county-level (or higher) code has six digits; the statistical code (统计用区划代码) of a township,
#: community or village has twelve
DIVISION_CODE = r"^[1-9]\d{5}(?:\d{6})?$"
_CODE = re.compile(DIVISION_CODE)


@lru_cache(maxsize=1)
def package_vocabularies() -> dict[str, dict[str, str]]:
    """Allowed values of each vocabulary field with their meanings, from ``data/metadata_vocabularies.yaml``."""
    text = resources.files("dangjian_analysis").joinpath("data/metadata_vocabularies.yaml").read_text(encoding="utf-8")
    return {name: dict(values) for name, values in yaml.safe_load(text).items()}


@dataclass(frozen=True)
class Entry:
    """One metadata entry (every field present, unknowns as None) and the line it starts on."""

    fields: dict[str, Any]
    line: int

    @property
    def report_id(self) -> str:
        return self.fields["report_id"]


@dataclass(frozen=True)
class Metadata:
    """What :func:`scan_metadata` found: usable entries, the allowed vocabularies and every problem."""

    entries: list[Entry]
    vocabularies: dict[str, dict[str, str]]
    problems: list[CorpusError] = field(default_factory=list)
    #: every ``file:`` named, also by entries too broken to use (so their files are not called unlisted)
    files: frozenset[str] = frozenset()


# --- one checker per kind of field: (value) -> (value to keep, problem or None) ---------------------

def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _type_name(value: Any) -> str:
    return {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "a mapping",
            bytes: "binary data", set: "a set"}.get(type(value), type(value).__name__)


def _text(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str):
        if not value.strip():
            return None, "is empty: write null when it is not known"
        return value, None
    hint = "; quote it" if isinstance(value, (int, float)) and not isinstance(value, bool) else ""
    return None, f"must be text or null, not {_type_name(value)} {_show(value)}{hint}"


def _year(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and YEARS[0] <= value <= YEARS[1]:
        return value, None
    return None, (f"must be a whole year such as 2024 (unquoted, {YEARS[0]}-{YEARS[1]}) or null when it is not "
                  f"known, not {_type_name(value)} {_show(value)}")


def _period(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, int) and not isinstance(value, bool) and YEARS[0] <= value <= YEARS[1]:
        return str(value), None  # a year is a period; kept as the digits written
    if isinstance(value, str):
        return _text(value)
    return None, f"must be text such as 2024 or 2018-01/2018-05, or null, not {_type_name(value)} {_show(value)}"


def _division_code(value: Any) -> tuple[Any, str | None]:
    code = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if isinstance(code, str) and _CODE.fullmatch(code):
        return code, None
    return None, (f"must be an administrative division code of six digits (\"630102\") or twelve (a township, "
                  f"community or village), quoted, or null when it is not known; not {_show(value)}")


def _sha256(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _SHA256.fullmatch(value):
        return value, None
    return None, f"must be 64 lower-case hexadecimal digits (the file's sha256) or null, not {_show(value)}"


def _sources(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, dict):
        return {}, f"must be a mapping field: \"where the fact comes from\", not {_type_name(value)}"
    bad = [k for k, v in value.items() if not isinstance(k, str) or not isinstance(v, str)]
    if bad:
        return {}, f"must map each field name to a text saying where it comes from; see {_show(bad[0])}"
    return dict(value), None


def _json_problem(value: Any, where: str = "") -> str | None:
    """Why *value* cannot be kept as JSON text, or None (iterative: no recursion limit on deep values)."""
    stack = [(value, where)]
    while stack:
        item, at = stack.pop()
        if isinstance(item, dict):
            for k, v in item.items():
                if not isinstance(k, str):
                    return f"key {_show(k)}{at and ' in ' + at} must be text; quote it"
                stack.append((v, f"{at}.{k}" if at else k))
        elif isinstance(item, list):
            stack.extend((v, f"{at}[{i}]") for i, v in enumerate(item))
        elif isinstance(item, float) and not math.isfinite(item):
            return f"{at or 'value'} is {item!r}, which JSON cannot hold; quote it"
        elif not (item is None or isinstance(item, (str, int, float, bool))):
            return f"{at or 'value'} is {_type_name(item)}, which JSON cannot hold; write it as text"
    return None


def _extra(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, dict):
        return {}, f"must be a mapping (name: value), not {_type_name(value)}"
    problem = _json_problem(value)
    return (({}, problem) if problem else (dict(value), None))


def _id(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and _ID.fullmatch(value):
        return value, None
    return None, f"{_show(value)} must match {_ID.pattern} (lower-case letters, digits, '-', '_', '.')"


def _file(value: Any) -> tuple[Any, str | None]:
    if isinstance(value, str) and value.strip():
        return value, None
    return None, f"must be the name of the report file, not {_show(value)}"


CHECKERS: dict[str, Callable[[Any], tuple[Any, str | None]]] = {
    "id": _id, "file": _file, "sha256": _sha256, "text": _text, "year": _year, "period": _period,
    "division_code": _division_code, "sources": _sources, "extra": _extra,
}
#: what a field holds when it is null or left out
EMPTY: dict[str, Any] = {"sources": {}, "extra": {}}


# --- the file ----------------------------------------------------------------------------------------

def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Line of each key of a mapping node."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}


def _value_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _vocabularies(path: Path, value: Any, node: yaml.Node | None) -> tuple[dict[str, dict[str, str]], list]:
    """The package vocabularies plus a project's own additions under ``vocabularies:``."""
    vocab = {name: dict(values) for name, values in package_vocabularies().items()}
    if value is None:
        return vocab, []
    line = strict_yaml.line_of(node)
    if not isinstance(value, dict):
        return vocab, [CorpusError(path, "vocabularies must be a mapping field: {value: meaning}", line)]
    problems, lines = [], _key_lines(node)
    for name, added in value.items():
        if name not in vocab:
            problems.append(CorpusError(path, f"vocabularies: {name!r} is not a vocabulary field "
                                              f"({', '.join(VOCABULARY_FIELDS)})", lines.get(name, line)))
        elif not isinstance(added, dict) or not all(isinstance(k, str) and k.strip() for k in added):
            problems.append(CorpusError(path, f"vocabularies: {name} must map each new value to its meaning "
                                              "(value: meaning)", lines.get(name, line)))
        else:
            vocab[name].update({k: "" if v is None else str(v) for k, v in added.items()})
    return vocab, problems


def check_entry(path: Path, item: Any, node: yaml.Node | None,
                vocabularies: dict[str, dict[str, str]]) -> tuple[dict[str, Any] | None, list[CorpusError]]:
    """Every problem of one entry, and its fields (every field present, unknowns None) when it has an id and file.

    Each problem points at the line of the field it is about.
    """
    start = strict_yaml.line_of(node)
    if not isinstance(item, dict):
        return None, [CorpusError(path, "malformed entry: each report must be a mapping of field: value", start)]
    lines = _key_lines(node)
    rid = item.get("report_id")
    who = f"entry {rid!r}" if isinstance(rid, str) else "entry"
    problems = []
    missing = [f for f, spec in FIELDS.items() if spec.required and f not in item]
    if missing:
        problems.append(CorpusError(path, f"{who} is missing required field(s): {', '.join(missing)}", start))
    unknown = [k for k in item if k not in FIELDS]
    for key in unknown:
        problems.append(CorpusError(path, f"{who} has an unknown field {key!r} (allowed: {', '.join(FIELDS)}; "
                                          "put anything else under 'extra:')", lines.get(str(key), start)))
    fields: dict[str, Any] = {}
    for name, spec in FIELDS.items():
        value = item.get(name)
        if value is None:
            fields[name] = EMPTY.get(spec.kind)
            continue
        if spec.kind == "vocabulary":
            allowed = vocabularies[name]
            kept, problem = (value, None) if isinstance(value, str) and value in allowed else (
                None, f"{_show(value)} is not one of {', '.join(allowed)} (add a value under 'vocabularies:' "
                      "at the top of the file, or write null)")
        else:
            kept, problem = CHECKERS[spec.kind](value)
        fields[name] = kept if kept is not None else EMPTY.get(spec.kind)
        if problem:
            problems.append(CorpusError(path, f"{who}: {name} {problem}", lines.get(name, start)))
    usable = fields["report_id"] is not None and fields["file"] is not None
    return (fields if usable else None), problems


def scan_metadata(path: Path) -> Metadata:
    """Every problem of the metadata file at *path*, and its usable entries (never stops at the first problem)."""
    try:
        doc = strict_yaml.load(path)
    except CorpusError as exc:
        return Metadata([], package_vocabularies(), [exc])
    problems = list(doc.problems)
    if not isinstance(doc.value, dict) or not isinstance(doc.value.get("reports"), list):
        problems.append(CorpusError(path, "malformed metadata: expected a mapping with a 'reports:' list",
                                    strict_yaml.line_of(doc.node)))
        return Metadata([], package_vocabularies(), problems)
    top = _key_lines(doc.node)
    for key in doc.value:
        if key not in TOP_KEYS:
            problems.append(CorpusError(path, f"unknown top-level key {key!r} (allowed: {', '.join(TOP_KEYS)})",
                                        top.get(str(key))))
    version = doc.value.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION:
        problems.append(CorpusError(path, f"schema_version {_show(version)} is not {SCHEMA_VERSION}, the version "
                                          "this toolkit reads", top.get("schema_version")))
    vocab, vocab_problems = _vocabularies(path, doc.value.get("vocabularies"),
                                          _value_node(doc.node, "vocabularies"))
    problems += vocab_problems
    items = doc.value["reports"]
    nodes = _value_node(doc.node, "reports")
    item_nodes = nodes.value if isinstance(nodes, yaml.SequenceNode) else [None] * len(items)
    entries: list[Entry] = []
    first_line: dict[str, int | None] = {}
    files = frozenset(i["file"] for i in items if isinstance(i, dict) and isinstance(i.get("file"), str))
    for item, node in zip(items, item_nodes):
        fields, entry_problems = check_entry(path, item, node, vocab)
        problems += entry_problems
        if fields is None:
            continue
        line = strict_yaml.line_of(node)
        rid = fields["report_id"]
        if rid in first_line:
            problems.append(CorpusError(path, f"duplicate report_id {rid!r} (first used on line {first_line[rid]})",
                                        line))
            continue
        first_line[rid] = line
        entries.append(Entry(fields, line or 0))
    return Metadata(entries, vocab, sorted(problems, key=lambda p: p.line or 0), files)


def read_metadata(path: Path) -> list[Entry]:
    """The entries of *path*; raise CorpusErrors listing every problem if there is any."""
    from .errors import CorpusErrors

    meta = scan_metadata(path)
    if meta.problems:
        raise CorpusErrors(meta.problems)
    return meta.entries


def resolve_file(meta_path: Path, entry: Entry) -> Path:
    """The report file of *entry*, refusing absolute paths and anything outside the metadata's folder."""
    name = entry.fields["file"]
    folder = meta_path.parent.resolve()
    if Path(name).is_absolute():
        raise CorpusError(meta_path, f"entry {entry.report_id!r}: file {name!r} is an absolute path; give a name inside {folder}", entry.line)
    target = (folder / name).resolve()  # follows symbolic links: a link must not lead out of the folder
    if folder not in target.parents:
        how = f"is a symbolic link to {target}, which" if (folder / name).is_symlink() else "is a path that"
        raise CorpusError(meta_path, f"entry {entry.report_id!r}: file {name!r} {how} lies outside the data folder {folder}",
                          entry.line)
    if not target.is_file():
        raise CorpusError(meta_path, f"entry {entry.report_id!r}: file {name!r} does not exist in {folder}", entry.line)
    return target


def check_inside(folder: Path, path: Path) -> None:
    """Refuse a report file found by listing *folder* that is a symbolic link to a file outside it."""
    target = path.resolve()
    if folder.resolve() not in target.parents:
        raise CorpusError(path, f"a symbolic link to {target}, outside the data folder {folder.resolve()}; "
                                "copy the file into the folder instead")


def report_id_for(path: Path) -> str:
    """A report id made from a file name (lower case, other characters as '-')."""
    rid = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "report"
    return rid[:80]


def default_entry(path: Path) -> Entry:
    """Metadata for a file in a folder without reports.yaml: the id is the file stem, every fact unknown."""
    fields: dict[str, Any] = {name: EMPTY.get(spec.kind) for name, spec in FIELDS.items()}
    fields.update(report_id=report_id_for(path), file=path.name,
                  sources={"all": f"no {METADATA_FILE}: every fact unknown"})
    return Entry(fields, 0)


def extra_json(extra: dict[str, Any] | None) -> str:
    """The ``extra`` mapping as the JSON text kept in ``reports.csv`` (keys sorted, Chinese kept readable)."""
    return json.dumps(extra or {}, ensure_ascii=False, sort_keys=True, allow_nan=False)
