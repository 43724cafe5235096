"""The shared certificate helper: codes, the Chinese font embedded in the PDF, the check URL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from core import certificates
from core.config import get_settings
from core.errors import Unavailable


@pytest.fixture
def settings_env(monkeypatch):
    """Set PERMITHUB_* variables for one test; the cached settings are rebuilt around it."""

    def set_env(**values: str) -> None:
        for key, value in values.items():
            monkeypatch.setenv(f"PERMITHUB_{key.upper()}", value)
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


def _pdf(text: str) -> bytes:
    def draw(pdf, font, width, height):
        pdf.setFont(font, 18)
        pdf.drawString(80, height - 120, text)

    return certificates.certificate_pdf("测试证书", draw)


def _fonts(reader: PdfReader) -> list:
    fonts = reader.pages[0]["/Resources"]["/Font"]
    return [fonts[name].get_object() for name in fonts]


def test_the_chinese_font_is_embedded_and_the_text_extracts_in_chinese():
    assert certificates.font_path() is not None, certificates.FONT_MISSING
    reader = PdfReader(io.BytesIO(_pdf("张三同志：荣获排污许可知识竞赛第一名")))
    embedded = []
    for font in _fonts(reader):
        # A TrueType subset: Type0 → CIDFontType2 descendant whose descriptor carries the file;
        # reportlab writes simple TrueType subsets, whose descriptor is on the font itself.
        descendants = font.get("/DescendantFonts") or [font]
        for part in descendants:
            descriptor = part.get_object().get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.append(str(part.get_object()["/BaseFont"]))
    assert embedded, "no TrueType font file embedded in the certificate"
    assert not any("STSong" in str(font.get("/BaseFont")) for font in _fonts(reader))
    assert "张三同志：荣获排污许可知识竞赛第一名" in reader.pages[0].extract_text()


def test_a_missing_font_is_a_clear_chinese_error(settings_env, tmp_path: Path):
    settings_env(certificate_font=str(tmp_path / "没有这个字体.ttf"))
    with pytest.raises(Unavailable) as raised:
        _pdf("张三")
    assert raised.value.status_code == 503
    assert "中文字体" in raised.value.message
    assert "PERMITHUB_CERTIFICATE_FONT" in raised.value.message
    assert certificates.check_certificate_font() == raised.value.message


def test_a_file_that_is_no_font_says_which_file(settings_env, tmp_path: Path):
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"not a font at all")
    settings_env(certificate_font=str(broken))
    with pytest.raises(Unavailable) as raised:
        _pdf("张三")
    assert str(broken) in raised.value.message


def test_the_configured_font_is_used(settings_env):
    system = certificates.font_path()
    settings_env(certificate_font=str(system))
    assert certificates.font_path() == system
    assert "张三" in PdfReader(io.BytesIO(_pdf("张三"))).pages[0].extract_text()


def test_codes_carry_the_prefix_and_avoid_taken_ones():
    seen: list[str] = []

    def taken(code: str) -> bool:
        seen.append(code)
        return len(seen) < 3  # the first two candidates are already used

    code = certificates.new_code("QZ", taken)
    assert code == seen[-1] and len(seen) == 3
    assert code.startswith("QZ") and len(code) == 2 + certificates.CODE_LENGTH
    assert set(code[2:]) <= set(certificates.CODE_ALPHABET)
    assert not set("01OI") & set(certificates.CODE_ALPHABET)


def test_the_check_address_uses_the_base_url_setting(settings_env):
    settings_env(base_url="https://permit.example.gov.cn/")
    assert (
        certificates.verify_url("KCABCDEFGH23")
        == "https://permit.example.gov.cn/verify?code=KCABCDEFGH23"
    )
