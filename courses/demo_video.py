"""A short lesson video made on the spot, so the demo needs no download and no video tools.

Slides are drawn with Pillow (a reportlab dependency) and written as H.264 Baseline in an MP4
that every browser plays: each new slide is an IDR picture of uncompressed I_PCM macroblocks,
and the frames that repeat it are P pictures whose macroblocks are all skipped. That is larger
than a real encoder's output (about 90 KB per slide at 320×176) but needs nothing beyond the
standard library and numpy.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np

WIDTH, HEIGHT = 320, 176  # multiples of 16: whole macroblocks
FPS = 10
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


# ---- bits ----------------------------------------------------------------------------------


class _Bits:
    """An MSB-first bit writer: whole bytes go to ``out``, the unfinished byte waits in ``acc``
    (a slide is ~90 KB of raw macroblocks: bit by bit in Python lists it took a second)."""

    def __init__(self) -> None:
        self.out = bytearray()
        self.acc = 0
        self.pending = 0  # bits in ``acc``, always fewer than 8 between calls

    def u(self, n: int, value: int) -> None:
        self.acc = (self.acc << n) | (value & ((1 << n) - 1))
        self.pending += n
        while self.pending >= 8:
            self.pending -= 8
            self.out.append((self.acc >> self.pending) & 0xFF)
        self.acc &= (1 << self.pending) - 1

    def ue(self, value: int) -> None:
        code = value + 1
        length = code.bit_length()
        self.u(length - 1, 0)
        self.u(length, code)

    def se(self, value: int) -> None:
        self.ue(2 * value - 1 if value > 0 else -2 * value)

    def align_zero(self) -> None:
        if self.pending:
            self.u(8 - self.pending, 0)

    def trailing(self) -> None:
        self.u(1, 1)
        self.align_zero()

    def raw(self, data: bytes) -> None:
        assert self.pending == 0
        self.out += data

    def bytes(self) -> bytes:
        assert self.pending == 0
        return bytes(self.out)


def _nal(ref_idc: int, kind: int, rbsp: bytes) -> bytes:
    """A NAL unit with emulation prevention bytes."""
    out, zeros = bytearray([(ref_idc << 5) | kind]), 0
    for byte in rbsp:
        if zeros >= 2 and byte <= 3:
            out.append(3)
            zeros = 0
        out.append(byte)
        zeros = zeros + 1 if byte == 0 else 0
    return bytes(out)


# ---- H.264 -----------------------------------------------------------------------------------


def _sps() -> bytes:
    b = _Bits()
    b.u(8, 66)  # Baseline
    b.u(8, 0b11000000)  # constraint_set0 and set1: decodable by any Baseline/Main decoder
    b.u(8, 30)  # level 3.0
    b.ue(0)  # seq_parameter_set_id
    b.ue(0)  # log2_max_frame_num_minus4: frame_num in 4 bits
    b.ue(2)  # pic_order_cnt_type 2: output order is decoding order
    b.ue(1)  # max_num_ref_frames
    b.u(1, 0)  # gaps_in_frame_num_value_allowed_flag
    b.ue(WIDTH // 16 - 1)
    b.ue(HEIGHT // 16 - 1)
    b.u(1, 1)  # frame_mbs_only_flag
    b.u(1, 1)  # direct_8x8_inference_flag
    b.u(1, 0)  # frame_cropping_flag
    b.u(1, 0)  # vui_parameters_present_flag
    b.trailing()
    return _nal(3, 7, b.bytes())


def _pps() -> bytes:
    b = _Bits()
    b.ue(0)  # pic_parameter_set_id
    b.ue(0)  # seq_parameter_set_id
    b.u(1, 0)  # CAVLC
    b.u(1, 0)  # bottom_field_pic_order_in_frame_present_flag
    b.ue(0)  # num_slice_groups_minus1
    b.ue(0)  # num_ref_idx_l0_default_active_minus1
    b.ue(0)  # num_ref_idx_l1_default_active_minus1
    b.u(1, 0)  # weighted_pred_flag
    b.u(2, 0)  # weighted_bipred_idc
    b.se(0)  # pic_init_qp_minus26
    b.se(0)  # pic_init_qs_minus26
    b.se(0)  # chroma_qp_index_offset
    b.u(1, 1)  # deblocking_filter_control_present_flag: lets slices switch it off
    b.u(1, 0)  # constrained_intra_pred_flag
    b.u(1, 0)  # redundant_pic_cnt_present_flag
    b.trailing()
    return _nal(3, 8, b.bytes())


def _idr(yuv: tuple[np.ndarray, np.ndarray, np.ndarray], idr_id: int) -> bytes:
    """An IDR picture of I_PCM macroblocks holding the samples as they are."""
    y, cb, cr = yuv
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(7)  # slice_type: I, all slices of the picture
    b.ue(0)  # pic_parameter_set_id
    b.u(4, 0)  # frame_num
    b.ue(idr_id)
    b.u(1, 0)  # no_output_of_prior_pics_flag
    b.u(1, 0)  # long_term_reference_flag
    b.se(0)  # slice_qp_delta
    b.ue(1)  # disable_deblocking_filter_idc
    for my in range(HEIGHT // 16):
        for mx in range(WIDTH // 16):
            b.ue(25)  # mb_type I_PCM
            b.align_zero()
            block = y[my * 16 : my * 16 + 16, mx * 16 : mx * 16 + 16]
            chroma = [c[my * 8 : my * 8 + 8, mx * 8 : mx * 8 + 8] for c in (cb, cr)]
            b.raw(block.tobytes() + chroma[0].tobytes() + chroma[1].tobytes())
    b.trailing()
    return _nal(3, 5, b.bytes())


def _repeat(frame_num: int) -> bytes:
    """A P picture whose every macroblock is skipped: the previous picture again."""
    b = _Bits()
    b.ue(0)  # first_mb_in_slice
    b.ue(5)  # slice_type: P, all slices of the picture
    b.ue(0)  # pic_parameter_set_id
    b.u(4, frame_num % 16)
    b.u(1, 0)  # num_ref_idx_active_override_flag
    b.u(1, 0)  # ref_pic_list_modification_flag_l0
    b.u(1, 0)  # adaptive_ref_pic_marking_mode_flag
    b.se(0)  # slice_qp_delta
    b.ue(1)  # disable_deblocking_filter_idc
    b.ue((WIDTH // 16) * (HEIGHT // 16))  # mb_skip_run: all of them
    b.trailing()
    return _nal(2, 1, b.bytes())


def _yuv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """BT.601 studio-range 4:2:0 planes (samples kept within 16..240, never 0)."""
    r, g, b = (rgb[..., i].astype(np.float32) for i in range(3))
    y = 16 + 0.257 * r + 0.504 * g + 0.098 * b
    cb = 128 - 0.148 * r - 0.291 * g + 0.439 * b
    cr = 128 + 0.439 * r - 0.368 * g - 0.071 * b

    def plane(p: np.ndarray) -> np.ndarray:
        return np.clip(np.rint(p), 16, 240).astype(np.uint8)

    def half(p: np.ndarray) -> np.ndarray:
        return p.reshape(HEIGHT // 2, 2, WIDTH // 2, 2).mean(axis=(1, 3))

    return plane(y), plane(half(cb)), plane(half(cr))


# ---- slides ----------------------------------------------------------------------------------


def _font(size: int):
    from PIL import ImageFont

    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def slide(title: str, lines: Sequence[str], index: int, total: int) -> np.ndarray:
    """One slide as RGB pixels: a title bar, a few lines, a progress bar."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (WIDTH, HEIGHT), (245, 247, 249))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 36), fill=(11, 110, 79))
    draw.text((12, 8), title, font=_font(18), fill=(255, 255, 255))
    body = _font(15)
    for i, line in enumerate(lines[:5]):
        draw.text((14, 46 + i * 24), line, font=body, fill=(29, 39, 51))
    draw.rectangle((0, HEIGHT - 6, WIDTH, HEIGHT), fill=(221, 227, 234))
    draw.rectangle((0, HEIGHT - 6, WIDTH * (index + 1) // total, HEIGHT), fill=(181, 71, 8))
    return np.asarray(image)


def lesson_video(slides: Sequence[tuple[str, Sequence[str]]], seconds_per_slide: int = 5) -> bytes:
    """An MP4 showing each (title, lines) slide for ``seconds_per_slide`` seconds."""
    samples, sync = [], []
    for i, (title, lines) in enumerate(slides):
        sync.append(len(samples) + 1)
        samples.append(_idr(_yuv(slide(title, lines, i, len(slides))), i % 2))
        samples.extend(_repeat(n) for n in range(1, seconds_per_slide * FPS))
    return _mp4(samples, sync)


# ---- MP4 -------------------------------------------------------------------------------------


def _u32(value: int) -> bytes:
    return struct.pack(">I", value)


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, version: int, flags: int, *parts: bytes) -> bytes:
    return _box(kind, struct.pack(">I", (version << 24) | flags), *parts)


def _mp4(samples: list[bytes], sync: list[int]) -> bytes:
    timescale, delta = FPS * 100, 100
    duration = len(samples) * delta
    sizes = [4 + len(s) for s in samples]
    matrix = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
    sps, pps = _sps(), _pps()
    avcc = _box(
        b"avcC",
        bytes([1, sps[1], sps[2], sps[3], 0xFF, 0xE1]),
        struct.pack(">H", len(sps)) + sps,
        bytes([1]) + struct.pack(">H", len(pps)) + pps,
    )
    avc1 = _box(
        b"avc1",
        bytes(6) + struct.pack(">H", 1) + bytes(16),
        struct.pack(">HHIIIH", WIDTH, HEIGHT, 0x480000, 0x480000, 0, 1),
        bytes(32) + struct.pack(">Hh", 0x18, -1),
        avcc,
    )

    def moov(chunk_offset: int) -> bytes:
        stbl = _box(
            b"stbl",
            _full(b"stsd", 0, 0, struct.pack(">I", 1), avc1),
            _full(b"stts", 0, 0, struct.pack(">III", 1, len(samples), delta)),
            _full(b"stss", 0, 0, struct.pack(">I", len(sync)), *map(_u32, sync)),
            _full(b"stsc", 0, 0, struct.pack(">IIII", 1, 1, len(samples), 1)),
            _full(b"stsz", 0, 0, struct.pack(">II", 0, len(sizes)), *map(_u32, sizes)),
            _full(b"stco", 0, 0, struct.pack(">II", 1, chunk_offset)),
        )
        minf = _box(
            b"minf",
            _full(b"vmhd", 0, 1, bytes(8)),
            _box(b"dinf", _full(b"dref", 0, 0, struct.pack(">I", 1), _full(b"url ", 0, 1))),
            stbl,
        )
        mdia = _box(
            b"mdia",
            _full(b"mdhd", 0, 0, struct.pack(">IIIIHH", 0, 0, timescale, duration, 0x55C4, 0)),
            _full(b"hdlr", 0, 0, bytes(4), b"vide", bytes(12), b"PermitHub video\x00"),
            minf,
        )
        tkhd = _full(
            b"tkhd",
            0,
            3,
            struct.pack(">IIIII", 0, 0, 1, 0, duration * 1000 // timescale),
            bytes(8),
            struct.pack(">hhhH", 0, 0, 0, 0),
            matrix,
            struct.pack(">II", WIDTH << 16, HEIGHT << 16),
        )
        mvhd = _full(
            b"mvhd",
            0,
            0,
            struct.pack(">IIII", 0, 0, 1000, duration * 1000 // timescale),
            struct.pack(">IH", 0x10000, 0x100),
            bytes(10),
            matrix,
            bytes(24),
            struct.pack(">I", 2),
        )
        return _box(b"moov", mvhd, _box(b"trak", tkhd, mdia))

    ftyp = _box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    head = len(ftyp) + len(moov(0)) + 8  # the mdat header precedes the samples
    data = b"".join(struct.pack(">I", len(s)) + s for s in samples)
    return ftyp + moov(head) + struct.pack(">I", 8 + len(data)) + b"mdat" + data
