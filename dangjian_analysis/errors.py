"""Errors a researcher can act on: each names the file and the problem."""
from __future__ import annotations

from pathlib import Path


class CorpusError(ValueError):
    """A problem with one input file or metadata entry.

    ``path`` is the file, ``problem`` a sentence saying what is wrong and,
    where possible, what to do; ``line`` points into the file when known.
    """

    def __init__(self, path: Path | str, problem: str, line: int | None = None):
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self):  # keeps path, problem and line when raised in a worker process
        return (type(self), (self.path, self.problem, self.line))


class CorpusErrors(CorpusError):
    """Several problems found while checking a corpus folder at once."""

    def __init__(self, errors: list[CorpusError]):
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.problem, first.line)
        self.args = ("\n".join(str(e) for e in errors),)

    def __reduce__(self):
        return (type(self), (self.errors,))
