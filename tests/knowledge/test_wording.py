"""How a question reads, learned from questions rules answer and near misses they never do
(``knowledge.wording``)."""

from __future__ import annotations

import gzip
import json

from knowledge import retrieval, service
from knowledge.wording import WordingModel, grams, learn, load_wording, write
from tests.support.shared import CORPUS_DIR, require_shared

# questions a rule answers, and near misses asking what no rule keeps (statistics, a named
# party's record), over different topics, so only the asking sets them apart
ANSWERED = [
    "排污许可证有效期是几年",
    "焚烧秸秆会被罚多少钱",
    "危废转移要办什么手续",
    "执行报告多久交一次",
    "噪声超标了谁来管",
    "建设项目环评由哪个部门审批",
    "古树名木归谁养护",
    "供水企业停水要提前多久通知",
]
NEAR_MISSES = [
    "去年全市一共处罚了多少家企业",
    "去年一共发了多少张排污许可证",
    "某化工公司有没有违规记录",
    "某水厂去年被处罚过吗",
    "去年全省一共转移了多少吨危废",
    "某热电厂的环评批了没有",
    "去年一共查处了多少起噪声案件",
    "某公司的许可证是不是已经过期了",
]


def _model() -> WordingModel:
    return learn(ANSWERED + NEAR_MISSES, [False] * len(ANSWERED) + [True] * len(NEAR_MISSES))


def test_grams_are_read_on_the_folded_question():
    assert grams("按日連續處罰") == grams("按日连续处罚")
    assert grams("ＣＯＤ") == grams("cod")
    assert grams("罚款")["罚"] == 1 and grams("罚款")["罚款"] == 1


def test_a_question_asking_a_tally_or_a_named_party_s_record_reads_as_a_near_miss():
    model = _model()
    assert model.odds("去年全市一共罚了多少家") > 0 > model.odds("排污许可证多久要延续")
    assert model.odds("某企业有没有被处罚过") > model.odds("企业不按证排污会被罚多少钱")


def test_the_model_is_stored_and_read_back_byte_for_byte(tmp_path):
    model = _model()
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    write(model, first)
    write(_model(), second)
    assert first.read_bytes() == second.read_bytes()
    read = WordingModel.from_json(json.loads(gzip.decompress(first.read_bytes())))
    for question in ("去年一共罚了多少家", "排污许可证有效期几年"):
        assert abs(read.odds(question) - model.odds(question)) < 1e-3


def test_a_question_with_no_known_gram_reads_as_the_bias():
    model = _model()
    assert model.odds("🙂🙂") == model.bias


def test_the_shipped_model_tells_a_tally_from_a_question_a_rule_answers():
    model = load_wording()
    assert model is not None
    assert model.odds("去年全国一共处罚了多少家企业") > model.odds("排污许可证有效期是几年")
    assert model.odds("某公司有没有违规记录") > model.odds("没有排污许可证排污会被罚多少钱")


def test_the_refusal_model_reads_how_the_question_asks(session, monkeypatch):
    # the burning of straw is the topic of articles of 大气法, but no article counts cases
    require_shared()
    service.ingest_path(session, CORPUS_DIR / "大气污染防治法.md")
    index = service.current_index(session)
    question = "去年全国一共查处了多少起焚烧秸秆的案件"
    worded = retrieval.retrieve(index, question)
    assert worded.features["wording"] > 0

    monkeypatch.setattr(retrieval, "load_wording", lambda: None)
    unworded = retrieval.retrieve(index, question)
    assert "wording" not in unworded.features
    assert unworded.judged == worded.judged
    assert worded.confidence < unworded.confidence


def test_the_wording_holds_back_an_answer_only_where_the_passages_leave_doubt():
    from knowledge.refusal import SURE_BY_PASSAGES, RefusalModel

    model = RefusalModel(
        features=("coverage", "wording"),
        means=(0.5, 0.0),
        scales=(0.1, 1.0),
        weights=(2.0, -3.0),
        bias=0.0,
        threshold=0.65,
    )
    # the passage covers the question fully: its wording cannot refuse it
    sure = {"coverage": 0.9, "wording": 3.0}
    assert model.probability({"coverage": 0.9}) >= SURE_BY_PASSAGES
    assert model.probability(sure) < model.threshold
    assert model.confidence(sure) == model.probability({"coverage": 0.9})
    # half covered, worded like a near miss: refused
    doubtful = {"coverage": 0.6, "wording": 3.0}
    assert model.confidence(doubtful) == model.probability(doubtful) < model.threshold
    # worded like a question rules answer: the wording adds to the confidence
    assert model.confidence({"coverage": 0.6, "wording": -1.0}) > model.probability(
        {"coverage": 0.6}
    )


def test_a_passage_that_lacks_the_question_s_words_cannot_overrule_the_wording():
    from knowledge.refusal import MOST_WORDS, SURE_BY_PASSAGES, RefusalModel

    model = RefusalModel(
        features=("coverage", "dense_z_doc", "wording"),
        means=(0.5, 2.0, 0.0),
        scales=(0.1, 1.0, 1.0),
        weights=(1.0, 4.0, -3.0),
        bias=0.0,
        threshold=0.5,
    )
    # 北京市新建住宅小区的绿地率要求是多少 against 上海's greening rule: the article stands out
    # among its rule's (the model is sure by the passages alone) but holds few of the words
    near_miss = {"coverage": 0.1, "dense_z_doc": 5.0, "wording": 3.0}
    assert near_miss["coverage"] < MOST_WORDS
    assert model.probability({k: v for k, v in near_miss.items() if k != "wording"}) >= (
        SURE_BY_PASSAGES
    )
    assert model.confidence(near_miss) == model.probability(near_miss) < model.threshold
