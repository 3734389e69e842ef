"""The codebook file: complete, validated with errors that name file and key, and documented."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import yaml

from dangjian_analysis.codebook import (CodebookError, codebook_frame, codebook_hash, codebook_markdown,
                                        codebook_version, load_codebook, package_codebook_path,
                                        write_codebook_doc)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cb():
    return load_codebook(package_codebook_path())


def test_shipped_inside_the_package():
    path = package_codebook_path()
    assert path.name == "codebook.yaml"
    assert path.parent.name == "dangjian_analysis"


def test_version_and_hash_describe_the_file(cb):
    data = package_codebook_path().read_bytes()
    assert codebook_hash(package_codebook_path()) == hashlib.sha256(data).hexdigest()
    assert cb.sha256 == hashlib.sha256(data).hexdigest()
    assert codebook_version(package_codebook_path()) == str(yaml.safe_load(data)["version"])


def test_required_dimensions_and_codes(cb):
    assert set(cb.dimensions) >= {"theme", "subject_type", "stage", "instrument", "claim"}
    assert cb.dimension("claim").code_ids == ("planned", "achieved", "principle_slogan")
    assert cb.dimension("stage").code_ids == ("outcome", "output", "activity", "input")
    assert set(cb.dimension("instrument").code_ids) == {"authority", "incentive", "capacity_building",
                                                          "symbolic_hortatory", "learning"}
    assert set(cb.dimension("subject_type").code_ids) == {
        "party_members", "party_organizations", "cadres_staff", "residents_households", "funds",
        "facilities_posts", "institutions_documents", "events_activities", "projects", "problems_solved",
        "grassroots_units"}
    themes = cb.dimension("theme").code_ids
    assert len(themes) == 10
    for needed in ("political_education", "organization_building", "member_management", "cadres_talent",
                   "mass_services", "grassroots_governance", "resources_facilities", "discipline_supervision",
                   "economic_rural_development", "branding_evaluation"):
        assert needed in themes


def test_every_code_is_bilingual_with_rules(cb):
    for dim in cb.dimensions.values():
        assert dim.label_zh and dim.label_en and dim.note
        for code in dim.codes:
            assert code.label_zh and code.label_en, code.id
            assert code.definition_zh and code.definition_en, code.id
            assert code.include and code.exclude and code.examples, code.id
            assert code.keywords or code.measure_words or code.units, code.id


def test_instruments_cite_schneider_and_ingram(cb):
    refs = " ".join(r["text"] for r in cb.references)
    assert "Schneider" in refs and "Ingram" in refs and "1990" in refs
    assert "Schneider" in cb.dimension("instrument").definition_en


def test_frame_has_one_row_per_code(cb):
    frame = codebook_frame(cb)
    assert len(frame) == sum(len(d.codes) for d in cb.dimensions.values())
    row = frame[(frame["dimension"] == "theme") & (frame["code"] == "political_education")].iloc[0]
    assert row["label_en"] == "Political and ideological education"
    assert "三会一课" in row["keywords"].split("|")


def test_generated_page_is_current(cb, tmp_path):
    out = write_codebook_doc(tmp_path / "codebook.md", cb)
    text = out.read_text(encoding="utf-8")
    assert cb.version in text and cb.sha256 in text
    for dim in cb.dimensions.values():
        for code in dim.codes:
            assert f"`{code.id}`" in text
    shipped = ROOT / "docs" / "codebook.md"
    assert shipped.read_text(encoding="utf-8") == codebook_markdown(cb), \
        "docs/codebook.md is stale: run python -c 'from dangjian_analysis.codebook import write_codebook_doc; write_codebook_doc()'"


# --- validation: errors name the file and the key ------------------------------

def _broken(tmp_path: Path, edit) -> Path:
    data = yaml.safe_load(package_codebook_path().read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(CodebookError) as info:
        load_codebook(path)
    message = str(info.value)
    assert str(path) in message
    return message


def test_keyword_may_mark_one_code_only(tmp_path):
    def edit(d):
        d["dimensions"]["theme"]["codes"][1]["keywords"].append("三会一课")
    message = _error(_broken(tmp_path, edit))
    assert "dimensions.theme.codes[1].keywords" in message and "三会一课" in message


def test_traditional_keyword_is_refused(tmp_path):
    def edit(d):
        d["dimensions"]["stage"]["codes"][0]["keywords"].append("滿意度提高")
    message = _error(_broken(tmp_path, edit))
    assert "dimensions.stage.codes[0].keywords" in message and "满意度提高" in message


def test_unknown_primary_rule(tmp_path):
    def edit(d):
        d["dimensions"]["instrument"]["primary"] = "majority"
    assert "dimensions.instrument.primary" in _error(_broken(tmp_path, edit))


def test_missing_english_label(tmp_path):
    def edit(d):
        del d["dimensions"]["theme"]["codes"][0]["label"]["en"]
    assert "dimensions.theme.codes[0].label.en" in _error(_broken(tmp_path, edit))


def test_code_ids_are_snake_case(tmp_path):
    def edit(d):
        d["dimensions"]["theme"]["codes"][0]["id"] = "Political Education"
    assert "dimensions.theme.codes[0].id" in _error(_broken(tmp_path, edit))


def test_comma_inside_flow_mapping_is_caught(tmp_path):
    path = tmp_path / "codebook.yaml"
    text = package_codebook_path().read_text(encoding="utf-8")
    text = text.replace("en: 'Cadres, talent and community workers'", "en: Cadres, talent and community workers")
    path.write_text(text, encoding="utf-8")
    message = _error(path)
    assert "dimensions.theme.codes[3].label" in message and "unknown key" in message


def test_unreadable_yaml_points_to_a_line(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text("version: 1\ndimensions: [unclosed\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        load_codebook(path)
    assert str(path) in str(info.value)
