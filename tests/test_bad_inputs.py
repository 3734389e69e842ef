"""A catalogue of bad inputs: each gets a clear error naming the file, or a flagged quality row.

docs/robustness.md lists every case with the test that covers it. Metadata
errors already covered in test_metadata.py (missing field, duplicate id,
unknown field, malformed YAML, ``..`` and absolute paths) are not repeated here.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import time
from pathlib import Path
from typing import Callable

import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis.cli import main
from dangjian_analysis.damage import damage
from dangjian_analysis.errors import CorpusError
from dangjian_analysis.metadata import METADATA_FILE
from dangjian_analysis.normalize import normalize
from dangjian_analysis.numerals import parse_chinese, parse_number
from dangjian_analysis.segment import segment
from dangjian_analysis.strategies import strategies_of
from dangjian_analysis.tables import validate

SIMPLIFIED = "全区各级党组织深入开展“三会一课”，党员干部积极参加志愿服务活动，共开展主题党日活动1200余次。\n"
TRADITIONAL = "全區各級黨組織深入開展「三會一課」，黨員幹部積極參加志願服務活動，共開展主題黨日活動1200餘次。\n"
#: 𠮷 (U+20BB7) and 㐀 (U+3400) exist in GB18030 but not in GBK or GB2312
GB18030_ONLY = "㐀𠮷" + SIMPLIFIED


def _first_report(folder: Path) -> Path:
    return sorted(folder.glob("*.txt"))[0]


def _refused(folder: Path, bad: Path | str, capsys, *words: str) -> str:
    """Assert loading *folder* fails naming *bad* and *words*, from our code (no chained library error),
    and that ``dangjian check`` lists the same problem and exits with status 2; return the message."""
    with pytest.raises(CorpusError) as err:
        dj.load_corpus(folder)
    exc, msg = err.value, str(err.value)
    name = Path(bad).name
    assert name in msg, msg
    for w in words:
        assert w.lower() in msg.lower(), (w, msg)
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__), "a library error leaks through"
    assert "dangjian_analysis" in str(err.traceback[-1].path)  # raised by our checks, not deep inside a library
    capsys.readouterr()
    assert main(["check", str(folder)]) == 2
    out = capsys.readouterr()
    assert name in out.out and "Traceback" not in out.out + out.err
    return msg


def _process(report: dj.Report) -> dict:
    """Every per-report table, each checked against the schema the build writes it with."""
    tables = dj.process_report(report)
    for name, df in tables.items():
        validate(name, df)
    return tables


# --- 1. legacy Chinese encodings ------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, encoding, names",
    [
        (SIMPLIFIED * 5, "gbk", ("GB18030", "GBK", "GB2312")),
        (GB18030_ONLY * 5, "gb18030", ("GB18030",)),
        (TRADITIONAL * 5, "big5", ("BIG5", "BIG5-HKSCS", "CP950")),
    ],
    ids=["gbk", "gb18030", "big5"],
)
def test_legacy_chinese_encoding_is_refused_with_its_name_and_the_fix(raw_copy, capsys, text, encoding, names):
    if encoding == "gb18030":
        with pytest.raises(UnicodeEncodeError):
            text.encode("gbk")  # the sample really needs GB18030
    bad = _first_report(raw_copy)
    bad.write_bytes(text.encode(encoding))
    msg = _refused(raw_copy, bad, capsys, "not UTF-8", "iconv -f", "-t UTF-8")
    assert any(f"looks like {n}" in msg for n in names), msg
    assert f"{bad.name}:1:" in msg  # the line of the first bad byte


# --- 2. UTF-16 and UTF-32 ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data, name",
    [
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "UTF-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + SIMPLIFIED.encode("utf-32-le"), "UTF-32"),
        (codecs.BOM_UTF32_BE + SIMPLIFIED.encode("utf-32-be"), "UTF-32"),
        (SIMPLIFIED.encode("utf-16-le"), "UTF-16LE text without a byte-order mark"),
        ("全区党组织开展活动".encode("utf-16-be"), "UTF-16BE"),  # no NUL byte at all: named by charset-normalizer
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf32le-bom", "utf32be-bom", "utf16le-no-bom", "utf16be-no-bom-no-nul"],
)
def test_utf16_and_utf32_are_refused_with_the_fix(raw_copy, capsys, data, name):
    bad = _first_report(raw_copy)
    bad.write_bytes(data)
    _refused(raw_copy, bad, capsys, name, "iconv -f")


# --- 3. UTF-8 with a byte-order mark ----------------------------------------------------------------
def test_utf8_bom_is_accepted_flagged_and_offsets_stay_raw(raw_copy, capsys):
    bad = _first_report(raw_copy)
    plain = bad.read_bytes()
    data = codecs.BOM_UTF8 + plain
    bad.write_bytes(data)
    corpus = dj.load_corpus(raw_copy)
    report = next(r for r in corpus if r.path.name == bad.name)
    assert report.raw_bytes == data and report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.text == "\ufeff" + plain.decode("utf-8")  # the mark is kept: offset 0 is the BOM
    tables = _process(report)
    quality = tables["quality"]
    bom = quality[quality["issue"] == "byte_order_mark"]
    assert list(zip(bom["start"], bom["end"])) == [(0, 1)]
    for name in ("sentences", "mentions", "indicators", "quality"):
        df = tables[name]
        col = "text" if name == "sentences" else "span"
        if name == "sentences":  # sentence text is Simplified; compare the Simplified raw span
            spans = [normalize(report.text[s:e]).text for s, e in zip(df["start"], df["end"])]
        else:
            spans = [report.text[s:e] for s, e in zip(df["start"], df["end"])]
        assert spans == list(df[col]), name
    # every mention sits one character later than in the file without the mark
    before = dj.extract_mentions(plain.decode("utf-8"))
    assert list(tables["mentions"]["start"]) == [s + 1 for s in before["start"]]
    assert main(["check", str(raw_copy)]) == 0


# --- 4. empty, blank and binary files --------------------------------------------------------------
@pytest.mark.parametrize(
    "data, words",
    [
        (b"", ("empty", "0 bytes")),
        (" \n\t\r\n\u3000".encode("utf-8"), ("only whitespace",)),
        (codecs.BOM_UTF8 + b"\n\n", ("only whitespace",)),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ("binary file", "NUL byte at byte 8")),
        (b"%PDF-1.7\n\x00\xff\xfe binary", ("binary file",)),
    ],
    ids=["empty", "whitespace", "bom-and-newlines", "png", "pdf-with-nul"],
)
def test_empty_blank_and_binary_files_are_refused(raw_copy, capsys, data, words):
    bad = _first_report(raw_copy)
    bad.write_bytes(data)
    _refused(raw_copy, bad, capsys, *words)


# --- 5. HTML saved as .txt ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "page, line",
    [
        ("<!DOCTYPE html>\n<html><head><title>党建</title></head><body><p>全区党组织开展活动。</p></body></html>\n", 1),
        ("\n<div class=\"article\">\n<p>全区党组织开展活动。</p>\n</div>\n", 2),  # a fragment copied from the page source
        ("全区党组织开展活动。<br>\n<p>党员120名。</p>\n<p>支部8个。</p>\n<span>x</span>\n", 1),  # text with markup inside
    ],
    ids=["page", "fragment", "markup-inside-text"],
)
def test_html_is_refused_not_stripped(raw_copy, capsys, page, line):
    """Stripping tags silently would move every offset away from the file; the user extracts the text."""
    bad = _first_report(raw_copy)
    bad.write_text(page, encoding="utf-8")
    msg = _refused(raw_copy, bad, capsys, "HTML page", "not stripped", "save the article text")
    assert f"{bad.name}:{line}:" in msg


def test_a_stray_angle_bracket_is_not_html(raw_copy):
    bad = _first_report(raw_copy)
    text = bad.read_text(encoding="utf-8") + "\n比较结果 a < b，换行标记<br>只出现一次。\n"
    bad.write_text(text, encoding="utf-8")
    assert dj.load_corpus(raw_copy)  # loads; nothing is refused for one tag


# --- 6. nothing but web boilerplate ------------------------------------------------------------------
WEB_ONLY = "首页 > 新闻中心 > 正文\n分享到：微信 微博\n相关文章\n浏览次数：123\n"


@pytest.mark.parametrize("text, detail", [(WEB_ONLY, "web boilerplate"),
                                          ("The party branch held 12 meetings.\n", "no Chinese characters")],
                         ids=["web-boilerplate", "no-chinese"])
def test_a_file_with_no_report_text_loads_and_is_flagged(tmp_path, text, detail):
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    report = dj.load_corpus(tmp_path)["page"]
    assert report.text == text  # nothing lost
    tables = _process(report)
    counts = tables["report"].iloc[0]
    assert counts["n_sentences"] == 0 or detail == "no Chinese characters"
    assert counts["n_indicators"] == 0
    flag = tables["quality"][tables["quality"]["issue"] == "no_report_text"]
    assert len(flag) == 1 and detail in flag["detail"].iloc[0]
    s, e = int(flag["start"].iloc[0]), int(flag["end"].iloc[0])
    assert text[s:e] == flag["span"].iloc[0] == text.split("\n")[0]
    if text == WEB_ONLY:
        # every line is kept in the paragraphs table, marked with its kind of boilerplate
        par = tables["paragraphs"]
        assert list(par["boilerplate"]) == ["breadcrumb", "share", "related", "page_meta"]
        assert counts["n_chars_boilerplate"] == len(text.replace("\n", ""))
        assert counts["n_chars_analysed"] == 0


# --- 7. damaged characters --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "line, issue, span",
    [
        ("全市党员?部参加培训120人次。", "lost_character", "?"),
        ("社区党群服务中心\ufffd\ufffd建成12个。", "replacement_character", "\ufffd\ufffd"),
        ("组织å…šå‘˜参加志愿服务30次。", "mojibake", "å…šå‘˜"),
        ("某区党员干部学习教育，黨員幹部學習教育覆蓋全區。", "mixed_script", "某区党员干部学习教育，黨員幹部學習教育覆蓋全區。"),
        ("黨員幹部學習教育覆蓋全區各級黨組織。", "mixed_script", "黨員幹部學習教育覆蓋全區各級黨組織。"),
    ],
    ids=["question-mark", "replacement", "mojibake", "mixed-in-one-line", "other-script-line"],
)
def test_damaged_characters_are_flagged_with_offsets_and_kept(tmp_path, line, issue, span):
    text = SIMPLIFIED + line + "\n" + SIMPLIFIED
    (tmp_path / "damaged.txt").write_text(text, encoding="utf-8")
    report = dj.load_corpus(tmp_path)["damaged"]
    assert report.text == text
    quality = _process(report)["quality"]
    rows = quality[quality["issue"] == issue]
    assert len(rows) == 1, quality
    s, e = int(rows["start"].iloc[0]), int(rows["end"].iloc[0])
    assert text[s:e] == rows["span"].iloc[0] == span
    assert s == text.index(span)


def test_mojibake_detail_shows_the_probable_original():
    row = next(r for r in damage("组织å…šå‘˜参加") if r["issue"] == "mojibake")
    assert "'党员'" in row["detail"] and "kept" in row["detail"]


@pytest.mark.parametrize("text", ["党员" + "1" * 5000 + "人。", "百分之" + "九" * 5000 + "。"], ids=["digits", "chinese"])
def test_an_unreadable_number_is_kept_and_flagged(tmp_path, text):
    """A numeral too long or malformed to read stays in the tables with an empty value and a quality row."""
    (tmp_path / "long.txt").write_text(text, encoding="utf-8")
    tables = _process(dj.load_corpus(tmp_path)["long"])
    mentions, quality = tables["mentions"], tables["quality"]
    assert tables["indicators"].empty  # an indicator needs a value
    kept = mentions[mentions["rule"] == "unreadable"]
    assert len(kept) == 1 and kept["kind"].iloc[0] == "unknown"
    flag = quality[quality["issue"] == "unreadable_value"]
    assert list(flag["span"]) == list(kept["span"]) and text[flag["start"].iloc[0]:flag["end"].iloc[0]] == kept["span"].iloc[0]


# --- 8. metadata and paths not covered in test_metadata.py ------------------------------------------
def _edit(folder: Path, fn) -> None:
    path = folder / METADATA_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc["reports"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_symlink_to_a_file_outside_the_folder_is_refused(raw_copy, capsys):
    secret = raw_copy.parent / "secret.txt"
    secret.write_text("外面的文件，不属于语料。", encoding="utf-8")
    os.symlink(secret, raw_copy / "leak.txt")
    _edit(raw_copy, lambda reps: reps[0].update(file="leak.txt"))
    msg = _refused(raw_copy, METADATA_FILE, capsys, "leak.txt", "symbolic link", "outside the data folder")
    assert str(secret.resolve()) in msg


def test_symlink_out_of_a_folder_without_metadata_is_refused(tmp_path, capsys):
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SIMPLIFIED, encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", folder / "b.txt")
    _refused(folder, "b.txt", capsys, "symbolic link", "outside the data folder")


def test_symlink_inside_the_folder_is_followed(tmp_path):
    folder = tmp_path / "raw"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "a.txt").write_text(SIMPLIFIED, encoding="utf-8")
    os.symlink(folder / "sub" / "a.txt", folder / "a.txt")
    assert dj.load_corpus(folder)["a"].text == SIMPLIFIED


def test_file_listed_twice_is_refused(raw_copy, capsys):
    names = sorted(p.name for p in raw_copy.glob("*.txt"))
    _edit(raw_copy, lambda reps: reps[1].update(file=reps[0]["file"]))
    (raw_copy / names[1]).unlink()  # else it would be reported as a file without an entry
    _refused(raw_copy, METADATA_FILE, capsys, "listed by more than one entry", names[0])


def test_unreadable_entry_is_an_error_not_a_traceback(tmp_path, capsys):
    folder = tmp_path / "raw"
    (folder / "dir.txt").mkdir(parents=True)  # a folder named like a report
    _refused(folder, "dir.txt", capsys, "cannot read the file")


def test_every_problem_of_a_folder_is_listed_at_once(raw_copy, capsys):
    files = sorted(raw_copy.glob("*.txt"))
    files[0].write_bytes(SIMPLIFIED.encode("gbk"))
    files[1].write_bytes(codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"))
    files[2].write_text("<html><body>x</body></html>", encoding="utf-8")
    assert main(["check", str(raw_copy)]) == 2
    out = capsys.readouterr().out
    for f, word in zip(files, ("not UTF-8", "UTF-16", "HTML")):
        assert any(f.name in line and word in line for line in out.splitlines()), (f.name, out)
    assert "3 problem(s)" in out


# --- 9. a 100 MB report --------------------------------------------------------------------------------
BIG_REPORT_SCRIPT = r"""
import json, resource, sys, time
import dangjian_analysis as dj
from dangjian_analysis.normalize import convert_aligned

