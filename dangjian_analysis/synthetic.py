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
