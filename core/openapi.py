"""What the OpenAPI schema says about errors: the one body every JSON API error has.

``web/main.py`` turns domain errors, validation errors and HTTP errors into
``{"detail": "中文说明", "errors": [...]}``; routers declare the statuses they can answer with
``responses=error_responses(...)`` so the schema documents that body, not FastAPI's default
validation error (whose ``detail`` is a list). A router that declares 422 this way also keeps
FastAPI from adding its own 422 to each route.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ERROR_DESCRIPTIONS = {
    401: "未登录或登录已失效（请求头 Authorization: Bearer <令牌>）",
    403: "没有权限（角色或辖区不符，或网页会话缺少 CSRF 令牌）",
    404: "数据不存在，或不在本辖区内",
    409: "与当前状态冲突（重复、已提交、已截止等）",
    422: "提交的内容有误：errors 逐条说明哪个字段、哪一行",
    429: "请求过于频繁，请稍后再试",
    503: "服务器缺少完成此操作所需的组件（如证书用的中文字体），detail 说明缺什么",
}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "认证方式：Bearer", "schema": {"type": "string"}}},
    429: {
        "Retry-After": {
            "description": "建议等待的秒数",
            "schema": {"type": "integer", "minimum": 0},
        }
    },
}


class ErrorResponse(BaseModel):
    """The body of every error answer of the JSON API."""

    detail: str = Field(description="给人看的中文说明", examples=["请先登录"])
    errors: list[str] = Field(
        default_factory=list,
        description="逐条问题（字段或行号加原因），没有时为空列表",
        examples=[["question_id: 数值太大"]],
    )


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` documenting each status with the ``ErrorResponse`` body (and its headers)."""
    return {
        status: {
            "model": ErrorResponse,
            "description": ERROR_DESCRIPTIONS[status],
            **({"headers": _HEADERS[status]} if status in _HEADERS else {}),
        }
        for status in statuses
    }


def file_responses(*media_types: str, description: str) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a route that answers with a file (CSV, XLSX, SVG, PDF), not JSON."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {200: {"description": description, "content": dict.fromkeys(media_types, binary)}}
