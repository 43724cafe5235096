"""The OpenAPI schema describes the errors the app really returns: ``{"detail": "中文说明",
"errors": [...]}`` on 401/403/404/409/422/429, never FastAPI's validation error with a list."""

from __future__ import annotations

import pytest

from core.openapi import XLSX, ErrorResponse

API_ERRORS = {"401", "403", "404", "409", "422", "429"}


@pytest.fixture
def openapi(app) -> dict:
    return app.openapi()


def _operations(openapi: dict):
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/"):
                yield f"{method.upper()} {path}", operation


def test_no_operation_documents_fastapis_list_shaped_validation_error(openapi):
    assert "HTTPValidationError" not in openapi["components"]["schemas"]
    assert "ValidationError" not in openapi["components"]["schemas"]


def test_every_api_error_response_is_the_error_body(openapi):
    wrong = []
    for label, operation in _operations(openapi):
        errors = set(operation["responses"]) & API_ERRORS
        if "422" not in errors:
            wrong.append(f"{label}: 422 not documented")
        for status in errors:
            schema = operation["responses"][status]["content"]["application/json"]["schema"]
            if schema != {"$ref": "#/components/schemas/ErrorResponse"}:
                wrong.append(f"{label} {status}: {schema}")
    assert not wrong, wrong


def test_the_error_body_says_detail_is_text(openapi):
    error = openapi["components"]["schemas"]["ErrorResponse"]
    assert error["properties"]["detail"]["type"] == "string"
    assert error["required"] == ["detail"]


def test_routes_behind_a_login_document_401_with_its_header(openapi):
    me = openapi["paths"]["/api/auth/me"]["get"]["responses"]
    assert "WWW-Authenticate" in me["401"]["headers"]
    assert "Retry-After" in openapi["paths"]["/api/ask"]["post"]["responses"]["429"]["headers"]


def test_a_real_validation_error_matches_the_documented_body(client, make_user, auth_headers):
    response = client.get("/api/courses/abc", headers=auth_headers(make_user("national")))
    assert response.status_code == 422
    body = ErrorResponse.model_validate(response.json())
    assert body.detail.startswith("提交的内容有误") and body.errors == ["course_id: 应为整数"]


@pytest.mark.parametrize(
    "path, media_types",
    [
        ("/api/quiz/questions/export", {"text/csv", XLSX}),
        ("/api/quiz/contests/{contest_id}/histogram.svg", {"image/svg+xml"}),
        ("/api/quiz/certificates/{code}.pdf", {"application/pdf"}),
    ],
)
def test_downloads_document_their_file_type_not_json(openapi, path, media_types):
    assert set(openapi["paths"][path]["get"]["responses"]["200"]["content"]) == media_types


def test_exports_with_a_json_form_document_both(openapi):
    uncovered = openapi["paths"]["/api/coverage/uncovered"]["get"]["responses"]["200"]["content"]
    assert {"application/json", "text/csv"} <= set(uncovered)
    assert "$ref" in uncovered["application/json"]["schema"]
