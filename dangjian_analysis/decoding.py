"""Strict decoding of one report's bytes, with errors that say what the file is.

Offsets in every table index the file's bytes decoded as UTF-8 with nothing
else changed, so anything that is not UTF-8 is refused (with a guess of its
real encoding and the command that converts it) rather than decoded loosely.
"""
from __future__ import annotations

import codecs
from pathlib import Path

import charset_normalizer

from .errors import CorpusError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_HTML_STARTS = ("<!doctype html", "<html", "<?xml", "<head", "<body")


def guess_encoding(data: bytes) -> str | None:
    """Best guess at the encoding of bytes that are not UTF-8 (charset-normalizer)."""
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def decode_report(path: Path | str, data: bytes) -> str:
    """Decode *data* as strict UTF-8 or raise a CorpusError naming *path* and the problem."""
    if not data:
        raise CorpusError(path, "empty file (0 bytes): nothing to analyse")
    if data.startswith(_UTF32_BOMS[0]) or data.startswith(_UTF32_BOMS[1]):
        raise CorpusError(path, "UTF-32 text (byte-order mark found); convert it: iconv -f UTF-32 -t UTF-8")
    if data.startswith(_UTF16_BOMS):
        raise CorpusError(path, "UTF-16 text (byte-order mark found); convert it: iconv -f UTF-16 -t UTF-8")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise CorpusError(path, f"binary file (NUL byte at byte {nul}); expected a UTF-8 text file")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = guess_encoding(data)
        hint = (
            f"it looks like {guess.upper()}; convert it: iconv -f {guess.upper()} -t UTF-8"
            if guess and guess.lower() not in ("utf_8", "utf-8", "ascii")
            else "its encoding could not be recognised"
        )
        raise CorpusError(path, f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte {exc.start}); {hint}", line) from None
    if not text.strip():
        raise CorpusError(path, "file holds only whitespace: nothing to analyse")
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith(_HTML_STARTS):
        raise CorpusError(
            path,
            "an HTML page, not plain text; tags are not stripped automatically because offsets must "
            "point into the file as given: save the article text as a .txt file",
        )
    return text
