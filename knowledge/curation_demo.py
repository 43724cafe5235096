"""Demo traffic for the curation queue: questions enterprises typically ask, asked for real.

Each question goes through ``answer_question`` exactly as from the chat page (channel ``web``,
the asker's province and city), so what lands in the queue is what the engine really refuses;
a few answered ones get a "not helpful" vote. Runs after the knowledge demo (plan and FAQ pack)
and only once: a database that already holds question logs is left alone.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from knowledge import service
from knowledge.models import QuestionLog

SUZHOU = ("江苏省", "苏州市")
NANJING = ("江苏省", "南京市")
HANGZHOU = ("浙江省", "杭州市")
GUANGZHOU = ("广东省", "广州市")
JINAN = ("山东省", "济南市")

# (question, (province, city)); as in real traffic, popular topics come back in similar words
# from several places, and some are out of scope (fees, fines, limits, the national platform).
DEMO_QUESTIONS: tuple[tuple[str, tuple[str, str]], ...] = (
    ("排污许可证副本丢了怎么补办", SUZHOU),
    ("排污许可证副本丢失如何补办", HANGZHOU),
    ("许可证副本丢了去哪补办", SUZHOU),
    ("排污许可证副本丢了怎么补办？", JINAN),
    ("危废台账要保存几年", SUZHOU),
    ("危废台账要保存几年？", NANJING),
    ("危废台账需要保存多久", SUZHOU),
    ("危废台账保存期限是几年", JINAN),
    ("COD排放标准是多少", GUANGZHOU),
    ("COD排放限值是多少", SUZHOU),
    ("锅炉氮氧化物排放限值是多少", NANJING),
    ("食堂油烟要不要办排污许可证", NANJING),
    ("学校食堂要不要办排污许可证", SUZHOU),
    ("全国排污许可证管理信息平台登录不上怎么办", HANGZHOU),
    ("排污许可平台登录不上", SUZHOU),
    ("超标排放一次罚多少钱", JINAN),
    ("排污许可证办理要交多少钱？", SUZHOU),
    ("无证排污罚款多少钱", SUZHOU),
    ("周末能不能去环保局现场办理", GUANGZHOU),
)

# Answered questions whose askers found the answer unhelpful (when the engine answers them).
UNHELPFUL = ("锅炉氮氧化物排放限值是多少", "危废台账保存期限是几年", "COD排放限值是多少")


def load_demo_questions(session: Session) -> str:
    """Ask the demo questions (once) so the curation queue has something to show."""
    if session.scalar(select(func.count(QuestionLog.id))):
        return "知识库待处理问题：已有问答记录，跳过演示提问。"
    refused = unhelpful = 0
    for number, (question, (province, city)) in enumerate(DEMO_QUESTIONS, start=1):
        answer = service.answer_question(
            session,
            question=question,
            channel="web",
            client=f"demo-asker-{number}",
            province=province,
            city=city,
        )
        if not answer.answered:
            refused += 1
        elif question in UNHELPFUL:
            service.record_feedback(
                session, log_id=answer.log_id, helpful=False, voter=f"demo-asker-{number}"
            )
            unhelpful += 1
    return (
        f"知识库待处理问题：演示提问 {len(DEMO_QUESTIONS)} 条，"
        f"未能回答 {refused} 条，评为无帮助 {unhelpful} 条。"
    )
