"""What a long command shows while it works: numbered stages and progress bars, on a terminal only.

``dangjian build --all`` runs for minutes. On a terminal it says which stage
it is in (``[2/6] processing 17 reports``) with a bar per stage that has
parts, and how long each stage took; when its output goes to a file, a pipe
or CI it writes none of this, so logs hold only the results.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm.auto import tqdm


class Progress:
    """Stage lines and bars on *stream* (stderr), shown only when it is a terminal unless *enabled* says."""

    def __init__(self, stages: int, enabled: bool | None = None, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.enabled = bool(self.stream.isatty()) if enabled is None else enabled
        self.stages = stages
        self.done = 0
        self._started: float | None = None

    def stage(self, text: str) -> None:
        """Start the next stage; on a terminal, print its number and say how long the previous one took."""
        self._finish()
        self.done += 1
        self._started = time.perf_counter()
        if self.enabled:
            print(f"[{self.done}/{self.stages}] {text}", file=self.stream, flush=True)

    def bar(self, total: int, unit: str) -> tqdm:
        """A bar for the current stage (a no-op object when progress is not shown)."""
        return tqdm(total=total, unit=unit, disable=not self.enabled, file=self.stream, leave=False)

    def _finish(self) -> None:
        if self.enabled and self._started is not None:
            print(f"      done in {time.perf_counter() - self._started:.1f} s", file=self.stream, flush=True)

    def close(self) -> None:
        """End the last stage."""
        self._finish()
        self._started = None


def silent() -> Progress:
    """A Progress that never writes (for library calls)."""
    return Progress(stages=0, enabled=False)
