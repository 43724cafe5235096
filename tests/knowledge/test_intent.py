"""What kind of answer a question asks for, and whether a passage has that shape."""

from __future__ import annotations

import pytest

from knowledge.intent import (
    PURPOSE,
    answer_fit,
    asked_part,
    asks_a_party_s_record,
    asks_purpose,
    asks_what_a_list_holds,
    detect,
    named_subjects,
    of_another_field,
)
from knowledge.normalize import fold
from knowledge.retrieval import CONCRETE_INTENTS


def names(question: str) -> set[str]:
    return {intent.name for intent in detect(question.lower())}


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("排污许可证的有效期是几年？", "duration"),
        ("许可证到期前多少天要申请延续", "days"),
        ("无证排污罚多少钱", "fine"),
        ("这个条例从哪天起施行？", "start"),
        ("固体废物贮存的含义是什么", "definition"),
        ("车间排口的总铬最多能排多少mg/L啊", "quantity"),
        ("厂界臭气浓度标准值是多少", "value"),
        ("去年全省一般工业固废产生量是多少万吨", "quantity"),
        ("附件最大能传几兆", "quantity"),
        ("废机油一吨卖几块钱", "quantity"),
        ("培训班一共多少学时", "quantity"),
        ("这个排放标准是哪一年开始实施的", "date"),
        ("执行报告多久交一次", "frequency"),
        ("自行监测一年几次", "frequency"),
        ("办证要交多少钱", "fee"),
        ("固废鉴别的费用大概多少", "fee"),
        ("污水处理的收费标准是什么", "fee"),
        ("氨氮的排放限值是多少", "value"),
        ("PM2.5的年均二级浓度限值到底各是多少", "value"),
        ("窑尾颗粒物特别排放限值是10还是20", "value"),
        ("城市供水管网漏失率国家要求控制在百分之多少以内？", "value"),
        ("废弃物里放射性物质的豁免浓度具体是多少", "value"),
        ("畜禽养殖污染防治应当遵循哪些基本原则", "principle"),
        ("存栏多少头猪才算规模养殖场", "quantity"),
        ("这片林地有多少亩", "quantity"),
        ("一年取水多少方就得装在线计量", "quantity"),
        ("啥叫地下水", "definition"),
        ("看见邻村猪场往河里排粪水，俺能找谁反映", "report"),
        ("厂子往废井里灌脏水，俺能去告它不", "report"),
        ("噪声防治讲哪几个原则", "principle"),
        ("南水北调沿线治水坚持啥方针？", "principle"),
        ("业务规则和办事指南依据的是哪部行政法规？", "statute"),
        ("本审查办法系依据哪一部上位法律制定？", "statute"),
        ("重点保护区企业被要求搬迁，有没有搬迁补偿标准？", "fee"),
        ("环保税逾期没交，滞纳金一天按多少收？", "fee"),
        ("造纸企业废水资源化处理有没有推荐的工艺和设备厂家？", "brand"),
        ("入河排污口标识牌的尺寸和颜色有什么具体规定？", "colour"),
        ("入河排污口标识牌的尺寸和颜色有什么具体规定？", "quantity"),
        ("北京市去年全市危险废物产生总量是多少万吨？", "tally"),
        ("环保税是每个月都得去报，还是一季度报一回就行？", "frequency"),
        ("税源信息采集那个页面在哪个菜单底下？", "screen"),
        ("在线监测联网验收在平台上要点哪个按钮提交？", "screen"),
        ("哪些地方会被划成禁采区", "conditions"),
        ("深层地下水什么情况下还准许开采", "conditions"),
        ("啥样的地块要做土壤污染状况调查", "conditions"),
        ("诊所里到底啥玩意儿算医疗废物", "definition"),
        ("啥情况才算是突发环境事件啊", "definition"),
        ("啥样的废物才算危险废物？", "definition"),
        ("俺一个老百姓有权去告它吗", "report"),
        ("医废暂存间的温度要控制在几度以下", "quantity"),
        ("医废包装袋该用啥颜色的？黄的还是黑的？", "colour"),
        ("登记本有统一模板吗？去哪下载？", "template"),
        ("土壤调查和修复的钱谁出", "payer"),
        ("审查意见一般得写哪几块", "items"),
        ("南京有哪家做规划环评的咨询公司比较靠谱？能推荐一个吗？", "brand"),
        ("审批机关违规批了规划，负责人一般给记过还是降级撤职？", "sanction"),
        ("去年全省一共发了多少张危废经营许可证？", "tally"),
        ("今年全市查处了多少起无证排污", "tally"),
        ("2023年全国一共作出了多少件行政处罚决定？", "tally"),
        ("听证要交钱吗", "fee"),
        ("重点单位名录几月定下来", "month"),
        ("地表水应急监测的采样频次如何确定", "frequency"),
        ("废机油、废铅蓄电池的危废代码分别是多少？", "code"),
        ("我们区有几家持证单位", "quantity"),
        ("2023年全国生态环境部门共办理查封扣押案件多少件？", "tally"),
        ("区生态环境局受理行政复议的窗口在哪条街上办公？", "contact"),
        ("有人私自撕封条开机，会被咋处理？", "fine"),
        ("配额要花钱买吗", "fee"),
        ("城镇污水处理费每吨收多少钱", "fee"),
        ("生态保护红线的具体范围去哪里能查到？", "contact"),
        ("后评价到底是个啥？", "definition"),
        ("往污染地块信息系统上传调查报告，点提交一直转圈没反应，怎么办？", "contact"),
        ("后评价报告里头都得写些啥？有没有固定要写的几大块？", "items"),
        ("不做后评价会咋样", "fine"),
        ("我就是个普通居民，有没有权利去告他们？", "report"),
        ("俺一个普通老百姓有没有资格去举报他们？", "report"),
        ("俺就是个普通游客，有权上去拦着或者去举报吗？", "report"),
        ("看见船往海里冒黑油，俺一个老百姓该找谁说去？", "report"),
        ("在政务服务大厅上传报告书，传完以后是点“暂存”还是“提交”？", "contact"),
        # a number asked in a clause of its own, beside a yes-or-no one
        ("复核一般要多少个工作日，能不能加急？", "days"),
        ("收费标准是多少？能不能减免？", "fee"),
        # however long the clause between 多久 and 一次
        ("市局多久要给证过期或者快过期的企业打一次招呼？", "frequency"),
        ("正面清单这事归哪几级部门管？", "who"),
        ("严格把关许可证质量这活，是省里还是市里干？", "who"),
        ("主管部门是哪个", "who"),
        ("是省、市两级一起负责吗", "who"),
    ],
)
def test_the_question_says_what_kind_of_answer_it_wants(question, intent):
    assert intent in names(question)


@pytest.mark.parametrize(
    "question",
    [
        "生态局里负责发证后日常监管、监测和执法的人员，要不要专门培训？",
        "搞那些竞赛是为了让审批的人提高啥",
    ],
)
def test_a_duty_named_to_say_who_asks_is_no_question_of_who(question):
    assert "who" not in names(question)


@pytest.mark.parametrize(
    "question",
    [
        "港口码头那片海算几类",
        "网箱养鱼那一片海一般给划成第几类功能区？",
        "海边的浴场一般划进哪一类功能区？",
    ],
)
def test_the_class_a_thing_falls_in_is_answered_by_the_article_naming_the_classes(question):
    intents = detect(fold(question))
    assert answer_fit(intents, "四类近岸海域环境功能区包括海洋港口水域、海洋开发作业区等。") == 1
    assert answer_fit(intents, "海洋港口水域是指沿海港口以及河流入海处附近的水域。") == 0


def test_the_unit_asked_for_is_answered_by_the_sentence_giving_it():
    intents = detect(fold("ccer按啥单位算"))
    given = "经登记的项目减排量称为“核证自愿减排量”，单位以“吨二氧化碳当量（tco2e）”计。"
    assert answer_fit(intents, given) == 1
    assert answer_fit(intents, "核证自愿减排量用于抵销碳排放配额清缴的，应当予以注销。") == 0


def test_a_module_asked_for_is_answered_by_the_sentence_setting_one_up():
    intents = [
        i for i in detect(fold("全国排污许可证管理信息平台要新设什么模块？")) if i.name == "screen"
    ]
    assert (
        answer_fit(intents, "在全国排污许可证管理信息平台设置信息公开模块，加强信用信息公示。") == 1
    )
    assert answer_fit(intents, "推进省级排污许可信息化平台优化。") == 0


def test_which_things_a_term_covers_asks_its_meaning():
    assert "definition" in names("哪些设备算含多氯联苯电力装置")
    assert "definition" not in names("这算不算危废")  # whether, not what it means


@pytest.mark.parametrize(
    "question",
    [
        "化学品首次进口环境管理登记申请表一共有几页，第三栏应该填什么？",
        "专项规划环境影响报告书的封面和目录要怎么排版？",
        "样品入境通知单表格上有哪些栏目，样式长什么样？",
    ],
)
def test_a_form_s_layout_is_a_near_miss_a_rule_seldom_answers(question):
    layout = [i for i in detect(fold(question)) if i.name == "layout"]
    rule = "进口单位应当填写样品入境通知单，并报送有关材料。"
    assert layout and answer_fit(layout, rule) == 0
    assert "layout" not in names("案卷归档以后，还能往里面补材料或者抽掉几页吗？")


def test_the_account_to_follow_is_asked_as_a_contact():
    intents = detect(fold("进出口审批单的办理进度能在哪个微信公众号上查？"))
    contact = [i for i in intents if i.name == "contact"]
    assert contact and answer_fit(contact, "审批单由生态环境部核发。") == 0


@pytest.mark.parametrize(
    ("question", "near_miss"),
    [
        ("进口菌剂的样品一次最多允许带入多少克？", "quantity"),  # grams, which the rule never gives
        ("微生物菌剂的商品编码该选哪个？", "code"),
        ("名录现行版本一共收录了多少种化学品？", "tally"),
        ("国家有毒化学品评审委员会现任主任委员是谁？", "members"),
        ("大气环境影响预测要用哪个模型？", "method"),
        ("红线矢量图要用什么坐标系？", "method"),
        ("专家名单在哪个网页上能查到？", "contact"),
    ],
)
def test_what_rules_leave_to_catalogues_guidelines_and_appointments(question, near_miss):
    intents = [i for i in detect(fold(question)) if i.name == near_miss]
    assert intents
    rule = "评审委员会由有关专家组成，负责样品的环境安全评价，评价报告应当符合技术规范。"
    assert answer_fit(intents, rule) == 0


def test_a_group_by_its_name_is_a_party_whose_record_is_asked():
    assert asks_a_party_s_record(fold("华东能源集团的风电规划环评报告书审查通过了没有？"))
    assert not asks_a_party_s_record(fold("企业集团的规划环评报告书审查通过了没有？"))


def test_costs_met_from_another_budget_say_who_pays():
    intents = detect(fold("审规划环评报告书要开专家会，这笔钱从哪儿出？"))
    text = "专项规划环境影响报告书审查所需费用，从专项规划环境影响报告书编制费用中列支。"
    assert answer_fit([i for i in intents if i.name == "payer"], text) == 1


def test_those_few_experts_asks_no_headcount():
    assert "quantity" not in names("审查会上那几个专家是咋定下来的？")
    assert "quantity" in names("审查小组至少要有几个专家？")


def test_those_few_people_asks_no_count_of_people():
    # 那几个人, 这几家: the people and firms the asker means, not how many of them
    assert "quantity" not in names("咱区里管证后监管的那几个人，还有跑监测的，上面会组织培训不？")
    assert "quantity" not in names("这几家企业要交执行报告吗")
    assert "quantity" in names("监管岗位至少配几个人？")
    assert "quantity" in names("现场要审几家企业")


def test_a_question_word_after_no_matter_asks_nothing():
    # 不管在哪个地方办: any place alike, whether the rule is the same everywhere is asked
    assert "venue" not in names("听说以后不管在哪个地方办排污证，标准都一样，是真的吗？")
    assert "quantity" not in names("无论排多少都要申请许可证吗")
    assert "venue" in names("今年的培训班在哪个城市举办？")
    # 不管用 is "does not work", 不管不问 "ignores", 管不管 "does it govern": they ask on
    assert "days" in names("这个办法不管用的话整改要几天？")
    assert "who" in names("部门不管不问该找谁举报")
    assert "who" in names("这个条例管不管哪些单位")


def test_a_limit_in_milligrams_is_not_answered_by_a_passage_without_one():
    intents = detect("废水排口的cod最多能排多少mg/l")
    assert answer_fit(intents, "排放水污染物，不得超过国家或者地方规定的水污染物排放标准。") == 0
    assert answer_fit(intents, "化学需氧量排放浓度不得超过50mg/L。") == 1


