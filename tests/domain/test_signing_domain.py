"""Signer names, signature images, PO numbers and the content fingerprint."""

import base64
import functools
import io
import resource
import struct
import time
import zlib
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from closeout.domain import clock
from closeout.domain.errors import InvalidInput
from closeout.domain.fingerprint import SignedLine, content_fingerprint
from closeout.domain.purchase_order import parse_po_number, uncovered
from closeout.domain.signing import parse_signature_png, parse_signer_name
from closeout.domain.signing_link import matches, token_hash, usable
from tests.drawing import signature_data_url


def line(**changes):
    base = dict(line_id=1, ref="AS-0101", lot="L1", serial="", expiry=date(2027, 1, 1), quantity=1,
                usage_status="Implanted", unit_price=Decimal("10.00"), no_charge=False)  # fmt: skip
    return SignedLine(**{**base, **changes})


def test_fingerprint_is_stable_and_order_independent():
    a, b = line(), line(line_id=2, ref="X")
    assert content_fingerprint([a, b]) == content_fingerprint([b, a])
    assert len(content_fingerprint([a])) == 64


@pytest.mark.parametrize("change", [
    {"quantity": 2}, {"unit_price": Decimal("10.01")}, {"lot": "L2"}, {"serial": "S"}, {"no_charge": True},
    {"usage_status": "Wasted"}, {"expiry": None}])  # fmt: skip
def test_any_change_to_a_line_changes_the_fingerprint(change):
    assert content_fingerprint([line()]) != content_fingerprint([line(**change)])


def test_adding_or_removing_a_line_changes_the_fingerprint():
    assert content_fingerprint([line()]) != content_fingerprint([line(), line(line_id=2)])


@pytest.mark.parametrize("raw", ["", " ", "A", "x" * 81, "1234", "Dana\x00Reyes", "Dana 🙂"])
def test_bad_signer_names(raw):
    with pytest.raises(InvalidInput):
        parse_signer_name(raw)


def test_good_signer_names():
    assert parse_signer_name("  Carla   Mendes ") == "Carla Mendes"
    assert parse_signer_name("Dr. Anne-Marie O'Neil") == "Dr. Anne-Marie O'Neil"


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "hello",
        "data:image/png;base64,",
        "data:image/jpeg;base64,AAAA",
        "data:image/png;base64,QUJD",
        "data:image/png;base64," + "A" * 500_000,
    ],
)
def test_bad_signature_images(raw):
    with pytest.raises(InvalidInput):
        parse_signature_png(raw)


def test_a_drawn_signature_is_png_bytes():
    assert parse_signature_png(signature_data_url()).startswith(b"\x89PNG")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_claiming(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of width × height black pixels: tens of kilobytes on disk,
    width × height bytes or more once decoded."""
    rows = (b"\x00" + bytes((width + 7) // 8)) * height
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit grey, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def pad_png(size=(2300, 700), **save) -> bytes:
    """What a tablet's pad at device-pixel-ratio 3 sends: a transparent RGBA PNG with a stroke."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).line([(30, 350), (600, 90), (1400, 600), (2250, 200)], fill=(0, 0, 0, 255), width=9)
    out = io.BytesIO()
    image.save(out, format="PNG", **save)
    return out.getvalue()


@pytest.mark.parametrize("size", [(13000, 13000), (5000, 5000), (3001, 100), (100, 1501), (3000, 1001)])
def test_a_signature_claiming_too_many_pixels_is_refused_before_it_is_decoded(size):
    png = png_claiming(*size)
    assert len(png) < 40_000  # small on disk: only the header says how big it is
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    started = time.perf_counter()
    with pytest.raises(InvalidInput, match="too large") as refusal:
        parse_signature_png(data_url(png))
    assert time.perf_counter() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 50_000  # no decoded pixels
    assert refusal.value.field == "signature"


@pytest.mark.parametrize("damage", [
    lambda png: png[: len(png) // 2],  # truncated in its pixel data
    lambda png: png[:40],  # truncated in its header
    lambda png: png[:8] + b"\x00" * 100,  # the PNG signature, then nothing a PNG has
    lambda png: png.replace(b"IDAT", b"IDAX", 1),  # no pixel data
])  # fmt: skip
def test_a_damaged_signature_png_is_refused(damage):
    with pytest.raises(InvalidInput, match="could not be read"):
        parse_signature_png(data_url(damage(pad_png())))


def test_a_pad_signature_is_accepted_as_a_clean_copy_of_the_same_picture():
    given = pad_png(pnginfo=_with_text("Comment", "x" * 1000))
    kept = parse_signature_png(data_url(given))
    assert kept != given and b"Comment" not in kept  # re-encoded, not the bytes as given
    with Image.open(io.BytesIO(given)) as before, Image.open(io.BytesIO(kept)) as after:
        assert after.format == "PNG" and after.mode == "RGBA" and after.size == (2300, 700)
        assert after.tobytes() == before.tobytes()


def test_the_factory_signature_still_signs():
    with Image.open(io.BytesIO(parse_signature_png(signature_data_url()))) as image:
        assert image.size == (200, 60) and image.mode == "RGBA"


def _with_text(key: str, value: str):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


@pytest.mark.parametrize("raw", ["", "   ", "P" * 41, "PO\n12", "PO\x0712"])
def test_bad_po_numbers(raw):
    with pytest.raises(InvalidInput):
        parse_po_number(raw)


def test_po_numbers_and_coverage():
    assert parse_po_number("  PO-2026-0042 ") == "PO-2026-0042"
    assert parse_po_number("P" * 40) == "P" * 40
    assert uncovered({1, 2}, {1}) == {2}
    assert uncovered({1, 2}, {None}) == set()


def test_signing_tokens_are_compared_by_hash_and_expire():
    from datetime import timedelta

    now = clock.now()
    assert matches(token_hash("abc"), "abc") and not matches(token_hash("abc"), "abd")
    assert usable(now + timedelta(minutes=1), None, now)
    assert not usable(now - timedelta(seconds=1), None, now)
    assert not usable(now + timedelta(minutes=1), now, now)
