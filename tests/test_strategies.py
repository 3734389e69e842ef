"""Named strategies in sentences written in the reports' style, in both scripts."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dangjian_analysis.codebook import load_codebook, package_codebook_path
from dangjian_analysis.normalize import normalize
from dangjian_analysis.strategies import number_structure, strategies_of, strategy_table


def found(text: str, **kw):
    df = strategies_of(normalize(text), **kw)
    for start, end, span in zip(df["start"], df["end"], df["span"]):
        assert text[start:end] == span
    return df


def one(text: str):
    df = found(text)
    assert len(df) == 1, df[["span", "kind"]].to_dict("records")
    return df.iloc[0]


def test_quoted_numbered_formula_with_head():
    row = one("推行“三单制”工作模式，即居民下单、社区派单、党员接单。")
    assert (row["name"], row["head"], row["kind"], row["numbers"]) == ("三单制", "工作模式", "numbered_formula", "3")
    assert row["span"] == "“三单制”工作模式"
    assert row["number_total"] == 3 and bool(row["quoted"])


def test_traditional_gives_the_same_row():
    simp = one("推行“三单制”工作模式，即居民下单、社区派单、党员接单。")
    trad = one("推行「三單制」工作模式，即居民下單、社區派單、黨員接單。")
    assert trad["span"] == "「三單制」工作模式"
    for col in ("name", "head", "kind", "numbers", "number_total", "start", "end"):
        assert trad[col] == simp[col], col


def test_two_numerals_add_up():
    row = one("各支部严格落实“三会一课”制度。")
    assert (row["numbers"], row["number_total"], bool(row["national"])) == ("3+1", 4.0, True)
    assert one("健全“一场所六中心”服务体系建设。")["numbers"] == "1+6"
    assert one("在全镇推广“两述两评”工作法。")["numbers"] == "2+2"


def test_digit_code_spelled_out_in_the_text():
    text = "全县明确一个目标、建立三项机制、实施六大行动，形成了“136”工作思路。"
    rows = found(text)
    code = rows[rows["name"] == "136"].iloc[0]
    assert (code["kind"], code["numbers"], code["number_total"]) == ("numbered_formula", "1,3,6", 10.0)


def test_digit_code_not_spelled_out_stays_as_written():
    row = one("推广“520”党员分类管理体系。")
    assert row["numbers"] == "520" and row["number_total"] != row["number_total"]  # NaN


def test_unquoted_numeral_classifier_head():
    rows = found("街道党工委统筹实施六大工程，同步健全三项机制。")
    assert list(rows["name"]) == ["六大工程", "三项机制"]
    assert list(rows["numbers"]) == ["6", "3"]
    assert set(rows["kind"]) == {"numbered_formula"}


def test_quoted_programme_needs_a_head():
    row = one("创新“街乡吹哨、部门报到”机制，推动问题就地解决。")
    assert (row["name"], row["head"], row["kind"]) == ("街乡吹哨、部门报到", "机制", "quoted_programme")
    assert row["numbers"] == ""
    assert found("群众说这是“暖心工作”，大家都满意。").empty  # a quoted phrase alone is not a programme


def test_named_mechanism_after_a_verb():
    row = one("镇党委建立群众说事制度，每月听取村民意见。")
    assert (row["name"], row["head"], row["kind"]) == ("群众说事制度", "制度", "named_mechanism")
    assert one("深入实施红色头雁培育工程。")["name"] == "红色头雁培育工程"


def test_counted_units_are_not_names():
    assert found("目前已经成立了8个区域治理党建联盟。").empty
    assert found("全面建立健全制度49个。").empty


def test_place_names_ordinals_and_terms_are_not_formulas():
    assert found("社区“两委”班子全部配齐。").empty
    assert found("缴纳“五险一金”。").empty
    assert found("实现“1+1>2”的效果。").empty
    row = one("依托“二七志愿汇”平台开展服务。")
    assert (row["kind"], row["numbers"]) == ("quoted_programme", "")


def test_distributive_slogans_carry_no_numbers():
    row = one("党员档案做到“一人一档”。")
    assert (row["kind"], row["numbers"]) == ("distributive_formula", "")


def test_reading_aids_inside_a_name_keep_offsets():
    text = "推廣“三單制”工作模(mó)式。"
    row = one(text)
    assert row["span"] == "“三單制”工作模(mó)式"
    assert row["name"] == "三单制" and row["head"] == "工作模式"


def test_boilerplate_is_skipped():
    text = "相关阅读：“三会一课”制度解读\n各支部落实“四本台账”。\n"
    rows = found(text)
    assert list(rows["name"]) == ["四本台账"]


def test_number_structure():
    assert number_structure("十五分钟服务圈") == ("15", 15.0)
    assert number_structure("四强六好") == ("4+6", 10.0)
    assert number_structure("五星联创") == ("5", 5.0)
    assert number_structure("四个统一") == ("4", 4.0)  # 统一 is a word, not a numeral
    assert number_structure("十九大精神") == ("", None)
    assert number_structure("二七区") == ("", None)
    assert number_structure("1+N") == ("1+N", None)


def test_ids_follow_the_text_not_the_rules(tmp_path: Path):
    text = "推行“三单制”工作模式。镇党委建立群众说事制度。实施六大工程。"
    before = strategies_of(normalize(text), "r1")
    assert list(before["strategy_id"]) == [f"r1:g{s}" for s in before["start"]]
    data = yaml.safe_load(package_codebook_path().read_text(encoding="utf-8"))
    data["strategies"]["name_suffixes"].remove("制度")
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    after = strategies_of(normalize(text), "r1", load_codebook(path))
    assert len(after) == len(before) - 1
    assert set(after["strategy_id"]) < set(before["strategy_id"])


def test_real_reports_offsets_and_sections(corpus):
    from dangjian_analysis.segment import segment

    total = 0
    for report in corpus:
        norm = normalize(report.text)
        sentences = segment(norm, report.report_id)["sentences"]
        df = strategy_table(norm, report.report_id, sentences)
        total += len(df)
        assert df["strategy_id"].is_unique
        for row in df.itertuples():
            assert report.text[row.start:row.end] == row.span
            assert row.section_id.startswith(report.report_id)
    assert total > 50


def test_the_issue_examples_are_found_in_the_seed_reports(corpus):
    names = {}
    for report in corpus:
        for row in strategies_of(normalize(report.text)).itertuples():
            names.setdefault(row.name, set()).add((row.kind, row.numbers))
    assert ("numbered_formula", "5") in names["五星联创"]
    assert ("numbered_formula", "3+1") in names["三会一课"]
    assert ("numbered_formula", "1,3,6") in names["136"]
    assert ("numbered_formula", "4") in names["四本台账"]
    assert ("numbered_formula", "1+6") in names["一场所六中心"]
    assert ("numbered_formula", "5") in names["五级架构"]
    assert ("numbered_formula", "3") in names["三单制"]
    assert ("quoted_programme", "") in names["夏都枢纽"]
    assert "两委" not in names and "五险一金" not in names


def test_offsets_hold_for_any_mix_of_pieces():
    from hypothesis import given, settings, strategies as st

    pieces = st.sampled_from(["推行", "“三单制”", "「三會一課」", "工作模式", "制度", "建立", "群众说事", "，", "。",
                              "\n", "六大工程", "網(wǎng)格", "“136”", "一个", "三项", "实施", "8个", "联盟", "“",
                              "”", "相关阅读：", "二七区", "“两委”", "活动"])

    @settings(max_examples=150, deadline=None)
    @given(st.lists(pieces, max_size=25))
    def check(parts):
        text = "".join(parts)
        df = strategies_of(normalize(text), "r")
        for row in df.itertuples():
            assert text[row.start:row.end] == row.span
            assert row.start < row.end
        assert df["strategy_id"].is_unique
        spans = sorted(zip(df["start"], df["end"]))
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(spans, spans[1:]))  # no overlaps

    check()


def test_extract_strategies_takes_plain_text_in_either_script():
    import dangjian_analysis as dj

    simp = "该镇推行“三单制”工作法，落实“三会一课”制度。"
    trad = "該鎮推行“三單制”工作法，落實“三會一課”制度。"
    a, b = dj.extract_strategies(simp), dj.extract_strategies(trad)
    assert len(a) >= 2 and list(a["name"]) == list(b["name"])
    assert all(trad[s:e] == span for s, e, span in zip(b["start"], b["end"], b["span"]))
    assert "三会一课" in set(a["name"])
