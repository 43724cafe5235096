"""Bounded input: sizes per kind, ZIP directory checks before any parser, no DOCTYPE in XML."""

from __future__ import annotations

import io
import struct
import time
import zipfile

import pytest

from core.config import get_settings
from core.errors import Invalid
from core.uploads import (
    FileKind,
    TextBudget,
    check_document,
    check_pdf_pages,
    check_zip,
    read_body,
    read_form_file,
    read_upload,
)
from tests.support import bombs


@pytest.fixture
def settings_env(monkeypatch):
    def _set(**values):
        for key, value in values.items():
            monkeypatch.setenv(f"PERMITHUB_{key.upper()}", str(value))
        get_settings.cache_clear()

    yield _set
    monkeypatch.undo()
    get_settings.cache_clear()


class CountingStream(io.BytesIO):
    """A stream that remembers how much was read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.taken = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.taken += len(chunk)
        return chunk


def test_an_upload_is_read_only_up_to_its_cap_plus_one_byte(settings_env):
    settings_env(max_upload_mb_table=1, max_upload_mb_video=2)
    stream = CountingStream(b"x" * (5 * 1024 * 1024))
    with pytest.raises(Invalid, match="表格文件“big.csv”太大（上限 1 MB）"):
        read_upload(stream, filename="big.csv", kind=FileKind.TABLE)
    assert stream.taken == 1024 * 1024 + 1
    video = read_upload(
        io.BytesIO(b"x" * (1024 * 1024 + 10)), filename="v.mp4", kind=FileKind.VIDEO
    )
    assert len(video) == 1024 * 1024 + 10


class FormField:
    """A form's file field as Starlette hands it over: a name and a file object."""

    def __init__(self, filename: str | None, data: bytes) -> None:
        self.filename = filename
        self.file = CountingStream(data)


def test_every_form_upload_is_read_through_its_kind_cap(settings_env):
    settings_env(max_upload_mb_evidence=1, max_upload_mb_evaluation=2)
    big = FormField("证书.pdf", b"x" * (3 * 1024 * 1024))
    with pytest.raises(Invalid, match="证明材料文件“证书.pdf”太大（上限 1 MB），请压缩图片"):
        read_form_file(big, kind=FileKind.EVIDENCE)
    assert big.file.taken == 1024 * 1024 + 1
    fits = FormField("set.jsonl", b"x" * (1024 * 1024 + 5))
    assert read_form_file(fits, kind=FileKind.EVALUATION) == ("set.jsonl", fits.file.getvalue())


def test_a_missing_file_is_empty_or_refused_with_what_to_choose():
    assert read_form_file(None, kind=FileKind.ATTACHMENT) == ("", b"")
    assert read_form_file(FormField("", b"data"), kind=FileKind.VIDEO) == ("", b"")
    with pytest.raises(Invalid, match="请选择名单文件"):
        read_form_file(FormField(None, b""), kind=FileKind.TABLE, required="请选择名单文件")


async def test_a_raw_body_stops_being_read_past_its_cap(settings_env):
    settings_env(max_upload_mb_evaluation=1)
    sent = []

    async def chunks():
        for _ in range(10):
            sent.append(1)
            yield b"x" * (512 * 1024)

    with pytest.raises(Invalid, match="评测文件太大（上限 1 MB），请拆分后分批评测"):
        await read_body(chunks(), filename="", kind=FileKind.EVALUATION)
    assert len(sent) == 3  # 1.5 MB read, the other 3.5 MB never pulled

    async def small():
        yield b'{"q": "a"}\n'

    assert await read_body(small(), filename="", kind=FileKind.EVALUATION) == b'{"q": "a"}\n'


def test_a_genuine_workbook_and_document_pass():
    check_zip(bombs.workbook([["a"] * 10] * 100), filename="ok.xlsx", kind=FileKind.TABLE)
    check_document(bombs.docx(["第一段", "第二段"]), "ok.docx")


def test_a_zip_bomb_is_refused_from_its_directory_without_inflating():
    bomb = bombs.xlsx_bomb()
    started = time.process_time()  # CPU, not the wait for a busy core
    with pytest.raises(Invalid, match="压缩比异常.*疑似压缩炸弹") as refused:
        check_zip(bomb, filename="bomb.xlsx", kind=FileKind.TABLE)
    assert time.process_time() - started < 0.1
    assert "xl/worksheets/sheet1.xml" in refused.value.message


def test_too_much_unpacked_data_is_refused_even_at_a_modest_ratio(settings_env):
    settings_env(max_unpacked_mb_table=1)
    rows = [[f"{i:018d}", f"单位{i}", "江苏省", "苏州市"] for i in range(20_000)]
    with pytest.raises(Invalid, match="解压后有 .* MB，超过上限 1 MB"):
        check_zip(bombs.workbook(rows), filename="big.xlsx", kind=FileKind.TABLE)


