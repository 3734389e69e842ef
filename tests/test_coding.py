"""Rule coding of sentences, indicators and strategies, in both scripts."""
from __future__ import annotations

import pandas as pd
import pytest

from dangjian_analysis.codebook import load_codebook
from dangjian_analysis.coding import (code_indicators, code_sentences, code_strategies, code_text, hits,
                                      subject_code, with_labels)
from dangjian_analysis.normalize import normalize
from dangjian_analysis.strategies import strategies_of


@pytest.fixture(scope="module")
def cb():
    return load_codebook()


def sentences(*texts: str, boilerplate: str = "") -> pd.DataFrame:
    return pd.DataFrame({"sentence_id": [f"t:s{i:04d}" for i in range(1, len(texts) + 1)], "text": list(texts),
                         "boilerplate": [boilerplate] * len(texts)})


def coded(text: str) -> dict:
    return code_sentences(sentences(text)).iloc[0].to_dict()


def test_traditional_codes_like_simplified():
    pairs = [
        ("先后投入资金6000多万元，新建党群服务中心12个。", "先後投入資金6000多萬元，新建黨群服務中心12個。"),
        ("化解矛盾纠纷400余起，群众满意度明显提升。", "化解矛盾糾紛400餘起，群眾滿意度明顯提升。"),
        ("严格执行“三会一课”制度。", "嚴格執行「三會一課」制度。"),
    ]
    for simp, trad in pairs:
        a, b = coded(simp), coded(trad)
        for dim in ("theme", "themes", "stage", "instrument"):
            assert a[dim] == b[dim], (simp, dim)


@pytest.mark.parametrize("text, stage", [
    ("街道党工委投入专项资金500万元。", "input"),
    ("为每个村选派第一书记1名。", "input"),
    ("全年开展主题党日活动120场。", "activity"),
    ("建成红色驿站30个，实现小区全覆盖。", "output"),
    ("化解矛盾纠纷86起。", "output"),
    ("联建村集体收入均增加3万元以上。", "outcome"),
    ("居民满意度达到96%。", "outcome"),
])
def test_stage_sentences(text, stage):
    assert coded(text)["stage"] == stage


def test_furthest_stage_wins_in_a_sentence():
    # money in, centres built: the sentence reports an output
    assert coded("投入资金6000多万元，建成党群服务中心56个。")["stage"] == "output"


@pytest.mark.parametrize("text, instrument", [
    ("对评定的星级社区按每星2万元给予奖励。", "incentive"),
    ("对履职不力的书记严肃问责。", "incentive"),
    ("严格执行党组织书记述职制度。", "authority"),
    ("分三批组织村干部集中轮训。", "capacity_building"),
    ("大力弘扬红色革命精神。", "symbolic_hortatory"),
    ("选择两个乡镇先行试点，请专家会诊把脉。", "learning"),
])
def test_instrument(text, instrument):
    assert coded(text)["instrument"] == instrument


@pytest.mark.parametrize("text, theme", [
    ("深入学习贯彻党的二十届三中全会精神，开展理论宣讲。", "political_education"),
    ("在每栋楼设立楼栋党小组，实现组织覆盖。", "organization_building"),
    ("发展预备党员18人，收缴党费3万元。", "member_management"),
    ("面向社会公开招聘社区工作者60名。", "cadres_talent"),
    ("组建志愿服务队为高龄老人送餐上门。", "mass_services"),
    ("村里设立调解室，及时化解邻里纠纷。", "grassroots_governance"),
    ("财政拨付经费改造村级活动场所。", "resources_facilities"),
    ("开展党纪学习教育，严格执纪问责。", "discipline_supervision"),
    ("发展壮大村集体经济，带动群众增收致富。", "economic_rural_development"),
    ("打造机关党建品牌20个，评选示范点8个。", "branding_evaluation"),
])
def test_theme_sentences_not_in_the_reports(text, theme):
    assert coded(text)["theme"] == theme


def test_tie_goes_to_the_theme_listed_first_and_all_are_kept(cb):
    row = coded("开展党史学习，设立网格党支部。")  # one political, one organizational keyword
    assert row["theme"] == "political_education"
    assert row["themes"] == "political_education|organization_building"
    order = cb.dimension("theme").code_ids
    assert order.index("political_education") < order.index("organization_building")


