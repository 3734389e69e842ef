"""Text that remembers where every character came from.

Each normalization step takes a ``MappedText`` and returns a new one whose
``index[i]`` is the raw offset of character ``i``. Deletions drop entries,
one-to-one substitutions keep them, so a span found in normalized text maps
back to the exact raw span with :meth:`MappedText.raw_span`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np


@dataclass(frozen=True)
class MappedText:
    """Normalized text plus, for every character, its offset in the raw text."""

    text: str
    index: np.ndarray  # int64, len(text)
    raw_length: int

    @classmethod
    def identity(cls, raw: str) -> "MappedText":
        return cls(raw, np.arange(len(raw), dtype=np.int64), len(raw))

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw (start, end) of normalized ``text[start:end]``; covers any deleted characters inside."""
        if end <= start:
            pos = int(self.index[start]) if start < len(self.index) else self.raw_length
            return pos, pos
        return int(self.index[start]), int(self.index[end - 1]) + 1

    def raw_spans(self, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorized :meth:`raw_span` for non-empty spans."""
        starts = np.asarray(starts, dtype=np.int64)
        ends = np.asarray(ends, dtype=np.int64)
        return self.index[starts], self.index[ends - 1] + 1

    def delete(self, spans: Iterable[tuple[int, int]]) -> "MappedText":
        """A copy without the characters of the given sorted, non-overlapping spans."""
        keep_text: list[str] = []
        keep_idx: list[np.ndarray] = []
        pos = 0
        for start, end in spans:
            keep_text.append(self.text[pos:start])
            keep_idx.append(self.index[pos:start])
            pos = end
        if pos == 0:
            return self
        keep_text.append(self.text[pos:])
        keep_idx.append(self.index[pos:])
        return MappedText("".join(keep_text), np.concatenate(keep_idx), self.raw_length)

    def substitute(self, new_text: str) -> "MappedText":
        """Same-length replacement (character for character), keeping the map."""
        if len(new_text) != len(self.text):
            raise ValueError("substitute() needs a text of the same length")
        return MappedText(new_text, self.index, self.raw_length)
