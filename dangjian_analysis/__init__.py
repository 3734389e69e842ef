"""dangjian-analysis: traceable tables, codes and figures from local Party-building reports.

Public verbs are imported lazily, so ``import dangjian_analysis as dj`` is fast
and a missing optional stage never breaks the import.
"""
from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

#: public name -> "module" (same name there) or "module:name". A public name never equals a
#: submodule's name: importing the submodule would shadow it with the module object.
_API = {
    "load_corpus": "corpus",
    "check_corpus": "corpus",
    "Corpus": "corpus",
    "Report": "corpus",
    "CorpusError": "errors",
    "normalize_text": "normalize:normalize",
    "extract_mentions": "mentions",
    "extract_indicators": "indicators",
    "load_codebook": "codebook",
    "extract_strategies": "strategies",
    "code_sentences": "coding",
    "with_labels": "coding",
    "read_overrides": "overrides",
    "load_table": "tables",
    "build_tables": "build:build",
    "process_report": "build",
    "load_dataset": "datasets",
    "dataset_names": "datasets",
    "export_workbook": "export",
    "export_all": "export",
    "make_all_figures": "figures",
    "draw_figure": "figures",
    "publication_style": "style",
    "save_figure": "style",
    "find_cjk_font": "fonts",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'dangjian_analysis' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    return getattr(import_module(f".{module}", __name__), attr or name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
