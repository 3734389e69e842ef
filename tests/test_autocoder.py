"""The automated coder: deterministic training, honest held-out evaluation, and use on any text frame."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dangjian_analysis import autocoder
from dangjian_analysis.autocoder import (CHOICE_FILE, TRAINING_FILES, code_sentences, fit, leave_one_report_out,
                                         predict)
from dangjian_analysis.tables import write_csv

# composed sentences, Simplified and Traditional, with the codes a reader gives them
COMPOSED = [
    ("组织党员干部深入学习党的二十大精神", "党员学习教育", "political_education"),
    ("各支部开展主题党日和专题党课学习", "党员学习教育", "political_education"),
    ("組織開展黨史學習教育專題讀書班", "党员学习教育", "political_education"),
    ("为社区配齐专职网格员并开展上门服务", "服务群众", "mass_services"),
    ("在職黨員到社區報到為群眾辦實事", "服务群众", "mass_services"),
    ("志愿服务队为独居老人提供助餐服务", "服务群众", "mass_services"),
    ("选拔优秀年轻干部到基层一线历练", "干部队伍", "cadres_talent"),
    ("對村幹部開展履職能力培訓", "干部队伍", "cadres_talent"),
    ("建立后备干部人才库储备村级人才", "干部队伍", "cadres_talent"),
]


def training_frame(reports: int = 3) -> pd.DataFrame:
    rows = []
    for r in range(reports):
        for i, (text, heading, theme) in enumerate(COMPOSED):
            rows.append(dict(row_id=f"rep{r}:s{i}", report_id=f"rep{r}", text=text, heading=heading, theme=theme,
                             stage="activity", instrument="none", claim="achieved"))
    return pd.DataFrame(rows)


def test_training_twice_gives_the_same_model():
    one, two = fit(training_frame(), "sentences", "theme"), fit(training_frame(), "sentences", "theme")
    np.testing.assert_array_equal(one.named_steps["model"].coef_, two.named_steps["model"].coef_)
    assert list(one.classes_) == list(two.classes_)


def test_held_out_report_never_enters_training(monkeypatch):
    seen = []
    real_fit = autocoder.fit

    def spy(train, table, dim_id, codebook=None):
        seen.append(set(train["report_id"]))
        return real_fit(train, table, dim_id, codebook)

    monkeypatch.setattr(autocoder, "fit", spy)
    train = training_frame(4)
    pred = leave_one_report_out(train, "sentences", "theme", pd.Series(dtype=str))
    assert len(seen) == 4
    for held, used in zip(sorted(train["report_id"].unique()), seen):
        assert held not in used and len(used) == 3
    assert set(pred["report_id"]) == set(train["report_id"]) and len(pred) == len(train)


def test_model_reads_new_text_in_either_script():
    model = fit(training_frame(), "sentences", "theme")
    new = pd.DataFrame({"text": ["组织党员学习二十大精神", "為老人提供上門助餐服務"], "heading": ["", ""]})
    codes, proba = predict(model, new, "sentences")
    assert codes == ["political_education", "mass_services"] and (proba > 0).all()


def test_code_sentences_uses_the_model_where_it_won_and_says_so(tmp_path: Path, monkeypatch):
    write_csv(training_frame(), tmp_path / TRAINING_FILES["sentences"])
    write_csv(pd.DataFrame([dict(table="sentences", dimension="theme", coder="model", n_rows=27, n_reports=3,
                                 kappa_model=0.9, kappa_rule=0.5, codebook_version="x"),
                            dict(table="sentences", dimension="stage", coder="rule", n_rows=27, n_reports=3,
                                 kappa_model=0.1, kappa_rule=0.5, codebook_version="x")]), tmp_path / CHOICE_FILE)
    monkeypatch.setattr(autocoder, "training_dir", lambda root=None: tmp_path)
    df = pd.DataFrame({"text": ["对村干部开展能力培训", "网站首页"], "boilerplate": ["", "breadcrumb"]})
    out = code_sentences(df)
    assert out.loc[0, "theme"] == "cadres_talent" and out.loc[0, "theme_coded_by"] == "model"
    assert out.loc[0, "stage_coded_by"] == "rule"  # the rules won stage
    assert out.loc[1, "theme"] == "" and out.loc[1, "theme_coded_by"] == ""  # boilerplate stays uncoded
