"""Every user-facing string of the WeChat channel, in one place (plain text: WeChat shows
``<a href>`` links in text replies, nothing else of HTML)."""

from __future__ import annotations

from bot.texts import EXAMPLE_QUESTIONS, MAX_QUESTION_CHARS  # noqa: F401 — the same as Telegram

# A passive text reply carries at most 2048 bytes of UTF-8; keep a margin for the XML escaping.
MAX_REPLY_BYTES = 2000

WELCOME = (
    "您好，欢迎关注排污许可问答助手！\n\n"
    "直接发送文字或语音提问，我会从知识库中查找答案并注明依据的条款，例如：\n{examples}\n\n"
    "菜单：常见问题、典型案例、每日一练、绑定账号。\n"
    "发送“帮助”查看全部用法。"
)
HELP = (
    "使用帮助\n"
    "• 直接提问（不超过 {max_chars} 字），可以接着上一问追问；\n"
    "• 回答后列出的编号问题，回复数字即可查看；\n"
    "• 练习：发送“练习”出一道题，回复选项字母作答（需先绑定平台账号）；\n"
    "• 绑定排污单位：发送“绑定 统一社会信用代码 绑定码”（绑定码在单位账号登录后的“微信绑定”页）；\n"
    "• 绑定平台账号：发送“绑定账号 关联码”（关联码在登录后的“微信绑定”页）；\n"
    "• 发送“解绑”解除全部绑定。\n"
    "常见问题：{base}/faq  典型案例：{base}/cases"
)
NUMBER_HINT = "回复 {numbers} 查看"
SUGGESTIONS_HEADING = "您是不是想问："
CITATION_HEADING = "📖 依据："
CUT_NOTE = "…（回答较长，完整内容见链接）"
FAQ_LINK = '常见问题原文：<a href="{url}">{url}</a>'
FULL_ANSWER_LINK = '<a href="{url}">查看完整回答、出处并评价 👍/👎</a>'
NO_SUCH_SUGGESTION = "没有第 {number} 条推荐问题。请直接输入您的问题。"
NOT_SUPPORTED = (
    "抱歉，目前只能处理文字和语音消息（图片、位置、链接、文件等暂不支持）。请用文字描述您的问题。"
)
VOICE_UNRECOGNISED = "抱歉，没能识别这段语音，请再说一遍或改用文字提问。"
RATE_LIMITED = "您发送得有点快，请稍等一分钟再继续提问，谢谢理解！"
ERROR = "抱歉，处理您的消息时出现了问题，请稍后再试。"

FAQ_MENU_HEADING = "常见问题（点击链接查看答案与依据）："
FAQ_MENU_EMPTY = "常见问题正在整理中，您可以直接提问。"
FAQ_MENU_MORE = '全部常见问题：<a href="{url}">{url}</a>'
CASES_MENU_HEADING = "典型案例："
CASES_MENU_EMPTY = "典型案例正在整理中。"
CASES_MENU_MORE = '全部典型案例：<a href="{url}">{url}</a>'

BIND_HELP = (
    "绑定排污单位：发送“绑定 统一社会信用代码 绑定码”，"
    "绑定码由单位账号登录平台后在“微信绑定”页查看。\n"
    "绑定平台账号（工作人员、单位用户练习题目用）：发送“绑定账号 关联码”，"
    "关联码同样在“微信绑定”页查看。\n"
    "微信绑定页：{url}"
)
BIND_USAGE = "格式：绑定 统一社会信用代码 绑定码（例如：绑定 91320500MA1234567X 8K3D2Q7F）"
BIND_BAD_CODE = "绑定码不正确或已过期，请在平台“微信绑定”页查看最新的绑定码。"
BIND_DONE = "已绑定排污单位：{name}（{region}）。此后您的提问会送到属地生态环境部门整理。"
BIND_REPLACED = "已改为绑定排污单位：{name}（{region}），原绑定的“{previous}”已解除。"
LINK_USAGE = "格式：绑定账号 关联码（关联码在平台“微信绑定”页查看，15 分钟内有效）"
LINK_INVALID = "关联码不正确，请在平台“微信绑定”页重新获取。"
LINK_EXPIRED = "关联码已过期，请在平台“微信绑定”页重新获取。"
LINK_DONE = "已关联平台账号：{name}。现在可以发送“练习”做题，错题会记入您的错题本。"
UNBOUND = "已解除本微信号的全部绑定。"
NOTHING_BOUND = "本微信号还没有绑定排污单位或平台账号。"

PRACTICE_NEEDS_ACCOUNT = (
    "练习题目需要先关联平台账号，错题才能记入您的错题本。\n"
    "请登录平台打开“微信绑定”页，把关联码按“绑定账号 关联码”发给我：{url}"
)
PRACTICE_QUESTION = "【{kind}题】{stem}\n{options}\n\n回复选项字母作答{multi}。发送“退出练习”结束。"
PRACTICE_MULTI = "（多选题请回复全部正确选项，如 AC）"
PRACTICE_RIGHT = "✅ 回答正确！"
PRACTICE_WRONG = "❌ 回答错误，您选了 {choice}，已记入错题本。"
PRACTICE_KEY = "正确答案：{answer}"
PRACTICE_EXPLANATION = "解析：{explanation}"
PRACTICE_SOURCE = "出处：{source}"
PRACTICE_NEXT = "发送“练习”再来一题。"
PRACTICE_STOPPED = "已结束练习。"

# Words a follower types instead of a question.
HELP_WORDS = ("帮助", "help", "?", "？", "菜单")
PRACTICE_WORDS = ("练习", "每日一练", "答题", "出题")
STOP_PRACTICE_WORDS = ("退出练习", "结束练习")
UNBIND_WORDS = ("解绑", "解除绑定")
FAQ_WORDS = ("常见问题",)
CASES_WORDS = ("典型案例",)

MENU_TOO_FEW_SETTINGS = "发布菜单需要设置 PERMITHUB_WECHAT_APP_ID 和 PERMITHUB_WECHAT_APP_SECRET。"
MENU_PUBLISHED = "已发布公众号菜单（{count} 个按钮）。"
MENU_FAILED = "发布菜单失败：{reason}"
