"""Strict decoding of one report's bytes, with errors that say what the file is.

Offsets in every table index the file's bytes decoded as UTF-8 with nothing
else changed, so anything that is not UTF-8 is refused (with a guess of its
real encoding and the command that converts it) rather than decoded loosely.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

import charset_normalizer

from .errors import CorpusError

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_HTML_STARTS = ("<!doctype html", "<html", "<?xml", "<!--")
#: an HTML tag; a file starting with one, or holding several, is a web page (or a piece of one)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|meta|title|link|script|style|div|span|p|br|a|img|table|tr|td|th|ul|ol|li|h[1-6]"
    r"|article|section|header|footer|nav|strong|em|b|i|font|iframe|form|input)(?=[\s>/])[^<>\n]{0,500}>",
    re.IGNORECASE,
)
#: this many tags anywhere make a file markup rather than text with a stray ``<br>``
MAX_HTML_TAGS = 5


def guess_encoding(data: bytes) -> str | None:
    """Best guess at the encoding of bytes that are not UTF-8 (charset-normalizer)."""
    best = charset_normalizer.from_bytes(data[:200_000]).best()
    return best.encoding if best is not None else None


def iconv_name(codec: str) -> str:
    """The name iconv knows a Python codec by (``utf_16_le`` → ``UTF-16LE``, ``gb18030`` → ``GB18030``)."""
    try:
        name = codecs.lookup(codec).name
    except LookupError:
        name = codec
    name = name.upper().replace("_", "-")
    name = re.sub(r"^(UTF-(?:16|32))-([LB]E)$", r"\1\2", name)
    return re.sub(r"^ISO(\d)", r"ISO-\1", name)


def wide_unicode(data: bytes) -> str | None:
    """``UTF-16LE`` … ``UTF-32BE`` when bytes holding NULs (and no BOM) are really UTF-16/32 text, else None."""
    guess = guess_encoding(data)
    if guess and codecs.lookup(guess).name.startswith(("utf-16", "utf-32")):
        return iconv_name(guess)
    return None


def html_tag_line(text: str) -> int | None:
    """Line of the first HTML tag when *text* is markup (starts with a tag, or holds several), else None."""
    head = text.lstrip("\ufeff \t\r\n")
    if head[:200].lower().startswith(_HTML_STARTS) or _HTML_TAG.match(head):
        return text.count("\n", 0, len(text) - len(head)) + 1
    first = None
    for n, m in enumerate(_HTML_TAG.finditer(text), start=1):
        first = first if first is not None else m.start()
        if n >= MAX_HTML_TAGS:
            return text.count("\n", 0, first) + 1
    return None


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
        wide = wide_unicode(data)
        if wide:
            raise CorpusError(path, f"{wide} text without a byte-order mark; convert it: iconv -f {wide} -t UTF-8")
        raise CorpusError(path, f"binary file (NUL byte at byte {nul}); expected a UTF-8 text file")
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        guess = guess_encoding(data)
        hint = (
            f"it looks like {iconv_name(guess)}; convert it: iconv -f {iconv_name(guess)} -t UTF-8"
            if guess and guess.lower() not in ("utf_8", "utf-8", "ascii")
            else "its encoding could not be recognised"
        )
        raise CorpusError(path, f"not UTF-8 (invalid byte 0x{data[exc.start]:02x} at byte {exc.start}); {hint}", line) from None
    if not text.lstrip("\ufeff").strip():
        raise CorpusError(path, "file holds only whitespace: nothing to analyse")
    tag_line = html_tag_line(text)
    if tag_line is not None:
        raise CorpusError(
            path,
            "an HTML page, not plain text; tags are not stripped automatically because offsets must "
            "point into the file as given: save the article text as a .txt file",
            tag_line,
        )
    return text