def test_too_many_entries_are_refused_before_the_directory_is_read():
    with pytest.raises(Invalid, match="内部有 5009 个部件（上限 1000 个）"):
        check_zip(bombs.many_entries_zip(), filename="pad.xlsx", kind=FileKind.TABLE)


@pytest.mark.parametrize(
    "build", [bombs.billion_laughs_xlsx, bombs.xxe_xlsx, bombs.utf16_doctype_xlsx, bombs.docx_xxe]
)
def test_a_doctype_in_any_xml_part_is_refused(build):
    with pytest.raises(Invalid, match="DOCTYPE 或实体声明"):
        check_zip(build(), filename="evil.xlsx", kind=FileKind.TABLE)


def test_a_doctype_behind_a_long_prolog_or_in_utf32_is_refused():
    padded = "<?xml version='1.0'?>" + "<!-- pad -->" * 2000 + "<!DOCTYPE x []><worksheet/>"
    with pytest.raises(Invalid, match="XML 开头异常"):
        check_zip(
            bombs.replace_parts(bombs.workbook([]), {bombs.SHEET: padded}),
            filename="x.xlsx",
            kind=FileKind.TABLE,
        )
    utf32 = "<?xml version='1.0' encoding='UTF-32'?><!DOCTYPE x []><worksheet/>".encode("utf-32")
    with pytest.raises(Invalid, match="不支持的 XML 编码"):
        check_zip(
            bombs.replace_parts(bombs.workbook([]), {bombs.SHEET: utf32}),
            filename="x.xlsx",
            kind=FileKind.TABLE,
        )


@pytest.mark.parametrize("build", [bombs.truncated_xlsx, bombs.png_named_xlsx])
def test_a_truncated_or_foreign_file_is_reported_as_broken(build):
    with pytest.raises(Invalid, match="文件已损坏、不完整或不是 .xlsx 格式"):
        check_zip(build(), filename="x.xlsx", kind=FileKind.TABLE)


def test_an_encrypted_entry_is_refused():
    data = bytearray(bombs.workbook([]))
    position = 0
    while (position := data.find(b"PK\x01\x02", position)) >= 0:
        data[position + 8] |= 0x01  # the "encrypted" bit of each central directory record
        position += 4
    with pytest.raises(Invalid, match="已加密"):
        check_zip(bytes(data), filename="x.xlsx", kind=FileKind.TABLE)


def test_a_docx_bomb_is_refused_by_the_document_check():
    with pytest.raises(Invalid, match="word/document.xml.*疑似压缩炸弹"):
        check_document(bombs.docx_bomb(), "规定.docx")


def test_pdf_pages_and_document_characters_are_capped(settings_env):
    settings_env(pdf_max_pages=10, document_max_chars=1000)
    check_pdf_pages(10, "a.pdf")
    with pytest.raises(Invalid, match="有 11 页，超过上限 10 页"):
        check_pdf_pages(11, "a.pdf")
    budget = TextBudget("a.pdf")
    budget.take("字" * 999)
    with pytest.raises(Invalid, match="文字超过 1000 字"):
        budget.take("字" * 2)


def test_an_xml_part_read_whole_is_capped_but_worksheets_are_streamed(settings_env):
    settings_env(max_xml_part_mb_table=1, max_xml_part_mb_document=1)
    rows = [[f"{i:018d}", f"单位{i}", "江苏省", "苏州市"] for i in range(20_000)]
    check_zip(bombs.workbook(rows), filename="big.xlsx", kind=FileKind.TABLE)  # a 2 MB sheet
    strings = "<sst>" + "".join(f"<si><t>{i}</t></si>" for i in range(100_000)) + "</sst>"
    shared = bombs.replace_parts(bombs.workbook([]), {"xl/sharedStrings.xml": strings})
    with pytest.raises(
        Invalid, match="“xl/sharedStrings.xml”解压后有 2 MB，超过单个部件的上限 1 MB"
    ):
        check_zip(shared, filename="s.xlsx", kind=FileKind.TABLE)
    with pytest.raises(Invalid, match="word/document.xml.*超过单个部件的上限 1 MB"):
        check_document(bombs.docx([f"第{i}段" for i in range(100_000)]), "long.docx")


def test_an_entry_that_lies_about_its_size_is_cut_off_and_reported_broken():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>" + " " * 10_000_000)
    data = bytearray(buffer.getvalue())
    # Declare 1,000 bytes in the central directory and the local header; it inflates to 10 MB.
    struct.pack_into("<L", data, data.find(b"PK\x01\x02") + 24, 1000)
    struct.pack_into("<L", data, 22, 1000)
    with pytest.raises(Invalid, match="文件已损坏"):
        check_zip(bytes(data), filename="liar.xlsx", kind=FileKind.TABLE)