def test_a_definition_is_answered_by_the_article_that_defines():
    intents = detect("危险废物的含义是什么")
    assert answer_fit(intents, "本法所称危险废物，是指列入国家危险废物名录的固体废物。") == 1
    assert answer_fit(intents, "危险废物应当按照规定贮存。") == 0


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a rough amount in the story is not a number asked for
        ("厂里堆了几千吨煤渣，法律对存放煤渣有什么要求", "quantity"),
        ("环评报告书一般要写哪几块内容", "quantity"),
        # a price or a limit named as the topic is not a value asked for
        ("危废能不能交给没资质的公司处理，价格便宜很多", "fee"),
        ("排放水污染物应当遵守哪些限值要求？", "value"),
        # 从哪天开始算 asks where a period starts (次日起), not for a calendar date
        ("被罚了还在超标排，会不会每天都罚？从哪天开始算？", "date"),
        # who pays is asked, not an amount
        ("危废被环保代处置了，费用谁出", "fee"),
        ("处置场退役的费用由谁承担", "fee"),
        # 每年/定期 say what the question is about: is there a yearly training, must it be updated
        ("技术机构的人每年都要参加培训吗", "frequency"),
        ("专家团队需要定期更新吗", "frequency"),
        ("取水许可要审查多少方面的内容", "quantity"),
        # an inspected firm's duty to tell the truth is no report asked for
        ("被检查时要如实反映情况吗", "report"),
        # a rough count in the story (有几台) is no count asked for
        ("我们厂有几台锅炉要改造，环评怎么做", "quantity"),
        # 原则上 is "as a rule", not a principle asked for
        ("原则上能不能先生产后办证", "principle"),
        # the rule a penalty follows, not the title of a law
        ("无证排污按什么规定处罚", "statute"),
        # the situation is told, not asked about
        ("我们这种情况要不要办证", "conditions"),
        ("什么地方可以查到许可证", "conditions"),
        # a form named in the story is no template asked for
        ("年报模板里危废那一栏能空着不写吗", "template"),
        ("这个算不算危险废物", "definition"),
        # which parts, not a price in 块
        ("审查意见一般得写哪几块", "quantity"),
        # the employer's firing, not a sanction the law sets
        ("我能去举报吗？会不会被公司开除报复？", "sanction"),
        # how many a firm needs, not how many were issued
        ("一个厂要办多少张排污许可证", "tally"),
        # allowances or papers handed over are counted, and they are no money
        ("年底清缴的时候，交多少配额才算够数？", "fee"),
        ("年底清缴的时候，交多少配额才算够数？", "fine"),
        ("补正的时候要交多少份材料", "fee"),
        # an incident's 调查处理 holds 查处 but asks about no penalty
        ("突发环境事件调查处理由谁牵头", "fine"),
        # whether a call will do is no number asked for
        ("情况特别急的时候，第一次报能不能先打个电话？", "contact"),
        # when it was made, which body: no thing to define
        ("这是个啥时候的规定", "definition"),
        ("这个是个什么部门", "definition"),
        # how long, not when
        ("超标排了多长时间也算进去吗", "when"),
        # a few firms, told: whether to write each one's share is asked
        ("几家单位共用一个排口，论证报告里要不要分开写", "quantity"),
        # … and 有几个 in a clause that asks nothing, before the question: whether is asked
        ("厂里有几个人是学环境工程出身的，能不能自己编环评报告书？", "quantity"),
        ("我们有几个分厂，排污许可证要分别申请吗", "quantity"),
        # 好几家 tells a rough count wherever it stands: who resettles the workers is asked
        ("我们县里好几家污染厂被关掉了，工人下岗以后由谁负责安排出路？", "quantity"),
        # which body an office sits in, not where it is
        ("那个领导小组的办公室挂在哪个单位下面？", "contact"),
        # a frequency told, not asked: what follows a breach is asked
        ("现状监测的频次和布点不合规范，会被怎么处理", "frequency"),
        # a technique recommended by the rules, not a maker
        ("有没有推荐的可行技术", "brand"),
        # a module the plan sets up is asked about, not a screen
        ("全国排污许可平台上会设信息公开模块吗", "screen"),
        # 之前 opening a clause is earlier, not before a time
        ("案子已经移交公安了，之前环保局下的吊销决定还算数吗？", "deadline"),
        # how often is asked; the permit nearing its end is the background
        ("我们的排污许可证快到期了，市里会多久提醒一次？", "deadline"),
        ("市局多久要给证过期或者快过期的企业打一次招呼？", "duration"),
        # what becomes of the permit is asked, not what follows a breach
        ("厂关了，证咋处理？", "fine"),
        # a few of the county's old plants, told: by when they must hold permits is asked
        ("县里几家老厂因为早年手续不全一直发不了排污证，计划里咋说的？", "quantity"),
    ],
)
def test_words_that_look_like_a_number_asked_for_but_are_not(question, intent):
    assert intent not in names(question)


def test_the_circumstances_asked_for_are_answered_by_the_article_listing_them():
    intents = [i for i in detect("哪些地方会被划成禁采区") if i.name == "conditions"]
    listing = "有下列情形之一的，应当划为地下水禁止开采区：（一）已发生严重的地面沉降"
    exception = "除下列情形外，禁止开采难以更新的地下水：（一）应急供水取水"
    mandate = "省级水行政主管部门应当统筹考虑地下水超采区划定、地下水利用情况，划定禁止开采区。"
    assert answer_fit(intents, listing) == 1
    assert answer_fit(intents, exception) == 1
    assert answer_fit(intents, mandate) == 0


def test_the_law_a_text_rests_on_is_answered_by_the_sentence_naming_it():
    intents = [i for i in detect("依据的是哪部行政法规？") if i.name == "statute"]
    assert (
        answer_fit(intents, "依据《排污许可管理条例》，规范排污许可事项业务规则和办事指南。") == 1
    )
    assert answer_fit(intents, "排污许可证审批部门规范排污许可事项业务规则和办事指南。") == 0


def test_a_temperature_asked_for_is_answered_by_degrees():
    intents = [i for i in detect("暂存间的温度要控制在几度以下") if i.name == "quantity"]
    assert answer_fit(intents, "暂时贮存的温度应当低于5℃。") == 1
    assert answer_fit(intents, "暂时贮存病理性废物，应当具备低温贮存或者防腐条件。") == 0


def test_who_bears_a_cost_is_answered_by_the_article_saying_where_the_money_comes_from():
    intents = [i for i in detect("规划环评的钱谁出") if i.name == "payer"]
    assert answer_fit(intents, "评价所需的费用应当按照预算管理的规定纳入财政预算。") == 1
    assert answer_fit(intents, "环境影响评价文件由规划编制机关编制或者组织编制。") == 0


def test_how_many_years_a_licence_is_valid_is_answered_by_the_article_giving_them():
    intents = [i for i in detect("经营许可证有效期是几年") if i.name == "quantity"]
    assert answer_fit(intents, "排污许可证有效期为5年。") == 1
    assert answer_fit(intents, "从事集中处置活动的单位，应当申请领取经营许可证。") == 0
    # a longest term said after the rule that sets it
    assert (
        answer_fit(
            intents,
            "排污许可证的有效期限应当根据排污单位所属行业和污染控制要求等因素合理确定，"
            "最长不超过五年。",
        )
        == 1
    )


def test_a_number_in_ten_thousands_is_answered_in_the_unit_asked_for():
    intents = [i for i in detect("全国危废产生量是多少万吨") if i.name == "quantity"]
    assert answer_fit(intents, "产生危险废物的单位应当按照国家有关规定制定危险废物管理计划。") == 0
    assert answer_fit(intents, "全年产生危险废物约120万吨。") == 1


@pytest.mark.parametrize(
    "question",
    ["他们至少得提前多长时间通知我们？", "停运要提前几天报告", "出了事故多久之内要上报"],
)
def test_a_time_asked_for_is_answered_by_hours_as_well(question):
    """Regulations count short notice and reporting times in hours (提前24小时通知): a
    passage that gives them has the shape of the answer."""
    intents = [i for i in detect(fold(question)) if i.name in ("duration", "days")]
    assert intents
    assert answer_fit(intents, "维护运营单位应当提前24小时通知相关排水户。") == 1
    assert answer_fit(intents, "维护运营单位应当通知相关排水户。") == 0


def test_how_long_is_answered_by_days_as_well():
    intents = [i for i in detect("停运之前要提前多久报告") if i.name == "duration"]
    assert intents
    assert answer_fit(intents, "应当在90个工作日前向城镇排水主管部门报告。") == 1
    assert answer_fit(intents, "应当向城镇排水主管部门报告。") == 0


def test_a_calendar_year_asked_for_is_answered_by_a_passage_with_a_date():
    intents = [i for i in detect("国六标准是哪一年实施的") if i.name == "date"]
    assert answer_fit(intents, "在用重型柴油车应当按照规定加装污染控制装置。") == 0
    assert answer_fit(intents, "本法自2016年1月1日起施行。") == 1


def test_which_year_is_answered_by_a_year_relative_to_an_event():
    intents = [i for i in detect("验收监测数据要写进哪一年的年报") if i.name in ("date", "when")]
    assert intents
    assert answer_fit(intents, "应当在验收完成当年的年度执行报告中报告。") == 1
    assert answer_fit(intents, "执行报告包括年度执行报告、季度执行报告。") < 1


def test_what_an_inspection_covers_is_answered_by_the_sentence_saying_what_it_includes():
    intents = [i for i in detect("编制质量检查主要审查报告书的哪些方面？") if i.name == "items"]
    assert answer_fit(intents, "编制质量检查的内容包括报告书是否符合有关法律法规。") == 1
    assert answer_fit(intents, "编制行为监督检查包括编制规范性检查、编制质量检查。") == 0


def test_a_fee_collected_from_those_who_benefit_answers_whether_they_pay():
    intents = [i for i in detect("受益户要交河道费吗？") if i.name == "fee"]
    collected = "河道主管机关可以向受益的工商企业等单位和农户收取河道工程修建维护管理费。"
    assert answer_fit(intents, collected) == 1
    assert answer_fit(intents, "河道主管机关应当加强河道工程的维护管理。") == 0
    # … which says nothing of how much it is
    intents = [i for i in detect("河道费一户收多少钱？") if i.name == "fee"]
    assert answer_fit(intents, collected) == 0


def test_a_duty_to_pay_answers_whether_one_pays_and_which_fees():
    duty = "单位和个人使用海域，应当按照国务院的规定缴纳海域使用金。"
    for question in ("用海要交钱吗？", "开矿的除了交资源税还得交啥费？"):
        intents = [i for i in detect(question) if i.name == "fee"]
        assert answer_fit(intents, duty) == 1, question
        assert answer_fit(intents, "海域使用权人应当依法使用海域。") == 0, question
    # … which says nothing of how much it is
    intents = [i for i in detect("海域使用金一公顷交多少钱？") if i.name == "fee"]
    assert answer_fit(intents, duty) == 0


def test_who_sets_a_fee_asks_no_amount():
    question = "采砂管理费的收费标准及计收办法由何部门制定？"
    assert "fee" not in names(question)
    assert "fee" in names("采砂管理费的收费标准是多少？")


def test_who_bears_a_cost_answers_whether_one_pays():
    intents = [i for i in detect("听证要交钱吗") if i.name == "fee"]
    assert answer_fit(intents, "当事人不承担组织听证的费用。") == 1
    assert answer_fit(intents, "听证应当依照以下程序组织。") == 0
    # … but not how much another fee is
    intents = [i for i in detect("请律师代理听证，律师费一般收多少？") if i.name == "fee"]
    assert answer_fit(intents, "当事人不承担组织听证的费用。") == 0


def test_a_month_asked_for_is_a_month_of_the_year_not_a_year_relative_to_another():
    intents = [i for i in detect("重点单位名录几月定下来") if i.name in ("month", "when")]
    assert answer_fit(intents, "并于3月底前确定本年度环境监管重点单位名录。") == 1
    assert answer_fit(intents, "应当在确定下一年度环境监管重点单位名录时予以调整。") < 1
    assert answer_fit(intents, "应当在三个月内完成调整。") < 1


def test_a_number_of_years_is_no_calendar_year():
    intents = [i for i in detect("行动计划是哪一年印发的") if i.name == "date"]
    assert answer_fit(intents, "鼓励有条件的地区在两年内完成全部排污许可证质量审核工作。") == 0
    assert answer_fit(intents, "二〇一五年八月二十九日修订。") == 1


@pytest.mark.parametrize(
    ("question", "names_it", "gives_it"),
    [
        ("生态环境局的值班电话是多少", "设立举报电话，接受公众举报。", "值班电话：0512-12345678。"),
        (
            "信息平台的网址是什么",
            "通过全国排污许可证管理信息平台申请。",
            "网址为 http://permit.example.cn",
        ),
        ("副本在系统里点哪个按钮下载", "排污许可证副本载明排放口信息。", "登录后点击“下载”按钮。"),
        ("质量标准的标准编号是什么", "制定质量控制标准。", "标准编号为HJ 1234—2022。"),
        (
            "养殖污染物排放标准的国标号是多少",
            "应当符合国家规定的污染物排放标准。",
            "执行GB 18596—2001。",
        ),
        ("条例的文号是多少", "本条例自2021年3月1日起施行。", "国务院令第736号公布。"),
        ("政务服务大厅在哪儿", "设立政务服务大厅集中办理。", "在市政务服务中心二楼。"),
    ],
)
def test_a_contact_asked_for_is_the_thing_itself_not_its_name(question, names_it, gives_it):
    intents = [i for i in detect(question) if i.name == "contact"]
    assert intents
    assert answer_fit(intents, names_it) == 0
    assert answer_fit(intents, gives_it) == 1


