"""Text a client sends as a search or a reference: control characters (NUL above all, which
PostgreSQL refuses in text) can never match anything, so they are dropped before a query."""

import unicodedata


def lookup_text(raw: object, limit: int) -> str:
    """Printable text for a search or a lookup, trimmed to `limit` characters."""
    text = "".join(ch for ch in str(raw if raw is not None else "") if unicodedata.category(ch) != "Cc")
    return text.strip()[:limit]
