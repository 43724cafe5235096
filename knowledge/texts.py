"""User-facing Chinese strings of the knowledge domain, kept in one place."""

EMPTY_QUESTION = "请输入您的问题"
QUESTION_TOO_LONG = "问题太长了，请精简到 {limit} 个字以内"
REFUSAL = (
    "抱歉，知识库中暂时没有关于这个问题的确切答复，为避免误导，我们不作推测。"
    "建议您咨询当地生态环境局（排污许可主管部门）获取准确答复。"
)
BASIS = "依据：{basis}"
QUOTE = "根据{where}：\n“{text}”"
MEASURE_LABEL = "具体工作措施第{measure}条"
MEASURE_FACTS = "完成时限：{deadline}；责任部门：{departments}。"
UNKNOWN = "未注明"
SUGGEST_MEASURE = "措施{measure}（{text}）是怎么规定的？"
SUGGEST_SECTION = "{section}有哪些要求？"
SUGGESTIONS_LEAD = "您是不是想问："
LOG_NOT_FOUND = "没有找到这条问答记录"
FAQ_NOT_FOUND = "问答条目不存在"
FILE_NOT_FOUND = "找不到文件“{path}”"
UNSUPPORTED_FILE = "不支持的文件类型“{name}”：请上传 .txt、.md、.docx、.pdf，或问答表 .csv/.xlsx"
RATE_LIMITED = "提问过于频繁，请稍后再试"
BAD_JSON = '请求体不是合法的 JSON，应为 {"question": "您的问题"}'
QUESTION_NOT_TEXT = "question 应为文本"
