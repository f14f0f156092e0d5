"""`?next=` after sign-in: only a path of this app is followed; every way out of it
(another host, a scheme, a backslash or tab a browser reads as `/`, the same hidden by
percent-encoding) gives the default."""

from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from closeout.domain.navigation import MAX_NEXT, safe_next


@pytest.mark.parametrize("raw", [
    "//evil.example", "//evil.example/cases", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
    "/\t/evil.example", "/%09/evil.example", "/\n/evil.example", "/%0A/evil.example", "/\r/evil.example",
    "/%0d/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example",
    "/%5cevil.example", "/%255Cevil.example", "/%25252F/evil.example", "https://evil.example", "http:/evil.example",
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "evil.example",
    "cases/CS-2026-000123", " /cases", "/cases /x", "/ca\x00ses", "/cases\x7f", "/\u2028/evil.example",
    "/\u00a0/evil.example", "/%E2%80%A8/evil.example", "", None, 42, ["/cases"], b"/cases", "/" + "a" * 10_000,
    "/" + "a" * MAX_NEXT,
])  # fmt: skip
def test_attacks_give_the_default(raw):
    assert safe_next(raw) == "/"
    assert safe_next(raw, default="/home") == "/home"


@pytest.mark.parametrize("raw", [
    "/", "/cases/CS-2026-000123", "/console?status=closed&page=2", "/cases/CS-2026-000123#sign",
    "/console?search=PO-1%2F2", "/activity", "/" + "a" * (MAX_NEXT - 1),
])  # fmt: skip
def test_paths_of_the_app_are_kept(raw):
    assert safe_next(raw, default="/home") == raw


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=60), st.text(alphabet="/\\%2F5Cc09aA:.@?#&= \t\n", max_size=30)))
def test_whatever_comes_back_is_a_plain_path_of_the_app(raw):
    target = safe_next(raw, default="/home")
    assert target in ("/home", raw)
    for _ in range(4):  # and so is every percent-decoding of it
        assert target.startswith("/") and not target.startswith("//") and "\\" not in target
        assert not any(ch.isspace() or ord(ch) < 32 for ch in target)
        target = unquote(target)