def test_a_qualification_grade_named_as_the_topic_asks_no_grade():
    assert "quantity" not in names("评价机构被降低资质等级后，要过多久才能重新申请升级？")


def test_how_an_amount_is_reckoned_asks_the_grounds_not_the_amount():
    assert "quantity" not in names("审批的时候给俺厂批多少吨水，是按啥标准算出来的？")
    assert "quantity" in names("一年取水多少吨就得装在线计量")


@pytest.mark.parametrize("question", ["环境监测站分几级", "丢了一枚Ⅲ类源算几级事故"])
def test_how_many_levels_or_which_one_is_answered_by_levels_named_in_words(question):
    assert "quantity" not in names(question)


@pytest.mark.parametrize("question", ["排污许可证在哪个平台申请", "排污许可证在哪个网站上申请"])
def test_which_platform_is_answered_by_the_platform_s_name(question):
    intents = [i for i in detect(question) if i.name == "contact"]
    assert intents
    assert answer_fit(intents, "通过全国排污许可证管理信息平台提出申请。") == 1


@pytest.mark.parametrize(
    "question",
    ["锅炉改造每蒸吨补贴多少钱", "测一次废水一般收多少钱", "环保税每污染当量税额是多少"],
)
def test_the_amounts_of_a_fine_do_not_price_anything(question):
    intents = [i for i in detect(question) if i.name in ("fee", "quantity")]
    assert intents
    fine = "违反本法规定的，处二万元以上二十万元以下的罚款。"
    assert answer_fit(intents, fine) == 0
    assert answer_fit(intents, "补贴标准为每蒸吨3万元。") > 0


@pytest.mark.parametrize("question", ["第三方运维一年运维费大概多少钱", "废矿物油处置一吨多少钱"])
def test_an_amount_in_a_sentence_about_a_fine_prices_nothing(question):
    intents = [i for i in detect(question) if i.name in ("fee", "quantity")]
    assert intents
    # the fine's floor comes after the word 罚款, in the same sentence
    floor = "处所需处置费用一倍以上三倍以下的罚款，所需处置费用不足十万元的，按十万元计算。"
    assert answer_fit(intents, floor) == 0
    assert answer_fit(intents, "违法的，依法处罚；处置费用为每吨3000元。") > 0


def test_a_number_that_is_the_topic_is_not_a_number_asked_for():
    assert "contact" not in names("排污许可证编号由哪个部门编制")


def test_an_entrance_of_a_metro_station_is_no_entrance_of_a_website():
    assert "contact" not in names("地铁站出入口压在污水管上，迁改方案报给谁审核")


@pytest.mark.parametrize("question", ["排放口没按规定设置，会被处法吗", "拖着不开门会被关停吗"])
def test_asking_what_one_will_suffer_asks_about_a_penalty(question):
    # 会被…吗: whatever the (even misspelt) verb, the asker fears a sanction
    assert "fine" in {i.name for i in detect(question)}


@pytest.mark.parametrize(
    "question",
    [
        "在线监测是第三方运维的，数据不准到底算谁的责任？",
        "监测数据出错，责任算运维公司的还是企业的",
    ],
)
def test_whose_responsibility_asks_who_bears_the_duty_not_the_penalty(question):
    assert "fine" not in names(question)


@pytest.mark.parametrize("question", ["超标排放要负什么法律责任", "违法了要负刑事责任吗"])
def test_what_liability_follows_still_asks_about_the_penalty(question):
    assert "fine" in names(question)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("排污许可培训班怎么报名", "signup"),
        ("在线监测设备哪个牌子好", "brand"),
        ("有没有好用的台账软件推荐吗", "brand"),
        ("执行报告填错了能撤回吗", "correction"),
        ("平台提示信用代码已被注册，咋办", "correction"),
        ("排污许可的微信公众号叫什么名字", "name"),
        ("知识竞赛在哪个城市举办", "venue"),
        ("培训要交培训费吗", "fee"),
        ("换成水性漆最多能领多少补助", "fee"),
        ("奖金有多少", "fee"),
        ("海绵城市改造政府每平方米给多少补贴", "fee"),
        ("污染损害民事责任保险最低要保多少金额？", "fee"),
        ("环评审批专家评审会的专家劳务费按什么标准发？", "fee"),
        ("水源地一级保护区里的居民拆迁，安置标准是啥？", "fee"),
        ("围填海用的填充材料要符合哪个国标编号的标准？", "contact"),
        ("政务服务网上从哪个入口进", "contact"),
        ("广州市生态环境局周末上班吗", "contact"),
        ("市局收材料的邮箱是多少", "contact"),
        ("环评工程师职业资格考试考几科，多少分算及格", "quantity"),
        ("活性炭最长多久必须更换一次", "frequency"),
        ("废水是一季度测一次还是半年一次", "frequency"),
        ("大气污染防治法什么时候修订的", "date"),
        ("烟囱的最低允许高度应当如何确定", "quantity"),
        ("危化品经营店要配几个专职安全员", "quantity"),
        ("申请甲级资质要几个高工", "quantity"),
        ("环境应急专家库的专家咋申请加入", "join"),
        ("风险等级按啥指标划分？有计算公式吗？", "formula"),
        # 公试 mistyped, which the typo step turns into the documents' 公示
        ("有计算公示吗", "formula"),
        ("应急演练一年至少要搞几次", "quantity"),
        ("河套灌区今年春灌什么时候开闸放水？", "this_year"),
        ("立法项目申报表要用几号字、A4纸还是A3纸打印？", "layout"),
        ("备案表一共有几栏，要盖哪几个公章？", "layout"),
        ("申请表里“拆解产物去向”那一栏应该怎么填？", "layout"),
        ("北京有没有官方的合同示范文本可以下载？", "template"),
        ("一级保护区的边界具体划到哪里，有没有坐标？", "boundary"),
        ("VOCs治理设施里的活性炭最长多久必须更换一次", "quantity"),
    ],
)
def test_near_misses_say_what_they_ask_for(question, intent):
    assert intent in names(question)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a firm someone recommended is the topic, not a recommendation asked for
        ("环保局暗示我们必须找他们推荐的那家环评公司，这合规吗", "brand"),
        # when something must be done is not the date of an event
        ("排污许可证什么时候必须延续", "date"),
        # a call that happened is no phone number asked for
        ("技术单位那边打电话说要我们交评审费，这合理吗", "contact"),
        ("接到电话说要补交材料，是真的吗", "contact"),
        # whether e-mail will do is no e-mail address asked for
        ("环境信息的年报写完了交给谁？直接发市局邮箱可以不？", "contact"),
        # reports made many times are the story, not a count or a frequency asked for
        ("我举报了好几次偷排，环保局就是不管", "quantity"),
        ("我举报了好几次偷排，环保局就是不管", "frequency"),
        # whether it is put on the website is no address asked for
        ("环评报告书交上去以后，会把全本挂到官网上吗", "contact"),
        # what has been done already is no time limit asked for
        ("我们去年底刚做完竣工环保验收，监测数据要不要写进年报", "deadline"),
        ("已经办完变更了，还要重新公开吗", "deadline"),
        # days already named (those days of the exam) are no number of days asked for
        ("高考那几天，政府能不能出规定管管周边工地的噪音", "days"),
        ("前几天来检查的人说要整改，是真的吗", "days"),
    ],
)
def test_near_miss_words_that_are_the_topic(question, intent):
    assert intent not in names(question)


@pytest.mark.parametrize(
    ("question", "answers", "misses"),
    [
        ("培训班怎么报名", "报名请登录培训平台。", "开展排污许可培训。"),
        ("监测设备哪个牌子好", "推荐以下品牌。", "重点排污单位应当安装自动监测设备。"),
        ("烟囱高度如何确定", "烟囱高度不得低于45米。", "禁止新建分散燃煤锅炉。"),
        # how things are sorted: the grounds or the classes, not the duty of each class
        (
            "重点管理和简化管理是按什么分的",
            "根据污染物产生量、排放量、对环境的影响程度等因素，对排污单位实行排污许可分类管理。",
            "实行排污许可重点管理的排污单位，应当安装自动监测设备。",
        ),
        ("排污许可证分几类管理", "排污单位分为重点管理和简化管理两类。", "应当申请取得许可证。"),
        # naming the classes as a topic draws none
        ("排污证分几种管理类别", "根据排放量等因素实行重点管理。", "强化管理类别等内容审核。"),
        # the items of a list: information or materials listed, not behaviours
        (
            "排污登记表需要填报哪些内容",
            "排污登记表应当记载下列信息：（一）单位名称；（二）排放去向。",
            "有下列行为之一的，处二万元以上罚款：（一）未填报排污登记表。",
        ),
        (
            "年报是不是要多写点东西？多写哪些？",
            "还应当披露以下信息：（一）审核的原因；（二）审核的结果。",
            "企业应当按照准则编制年度报告。",
        ),
        # a rate is a percentage, a fraction or a share
        (
            "拍卖机构的佣金按什么比例收取",
            "审查小组中专家人数不得少于审查小组总人数的二分之一。",
            "扣押物可以委托拍卖机构依法拍卖。",
        ),
        (
            "现场审核要占多大比例",
            "现场审核比例不应少于全部审批数量的一半。",
            "审批部门应前往现场开展审核。",
        ),
        # a code is in the list that gives it
        (
            "废机油的危废代码是多少",
            "废矿物油与含矿物油废物，废物类别为HW08。",
            "产生危险废物的单位应当按照国家有关规定制定危险废物管理计划。",
        ),
        # a law writes the hour in words
        (
            "法律上的夜间是几点到几点",
            "夜间，是指晚上十点至次日早晨六点之间的期间。",
            "禁止夜间进行产生噪声的建筑施工作业。",
        ),
    ],
)
def test_a_near_miss_is_answered_only_by_what_it_asks_for(question, answers, misses):
    intents = detect(question)
    assert answer_fit(intents, answers) == 1
    assert answer_fit(intents, misses) == 0


