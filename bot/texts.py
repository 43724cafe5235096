"""Every user-facing string of the chat channels (Telegram and the web chat page), in one place.

Strings that end up in Telegram's HTML parse mode may contain our own tags; anything that comes
from users or documents is escaped before it is put into them (see ``bot.formatting``).
"""

from __future__ import annotations

# The question limit of every channel is the knowledge base's own (also /api/ask's schema).
from knowledge.schemas import MAX_QUESTION_CHARS as MAX_QUESTION_CHARS

# (command, description) in the order of Telegram's command menu (setMyCommands).
COMMANDS: list[tuple[str, str]] = [
    ("start", "开始使用：功能介绍与提问示例"),
    ("help", "使用帮助"),
    ("bind", "绑定排污单位：/bind 统一社会信用代码"),
    ("unbind", "解除与排污单位的绑定"),
    ("quiz", "练一道排污许可知识题"),
    ("contest", "查看可参加的知识竞赛"),
    ("courses", "查看适合我的培训课程"),
    ("progress", "我的培训进度与法定代表人培训情况"),
]
# Not in the public command menu: only linked admins can use them.
ADMIN_COMMANDS: list[tuple[str, str]] = [
    ("remind", "管理员：本辖区法定代表人尚未培训的单位名单（与提醒邮件相同）"),
]

EXAMPLE_QUESTIONS = [
    "法定代表人培训什么时候要全覆盖？",
    "现场审核比例有什么要求？",
    "限期整改“清零行动”的完成时限是什么？",
]

START = (
    "您好！我是 <b>PermitHub 排污许可问答助手</b>。\n\n"
    "我可以：\n"
    "• 回答排污许可相关问题，并注明依据的文件、条款、完成时限和责任部门；\n"
    "• /quiz 出一道练习题，/contest 查看知识竞赛；\n"
    "• /courses 查看培训课程，/progress 查看培训进度；\n"
    "• /bind 统一社会信用代码 绑定您的排污单位。\n\n"
    "直接发送文字提问即可，例如：\n{examples}"
)

HELP = (
    "<b>使用帮助</b>\n\n"
    "直接发送问题（不超过 {max_chars} 字），我会从知识库中查找答案并注明出处。"
    "每条回答下方可以点 👍 或 👎 告诉我们是否有帮助。\n\n"
    "<b>命令</b>\n{commands}\n\n"
    "在群组中，请 @我 或回复我的消息来提问。\n"
    "工作人员：登录网页打开“智能问答”页，把页面上的 /start 关联命令发给我，即可关联平台账号。"
)

TOO_LONG = "您的问题有 {length} 字，超过了 {max_chars} 字的上限。请精简后再发送，谢谢！"
EMPTY_QUESTION = "请输入您的问题。"
NOT_TEXT = (
    "抱歉，我目前只能阅读文字消息，暂时无法处理图片、贴纸、语音或文件。请用文字描述您的问题。"
)
RATE_LIMITED = "您发送得有点快，请稍等一分钟再继续提问，谢谢理解！"
ERROR = "抱歉，处理您的请求时出现了问题，请稍后再试。如问题持续，请联系平台管理员。"
ANSWER_SERVICE_UNAVAILABLE = "抱歉，问答服务暂时不可用，请稍后再试。"

CITATION_HEADING = "依据"
SOURCE_MEASURE = "措施{measure}"
SOURCE_DEADLINE = "完成时限：{deadline}"
SOURCE_DEPARTMENTS = "责任部门：{departments}"
SUGGESTIONS_HEADING = "您是不是想问："
CONFIDENCE = "置信度 {percent}%"

FEEDBACK_HELPFUL = "👍 有帮助"
FEEDBACK_UNHELPFUL = "👎 没帮助"
FEEDBACK_THANKS = "感谢您的反馈！"
FEEDBACK_ALREADY = "您已经评价过这条回答了。"
FEEDBACK_GONE = "这条回答已无法评价。"
SUGGESTION_GONE = "这个建议已失效，请直接输入您的问题。"

BIND_USAGE = "用法：/bind 统一社会信用代码（18位），例如 /bind 91320500MA1XXXXXXX"
BIND_INVALID = "无法绑定：{problem}。"
BIND_UNKNOWN = "排污单位名录中没有统一社会信用代码为 {code} 的单位，请核对后再试。"
BIND_DONE = "已绑定排污单位：<b>{name}</b>（{code}，{province}{city}，{category}）。"
BIND_REPLACED = "（原绑定的 {previous} 已解除）"
UNBIND_DONE = "已解除与 <b>{name}</b> 的绑定。"
UNBIND_NONE = "您尚未绑定排污单位。发送 /bind 统一社会信用代码 进行绑定。"

