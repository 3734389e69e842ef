"""Large test corpora made by recombining the sentences of real reports.

Scale needs thousands of reports, and there are only a few real ones. Drawing
their sentences (raw, with their reading aids, damage and boilerplate) into
new reports gives text with the real distribution of numbers, formulas and
scripts. The result is for benchmarks and scale tests, never for analysis.
Same arguments, same files: the draw uses a seeded generator.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

from .corpus import load_corpus
from .damage import dominant_script

_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")


def sentence_pool(raw_dir: Path | str) -> dict[str, list[str]]:
    """Raw sentences of every report in *raw_dir*, grouped by the script of their report."""
    pool: dict[str, list[str]] = {}
    for report in load_corpus(raw_dir):
        found = [m.group().strip() for m in _SENTENCE.finditer(report.text)]
        pool.setdefault(dominant_script(report.text), []).extend(s for s in found if s)
    return {script: sorted(set(s)) for script, s in sorted(pool.items())}


def recombine(raw_dir: Path | str, out_dir: Path | str, n_reports: int, seed: int = 0,
              sentences: tuple[int, int] = (20, 60), per_paragraph: int = 4) -> list[Path]:
    """Write *n_reports* reports of recombined sentences into *out_dir* (no metadata file); return the paths.

    Each report draws its sentences from the reports of one script, so a
    Traditional report stays Traditional; the first sentence is its title line.
    """
    pool = sentence_pool(raw_dir)
    scripts = list(pool)
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    width = max(5, len(str(n_reports)))
    paths = []
    for i in range(1, n_reports + 1):
        lines = pool[rng.choice(scripts)]
        body = [rng.choice(lines) for _ in range(rng.randint(*sentences))]
        paragraphs = ["".join(body[k:k + per_paragraph]) for k in range(1, len(body), per_paragraph)]
        path = out / f"synthetic-{i:0{width}d}.txt"
        path.write_text("\n".join([body[0], *paragraphs]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def varied_corpus(raw_dir: Path | str, out_dir: Path | str, n_reports: int = 17, seed: int = 0) -> Path:
    """A corpus as a researcher's first real one looks; returns *out_dir* (a folder to use as ``data/raw``).

    The reports of *raw_dir* keep their metadata, with one of them varied (year
    and division code unknown). The other reports are recombined and described
    the way ``dangjian init`` leaves them, partly filled in: unknown years, no
    division code, community- and village-level reports, ``extra`` fields with
    a URL and a retrieval date. For tests and benchmarks, never for analysis.
    """
    import shutil

    import yaml

    from .metadata import METADATA_FILE, REGIONS_FILE
    from .stubs import init_folder

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    src = Path(raw_dir)
    for path in [*sorted(src.glob("*.txt")), src / METADATA_FILE, src / REGIONS_FILE]:
        if path.exists():
            shutil.copyfile(path, out / path.name)
    real = len(list(src.glob("*.txt")))
    recombine(src, out, max(0, n_reports - real), seed=seed)
    init_folder(out)
    meta_path = out / METADATA_FILE
    doc = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    entries = doc["reports"]
    codes = [e["division_code"] for e in entries[:real] if e.get("division_code")]
    entries[0].update(year=None, division_code=None)  # a real report whose year and code are not known
    for i, entry in enumerate(entries[real:]):
        entry["sources"] = {k: v for k, v in entry["sources"].items() if k != "year" or i % 4}
        if i % 4 == 0:
            entry["year"] = None
        if i % 3 == 0:
            entry.update(admin_level="community", region_zh=f"某社区{i}", region_en=f"Community {i}")
        elif i % 3 == 1:
            entry.update(admin_level="village", region_zh=f"某村{i}", region_en=None)
        elif codes:
            entry.update(admin_level="district", division_code=codes[i % len(codes)])
        if i % 2:
            entry["extra"] = {"url": f"https://example.invalid/report/{i}", "retrieved": "2024-05-01",
                              "tags": ["recombined", f"batch {i % 3}"]}
    meta_path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8")
    return out
