"""YAML read strictly: no anchors or aliases, no duplicate keys, a size limit, dates kept as text.

Hand-written metadata must mean what it says. PyYAML's ordinary loader lets
the last of two equal keys win silently, expands aliases (a few kilobytes of
``&a [*b, *b, …]`` become gigabytes once written out) and turns
``2024-05-01`` into a date object. :func:`load` parses a file once into nodes
(which keep line numbers), refuses anchors and aliases while composing, lists
every duplicate key with both lines, and constructs plain Python values with
timestamps left as the strings written.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from .errors import CorpusError

#: largest YAML file read (bytes): about 13,000 metadata entries of the shipped kind, parsed in ~15 s
MAX_BYTES = 16 * 1024 * 1024
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Resolver(Resolver):
    """The YAML 1.1 resolver without timestamps: ``2024-05-01`` stays the text written."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _TIMESTAMP]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


class _NoAliasComposer(Composer):
    """Compose nodes, refusing anchors (``&name``) and aliases (``*name``) where they occur."""

    def compose_node(self, parent, index):  # noqa: ANN001 (PyYAML's signature)
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "YAML anchors and aliases (&name, *name) are not allowed: write each value out",
                event.start_mark)
        return super().compose_node(parent, index)


try:  # libyaml's parser (C) feeding the Python composer: about 3x faster than pure Python
    from yaml._yaml import CParser as _Parser

    class _Loader(_NoAliasComposer, _Parser, SafeConstructor, _Resolver):
        def __init__(self, stream: str):
            _Parser.__init__(self, stream)
            _NoAliasComposer.__init__(self)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Loader(Reader, Scanner, Parser, _NoAliasComposer, SafeConstructor, _Resolver):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            _NoAliasComposer.__init__(self)
            SafeConstructor.__init__(self)
            _Resolver.__init__(self)


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: its Python value, its node tree (for line numbers) and its problems."""

    value: Any
    node: yaml.Node | None
    problems: tuple[CorpusError, ...] = ()


def line_of(node: yaml.Node | None) -> int | None:
    """1-based line where *node* starts."""
    return node.start_mark.line + 1 if node is not None else None


def _duplicate_keys(path: Path, root: yaml.Node) -> list[CorpusError]:
    """Every key written twice in one mapping, anywhere in the tree (iterative: deep nesting is no recursion)."""
    problems, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int | None] = {}
            for key, value in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else None
                if name is not None and name in first:
                    problems.append(CorpusError(
                        path, f"duplicate key {name!r} (first on line {first[name]}): YAML would keep only the "
                              "last value; write the key once", line_of(key)))
                elif name is not None:
                    first[name] = line_of(key)
                stack.append(value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(problems, key=lambda p: p.line or 0)


def load(path: Path, max_bytes: int | None = None) -> Document:
    """Parse *path* strictly (at most *max_bytes*, default :data:`MAX_BYTES`); a file that cannot be parsed
    at all raises CorpusError with its line."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise CorpusError(path, f"file is {size:,} bytes, over the limit of {max_bytes:,} for a metadata file; "
                                "split the corpus into several folders")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(path, f"not UTF-8 (byte {exc.start}); save it as UTF-8") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file: {exc.strerror or exc}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(None, None)
        problems = _duplicate_keys(path, node)
        value = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CorpusError(path, f"malformed YAML: {getattr(exc, 'problem', None) or exc}",
                          mark.line + 1 if mark else None) from None
    except RecursionError:
        raise CorpusError(path, "malformed YAML: nested too deeply") from None
    finally:
        loader.dispose()
    return Document(value, node, tuple(problems))