def test_longest_keyword_hides_the_shorter_inside(cb):
    found = hits("扎实推进党纪学习教育", cb.dimension("theme"))
    assert [h.keyword for h in found] == ["党纪学习教育"]


def test_coded_by_and_boilerplate():
    df = code_sentences(sentences("坚持党建引领。", "开展志愿服务活动。"))
    assert list(df["theme_coded_by"]) == ["", "rule"]
    assert df["theme"].iloc[0] == ""
    masked = code_sentences(sentences("分享到：开展志愿服务活动", boilerplate="share"))
    assert masked[["theme", "stage", "instrument"]].iloc[0].tolist() == ["", "", ""]
    assert masked["theme_coded_by"].iloc[0] == ""


def test_labels_come_from_the_codebook(cb):
    df = with_labels(code_sentences(sentences("开展志愿服务活动。")), "en")
    assert df["theme_label"].iloc[0] == cb.dimension("theme").label("mass_services", "en")
    zh = with_labels(code_sentences(sentences("开展志愿服务活动。")), "zh")
    assert zh["theme_label"].iloc[0] == "服务群众"


# --- indicators: the clause around the number -----------------------------------

def _indicators(text: str, spans: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    rows = []
    for span, subject, measure_word, unit in spans:
        start = text.index(span)
        rows.append(dict(indicator_id=f"t:m{len(rows) + 1:04d}", start=start, end=start + len(span), span=span,
                         subject=subject, measure_word=measure_word, unit=unit))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("text", ["先后投入资金6000多万元，建成党群服务中心56个。",
                                  "先後投入資金6000多萬元，建成黨群服務中心56個。"])
def test_indicator_stage_is_the_nearest_verb(text):
    spans = [("6000多万元" if "万" in text else "6000多萬元", "资金", "元", "yuan"),
             ("56个" if "个" in text else "56個", "党群服务中心", "个", "count")]
    df = code_indicators(_indicators(text, spans), normalize(text))
    assert list(df["stage"]) == ["input", "output"]
    assert list(df["subject_type"]) == ["funds", "facilities_posts"]
    assert list(df["theme"]) == ["resources_facilities", "resources_facilities"]
    assert set(df["subject_type_coded_by"]) == {"rule"}


def test_indicator_after_its_noun():
    text = "排查梳理关键岗位203个，集中走访居民964户。"
    df = code_indicators(_indicators(text, [("203个", "关键岗位", "个", "count"),
                                            ("964户", "居民", "户", "household")]), normalize(text))
    assert list(df["stage"]) == ["activity", "activity"]
    assert list(df["subject_type"]) == ["facilities_posts", "residents_households"]


@pytest.mark.parametrize("subject, measure_word, unit, expected", [
    ("社区党组织书记", "名", "person", "cadres_staff"),  # head-final: a secretary, not an organization
    ("网格党支部", "个", "count", "party_organizations"),
    ("流动党员", "名", "person", "party_members"),
    ("矛盾纠纷", "次", "count", "problems_solved"),
    ("", "户", "household", "residents_households"),
    ("", "元", "yuan", "funds"),
    ("", "场", "count", "events_activities"),
    ("", "名", "person", ""),  # a bare count of people says nothing about who
    ("黨員中心戶", "名", "person", "party_members"),
    ("党员志愿者综合服务小队", "支", "count", "party_organizations"),  # the head 小队, not 服务
])
def test_subject_type(cb, subject, measure_word, unit, expected):
    assert subject_code(subject, measure_word, unit, cb.dimension("subject_type")) == expected


def test_strategies_are_coded_from_their_name_first():
    text = "推行“三单制”工作模式，即居民下单、社区派单、党员接单。严格落实“三会一课”制度。"
    norm = normalize(text)
    df = code_strategies(strategies_of(norm, "t"), norm)
    assert list(df["name"]) == ["三单制", "三会一课"]
    assert list(df["theme"]) == ["mass_services", "political_education"]
    assert "stage" not in df.columns  # a programme's name has no logic-model stage
    assert set(df["theme_coded_by"]) == {"rule"}


def test_code_text_on_one_dimension(cb):
    assert code_text("持续开展结对帮扶", cb.dimension("stage")) == "activity"
