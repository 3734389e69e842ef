"""Every numeral gets exactly one mention with one kind; sentences composed for the tests."""
from __future__ import annotations

import math
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dangjian_analysis as dj
from dangjian_analysis.mentions import KINDS, lexicon, mentions_of
from dangjian_analysis.normalize import normalize

from conftest import RAW

CN_NUMERAL = re.compile("[一二三四五六七八九十百千万亿两零〇廿萬億兩]")


def kind_of(text: str, target: str, nth: int = 0) -> str:
    """The kind of the mention covering the first character of the nth *target* in *text*."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(target, pos + 1)
    m = dj.extract_mentions(text)
    hit = m[(m["start"] <= pos) & (m["end"] > pos)]
    assert len(hit) == 1, f"{target!r} in {text!r}: {hit.to_dict('records')}"
    return hit["kind"].iloc[0]


@pytest.fixture(scope="module")
def raw_mentions() -> list[tuple[str, pd.DataFrame]]:
    out = []
    for path in sorted(RAW.glob("*.txt")):
        raw = path.read_bytes().decode("utf-8")
        out.append((raw, dj.extract_mentions(raw)))
    return out


def test_every_digit_run_in_exactly_one_mention(raw_mentions) -> None:
    for raw, m in raw_mentions:
        for run in re.finditer(r"[0-9０-９]+", raw):
            inside = m[(m["start"] <= run.start()) & (m["end"] >= run.end())]
            assert len(inside) == 1, (run.group(), raw[run.start() - 10:run.end() + 10])


def test_every_chinese_numeral_character_in_exactly_one_mention(raw_mentions) -> None:
    for raw, m in raw_mentions:
        starts, ends = m["start"].to_numpy(), m["end"].to_numpy()
        for ch in CN_NUMERAL.finditer(raw):
            n = int(((starts <= ch.start()) & (ends > ch.start())).sum())
            assert n == 1, (ch.group(), raw[ch.start() - 10:ch.end() + 10])


def test_mentions_are_traceable_and_disjoint(raw_mentions) -> None:
    for raw, m in raw_mentions:
        assert list(m.columns) == ["start", "end", "span", "kind", "value", "boilerplate", "damaged", "rule"]
        assert all(raw[s:e] == span for s, e, span in zip(m["start"], m["end"], m["span"]))
        assert (m["start"].to_numpy()[1:] >= m["end"].to_numpy()[:-1]).all()
        assert set(m["kind"]) <= set(KINDS)


@pytest.mark.parametrize(
    "text, target, kind",
    [
        # indicators
        ("排查梳理关键岗位203个，查找问题77项。", "203", "indicator"),
        ("先后投入资金6000多万元，完成改造。", "6000", "indicator"),
        ("直属党组织党建品牌覆盖率达80%。", "80", "indicator"),
        ("累计培训党员干部8000多人次。", "8000", "indicator"),
        ("开展志愿服务活动千余场。", "千", "indicator"),
        ("每人领办2—3个项目。", "2", "indicator"),
        ("新增党员百分之十五。", "百分之", "indicator"),
        ("全年服务群众两万余人次。", "两", "indicator"),
        ("为１２３名党员建立档案。", "１２３", "indicator"),
        # dates
        ("2024年以来，全区持续发力。", "2024", "date"),
        ("3月20日召开观摩会。", "3", "date"),
        ("截至5月底，已签约项目8个。", "5", "date"),
        ("提出2025年度计划。", "2025", "date"),
        ("每月16日开展主题党日。", "16", "date"),
        ("自2023年12月项目启动至今。", "2023", "date"),
        ("迎七一诗朗诵比赛。", "七", "date"),
        ("近两年引进人才30名。", "两", "date"),
        ("全区90后党员占比提高到28%。", "90", "name"),  # a generation label
        ("培养００后青年志愿者50名。", "００", "name"),
        ("發展80後黨員35名。", "80", "name"),
        ("三年累计培训党员干部4.6万人次。", "三", "date"),  # a period, not a duration counted
        ("五年共發展黨員300名。", "五", "date"),
        ("两年间新建阵地12个。", "两", "date"),
        ("培训时间不少于3年。", "3", "indicator"),  # a duration stays a quantity
        ("服务期为3年，共培训2期。", "3", "indicator"),
        ("发布时间：2022-02-14 01:50:21", "2022", "date"),
        ("二〇二四年三月，召开大会。", "二", "date"),
        ("第一季度完成投资。", "第", "date"),
        # ordinals
        ("深入学习党的二十大精神。", "二十", "ordinal"),
        ("学习贯彻党的十九大精神。", "十九", "ordinal"),
        ("党的二十届三中全会精神宣讲。", "二十", "ordinal"),
        ("纪念建党97周年系列活动。", "97", "ordinal"),
        ("一是专题会议精部署。", "一", "ordinal"),
        ("落实第一议题制度。", "第", "ordinal"),
        ("一、强化领导\n", "一", "ordinal"),
        ("（三）强化保障。", "三", "ordinal"),
        ("坚持十四五规划。", "十四", "ordinal"),
        ("十四届全国人大二次会议召开。", "二", "ordinal"),
        ("县十五届一次全会。", "十五", "ordinal"),
        ("召开区第十三次党代会。", "十三", "ordinal"),
        ("一年多来，成效明显。", "一", "date"),
        ("12号上午召开会议。", "12", "date"),
        ("住在3号楼。", "3", "ordinal"),
        ("印发《意见》（甘组发〔2024〕12号）。", "2024", "name"),
        # formulas
        ("落实“三会一课”制度。", "三", "formula"),
        ("开展百日攻坚行动。", "百", "formula"),
        ("形成“136”总体工作思路。", "136", "formula"),
        ("推广“520”党员分类管理体系。", "520", "formula"),
        ("以“五聚焦”激发动力。", "五", "formula"),
        ("实施六大工程。", "六", "formula"),
        ("健全“一场所六中心”。", "一", "formula"),
        ("实现“十五分钟服务圈”。", "十五", "formula"),
        ("形成1+1>2的效果。", "1", "formula"),
        ("结成“1对1、1对N”师徒。", "1", "formula"),
        ("推行一村一品。", "一", "formula"),
        ("落实三定一考工作法。", "三", "formula"),
        ("推动一室多用。", "一", "formula"),
        ("集中一个多月时间开展整治。", "一", "indicator"),
        ("编制第十四个五年规划。", "五", "formula"),
        ("数十个党组织参与。", "十", "indicator"),
        ("全市三分之二的村。", "三", "indicator"),
        ("40岁以下的年轻干部达50%以上。", "40", "unknown"),
        ("60周岁以上老人120名。", "60", "unknown"),
        # names
        ("二七区委召开会议。", "二", "name"),
        ("参加G20峰会。", "20", "name"),
        ("拨打12345热线。", "12345", "name"),
        ("形成“党的创新理论万场宣讲进基层”品牌。", "万", "formula"),
        ("他说：“现在一个电话就能解决。”", "一", "name"),
        ("五里堡街道党工委。", "五", "name"),
        ("带头下沉一线。", "一", "name"),
        ("争创一流业绩。", "一", "name"),
        ("活动延伸至八小时之外。", "八", "name"),
        ("统一标准、统一管理。", "统", "name"),
        ("进一步压实责任。", "一", "name"),
        ("组建一批党建联盟。", "一", "name"),
        ("社区“两委”成员。", "两", "name"),
        ("缴纳“五险一金”。", "五", "name"),
        ("行百里者半九十。", "百", "name"),
        ("推进5G基站建设。", "5", "name"),
        ("印发《关于加强20项工作的意见》。", "20", "name"),
        # Traditional script gives the same kinds
        ("投入資金6000多萬元，建成黨群服務中心56個。", "6000", "indicator"),
        ("黨的十九大報告指出。", "十九", "ordinal"),
        ("堅持“三會一課”制度。", "三", "formula"),
        ("二七區委進一步壓實責任。", "一", "name"),
        ("今年4月份集中培訓。", "4", "date"),
    ],
)
def test_kind(text: str, target: str, kind: str) -> None:
    assert kind_of(text, target) == kind


def test_two_numbers_in_a_range_are_one_mention() -> None:
    m = dj.extract_mentions("配备了2-4名党建专职骨干，按照50%-75%比例奖补。")
    ind = m[m["kind"] == "indicator"]
    assert list(ind["span"]) == ["2-4名", "50%-75%"]


def test_damaged_number_is_unknown_and_not_read() -> None:
    text = "記者 馬小?。?261個行政村網格黨組織全覆蓋"
    m = dj.extract_mentions(text)
    row = m[m["span"].str.contains("261")].iloc[0]
    assert row["span"] == "?261個"
    assert row["kind"] == "unknown" and row["damaged"]
    assert math.isnan(row["value"])
    assert row["rule"] == "damaged"


def test_replacement_character_marks_damage() -> None:
    m = dj.extract_mentions("共有\ufffd35名党员参加")
    assert m.iloc[0]["damaged"] and m.iloc[0]["kind"] == "unknown"


def test_reading_aids_are_skipped_and_offsets_stay_raw() -> None:
    text = "網(wǎng)格黨組織1261個，服務(wù)群眾"
    m = dj.extract_mentions(text)
    assert list(m["span"]) == ["1261個"]
    s, e = int(m.iloc[0]["start"]), int(m.iloc[0]["end"])
    assert text[s:e] == "1261個"


def test_value_is_in_base_units() -> None:
    m = dj.extract_mentions("投入資金6000多萬元，撥付黨費55萬元，總投資690億元。")
    assert list(m["value"]) == [6e7, 5.5e5, 6.9e10]


def test_boilerplate_mentions_are_kept_and_marked() -> None:
    text = "正文共有党员30名。\n热烈祝贺晚报创刊40周年\n"
    m = dj.extract_mentions(text)
    banner = m[m["span"] == "40周年"].iloc[0]
    assert banner["boilerplate"] == "banner"
    assert m[m["span"] == "30名"].iloc[0]["boilerplate"] == ""


def test_lexicon_kinds_are_known() -> None:
    words = lexicon()
    assert words["进一步"] == "name" and words["三会一课"] == "formula"
    assert set(words.values()) <= set(KINDS)


def test_no_in_text_numeral_transform() -> None:
    """二七区 stays a name; nothing reads it as 27."""
    m = dj.extract_mentions("二七区建成示范点27个。")
    assert list(m["kind"]) == ["name", "indicator"]
    assert m.iloc[1]["value"] == 27


def test_mentions_of_keeps_normalized_offsets() -> None:
    norm = normalize("網(wǎng)格員730余名")
    m = mentions_of(norm)
    row = m.iloc[0]
    assert norm.text[row["norm_start"]:row["norm_end"]] == "730余名"
    assert norm.raw[row["start"]:row["end"]] == "730余名"


def test_jumping_scan_equals_a_full_scan(raw_mentions) -> None:
    """The scan that jumps between numeral runs finds exactly what a position-by-position scan finds."""
    from dangjian_analysis.mentions import iter_matches, master_pattern

    texts = [normalize(raw).text for raw, _ in raw_mentions]
    texts.append("一是统一思想，二是进一步落实“三会一课”，三是2024年以来投入6000多万元。十九大、一线、两委")
    for text in texts:
        full = [(m.span(), m.lastgroup) for m in master_pattern().finditer(text)]
        assert [(m.span(), m.lastgroup) for m in iter_matches(text)] == full


ALPHABET = list("党员干部群众社区村个名项次万元年月日第是以来多余约近超过不少于以上、，。“”《》（）?") + list(
    "0123456789０１２３４５６７８９") + list("零〇一二三四五六七八九十百千万亿两廿")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_any_text_is_covered_exactly(text: str) -> None:
    """Whatever the text, every numeral character lies in exactly one mention and spans stay traceable."""
    m = dj.extract_mentions(text)
    starts, ends = m["start"].to_numpy(), m["end"].to_numpy()
    for i, ch in enumerate(text):
        if ch.isdigit() or ch in "零〇一二三四五六七八九十百千万亿两廿":
            assert int(((starts <= i) & (ends > i)).sum()) == 1, (text, i)
    assert all(text[s:e] == span for s, e, span in zip(starts, ends, m["span"]))
    ind = dj.extract_indicators(text)
    assert all(text[s:e] == span for s, e, span in zip(ind["start"], ind["end"], ind["span"]))


def test_build_mentions_table_covers_every_digit_run(corpus) -> None:
    """The per-report tables the build writes (mentions.csv) keep every digit run, with ids."""
    from dangjian_analysis.build import process_report

    for report in corpus:
        m = process_report(report)["mentions"]  # the census population changes quality rows, not mentions
        assert (m["report_id"] == report.report_id).all()
        assert (m["sentence_id"] != "").mean() > 0.9
        starts, ends = m["start"].to_numpy(), m["end"].to_numpy()
        for run in re.finditer(r"[0-9０-９]+", report.text):
            assert int(((starts <= run.start()) & (ends >= run.end())).sum()) == 1, run.group()


def test_measure_vocabulary_uses_only_known_units() -> None:
    from dangjian_analysis.mentions import UNIT_OF_MEASURE, measure_vocabulary, unit_of
    from dangjian_analysis.tables import UNITS

    assert set(UNIT_OF_MEASURE.values()) <= set(UNITS)
    assert set(measure_vocabulary()["duration"]) <= set(UNIT_OF_MEASURE)
    assert unit_of("人次") == "person_time" and unit_of("颗") == "count" and unit_of("未知") == "count"


@pytest.mark.parametrize(
    "text, target, kind",
    [
        # g. idioms with numerals are words, not numbered formulas (jieba's dictionary knows them)
        ("党员一呼百应。", "一呼百应", "name"),
        ("黨員一呼百應。", "一呼百應", "name"),
        ("群众七嘴八舌。", "七嘴八舌", "name"),
        ("群眾七嘴八舌。", "七嘴八舌", "name"),
        ("上级三令五申。", "三令五申", "name"),
        ("交通四通八达。", "四通八达", "name"),
        ("交通四通八達。", "四通八達", "name"),
        ("要一心一意、万众一心。", "万众一心", "name"),
        # ... while a numbered formula stays a formula
        ("推行“一核多元”工作法。", "一核多元", "formula"),
        # e. a small Chinese numeral with a classifier of events next to a verb is a count
        ("先后三次召开专题会。", "三次", "indicator"),
        ("先後三次召開專題會。", "三次", "indicator"),
        ("开展两轮次全员培训。", "两轮次", "indicator"),
        ("開展兩輪次全員培訓。", "兩輪次", "indicator"),
        # ... but not a framework with another classifier, and not an indefinite 一次
        ("落实两个责任。", "两个", "formula"),
        ("开展一次集中整治。", "一次", "name"),
    ],
)
def test_idioms_and_verbal_counts(text: str, target: str, kind: str) -> None:
    assert kind_of(text, target) == kind


def test_an_idiom_covers_all_its_numerals() -> None:
    m = dj.extract_mentions("党员一呼百应，群众三令五申。")
    assert list(m["span"]) == ["一呼百应", "三令五申"]
    assert set(m["rule"]) == {"idiom"}


def test_lines_scanned_alone_equal_the_whole_text(raw_mentions) -> None:
    """No rule reaches across a line break, so scanning line by line (with a cache) changes nothing."""
    from dangjian_analysis.mentions import _scan_text, scan

    def plain(found):
        return [tuple(None if isinstance(x, float) and math.isnan(x) else x for x in f) for f in found]

    texts = [normalize(raw).text for raw, _ in raw_mentions]
    texts.append("投入3000\n-5000元，2019\n-2020年，1+\n1，〔2024〕\n12号\n一、统一思想\n二是推进")
    for text in texts:
        assert plain(scan(text)) == plain(_scan_text(text))
        assert plain(scan(text)) == plain(scan(text))  # the second time from the cache


@pytest.mark.parametrize(
    "text, target",
    [
        ("以前村里一年到头没有收入。", "一年到头"),
        ("以前村裡一年到頭沒有收入。", "一年到頭"),
        ("三天打鱼两天晒网不行。", "三天打鱼两天晒网"),
        ("三天打魚兩天曬網不行。", "三天打魚兩天曬網"),
    ],
)
def test_an_idiom_is_a_word_even_where_a_count_could_be_read(text: str, target: str) -> None:
    m = dj.extract_mentions(text)
    assert list(m["span"]) == [target] and list(m["kind"]) == ["name"]
