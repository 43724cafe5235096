"""Query and passage normalisation."""

from __future__ import annotations

from knowledge.normalize import SynonymMap, bigrams, normalize_text, prepare


def test_full_width_becomes_half_width_and_case_folds():
    assert normalize_text("ＶＯＣｓ在线监测１２３") == "vocs在线监测123"


def test_traditional_becomes_simplified():
    assert (
        normalize_text("排污許可證審批人員的培訓班多久辦一次")
        == "排污许可证审批人员的培训班多久办一次"
    )


def test_punctuation_becomes_single_spaces():
    assert normalize_text("“双随机、一公开”？！  （一）") == "双随机 一公开 一"
    assert normalize_text("版本1.5。") == "版本1.5"


def test_synonyms_replace_terms_in_one_pass():
    synonyms = SynonymMap({"法人": "法定代表人", "排污证": "排污许可证", "许可证": "排污许可证"})
    assert prepare("法人要办排污证吗", synonyms) == "法定代表人要办排污许可证吗"
    # a canonical form already present is not expanded again
    assert prepare("排污许可证", synonyms) == "排污许可证"


def test_a_word_holding_a_term_but_meaning_something_else_is_left_as_it_is():
    synonyms = SynonymMap({"法人": "法定代表人"})
    # officers, not a legal representative
    assert prepare("执法人员来检查，法人要在场吗", synonyms) == "执法人员来检查 法定代表人要在场吗"


def test_latin_synonyms_match_whole_words_only():
    synonyms = SynonymMap({"sanjian": "三监"})
    assert prepare("sanjian联动", synonyms) == "三监 联动"
    assert prepare("sanjianx", synonyms) == "sanjianx"


def test_bigrams_stay_inside_chinese_runs():
    assert bigrams("排污许可 abc 2024年") == ["排污", "污许", "许可", "abc", "2024", "年"]


def test_skipping_the_converter_for_simplified_text_changes_nothing():
    from opencc import OpenCC

    from knowledge.normalize import _converter, to_simplified
    from tests.support.shared import PLAN_PATH, require_shared

    require_shared()

    plan = PLAN_PATH.read_text(encoding="utf-8")
    traditional = OpenCC("s2t").convert(plan)
    assert traditional != plan
    for text in (plan, traditional, "乾淨的頭髮", "老板要参加什么培训"):
        assert to_simplified(text) == _converter().convert(text)


def test_substitutions_name_the_replaced_terms_and_blank_them():
    synonyms = SynonymMap({"公司": "排污单位", "环评": "环境影响评价"})
    pairs, rest = synonyms.substitutions("我们公司的环评和排污单位名录")
    assert pairs == [("公司", "排污单位"), ("环评", "环境影响评价")]
    assert "公司" not in rest and "环评" not in rest
    assert "排污单位" in rest  # typed as it is, not substituted


def test_spoken_levels_of_government_read_as_the_laws_name_them():
    from knowledge.normalize import prepare as prepare_text

    assert prepare_text("县政府编的规划") == "县级人民政府编的规划"
    assert prepare_text("市政府") == "市级人民政府"
    assert prepare_text("乡政府") == prepare_text("镇政府") == "乡镇人民政府"
    # the legal names stay as they are
    assert prepare_text("县级人民政府") == "县级人民政府"
    assert prepare_text("城市人民政府") == "城市人民政府"


def test_the_longest_term_starting_at_a_place_wins_among_terms_sharing_a_beginning():
    synonyms = SynonymMap(
        {"排污证": "排污许可证", "排污": "排放污染物", "许可": "行政许可", "voc": "挥发性有机物"}
    )
    # 排污许可证 (a canonical form) is longer than 排污 and 排污证 at the same place
    assert prepare("排污许可证和排污证", synonyms) == "排污许可证和排污许可证"
    assert prepare("排污费", synonyms) == "排放污染物费"
    assert prepare("voc排污", synonyms) == "挥发性有机物 排放污染物"
    assert prepare("vocs", synonyms) == "vocs"
