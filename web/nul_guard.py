"""Refuse NUL characters in anything a request carries: its URL, JSON body or form fields.

PostgreSQL cannot hold a NUL (0x00) in text and answers a query that carries one with an error,
not an empty result; no search term, name or answer ever contains one. Checked here, once for
every route (an app-wide dependency, run after FastAPI has read the body), it is a 422 naming
the field instead of a database error deep in whichever service got the text first.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.datastructures import UploadFile

from core.errors import Invalid

NUL = "\x00"
MESSAGE = "不能包含控制字符（空字符 \\x00）"


async def refuse_nul_characters(request: Request) -> None:
    """422 naming the first parameter or field that holds a NUL."""
    where = next(_nul_fields(request), None)
    if where is None:
        where = next(_nul_in_value(await _parsed_body(request), ""), None)
    if where is not None:
        detail = f"{where}: {MESSAGE}" if where else MESSAGE
        raise Invalid(f"提交的内容有误：{detail}", details=[detail])


def _nul_fields(request: Request) -> Iterator[str]:
    for name, value in (*request.path_params.items(), *request.query_params.multi_items()):
        if NUL in name or NUL in str(value):
            yield name.replace(NUL, "")


async def _parsed_body(request: Request) -> object:
    """The JSON or form body FastAPI has already read for the route, else None.

    A route without a declared body reads its own (``/api/ask``, the capped evaluation upload):
    reading it here would skip that route's size cap, so its text is checked by the route.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or route.body_field is None:
        return None
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return {
            name: value.filename if isinstance(value, UploadFile) else value
            for name, value in (await request.form()).multi_items()
        }
    try:
        return await request.json()  # parsed and kept by FastAPI already
    except ValueError:  # not JSON: the route's own validation says so
        return None


def _nul_in_value(value: object, where: str) -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield where
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            if NUL in str(key):
                yield name.replace(NUL, "")
            yield from _nul_in_value(item, name.replace(NUL, ""))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_in_value(item, f"{where}.{index}" if where else str(index))
