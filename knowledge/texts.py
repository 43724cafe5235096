"""User-facing Chinese strings of the knowledge domain, kept in one place."""

EMPTY_QUESTION = "请输入您的问题"
QUESTION_TOO_LONG = "问题太长了，请精简到 {limit} 个字以内"
QUESTION_NUL = "问题不能包含控制字符（空字符 \\x00）"
REFUSAL = (
    "抱歉，知识库中暂时没有关于这个问题的确切答复，为避免误导，我们不作推测。"
    "建议您咨询当地生态环境局（排污许可主管部门）获取准确答复。"
)
REFUSAL_ABSENT = (
    "知识库中没有收录{references}，无法据此回答，我们不作推测。"
    "建议查阅该标准或文件的正式文本，或咨询当地生态环境局（排污许可主管部门）。"
)
REFUSAL_UNKNOWN_SUBJECT = (
    "知识库收录的法规文件中没有关于“{subjects}”的规定，无法据此回答，我们不作推测。"
    "建议咨询负责该事项的主管部门。"
)
BASIS = "依据：{basis}"
QUOTE = "根据{where}：\n“{text}”"
# the items of a part asked for (支撑保障包括哪些): its outline, from the titles of its items
OUTLINE = "根据《{title}》，“{part}”包括以下{count}项：\n{items}"
MEASURE_LABEL = "具体工作措施第{measure}条"
MEASURE_FACTS = "完成时限：{deadline}；责任部门：{departments}。"
ITS_MEASURE = "对应的{where}：“{text}”"
UNKNOWN = "未注明"
SUGGEST_MEASURE = "措施{measure}（{text}）是怎么规定的？"
SUGGEST_SECTION = "{section}有哪些要求？"
SUGGEST_ARTICLE = "《{title}》{article}是怎么规定的？"
SUGGESTIONS_LEAD = "您是不是想问："
LOG_NOT_FOUND = "没有找到这条问答记录"
FAQ_NOT_FOUND = "FAQ 条目不存在"
SYNONYM_NOT_FOUND = "同义词条目不存在"
UNKNOWN_MODE = "检索方式只能是 hybrid（混合）、bm25 或 dense（向量）"
FILE_NOT_FOUND = "找不到文件“{path}”"
UNSUPPORTED_FILE = "不支持的文件类型“{name}”：请上传 .txt、.md、.docx、.pdf，或问答表 .csv/.xlsx"
RATE_LIMITED = "提问过于频繁，请稍后再试"
BAD_JSON = '请求体不是合法的 JSON，应为 {"question": "您的问题"}'
QUESTION_NOT_TEXT = "question 应为文本"
BAD_CONVERSATION = "conversation_id 应为 1 到 64 个字符的文本"
