"""The /coverage report page: chart, regions worst first, drill-down, scoped exports."""

from __future__ import annotations

import re

import pytest

from tests.support.registry import load_registry


@pytest.fixture
def registry(session, generated):
    gen = generated(n=3000, seed=7, as_of="2024-06-30")
    load_registry(session, gen)
    return gen


def _rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]


def _first_link_text(row: str) -> str:
    return re.search(r"<a [^>]*>([^<]+)</a>", row).group(1)


def _rate(bucket: dict) -> float:
    return bucket["covered"] / bucket["key_units"]


def test_national_admin_sees_provinces_worst_first_and_a_chart(client, registry, make_user, login):
    admin = make_user("national")
    login(admin.username)
    page = client.get("/coverage?as_of=2024-06-30")
    assert page.status_code == 200
    assert "<svg" in page.text and 'class="covered"' in page.text and 'class="target"' in page.text
    rows = _rows(page.text, "regions")
    names = [_first_link_text(r) for r in rows]
    truth = registry.truth["by_province"]
    assert sorted(names) == sorted(truth)
    rates = [_rate(truth[n]) for n in names]
    assert rates == sorted(rates)
    assert "最落后" in rows[0]
    overall = registry.truth["overall"]
    assert f"{overall['rate'] * 100:.1f}%" in page.text


def test_provincial_admin_sees_own_cities_worst_first(client, registry, make_user, login):
    admin = make_user("province", province="江苏省")
    login(admin.username)
    page = client.get("/coverage?as_of=2024-06-30")
    assert page.status_code == 200
    names = [_first_link_text(r) for r in _rows(page.text, "regions")]
    truth = {
        k.split("/")[1]: v for k, v in registry.truth["by_city"].items() if k.startswith("江苏省/")
    }
    assert sorted(names) == sorted(truth)
    assert [_rate(truth[n]) for n in names] == sorted(_rate(truth[n]) for n in names)
    assert "浙江省" not in page.text
    assert client.get("/coverage?province=浙江省").status_code == 403


def test_drill_down_from_province_to_city_lists_its_uncovered_units(
    client, registry, make_user, login
):
    admin = make_user("national")
    login(admin.username)
    key = max(
        registry.truth["by_city"],
        key=lambda k: (
            registry.truth["by_city"][k]["key_units"] - registry.truth["by_city"][k]["covered"]
        ),
    )
    province, city = key.split("/")
    province_page = client.get(f"/coverage?as_of=2024-06-30&province={province}")
    link = re.search(rf'href="([^"]*city=[^"]*)">{city}</a>', province_page.text).group(1)
    city_page = client.get(link.replace("&amp;", "&"))
    assert city_page.status_code == 200
    units = _rows(city_page.text, "uncovered")
    expected = registry.truth["by_city"][key]
    assert len(units) == min(100, expected["key_units"] - expected["covered"])
    codes = re.findall(r'class="mono">([0-9A-Z]{18})<', city_page.text)
    assert set(codes) <= set(registry.truth["uncovered_credit_codes"])


def test_city_admin_page_and_export_links_stay_in_their_city(client, registry, make_user, login):
    admin = make_user("city", province="江苏省", city="南京市")
    login(admin.username)
    page = client.get("/coverage?as_of=2024-06-30")
    assert page.status_code == 200
    assert "江苏省南京市" in page.text
    assert 'id="regions"' not in page.text
    csv_link = re.search(r'href="(/api/coverage/uncovered\?[^"]*format=csv[^"]*)"', page.text)
    export = client.get(csv_link.group(1).replace("&amp;", "&"))
    lines = export.content.decode("utf-8-sig").strip().splitlines()[1:]
    assert lines and all(",江苏省,南京市," in line for line in lines)
    assert client.get("/coverage?province=江苏省&city=苏州市").status_code == 403


def test_bad_date_on_the_page_is_a_clear_message(client, make_user, login):
    admin = make_user("national")
    login(admin.username)
    page = client.get("/coverage?as_of=2024-02-30")
    assert page.status_code == 422
    assert "统计日期" in page.text


def test_non_admins_cannot_open_the_report(client, make_user, login):
    staff = make_user("staff", province="江苏省", city="苏州市")
    login(staff.username)
    assert client.get("/coverage").status_code == 403