def test_a_multiple_asked_outside_a_fine_is_not_a_fine_s_multiple():
    intents = [i for i in detect("周末加班工资按几倍算") if i.name == "quantity"]
    assert answer_fit(intents, "处违法所得一倍以上三倍以下的罚款。") == 0
    assert answer_fit(intents, "按工资的两倍支付。") == 1


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        ("取水许可证不够用了要重新申请吗", [("取水", "许可证")]),
        ("营业执照变更要带哪些材料", [("营业", "执照")]),
        ("驾驶证快到期了怎么换", [("驾驶证",)]),
        ("郑州禁燃区包括哪些街道", [("郑州",)]),
        ("杭州的禁燃区具体包括哪几个区", [("杭州",)]),
        # a place's own rule or standard, which the national texts leave to it
        ("上海的装修噪音规定是早上几点到晚上几点", [("上海",)]),
        ("江苏省的排放标准比国家严多少", [("江苏",)]),
        # where the asker is is not the place whose rule is asked
        ("我们是绍兴一家印染厂，老板让我查查浙江的规定", [("浙江",)]),
        # what the national law lets a province do names no rule of that province
        ("江苏省能不能出台更严的规定", []),
        ("广东省的地方排放标准由谁制定", []),
        # a verb before 许可证 names no licence; a place as the asker's whereabouts is no subject
        ("这个项目需要申请许可证吗", []),
        ("我们在郑州，排污许可证怎么申请", [("排污", "许可证")]),
        ("安评和环评能合在一起做吗", [("安评",)]),
        ("节能评估要在环评之前办吗", [("节能评估",)]),
        ("水土保持方案找谁批", [("水土保持方案",)]),
        ("监测设备的性能评价怎么做", []),  # 性能评价 is not an energy assessment (能评)
        ("项目要做能评吗", [("能评",)]),
        # a country then 一家 is no 国一 standard; 国六 is one
        ("准备往韩国一家回收厂发货，要办什么手续", []),
        ("我们省打算提前上国六b，要不要去部里报备？", [("国六",)]),
        # the paper set aside is not asked about; the office software a form is made in is none
        ("我想开个干洗店，除了营业执照，环保上要装什么设备吗？", []),
        ("那张情况表是自己拿word做还是从信用平台上导？", []),
        # the asker's introduction names no subject; the question does
        ("我们公司是做疫苗研发的，建了个实验室，预案写完之后要交给哪一级环保部门？", []),
        ("我是做外贸的，疫苗冷链怎么管", [("疫苗",)]),
        ("去日本旅游办签证要准备哪些材料？", [("签证",)]),
        # a latin word glossed in Chinese names what the gloss says
        ("pic程序（事先知情同意）在国内是哪个部门牵头执行的？", []),
        ("事先知情同意（pic）程序谁牵头", []),
        ("esg报告要披露啥", [("ESG",)]),
        # 是管许可证 names no licence; 排水管网许可证 is one
        ("ods进出口国家到底是管配额还是管许可证？", [("ODS",)]),
        ("城镇污水排入排水管网许可证去住建局办", [("管网", "许可证")]),
        # an environmental safety assessment is no 安评; a province's local rule is named so
        ("环境安全评价专家委员会任期多长？", []),
        ("上海市对洋山港化学品泄漏有没有本地的应急处置规定？", [("上海",)]),
        ("江苏省对设区的市审批的专项规划环评审查有什么自己的地方规定？", [("江苏",)]),
        ("俺们热线的接线员干得特别好，能评先进拿奖励不？", []),  # 能 + 评先进: can be rated
        ("审批部门能请技术机构评估材料吗？哪些情形能评？", []),  # which cases may be assessed
        # a retired engineer is a person, not a question about pensions
        ("单位想把退休返聘的老总工报进专家库，得先跟他本人打招呼吗？", []),
        ("退休以后养老金怎么算", [("退休",), ("养老金",)]),
        # what is written into a licence names no licence of its own
        ("限产要求会不会写进许可证里", []),
        ("这些内容要载入许可证吗", []),
        ("进口许可证怎么办", [("进口", "许可证")]),
        ("修复单位资质分甲级乙级吗", [("甲级",), ("乙级",)]),
        # a verb acting on the licence names none
        ("审核时重点关注许可证里的哪些内容", []),
        ("换发许可证要带什么", []),
        # a certification, index or body in latin letters; units, pollutants and two letters are not
        ("三方检测机构的cma资质认定怎么申请", [("CMA",)]),
        ("msci、华证这些esg评级机构给企业打分", [("MSCI",), ("ESG",)]),
        ("cod和vocs超标怎么罚", []),
        ("会不会用大数据、ai这些手段", []),
        # the asker's job title in the background names no subject
        ("我是一家企业的ehs主管。这种整改不完的隐患，企业应该怎么处理？", []),
        # the asker's own province, named apart from its rule
        ("俺在山东，俺们省规定存栏多少头猪才算规模养殖场", [("山东",)]),
        # whether a site lies within a place's zone
        ("浙江的禁养区是怎么划的，我们这个镇算不算在里面", [("浙江",)]),
        # a place's own offices
        ("江苏省环保厅的环境应急值班电话是多少", [("江苏",)]),
        ("广东省的企业环境信息披露平台网址是多少", [("广东",)]),
        # another field of law or life, named where the question asks
        ("劳动合同期限三年的，试用期最长可以约定多久", [("劳动合同",), ("试用期",)]),
        ("个税专项附加扣除怎么填", [("个税",)]),
        ("环保税要不要随征城建税和教育费附加？", [("城建税",), ("教育费附加",)]),
        # 乘个税额 multiplies by a tax amount: no personal income tax
        ("是不是就拿当量数乘个税额就完事了", []),
        ("注册个养殖公司要去市监局办啥手续", [("注册个养殖公司",)]),
        ("租的房子到期了，房东扣着押金不退，我该怎么办", [("房东",), ("押金",)]),
        ("有限责任公司股东认缴出资的最长期限是几年", [("认缴出资",)]),
        ("年终奖单独计税和并入综合所得，哪个更划算？", [("年终奖",), ("综合所得",)]),
        ("二手车过户需要带哪些证件去车管所？", [("过户",), ("车管所",)]),
        # words environmental questions use too
        ("民营企业能不能出资建污水处理厂", []),
        ("渣土车超载撒漏、违章排污，罚单交了还要整改吗", []),
        # … and not in the background of a long question
        ("负责环保的同事离职了，交接没做好。许可证延续晚了会怎样？", []),
        # a determiner before 许可证 names no licence
        ("把医废交给一个没有任何许可证的个体户拉走，会怎么罚", []),
        ("开医废处置公司要办什么许可证", []),
        # a verb with its direction, and two papers joined, name none either
        ("能不能把货卖到许可证上没写的用途去", []),
        ("这两段分别要不要办进出口审批单和许可证", []),
        ("发现实际排污情况跟许可证上写的不一样，该交给哪个部门", []),
        ("技术审查做完以后，大概多少天能批下来执照？", []),
        # who manages licences: 局管许可证 is no licence
        ("我在区分局管许可证，市局来核查时一般挑哪几类毛病？", []),
        # nor is what is done to or beyond a licence, all of them, or whose it is
        ("为啥要简化许可证内容？", []),
        ("排放量超出许可证规定的会咋样", []),
        ("全部许可证都要审一遍吗", []),
        ("我们单位许可证快到期了，去哪延续", []),
        ("省厅里执照批下来没有？", []),
        ("企业是否依照许可证载明要求排放污染物，会否作为执法白名单的依据？", []),
        ("技术机构的原因导致许可证出现严重质量问题，会被怎么处理？", []),
        # what a text covers, and a licence's check done (核查完)
        (
            "拟出台的排污许可证管理规程将涵盖许可证从续期到终止的哪些办理环节？",
            [("排污", "许可证")],
        ),
        ("我们市每个季度核查完许可证，查出来的结果最后要报到哪一级？", []),
        # what is said or asked about a licence names none
        ("集团那边说执照申请、培训考核这些事让我们厂自己弄", []),
        ("想问问执照申请的流程", []),
        # a paper the asker says is seen to already is the story, not the subject
        ("公司换了法人，营业执照已经改好了，危废证那边得多少天内去办变更？", []),
        ("营业执照办好了没有？", [("营业", "执照")]),
        ("取水许可证已经拿到了吗", [("取水", "许可证")]),
        # a paper told in passing before the permit the question goes on about is background
        (
            "两个厂区在不同地方，营业执照是同一个，我以为办一个排污证就行，到底要办几个证？",
            [],
        ),
        ("我们有营业执照，需要办排污许可证吗", [("排污", "许可证")]),
        # … or after it: the asker's permit is the subject, the paper a past mishap
        (
            "我是小印刷厂的法人，前年拿的排污证，上次营业执照过期就吃过亏。"
            "证快到期了，环保局会不会主动提醒？",
            [],
        ),
        # … not before another licence, nor before a bare 许可证 (the same one again)
        ("我们有营业执照，需要办取水许可证吗", [("营业", "执照"), ("取水", "许可证")]),
        ("超了配额许可证的数量，会不会被吊销许可证？", [("配额", "许可证")]),
        ("办排污证之前，要先有营业执照吗", [("营业", "执照")]),  # its clause asks
        ("营业执照丢了，咋办", [("营业", "执照")]),
    ],
)
def test_the_licences_and_places_a_question_is_about(question, subjects):
    assert named_subjects(question) == subjects


@pytest.mark.parametrize(
    ("question", "states_it", "does_not"),
    [
        ("年产生量不到10吨的能不能简化管理", "十吨以下的，可以简化。", "应当制定管理计划。"),
        ("应急预案是不是每三年必须修订一次", "每3年修订一次。", "应当定期进行演练。"),
    ],
)
def test_a_threshold_the_question_states_is_confirmed_only_by_a_passage_stating_it(
    question, states_it, does_not
):
    intents = [i for i in detect(question) if i.name == "threshold"]
    assert intents
    assert answer_fit(intents, states_it) == 1
    assert answer_fit(intents, does_not) == 0


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("某化工有限公司的扩建项目环评是否已经批了", True),
        ("浙江龙盛集团最近有没有被生态环境部门行政处罚？", True),
        ("北京金隅红树林环境技术公司现在有没有危废经营许可证？", True),
        ("上海石化是不是在重点排污单位名录里？", True),
        ("南通华强化工有限公司现在是不是还在被按日连续处罚？", True),
        ("上海企业是不是都要办排污证", False),
        # a place's firms in general, or the asker's own
        ("北京的环评公司有没有被罚过的", False),
        ("我们公司现在有没有必要办排污许可证", False),
        ("对面那家电镀厂是不是已经停产了", True),
        ("恒达化工年产5万吨丙烯酸项目的环评批复下来了没有", True),
        ("隔壁宏达化工的排污许可证是不是已经被注销了", True),
        # a shop next door, a firm by its registered name, whether it has come through or lapsed
        ("我们楼下那家川味坊火锅店的排水许可证批下来没有？", True),
        ("宁波镇海那家永兴化工的排污许可证今年到期没有？", True),
        ("绿源环保科技有限公司的危废经营许可证现在还有效吗？", True),
        ("绿源环保科技有限公司想办危废经营许可证，要什么条件", False),
        ("江苏一家化工公司上个月报的入河排污口设置申请，现在批下来没有？", True),
        # the asker's own firm described, not one somewhere
        ("我们是一家化工公司，排污口设置申请要交哪些材料", False),
        # what its own report says
        ("帮我查一下华东某钢铁集团2023年度环境信息披露报告里写的二氧化硫排放量是多少", True),
        ("我们的年度报告里要写哪些内容", False),
        ("我们年产10万吨的项目要做报告书吗", False),
        # our own duty, or a firm named without asking what became of it
        ("我们厂的排污许可证已经过期了怎么办", False),
        ("环保局让我们找他们推荐的那家公司做环评，合规吗", False),
        # a case put to the law
        ("某企业未批先建，是否已构成违法", False),
        ("某企业排污许可证已经过期，还能继续排污吗", False),
        # where its case stands now; a firm by its trade
        ("山东鲁华印染有限公司的设备现在解封了没有？", True),
        ("帮我查一下唐山瑞丰钢铁的限产决定现在解除了没有？", True),
        ("华能某某电厂今年有没有进重点排放名录？", True),
        ("被查封的设备现在解封了没有", False),
        # how a named firm's case was graded; what a grading turns on is the rule's
        ("江苏响水天嘉宜化工那次爆炸，最后被定成了几级突发环境事件？", True),
        ("尾矿库被定为几级要看什么", False),
        # how much was fined in a case, whoever the party; not what may be imposed
        ("中海油渤海某平台去年因为漏油被罚了多少钱？", True),
        ("嘉兴南湖区的老王火锅店因为油烟被罚了多少钱？", True),
        ("油烟不达标会被罚多少钱", False),
        # a project seen through, a firm's short trade name, its case's outcome or stage
        ("宏达冶炼厂周边那片农田的修复项目验收了没有？", True),
        ("隔壁鑫源光伏公司的自愿减排项目登记下来了没有？", True),
        ("扬农化工的农药生产许可证现在还在有效期内吗？", True),
        ("浙江宏达化工有限公司被举报偷排以后，环保局的处理结果是什么？", True),
        ("华辐环境科技有限公司申请的处置许可证现在审批到哪一步了？", True),
        ("我们的修复项目验收了没有，要看哪些指标", False),
        ("调查结论是什么时候出的，由谁公布", False),
        ("排污证的事被罚了两千块，申请复议能走简易程序吗？", False),
        ("那家厂子最后罚了几万？", True),
        ("我们厂被罚了几千块，还要整改吗？", False),
    ],
)
def test_a_question_about_a_particular_firm_s_record(question, asks):
    assert asks_a_party_s_record(fold(question)) == asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("重点排污单位名录里有哪些企业", True),
        ("按照分类管理名录，洗车店算简化管理还是登记管理", True),
        ("豁免清单里都有哪些危险废物", True),
        ("塑料制品厂在《固定污染源排污许可分类管理名录》里算重点管理还是简化管理", True),
        ("新污染物清单有哪些物质", True),
        ("排污许可分类名录2019版里，哪些行业属于简化管理", True),
        ("替代品推荐名录中目前推荐的发泡剂替代品具体有哪些", True),
        ("医疗废物分类目录将医疗废物具体划分为哪几类", True),
        # the rule about a list, not the list
        ("重点单位名录管理办法里有哪些规定", False),
        ("名录里的企业有哪些义务", False),
        # how the list bears on something
        ("按证排污情况跟执法正面清单有啥关系", False),
        # the law's duty for what is listed
        ("名录中的企业应当采取哪些措施", False),
        # the list itself: who draws it up, whether it changes
        ("危险废物名录会调整吗", False),
        ("正面清单是谁制定的", False),
        # whether the law puts something under the list's rule
        ("按照分类管理名录，是不是所有锅炉都要办排污许可证", False),
    ],
)
def test_a_question_about_what_a_list_holds(question, asks):
    assert asks_what_a_list_holds(fold(question)) == asks


@pytest.mark.parametrize(
    ("question", "grades"),
    [
        ("一般工业固体废物第Ⅰ类和第Ⅱ类怎么划分", [("第i类",), ("第ii类",)]),
        ("国五柴油车什么时候淘汰", [("国五",)]),
        ("执行一级A标准的污水厂", [("一级a",)]),
        # a level of government or a protection zone is no grade a standard defines
        ("饮用水水源二级保护区内能建什么", []),
        ("环评归哪一级批", []),
    ],
)
def test_the_grades_a_question_names(question, grades):
    assert named_subjects(fold(question)) == grades


