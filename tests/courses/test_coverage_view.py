"""Coverage for real data: the default date, region names, whole-unit ticks, summary exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from core.enterprises.models import Enterprise
from tests.support.registry import load_registry
from web.pages import coverage_pages


@pytest.fixture
def registry(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    return gen


def test_api_without_as_of_uses_newest_training_date_and_says_so(
    client, registry, make_user, auth_headers
):
    admin = make_user("national")
    body = client.get("/api/coverage", headers=auth_headers(admin)).json()
    assert body["as_of_default"] is True
    assert dt.date.fromisoformat(body["as_of"]) <= dt.date(2024, 6, 30)
    assert body["as_of"] in body["as_of_note"]
    assert (
        body["overall"]
        == client.get(f"/api/coverage?as_of={body['as_of']}", headers=auth_headers(admin)).json()[
            "overall"
        ]
    )
    chosen = client.get("/api/coverage?as_of=2024-03-31", headers=auth_headers(admin)).json()
    assert chosen["as_of"] == "2024-03-31" and chosen["as_of_default"] is False


def test_page_defaults_to_data_date_and_says_it(client, registry, make_user, login):
    admin = make_user("national")
    login(admin.username)
    page = client.get("/coverage")
    assert page.status_code == 200
    note = re.search(r'id="as-of-note">([^<]+)<', page.text).group(1)
    assert "最新的培训日期" in note
    day = re.search(r'name="as_of" value="([0-9-]+)"', page.text).group(1)
    assert day in note and day <= "2024-06-30"
    stalled = page.text.count("近三个月无进展")
    today = client.get(f"/coverage?as_of={dt.date.today().isoformat()}").text
    assert stalled < today.count("近三个月无进展")  # at today every region looked stalled
    assert 'class="projection"' in page.text  # the data has recent progress: a projection


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("province=不存在省", "没有名为“不存在省”的省份"),
        ("province=江苏省&city=不存在市", "没有名为“不存在市”的城市"),
    ],
)
def test_unknown_region_is_404_with_chinese_message(
    client, registry, make_user, auth_headers, login, query, message
):
    admin = make_user("national")
    api = client.get(f"/api/coverage?{query}", headers=auth_headers(admin))
    assert api.status_code == 404 and message in api.json()["detail"]
    login(admin.username)
    page = client.get(f"/coverage?{query}")
    assert page.status_code == 404 and message in page.text


def test_short_province_and_city_names_are_accepted(client, registry, make_user, auth_headers):
    admin = make_user("national")
    full = client.get("/api/coverage?as_of=2024-06-30&province=江苏省", headers=auth_headers(admin))
    short = client.get("/api/coverage?as_of=2024-06-30&province=江苏", headers=auth_headers(admin))
    assert short.status_code == 200 and short.json() == full.json()
    city = next(k.split("/")[1] for k in registry.truth["by_city"] if k.startswith("江苏省/"))
    by_short = client.get(
        f"/api/coverage?as_of=2024-06-30&province=江苏&city={city.removesuffix('市')}",
        headers=auth_headers(admin),
    )
    assert by_short.status_code == 200 and by_short.json()["scope"].endswith(city)


def test_summary_export_by_province_and_city(client, registry, make_user, auth_headers):
    admin = make_user("national")
    headers = auth_headers(admin)
    by_province = client.get(
        "/api/coverage/summary?as_of=2024-06-30&level=province&format=csv", headers=headers
    )
    assert by_province.status_code == 200
    rows = list(csv.reader(io.StringIO(by_province.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["省份", "重点管理单位", "已覆盖", "未覆盖"]
    truth = registry.truth["by_province"]
    got = {r[0]: (int(r[1]), int(r[2])) for r in rows[1:-1]}
    assert got == {p: (b["key_units"], b["covered"]) for p, b in truth.items()}
    assert rows[-1][0] == "合计"
    by_city = client.get(
        "/api/coverage/summary?as_of=2024-06-30&level=city&format=xlsx&province=江苏",
        headers=headers,
    )
    sheet = load_workbook(io.BytesIO(by_city.content)).active
    table = list(sheet.iter_rows(values_only=True))
    assert table[1][:2] == ("省份", "城市")
    cities = {
        k.split("/")[1]: v for k, v in registry.truth["by_city"].items() if k.startswith("江苏省/")
    }
    assert {r[1]: (r[2], r[3]) for r in table[2:-1]} == {
        c: (b["key_units"], b["covered"]) for c, b in cities.items()
    }


def test_city_admin_cannot_export_another_province(client, registry, make_user, auth_headers):
    admin = make_user("city", province="江苏省", city="苏州市")
    response = client.get(
        "/api/coverage/summary?province=浙江省&format=csv", headers=auth_headers(admin)
    )
    assert response.status_code == 403


def _axis(svg: str) -> tuple[list[float], dict[float, str]]:
    grid = [float(y) for y in re.findall(r'<line class="grid" x1="[^"]+" y1="([^"]+)"', svg)]
    labels = {
        round(float(y) - 4, 1): text
        for y, text in re.findall(
            r'<text class="axis" x="[^"]+" y="([^"]+)" text-anchor="end">([^<]+)<', svg
        )
    }
    return grid, labels


@pytest.mark.parametrize("key_units", [1, 4, 9, 17, 250, 3001])
def test_chart_gridlines_sit_at_whole_units_and_are_labelled_with_them(key_units):
    from core.regions.scope import RegionScope
    from courses.coverage import Bucket, CoverageReport, Projection

    months = [dt.date(2022, 1, 31), dt.date(2022, 2, 28)]
    covered = min(5, key_units)
    bucket = Bucket(key_units=key_units, covered=covered, monthly=[covered, covered])
    report = CoverageReport(dt.date(2022, 2, 28), RegionScope(), months, bucket, {}, {})
    still = Projection(0.0, None, None, key_units - covered, False, False)
    svg = str(coverage_pages.burnup_svg(report, bucket, still))
    grid, labels = _axis(svg)
    plot_h = coverage_pages.HEIGHT - coverage_pages.TOP - coverage_pages.BOTTOM
    values = [int(labels[y]) for y in grid]
    top = max(values)
    assert values[0] == 0 and top >= key_units
    steps = {b - a for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() >= 1
    for y, value in zip(grid, values, strict=True):
        assert y == pytest.approx(coverage_pages.TOP + plot_h - value / top * plot_h, abs=0.1)
    # the plateau of `covered` units is drawn exactly at its own height
    point_y = float(re.search(r'<circle class="point" cx="[^"]+" cy="([^"]+)"', svg).group(1))
    assert point_y == pytest.approx(coverage_pages.TOP + plot_h - covered / top * plot_h, abs=0.1)
    # no projection drawn, none in the legend
    assert 'class="projection"' not in svg and "按近三个月进度预测" not in svg


def test_legend_lists_projection_only_when_drawn():
    from core.regions.scope import RegionScope
    from courses.coverage import Bucket, CoverageReport, Projection

    months = [dt.date(2022, 1, 31)]
    bucket = Bucket(key_units=10, covered=4, monthly=[4])
    report = CoverageReport(dt.date(2022, 1, 31), RegionScope(), months, bucket, {}, {})
    moving = Projection(2.0, dt.date(2022, 4, 30), 0.2, 6, False, True)
    svg = str(coverage_pages.burnup_svg(report, bucket, moving))
    assert svg.count('class="projection"') == 2 and "按近三个月进度预测" in svg


def test_default_as_of_is_today_when_data_is_current(session, make_user):
    from core.regions.scope import RegionScope
    from courses.coverage_view import default_as_of

    session.add(
        Enterprise(
            credit_code="91320500MA1VIEW001",
            name="甲",
            province="江苏省",
            city="苏州市",
            division_code="320500",
            industry="化工",
            management_category="重点管理",
            permit_status="有效",
            legal_rep_name="王",
            legal_rep_since=dt.date(2020, 1, 1),
        )
    )
    session.flush()
    chosen = default_as_of(session, scope=RegionScope(), today=dt.date(2030, 1, 1))
    assert chosen.day == dt.date(2030, 1, 1) and "今天" in chosen.reason
