"""A starter set of typical cases, written in our own words from the action plan's themes.

No real company or person is named; dates and places are illustrative. ``permithub demo`` loads
them published, so /cases, the WeChat menu and the Q&A have something to show.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases import service
from cases.models import TypicalCase
from cases.schemas import CaseCreate

STARTER_CASES: tuple[dict, ...] = (
    {
        "title": "某化工企业未取得排污许可证擅自排放废水被处罚",
        "occurred_on": dt.date(2023, 5, 16),
        "province": "江苏省",
        "city": "苏州市",
        "kind": "无证排污",
        "summary": "执法人员检查发现，一家精细化工企业新建生产线已投产，"
        "但未依法申请取得排污许可证，"
        "生产废水经厂内简易处理后排入市政管网。生态环境部门依法责令其停止排污，并处以罚款。",
        "clauses": "《排污许可管理条例》第二条、第三十三条；行动计划（十四）严厉打击无证排污",
        "lesson": "实行排污许可管理的单位，应在实际排污之前取得排污许可证或完成排污登记；"
        "新建、改建项目投产前要同步办理许可，不能“先生产、后办证”。",
    },
    {
        "title": "某印染企业超过许可排放浓度排放污染物被查处",
        "occurred_on": dt.date(2023, 8, 2),
        "province": "浙江省",
        "city": "绍兴市",
        "kind": "不按证排污",
        "summary": "在线监测数据显示，一家印染企业化学需氧量排放浓度"
        "连续多日超过排污许可证载明的许可排放浓度。"
        "现场核查确认其污水处理设施部分停运。企业被责令改正并处罚款，后续纳入重点监管。",
        "clauses": "《排污许可管理条例》第十七条、第三十四条",
        "lesson": "排污单位应严格按照许可证载明的污染物种类、浓度和排放量排放，"
        "污染防治设施要正常运行并做好运行记录。",
    },
    {
        "title": "某电镀企业未按规定提交排污许可执行报告",
        "occurred_on": dt.date(2023, 3, 20),
        "province": "广东省",
        "city": "东莞市",
        "kind": "执行报告",
        "summary": "在全国排污许可证管理信息平台核查中发现，"
        "一家电镀企业连续两个季度未提交执行报告。"
        "生态环境部门约谈企业并依法作出处罚，企业补报执行报告并建立专人负责制度。",
        "clauses": "《排污许可管理条例》第二十二条、第三十七条；行动计划（八）执行报告质量",
        "lesson": "执行报告要按许可证规定的频次按时提交，内容真实完整；"
        "建议明确专人负责并设置提醒。",
    },
    {
        "title": "某造纸企业环境管理台账记录不全被责令整改",
        "occurred_on": dt.date(2022, 11, 8),
        "province": "山东省",
        "city": "潍坊市",
        "kind": "台账",
        "summary": "现场检查发现，一家造纸企业的环境管理台账缺少污染防治设施运行和维护记录，"
        "部分记录为事后补填。企业被责令限期整改，整改后通过复查。",
        "clauses": "《排污许可管理条例》第二十一条、第三十六条；行动计划（七）环境管理台账",
        "lesson": "台账应按照许可证要求如实、及时记录，"
        "电子台账与纸质台账保存不少于五年，不能事后补记。",
    },
    {
        "title": "某钢铁企业未按要求开展自行监测",
        "occurred_on": dt.date(2023, 10, 12),
        "province": "河北省",
        "city": "唐山市",
        "kind": "自行监测",
        "summary": "抽查发现，一家钢铁企业未按排污许可证规定的点位和频次开展废气自行监测，"
        "部分监测数据缺失。生态环境部门依法处罚并要求其完善自行监测方案。",
        "clauses": "《排污许可管理条例》第十九条、第三十六条；行动计划（六）自行监测",
        "lesson": "自行监测的点位、指标和频次要与许可证一致，监测数据要保存并按规定公开。",
    },
    {
        "title": "某制药企业未依法公开排污信息",
        "occurred_on": dt.date(2024, 1, 18),
        "province": None,
        "city": None,
        "kind": "信息公开",
        "summary": "一家制药企业未在全国排污许可证管理信息平台公开污染物排放信息，"
        "经提醒后仍未整改，被依法处罚。",
        "clauses": "《排污许可管理条例》第二十三条",
        "lesson": "排污单位应按规定公开排放信息，接受社会监督。",
    },
    {
        "title": "某工业园区推行“一证式”管理的良好做法",
        "occurred_on": dt.date(2024, 4, 9),
        "province": "江苏省",
        "city": "南京市",
        "kind": "良好实践",
        "summary": "一家工业园区管委会组织园区企业开展排污许可“回头看”，"
        "逐家核对许可证载明事项与实际排放，"
        "帮助企业规范台账和执行报告，园区执行报告按时提交率达到百分之百。",
        "clauses": "行动计划（十）构建多层次交流培训体系；（十一）推进排污许可“一证式”管理",
        "lesson": "企业可主动对照许可证开展自查，借助园区和行业协会的培训提升持证排污能力。",
    },
    {
        "title": "某食品企业主动申请变更排污许可证避免违法",
        "occurred_on": dt.date(2023, 6, 28),
        "province": "四川省",
        "city": "成都市",
        "kind": "良好实践",
        "summary": "一家食品企业扩建生产线前，主动咨询生态环境部门并及时申请变更排污许可证，"
        "新增的废水排放口在投产前纳入许可管理，未发生违法排污。",
        "clauses": "《排污许可管理条例》第十五条",
        "lesson": "生产设施、排放口或排放量发生变化时，应在变化前申请变更排污许可证。",
    },
)


def load_demo_cases(session: Session) -> str:
    """Load and publish the starter cases (skipped when cases exist already)."""
    if session.scalar(select(func.count()).select_from(TypicalCase)):
        return ""
    for values in STARTER_CASES:
        case = service.create_case(session, data=CaseCreate(**values))
        service.publish_case(session, case_id=case.id)
    return f"典型案例：已发布 {len(STARTER_CASES)} 个示例案例。"
