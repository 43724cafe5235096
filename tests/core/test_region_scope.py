"""Drill-downs take region names as people type them, and never leave the caller's region."""

from __future__ import annotations

import pytest

from core.errors import Forbidden, Invalid
from core.regions.scope import NATIONAL, RegionScope


def test_a_short_province_name_is_the_province():
    assert NATIONAL.narrow("江苏") == RegionScope("江苏省")
    assert NATIONAL.narrow("新疆") == RegionScope("新疆维吾尔自治区")
    assert RegionScope("江苏省").narrow("江苏", "苏州市") == RegionScope("江苏省", "苏州市")


def test_a_city_admin_may_name_their_city_without_its_suffix():
    suzhou = RegionScope("江苏省", "苏州市")
    assert suzhou.narrow("江苏", "苏州") == suzhou


def test_a_short_name_does_not_open_another_region():
    with pytest.raises(Forbidden):
        RegionScope("江苏省").narrow("浙江")
    with pytest.raises(Forbidden):
        RegionScope("江苏省", "苏州市").narrow("江苏", "无锡")


def test_a_city_needs_a_province():
    with pytest.raises(Invalid):
        NATIONAL.narrow(None, "苏州市")
