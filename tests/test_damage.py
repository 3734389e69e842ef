from dangjian_analysis.damage import damage, damage_table, dominant_script
from dangjian_analysis.normalize import normalize


def test_lost_characters_are_reported_not_repaired():
    text = "慶陽網訊(記者 馬小?。?261個行政村全覆蓋,我们的目标?"
    rows = [r for r in damage(text) if r["issue"] == "lost_character"]
    assert [text[r["start"]:r["end"]] for r in rows] == ["?", "?", "?"]


def test_ascii_question_mark_in_latin_text_is_not_damage():
    assert damage("What is QQ? A chat app.") == []


def test_replacement_character_and_mojibake():
    issues = {r["issue"] for r in damage("党建\ufffd\ufffd工作 锟斤拷 cafÃ©")}
    assert {"replacement_character", "mojibake"} <= issues


def test_mixed_script_line_flagged():
    text = "黨建工作全面開啓高質量發展新局面\n党建工作全面开启高质量发展新局面\n黨員幹部學習教育\n"
    rows = damage(text)
    assert [(r["issue"], r["start"]) for r in rows] == [("mixed_script", text.index("党建"))]


def test_dominant_script():
    assert dominant_script("黨組織書記") == "traditional"
    assert dominant_script("党组织书记") == "simplified"
    assert dominant_script("123 abc") == "unknown"


def test_real_damage_is_found(corpus):
    found = {r.report_id: damage_table(r.report_id, normalize(r.text)) for r in corpus}
    # the reports with pinyin aids and encoding damage carry lost characters; their offsets point at '?'
    for rid, df in found.items():
        for s, e, span in zip(df["start"], df["end"], df["span"]):
            assert corpus[rid].text[s:e] == span
    assert any((df["issue"] == "lost_character").any() for df in found.values())