def test_the_background_of_a_long_question_asks_nothing():
    question = (
        "我们单位的厂区是上世纪就开始用的，污染是2019年施行以前留下的，原来的责任人早已无从查找。"
        "这几年我们自己掏钱做了风险管控和修复，花了不少钱。像这种情况，能不能向政府申请点资金支持？"
    )
    assert names(question) == set()


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("我们厂去年被查了。罚款要多久交？", "duration"),
        ("排污许可证有效期多久？到期前多久要延续？", "deadline"),
        # without a question mark, the sentence with a question word asks
        ("我们是小作坊。环保所的人让我们做排污登记。这个登记多少天内要办完", "days"),
        # one sentence is read whole
        ("这几年一直在排污，有效期是几年", "duration"),
    ],
)
def test_the_sentences_that_ask_keep_their_intents(question, intent):
    assert intent in names(question)


def test_a_condition_before_the_question_asks_for_no_place():
    # after 要是 a question word is indefinite (if some place…): the clause after it asks
    assert "venue" not in names("要是哪个地方两年就把全部排污证审核都搞完了，第三年还干点啥？")
    assert "venue" in names("要是证丢了，去哪个地方补办？")


def test_a_condition_that_is_the_last_clause_to_ask_still_asks():
    assert "venue" in names("如果证丢了去哪个地方补办")
    assert "venue" in names("啥证也没办，要是被查到了去哪个地方交罚款")


@pytest.mark.parametrize(
    ("question", "intent", "asked"),
    [
        # the course is asked about; being sent to sign up is the background
        (
            "单位让我报名参加每年的排污许可培训班，想了解一下这个培训班的课程是怎么设置的？",
            "signup",
            False,
        ),
        ("排污许可培训班在哪报名，要交钱吗", "signup", True),
        # a bare 咋办 asks about the clause before it
        ("在排污许可平台注册，提示统一社会信用代码已被注册，咋办", "correction", True),
    ],
)
def test_a_near_miss_is_read_from_the_clauses_that_ask(question, intent, asked):
    assert (intent in names(question)) is asked


def test_a_period_asked_for_is_not_answered_by_regularly():
    # laws often write 定期 where a technical rule gives the period
    intents = [i for i in detect("活性炭最长多久必须更换一次") if i.name == "quantity"]
    assert intents
    assert answer_fit(intents, "应当定期更换吸附材料。") == 0
    assert answer_fit(intents, "吸附材料每三个月至少更换一次。") == 1


def test_a_tally_of_licences_issued_is_answered_only_by_a_count_of_them():
    intents = [i for i in detect("去年全省一共发了多少张危废经营许可证") if i.name == "tally"]
    assert answer_fit(intents, "全年共核发危险废物经营许可证126张。") == 1
    # a period of days or the term of a licence counts nothing issued
    assert answer_fit(intents, "应当在有效期届满30个工作日前重新申请领取。") == 0
    assert answer_fit(intents, "危险废物综合经营许可证有效期为5年。") == 0


def test_a_period_to_report_by_answers_how_often():
    question = "环保税是每个月都得去报，还是一季度报一回就行？"
    intents = [i for i in detect(question) if i.name == "frequency"]
    assert answer_fit(intents, "环境保护税按月计算，按季申报缴纳。") == 1


def test_a_total_produced_is_a_tally_a_threshold_does_not_give():
    intents = [i for i in detect("北京市去年全市危险废物产生总量是多少万吨？") if i.name == "tally"]
    assert answer_fit(intents, "（一）年度同一种类危险废物产生量超过5000吨；") == 0
    assert answer_fit(intents, "去年全市危险废物产生总量为12.3万吨。") == 1


def test_a_charge_forbidden_to_whom_it_names_answers_whether_one_pays():
    intents = detect("技术评估收费吗")
    forbidding = "技术评估机构进行技术评估，不得向建设单位、编制单位收取或者转嫁任何费用。"
    assert answer_fit(intents, forbidding) == 1
    # … not how much another charge is
    other_charges = "不得向排水户收取污水处理费以外的费用。"
    assert answer_fit(detect("污水处理费每吨收多少钱"), other_charges) == 0


def test_where_to_look_a_thing_up_is_answered_by_where_it_is_published():
    intents = detect("大气排放标准原文去哪查")
    publishing = "生态环境主管部门应当在其网站上公布大气污染物排放标准，供公众免费查阅。"
    assert answer_fit(intents, publishing) == 1
    assert answer_fit(intents, "生态保护红线内禁止开发性、生产性建设活动。") == 0


@pytest.mark.parametrize(
    "question",
    ["县环保局有没有义务把备案系统的网址链接对外公布？", "举报热线电话要不要向社会公开"],
)
def test_whether_a_contact_must_be_published_asks_no_contact(question):
    assert "contact" not in names(question)


def test_a_contact_asked_beside_whether_something_was_published_is_still_asked():
    assert "contact" in names("《质量控制标准》是否已正式发布？其标准编号是什么？")


@pytest.mark.parametrize(
    ("question", "asks_days"),
    [("网上提交以后还要等环保局审批好几天吗？", False), ("提交以后环保局几天内要审完？", True)],
)
def test_several_days_told_asks_no_number_of_days(question, asks_days):
    assert ("days" in names(question)) is asks_days


def test_days_written_in_full_width_digits_are_days():
    intents = [i for i in detect("听证通知书最晚要提前几天送到？") if i.name == "days"]
    assert intents
    assert answer_fit(intents, "应当在听证举行的７日前，将听证通知书送达。") == 1


@pytest.mark.parametrize(
    "question",
    [
        "广东省对废家电拆解企业有没有自己额外的资格条件？",
        "广东省的环评分级审批目录里，地级市能批哪些项目？",
    ],
)
def test_a_province_s_own_rule_however_called_names_that_province(question):
    assert ("广东",) in named_subjects(question)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("温州市对饮用水水源一级保护区里游泳是怎么规定的？", "温州"),
        ("广东省对危废贮存有什么规定", "广东"),
        ("山东省小型农田水利工程验收办法具体分哪几个步骤？", "山东"),
        # a word or two between how it is asked and what: 怎么加价收费, 有啥保护规定, 怎么定的
        ("烟台市对超计划用水是怎么加价收费的？", "烟台"),
        ("江苏徐州那边对微山湖有啥保护规定？", "徐州"),
        ("杭州市气象灾害应急预案的启动标准具体是怎么定的？", "杭州"),
        # the province asked of as 省里, where the asker has said which it is
        ("个人在广东开瓶装液化气店，省里具体规定了哪些条件？", "广东"),
    ],
)
def test_what_a_place_rules_or_its_own_text_by_name_names_that_place(question, place):
    assert (place,) in named_subjects(question)


@pytest.mark.parametrize(
    "question",
    ["国家对饮用水水源一级保护区是怎么规定的", "山东省的企业要不要做环评"],
)
def test_a_national_rule_or_a_place_s_firms_names_no_place_s_rule(question):
    assert named_subjects(question) == []


def test_the_province_the_asker_is_in_names_no_rule_of_its_own():
    assert named_subjects("我们在广东，拆解企业的资格条件有哪些？") == []


@pytest.mark.parametrize(
    "question",
    [
        "2023年全国各级环保部门一共组织了多少场行政许可听证？",
        "全国现在一共划定了多少个县级以上饮用水水源保护区？",
    ],
)
def test_how_many_were_held_or_designated_nationwide_is_a_tally(question):
    assert "tally" in names(question)


@pytest.mark.parametrize(
    "question",
    [
        "全国每年有多少个海洋工程项目的环评报告书获得核准？",
        "丽水去年集中式饮用水水源水质达标率是多少？",
        "去年全国气象灾害一共造成了多少经济损失？",
    ],
)
def test_how_many_a_year_or_last_year_s_rate_is_a_tally(question):
    assert "tally" in names(question)


def test_a_rate_the_rule_sets_is_no_tally():
    assert "tally" not in names("危险废物综合利用率要达到多少")


@pytest.mark.parametrize(
    ("question", "record"),
    [
        ("镇海炼化扩建项目的环评听证会最后通过了没有？", True),
        ("南湖水库水源地保护区的调整方案省里批下来没有？", True),
        ("我们这个扩建项目的环评批下来了吗", False),
        ("这个新建项目环评通过了吗", False),
    ],
)
def test_a_project_or_reservoir_named_by_its_own_name_asks_its_record(question, record):
    assert asks_a_party_s_record(question) is record


@pytest.mark.parametrize(
    ("question", "names_it", "gives_it"),
    [
        # a fee called by what it pays for: 劳务费, 考试费, 保费
        (
            "参加专家论证会的专家每次劳务费是多少？",
            "应当提前将会议的时间、地点通知参会专家。",
            "专家劳务费每次800元。",
        ),
        (
            "拆解企业要投保责任险吗？保费大概多少？",
            "鼓励投保环境污染责任保险。",
            "保费为每年2万元。",
        ),
        # copies counted
        (
            "做问卷调查至少要发放多少份问卷才有效？",
            "调查的人数及其范围应当综合考虑影响范围。",
            "发放问卷不少于100份。",
        ),
        # years required
        (
            "社会组织要成立满几年才能提起公益诉讼？",
            "支持符合法定条件的社会组织依法提起环境公益诉讼。",
            "依法登记且连续五年以上从事环境保护公益活动。",
        ),
        # the hours of a line named, not its number
        (
            "12369举报热线人工接听的时间是几点到几点？",
            "可以通过“12369”环保举报热线举报。",
            "热线每日8点至20点人工接听。",
        ),
    ],
)
def test_a_value_asked_in_everyday_words_is_not_answered_by_its_topic(question, names_it, gives_it):
    concrete = [i for i in detect(question) if i.name in ("fee", "quantity", "contact")]
    assert concrete
    assert answer_fit(concrete, names_it) == 0
    assert answer_fit(concrete, gives_it) == 1


def test_the_number_of_a_line_is_still_asked_with_its_hours():
    contacts = [i for i in detect("举报热线号码是多少，几点有人接？") if i.name == "contact"]
    assert answer_fit(contacts, "举报电话12369，8点至20点有人接听。") == 1
    assert answer_fit(contacts, "8点至20点有人接听。") < 1


@pytest.mark.parametrize(
    "question",
    [
        "万华化学今年申报的那个新化学物质常规登记证批下来了没有？",
        "华丰化工被群众举报偷排的事现在处理到哪一步了？",
        "苏州华星电子材料有限公司上个月报的危废出口申请现在审到哪一步了？",
    ],
)
def test_how_far_a_named_firm_s_case_has_gone_is_its_record(question):
    assert asks_a_party_s_record(question)


@pytest.mark.parametrize(
    "question", ["危险化学品被查到哪一步了算违法", "石油化工企业要申报哪些材料"]
)
def test_a_trade_named_without_a_firm_is_no_party(question):
    assert not asks_a_party_s_record(question)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("去年全国12369热线一共受理了多少件举报？", "tally"),
        ("国家级监测网目前一共设了多少个地表水监测断面？", "tally"),
        ("出口危废报关时，海关商品编码该怎么填？", "code"),
        ("广东省有奖举报的奖励标准是怎么规定的？", "fee"),
    ],
)
def test_near_misses_asked_in_other_words(question, intent):
    assert intent in names(question)
    # the line named in a tally is its subject: the law's 12369 does not count the reports
    assert answer_fit(detect(question), "可以通过“12369”环保举报热线举报。") == 0


@pytest.mark.parametrize(
    "question", ["技术评审由哪些机构承担？", "在线监控被拆了，是哪个机构提处罚意见的？"]
)
def test_which_body_asks_who(question):
    assert "who" in names(question)


