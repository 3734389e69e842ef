"""A catalogue of bad inputs: each gets a clear error naming the file, or a flagged quality row.

docs/robustness.md lists every case with the test that covers it. Metadata
errors already covered in test_metadata.py (missing field, duplicate id,
unknown field, malformed YAML, ``..`` and absolute paths) are not repeated here.
"""
from __future__ import annotations

import time
from typing import Callable

import pytest

import dangjian_analysis as dj
from dangjian_analysis.damage import damage
from dangjian_analysis.normalize import normalize
from dangjian_analysis.segment import segment
from dangjian_analysis.strategies import strategies_of


# --- 10. adversarial input for every regular expression: time must grow linearly ----------------
def _adversarial(kind: str, n: int) -> str:
    """About *n* characters of input built to make a careless regex backtrack."""
    repeat = {
        "digits": "1", "wan": "万", "dunhao": "、", "dash": "—", "percent": "%", "fullwidth_digits": "１",
        "di": "第", "mei": "每", "quotes": "“", "question_marks": "?", "han_and_question": "党?",
        "one_ge": "一个", "numbers_in_one_line": "党1", "lines_of_numbers": "12\n", "list_markers": "1、\n",
        "breadcrumb_lines": "首页 > 新闻 > 正文\n",
    }
    if kind in repeat:
        unit = repeat[kind]
        return (unit * (n // len(unit) + 1))[:n]
    if kind == "parens_pinyin":  # deep parentheses holding pinyin-like letters, some toned, after a Han character
        unit = "网" + "(" * 40 + "wang luo wǎng" + ")" * 40
    elif kind == "open_pinyin":  # a reading aid that never closes
        return "网(" + ("wa " * n)[: n - 2]
    elif kind == "breadcrumb_with_stop":  # " > " separators on a line ending with 。 (was exponential)
        return (" > " * n)[: n - 1] + "。"
    elif kind == "respectively_digits":  # a long digit run after 分别为 (was exponential)
        unit = "甲乙分别为" + "1" * 40 + "以5个。"
    elif kind == "distinct_counts":  # every count a different fact (repeat linking was quadratic)
        return "，".join(f"{i}个" for i in range(n))[:n]
    else:
        raise KeyError(kind)
    return (unit * (n // len(unit) + 1))[:n]


ADVERSARIAL = [
    "digits", "wan", "parens_pinyin", "open_pinyin", "dunhao", "dash", "percent", "fullwidth_digits", "di", "mei",
    "quotes", "question_marks", "han_and_question", "one_ge", "numbers_in_one_line", "lines_of_numbers",
    "list_markers", "breadcrumb_lines", "breadcrumb_with_stop", "respectively_digits", "distinct_counts",
]

STAGES: dict[str, Callable[[str], object]] = {
    "extract_mentions": dj.extract_mentions,
    "extract_indicators": dj.extract_indicators,
    "normalize_text": normalize,
    "segment": lambda text: segment(normalize(text), "x"),
    "damage": damage,
    "strategies": lambda text: strategies_of(normalize(text)),
}


def _seconds(fn: Callable[[str], object], text: str, tries: int = 2) -> float:
    best = float("inf")
    for _ in range(tries):
        t0 = time.perf_counter()
        fn(text)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("kind", ADVERSARIAL)
def test_adversarial_input_takes_linear_time(kind: str) -> None:
    """Four times the input may take about four times as long; quadratic would be 16, exponential never ends.

    The bound (8×, plus 50 ms for timer noise on tiny inputs) is generous on purpose:
    it is not a speed test. Before the fixes, ``?`` × 80,000 took 36 s in damage
    detection, and a line of 25 " > " ending in 。 or 分别为 + 24 digits never finished.
    """
    n = 20_000
    small, large = _adversarial(kind, n), _adversarial(kind, 4 * n)
    for name, fn in STAGES.items():
        fn(small[:200])  # warm caches (OpenCC, jieba, compiled patterns) outside the timing
        for attempt in range(3):  # a busy machine can stall one run; a super-linear stage fails every time
            t1 = _seconds(fn, small)
            t4 = _seconds(fn, large, tries=1 + attempt)
            if t4 < 8 * t1 + 0.05:
                break
        assert t4 < 8 * t1 + 0.05, f"{name} on {kind}: {t1:.3f} s at {n} chars, {t4:.3f} s at {4 * n}"
