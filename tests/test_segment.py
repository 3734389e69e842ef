from dangjian_analysis.normalize import normalize
from dangjian_analysis.segment import heading_level, segment

SAMPLE = (
    "某区：“三聚焦”推动党建提质\n"
    "今年以来，某区坚持党建引领。全区建成党群服务中心12个！\n"
    "一、强化领导，系统谋划部署\n"
    "一是专题会议精部署。\n"
    "区委先后召开11次常委会。各街道跟进落实；社区全面覆盖。\n"
    "聚焦治理\n"
    "构建高效能基层治理体系\n"
    "建立网格党支部300余个。\n"
    "西固区融媒体中心\n"
)


def test_heading_patterns():
    assert heading_level("一、强化领导,系统谋划部署,让基层党建“干有方向”") == 1
    assert heading_level("二是六大工程搭载体。") == 2
    assert heading_level("（三）健全督导考评机制") == 2
    assert heading_level("乡村振兴注入党建动能") == 1
    assert heading_level("深化政治机关意识。坚持把政治建设放在机关建设的核心位置。") == 0
    assert heading_level("区委先后召开11次常委会、9次党建小组会。") == 0


def test_sections_sentences_and_offsets():
    t = segment(normalize(SAMPLE), "x")
    sec = t["sections"]
    assert list(sec["kind"]) == ["front", "title", "heading", "heading", "heading", "trailer"]
    assert list(sec["level"]) == [0, 1, 1, 2, 1, 1]
    # a heading followed directly by another short line is one section (title + slogan)
    assert sec["heading"].iloc[4] == "聚焦治理 构建高效能基层治理体系"
    assert sec["parent_id"].iloc[3] == sec["section_id"].iloc[2]
    sents = t["sentences"]
    for s, e, text in zip(sents["start"], sents["end"], sents["text"]):
        assert SAMPLE[s:e] == text
    assert "区委先后召开11次常委会。" in set(sents["text"])
    assert "今年以来，某区坚持党建引领。" in set(sents["text"])


def test_traditional_text_maps_to_raw_offsets():
    raw = "西固區:“四個聚焦”推動機關黨建\n組織黨員到社區報到服務700余次。設立26個黨員示範崗。\n"
    t = segment(normalize(raw), "t")
    sents = t["sentences"]
    assert list(sents["text"])[1] == "组织党员到社区报到服务700余次。"
    s, e = sents["start"].iloc[1], sents["end"].iloc[1]
    assert raw[s:e] == "組織黨員到社區報到服務700余次。"


def test_reading_aids_inside_sentences_map_to_raw():
    raw = "全市網(wǎng)格黨組織全覆蓋。"
    sents = segment(normalize(raw), "p")["sentences"]
    assert sents["text"].iloc[0] == "全市网格党组织全覆盖。"
    assert raw[sents["start"].iloc[0]:sents["end"].iloc[0]] == raw


def test_every_real_sentence_points_into_its_report(corpus):
    for r in corpus:
        t = segment(normalize(r.text), r.report_id)
        sents = t["sentences"]
        assert len(sents) > 10
        for s, e in zip(sents["start"], sents["end"]):
            assert 0 <= s < e <= len(r.text)
        # sections tile the file in order
        assert list(t["sections"]["start"]) == sorted(t["sections"]["start"])
