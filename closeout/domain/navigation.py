"""Where to go after signing in: `?next=` names a page of this app, never another site.

Browsers drop tabs and newlines in a URL, read `\\` as `/`, and take `//host` as another
site, so `/\\evil.example`, `/%09/evil.example` (arriving decoded as "/\\t/evil.example") and
`//evil.example` all leave the app. Only a plain path of this app is kept: one leading
`/`, no backslash, no whitespace or control character, no scheme or host, and none of
these revealed by percent-decoding either. Anything else gives the default."""

from urllib.parse import unquote, urlsplit

MAX_NEXT = 500
_DECODE_ROUNDS = 4  # a value still changing after this many decodings is refused


def _plain_path(text: str) -> bool:
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return False
    if any(ch.isspace() or not ch.isprintable() for ch in text):
        return False
    parts = urlsplit(text)
    return not parts.scheme and not parts.netloc


def safe_next(raw: object, default: str = "/") -> str:
    """`raw` when it is a path of this app, else `default`."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_NEXT:
        return default
    text = raw
    for _ in range(_DECODE_ROUNDS):
        if not _plain_path(text):
            return default
        decoded = unquote(text)
        if decoded == text:
            return raw
        text = decoded
    return default