QUIZ_UNAVAILABLE = "题库暂时没有可练习的题目，请稍后再试。"
QUIZ_HEADER = "<b>练习题</b>（{kind}）"
QUIZ_MULTI_HINT = "（多选题：点选所有正确选项后按“提交”）"
QUIZ_SUBMIT = "提交"
QUIZ_NEXT = "再来一题"
QUIZ_PICK_ONE = "请至少选择一个选项"
QUIZ_CORRECT = "✅ 回答正确！"
QUIZ_WRONG = "❌ 回答错误。正确答案：{answer}"
QUIZ_YOUR_CHOICE = "您的选择：{choice}"
QUIZ_EXPLANATION = "<b>解析</b>：{explanation}"
QUIZ_SOURCE = "出处：{source}"
QUIZ_GONE = "这道题已不可用，发送 /quiz 换一道。"
QUIZ_NOT_LINKED = (
    "练习需要先关联平台账号（答题按账号记录，错题记入个人错题本）："
    "请登录网页，在“智能问答”页获取关联命令后发给我。"
)

LINK_DONE = (
    "已关联平台账号 <b>{name}</b>（{role}）。"
    "现在可以用 /contest、/courses、/progress 查看您的竞赛和培训。"
)
LINK_INVALID = "关联码无效，请在网页“智能问答”页重新获取。"
LINK_EXPIRED = "关联码已过期（有效期 15 分钟），请在网页“智能问答”页重新获取。"
WEB_LINK_HEADING = "在 Telegram 中使用"
WEB_LINK_HELP = (
    "在 Telegram 中向机器人发送下面的命令（15 分钟内有效），"
    "即可用机器人查看您的竞赛、课程和培训进度："
)
WEB_LINKED = "您的账号已关联 Telegram。"
WEB_UNLINK = "解除关联"

NOT_LINKED = (
    "这个 Telegram 账号还没有关联平台账号或排污单位。"
    "工作人员请登录网页，在“智能问答”页获取关联命令；"
    "企业用户请发送 /bind 统一社会信用代码 绑定排污单位。"
)
CONTEST_NONE = "目前没有向您开放的竞赛。"
CONTEST_HEADING = "<b>可参加的竞赛</b>"
CONTEST_LINE = "• <b>{title}</b>（{kind}，{state}，{opens} 至 {closes}）\n  参加：{url}"
CONTEST_UNAVAILABLE = "竞赛功能暂未开放。"
COURSES_NONE = "目前没有适合您的课程。"
COURSES_HEADING = "<b>适合{who}的课程</b>"
COURSES_AUDIENCE = "\n<b>{audience}</b>"
COURSE_LINE = "• 【{kind}】{title}（{credits:g} 学分{year}）{state}\n  {url}"
COURSE_DONE = " ✅ 已完成"
COURSE_ENROLLED = " 📖 学习中"
PROGRESS_HEADING = "<b>{name}的培训进度</b>"
PROGRESS_NONE = "您还没有报名课程，发送 /courses 查看适合您的课程。"
PROGRESS_LINE = "• {title}：{state}"
PROGRESS_DONE = "已完成（{on}）"
PROGRESS_TEST_PASSED = "考试已通过"
PROGRESS_LEARNING = "学习中"
PROGRESS_CREDITS = (
    "{year} 年学分：必修 {required_done:g}/{required_needed:g}，"
    "选修 {elective_done:g}/{elective_needed:g}{verdict}"
)
PROGRESS_CREDITS_OK = "，已达标 ✅"
PROGRESS_CREDITS_BEHIND = "，尚未达标"
UNIT_HEADING = "<b>{name}</b>（{code}）"
LEGAL_REP_COVERED = "✅ 法定代表人 {name} 已完成法定代表人专题培训（{on}）。"
LEGAL_REP_NOT_COVERED = (
    "⚠️ 法定代表人 {name} 尚未完成法定代表人专题培训，请于 2024 年 12 月前完成（行动计划措施33）。"
)
LEGAL_REP_NOT_KEY = "本单位不是持有效排污许可证的重点管理单位，不计入法定代表人培训覆盖率统计。"

# Web chat page
WEB_PLACEHOLDER = "输入您的问题，例如：法定代表人培训什么时候要全覆盖？"
WEB_FEEDBACK_RECORDED = "已记录您的反馈，谢谢！"

REMIND_ADMINS_ONLY = "/remind 仅供已关联账号的市级、省级和部级管理员使用。"
REMIND_NOTHING = "截至 {day}，您负责的地区没有需要提醒的单位：重点管理单位的法定代表人均已培训。"