@pytest.mark.parametrize(
    ("question", "names_it", "gives_it"),
    [
        (
            "专家库现在一共入库了多少名专家？",
            "建立专家库，对入库专家实行动态管理。",
            "累计入库专家1200名。",
        ),
        (
            "被取消资格以后，过几年可以重新申请？",
            "被取消资格的，不得再担任审查专家。",
            "三年内不得重新申请。",
        ),
        ("资格证被收回以后，几年内不能重新申请？", "收回其资格证书。", "二年内不得再次申请。"),
        ("统计资料档案需要保存多少年？", "统计资料应当归档保存。", "保存期限为十年。"),
        (
            "审查专家去外地开会，差旅费由谁来出？",
            "审查专家应当参加审查会议。",
            "差旅费用由组织审查的部门承担。",
        ),
        ("产排污系数具体取值是多少？", "采用产排污系数法核算排放量。", "取值为0.8 mg/m3。"),
        (
            "污染源普查的标准时点是哪一天？",
            "国家定期开展污染源普查。",
            "标准时点为2020年12月31日。",
        ),
        ("包装袋的厚度有什么标准？", "应当使用专用包装袋。", "厚度不小于0.15毫米。"),
        ("罚款交到哪个银行账户？", "当事人应当缴纳罚款。", "开户行为国库，账号1234567890。"),
        ("抽取系统的采购预算是多少？", "建立随机抽取系统。", "预算为30万元。"),
        (
            "取水计量设施的计量精度要达到几级才算合格？",
            "县级以上地方人民政府水行政主管部门",
            "精度不低于二级",
        ),
        ("生态保护红线总面积有多少平方公里？", "划定生态保护红线", "面积为2082平方公里"),
        ("船用燃油含硫量上限是百分之零点几？", "船舶应当使用符合标准的燃油", "不大于0.5%"),
        ("剧组进保护区拍外景，场地费怎么收？", "在实验区开展参观、旅游活动", "每天收取2000元"),
        ("野猪把玉米地拱了，政府每亩赔多少？", "依法给予补偿", "每亩补偿800元"),
        ("接通后要按几号键才能转到环保？", "设立举报热线", "按“3”号键转人工"),
        ("危险象形图的尺寸和边框颜色是怎么规定的？", "应当设置安全标签", "边长不小于10毫米"),
        ("编制报告书的单位要具备什么资质等级？", "应当具备相应的技术能力", "具有乙级以上资质"),
        ("办个拆解场，场地面积至少要多大？", "拆解场地应当符合环保要求", "面积不少于5000平方米"),
        ("污泥里重金属含量是多少才算达标？", "污泥应当无害化处理", "镉含量不超过20毫克/千克"),
        ("基本农田要占到耕地的几成？", "耕地应当划入基本农田", "占耕地总面积的百分之八十以上"),
        ("退耕的农户国家每亩给多少生态补偿金？", "对退耕农户给予生态补偿", "每亩补助300元"),
        ("回收的废电池现在大概什么价？", "废电池交由有资质的单位回收", "每吨收购价为8000元"),
        ("填埋场衬层的渗透系数要达到多少？", "填埋场应当设置防渗衬层", "渗透系数≤10-7厘米/秒"),
        ("豁免的活度浓度阈值是多少？", "符合豁免条件的可以不申请许可", "活度浓度阈值为10贝可/克"),
        ("氡的年剂量是多少毫希？", "应当控制公众受照剂量", "年剂量不超过1毫希"),
        ("安全状况多久评估一次？", "应当对安全状况进行评估", "对安全状况进行年度评估"),
        ("运行许可证的有效期是多久？", "运行许可证应当载明有效期", "运行许可证的有效期为设计寿期"),
        # a deadline for renewing it, in a clause of its own, is no validity
        (
            "核材料许可证一般有效期是几年？",
            "许可证的有效期在许可证中规定，需要延长许可证有效期的，必须在期满之前九十天内提出申请",
            "许可证的有效期为三年",
        ),
    ],
)
def test_more_values_asked_need_a_passage_giving_them(question, names_it, gives_it):
    concrete = [i for i in detect(question) if i.name in CONCRETE_INTENTS]
    assert concrete
    assert answer_fit(concrete, names_it) == 0
    assert answer_fit(concrete, gives_it) > 0


def test_who_pays_is_answered_by_the_payer_named_before_the_costs():
    payer = [i for i in detect("退运的运费处理费该谁掏？") if i.name == "payer"]
    assert answer_fit(payer, "出口者应当负责将废物退运回国，并承担运输与处置等相关费用。") == 1


@pytest.mark.parametrize(
    "question",
    [
        "广东省对医疗废物违法行为有没有更高的罚款标准？",
        "广东省的环境保护档案管理实施细则具体是怎么规定的？",
    ],
)
def test_a_province_s_own_stricter_or_detailed_rule_names_the_province(question):
    assert ("广东",) in named_subjects(question)


@pytest.mark.parametrize(
    "question",
    [
        "环保举报热线工作需要遵循哪些基本原则？",
        "俺怕被举报的厂子知道是俺打的电话，热线那边有没有保密的规矩？",
        "留的电话和住址会不会被企业拿去干别的事？",
    ],
)
def test_a_line_named_as_the_subject_asks_no_number(question):
    assert "contact" not in names(question)


@pytest.mark.parametrize(
    "question",
    ["办公电话和地址是多少？", "有啥咨询热线电话不？打哪个号？", "值班电话是多少", "热线怎么打"],
)
def test_a_number_asked_for_is_still_a_contact(question):
    assert "contact" in names(question)


@pytest.mark.parametrize(
    ("question", "names_it", "gives_it"),
    [
        (
            "验收监测报告的封面和目录格式是怎样的？",
            "验收监测报告应当载明监测结论。",
            "封面采用A4纸，标题用二号宋体，居中排版。",
        ),
        (
            "执法证件编号每一位数字分别代表什么意思？",
            "证件应当载明人员姓名、证件编号、所属单位。",
            "证件编号为12位数字，编码为省级代码加流水号。",
        ),
        (
            "生态环境部受理处置许可的咨询电话和办公地址是什么？",
            "许可证应当载明单位名称、地址和法定代表人。",
            "咨询电话：010-65645555，地址：北京市西城区西直门南小街115号。",
        ),
        (
            "城市放射性废物库收贮一枚废放射源收费多少钱？",
            "申请单位应当有不少于三千万元的注册资金。",
            "收贮费用为每枚2000元。",
        ),
    ],
)
def test_a_layout_a_code_an_address_and_a_fee_need_a_passage_giving_them(
    question, names_it, gives_it
):
    concrete = [i for i in detect(question) if i.name in CONCRETE_INTENTS]
    assert concrete
    assert answer_fit(concrete, names_it) == 0
    assert answer_fit(concrete, gives_it) > 0


@pytest.mark.parametrize(
    "question",
    [
        "我们公司换了法人、地址也搬了，之前批的排污口决定书要不要去改？",
        "法人跟地址都变了，一直没去改经营证，查到会咋处理？",
    ],
)
def test_an_address_told_as_changed_asks_for_no_address(question):
    assert "contact" not in names(question)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("去年湖南某县执法人员李某伪造执法证件那个案子，最后怎么判的？", True),
        ("杭州仁和医院的辐射安全许可证现在还在有效期内吗？", True),
        ("中核清原环境技术工程有限责任公司的处置许可证什么时候到期？", True),
        # the law's answer for such a case, and one's own licence
        ("执法人员伪造证件最后会怎么处理？", False),
        ("我们医院的辐射证什么时候到期？", False),
        # a works by name and trade, a plant's numbered unit, a project by what it integrates
        ("东风造纸厂的排污许可证批下来了没有？", True),
        ("秦山核电站3号机组的换证申请批下来了吗？", True),
        ("金港石化一体化项目的环评批下来了没有？", True),
        # … whether it has got or done a thing yet, what it holds now
        ("青山环保科技有限公司的危废经营许可拿到手了没有？", True),
        ("蓝天再生资源有限公司有没有电子废物拆解的资质？", True),
        # one's own works, a kind of works, and the law on getting a licence
        ("我们化工厂的环评批下来没有？", False),
        ("小型化工厂要办排污许可证吗？", False),
        ("企业没拿到排污许可证就排污怎么罚？", False),
    ],
)
def test_how_a_named_person_s_or_firm_s_case_ended_is_its_record(question, asks):
    assert asks_a_party_s_record(fold(question)) is asks


@pytest.mark.parametrize(
    "question",
    [
        "水资源费是不是用了多少吨水就交多少钱？",
        "能不能派几个人代表全厂去听证？",
        "说明书上是不是还得写明保存多少天？",
        "晚报几天行不行？",
    ],
)
def test_a_number_word_inside_a_yes_or_no_question_asks_no_number(question):
    assert not names(question) & {"days", "quantity", "fee", "value"}


@pytest.mark.parametrize(
    ("question", "passage", "answers"),
    [
        ("今年的执行报告什么时候交", "排污单位应当于每年3月31日前提交上一年度执行报告。", True),
        ("今年春灌什么时候开闸放水", "灌区管理单位应当制定年度用水计划，合理调度。", False),
        ("一级保护区的边界划到哪里", "一级保护区以水库大坝为界，向上游延伸两千米。", True),
        ("一级保护区的边界划到哪里", "饮用水水源保护区由省人民政府批准划定。", False),
    ],
)
def test_this_year_s_dates_and_a_zone_s_boundary_need_a_passage_giving_them(
    question, passage, answers
):
    asked = [i for i in detect(question) if i.name in ("this_year", "boundary")]
    assert asked
    assert (answer_fit(asked, passage) == 1) is answers


@pytest.mark.parametrize(
    ("passage", "lists_them"),
    [
        ("变更申请材料应当提交，包括下列内容：（一）变更申请表；（二）健康检查结果。", True),
        ("申请人应当向发证机关提交申请书和环境影响评价文件。", True),
        ("应当持许可证复印件向使用地生态环境主管部门备案。", True),
        ("排污单位应当依法申请取得排污许可证。", False),
    ],
)
def test_what_to_hand_in_is_answered_by_the_article_listing_it(passage, lists_them):
    asked = [i for i in detect("申请排污证要交哪些材料？") if i.name == "materials"]
    assert asked
    assert (answer_fit(asked, passage) == 1) is lists_them


def test_the_material_a_product_is_made_of_is_no_paper_to_hand_in():
    assert "materials" not in names("产品上要不要标用的啥材料？")


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        # a city outside the short list, and how it fines
        ("衢州市对在田里烧稻草一般罚多少钱？", [("衢州",)]),
        ("金华市对乱倒渣土的单位是怎么罚的", [("金华",)]),
        ("舟山对工地扬尘的罚款标准是多少", [("舟山",)]),
        # a place's own regulation by 条例, or its reservoir's
        ("苏州的生活垃圾条例对个人乱扔怎么罚", [("苏州",)]),
        ("温州泽雅水库的保护条例里能不能钓鱼", [("温州",)]),
        # what it adds of its own: a subsidy, a specific rule
        ("广东省对本地拆解企业有没有额外的补贴", [("广东",)]),
        ("杭州对阳台晾衣服有啥具体规定", [("杭州",)]),
        # where the asker is, and the national rule asked: no place
        ("我在衢州开厂，按大气污染防治法超标排放罚多少", []),
        ("城镇江河两岸能不能堆垃圾", []),
        # where the asker is, told before a list asked for
        ("我们厂在济宁，这个条例说的沿线到底指哪些地方？", []),
    ],
)
def test_a_place_s_own_rule_names_the_place(question, subjects):
    assert named_subjects(question) == subjects


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        # whether a party has been sanctioned, asked last
        ("绿洲物业在垃圾清运上被城管处罚过没有？", True),
        ("丰田农机合作社前年有没有因为烧秸秆被处罚？", True),
        ("城东那家拆车厂上个月是不是被吊销资质了？", True),
        ("某建设集团的工地最近因为扬尘被罚了吗？", True),
        # … told as background, or a law asked about those sanctioned
        ("以前被处罚过的企业还能申请补贴吗", False),
        ("我们厂去年被罚了一次，今年再犯会怎样？", False),
        # how a named works runs now, how its last check came out
        ("温州东片污水处理厂现在每天能处理多少吨？", True),
        ("宁波绿能环保有限公司的焚烧厂现在运行正常吗？", True),
        ("台州市供水有限公司最近一次水质检测合格吗？", True),
        ("污水处理厂出水要达到什么标准", False),
        # what the place is like now, told as background
        ("我们是镇上一家砖厂，现在后山挖出好几个大坑了，要不要复垦？", False),
        ("俺们省有个核电站，出了事省里谁管？", False),
    ],
)
def test_a_party_s_sanctions_and_running_are_its_record(question, asks):
    assert asks_a_party_s_record(fold(question)) == asks


@pytest.mark.parametrize(
    "question",
    [
        "秦山核电站去年组织过几次应急演习？",
        "全国到目前为止一共发生过几起辐射事故？",
        "市里今年给秸秆利用安排了多少资金？",
    ],
)
def test_past_events_and_money_spent_are_tallies(question):
    assert "tally" in [i.name for i in detect(question)]


@pytest.mark.parametrize(
    ("question", "states_it", "does_not"),
    [
        ("每个片区至少要建几座公厕", "每个片区设置不少于两座公共厕所。", "按照规划设置公共厕所。"),
        ("养几头牛以上才算养殖场", "存栏五十头以上的为养殖场。", "养殖场应当配套粪污处理设施。"),
        ("一次最多可以用多少升消油剂", "每次使用不超过500升。", "使用消油剂应当事先报告。"),
        ("污水处理费每吨收几毛钱", "污水处理费为每吨0.95元。", "污水处理费用于污水处理设施建设。"),
        ("责任保险的保额最低要买多少", "保险金额不低于500万元。", "应当投保污染损害责任保险。"),
    ],
)
def test_a_count_or_an_amount_the_rule_must_set_is_answered_only_by_one(
    question, states_it, does_not
):
    intents = detect(question)
    assert answer_fit(intents, states_it) == 1
    assert answer_fit(intents, does_not) == 0


