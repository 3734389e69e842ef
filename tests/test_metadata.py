import pytest
import yaml

import dangjian_analysis as dj
from dangjian_analysis.errors import CorpusError
from dangjian_analysis.metadata import FIELDS, METADATA_FILE


def _edit(raw, fn):
    path = raw / METADATA_FILE
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(doc["reports"])
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_every_entry_has_every_required_field():
    from conftest import RAW

    doc = yaml.safe_load((RAW / METADATA_FILE).read_text(encoding="utf-8"))
    required = {f for f, (req, _) in FIELDS.items() if req}
    for entry in doc["reports"]:
        assert required <= set(entry), entry.get("report_id")


@pytest.mark.parametrize("field", ["title", "year", "division_code", "sources"])
def test_missing_required_field_is_named_with_line(raw_copy, field):
    _edit(raw_copy, lambda reps: reps[1].pop(field))
    with pytest.raises(CorpusError) as err:
        dj.load_corpus(raw_copy)
    assert field in err.value.problem and METADATA_FILE in err.value.path and err.value.line


def test_duplicate_ids(raw_copy):
    _edit(raw_copy, lambda reps: reps[2].update(report_id=reps[0]["report_id"]))
    with pytest.raises(CorpusError, match="duplicate report_id"):
        dj.load_corpus(raw_copy)


def test_unknown_field_points_to_extra(raw_copy):
    _edit(raw_copy, lambda reps: reps[0].update(regoin_en="typo"))
    with pytest.raises(CorpusError, match="regoin_en.*extra"):
        dj.load_corpus(raw_copy)


@pytest.mark.parametrize("bad", ["../outside.txt", "/etc/passwd", "missing.txt"])
def test_file_outside_folder_or_missing(raw_copy, bad):
    (raw_copy.parent / "outside.txt").write_text("外面的文件", encoding="utf-8")
    _edit(raw_copy, lambda reps: reps[0].update(file=bad))
    with pytest.raises(CorpusError) as err:
        dj.load_corpus(raw_copy)
    assert any(w in err.value.problem for w in ("outside", "absolute", "does not exist"))


def test_malformed_yaml_names_line(raw_copy):
    (raw_copy / METADATA_FILE).write_text("reports:\n  - report_id: a\n    title: [unclosed\n", encoding="utf-8")
    with pytest.raises(CorpusError, match="malformed YAML") as err:
        dj.load_corpus(raw_copy)
    assert err.value.line is not None


def test_bad_vocabulary_values(raw_copy):
    _edit(raw_copy, lambda reps: reps[0].update(script="latin"))
    with pytest.raises(CorpusError, match="script 'latin'"):
        dj.load_corpus(raw_copy)
