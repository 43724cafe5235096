"""What kind of answer a question asks for: a duration, a number of days, a fine, who, when.

"排污许可证的有效期是几年？" asks for a duration: of the article's sentences, the one that names a
number of years answers it, not its neighbour about renewal. Each intent has the words that signal
it in a question (as people type them: 多久, 几天, 罚多少钱, 哪个部门, 啥时候必须搞完) and the shape
of an answer to it in a passage (五年, 三十日, 二十万元以上, 生态环境主管部门, 2024年12月底前).

The signal words say what kind of answer is wanted, not what the question is about, so they are
left out when measuring how much of the question a passage covers (``INTENT_WORDS``): a passage
about training deadlines does not contain 搞完 or 截止, and should not lose for it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_N = "0-9零〇一二三四五六七八九十百千万两半"
# …次 as a count of times: not an ordinal (第二次违法) nor a word for "secondary" or "single-use"
# (二次供水, 二次污染, 一次性餐具, 一次能源) that rules on water supply or waste write everywhere
_NOT_AN_ORDINAL = "(?<!第)"
_NOT_A_COMPOUND = "(?!供水|污染|性|能源|开发|利用|加工|分配)"
# a share in words (几成人签字: 四分之三以上成员, 过半数)
_SHARE_IN_WORDS = f"百分之[{_N}]+|[{_N}]+分之[{_N}]+|半数|一半"


def _or_also(answers: re.Pattern[str], more: str) -> re.Pattern[str]:
    """An answer pattern widened: what ``answers`` accepts, or ``more``."""
    return re.compile(f"{answers.pattern}|{more}")


# 交多少配额, 交多少份材料: what is handed over is counted, and it is no money
_NOT_MONEY = "配额|份|件|个|次|吨|材料|资料|东西|人|名|家|项|条|页|本|天"


@dataclass(frozen=True)
class Intent:
    """One kind of answer: how a question asks for it and what an answer to it looks like."""

    name: str
    asks: re.Pattern[str]
    answers: re.Pattern[str]


# the items of a list, enumerated (应当记载下列信息：（一）…)
_ITEMS_IN_ANSWER = re.compile(
    r"(下列|以下|如下)(信息|事项|内容|材料|资料|文件)"
    # 编制质量检查的内容包括…是否符合…: what it covers, said in one sentence
    r"|(检查|审查|审核|核查|考核|评查)的?(内容|事项|范围|重点)(主要)?(包括|包含|为)"
    r"|(包括|载明|记载|提交|填报|报送|公开)[^。；]{0,10}(下列|以下|如下)"
)
# a class named: 第Ⅲ类 as a text writes it, iii类 as a question is folded, 二类
_CLASS_NAMED = r"[ⅠⅡⅢⅣⅤⅥⅦⅧⅨ]+类|(?<![a-zA-Z])[ivxIVX]{1,4}类|[一二三四五六七八九]类"

INTENTS: tuple[Intent, ...] = (
    Intent(
        "duration",
        re.compile(r"几年|多少年|多长时间|多久|多长|期限|有效期|时效|几个月|多少个月"),
        # how long is answered in any unit of time: 有效期为5年, 90个工作日前报告, 提前24小时通知
        re.compile(f"[{_N}]+(个)?(年|月|周|小时|分钟|工作日|日|天)|有效期|期限|届满"),
    ),
    Intent(
        "days",
        # 高考那几天, 这几天, 前几天: some days already named, not a number of days asked for
        # (提前几天 asks one); 要等好几天吗: several days, told
        re.compile(
            r"(?<![那这头好])(?<![^提]前)(?<!^前)几(天|日)|多少天|多少日|(?<!好)几个工作日|多少个工作日"
            r"|工作日|天内|日内"
        ),
        re.compile(f"[{_N}]+(个)?(工作)?(日|天)|[{_N}]+(个)?小时"),
    ),
    Intent(
        "fine",
        re.compile(
            # 谁的责任 / 责任算谁的 / 责任归谁 ask who bears a duty, not what follows a breach
            r"罚|多少钱|赔多少|交多少(?!" + _NOT_MONEY + ")"
            r"|处罚|后果|会怎样|会怎么样|会咋样|什么责任"
            # 违规了咋处理 asks what follows; 厂关了，证咋处理 asks what becomes of the permit
            r"|(?<!证)(怎么|咋|如何)处理"
            r"|(?<!谁的)责任(?![算归在])"
            r"|拘留|(?<!调)查处|没收|吊销|吊证|赔偿|诉讼|起诉|官司|会被[^，。？?！!]{0,3}[吗么]"
        ),
        re.compile(r"罚款|罚金|万元|[0-9]+元|元以上|元以下|倍以上|倍以下|没收|拘留|责令|吊销|追究"),
    ),
    Intent(
        "who",
        re.compile(
            r"谁|哪个部门|哪些部门|什么部门|哪个单位|哪级|哪一级|哪个机关|什么机关"
            # 主管部门是哪个, 哪边负责: 主管, 负责 and 审批 with a question word beside them
            # (负责发证审批的同志 names who, it asks no one)
            r"|(主管|负责|审批)[^，。？?！!]{0,4}哪|哪[^，。？?！!]{0,4}(主管|负责|审批)"
            # 是省、市两级一起负责吗: whether they are the ones
            r"|(主管|负责|审批)(吗|么|不|没)"
            # 归哪几级部门管, 哪几个部门牵头; 是省里还是市里干: which level
            r"|哪几级|哪几个?(部门|单位|机构)"
            r"|(省|市|县|区|部)(里|级|厅|局)?还是(省|市|县|区|部)(里|级|厅|局)"
            # 技术评审由哪些机构承担, 哪家单位来做
            r"|(哪些|哪个|哪家|什么)(机构|单位)"
        ),
        re.compile(r"部门|机关|人民政府|国务院|委员会|机构|单位|主管"),
    ),
    Intent(
        "deadline",
        re.compile(
            # 刚做完验收, 已经办完: what has been done, not by when to do it
            r"截止|截至|(?<![刚已才])(?<!已经)(完成|搞完|弄完|做完|办完|结束)|最晚|最迟"
            # 什么时候到期, 到期前: a time; 证快到期了，多久提醒一次: the background of another ask
            r"|(?<![快已将])到期(?![了后])"
            # 年底之前, 3月以前: before a time; 之前环保局下的决定 opening a clause: earlier
            r"|(?<=[\u4e00-\u9fff0-9])(之前|以前)|前完成|期限"
            r"|什么时候.{0,4}(完|前)|啥时候?.{0,4}(完|前)"
        ),
        re.compile(f"[{_N}]+年[{_N}]*月?(底|末)?前|年底前|年底|月底前|[{_N}]+年[{_N}]*月"),
    ),
    Intent(
        "start",
        re.compile(r"开始|启动|起施行|施行|生效|实施日期|什么时候起|从什么时候|哪天起"),
        re.compile(r"起施行|施行|起|开始|启动|生效"),
    ),
    Intent(
        "definition",
        re.compile(
            r"含义|定义|什么叫|啥叫|何为|何谓|是指什么|指的是(什么|啥)|指(什么|啥)|什么意思|啥意思|概念"
            r"|包括哪些|指哪些|(什么|啥)(玩意儿?|东西|情况|情形)?才?算(?!不算)"
            # 后评价到底是个啥 (not 是个啥时候, 是个啥部门)
            r"|是个(啥|什么)(?![时部单地])(东西|玩意儿?)?"
            # “排放召回”到底是干啥的, 这是干什么的事儿: what the thing named is
            r"|是干(啥|什么|嘛)的|干(啥|什么)的事"
            r"|(什么|啥)样的?[^，。？?]{0,8}才算(?!不算)"
            # 哪些设备算含多氯联苯电力装置: which things a term covers
            r"|哪(些|种|类)[^，。？?]{0,6}算(?!不算)"
        ),
        re.compile(r"是指|所称|用语的含义|包括|[，,（(](以下)?(统称|简称|称为|称)"),
    ),
    Intent(
        "items",
        # 登记表要填哪些内容, 申请要准备什么材料: the items of a list; an answer enumerates the
        # information or materials (应当记载下列信息：（一）…), not behaviours (有下列行为之一的)
        re.compile(
            r"(哪些|哪几项|什么|啥)(内容|信息|事项|材料|资料)"
            r"|(填|写|报|交|提交|准备|带|载明|记载)些?(哪些|什么|啥)(?!时候|部门|单位|地方)"
            r"|(写|包括|包含|分)(哪几块|哪几大块|几大块|哪几部分|哪几个方面|哪些方面)"
            # 质量检查主要审查报告书的哪些方面: what an inspection covers
            r"|(查|审|检查|审查|审核|核查|考核|评查)[^，。？?]{0,10}(哪些|哪几个)(方面|内容|事项)"
        ),
        _ITEMS_IN_ANSWER,
    ),
    Intent(
        "basis",
        # 按什么分的, 分几类: how things are sorted; an answer names the grounds or the classes
        re.compile(
            r"(按|根据|依据|按照|凭|以)(什么|啥|哪些)(分|划|定|区分|标准|来分|来定)"
            r"|(怎么|如何|咋)(分|划分|区分|分类)|分(几|哪几)(类|种|级)|分为哪|分成哪"
            # 港口那片海算几类, 划成第几类功能区: the class a thing falls in
            r"|(算|属于?|划(成|为|入|进|到)|定为|归(为|入|进|到|于)?)第?(几|哪一?)类"
        ),
        re.compile(
            r"根据[^。；]{0,40}因素|分为|划分为|分成|分类管理|分级管理|"
            + _CLASS_NAMED
            # 补多少是按什么来定的 → 根据…类型、级别、规模和管护成效等合理确定: the grounds named
            + r"|(根据|按照|依据)[^。；]{2,40}(确定|核定|划定)"
        ),
    ),
    Intent(
        "unit",
        # CCER按啥单位算, 计量单位是什么: the unit a quantity is counted in
        re.compile(r"(按|以|用)(啥|什么|哪种)(计量)?单位|计量单位"),
        re.compile(r"单位(以|为|是)|计量单位|以[^。；，]{0,24}计(?![划算量费])"),
    ),
    Intent(
        "payer",
        # 钱谁出, 费用由谁承担: who bears a cost; the answer says where the money comes from
        # (费用…由土壤污染责任人承担, 所需的费用…纳入财政预算)
        re.compile(
            r"(钱|费用|经费|成本|开销|费)[^，。？?]{0,4}(谁|哪里|哪儿)(来)?(出|掏|承担|负担|付|买单)"
            r"|谁(来)?(出钱|掏钱|买单|付钱|付费)|(费用|经费|钱|费)由谁"
        ),
        re.compile(
            r"(费用|经费|资金)[^。；]{0,30}(承担|负担|纳入|列入|预算|由|列支|开支)"
            # … or names the payer first: 出口者应当…承担该废物的运输与处置等相关费用
            r"|(承担|负担|支付)[^。；]{0,20}(费用|经费)"
            # … or who sets the money aside: 有关人民政府应当优先安排所需资金
            r"|安排[^。；]{0,8}(资金|经费)"
        ),
    ),
    Intent(
        "report",
        # 俺能找谁反映, 能去告它不: where to report a polluter; the answer grants the right to
        # report (有权向…举报) — 如实反映情况 in an inspection article is not it
        re.compile(
            r"(找谁|向谁|跟谁|去哪|到哪|哪里|哪儿)(能|可以)?(反映|投诉|举报|检举|告)"
            r"|(能|可以|有权)去?(告|举报|投诉|检举)[它他她][吗不么]?"
            # 老百姓能去举报吗, 管理局不作为能告吗
            r"|(能|可以)去?(告|举报|投诉|检举|控告)(他们|她们|它们)?[吗么]"
            # 有没有权利去告他们, 有权举报吗
            r"|(有没有|有无)权(利|力)?去?(告|举报|投诉|检举|控告)|有权(利)?(告|举报|投诉|检举|控告)吗"
            # 有没有资格去举报他们, 有权上去拦着或者去举报吗, 能不能去投诉, 该找谁说去
            r"|(有没有|有无)资格去?(告|举报|投诉|检举|控告)"
            r"|有权[^，,。？?]{0,10}(或者?|或是|还是)去?(告|举报|投诉|检举|控告)"
            r"|(能不能|可不可以|能否|可否)去?(举报|投诉|检举|控告)|(找谁|向谁|跟谁)(说|讲)去?[？?吗呢]"
        ),
        re.compile(r"举报|检举|控告|投诉"),
    ),
    Intent(
        "conditions",
        # 什么情况下准许开采, 啥样的地方会被划成限采区: the circumstances in which a rule applies
        # (什么地方可以查到 asks where, not when);
        # an article lists them (有下列情形之一的，应当划为…; 除下列情形外，禁止…)
        re.compile(
            r"(什么|啥|哪些|哪种|什么样|啥样|怎样)的?((情况|情形|条件)(下|时|才|会|要|得|可以|能"
            r"|算|属于|被|应当|须|必须)|(地方|区域|地区|地块)(会|要|得|才|算|属于|被|应当|须|必须))"
        ),
        re.compile(r"(下列|以下|如下)(情形|情况|条件|区域|地区)|(情形|条件)之一"),
    ),
    Intent(
        "principle",
        # 遵循哪些基本原则: a law states its principles in one early article (坚持…的原则);
        # 原则上 (as a rule) asks for none
        re.compile(
            r"(哪些|什么|啥|哪几[个条项]?|几[个条项]|基本|主要)(原则|方针)|(原则|方针)(是|有)(什么|啥|哪)"
        ),
        re.compile(r"原则|方针"),
    ),
    Intent(
        "statute",
        # 依据的是哪部行政法规, 本办法根据哪一部法律制定: the law a text rests on is named
        # in 《》 (根据《中华人民共和国环境影响评价法》，制定本办法); 按什么规定处罚 asks the
        # rule, not a title
        re.compile(
            r"(哪部|哪一部|哪份|哪一份)[^，。？?]{0,4}(法|条例|规章|文件)"
            r"|(依据|根据|依照|按照)(的是)?(什么|啥|哪个)(上位)?(法律|法规|行政法规|条例|文件)"
        ),
        re.compile(r"《[^》]{2,60}》"),
    ),
    Intent(
        "frequency",
        # 每年/定期 in "每年都要培训吗" is what the question is about, not a frequency asked for
        re.compile(
            # 多久要给证过期的企业打一次招呼: the same clause, however long
            r"多久[^，,。；;？?]{0,20}一[次回]|(?<![好过])几[次回]|多长时间.{0,2}一次|一年几(?!月)|每(年|季度|月)几(?!月)"
            # 频次是多少, 采样频次如何确定; not 频次和布点不合规范 (the frequency told, not asked)
            r"|(频次|频率)(是|为|要求|一般|大概|有)?(多少|几|怎么|怎样|如何|咋|啥|什么|哪些)"
            r"|(什么|啥|哪种|多大|多高)的?(频次|频率)"
            r"|[一半每][^，。？?]{0,3}一次还是|还是[^，。？?]{0,8}[一半每][^，。？?]{0,4}一[次回]"
        ),
        # 按月计算，按季申报: a period to report by is a frequency
        re.compile(
            f"每(年|季度|月|半年|日|周)|定期|{_NOT_AN_ORDINAL}[一二三四五六七八九十0-9]+次"
            f"{_NOT_A_COMPOUND}|按(年|季|月|次)"
        ),
    ),
    Intent(
        "date",
        # 什么时候修订的: the date of an event, not the time by which to act
        re.compile(
            r"哪一年|哪年|几几年|几月份|哪个月|具体日期|(是|在)哪一天"
            r"|(什么时候|何时)[^，。？?]{0,3}(修订|修改|修正|发布|颁布|印发|出台|举办|召开|举行|开考)"
        ),
        # a calendar year has four digits (2016年, 二〇一五年): 两年内 is a duration, not a date
        # or a year relative to an event: 验收完成当年的年度执行报告, 次年, 上一年度
        re.compile(
            f"(?:[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})年|[{_N}]+月[{_N}]+日"
            "|当年|次年|同年|上一?年度|下一?年度|本年度|前一年|后一年"
        ),
    ),
    Intent(
        "day",
        # 每年几月几号之前要交: a day of the month (每年3月31日前, 每月15日前), which 上年度 or 每年
        # does not give; 几号楼, 几号键 are no days
        re.compile(r"几月几[日号]|几号(之前|以前|前|截止|起)|(最晚|最迟|截止)[^，。？?]{0,4}几号"),
        re.compile(
            f"[{_N}]+月[{_N}]+[日号]|(?<![{_N}])[{_N}]{{1,3}}[日号](之前|以前|前|起)|月底|月末|月初"
        ),
    ),
    Intent(
        "month",
        # 名录几月定下来: a month of the year (每年3月底前确定), not a year relative to another
        # (下一年度) nor a number of months (三个月内)
        re.compile(r"几月|哪个月|哪几个月"),
        re.compile(f"(?<![{_N}])[{_N}]{{1,2}}月"),
    ),
    Intent(
        "when",
        # 多长时间 asks a duration; 啥时出, 几时办 ask when as 啥时候 does
        re.compile(r"什么时候|啥时候?|何时|几时|哪天|哪一年|几月|日期|(?<!多长)(?<!多少)时间"),
        # from a day (之日起, 3月1日起施行), not 起草 or 一起; each year (年度报告), not a
        # year's plan or budget (纳入执法年度计划 says what is planned, not when)
        re.compile(
            f"[{_N}]+年|[{_N}]+月|年底|年内|之前|以前|[日月年]起|起(施行|实施|执行|算|计)"
            "|当年|次年|同年|年度(?!计划|预算|目标|任务|工作要点)"
        ),
    ),
)

# Words that only say what kind of answer is wanted (搞完, 截止, 罚多少): not topic words.
INTENT_WORDS = frozenset(
    {
        "截止",
        "截至",
        "搞完",
        "弄完",
        "做完",
        "办完",
        "结束",
        "最晚",
        "最迟",
        # a bound of what is asked (最长能封多久, 最多罚多少): the passage says 不得超过
        "最长",
        "最短",
        "最多",
        "最少",
        "至少",
        "必须",
        "得",
        "期限",
        "多长时间",
        "多长",
        "时间",
        "几年",
        "几天",
        "几次",
        "频次",
        "频率",
        "一次",
        "多少钱",
        "罚多少",
        "怎么处理",
        "会怎样",
        "怎样",
        "后果",
        "哪个部门",
        "部门",
        "负责",
        "开始",
        "之前",
        "以前",
        "日期",
        "哪天",
        "规定",
        "要求",
        "含义",
        "定义",
        "意思",
        "概念",
    }
)


# "多少米", "几倍", "多少万吨", "几兆", "多少平方公里", "达到几级": the unit asked for; an answer
# names a number in that unit (三级, 一级保护区; not 县级)
# ("几千吨" states a rough amount: only 多少 takes a 十/百/千/万 before the unit; "几块内容" counts
# parts, "几块钱" asks a price; "写哪几块" asks which parts).
_QUANTITY = re.compile(
    r"(?:多少(?:个)?(?:十|百|千|万|亿)?|(?<![哪好那这])几(?:个)?)(平方公里|平方千米|级|米|公里|千米|毫米|厘米|吨|蒸吨|公斤|千克|毫克|微克|立方米|立方|毫升|升(?!级|高|降)|分贝|克|倍|元|块钱|块(?![\u4e00-\u9fff])|钱|毛钱|厘钱|分钱|角钱|小时"
    r"|分钟|学时|课时|兆|人|家|科|分|度|贝可|贝克|毫希|微希|mg|μg|ug|g/l|ppm|db|mb|bq)"
)
# counted things (存栏多少头, 多少亩, 多少辆): only with 多少, as "有几台锅炉" tells a rough count
_COUNT = re.compile(
    r"多少(?:个)?(?:十|百|千|万)?(头|只|羽|亩|公顷|平方米|辆|台|口|座|套|份|张|本|页|篇|种(?!类)"
    r"|方(?![面式法案向针便]))"
)
# a count the rule must set (至少要建几座公厕, 最多能配几台, 养几头猪以上才算): asked with 几 as
# well, since no rough count is told
_COUNT_REQUIRED = re.compile(
    r"(?:(?:至少|最少|最多|起码|不少于|不超过)[^，。？?]{0,3}几|几(?=(?:座|台|辆|头|只|羽|亩)[^，。？?]{0,3}以上))"
    r"(座|台|辆|头|只|羽|套|口|处|亩)"
)
# "一年至少搞几次": a number of times, which 定期 does not give (好几次, 交涉过几次 tell one)
_TIMES = re.compile(r"(?<![好过])(几|多少)次")
_N_TIMES = f"{_NOT_AN_ORDINAL}[{_N}]+次{_NOT_A_COMPOUND}"
_TIMES_IN_ANSWER = re.compile(_N_TIMES)
_TIMES_A_YEAR = re.compile(r"[一每]年[^，。？?]{0,8}(几|多少)次")
_YEARLY_IN_ANSWER = re.compile(f"{_N_TIMES}|每年|年度")
# "成立满几年才能起诉", "至少干了几年": a number of years required; a rule sets it in figures
# (连续五年以上) or not at all
_YEARS_REQUIRED = re.compile(
    r"满(几|多少)年|(几|多少)年以上|(至少|起码|最少)(要|得)?(满|干|有)?(几|多少)年"
    # 过几年才能重新申请, 几年内不得再申请: a bar of years; 保管期限是多少年: a term in years
    r"|过(几|多少)年|(几|多少)年(内|之内)(不得|不能|不准|不许|不可)|(是|为)(多少|几)年"
    r"|(保存|保管|保留)(多少|几)年"
)
_YEARS_IN_ANSWER = re.compile(f"[{_N}]+(个)?(周)?年|永久|长期")
# "活性炭最长多久必须更换一次", "校准周期是多久": a period; 每季度, 每半年, 三个月 give one, 定期
# (which laws often write) does not
_PERIOD = re.compile(
    r"多久.{0,6}一次|多长时间.{0,4}一次|周期(是|为|要)?(多久|多长)"
    # 具体多少年做一次
    r"|(几|多少)个?(年|月|天|周)[^，。？?]{0,4}一次"
)
_PERIOD_IN_ANSWER = re.compile(
    f"每[{_N}]*(个)?(年|半年|季度|季|月|周|日|天|小时)|[{_N}]+(个)?(年|月|日|天|小时|周)|{_N_TIMES}"
    # 进行年度评估, 按季度报告: once a year, once a quarter
    "|年度(评估|检查|考核|审核|核查|监测|报告|自查|评价)|(按|每)?(季度|月度)(报告|报送|评估|检查)"
)
_UNIT_IN_ANSWER = {
    "块": "元",
    "块钱": "元",
    "钱": "元",
    "立方": "立方米",
    "蒸吨": "蒸吨",
    "ug": "μg",
    "g/l": "g",
    "课时": "学时",
    "公斤": "千克",
    "方": "立方米",  # 一年取水多少方
    # 每吨收几毛钱, 每千瓦时交几厘钱: a price, which a rule writes in 元
    "毛钱": "元",
    "厘钱": "元",
    "分钱": "元",
    "角钱": "元",
}
# "限值是多少", "比例是多少", "达到多少": a measured value; an answer names one (mg, %, 分贝 …)
_VALUE = re.compile(
    r"限值.{0,5}(多少|几|还是)|[0-9]+\s*还是\s*[0-9]+|浓度是多少|浓度多少|比例是多少|达到多少|超过多少|不到多少|百分之几|多少度|标准值"
    r"|上限是多少|上限一般是多少|最多能排多少|最高允许|排放标准是多少"
    r"|(取值|数值|系数|因子)(具体)?(是|为|取)?多少"
    # a threshold of a standard: 渗透系数要做到多少, 分界值是多少, 一级基准值是多少
    r"|(系数|基准值|分界值|阈值|筛选值|管制值|限量|指标值|指标|预警值|目标值)[^，。？?]{0,6}"
    r"(要|得|应当?)?(做到|达到|控制在|取|定)?的?(是)?(多少|几)"
    # 漏失率控制在百分之多少, 豁免浓度具体是多少, 含硫量上限是百分之零点几: a share or a level
    r"|百分之多少|百分之零?点几|(浓度|比例|比率|占比|含量)(具体|一般|大概|最低|最高|至少|最多)?(是|为|要|应|控制在|达到)?(多少|几)"
    # 基本农田占耕地几成: a share, which a rule gives as 百分之八十 or not at all
    r"|(?<![好])几成"
)
_VALUE_IN_ANSWER = re.compile(
    f"[{_N}]+(\\.[0-9]+)?\\s*(%|毫克|微克|mg|μg|分贝|db|度|ppm)|{_SHARE_IN_WORDS}"
    # a figure a value is held to, in any unit (渗透系数≤10-7厘米/秒, 系数为0.8); not an amount,
    # a time, a count or a temperature (不超过5万元, 低于3个月, 低于850℃: ``_DEGREES_IN_ANSWER``)
    "|(为|≤|≥|＜|＞|<|>|不超过|不高于|不低于|不大于|不小于|小于|大于|低于|高于)\\s*[0-9]+(\\.[0-9]+)?"
    "(?![0-9.]|\\s*(万|元|年|个|月|日|天|次|倍|人|家|小时|工作日|周|℃|度))"
)
# "死亡人数和直接经济损失分别达到多少": what a level reaches, which a threshold in any unit gives
# (因灾死亡30人以上, 直接经济损失1000万元以上); a limit (限值是多少) is still a measured value
_LEVEL_REACHED = re.compile(r"达到多少")
_LEVEL_IN_ANSWER = _or_also(
    _VALUE_IN_ANSWER, f"[{_N}]+(\\.[0-9]+)?\\s*(万|亿)?(人|元|吨|立方米|公顷|亩)以上"
)
# 罚款上限是多少: the upper bound of a fine, not a limit value of a standard (``_VALUE``)
_FINE_LIMIT = re.compile(
    r"罚款?的?(金额|数额)?(上限|最高额?|最多)(一般|大概)?(是|为|能|会)?(多少|几)"
)
# "罚多少", "罚款数额", "罚款是按什么算": the amount of a fine; an answer names one (二十万元, 一倍)
_FINE_AMOUNT = re.compile(
    r"罚(款)?(的)?(金额|数额)?(是|要|会|能)?(多少|几)|罚款(金额|数额)"
    # 罚款大概是个什么数
    r"|罚款?[^，,。？?]{0,6}(什么|啥)数"
    # 罚款上限是多少, 罚款最高多少: the most a fine can be is its amount (三万元以下罚款)
    r"|" + _FINE_LIMIT.pattern
)
_AMOUNT_IN_ANSWER = re.compile(f"[{_N}]+(\\.[0-9]+)?\\s*(万)?元|[{_N}]+倍|百分之[{_N}]+")
# "价格便宜很多", "有哪些限值要求": the topic; "费用多少", "收费标准", "限值是多少": the value asked
_FEE = re.compile(
    r"多少钱|[交收补贴]多少(?!" + _NOT_MONEY + ")"
    r"|(费用|价格|收费|补贴|价|(?<![浪消])费|预算|金额)(标准)?(是|为|大概|一般|大约)?(多少|几)"
    r"|收费标准|怎么收费|(补贴|奖励|奖金|补助)标准|价格标准"
    # compensation, and a charge by the day: 搬迁补偿标准, 滞纳金一天按多少收
    r"|(补偿|赔偿)(标准|金额)|一天(按|收)?多少"
    # money one receives: 能领多少, 最多能贷多少, 奖补标准是多少, 奖金有多少
    r"|能(拿|领|贷|报销|补|得|退)多少|(奖补|奖励|补助|奖金|资金)(标准|金额)?(是|有|大概|一般)?(多少|几)"
    r"|多少(补贴|补助|奖励|奖金|奖补)"
    # the scale a fee or a resettlement is paid by (专家劳务费按什么标准发, 安置标准是啥)
    r"|费[^，。？?]{0,3}按(什么|啥|哪个|哪些)标准|(补偿|安置|赔偿)(款|金|费)?[^，。？?]{0,3}标准是(啥|什么)"
    # 保险最低要保多少金额: a sum asked by 多少 before it; 保额最低要买多少: an insured sum
    r"|多少的?(金额|钱数)|(保额|保险金额)[^，。？?]{0,6}(多少|几)|(多少|几)的?(保额|保险金额)"
    # 每亩给多少耕地地力保护补贴: the amount of a named subsidy, the question's last words
    r"|多少[^，。？?]{1,10}(补贴|补助|奖金|补偿金|补偿款)(?=[？?！!。]|$|呢|啊|呀)"
    # 一亩大概什么价, 啥价钱: a price (not 什么价值, a worth)
    r"|(什么|啥|多少)价(钱|格|位)?(?!值)"
    # a tax or a unit price: 环保税每污染当量税额是多少, 污水处理费单价几块钱
    r"|(税额|单价|收费金额)(标准)?(是|为|大概|一般)?(多少|几)"
    # whether there is a fee at all: 要交培训费吗, 收费吗 (答: 不得收取 / 免费 / an amount)
    r"|(要|需要|用|得)(不要)?(交|缴|付)[^，。？?]{0,5}费|收费吗|收不收费|免费吗|要钱吗|交钱吗"
    r"|(要|需要|得|用)(不要)?花钱"
    # how a fee is charged (场地费怎么收), what compensation pays (政府每亩赔多少; not 赔多少谈不拢)
    r"|费(用)?(怎么|咋|如何|按什么|按啥)收|(赔|赔偿|补偿)多少(钱)?(?=[？?！!。]|$|呢|啊|呀)"
    # how much a price is below another (优惠价格比自来水便宜多少)
    r"|(便宜|优惠|贵|省|少交|多交)了?多少"
)
# A fine is an amount of its own (``_FINE_AMOUNT``); "费用谁出", "费用由谁承担" ask who pays and
# "收费标准由何部门制定" who sets it, not how much
_FEE_NOT_ASKED = re.compile(
    "罚|谁|承担|哪里出|哪儿出|由(何|哪个|哪一|什么|哪些|哪级)(部门|机关|单位)?(制定|确定|规定|核定)"
)


# A price or fee is an amount outside a fine: "处二万元以上二十万元以下的罚款" prices nothing.
# Anywhere in a clause (up to 。 or ；) that mentions no 罚: "处所需处置费用一倍以上三倍以下的罚款，
# 所需处置费用不足十万元的，按十万元计算" gives a fine's floor, not what disposal costs. Nor does a
# registered capital ("有不少于三千万元的注册资金") price anything.
def _outside_a_fine(stops: str) -> str:
    """A pattern's lead-in: from the start of a stretch (up to one of ``stops`` or a line
    break) that mentions no 罚 and no registered capital."""
    return f"(?:^|(?<=[{stops}\\n]))(?![^{stops}\\n]*(?:罚|注册资金|注册资本))[^{stops}\\n]*?"


_OUTSIDE_A_FINE = _outside_a_fine("。；")
# A multiple is a fine's within the clause that fines (处…一倍以上三倍以下的罚款): in "责令补种损毁
# 株数一倍以上三倍以下的树木，并可以处…罚款" the first clause sets how many trees to plant.
_OUTSIDE_A_FINE_CLAUSE = _outside_a_fine("。；，")
# the amount or multiple asked without 罚 that a fine's does not answer, by the unit asked
_OUTSIDE_A_FINE_BY_UNIT = {"元": _OUTSIDE_A_FINE, "倍": _OUTSIDE_A_FINE_CLAUSE}
_FEE_IN_ANSWER = re.compile(f"{_OUTSIDE_A_FINE}[{_N}]+(\\.[0-9]+)?\\s*(万)?元|不得收取|免费|不收取")
# whether one pays at all (听证要交钱吗) is answered by who bears the cost too (当事人不承担组织听证
# 的费用) and by whom a charge is forbidden, how much (律师费收多少) is not
# … and which fees one pays (除了资源税还得交啥费) by the fees a duty names
_FEE_WHETHER = re.compile(r"吗|么|不(交|缴|付|收)|没有|(交|缴|付)(啥|什么|哪些|哪几种|哪种)费")
_FEE_WHETHER_IN_ANSWER = _or_also(
    _FEE_IN_ANSWER,
    "不(承担|负担|缴纳|交纳)[^。；]{0,12}费用?"
    # … and by whom a charge is forbidden (不得向建设单位…收取或者转嫁任何费用), or from whom it is
    # collected (可以向受益的…单位和农户收取河道工程修建维护管理费: 受益户要交河道费吗)
    "|不得向[^。；]{0,30}收取|向[^。；]{0,30}(收取|征收)[^。；]{0,20}费"
    # … or who must pay it (用海要交钱吗 → 单位和个人使用海域，应当按照国务院的规定缴纳海域使用金)
    "|(应当|应|须|必须)[^。；]{0,30}(缴纳|交纳|支付)[^。；]{0,12}(费|金)|有偿使用",
)

# how a charge is made (超计划用水怎么收费): by a method (累进加价, 按照…计收) as well as an amount
_FEE_HOW = re.compile(
    r"怎么收费|(怎么|咋|如何|按什么|按啥)(收费|收|计费|计收)"
    # 水费按啥标准交: by what rate one pays (按照…水价标准…缴纳)
    r"|(按|按照|依据|根据)(什么|啥)(标准|价格|价)?(交|缴|缴纳|交纳|收取|计费)"
)
_FEE_HOW_IN_ANSWER = _or_also(_FEE_IN_ANSWER, "加价|累进|按照[^。；]{0,30}(收取|计收|征收|缴纳)")


# A phone number, a web address, an office address, a button, a login or a document's number: an
# answer gives the thing itself (12369, www…, …路…号, 点击…, HJ 819), not just its name — a law's
# "举报电话" or "信息平台" gives neither number nor address. "哪个平台" asks for a name, and a
# platform's name answers it.
# a number asked for (值班电话是多少, 打哪个号, 有没有咨询热线), not a line named as the
# subject (热线工作要遵循哪些原则, 热线几点有人接, 热线一共受理了多少件) nor a call that
# happened (打电话说…)
_PHONE_ASKED = re.compile(
    r"(电话|热线|手机号|号码)(号码|号)?(是|为|有)?(多少|几|什么|啥|哪个|哪)"
    r"|(电话|热线|号码)(和|及|、)[^，。？?]{0,6}(是|有)?(多少|什么|啥)"
    r"|(哪个|什么|啥)(号码|电话|热线)|(电话|热线)[^，。？?]{0,2}(怎么|咋)(打|拨)"
    r"|(打|拨)(哪个|什么|啥|哪)个?(电话|号码|热线|号)|联系电话|有没有[^，。？?]{0,6}(电话|热线)"
    # 应该拨打哪个举报电话: what the line is for may stand between
    r"|(打|拨)(哪个|什么|啥|哪)个?[^，。？?]{1,4}(电话|热线)"
)
_CONTACTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (_PHONE_ASKED, re.compile(r"[0-9]{5,}")),
    (
        # 会挂到官网上吗 asks whether it is published, not for the address
        re.compile(
            r"网址|链接|官网(地址|网址|是多少|是啥|是什么|在哪)|哪个官网|网站(地址|是多少|多少)"
        ),
        re.compile(r"https?:|www\.|\.(cn|com|org|net)\b"),
    ),
    (
        re.compile(
            # 地址是多少 asks it; 法人跟地址都变了 tells a change
            r"地址[^，。？?]{0,6}(哪|多少|什么|啥|给|怎么写|怎么填)|地址[？?]?$|办事大厅|在哪(里|儿)?办公"
            # (办公室设在哪个单位 asks which body, not where)
            r"|(大厅|窗口|办公室|办事处)[^，。？?]{0,3}(在哪(?!个?(单位|部门|机关|局|家))|位置|地址)"
            # 要去公安局哪个窗口
            r"|哪个(窗口|大厅|办事处)"
            r"|在哪条(街|路)|门牌号"
        ),
        # a street number, a floor or a room: "人民路88号", "政务中心二楼", "305室" (a form's
        # "单位名称、地址" names a field, no address)
        re.compile(
            r"地址(为|是|在|：|:)|[路街道]\S{0,6}[0-9一二三四五六七八九十]+号"
            r"|[0-9一二三四五六七八九十]+[楼层室]"
        ),
    ),
    (re.compile(r"(哪个|什么|哪一个)(平台|系统|网站|网页)"), re.compile(r"平台|系统|网站|网页")),
    # 在哪个微信公众号上查, 有没有小程序: an account to follow, which a rule names or not at all
    (
        # (its name asked, 公众号叫什么, is a near miss of its own: ``name``)
        re.compile(r"(哪个|什么)(微信)?(公众号|小程序|app)"),
        re.compile(r"公众号|小程序|客户端"),
    ),
    # where to look a thing up (红线范围去哪里能查到; a form to download is a template asked for):
    # a text saying where it can be looked up answers (在其网站上公布…供公众免费查阅, 公开…单位
    # 目录，供社会公众查询, 利用微信公众号…发布常见问题解答)
    (
        re.compile(r"哪(里|儿|个地方)?(能|可以|才能)?(查|看到|找到)"),
        re.compile(r"查询|查阅|下载|网站|网上|官网|平台|公众号|发布"),
    ),
    (
        # 点“暂存”还是“提交”, 点提交没反应: a button, named in quotes or by what it does
        re.compile(
            r"按钮|点哪|点[“\"「][^”\"」]{1,8}[”\"」]|点(了|击)?(提交|保存|确定|暂存|下一步)"
            r"|(哪个|哪|什么)入口|怎么登录|登录|密码"
            # 接通后按几号键: a key of a phone menu
            r"|按(几|哪个|哪)号?键"
        ),
        re.compile(r"按钮|点击|入口|登录|密码|按[^，。；]{0,4}键"),
    ),
    # a bank account to pay into (罚款交到哪个银行账户): its number or its bank
    (
        re.compile(
            r"(哪个|什么)(银行)?(账户|账号)|(账户|账号|开户行)(是|为)?(多少|哪)|交到哪个银行"
        ),
        re.compile(r"[0-9]{8,}|开户(行|银行)(为|是|：|:)"),
    ),
    # 直接发市局邮箱可以不 asks whether e-mail will do, not for an address
    (re.compile(r"邮箱(地址|是多少|是啥|是什么|多少)|(哪个|什么)邮箱"), re.compile(r"@")),
    # a standard's or a document's number: GB 3095, HJ 819, 环办〔2022〕18号, 国务院令第736号
    (
        # … asked by which: 要符合哪个国标编号的标准
        re.compile(
            # (联单编号是几位数 asks how many digits, which the coding rule gives in words)
            r"(编号|标准号|国标号|文号)(?!(是|为|有)?(几|多少)位)(是|为|多少|叫)"
            r"|(哪个|哪一个|什么|啥)(国标|国家标准|标准)?(编号|标准号|国标号)"
        ),
        re.compile(
            r"(?<![a-z])[a-z]{1,4}\s*(/\s*t)?\s*[0-9]{2,}|〔[0-9]{4}〕|令第[0-9一二三四五六七八九十百]+号",
            re.IGNORECASE,
        ),
    ),
    # laws write the hour in words: 夜间，是指晚上十点至次日早晨六点之间的期间
    (
        # 周末上班吗, 几点开门: an office's hours
        re.compile(
            r"办公时间|几点|上班时间|(周末|周六|周日|节假日|假期|中午)[^，,。？?]{0,3}上班|几点开门"
        ),
        re.compile(r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*[:：点时](?!钟内)"),
    ),
)


# "许可证有效期是几年": a number of years (有效期为5年; 有效期限应当根据…合理确定，最长不超过
# 五年); a rule that only requires the licence does not give it
_VALIDITY = re.compile(r"有效期[^，。？?]{0,4}(几|多少|多长|多久)")
_VALIDITY_IN_ANSWER = re.compile(
    # 有效期为5年; 有效期为设计寿期 (a validity stated, if not in years)
    # … in its own clause: 需要延长有效期的，必须在期满之前九十天内提出申请 gives a deadline
    f"有效期[^。；，,]{{0,12}}[{_N}]+(个)?(年|月|日|天)|长期有效|有效期为(?![{_N}])[^。；，]{{2,8}}"
    f"|有效期[^。；]{{0,40}}(最长|不超过|不得超过|最多)[^。；]{{0,3}}[{_N}]+(个)?(年|月)"
)
_DEGREES_IN_ANSWER = re.compile(f"[{_N}]+(\\.[0-9]+)?\\s*(摄氏)?度|℃")
# 船舶在水源保护区航行的限速是多少节, 场内车速不能超过多少: a speed, which a rule gives in
# 节 or 公里 per hour or leaves to the port's or road's own rules
_SPEED = re.compile(r"(限速|航速|时速|车速|行驶速度|航行速度)[^，。？?]{0,8}(多少|几)")
_SPEED_IN_ANSWER = re.compile(f"[{_N}]+(\\.[0-9]+)?\\s*(节|公里|千米|km)")
# "烟囱高度如何确定", "防护距离多远", "标识牌的尺寸有什么规定": a length; an answer names one in
# metres
_LENGTH = re.compile(
    r"(高度|厚度|深度|宽度|长度|距离|半径|间距|尺寸)[^，。？?]{0,8}"
    r"(多少|几|如何确定|怎么确定|怎么定|(怎么|如何|咋)规定|多大|多长|有(什么|啥)[^，。？?]{0,4}(规定|要求|标准))"
    r"|多高|多厚|多深|多宽|多远|多大的?半径"
)
_LENGTH_IN_ANSWER = re.compile(f"[{_N}]+(\\.[0-9]+)?\\s*(米|公里|千米|厘米|毫米|m(?![a-z]))")
# "厂区占地面积最少得多大", "多大面积": an area; an answer names one in 平方米, 亩 or 公顷
_AREA = re.compile(r"面积[^，。？?]{0,8}(多少|多大|几)|多大(的)?面积|占地[^，。？?]{0,4}多大")
_AREA_IN_ANSWER = re.compile(
    f"[{_N}]+(\\.[0-9]+)?\\s*(万)?(平方米|平方公里|平方千米|亩|公顷|㎡|平米)"
)
# "要配几个专职安全员", "需要多少名监测人员": a headcount; an answer names a number of people
_HEADCOUNT = re.compile(
    r"(?<![那这])(几|多少)(个|名|位)[^，。？?]{0,4}(员|人员|工人|专家|工程师|高工|技术人员)"
)
_HEADCOUNT_IN_ANSWER = re.compile(f"[{_N}]+(个|名|位)?[^，。；]{{0,6}}(员|人|工程师|高工)")


# 几 opening a clause tells a rough count (几家单位共用一个排口, 几个人一起来的); 有几家 asks one
_ROUGH_COUNT_TOLD = re.compile(r"几(个|家|位|名)")
_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?\s]")
# 按啥标准算出来的, 怎么核定的: the grounds or the method an amount is reckoned by
_HOW_RECKONED = re.compile(
    r"(按|根据|依据|按照|凭)(什么|啥|哪些)(标准|依据|办法|方法|因素)?来?(算|计算|核定|确定|定)"
    r"|(怎么|如何|咋)(算|计算|核定|确定)出来"
)
# 需要具备什么资质等级: a firm's grade of qualification, which a rule gives as 甲级, 二级 or not at
# all (an incident's grade, 重大, is named in words: only a qualification is asked here)
_GRADE = re.compile(
    r"(什么|啥|哪个|哪一|哪种)资质等级|资质等级(是|为|要)?(什么|啥|多少|哪)"
    # 需要什么等级的资质
    r"|(什么|啥|哪个|哪一|哪种)等级的?资质"
)
_GRADE_IN_ANSWER = re.compile(f"[甲乙丙丁]级|[{_N}]+级")
# 执行地表水几类标准, 水质目标是几类水: a class of water quality, which a rule names (Ⅲ类) or
# leaves to the zoning plan
_WATER_CLASS = re.compile(r"(地表水|水质|水体|水功能区|断面)[^，。？?]{0,8}(几|哪)类|(几|哪)类水")
_WATER_CLASS_IN_ANSWER = re.compile(_CLASS_NAMED)
# 分几级, 分成几级, 算几级: how many levels there are, or which one a case is
_LEVELS_COUNTED = re.compile(r"(分|分成|分为|算)$")


def _opens_a_clause(question: str, at: int) -> bool:
    return at == 0 or bool(_CLAUSE_BREAK.match(question, at - 1))


_CLAUSE_MARKS = "，,；;。！!？?"


def _clause_bounds(question: str, at: int) -> tuple[int, int]:
    """Where the clause holding position ``at`` starts, and where the mark closing it stands
    (the question's length when none does); full-width and folded marks alike."""
    start = max(question.rfind(mark, 0, at) for mark in _CLAUSE_MARKS) + 1
    ends = [i for i in (question.find(mark, at) for mark in _CLAUSE_MARKS) if i >= 0]
    return start, min(ends, default=len(question))


def _told_in_passing(question: str, at: int) -> bool:
    """有几个… in a clause that asks nothing and that more of the question follows: there are a
    few (有几个人是学环境工程出身的，…能不能自己编), not how many are there."""
    # 县里几家老厂…一直发不了证, 我们几个人: a few of a place's or of ours, told as well
    before = question[max(0, at - 1) : at]
    if before not in ("有", "里", "们") or not _ROUGH_COUNT_TOLD.match(question, at):
        return False
    start, end = _clause_bounds(question, at)
    if question[end : end + 1] in ("", "？", "?") or not question[end + 1 :].strip("。.！!？? "):
        return False
    clause = question[start:end]
    return not _YES_NO.search(clause) and "吗" not in clause


# A count asked together with a share (抽查多少家，比例是多少; 有个比例不): rules set how many of
# the units concerned, as a share of them
_SHARE_ASKED = re.compile(r"比例|占比|几成|百分之")
_SHARE_IN_ANSWER = f"{_SHARE_IN_WORDS}|[0-9.]+\\s*[%％]"


def _quantity_intents(question: str) -> list[Intent]:
    """Intents for a number in a given unit, built from the question itself."""
    out = []
    match = (
        _QUANTITY.search(question) or _COUNT.search(question) or _COUNT_REQUIRED.search(question)
    )
    if (
        match
        and _opens_a_clause(question, match.start())
        and _ROUGH_COUNT_TOLD.match(question, match.start())
    ):
        match = None  # 几家单位共用一个排口: a few, told
    if match and _told_in_passing(question, match.start()):
        match = None  # 厂里有几个人是学环境工程的，…能不能自己编报告书: a few, told
    if match and _HOW_RECKONED.search(question, match.end()):
        # 批多少吨水，是按啥标准算出来的: how the amount is reckoned is asked, not the amount
        match = None
    if match and match.group(1) == "级" and _LEVELS_COUNTED.search(question, 0, match.start()):
        # 分几级, 算几级事故: the levels are named (国家级…, 重大辐射事故), not numbered
        match = None
    if match:
        unit = _UNIT_IN_ANSWER.get(match.group(1), match.group(1))
        # 多少钱 without 罚 asks a price, 几倍 without 罚 a multiple of something else (wages, a
        # price): the amounts and multiples of a fine do not answer them
        outside = "" if "罚" in question else _OUTSIDE_A_FINE_BY_UNIT.get(unit, "")
        answer = (
            _DEGREES_IN_ANSWER  # 几度: a temperature (or kilowatt-hours), 5℃ as well as 5度
            if unit == "度"
            else re.compile(f"{outside}[{_N}]+(\\.[0-9]+)?\\s*(个)?{re.escape(unit)}")
        )
        if _SHARE_ASKED.search(question):
            # 现场要审多少家？有个比例不: a share of all (一半, 百分之三十) is the count asked
            answer = _or_also(answer, _SHARE_IN_ANSWER)
        out.append(Intent("quantity", _QUANTITY, answer))
    elif _LENGTH.search(question):
        out.append(Intent("quantity", _LENGTH, _LENGTH_IN_ANSWER))
    elif _AREA.search(question):
        out.append(Intent("quantity", _AREA, _AREA_IN_ANSWER))
    elif _TIMES.search(question):
        # 一年搞几次: once a year is a number of times a year (每年举办…培训班)
        yearly = _TIMES_A_YEAR.search(question)
        out.append(Intent("quantity", _TIMES, _YEARLY_IN_ANSWER if yearly else _TIMES_IN_ANSWER))
    elif _SPEED.search(question):
        out.append(Intent("quantity", _SPEED, _SPEED_IN_ANSWER))
    elif _HEADCOUNT.search(question):
        out.append(Intent("quantity", _HEADCOUNT, _HEADCOUNT_IN_ANSWER))
    elif _VALUE.search(question) and not _FINE_LIMIT.search(question):
        level = _LEVEL_REACHED.search(question)
        out.append(Intent("value", _VALUE, _LEVEL_IN_ANSWER if level else _VALUE_IN_ANSWER))
    elif _FINE_AMOUNT.search(question):
        out.append(Intent("amount", _FINE_AMOUNT, _AMOUNT_IN_ANSWER))
    if _PERIOD.search(question):
        out.append(Intent("quantity", _PERIOD, _PERIOD_IN_ANSWER))
    if _GRADE.search(question):
        out.append(Intent("quantity", _GRADE, _GRADE_IN_ANSWER))
    if _WATER_CLASS.search(question):
        out.append(Intent("quantity", _WATER_CLASS, _WATER_CLASS_IN_ANSWER))
    # 有效期是几年 is answered by the validity itself, not by any number of years
    if _VALIDITY.search(question):
        out.append(Intent("quantity", _VALIDITY, _VALIDITY_IN_ANSWER))
    elif _YEARS_REQUIRED.search(question):
        out.append(Intent("quantity", _YEARS_REQUIRED, _YEARS_IN_ANSWER))
    # 补多少是按什么来定的: what the amount is reckoned by is asked (``basis``), not the amount
    if (
        _FEE.search(question)
        and not _FEE_NOT_ASKED.search(question)
        and not _HOW_RECKONED.search(question)
    ):
        counted = re.search("多少|几", question)
        answer = _FEE_IN_ANSWER
        if _FEE_HOW.search(question) and not counted:
            answer = _FEE_HOW_IN_ANSWER
        elif _FEE_WHETHER.search(question) and not counted:
            answer = _FEE_WHETHER_IN_ANSWER
        out.append(Intent("fee", _FEE, answer))
    # 有没有义务把网址对外公布, 热线电话要不要公开: whether it must be published, not the address
    # itself (in the same clause; 是否已发布？其编号是什么 still asks the number)
    publishing = [_clause_around(question, m) for m in _PUBLISHING_ASKED.finditer(question)]
    for asks, answers in _CONTACTS:
        match = asks.search(question)
        if match and not any(start <= match.start() < end for start, end in publishing):
            out.append(Intent("contact", asks, answers))
    return out


def _clause_around(question: str, match: re.Match[str]) -> tuple[int, int]:
    start = max((m.end() for m in _CLAUSE_BREAK.finditer(question, 0, match.start())), default=0)
    after = _CLAUSE_BREAK.search(question, match.end())
    return start, after.start() if after else len(question)


_PUBLISHING_ASKED = re.compile(
    r"(有没有义务|有义务|要不要|需不需要|会不会|是否|应不应该|该不该|必须|得不得)"
    r"[^，。？?]{0,24}(公布|公开|公告|发布|告知)"
)


# the kinds of place a zone is drawn over by name (not 道路 or 公路 in general)
_PLACE_KINDS = (
    "(?<![江运内])河|江|溪|(?<![江河])湖|水库|渠|街道|乡镇|(?<![城乡村])镇|(?<![城下家])乡"
    "|(?<![乡农山渔])村|(?<![道公铁马线])路|路段|码头|港口|港区"
)

# … and sites a zone or a list takes in (重点园区, 监测站点, 纳入名录的湿地), asked about by name
_SITE_KINDS = (
    f"{_PLACE_KINDS}|园区|站点|点位|灌区|湿地|水源地|省份|省区|区县|县(?![级城])|地方|地点"
)
# two named places of a kind in a row (永定河、潮白河和拒马河; 青海省、四川省): a text that names
# them. Not two categories of a kind (集中式饮用水水源地和分散式饮用水水源地, 化工园区和工业园区,
# 国家重要湿地和省级重要湿地): a name does not end in the word that sorts places into classes.
_NAMED_PLACE_KINDS = f"{_PLACE_KINDS}|园区|湿地|灌区|水源地|省(?!级)|自治区"
_CATEGORY_TAIL = "(?<![水业工级要型式性类然的点])"
_NAMED_PLACES_IN_ANSWER = re.compile(
    f"[\\u4e00-\\u9fff]{{2,6}}{_CATEGORY_TAIL}({_NAMED_PLACE_KINDS})(（[^）]*）)?[、和及与]"
    f"[\\u4e00-\\u9fff]{{1,6}}{_CATEGORY_TAIL}({_NAMED_PLACE_KINDS})"
)

# what a tally counts: licences, firms, copies, cases, meetings, people, volumes
_TALLIED = "(张|家|个|份|起|件|宗|场|次|处|名|位|卷|种|艘|辆)"


# Things people ask of a regulator that a regulation seldom says: how to sign up for a course,
# which brand to buy, how to undo a slip in an online form, what an account is called, in which
# city an event is held. Each answer pattern is what a passage that does answer has to say.
NEAR_MISS_INTENTS: tuple[Intent, ...] = (
    # (被吊销后多久才能重新报名考: when one may apply again, which a rule does say)
    Intent("signup", re.compile(r"(?<!重新)报名"), re.compile(r"报名")),
    # how to join a pool or list (专家库的专家咋申请加入): a rule that sets one up seldom says
    Intent(
        "join",
        re.compile(r"(怎么|如何|咋|怎样)(申请)?加入|申请(加入|入库)"),
        re.compile(r"报名|加入|入库|遴选|推荐"),
    ),
    # a formula (计算公式; 计算公试 mistyped, which the typo step reads as the documents' 公示):
    # laws and rules name a method, standards give formulas
    Intent("formula", re.compile(r"公式|计算公[试示]"), re.compile(r"公式|[=＝×÷]|按照下列")),
    Intent(
        "brand",
        # "推荐的那家环评公司" names a firm someone recommended: only 推荐一下/有…推荐吗 ask for one
        re.compile(
            r"(哪个|什么|哪些|哪款|哪家)(牌子|品牌|厂家|厂商|型号|软件)|哪家(好|强|靠谱|便宜|比较)"
            r"|推荐(一下|一[个款家]|几[个款家]|[个款家]|些)|有[^，。？?]{0,12}推荐吗|求推荐|好用的"
            r"|哪家[^，。？?]{0,16}(比较)?(靠谱|好|强|便宜)"
            r"|(有没有(什么|啥)?推荐的?|推荐的?)[^，。？?]{0,8}(厂家|厂商|品牌|牌子|型号)"
            # 有啥好吃的海鲜店推荐？: a recommendation asked for at the end
            r"|(有啥|有什么|有没有什么)[^，。？?]{0,12}推荐[？?！!]*$"
        ),
        re.compile(r"品牌|牌子|型号"),
    ),
    Intent(
        "correction",
        re.compile(
            r"填错|写错|报错|不显示|打不开|登不上|登录不了|进不去|闪退|退回来改|撤回"
            r"|提示[^。？?]{0,20}(咋办|怎么办|怎么回事|什么意思)"
        ),
        re.compile(r"更正|撤回|退回|补正"),
    ),
    Intent(
        "name",
        re.compile(
            r"(账号|公众号|抖音号|微信号|视频号|微博)[^，。？?]{0,4}(叫什么|是什么|是多少|名字|名称)"
            r"|叫什么名字"
        ),
        re.compile(r"“[^”]{2,20}”|@|(账号|名称|名字)(为|是|：|:)|叫做|称为|简称|统称"),
    ),
    # a screen of an online system (税源信息采集在哪个菜单底下, 按钮在哪): no law describes one
    Intent(
        "screen",
        re.compile(
            r"(哪个|什么|哪一个|哪一?栏)(菜单|按钮|页面|栏目|模块|入口|界面|选项)"
            r"|(菜单|按钮|页面|入口)[^，。？?]{0,4}(在哪|底下|下面|里面?)|点哪(个|里|儿)"
        ),
        # 平台要新设什么模块 → 设置信息公开模块: a module a plan announces
        re.compile(r"菜单|按钮|点击|栏目|页面|模块"),
    ),
    # a form's or a report's layout (第三栏填什么, 一共几页, 封面怎么排版): its template says it,
    # seldom the rule requiring the form
    Intent(
        "layout",
        re.compile(
            r"第几栏|第[一二三四五六七八九十0-9]+栏|哪一?栏|(一共|总共|共|有)几页|排版|版式|字号|字体"
            r"|(有|分)哪些栏目|栏目(有|是)哪些"
            r"|(样式|格式)[^，。？?]{0,2}(什么样|啥样|怎样|怎么样|怎么规定|有什么规定)"
            r"|封面[^，。？?]{0,6}(格式|排版|怎么|什么样|啥样)"
            # 用几号字, 要盖哪几个公章, 那一栏应该怎么填, 装订多少份
            r"|几号字|(盖|加盖)(哪几个|几个|哪些|什么)公?章|栏[^，。？?]{0,4}(怎么|如何|咋)填"
            r"|装订(多少|几)份"
        ),
        re.compile(r"栏|页码|版式|排版|字号|字体|封面|公章|印章|盖章|装订"),
    ),
    # the model, software or coordinate system a report is to use (大气预测用哪个模型): technical
    # guidelines say it, not the rules requiring the report
    Intent(
        "method",
        re.compile(r"(哪个|什么|哪种|哪款)(预测)?(模型|软件|坐标系)"),
        re.compile(r"模型|软件|坐标系"),
    ),
    # a code to choose or fill in (商品编码该选哪个, 废物代码填啥): catalogues give it
    Intent(
        "code",
        re.compile(
            r"(编码|代码|编号)[^，。？?]{0,4}(选|填|用|写)(哪个|哪一个|啥|什么|多少)"
            # what its digits stand for (编号每一位数字分别代表什么意思): the coding rule says it
            r"|(编码|代码|编号)[^，。？?]{0,6}(每一?位|各位|数字|字母)[^，。？?]{0,4}(代表|表示)(什么|啥)"
        ),
        re.compile(r"[0-9]{4,}|编码为|代码为"),
    ),
    # who sits on a body now (现任主任委员是谁, 委员会有哪些委员): an appointment, not a rule
    Intent(
        "members",
        re.compile(
            r"现任[^，。？?]{0,10}(是谁|是哪位|叫什么)"
            r"|(有哪些|都有谁|是哪些人)[\u4e00-\u9fff]{0,2}(委员|成员)(?!单位)"
        ),
        re.compile(r"[\u4e00-\u9fff]{1,3}(同志|先生|女士)|名单如下"),
    ),
    # the colour of a bag or a sign (黄的还是黑的): set by standards and catalogues, seldom by law
    Intent(
        "colour",
        re.compile(
            r"(什么|啥|哪种|哪个)颜色|颜色(是|要|用|有)?(什么|啥|哪)|[黄红黑白蓝绿]的还是[黄红黑白蓝绿]"
            # 尺寸、颜色和材质具体是什么标准
            r"|颜色[^，。？?]{0,8}(是什么|是啥|什么样)"
        ),
        re.compile(r"颜色|[黄红黑白蓝绿橙紫]色"),
    ),
    # a template or where to download a form (有统一模板吗？去哪下载？); 年报模板里那一栏 names one
    Intent(
        "template",
        re.compile(
            r"有[^，。？?]{0,4}(模板|范本|样表)(吗|没有|不)|(模板|范本|样表)[^，。？?]{0,4}(哪|怎么找|咋找)"
            r"|(去|在|到)哪(里|儿)?(可以|能|才能)?下载|下载地址|示范文本"
        ),
        re.compile(r"模板|范本|样式|格式|下载|示范文本"),
    ),
    # 记过还是降级撤职: the kind of sanction for an official, which laws mostly leave to
    # 依法给予处分 (会不会被公司开除 is an employer's, not asked of the law's sanctions)
    Intent(
        "sanction",
        re.compile(r"记过|记大过|降级|撤职|警告处分"),
        re.compile(r"记过|记大过|降级|撤职|开除"),
    ),
    # how many licences were issued, firms fined, last year or in a province: a tally the
    # authorities publish, which a law or plan gives only as a target (覆盖率达到100%)
    Intent(
        "tally",
        re.compile(
            r"(一共|总共|共|累计|全省|全市|全国|去年|今年|前年)[^，。？?]{0,10}"
            r"(发|颁发|核发|办|批|罚|查处|关停|作出|做出|办理|受理|立案|查办|下达|开出|组织|召开"
            r"|举行|划定|划了|建成|建了|设|设立|设置|保存|入库|收录)了?"
            # … what was handled may stand between: 共办理查封扣押案件多少件
            f"[^，。？?]{{0,8}}?多少{_TALLIED}"
            # … what was held or happened, counted with 几 too: 去年组织过几次演习, 到目前为止一共
            # 发生过几起事故
            r"|(一共|总共|累计|去年|今年|前年|迄今|至今|到目前为止)[^，。？?]{0,10}"
            f"(发生|出现|组织|召开|举行|开展|查处|处罚)了?过[^，。？?]{{0,2}}(多少|几){_TALLIED}"
            # … or reported and received (去年一共报告了几起运行事件, 一共接待了多少游客)
            r"|(一共|总共|累计|去年|今年|前年|迄今|至今|到目前为止)[^，。？?]{0,10}"
            f"(报告|上报|接待|受理|办理|处理|接到|收到)(了|过|了过)[^，。？?]{{0,2}}(多少|几)"
            f"({_TALLIED[1:-1]}|游客|人次|人)"
            # … or a past year's average (去年全市平均地面沉降量是多少毫米)
            r"|(去年|前年|上一?年度?)[^，。？?]{0,10}平均[^，。？?]{0,10}(多少|几)"
            # … or what was spent: 今年财政预算给秸秆综合利用安排了多少资金
            r"|(去年|今年|前年|全省|全市|每年)[^，。？?]{0,16}(安排|投入|拨付|下达|筹集|花)了?"
            r"多少(资金|钱|经费|万)"
            # … or how many there are in all: 专家库现在一共入库了多少名专家, 全国一共有多少家
            f"|(一共|总共|累计)[^，。？?]{{0,8}}多少{_TALLIED}"
            # … or produced: 去年全市危险废物产生总量是多少万吨
            r"|(全省|全市|全国|去年|今年|前年)[^，。？?]{0,12}(总量|总数|总面积)[^，。？?]{0,3}多少"
            # … or how many there were: 去年有多少个断面水质达标
            f"|(去年|今年|前年)[^，。？?]{{0,6}}有多少{_TALLIED}"
            # … or now, nationwide: 全国现在一共有多少艘机动渔船
            f"|(全国|全省|全市)(现在|目前|当前)?(一共|总共)?有多少{_TALLIED}"
            # … or this year's quota: 今年国家给我们省下达的控制指标是多少
            r"|今年[^，。？?]{0,16}(下达|分配|核定|确定)的?[^，。？?]{0,10}(指标|配额|额度|总量)"
            r"[^，。？?]{0,3}多少"
            # … or how many a year: 全国每年有多少个项目获得核准
            f"|(全省|全市|全国)(每年|一年|每个月)[^，。？?]{{0,3}}有?多少{_TALLIED}"
            # … or a year's rate: 去年水源水质达标率是多少
            r"|(去年|今年|前年|上半年|下半年|现在|目前|当前|如今)[^，。？?]{0,14}"
            r"(达标率|合格率|覆盖率|完成率|优良率|利用率|处理率)[^，。？?]{0,3}多少"
            # … or what was done in a past year (去年一个调度年度里一共给天津调了多少水)
            r"|(去年|前年|上一?年度?)[^，。？?]{0,20}了[^，。？?]{0,2}多少"
            # … or what a year's disasters cost: 去年全国气象灾害一共造成了多少经济损失
            r"|(去年|今年|前年|全省|全市|全国)[^，。？?]{0,12}造成了?[^，。？?]{0,2}(多少|几)"
            r"[^，。？?]{0,4}(损失|伤亡|死亡|人)"
        ),
        # 30个工作日 counts days, not what was issued; a threshold (产生量超过5000吨) is no total
        re.compile(
            f"[{_N}]+(张|家|份|起|件|场|处|卷)|[{_N}]+个(?!工作日|月|小时)"
            f"|(全年|去年|累计|共计|总量为|总计)[^。；]{{0,12}}[{_N}]+"
        ),
    ),
    # a rate (佣金按什么比例收取, 费率是多少): a rule that sets a fee seldom sets its percentage
    Intent(
        "rate",
        re.compile(
            r"(什么|啥|多大|多少)的?比例|比例(是|为|大概|一般)?(多少|几)|费率|佣金|提成"
            # 按成交额的千分之几收取
            r"|[千万]分之(几|多少)"
        ),
        re.compile(
            r"百分之|[0-9.]+\s*[%％‰]|[一二三四五六七八九十]分之|一半|半数"
            r"|(比例|比重)(为|是|不得|不应|不超过|不低于|不少于|达到|应当)"
        ),
    ),
    # a code from a list (危废代码是多少, 废物代码填啥): the national list gives it, a law does not
    Intent(
        "code",
        re.compile(
            r"(代码|编码|代号)(分别|应该|应当|要)?(是|为|填)?(多少|什么|啥|几|哪个)"
            r"|(代码|编码|代号)[^，。？?]{0,3}(怎么|咋|如何)填"
        ),
        re.compile(r"(?i)hw\s*\d{2}|\d{3}-\d{3}-\d{2}|(代码|编码)(为|是)"),
    ),
    Intent(
        "venue",
        re.compile(
            r"(哪个|哪座|什么)(城市|地方)|在哪(里|儿)?(举办|召开|举行)|(举办|召开|举行)地点"
        ),
        re.compile(r"在[\u4e00-\u9fff]{2,6}(市|省|举办|召开|举行)|地点(为|是|：|:)"),
    ),
    # what to hand in (申请排污证要交哪些材料, 备案要交几份材料): the rule of that procedure lists
    # it (申请材料…包括下列内容, 应当提交…申请书), a rule that only names the procedure does not
    Intent(
        "materials",
        re.compile(
            r"(交|带|准备|提交|补|附|报|递交|提供|需要|须)[^，,。？?]{0,3}(哪些|什么|啥|几份|多少份)"
            r"(申请)?材料|材料(有|包括|是)哪些"
        ),
        # a list of the items (``_ITEMS_IN_ANSWER``), or the papers named in the sentence
        _or_also(
            _ITEMS_IN_ANSWER,
            "材料[^。；]{0,40}(包括|如下|下列)"
            r"|(持|提交|提供|报送|附具|附送|报|递交)[^。；]{0,60}(材料|文件|资料|申请书|报告|证明|说明|复印件)"
            r"|(报|报送)[^。；]{0,30}备案",
        ),
    ),
    # this year's dates (今年春灌什么时候开闸放水, 今年的防火期从几月几号到几月几号): a rule gives a
    # yearly time (每年3月底前) or a date, not this year's calendar
    Intent(
        "this_year",
        re.compile(r"今年[^，,。？?]{0,14}(什么时候|啥时候|哪天|几号|几月)"),
        re.compile(f"每年[^。；]{{0,12}}[{_N}]+月|[0-9]{{4}}年[{_N}]+月"),
    ),
    # where a zone's boundary runs (一级保护区的边界具体划到哪里，有没有坐标): the zoning plan or
    # its map says, the rule that orders the zoning does not
    Intent(
        "boundary",
        re.compile(r"边界[^，,。？?]{0,6}(划到|划在|在|到)哪|坐标"),
        re.compile(r"东经|北纬|坐标|为界|边界(为|是|至)"),
    ),
    # which named rivers, streets, towns or roads a zone takes in (主要景观河道具体包括哪几条河,
    # 管网到达区域具体包括哪些街道和乡镇, 停靠的地点是哪个码头): only a text that names them
    # answers (永定河、潮白河和拒马河), a rule that has them 确定并公布 does not
    Intent(
        "places_named",
        re.compile(
            r"(具体(包括|有|是|在|划到|划在|设在|涉及|涵盖|分布在)?|包括|涵盖|涉及|是|有)"
            f"哪(几|些|个|一)(条|个|座|片|处)?({_SITE_KINDS})"
            # 哪些省份已经出台了…, 全国哪些县被列为…
            r"|哪(些|几个)(省份|省区|区县|县(?![级城]))"
            # counted by a measure word for places: 纳入名录的湿地有哪几处, 禁钓区域具体是哪几片
            r"|哪几(处|片)"
            # … or asked after the thing named: 重点园区具体有哪几个, 封育区具体划在哪几个地方
            r"|(具体|都)(有|是|在|划在|设在|分布在|位于)?(哪几个(地方|地点)?|哪些(地方|地点))(?=[？?，,]|$)"
            # … or where each lies: 考核单位有哪几家，分别在哪些城市
            r"|分别(在|位于)哪(些|几个)(城市|地方|省|县)"
            # … or asked of the kind itself: 上海的市管河道都有哪些？, 保护的湖泊具体有哪几个
            f"|({_SITE_KINDS})[\\u4e00-\\u9fff]{{0,2}}(具体|都|一共)?(有|包括)哪(些|几条|几个|几处)"
            r"(?=[？?，,]|$)"
        ),
        _NAMED_PLACES_IN_ANSWER,
    ),
    # the names on a list (名单里都有哪些企业, 能列个名单吗, 有具体名单吗): a rule says who draws a
    # list up and publishes it (提出…名单，经…批准后公布), not who is on it
    Intent(
        "roster",
        re.compile(
            r"(列|开|给)(个|一下|一份|一个|出)?(具体的?)?名单"
            # 有具体名单吗, 有没有完整名单可以查
            r"|有[^，。？?]{0,4}名单(可以|可|能)?(查|看|下载)?(吗|么|不|没有|[？?]|$)"
            r"|名单(里|中|上)[^，。？?]{0,4}(有|包括|是)(哪些|哪几|什么|啥)"
            r"|名单(都|一共|具体)?(有|包括)(哪些|哪几)|名单(能|可以|能不能)(给|发|列|提供)"
            # which firms or bodies (疏解的企业都有哪几家, 有资质的机构有哪几家): their names
            r"|(企业|公司|厂家?|机构)[^，。？?]{0,3}(都|一共|具体)?有哪几家"
        ),
        _or_also(
            _NAMED_PLACES_IN_ANSWER,
            r"[\u4e00-\u9fff]{2,12}(公司|厂|集团)[、和及与]|名单如下|如下名单",
        ),
    ),
)


# "不到10吨的能不能简化", "一公里内是不是不让建", "是不是每三年修订一次": the question states a
# threshold and asks whether it holds; only a passage stating that figure answers it (a law that
# says 定期 or 规定的数量 neither confirms nor denies 三年 or 10吨).
_THRESHOLD = re.compile(
    f"(?:不到|不足|超过|不超过|低于|高于|少于|多于|每)([{_N}]+)(?:个)?"
    "(吨|公里|千米|米|个月|年|天|日|小时)"
    f"|([{_N}]+)(?:个)?(吨|公里|千米|米|个月|年|天|日|小时)(?:以上|以下|以内|内)"
)
_DIGITS = "零一二三四五六七八九"


def _numeral_forms(number: str) -> list[str]:
    """The number as written in digits and in Chinese (12 ↔ 十二), for numbers up to 99."""
    if number.isdigit() and int(number) < 100:
        n = int(number)
        tens, ones = divmod(n, 10)
        chinese = (
            _DIGITS[n]
            if n < 10
            else ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
        )
        return [number, chinese]
    for n in range(1, 100):
        if _numeral_forms(str(n))[1] == number:
            return [number, str(n)]
    return [number]


def _threshold_intents(question: str) -> list[Intent]:
    """An intent answered by a passage stating the threshold the question states."""
    match = _THRESHOLD.search(question)
    if not match:
        return []
    number, unit = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    numbers = "|".join(re.escape(n) for n in _numeral_forms(number))
    return [Intent("threshold", _THRESHOLD, re.compile(f"(?<![{_N}])({numbers})个?{unit}"))]


# Why a thing is done (副本为啥要简化, 弄检查手册图个啥, 是为了让企业看得懂吗): answered where the
# text says what it is for (…，提升可读性和实用性), which a plan's table row leaves out. Not one of
# ``INTENTS``: as a lift for every passage saying 为了 or 提高 it put a law's principles (为了达到
# 上述目标…) above the aims asked for; it only chooses between a row and its paragraph.
PURPOSE = Intent(
    "purpose",
    re.compile(
        r"为啥|为什么|为何|为了(啥|什么)|图(的是|个)?(啥|什么)|目的|用意|初衷|是为了"
        r"|(干嘛|干啥)要|有(啥|什么)(用|好处|作用)"
        # 专家库是干啥用的, 承担什么职能: what a body set up is for
        r"|(干|做)(啥|什么)用|承担(啥|什么|哪些)职能"
    ),
    re.compile(r"为了|以便|便于|旨在|提升|提高|确保|保障|促进|推动|增强|有利于|从而"),
)


def asks_purpose(question: str) -> bool:
    """Whether the question asks what a thing is for (``PURPOSE``), where it asks."""
    return PURPOSE.asks.search(asked_part(question)) is not None


# 行动计划是哪一年印发的, 这个办法什么时候公布的: the date of the text's own making, which a date
# it sets for anything else (2022年底前全面完成) does not give; its promulgation lines do
# (2021年4月27日 国家市场监督管理总局公布, 2016年11月7日…通过)
# (not 标准计划于何时出台: a thing the plan is to issue, 计划 the verb)
_OWN_MAKING_ASKED = re.compile(
    r"(行动计划|[本该这]个?份?计划|[本这]部?法|办法|条例|规定|规章|细则)(本身)?(是|在)?"
    r"(哪一年|哪年|什么时候|何时|哪天|几月)[^，。？?]{0,4}(印发|发布|颁布|公布|出台)"
)
_YEAR = "(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年"
_MAKING = "(印发|发布|颁布|公布|出台|通过|施行|修订|修正|修改)"
_OWN_MAKING_IN_ANSWER = re.compile(
    f"{_YEAR}[^，。；]{{0,24}}{_MAKING}|{_MAKING}[^，。；]{{0,10}}{_YEAR}"
)


def detect(question: str) -> list[Intent]:
    """The intents a question signals (several may apply: 多久前必须完成 is deadline and when),
    read from the sentences that ask (``asked_part``): the background of a long question (这几年
    我们自己掏钱做了修复。) asks no duration. A threshold it states counts wherever it stands."""
    asked = _CONCESSIVE.sub("", asked_part(question))
    found = [intent for intent in INTENTS if intent.asks.search(asked)]
    names = {intent.name for intent in found}
    if "frequency" in names:  # 多久一次 asks how often, not how long
        found = [intent for intent in found if intent.name != "duration"]
    # a near miss refuses outright, so only the clauses that ask count: 单位让我报名参加培训班，
    # 想了解课程怎么设置 asks about the courses, not how to sign up
    clauses = asking_clauses(asked)
    found += [intent for intent in NEAR_MISS_INTENTS if intent.asks.search(clauses)]
    found += _quantity_intents(asked)
    found = [intent for intent in found if not _only_in_yes_no_questions(intent, asked)]
    if _OWN_MAKING_ASKED.search(asked):
        found = [_own_making(intent) if intent.name == "date" else intent for intent in found]
    return found + _threshold_intents(question)


def _own_making(date: Intent) -> Intent:
    return Intent(date.name, date.asks, _OWN_MAKING_IN_ANSWER)


# 不管在哪个地方办, 无论多少: a question word after 不管, 无论 or 不论 asks nothing (any place, any
# amount alike); the clause is left out of what is asked. Not 管不管 (条例管不管哪些单位), 不管用
# ("does not work"), 不管不问 or 不管事 (部门不管不问该找谁: "ignores"): they ask on.
_CONCESSIVE = re.compile(
    r"((?<!管)不管(?!用|不问|事)|无论|不论)"
    r"(?=[^，,。；;？?]*?(哪|什么|啥|谁|多少|几|怎么|咋|如何))[^，,。；;？?]*"
)


# A number word inside a yes-or-no question counts nothing asked: "是按产生了多少吨就交多少吗" (as
# many as are produced), "能不能选几个人出来代表大家" (a few), "是不是还得写明打完药多少天才能
# 摘菜卖" (the waiting time as a thing to print): the question asks whether, and a rule answers it
# without the number.
_YES_NO = re.compile(
    r"是不是|能不能|可不可以|要不要|需不需要|用不用|会不会|是否|能否|可否|行不行|对不对|算不算"
    r"|[吗么不]\s*$"
)
_COUNTED_INTENTS = frozenset({"days", "quantity", "fee", "value"})


def _only_in_yes_no_questions(intent: Intent, asked: str) -> bool:
    """Every clause where ``intent`` is asked asks yes or no (in its own clause: "收费标准是多少？
    超了能举报吗" and "要多少个工作日，能不能加急" ask both)."""
    # whether there is a fee at all (要交培训费吗) is its own intent, answered by 免费 or 不得收取
    if intent.name not in _COUNTED_INTENTS or intent.answers is _FEE_WHETHER_IN_ANSWER:
        return False
    clauses = [c for c in _CLAUSE_BREAK.split(asked) if intent.asks.search(c)]
    return bool(clauses) and all(_YES_NO.search(c) for c in clauses)


_SENTENCE = re.compile(r"[^。！!；;？?]+[。！!；;？?]*")
_CLAUSE = re.compile(r"[^，,；;：:]+[，,；;：:]*")
_ASKING = re.compile(
    r"[吗呢么嘛]|什么|怎么|怎样|如何|多少|多久|多长|几|哪|谁|是否|能否|可否|能不能|可不可以|要不要"
    r"|会不会|有没有|是不是|算不算|属不属于|咋|啥|何时|为何"
)
_PUNCTUATION = re.compile(r"[，,；;：:。！!？?\s]")
# 要是哪个地方两年就搞完了，第三年还干点啥: after 要是, 如果 … a question word may be indefinite
# (if some place…): the clause sets a condition, and the clause after it asks
_CONDITION = re.compile(r"[^，,；;：:]{0,4}?(要是|如果|假如|假若|倘若|万一|假设|若是)")
# a clause this short that asks (咋办, 行吗) asks about the clause before it
BARE_QUESTION = 4


# 去年差点忘了证到期，后来听说平台能提醒，我想问问这个提醒功能是谁在弄的: a clause that says
# what follows is the question ends the story told in the same sentence
_ASKING_OPENS = re.compile(
    r"[，,；;：:]\s*(?:所以)?(?:我|俺)?(?:就)?"
    r"(?:想问问|想问一下|想问下|想请教一下|想请教|想了解一下|想知道|请问)"
)


def asked_part(question: str) -> str:
    """The sentences of a question that ask: those ending in a question mark, else those with a
    question word; the whole question when none stands out (a one-sentence question is whole).
    Within them, what follows 我想问问 or 请问 after a story told in the same sentence."""
    sentences = [s for s in _SENTENCE.findall(question) if s.strip()]
    if len(sentences) < 2:
        return _after_the_story(question)
    marked = [s for s in sentences if s.rstrip().endswith(("？", "?"))]
    asking = marked or [s for s in sentences if _ASKING.search(s)]
    return _after_the_story("".join(asking)) if asking else question


def _after_the_story(text: str) -> str:
    ends = [m.end() for m in _ASKING_OPENS.finditer(text)]
    return text[ends[-1] :] if ends and text[ends[-1] :].strip() else text


def _asking(clauses: list[str]) -> list[bool]:
    """Which clauses ask: those with a question word, less a condition followed by a clause that
    asks (要是哪个地方…，第三年还干点啥); the last clause to ask asks (要是被查到了会怎么处理)."""
    asks = [bool(_ASKING.search(clause)) for clause in clauses]
    return [
        asks[n] and not (_CONDITION.match(clause) and any(asks[n + 1 :]))
        for n, clause in enumerate(clauses)
    ]


def asking_clauses(text: str) -> str:
    """The clauses of ``text`` with a question word, or all of it when none has one; a bare
    question (咋办, 行吗) asks about the clause before it (提示代码已被注册，咋办)."""
    clauses = _CLAUSE.findall(text)
    asking = _asking(clauses)
    kept: list[str] = []
    for n, clause in enumerate(clauses):
        if not asking[n]:
            continue
        if (
            n > 0
            and len(_PUNCTUATION.sub("", clause)) <= BARE_QUESTION
            and clauses[n - 1] not in kept
        ):
            kept.append(clauses[n - 1])
        kept.append(clause)
    return "".join(kept) if kept else text


# A licence other than the documents' own (取水许可证, 营业执照, 驾驶证) or a particular place
# (郑州, 东莞): a knowledge base that never names it says nothing about getting that licence or
# about that place's lists, however well the rest matches. The two characters before 许可证 name
# the licence; a verb or pronoun there (申请许可证, 这个许可证) names none.
# the papers of daily life among them, which environmental rules name only in passing
_EVERYDAY_PAPER = re.compile(r"驾驶证|驾照|护照|房产证|身份证|结婚证|户口本")
_LICENCE = re.compile(rf"[\u4e00-\u9fff]{{2}}(许可证|执照|牌照)|{_EVERYDAY_PAPER.pattern}|资格证")
# 没有任何许可证, 办什么许可证, 各种许可证: a determiner before 许可证 names no licence
# (审批单和许可证, 情况跟许可证上写的: a conjunction joins two things; 那边说执照申请…,
# 想问问执照怎么办: what is said or asked about a licence names none)
_NOT_A_LICENCE_NAME = (
    set("的个这那该张本此其了办领拿请得有无没种类份要需发证弄搞帮")
    | set(
        "任何啥么些各它他她和及与或跟同是说问讲"
        # 地市一级对许可证审核质量…: a preposition before 许可证 ends a phrase, it names nothing
        # (nor does a pronoun: 俺们厂许可证 is the asker's own)
    )
    | set("对向给把被将在按以于凭们俺咱我你您")
)
# A verb acting on the licence names none: 重点关注许可证, 审核许可证, 换发许可证, 帮企业填报
# 许可证申请, and what is put into one (写进许可证, 载入许可证, 填到许可证上, 卖到许可证上没写
# 的用途).
_ACTS_ON = re.compile(
    r"关注|审核|核发|审批|查看|检查|变更|延续|注销|吊销|撤销|补领|换发|持有|获取|发放|颁发|领取"
    r"|填报|申报|填写"
    r"|提交|申领|收回|暂扣|出示|悬挂|打印|下载|上传|公开|公示|查询|核查|比对|对照"
    r"|[写填载纳列记加放印标注][在上明]|.[进入到]"
    # 多少天能批下来执照: a verb's direction, not a kind of licence
    r"|[下出上回过起][来去]"
    # 我在区分局管许可证, 谁来监管许可证: who manages licences, not a licence called 局管许可证
    r"|.管"
    # 为啥要简化许可证内容, 超出许可证规定, 从事许可证上的活动: what is done to or beyond it
    r"|简化|优化|完善|规范|更新|超出|超过|违反|从事|开展|执行|落实|申请|办理|取得|获得|遗失|丢失"
    # 是否依照许可证载明要求排放: what the licence says, not a licence called 依照许可证
    r"|依照|按照|依据|根据|遵照|参照|遵守|符合"
    # 技术机构的原因导致许可证出现严重质量问题: what brings something about in it
    r"|导致|造成|致使|使得|引起|引发"
    # 管理规程涵盖许可证从续期到终止的哪些环节: what a text covers; 每个季度核查完许可证: a verb
    # and its 完, the work done on it
    r"|涵盖|覆盖|包括|包含|涉及|.完"
)
# … nor do words of more than one character that say which or whose (_NOT_A_LICENCE_NAME holds
# the single ones): 全部许可证都审一遍, 我们单位许可证快到期了, 省厅里执照批下来没有
_WHICH_OR_WHOSE = re.compile(r"全部|所有|全体|相关|有关|上述|现有|原有|单位|.里")
_PLACES = re.compile(
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南"
    "|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
    "|石家庄|太原|沈阳|长春|哈尔滨|南京|杭州|合肥|福州|南昌|济南|郑州|武汉|长沙|广州|海口|成都"
    "|贵阳|昆明|西安|兰州|西宁|呼和浩特|南宁|拉萨|银川|乌鲁木齐|深圳|东莞|苏州|无锡|常州|宁波"
    "|温州|青岛|大连|厦门|佛山|唐山|徐州|南通|烟台|潍坊|泉州|珠海|中山|惠州|嘉兴|绍兴|金华|台州"
    # the other prefecture-level cities, less those whose names are everyday words too (朝阳,
    # 北海, 白银, 来宾, 长治, 安康, 大同, 日照, 普洱, 河源, 开封, 黄山, 天水) or
    # run into other words (境内江河: 内江)
    "|湖州|衢州|舟山|丽水|扬州|镇江|泰州|盐城|淮安|宿迁|连云港|芜湖|蚌埠|淮南|马鞍山|淮北|铜陵"
    "|安庆|滁州|阜阳|宿州|六安|亳州|池州|宣城|景德镇|萍乡|九江|新余|鹰潭|赣州|吉安|宜春|抚州|上饶"
    "|淄博|枣庄|东营|济宁|泰安|威海|临沂|德州|聊城|滨州|菏泽|洛阳|平顶山|安阳|鹤壁|新乡|焦作|濮阳"
    "|许昌|漯河|三门峡|南阳|商丘|信阳|周口|驻马店|保定|张家口|承德|沧州|廊坊|衡水|邢台|邯郸|秦皇岛"
    "|阳泉|晋城|朔州|晋中|运城|忻州|临汾|吕梁|包头|乌海|赤峰|通辽|鄂尔多斯|呼伦贝尔|巴彦淖尔"
    "|乌兰察布|鞍山|抚顺|本溪|丹东|锦州|营口|阜新|辽阳|盘锦|铁岭|葫芦岛|四平|辽源|通化|松原|白城"
    "|延边|齐齐哈尔|鸡西|鹤岗|双鸭山|大庆|伊春|佳木斯|七台河|牡丹江|绥化|黄石|十堰|宜昌|襄阳|鄂州"
    "|荆门|孝感|荆州|黄冈|咸宁|随州|恩施|株洲|湘潭|衡阳|邵阳|岳阳|常德|张家界|益阳|郴州|永州|怀化"
    "|娄底|三明|莆田|南平|龙岩|宁德|漳州|韶关|汕头|江门|湛江|茂名|肇庆|梅州|汕尾|阳江|清远|潮州"
    "|揭阳|云浮|柳州|桂林|梧州|钦州|防城港|贵港|玉林|百色|贺州|河池|崇左|三亚|儋州|自贡|攀枝花"
    "|泸州|德阳|绵阳|广元|遂宁|乐山|南充|眉山|宜宾|广安|达州|雅安|巴中|资阳|六盘水|遵义|安顺"
    "|毕节|铜仁|曲靖|玉溪|保山|昭通|丽江|临沧|宝鸡|咸阳|渭南|延安|汉中|榆林|商洛|嘉峪关|金昌"
    "|武威|张掖|酒泉|平凉|庆阳|定西|陇南|海东|石嘴山|吴忠|固原|中卫|克拉玛依|吐鲁番|哈密"
)

# what only a place's own lists say: which of its streets, firms or sites, where to look it up
_LOCAL_LIST = re.compile(
    r"(哪些|哪几个?|哪个)(街道|区|县|镇|企业|单位|公司|厂|地方|区域)|名单|清单|名录"
    r"|(去|在|到)哪(里|儿)?查|多少(家|张|个企业)"
    # whether a particular site lies within a zone (我们这个镇算不算在里面): the zone's map
    r"|(算不算|在不在)[在到]?(里面|里头|范围内|范围里|之内|以内)"
)

# a place's own rule (上海的装修噪音规定, 江苏省的排放标准): what the national texts leave to it;
# 江苏省能不能制定更严的标准 asks what the national law allows a province, and 广东省的地方排放标准
# names the law's own notion (地方排放标准, made by the province under the law): neither names a
# rule the national texts do not cover
_LOCAL_RULE = re.compile(
    f"({_PLACES.pattern})[省市]?的(?!地方)[^，,。？?！!]{{0,14}}(?:规定|标准|办法|细则|政策|目录|条例)"
    # … or what it rules, said as its act: 广东省规定哪些项目由市级审批
    f"|({_PLACES.pattern})(?:省|市)(?:人民政府)?(?:是怎么|是如何|怎么|如何)?规定"
)
# … and a rule of its own, however it is called: 广东省对拆解企业有没有自己额外的资格条件,
# 广东省有没有自己的规定
_OWN_LOCAL_RULE = re.compile(
    f"({_PLACES.pattern})[省市]?(?:(?:对|关于|在)[^，,。？?！!]{{0,24}}|有没有|有无)"
    "(?:自己|本地|单独|另外|额外|专门|更高|更严)"
    "的?[^，,。？?！!]{0,8}(?:规定|标准|办法|细则|政策|条件|要求|目录|补贴|补助|奖励)"
)
# … and how to reach its own offices: 江苏省环保厅的值班电话, 广东省的披露平台网址是多少
_LOCAL_CONTACT = re.compile(
    f"({_PLACES.pattern})[省市]?[^，,。？?！!的]{{0,6}}的[^，,。？?！!]{{0,12}}"
    "(电话|热线|地址|网址|邮箱|窗口)"
)
# … and what it rules, asked of it: 温州市对水源保护区里游泳是怎么规定的, 广东省对…有什么规定,
# 有啥具体规定; and how it fines: 湖州市对露天焚烧秸秆一般罚多少钱, 杭州市对乱倒的单位是怎么罚的,
# 青岛市在水源保护区里钓鱼要罚多少钱
_HOW_LOCAL_RULE = re.compile(
    f"({_PLACES.pattern})[省市]?(?:那边|这边|当地)?(?:对|关于|在)[^，,。？?！!]{{0,24}}"
    # 是怎么加价收费的, 有啥保护规定: a word or two may come between
    "(?:是?(?:怎么|如何|怎样|咋)[\u4e00-\u9fff]{0,2}?(?:规定|定的|要求|罚|处罚|分配|管|收费|审批)"
    "|有(?:什么|啥|哪些)[\u4e00-\u9fff]{0,4}?(?:规定|要求|补贴|政策)"
    "|罚(?:款)?(?:多少|几)|(?:罚款|处罚)标准|是?提前(?:几|多少))"
)
# … or its own text by name: 山东省小型农田水利工程验收办法 (the province's, not the national one),
# 温州珊溪水库的保护条例 (a place's own reservoir or river and its rule)
_LOCAL_TEXT_NAMED = re.compile(
    f"({_PLACES.pattern})(?:(?:省|市)(?!的)[\u4e00-\u9fff]{{2,18}}(?:办法|条例|细则|实施方案)"
    "|(?:省|市)?[\u4e00-\u9fff]{2,6}(?:水库|湖|江|河|溪|湾|山)的[\u4e00-\u9fff]{0,6}(?:办法|条例|细则))"
)
# … or a place spoken of as elsewhere (天津那边企业打机井是怎么审批的, 杭州西湖那边), or set beside
# another (杭州市的河道管理范围是怎么划定的，跟宁波一样吗): its own practice is asked
_PLACE_ELSEWHERE = re.compile(
    f"(?<![在到去])({_PLACES.pattern})[\u4e00-\u9fff]{{0,4}}?(?:那边|那里|那儿)[^，,。？?！!]{{0,16}}"
    "(?:是?(?:怎么|如何|咋)(?:规定|定的|要求|罚|处罚|审批|批|管|办)"
    "|有(?:什么|啥)[\u4e00-\u9fff]{0,4}?(?:规定|要求|政策))"
    f"|({_PLACES.pattern})[省市]?的[^，,。？?！!]{{0,16}}[，,]?(?:跟|和|与)(?:{_PLACES.pattern})[省市]?"
    "(?:一样|相同|有什么不同|有啥不同|有区别|比)"
    # … or its own way of doing a thing, asked with 是…的: 深圳市调整水价的听证会是怎么组织的
    f"|(?<![在到去])({_PLACES.pattern})[^，,。？?！!]{{0,20}}?的[^，,。？?！!]{{0,8}}是(?:怎么|如何|怎样)"
    "(?:组织|划定|确定|规定|审批|处罚|罚|定)的"
    # … or what its rules require, asked after the case told: 江苏那边计量设施坏了，规定几天内报告;
    # 江苏那边是省里批还是市里批，咋分工的
    f"|(?<![在到去])({_PLACES.pattern})[\u4e00-\u9fff]{{0,4}}?(?:那边|那里|那儿)[^。？?！!]{{0,24}}?"
    "(?:(?:规定|要求)了?(?:几|多少|哪些|什么|啥|多久)"
    "|(?:怎么|如何|咋)(?:分工|划分|规定|审批|批|管|办)的?)"
)
# each names the place it asks about as its first group (``_LOCAL_RULE``'s second form, its second)
_PLACE_S_OWN = (_LOCAL_RULE, _OWN_LOCAL_RULE, _LOCAL_CONTACT, _HOW_LOCAL_RULE, _LOCAL_TEXT_NAMED)
# the asker's own province or city named apart from its rule: 俺在山东，俺们省规定存栏多少头猪;
# 在广东开液化气店，省里具体规定了哪些条件
_OWN_PLACE_RULE = re.compile(
    r"(?:(?:我们|俺们|咱们|咱|本)(?:省|市)|省里|市里)[^，,。？?！!]{0,4}(规定|标准|办法|细则|政策)"
)


# Another field of law or life: wages and contracts, taxes, a company's registration, medicine and
# illness (发烧), renting, marriage, driving, a transfer of title (二手房过户), a child's school
# (转学, 入学), an outing (有啥好玩的), a phone's chats. A question whose asking part names
# one (试用期最长几个月, 个税专项附加扣除怎么填, 注册个公司要办啥手续) asks about rules an
# environmental knowledge base holds only if one of its documents names the thing too; read from
# the asking part, so that background (原股东负责, 同事离职交接出了问题) names nothing. Words that
# environmental questions use too are left out: 出资 (社会资本出资建污水厂) except a
# shareholder's 认缴出资, 超载 and 违章 (渣土车超载遗撒, 违章排污), 罚单.
_OTHER_FIELD = re.compile(
    r"工资|薪水|薪资|试用期|年休假|年假|加班费|社保|五险一金|公积金|工伤|劳动合同|劳动仲裁|补偿金|离职|辞职"
    r"|(?<![乘算交缴])个税(?![额率目])|个人所得税|城建税|城市维护建设税|教育费附加|印花税|消费税|增值税|企业所得税|发票|核定征收|纳税人"
    r"|商标|专利|(认缴|实缴|缴纳)出资|注册资本|工商登记|注销登记|注册(个|一家|家)?[^，,。？?]{0,3}公司"
    r"|疫苗|高血压|糖尿病|吃药|药物|处方|医保|挂号"
    r"|押金|房东|租金|房租|离婚|宅基地|户口|学费|签证|机票|养老金|退休(?!返聘|人员|干部|职工|专家|的)|驾照"
    r"|年终奖|综合所得|过户|车管所|转学|入学|上小学|好玩|发烧|高原反应|聊天记录"
    # a phone of one's own (手机掉进海水里, 手机换号了); not one repaired, recycled or taken apart
    # (修手机, 旧手机, 手机维修店), nor the channel a paper is sent by (发到手机上, 手机号)
    r"|(?<![旧修废])手机(?!维修|回收|拆解|上|号|短信)"
)


# A grade, class or stage a standard defines (第Ⅱ类 一般工业固体废物, 国六, 一级A): documents
# that never use the label say nothing of what it means or when it applies. Matched folded
# (Ⅱ → ii, A → a).
_DESIGNATION = re.compile(
    r"第(?:[ivx]{1,4}|[一二三四五])类|(?<![a-z])[ivx]{1,4}类|[一二]级[ab](?![a-z])"
    # 国六 (not 韩国一家, 中国一直)
    r"|国[一二三四五六七](?![家个些次般起直样定律万千百十条位项])"
    # a firm's qualification grade (资质甲级, 乙级单位)
    r"|[甲乙丙]级"
)


# The other assessments a project goes through besides the environmental one (多评合一): safety,
# energy, soil and water conservation, occupational hazards, geological hazards, social stability.
# A question about one of them asks about rules an environmental knowledge base rarely holds.
_OTHER_ASSESSMENT = re.compile(
    # (环境安全评价, 生物安全评价 are environmental)
    r"(?<!环境)(?<!生物)(安全|节能|水土保持|职业病危害|地质灾害危险性|社会稳定风险|交通影响|洪水影响|压覆矿产资源?)"
    r"(预|控制效果|现状)?(评价|评估|审查|方案|论证)"
    # 能评个先进 is being rated, 哪些情形能评 and 谁能评 ask who or what may be assessed: not the
    # energy assessment
    r"|安评|(?<![性功效形况谁])能评(?=报告|批复|审查|审批|手续|文件|意见|结论|[，,。？?、和与及吗呢都也还等没]|$)"
    r"|稳评"
)


# How rules write an assessment a question names in short or with the other noun (a nuclear rule's
# 定期安全评价 is the 定期安评 asked about; 安全评估 and 安全评价 are one assessment)
_ASSESSMENT_SHORT = {
    "安评": ("安全评价", "安全评估"),
    "能评": ("节能评估", "节能审查"),
    "稳评": ("社会稳定风险评估", "稳定风险评估"),
}
_ASSESSMENT_NOUNS = {"评价": "评估", "评估": "评价"}


def assessment_forms(name: str) -> tuple[str, ...]:
    """The ways a document may write the assessment ``name`` (安评 → 安全评价, 安全评估;
    安全评估 → 安全评价): empty for what is no assessment ``named_subjects`` finds."""
    if name in _ASSESSMENT_SHORT:
        return _ASSESSMENT_SHORT[name]
    if not _OTHER_ASSESSMENT.fullmatch(name) or name[-2:] not in _ASSESSMENT_NOUNS:
        return ()
    return (name[:-2] + _ASSESSMENT_NOUNS[name[-2:]],)


# How rules write a thing of another field a question names in everyday words: a landlord is the
# 出租人 (上海市环境保护条例: 出租人…应当提供承租人的有关信息) or the one who lets (出租…物业，应当
# 明确告知…), rent the 租金.
_FIELD_FORMS = {"房东": ("出租人", "出租"), "房租": ("租金",)}


def field_forms(word: str) -> tuple[str, ...]:
    """The words a rule writes for ``word``, a thing of another field (房东 → 出租人); empty when
    it has no other name."""
    return _FIELD_FORMS.get(word, ())


# 营业执照已经改好了，危废证那边…: a paper the asker says is already seen to is the story, not
# what is asked about
_DONE = re.compile(r"已经|已(?!有|在)|(改|办|换|拿|批|领|做|弄)(好|完|到|下来)了")


def _clause_asks(clause: str) -> bool:
    """Whether a clause (with the mark closing it) asks: a question word or a question mark."""
    return bool(_ASKING.search(clause)) or clause.endswith(("?", "？"))


def _told_as_done(question: str, at: int) -> bool:
    """Whether the clause holding position ``at`` tells something done and asks nothing."""
    start, end = _clause_bounds(question, at)
    clause = question[start : end + 1]
    asks = _clause_asks(clause) or "没有" in clause
    return bool(_DONE.search(clause)) and not asks


# the licence this platform is about, as rules and as people write it
_THE_PERMIT = re.compile("排污许可证|排污证")


def _told_beside_the_permit(question: str, at: int) -> bool:
    """Whether the licence at ``at`` is told in a clause that asks nothing, and another clause
    names the discharge permit: the permit is what the question is about (营业执照是同一个，…
    以为办一个排污证就行，…到底要办几个证; 前年拿的排污证，…上次营业执照过期就吃过亏，…证快到期
    会不会提醒). Another licence named later is no sign: 会不会被掉销许可证 (a slip for 吊销)
    names the same licence again."""
    start, end = _clause_bounds(question, at)
    if _clause_asks(question[start : end + 1]):
        return False
    return bool(_THE_PERMIT.search(question, 0, start) or _THE_PERMIT.search(question, end + 1))


# 我们厂在济宁, 俺家位于: where the asker is, told before the place
_WHERE_ASKER_IS = re.compile(r"(我|俺|咱)[\u4e00-\u9fff]{0,4}(在|位于|地处)$")


def _names_a_licence(before: str) -> bool:
    """Whether the two characters before 许可证 (执照, 牌照) name a kind of licence (取水许可证),
    not a word that acts on one, says which or whose (审核许可证, 全部许可证, 这个许可证)."""
    return not (
        _NOT_A_LICENCE_NAME.intersection(before)
        or _ACTS_ON.fullmatch(before)
        or _WHICH_OR_WHOSE.fullmatch(before)
    )


def named_subjects(question: str) -> list[tuple[str, ...]]:
    """The licences, places, grades and other assessments (安评, 水土保持方案) a question names,
    each as the words that name it together (取水许可证 → 取水 + 许可证: a law may write
    从事经营活动…取得许可证 for 经营许可证)."""
    licences = [
        (m.group(0)[:2], m.group(1)) if m.group(1) else (m.group(0),)
        for m in _LICENCE.finditer(question)
        if (not m.group(1) or _names_a_licence(m.group(0)[:2]))
        and not _told_as_done(question, m.start())
        and not _told_beside_the_permit(question, m.start())
        # 除了营业执照，环保上要装什么设备: the paper set aside is not the one asked about
        and "除" not in question[max(0, m.start() - 3) : m.start()]
    ]
    # "我们在郑州，排污许可证怎么申请" asks the national rule; "郑州禁燃区包括哪些街道" asks
    # about that place's own list
    if _LOCAL_LIST.search(question):
        # … less where the asker says it is (我们厂在济宁，…沿线到底指哪些地方)
        places = [
            (m.group(0),)
            for m in _PLACES.finditer(question)
            if not _WHERE_ASKER_IS.search(question, 0, m.start())
        ]
    else:  # 我们是绍兴一家厂…查查浙江的规定: the rule asked is 浙江's, 绍兴 is where the asker is
        places = [
            (m.group(1) or m.group(2),) for rule in _PLACE_S_OWN for m in rule.finditer(question)
        ]
        places += [(next(filter(None, m.groups())),) for m in _PLACE_ELSEWHERE.finditer(question)]
        if not places and _OWN_PLACE_RULE.search(question):
            places = [(p,) for p in _PLACES.findall(question)]
    grades = [(g,) for g in _DESIGNATION.findall(question)]
    assessments = [(m.group(0),) for m in _OTHER_ASSESSMENT.finditer(question)]
    # read where the question asks: 我是…EHS主管 (background) names no subject
    # … less the asker's introduction: 我们公司是做疫苗研发的，…预案交给哪一级 asks no vaccine
    asking = _SELF_INTRODUCTION.sub("", asked_part(question))
    acronyms = [
        (m.group(0).upper(),)
        for m in _LATIN_WORD.finditer(asking)
        if m.group(0) not in COMMON_LATIN_WORDS
        and not _GLOSSED.match(asking, m.end())
        and not _GLOSS_BEFORE.search(asking, 0, m.start())
    ]
    fields = [(m.group(0),) for m in _OTHER_FIELD.finditer(asking)]
    return list(dict.fromkeys(licences + places + grades + assessments + acronyms + fields))


def is_acronym(subject: str) -> bool:
    """Whether a subject ``named_subjects`` found (its words joined) is a latin word (NDT, ESG)."""
    return bool(_ACRONYM.fullmatch(subject))


def of_another_field(subject: tuple[str, ...]) -> bool:
    """Whether a subject ``named_subjects`` found is a thing of another field of law or life
    (试用期, 个税, 房东) or an everyday paper (身份证, 驾照): what environmental rules name only
    in passing."""
    return len(subject) == 1 and bool(
        _OTHER_FIELD.fullmatch(subject[0]) or _EVERYDAY_PAPER.fullmatch(subject[0])
    )


# 我们公司是做疫苗研发的, 我是做外贸的: who the asker is, told before the question
_SELF_INTRODUCTION = re.compile(
    r"(?:^|(?<=[，,。；;！!]))(?:我|我们|俺|俺们)(?:公司|单位|厂|企业|家)?是(?:做|搞|干|从事)"
    r"[^，,。；;！!？?]{1,12}的(?=[，,。；;！!])"
)


# PIC程序（事先知情同意）: a latin word the asker glosses in Chinese names what the gloss says
# (DSA（Ⅱ类射线装置）: the gloss may start with a class number)
_GLOSSED = re.compile(r"[\u4e00-\u9fff]{0,4}[（(][a-z0-9]{0,3}[\u4e00-\u9fff]{2,}")
# … or glosses first: 事先知情同意（PIC）
_GLOSS_BEFORE = re.compile(r"[\u4e00-\u9fff]{2}[（(]$")


# A latin word (ESG, CMA, MSCI, KTV): a certification, index, body or product, which documents that
# never write it do not cover. Units and pollutants are written in latin letters by everyone and
# named in Chinese by the laws (COD = 化学需氧量): they name no subject of their own. Two letters
# say too little (AI, IT, OK; GB and HJ are standards, ``knowledge.references``).
_LATIN_WORD = re.compile(r"(?<![a-z])[a-z]{3,}(?![a-z])")
# … as ``named_subjects`` names it: the word in capitals
_ACRONYM = re.compile("[A-Z]{3,}")
COMMON_LATIN_WORDS = frozenset(
    "ppm ppb cod bod toc nox voc vocs dcs cems aqi".split()
    # the office software a form is made with (拿Word做还是从平台上导) is no subject either
    + "word excel wps pdf ppt".split()
    # … nor the asker's job (俺们EHS平时填报…, 我是HSE主管): environment, health and safety staff
    + "ehs hse".split()
)


# A particular firm or project (某新材料有限公司, 隔壁那家印染厂) and whether something has already
# happened to it (是否已获批复, 是不是已经过期): that party's record, which no law or plan holds.
_PARTICULAR_PARTY = re.compile(
    r"某[\u4e00-\u9fff]{0,12}(公司|厂|企业|项目|集团)"
    # … or by a placeholder for its name: XX鹿业养殖公司, ××化工厂
    r"|(xx|××|某某)[\u4e00-\u9fff]{0,12}(公司|厂|企业|项目|集团)"
    # a group by its name: 华东能源集团 (not 企业集团, 集团公司 in general)
    r"|[\u4e00-\u9fff]{2,8}(?<!企业)(?<!这个)(?<!那个)(?<!一个)集团(?!公司)"
    # a project named by its capacity (年产5万吨丙烯酸项目) is one particular project
    r"|年产[0-9.一二三四五六七八九十百千万]+万?(吨|台|套|件|辆)[\u4e00-\u9fff]{0,10}项目"
    # a neighbour named by its trade name: 隔壁宏达化工, 对面那家华兴实业
    r"|(隔壁|那家|对面|附近|别人家)[\u4e00-\u9fff]{0,8}(公司|厂|企业|项目|化工|实业|集团|科技|股份"
    r"|店|馆)"
    # a firm by its registered name: 绿源环保科技有限公司; one firm somewhere: 江苏一家化工公司
    r"|[\u4e00-\u9fff]{2,12}有限(责任)?公司|(?<![是有])一家[\u4e00-\u9fff]{0,8}(公司|厂|企业)"
    # a firm by a place and its name: 浙江龙盛集团, 北京金隅红树林环境技术公司, and one
    # asked about by its short name (上海石化是不是在名录里)
    f"|(?:{_PLACES.pattern})(?:(?!的|一家|这家|那家|有没有)[\u4e00-\u9fff]){{2,10}}"
    # … or by its trade (唐山瑞丰钢铁, 江西铜业德兴铜矿)
    "(集团|股份|公司|钢铁|化工|电厂|矿业|铜矿|煤矿|水泥|制药|印染|医院)"
    f"|(?:{_PLACES.pattern})[\u4e00-\u9fff]{{2,3}}(?=是不是|是否|有没有|现在|目前|最近)"
    # a project or a reservoir by its own name: 镇海炼化扩建项目, 南湖水库水源地
    r"|(?:(?!这|那|该|本|某|个|一)[\u4e00-\u9fff]){2,8}(?:扩建|新建|改扩建|技改|一期|二期|三期|一体化)项目"
    # a works by its name and trade (红星机械厂), a plant's numbered unit (田湾核电站7号机组)
    r"|(?<![这那该本某个一])(?!我们|咱们|俺们|你们|他们|我家|俺家|小型|大型|新建|老的)[\u4e00-\u9fff]{2}"
    r"(?:机械|化工|钢铁|造纸|印染|电镀|制药|纺织|水泥|化肥|冶炼)厂"
    r"|[\u4e00-\u9fff]{2,4}(?:核电站|核电厂|电厂|电站)[0-9一二三四五六七八九十]+号机组"
    # a place's works by its name (宁波北区污水处理厂), a nuclear plant by its name (大亚湾核电站)
    f"|(?:{_PLACES.pattern})[\u4e00-\u9fff]{{1,6}}(?:污水处理厂|自来水厂|水厂|焚烧厂|填埋场|处置中心)"
    # … a place's building or structure by its name (上海中心大厦, 杭州湾跨海大桥)
    f"|(?:{_PLACES.pattern})[\u4e00-\u9fff]{{1,6}}(?:大厦|大楼|大桥|隧道|机场|火车站)"
    r"|(?<![这那该本某个一的])(?!附近|周边|当地|本地|我们|俺们|咱们|省内|国内|国外|沿海|民用|现有|新建"
    r"|在建|运行|大型|小型)(?:(?![几个座家过的了和与及省市])[\u4e00-\u9fff]){2,3}(?:核电站|核电厂)"
    r"|(?:(?!这|那|该|本|某|个|一)[\u4e00-\u9fff]){2,4}水库(?=水源|饮用水|的)"
    # a person named by surname and 某, as case reports name them: 执法人员李某, 王某某
    r"|(?<=[员长板理人子工机])[王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许沈曾彭吕苏卢蒋蔡"
    r"贾丁魏薛叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷钱汤尹]某"
    # a firm by its short trade name, then what befell it: 万华化学今年申报的, 华丰化工被举报
    r"|(?<![\u4e00-\u9fff])(?!企业|我们|咱们|俺们|你们|他们|国有|民营|大型|小型|本地|外地)"
    r"[\u4e00-\u9fff]{2}(化工|化学(?!品|物质)|钢铁|实业|集团|股份|制药|炼化|石化)"
    r"(?=今年|去年|上个?月|最近|被|申报|报的|的)"
)
# whether an authority has done something to it; 某企业…是否已构成违法 asks what the law says of
# a case, and 某企业排污许可证已经过期，还能排污吗 states the case as its premise
_RECORD = re.compile(
    r"(是否已经?|是不是已经|有没有)(被|获|获得|取得|通过|批|拿到|办|过期|到期|注销|吊销|撤销|列入|列进|纳入|进|停产"
    r"|关停|罚)"
    # where its case stands now: 现在解封了没有, 限产决定现在解除了没有; how it was graded (那次爆炸
    # 最后被定成了几级)
    r"|(现在|目前)[^，。？?]{0,8}了(没有|没|吗)|被(定|评|认定|划|核定)(成|为)了?(几|哪)"
    # how it runs now, how its last check came out: 现在运行正常吗, 现在每天能处理多少万吨,
    # 最近一次水质检测合格吗
    r"|(现在|目前)[^，。？?]{0,10}(正常|合格|达标|(?<!好)多少|(?<!好)几)[^，。？?！!]{0,6}([？?]|$)"
    r"|最近一次[^，。？?]{0,12}(合格|达标|通过|结果)"
    # how far its case has gone: 现在审到哪一步了, 处理到哪一步了
    r"|(审|审批|批|处理|办|查|走)到哪一?步"
    # how its case came out: 被举报以后环保局的处理结果是什么, 去年的监督检查结论是什么
    r"|(处理|处罚|检查|调查|审查|评估)(结果|结论)(是什么|是啥|如何|怎么样)"
    # why its case went as it did: 那家造纸厂被关停，是不是因为水源地的要求
    r"|被[^，。？?]{0,4}(关停|查封|处罚|罚款|吊销|通报)[^？?]{0,6}(是不是因为|是因为|为什么|为啥|什么原因)"
    # still under a measure, or on a list: 是不是还在被按日连续处罚, 是不是在重点排污单位名录里
    r"|(是不是|是否)(还在|正在)被|(是不是|是否)(还)?在[^，。？?]{0,12}(名录|名单|清单)(里|中|上)"
    r"|(批|批复|办|证|登记|备案)下来了?(吗|没)|(到期|过期)了?没有?[？?]?$|(现在|目前)?还有效(吗|么|不)"
    r"|(还在|仍在)有效期(内|里)|(什么时候|啥时候|哪天)(到期|过期)"
    r"|(最后|最终)?(通过|批准|批)了(没有|吗|没)"
    # whether it has got or done a thing yet: 拿到批准没有, 做完备案了没有
    r"|(拿到|取得|获得|做完|办完|完成|通过|验收|备案)[^，。？?]{0,6}了?(没有|没)[？?]?$"
    # … whatever the thing: 厂区外的排污口封堵了没有, 游船现在是不是已经全部换成电动的了
    r"|[\u4e00-\u9fff]了(没有|没)[？?]?$|(是不是|是否)已经[^，。？?]{0,16}了[？?]?$"
    # what it holds: 有限公司有没有废家电拆解的资质 (at the question's end)
    r"|有没有[^，。？?]{0,10}(资质|许可证|经营许可)[？?]?$"
    # how its case ended: 那个案子最后怎么判的
    r"|(最后|最终)(是)?(怎么|咋|如何)(判|处理|处罚|罚)的"
    # what it holds now: 现在有没有危废经营许可证
    r"|(现在|目前)(有没有|是否有|还有没有)[^，。？?]{0,8}(许可证|资质|证书)"
    # what its own report or records say: 某集团年度报告里写的排放量是多少
    r"|(报告|年报|数据|台账|记录)(里|中|上)(写|填|报|记)的"
)


# how much someone was fined (中海油某平台去年因为漏油被罚了多少钱, 那件事最后罚了几万): a fine
# already imposed is a case's, whoever the party; a law says what may be imposed (会罚多少).
# 被罚了几千块，还要整改吗 tells the asker's own fine and asks something else.
_FINE_IMPOSED = re.compile(r"罚了多少|罚了几[^，,。？?！!]{0,4}([？?]|$)")
# whether someone has been sanctioned (被城管处罚过没有, 去年有没有因为烧秸秆被处罚, 最近因为
# 扬尘被罚了吗): a past case, whoever the party, asked in the question's last clause; 以前被罚过
# 的企业还能申请吗 and 去年被罚了，今年再犯会怎样 tell one and ask the law
_SANCTIONS = "处罚|罚款|罚|查处|吊销|关停|查封|通报"
_LATELY = "(去年|前年|上个?月|上半年|下半年|最近|近期|前段时间|之前|今年)"
_IN_CLAUSE = "[^，,。；;]"
_SANCTIONED_BEFORE = re.compile(
    f"({_SANCTIONS}|曝光)过(没有|吗|没|么){_IN_CLAUSE}{{0,3}}$"
    # … asked by a particle at the end, or by 有没有 / 是不是 after the time
    f"|{_LATELY}{_IN_CLAUSE}{{0,14}}被{_IN_CLAUSE}{{0,6}}({_SANCTIONS})"
    f"{_IN_CLAUSE}{{0,6}}(吗|没有|没|么|了){_IN_CLAUSE}{{0,2}}$"
    f"|{_LATELY}(有没有|是不是|是否){_IN_CLAUSE}{{0,14}}被{_IN_CLAUSE}{{0,6}}({_SANCTIONS})"
    f"{_IN_CLAUSE}{{0,6}}$"
)


def asks_a_party_s_record(question: str) -> bool:
    """Whether the question asks what has become of a particular firm or project."""
    return bool(
        (_PARTICULAR_PARTY.search(question) and _RECORD.search(question))
        or _FINE_IMPOSED.search(question)
        or _SANCTIONED_BEFORE.search(question.rstrip("？?！!。 "))
    )


# What a list or catalogue holds (名录里都有哪些企业, 按分类管理名录是报告表还是登记表): a law
# names the list and who draws it up; its entries are in the list itself. 名录中的企业应当采取哪些
# 措施 asks the law's duty for what is listed, not the entries.
_LIST_CONTENTS = re.compile(
    # 河道名录里具体都有哪几条河: the entries counted by their measure word too
    r"(名录|清单|目录)(里|中|内|上)(具体)?(都|还|一共)?(有|包括|列了|列有|是)"
    r"(哪些|什么|啥|哪几[条个家项种座处所片块])"
    r"|(名录|清单|目录)》?(里|中|内|上)?[^。？?]{0,12}(算不算|属不属于|属于哪|算[^。？?]{0,8}还是)"
    r"|(按|按照|根据|依据)[^,，。？?]{0,12}(名录|清单|目录)[^。？?]{0,12}"
    r"(还是|算不算|属不属于|属于哪)"
    # 新污染物清单有哪些物质, 分类名录2019版里，哪些行业属于简化管理 (not 名录管理办法里有哪些规定)
    r"|(名录|清单|目录)(有|包括|包含|列了|列有|含有|收录了?)(哪些|什么|啥)"
    r"(?!关|区别|联系|影响|用|作用)"
    r"|(名录|清单|目录)(?!管理|办法|规定)[^。？?，,]{0,8}(里|中|内|上)[，,]?(都|还|一共)?有?(哪些|什么|啥)"
    # 推荐名录中目前推荐的替代品具体有哪些, 分类目录将医疗废物划分为哪几类 (not 名录里的企业有哪些
    # 义务: the law's duty for what is listed)
    r"|(名录|清单|目录)(里|中|内|上)[^。？?，,]{0,16}(有|包括|是)"
    r"(哪些|什么|啥)(?!义务|责任|要求|措施|规定|权利|事|工作|程序|手续)"
    r"|(名录|清单|目录)[^。？?，,]{0,12}(划分为|分为|分成)(哪|几)"
    # 名录里有没有穿山甲
    r"|(名录|清单|目录)(里|中|内|上)(有没有|有无|是否有)"
)
LIST_WORDS = ("名录", "清单", "目录")


def asks_what_a_list_holds(question: str) -> bool:
    """Whether the question asks for the entries of a list, catalogue or directory."""
    return bool(_LIST_CONTENTS.search(question))


_LIST_NAMED = re.compile(r"([\u4e00-\u9fff]{0,10})(名录|清单|目录)")


def lists_named(question: str) -> list[str]:
    """The lists a question names, each with up to ten characters before its kind (重点单位名录,
    新污染物清单; a bare 名录 when nothing comes before it)."""
    return [m.group(0) for m in _LIST_NAMED.finditer(question)]


def answer_fit(intents: list[Intent], sentence: str) -> float:
    """Share of the question's intents that the sentence has the shape of an answer to (0..1)."""
    if not intents:
        return 0.0
    return sum(1 for intent in intents if _has_answer_shape(intent.answers, sentence)) / len(
        intents
    )


@lru_cache(maxsize=1 << 16)
def _has_answer_shape(answers: re.Pattern[str], sentence: str) -> bool:
    """Remembered: the same passages are asked again and again (shape, lift, refusal), and a
    passage's text is a long string the patterns scan from its start each time."""
    # 听证举行的７日前 gives days too
    return answers.search(sentence.translate(_HALF_WIDTH_DIGITS)) is not None


_HALF_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