def test_a_line_named_by_its_use_still_asks_for_the_number():
    intents = [i for i in detect("看到偷排应该拨打哪个举报电话") if i.name == "contact"]
    assert answer_fit(intents, "举报电话：12369。") == 1
    assert answer_fit(intents, "公布举报电话，接受社会监督。") == 0


def test_where_a_blank_form_can_be_downloaded_is_a_template_asked_for():
    assert "template" in [i.name for i in detect("记录簿在哪里可以下载空白的")]


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        # a place's rule asked however the question puts it
        ("浙江那边对饭店隔油池有啥规定", [("浙江",)]),
        ("河南省对拆除设施前报备方案是提前几天", [("河南",)]),
        ("苏州对雨污混接是怎么处罚的", [("苏州",)]),
        ("广东省对沿线企业搬迁有什么补贴政策", [("广东",)]),
    ],
)
def test_a_place_s_rule_asked_of_it_names_the_place(question, subjects):
    assert named_subjects(question) == subjects


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("天津市去年有多少个断面水质达标？", "tally"),
        ("全市湿地总面积有多少公顷", "tally"),
        ("承运人责任险最低要买多少保额", "fee"),
        ("交易手续费按成交额的千分之几收取", "rate"),
        ("管道检测评估多少年做一次", "quantity"),
        ("电网排放因子取多少", "value"),
        ("标志牌的尺寸、颜色和材质是什么标准", "colour"),
        ("持证要去公安局哪个窗口办", "contact"),
        ("总干渠出水执行地表水几类标准", "quantity"),
    ],
)
def test_more_values_a_rule_seldom_gives(question, intent):
    assert intent in [i.name for i in detect(question)]


def test_a_class_of_water_is_answered_by_a_class_named():
    intents = [i for i in detect("水质目标是几类水") if i.name == "quantity"]
    assert answer_fit(intents, "水质不低于地表水Ⅲ类标准。") == 1
    assert answer_fit(intents, "保证水质符合国家规定的标准。") == 0
    # how many kinds a list has is no class of water
    assert "quantity" not in [i.name for i in detect("危险废物分几类")]


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("XX鹿业公司的驯养许可证是不是已经过期了？", True),
        ("那家造纸厂被关停，是不是因为水源保护的要求？", True),
        ("造纸厂被关停了还要交排污费吗", False),
    ],
)
def test_a_placeholder_name_and_why_a_case_went_so_are_a_party_s_record(question, asks):
    assert asks_a_party_s_record(fold(question)) == asks


def test_whether_a_list_holds_a_thing_asks_the_list():
    assert asks_what_a_list_holds(fold("保护动物名录里有没有穿山甲"))
    assert not asks_what_a_list_holds(fold("名录管理办法是谁定的"))


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # which named rivers, streets, towns or harbours a zone takes in
        ("景观河道具体包括哪几条河", "places_named"),
        ("管网覆盖的区域包括哪些街道和乡镇", "places_named"),
        ("船舶集中停靠的地点是哪个码头", "places_named"),
        # months of the year, lengths in millimetres, a warning value, a price difference
        ("禁渔期是每年几月到几月", "month"),
        ("沉降控制目标是多少毫米", "quantity"),
        ("监测预警值具体定的是多少", "value"),
        ("再生水比自来水便宜多少", "fee"),
        ("评估单位需要什么等级的资质", "quantity"),
        # what was reported, received or averaged last year
        ("去年一共报告了几起事件", "tally"),
        ("景区去年一共接待了多少游客", "tally"),
        ("去年全市平均沉降量是多少", "tally"),
    ],
)
def test_named_places_months_and_last_year_s_figures_are_values_a_rule_seldom_gives(
    question, intent
):
    assert intent in [i.name for i in detect(question)]


def test_the_months_of_each_year_are_no_frequency():
    assert "frequency" not in [i.name for i in detect("禁渔期是每年几月到几月")]
    assert "frequency" in [i.name for i in detect("每年几次检查")]


def test_places_asked_by_name_are_answered_only_by_names():
    intents = [i for i in detect("具体包括哪几条河") if i.name == "places_named"]
    assert answer_fit(intents, "在永定河、潮白河和拒马河上建设水工程的") == 1
    assert answer_fit(intents, "城市主要景观河道由市人民政府确定并公布。") == 0
    assert answer_fit(intents, "统筹城镇、乡村和城市道路、公路的建设。") == 0


@pytest.mark.parametrize(
    ("question", "subjects"),
    [
        # a place spoken of as elsewhere, or set beside another: its own practice
        ("天津那边企业打机井是怎么审批的", [("天津",)]),
        ("杭州的河道管理范围是怎么划定的，跟宁波一样吗", [("杭州",)]),
        # … or its own way of doing a thing: 是怎么…的
        ("深圳市调整水价的听证会是怎么组织的", [("深圳",)]),
        # … or what its rules require, asked after the case is told
        ("江苏那边取水计量设施坏了，规定几天内报告？", [("江苏",)]),
        ("江苏那边危废经营证审批是省里批还是市里批，咋分工的？", [("江苏",)]),
        # … or what the place itself rules, said as its act
        ("广东省规定哪些建设项目的环评由市级生态环境局审批？", [("广东",)]),
        # … not where a thing comes from or goes to
        ("河北那边的危废能不能拉进来处置", []),
        ("我们在江苏那边有个厂，规定几天内报告？", []),
        ("设备搬到河北那边用，备案要怎么弄", []),
    ],
)
def test_a_place_spoken_of_as_elsewhere_names_the_place(question, subjects):
    assert named_subjects(question) == subjects


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("恒达化工有限公司厂区外的排污口封堵了没有", True),
        ("嘉兴南湖旅游公司的游船是不是已经全部换成电动的了", True),
        ("上海中心大厦的深基坑沉降评估结论是什么", True),
        ("排污口封堵了还要交费吗", False),
    ],
)
def test_whether_a_named_party_has_done_a_thing_yet_is_its_record(question, asks):
    assert asks_a_party_s_record(fold(question)) == asks


def test_a_level_reached_is_answered_by_a_threshold_in_any_unit():
    intents = [i for i in detect("特大型灾害死亡人数要达到多少") if i.name == "value"]
    assert answer_fit(intents, "（一）特大型：因灾死亡30人以上或者直接经济损失1000万元以上的") == 1
    assert answer_fit(intents, "地质灾害按照人员伤亡、经济损失的大小分为四个等级。") == 0


def test_how_a_charge_is_made_is_answered_by_its_method():
    intents = [i for i in detect("超计划用水怎么收费") if i.name == "fee"]
    assert answer_fit(intents, "超计划用水实行累进加价收费制度。") == 1
    assert answer_fit(intents, "用水单位应当加强用水管理。") == 0


def test_applying_again_after_a_licence_is_revoked_is_no_sign_up_asked():
    assert "signup" not in [i.name for i in detect("焊工证被吊销了，得隔多久才能重新报名考")]
    assert "signup" in [i.name for i in detect("这个培训班怎么报名")]


def test_a_limit_asked_is_not_answered_by_a_threshold_of_people_or_money():
    intents = [i for i in detect("焚烧炉烟气里二噁英的排放限值是多少") if i.name == "value"]
    assert answer_fit(intents, "处理量在10吨以上的，处5万元以上的罚款。") == 0


def test_a_multiple_set_in_a_clause_before_the_fine_answers_how_many_times():
    intents = [i for i in detect("损坏林木要补种几倍") if i.name == "quantity"]
    article = (
        "造成林木损坏的，由林业行政主管部门责令补种损毁株数一倍以上三倍以下的树木，"
        "并可以处损毁树木价值一倍以上二倍以下的罚款。"
    )
    assert answer_fit(intents, article) == 1
    assert answer_fit(intents, "并可以处损毁树木价值一倍以上二倍以下的罚款。") == 0


def test_who_pays_is_answered_by_the_government_setting_the_money_aside():
    payer = [i for i in detect("险坝加固的钱谁出") if i.name == "payer"]
    assert answer_fit(payer, "有关人民政府应当优先安排所需资金和物料。") == 1
    assert answer_fit(payer, "大坝主管部门应当制定加固计划，限期消除危险。") == 0


def test_how_many_digits_a_number_has_asks_no_standard_number():
    assert "contact" not in [i.name for i in detect("联单编号是几位数？")]
    assert "contact" in [i.name for i in detect("这个标准的编号是多少")]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # which named sites a zone or a list takes in, asked after the thing or by a measure word
        ("开发区的重点园区具体有哪几个", "places_named"),
        ("禁钓的水域具体是哪几片", "places_named"),
        ("监测站点具体设在哪几个地方", "places_named"),
        ("纳入名录的湿地有哪几处", "places_named"),
        ("保护红线具体涉及哪些村庄", "places_named"),
        ("哪些省份已经出台了补偿办法", "places_named"),
        ("本省有哪些水库被划为一级保护区", "places_named"),
        # the names on a list
        ("重点企业名单里都有哪些企业", "roster"),
        ("能列个名单吗", "roster"),
        ("这些地区有具体名单吗", "roster"),
        # where a boundary runs, a radius, who sits on a committee
        ("保护区的边界具体到哪个村", "boundary"),
        ("保护范围一般划多大半径", "quantity"),
        ("专家委员会都有哪些专家成员", "members"),
        # a rate now, a quantity handled last year
        ("全市现在的森林覆盖率是多少", "tally"),
        ("去年一共给下游调了多少水", "tally"),
        # how many there are nationwide now, this year's quota handed down
        ("全国现在一共有多少艘货船", "tally"),
        ("今年分配的捕捞配额是多少", "tally"),
        # the firms or bodies on a list, where each lies, what a list names
        ("搬迁过来的企业都有哪几家", "roster"),
        ("有资质做检测的机构有哪几家", "roster"),
        ("名单能给一下吗", "roster"),
        ("禁用的塑料制品名单具体包括哪些东西", "roster"),
        ("考试点分别在哪些城市", "places_named"),
        ("垃圾消纳场都在哪几个地方", "places_named"),
        ("上海的市管河道都有哪些？", "places_named"),
        ("保护的湖泊具体有哪几个？", "places_named"),
        ("有没有完整名单可以查？", "roster"),
        # a recommendation asked for at the end
        ("去海边玩，有啥好吃的海鲜店推荐？", "brand"),
    ],
)
def test_named_sites_rosters_and_current_figures_are_what_a_rule_seldom_gives(question, intent):
    assert intent in [i.name for i in detect(question)]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # who draws the list up, whether it is published: the rule says
        ("重点排放单位的名单是哪一级部门定的", "roster"),
        ("名单会不会对外公布", "roster"),
        ("被列进失信名单对申请有影响没有", "roster"),
        # the behaviours or the departments a rule lists
        ("禁止的行为具体有哪些", "places_named"),
        ("禁止在河道里干的事都有哪些", "places_named"),
        ("管理河道的部门都有哪些", "places_named"),
        ("湖泊都有哪些保护要求", "places_named"),
        ("检查具体有哪几个方面", "places_named"),
        ("领导小组有哪些成员单位", "members"),
        # which agencies to report to or hear (哪几家 without a firm): the rule names them
        ("发现取水口的水不达标了，得跟哪几家报一声", "roster"),
        ("审批之前要听哪几家单位的意见", "roster"),
    ],
)
def test_who_keeps_a_list_and_what_a_rule_lists_are_asked_of_the_rule(question, intent):
    assert intent not in [i.name for i in detect(question)]


def test_names_on_a_list_are_answered_only_by_names():
    roster = [i for i in detect("名单里都有哪些园区") if i.name == "roster"]
    assert answer_fit(roster, "提出重点园区名单，经市人民政府批准后公布。") == 0
    assert answer_fit(roster, "名单如下：") == 1
    provinces = [i for i in detect("涉及哪些省份") if i.name == "places_named"]
    assert answer_fit(provinces, "黄河流域的青海省、四川省、甘肃省的水量调度") == 1
    assert answer_fit(provinces, "国务院有关部门和各省、自治区、直辖市人民政府") == 0


@pytest.mark.parametrize(
    "passage",
    [
        "禁止在集中式饮用水水源地和分散式饮用水水源地周边设置排污口。",
        "化工园区和工业园区应当建设污水集中处理设施。",
        "国家重要湿地和省级重要湿地由省林业主管部门确定。",
        "大型灌区和中型灌区的管理单位应当编制用水计划。",
    ],
)
def test_two_classes_of_a_place_are_not_a_list_of_names(passage):
    # a roster question (能列个名单不) is not answered by a rule that names two classes of
    # water source or park: a name does not end in the word that sorts places into classes
    roster = [i for i in detect("保护区能列个名单不") if i.name == "roster"]
    assert answer_fit(roster, passage) == 0


