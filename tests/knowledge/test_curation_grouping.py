"""Grouping similar unanswered questions: plain strings in, ranked topic groups out."""

import datetime as dt

from knowledge.grouping import (
    PendingQuestion,
    content_text,
    group_questions,
    question_terms,
    similarity,
)

T0 = dt.datetime(2026, 11, 1, 8, 0, tzinfo=dt.UTC)


def _pending(texts, **fields):
    return [
        PendingQuestion(log_id=i, text=t, asked_at=T0 + dt.timedelta(minutes=i), **fields)
        for i, t in enumerate(texts, start=1)
    ]


def _topics(groups):
    return [sorted(p for p, _ in g.phrasings) for g in groups]


def test_content_text_drops_question_words_fullwidth_and_punctuation():
    assert content_text("请问，执行报告什么时候提交？").split() == ["执行报告", "提交"]
    assert content_text("ＡＢＣ排污证") == "abc排污证"


def test_terms_are_bigrams_and_lone_characters_between_fillers():
    assert question_terms("执行报告") == {"执行", "行报", "报告"}
    assert "交" in question_terms("年度执行报告啥时候交")


def test_similar_wordings_of_one_topic_form_one_group():
    texts = [
        "执行报告什么时候提交",
        "执行报告提交时间",
        "年度执行报告啥时候交",
        "排污许可证怎么延续",
        "排污许可证到期怎么延续",
        "排污许可证延续需要什么材料",
        "平台密码忘了怎么办",
        "排污许可平台密码找回",
    ]
    groups = group_questions(_pending(texts))
    topics = _topics(groups)
    assert sorted(["执行报告什么时候提交", "执行报告提交时间", "年度执行报告啥时候交"]) in topics
    assert (
        sorted(["排污许可证怎么延续", "排污许可证到期怎么延续", "排污许可证延续需要什么材料"])
        in topics
    )
    assert sorted(["平台密码忘了怎么办", "排污许可平台密码找回"]) in topics
    assert len(groups) == 3


def test_unrelated_questions_stay_apart_even_when_they_share_domain_words():
    # 排污许可 is in both; the background of FAQ questions teaches that it says little.
    background = [
        "排污许可证怎么申请",
        "排污许可证质量审核",
        "排污许可证变更",
        "排污许可证注销",
        "排污许可执法",
    ]
    groups = group_questions(
        _pending(["排污许可证怎么延续", "排污许可证收费标准"]), background=background
    )
    assert len(groups) == 2


def test_groups_rank_by_frequency_and_identical_wordings_share_a_group():
    texts = ["执行报告提交时间"] + ["排污许可证怎么延续"] * 3 + ["排污许可证到期怎么延续"]
    groups = group_questions(_pending(texts))
    assert [g.count for g in groups] == [4, 1]
    assert groups[0].representative == "排污许可证怎么延续"
    assert groups[0].phrasings == [("排污许可证怎么延续", 3), ("排污许可证到期怎么延续", 1)]
    assert groups[0].log_ids == [2, 3, 4, 5]


def test_equal_sized_groups_rank_the_most_recent_first():
    groups = group_questions(_pending(["执行报告提交时间", "平台密码忘了怎么办"]))
    assert [g.representative for g in groups] == ["平台密码忘了怎么办", "执行报告提交时间"]


def test_group_lists_regions_by_count_and_counts_reasons():
    questions = [
        PendingQuestion(1, "执行报告提交时间", "江苏省", "苏州市", T0, "unanswered"),
        PendingQuestion(2, "执行报告什么时候提交", "江苏省", "苏州市", T0, "unhelpful"),
        PendingQuestion(3, "执行报告提交时间", "浙江省", "杭州市", T0, "unanswered"),
        PendingQuestion(4, "执行报告提交时间", None, None, T0, "unanswered"),
    ]
    (group,) = group_questions(questions)
    assert group.regions == [("江苏省苏州市", 2), ("未知地区", 1), ("浙江省杭州市", 1)]
    assert (group.unanswered, group.unhelpful) == (3, 1)


def test_match_text_lets_synonym_normalisation_join_abbreviations():
    # The engine stores 法人 already rewritten to 法定代表人 in the log's normalised text.
    questions = [
        PendingQuestion(1, "法定代表人培训什么时候截止", match_text="法定代表人培训什么时候截止"),
        PendingQuestion(2, "法人培训啥时候截止", match_text="法定代表人培训啥时候截止"),
    ]
    assert len(group_questions(questions)) == 1
    plain = [
        PendingQuestion(1, "法定代表人培训什么时候截止"),
        PendingQuestion(2, "法人培训啥时候截止"),
    ]
    assert similarity(plain[0].text, plain[1].text) < similarity(
        questions[0].match_text, questions[1].match_text
    )


def test_a_higher_threshold_splits_loose_groups():
    texts = ["执行报告什么时候提交", "年度执行报告啥时候交"]
    assert len(group_questions(_pending(texts), threshold=0.3)) == 1
    assert len(group_questions(_pending(texts), threshold=0.95)) == 2


def test_no_questions_no_groups():
    assert group_questions([]) == []


def test_group_keeps_the_answers_voted_unhelpful_once_each():
    questions = [
        PendingQuestion(1, "执行报告提交时间", reason="unhelpful", answer="按月提交。"),
        PendingQuestion(2, "执行报告什么时候提交", reason="unhelpful", answer="按月提交。"),
        PendingQuestion(3, "执行报告提交时间", reason="unanswered"),
    ]
    (group,) = group_questions(questions)
    assert group.unhelpful_answers == [("执行报告提交时间", "按月提交。")]