folder, slice_bytes = sys.argv[1], int(sys.argv[2])
t0 = time.perf_counter()
problems = dj.check_corpus(folder)
t1 = time.perf_counter()
report = dj.load_corpus(folder).reports[0]
t2 = time.perf_counter()
norm = dj.normalize_text(report.text)
t3 = time.perf_counter()
piece = report.raw_bytes[:slice_bytes].decode("utf-8", "ignore")  # the first 10 MB: report.text[:len(piece)]
mentions = dj.extract_mentions(piece)
t4 = time.perf_counter()
step = max(1, len(mentions) // 1000)
spans_ok = all(report.text[s:e] == span for s, e, span in
               zip(mentions["start"][::step], mentions["end"][::step], mentions["span"][::step]))
raw_of = [report.text[norm.mapped.index[i]] for i in range(0, len(norm.text), max(1, len(norm.text) // 5000))]
index_ok = all(ch in (r, convert_aligned(r)) for ch, r in zip(norm.text[::max(1, len(norm.text) // 5000)], raw_of))
print(json.dumps(dict(
    problems=[str(p) for p in problems], n_chars=len(report.text), n_bytes=len(report.raw_bytes),
    n_norm=len(norm.text), n_boilerplate=len(norm.boilerplate), n_mentions=len(mentions), slice_chars=len(piece),
    spans_ok=spans_ok, index_ok=index_ok, check_s=t1 - t0, load_s=t2 - t1, normalize_s=t3 - t2, mentions_s=t4 - t3,
    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)))
"""


def test_a_100_mb_report_loads_normalizes_and_extracts(tmp_path):
    """Real sentences repeated to 100 MB: check, load and normalize the whole file, extract mentions from 10 MB.

    Runs in a fresh process so its peak memory is measured alone. Typical run on
    one core: check 1 s, load 1 s, normalize 6 s, mentions in 10 MB 2 s, peak
    memory 1.2 GB (the offset map alone is 8 bytes per character).
    """
    import json
    import subprocess
    import sys

    from conftest import RAW

    unit = "".join(p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))).encode("utf-8")
    size = 100 * 1024 * 1024
    folder = tmp_path / "big"
    folder.mkdir()
    with open(folder / "big.txt", "wb") as f:
        for _ in range(size // len(unit)):
            f.write(unit)
        f.write(unit[: unit.rfind(b"\n", 0, size % len(unit)) + 1])
    out = subprocess.run([sys.executable, "-c", BIG_REPORT_SCRIPT, str(folder), str(10 * 1024 * 1024)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    r = json.loads(out.stdout)
    print({k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()})
    assert r["problems"] == [] and r["n_bytes"] > 99 * 1024 * 1024
    assert r["n_boilerplate"] > 0 and r["n_mentions"] > 10_000
    assert r["spans_ok"] and r["index_ok"]
    assert r["peak_rss_mb"] < 2500, f"peak memory {r['peak_rss_mb']:.0f} MB for a 100 MB report"


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
    # one numeral string as a whole (parse_number is cached, so the cache is cleared for a fair time)
    "parse_number": lambda text: (parse_number.cache_clear(), parse_chinese.cache_clear(), parse_number(text)),
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
    detection (quadratic), and two patterns were exponential: a line of 25 " > "
    ending in 。 took 4 s in boilerplate detection (doubling with each " > "), and
    分别为 + 20 digits took 15 s in indicator extraction (×2.5 per digit).
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
