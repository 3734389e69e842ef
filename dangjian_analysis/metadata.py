"""The metadata file (``reports.yaml``): its fields, and validation with line numbers.

Facts about a report (region, year, outlet, its own framework) live in this
file and never in code. Validation names the file, the line and the field, so
a researcher editing YAML by hand sees exactly what to fix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import CorpusError

METADATA_FILE = "reports.yaml"
REGIONS_FILE = "regions.csv"

#: field -> (required, one-line meaning); the order is the column order of reports.csv
FIELDS: dict[str, tuple[bool, str]] = {
    "report_id": (True, "stable id, lower-case letters, digits, '-', '_' or '.'"),
    "file": (True, "file name of the report, relative to the metadata file's folder"),
    "title": (True, "the report's title as given (or a marked editorial title)"),
    "region_zh": (True, "region in Chinese"),
    "region_en": (True, "region in English"),
    "province": (True, "province in Chinese"),
    "prefecture": (True, "prefecture-level unit in Chinese"),
    "admin_level": (True, "administrative level of the region"),
    "division_code": (True, "six-digit administrative division code, as a string"),
    "year": (True, "year the report was written or published"),
    "period": (True, "period the report covers, as text (2024, 2018-01/2018-05, unknown)"),
    "outlet": (True, "where the report was published"),
    "genre": (True, "kind of text"),
    "script": (True, "writing system of the file"),
    "framework": (True, "the report's own stated framework, or null"),
    "sources": (True, "mapping: field -> where that fact comes from"),
    "extra": (False, "free mapping for anything else a project records"),
}
ADMIN_LEVELS = ("province", "prefecture", "county", "county-level city", "district", "township", "unknown")
GENRES = ("news feature", "summary report", "republished copy", "government report", "speech", "other", "unknown")
SCRIPTS = ("simplified", "traditional", "mixed", "unknown")
_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


@dataclass(frozen=True)
class Entry:
    """One validated metadata entry and the line it starts on."""

    fields: dict[str, Any]
    line: int

    @property
    def report_id(self) -> str:
        return self.fields["report_id"]


def _entry_lines(path: Path, text: str) -> list[int]:
    """1-based line of each entry under ``reports:`` (for error messages)."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if key.value == "reports" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []


def read_metadata(path: Path) -> list[Entry]:
    """Parse and validate *path*; raise CorpusError naming the line and field of the first problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CorpusError(path, "metadata file is not UTF-8") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(path, f"malformed YAML: {getattr(exc, 'problem', exc)}", mark.line + 1 if mark else None) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("reports"), list):
        raise CorpusError(path, "malformed metadata: expected a mapping with a 'reports:' list")
    lines = _entry_lines(path, text)
    entries, seen = [], {}
    for i, item in enumerate(doc["reports"]):
        line = lines[i] if i < len(lines) else None
        entry = Entry(validate_entry(path, item, line), line or 0)
        rid = entry.report_id
        if rid in seen:
            raise CorpusError(path, f"duplicate report_id {rid!r} (first used on line {seen[rid]})", line)
        seen[rid] = line
        entries.append(entry)
    return entries


def validate_entry(path: Path, item: Any, line: int | None) -> dict[str, Any]:
    """Check one entry's fields and values; return it with defaults filled in."""
    if not isinstance(item, dict):
        raise CorpusError(path, "malformed entry: each report must be a mapping of field: value", line)
    missing = [f for f, (req, _) in FIELDS.items() if req and f not in item]
    if missing:
        raise CorpusError(path, f"entry {item.get('report_id', '?')!r} is missing required field(s): {', '.join(missing)}", line)
    unknown = sorted(set(item) - set(FIELDS))
    if unknown:
        raise CorpusError(
            path,
            f"entry {item['report_id']!r} has unknown field(s): {', '.join(unknown)} "
            f"(allowed: {', '.join(FIELDS)}; put anything else under 'extra:')",
            line,
        )
    rid = item["report_id"]
    if not isinstance(rid, str) or not _ID.match(rid):
        raise CorpusError(path, f"report_id {rid!r} must match {_ID.pattern}", line)
    checks = {
        "admin_level": ADMIN_LEVELS,
        "genre": GENRES,
        "script": SCRIPTS,
    }
    for field, allowed in checks.items():
        if item[field] not in allowed:
            raise CorpusError(path, f"entry {rid!r}: {field} {item[field]!r} is not one of {', '.join(allowed)}", line)
    year = item["year"]
    if not isinstance(year, int) or not 1949 <= year <= 2100:
        raise CorpusError(path, f"entry {rid!r}: year {year!r} must be a whole year such as 2024", line)
    code = str(item["division_code"])
    if not re.fullmatch(r"\d{6}", code):
        raise CorpusError(path, f"entry {rid!r}: division_code {code!r} must be six digits (quote it in YAML)", line)
    if not isinstance(item["sources"], dict):
        raise CorpusError(path, f"entry {rid!r}: sources must be a mapping field -> where the fact comes from", line)
    if not isinstance(item["file"], str) or not item["file"].strip():
        raise CorpusError(path, f"entry {rid!r}: file must be a file name", line)
    out = dict(item)
    out["division_code"] = code
    out["period"] = str(item["period"])
    out.setdefault("extra", {})
    return out


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


def default_entry(path: Path) -> Entry:
    """Metadata for a file in a folder without reports.yaml: the id is the file stem, facts unknown."""
    rid = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "report"
    fields: dict[str, Any] = {f: "unknown" for f in FIELDS}
    fields.update(
        report_id=rid[:80], file=path.name, title=path.stem, year=0, division_code="",
        framework=None, sources={"all": "no metadata file: facts unknown"}, extra={},
    )
    return Entry(fields, 0)