def test_two_named_water_sources_are_a_list_of_names():
    roster = [i for i in detect("保护区能列个名单不") if i.name == "roster"]
    assert answer_fit(roster, "黄浦江上游水源地、青草沙水源地和陈行水源地") == 1
    assert answer_fit(roster, "密云水库和官厅水库的一级保护区") == 1


def test_another_city_s_fine_asked_with_zai_names_that_city():
    assert ("青岛",) in named_subjects("青岛市在饮用水水源保护区里钓鱼要罚多少钱")


def test_another_province_s_own_rule_asked_as_whether_it_has_one_names_that_province():
    assert ("广东",) in named_subjects("考证在哪里考，广东省有没有自己的规定")


@pytest.mark.parametrize(
    "question",
    [
        "小学生转学需要办哪些手续",
        "孩子上小学报名要准备啥",
        "周末有什么好玩的地方",
        "孩子发烧到39度要不要去医院",
        "高原反应吃啥药能缓解",
        "旧手机的聊天记录咋迁过去",
    ],
)
def test_school_fevers_outings_and_chats_are_another_field_of_life(question):
    assert any(of_another_field(subject) for subject in named_subjects(question))


@pytest.mark.parametrize(
    "question", ["手机掉进海水里了还能修好吗？", "手机换号了微信怎么解绑旧号码？"]
)
def test_one_s_own_phone_is_another_field_of_life(question):
    assert any(of_another_field(subject) for subject in named_subjects(question))


@pytest.mark.parametrize(
    "question",
    [
        # a phone repaired, recycled or taken apart is electronic waste; a phone a paper is sent
        # to is a channel of service
        "手机维修店修手机的时候把坏零件拆下来，这个算不算拆解？",
        "俺是收旧电脑旧手机的，平时要记啥账不？",
        "处罚的文书能不能直接发我们邮箱或者手机上？",
    ],
)
def test_a_phone_as_waste_or_channel_is_no_other_field(question):
    assert not any(of_another_field(subject) for subject in named_subjects(question))


def test_what_a_list_names_asked_with_ju_ti_asks_the_list():
    assert asks_what_a_list_holds(fold("限制目录里具体列了哪些行业"))


def test_a_list_s_entries_counted_by_their_measure_word_are_asked_too():
    for question in ("城市河道名录里具体都有哪几条河？", "重要湿地名录里具体有哪几块湿地？"):
        assert asks_what_a_list_holds(fold(question)), question
    # how the list is divided is no entry of it
    assert not asks_what_a_list_holds(fold("名录里有哪几类"))


def test_a_speed_asked_is_answered_only_by_a_speed():
    # 限速是多少节: a rule saying 限速航行 without a figure does not answer it
    speed = [i for i in detect("船舶在水源保护区航行的限速是多少节？") if i.name == "quantity"]
    assert speed
    assert answer_fit(speed, "航行速度不得超过每小时十五公里") == 1
    assert answer_fit(speed, "船舶航速不得超过8节") == 1
    assert answer_fit(speed, "船舶进入保护区应当减速慢行，限速航行") == 0


def test_an_indicator_s_value_asked_is_a_measured_value():
    # 硫分和灰分指标具体是多少: the figure, which a rule that orders indicators met does not give
    value = [i for i in detect("卖的煤炭，硫分和灰分指标具体是多少？") if i.name == "value"]
    assert value
    assert answer_fit(value, "销售的煤炭应当符合规定的硫分、灰分指标") == 0
    assert answer_fit(value, "硫分不高于0.5%，灰分不高于12%") == 1
    assert "value" not in [i.name for i in detect("考核指标有哪些")]


def test_a_day_of_the_month_asked_is_not_answered_by_every_year_alone():
    # the rule says a report is due every year, not by which day: 上年度 names a year, no day
    yearly = "重点用能单位应当每年向市相关行政管理部门报送上年度的能源利用状况报告。"
    dated = "取水单位应当于每年3月31日前报送上年度取水情况。"
    for question in ("能源利用状况报告每年几月几号之前必须报送？", "复垦情况每年最晚几号前要报？"):
        intents = [i for i in detect(question) if i.name in ("day", "date")]
        assert answer_fit(intents, yearly) == 0, question
        assert answer_fit(intents, dated) == 1, question
    # a building or a key has a number, no day
    assert "day" not in names("环保局在几号楼办公？")


def test_a_preposition_before_xu_ke_zheng_ends_a_phrase_and_names_no_licence():
    # 地市一级对许可证审核质量…: 级对 is no licence's name (取水许可证 still is)
    question = "地市一级对许可证审核质量开展后续监督时，应采用哪些核查方式？"
    assert named_subjects(question) == []
    assert named_subjects("在许可证上写明的排放口有几个") == []
    # nor does a pronoun: the asker's own licence
    assert named_subjects("俺们厂许可证执行得咋样是不是也在检查范围里头？") == []
    assert named_subjects("取水许可证怎么办") == [("取水", "许可证")]


def test_a_colloquial_verb_before_xu_ke_zheng_names_no_licence():
    # 帮弄许可证, 搞许可证: getting a permit done, not a licence called 帮弄
    assert named_subjects("去年找了家代办公司帮弄许可证，结果填得一塌糊涂") == []
    assert named_subjects("想搞许可证要找谁") == []
    # … nor does filling one in: 填报许可证申请
    assert named_subjects("我们平时也帮企业填报许可证申请，哪些情形要技术评估？") == []


def test_a_count_asked_with_a_share_is_answered_by_the_share():
    half = "现场审核比例不应少于全部审批数量的一半。"
    asked = "审批的时候要跑现场审多少家啊？有个比例不？"
    count = [i for i in detect(asked) if i.name == "quantity"]
    assert answer_fit(count, half) == 1
    assert answer_fit(count, "审批部门应前往现场开展审核。") == 0
    # without a share asked, a count wants the count
    plain = [i for i in detect("审批的时候要跑现场审多少家？") if i.name == "quantity"]
    assert answer_fit(plain, half) == 0


def test_what_an_amount_is_reckoned_by_is_asked_not_the_amount():
    # 补多少是按什么来定的 asks the grounds: the article naming them answers, with no sum
    question = "国家公园和其他自然保护地的生态补偿，补多少是按什么来定的？"
    intents = detect(question)
    assert "fee" not in {i.name for i in intents}
    grounds = "根据自然保护地类型、级别、规模和管护成效等合理确定转移支付规模。"
    assert answer_fit([i for i in intents if i.name == "basis"], grounds) == 1
    assert "fee" in names("国家公园的生态补偿一年补多少？")


def test_secondary_supply_and_single_use_are_no_number_of_times():
    # 二次供水, 一次性餐具, 第二次: words and ordinals, not how many times something is done
    supply = "二次供水设施管理单位应当开展二次供水设施的日常保养、清洗消毒、水质检测。"
    for question in ("二次供水水箱规定一年清洗几次？", "水箱最少多久要清洗消毒一次？"):
        asked = [i for i in detect(question) if i.name in ("frequency", "quantity")]
        assert answer_fit(asked, supply) == 0, question
        assert answer_fit(asked, "水箱每半年至少清洗消毒一次。") == 1, question
    asked = [i for i in detect("一年检查几次？") if i.name == "quantity"]
    assert answer_fit(asked, "餐饮单位不得主动提供一次性餐具；第二次违反的，从重处罚。") == 0
    assert answer_fit(asked, "每年检查两次。") == 1


def test_once_a_year_answers_how_many_times_a_year():
    asked = [i for i in detect("三方机构的环保人员培训一年搞几次？") if i.name == "quantity"]
    yearly = "每年举办排污许可证审批人员和第三方技术机构环保管理人员的培训班。"
    assert answer_fit(asked, yearly) == 1
    assert answer_fit(asked, "定期举办技术机构环保管理人员的培训班。") == 0
    # how many times in all is not answered by a yearly duty
    total = [i for i in detect("这个培训班总共办过几次？") if i.name == "quantity"]
    assert answer_fit(total, "每年举办技术机构环保管理人员的培训班。") == 0


def test_the_asker_s_job_as_ehs_staff_names_no_subject():
    question = "俺们EHS平时填报碰到问题，有没有现成的常见问题解答能翻翻？"
    assert named_subjects(fold(question)) == []
    other = "俺们平时填报碰到问题，ESG报告有没有现成的模板能翻翻？"
    assert ("ESG",) in named_subjects(fold(other))


def test_by_what_rate_one_pays_is_answered_by_the_rate_named():
    # 水费按啥标准交 → 按照…水价标准按时缴纳水费: the rate is named, no sum is asked
    paying = [i for i in detect("水费按啥标准交") if i.name == "fee"]
    assert answer_fit(paying, "用水单位和个人应当按照规定的计量标准和水价标准按时缴纳水费。") == 1
    priced = [i for i in detect("水费一吨多少钱") if i.name == "fee"]
    assert answer_fit(priced, "用水单位和个人应当按照规定的计量标准和水价标准按时缴纳水费。") == 0


def test_the_factors_a_standard_is_set_by_are_asked_not_a_sum():
    question = "补偿标准主要依据哪些因素确定？"
    assert "fee" not in names(question)
    assert "fee" in names("补偿标准是多少？")


@pytest.mark.parametrize("question", ["检查手册啥时出", "这个证几时能办下来", "整改啥时前弄完"])
def test_when_is_asked_without_its_last_character(question):
    assert {"when", "deadline"} & names(question)


def test_a_year_s_plan_or_a_draft_tells_no_time():
    # 纳入执法年度计划 says what is planned; 起草 and 一起 start nothing: neither says when
    when = [i for i in detect("执法库跟排污登记库啥时候要并到一块？") if i.name == "when"]
    assert answer_fit(when, "市级生态环境部门将排污许可执法检查纳入生态环境执法年度计划。") == 0
    assert answer_fit(when, "由生态环境部门会同有关部门一起起草管理办法。") == 0
    assert answer_fit(when, "本办法自2024年1月1日起施行。") == 1
    assert answer_fit(when, "自收到申请之日起开展审查，年度报告按时报送。") == 1


@pytest.mark.parametrize(
    "question",
    [
        "副本为啥要简化",
        "弄检查手册这些，到底图个啥？",
        "是为了让企业看得懂吗",
        "制定这个办法的目的是什么",
        "专家库到底是干啥用的",
        "专家团队主要承担什么职能",
    ],
)
def test_why_a_thing_is_done_is_answered_by_what_it_is_for(question):
    assert asks_purpose(question)
    assert answer_fit([PURPOSE], "简化排污许可证内容，提升排污许可证的可读性和实用性。") == 1
    assert answer_fit([PURPOSE], "简化排污许可证内容，并提供典型行业信息化填报模板。") == 0


def test_what_a_thing_is_or_when_it_is_done_asks_no_purpose():
    for question in ("副本优化什么时候完成", "检查手册包括哪些内容", "谁负责编制检查手册"):
        assert not asks_purpose(question)


def test_how_many_there_are_asked_at_the_end_is_still_a_count_asked():
    assert "quantity" in names("厂里有几个人要参加培训？")


@pytest.mark.parametrize("question", ["没按时提交总结报告，罚款上限是多少？", "罚款最高是多少"])
def test_the_upper_bound_of_a_fine_is_its_amount_not_a_limit_value(question):
    # 处三万元以下罚款 answers it; a limit value of a standard (10 mg/L) does not
    assert {"fine", "amount"} <= names(question)
    assert "value" not in names(question)


def test_the_upper_bound_of_an_emission_is_still_a_limit_value():
    assert "value" in names("二氧化硫排放上限是多少")


@pytest.mark.parametrize(
    "question", ["“排放召回”到底是干啥的", "老听人说排放召回，这到底是干啥的事儿"]
)
def test_what_a_named_thing_is_for_asks_its_definition(question):
    assert "definition" in names(question)


def test_the_date_of_a_text_s_own_making_is_given_by_its_promulgation_not_by_a_deadline():
    asked = detect("行动计划是哪一年印发的")
    assert answer_fit(asked, "2021年4月27日 国家市场监督管理总局公布") > 0
    assert answer_fit([i for i in asked if i.name == "date"], "推动2022年底前全面完成限期整改") == 0


def test_when_a_thing_is_planned_to_be_issued_is_still_a_date_a_deadline_gives():
    # 计划 the verb: the plan's measure gives the year by which the standard is issued
    asked = [i for i in detect("质量控制标准计划于哪一年出台？") if i.name == "date"]
    assert answer_fit(asked, "出台排污许可证质量控制标准。2023年底前") > 0


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("去年证过期了，后来听说平台能提醒，我想问问这是谁弄的？", "这是谁弄的？"),
        ("我们厂在河边，请问要办什么证？", "要办什么证？"),
        # a story of its own sentence is left out as before; 请问 opening the question is kept
        ("我们厂在河边。请问要办什么证？", "请问要办什么证？"),
        ("请问排污许可证有效期几年？", "请问排污许可证有效期几年？"),
        # nothing after the words: the whole question
        ("老板问我，请问", "老板问我，请问"),
    ],
)
def test_the_asked_part_of_a_question(question, asked):
    assert asked_part(question) == asked
