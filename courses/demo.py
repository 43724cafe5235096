"""Demo lessons for ``permithub demo``: the course catalogue gets readable lessons and a test."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from courses.models import Course, Lesson

DEMO_LESSONS: dict[str, list[tuple[str, str]]] = {
    "LR-2024": [
        (
            "为什么要培训法定代表人",
            "《排污许可提质增效行动计划（2022—2024年）》提出：针对排污单位法定代表人设计专项课程，"
            "举办专题培训班，三年内（2024年12月底前）实现重点管理排污单位法定代表人培训全覆盖。\n\n"
            "法定代表人是排污单位落实持证排污、按证排污主体责任的第一责任人。",
        ),
        (
            "持证排污与按证排污",
            "排污单位应当依法取得排污许可证，并按照排污许可证的规定排放污染物；"
            "应当按证开展自行监测、建立环境管理台账、按时提交执行报告。\n\n"
            "生态环境部门以排污许可证为主要依据开展执法监管，“无证排污”、不“按证排污”将被依法查处并公开曝光。",
        ),
        (
            "变更、延续与信息公开",
            "排污许可证载明事项发生变化的，应当依法申请变更；有效期届满需继续排放污染物的，"
            "应当依法申请延续。\n\n法定代表人发生变更后，新任法定代表人应参加专题培训。",
        ),
    ],
    "AP-201": [
        (
            "排污许可证质量审核要点",
            "重点审核管理类别、主要排放口、污染物排放标准及限值、许可量控制因子等内容；"
            "重点核查管理类别降级、排放口遗漏、适用标准及限值错误、实际排污状况与许可证载明事项不一致等问题。",
        ),
    ],
}


def load_demo_courses(session: Session) -> str:
    """Add demo lessons (and a final test where the bank has questions) to the demo courses."""
    added = 0
    for code, lessons in DEMO_LESSONS.items():
        course = session.scalar(select(Course).where(Course.code == code))
        if course is None or course.lessons:
            continue
        for position, (title, body) in enumerate(lessons, start=1):
            course.lessons.append(Lesson(title=title, body=body, position=position, required=True))
            added += 1
        if code == "LR-2024" and _published_questions(session) >= 5:
            course.test_question_count, course.pass_mark = 5, 60
    session.commit()
    return f"已为演示课程添加课时 {added} 个。" if added else ""


def _published_questions(session: Session) -> int:
    try:
        from quiz.models import Question
    except ImportError:
        return 0
    return (
        session.scalar(select(func.count(Question.id)).where(Question.status == "published")) or 0
    )
