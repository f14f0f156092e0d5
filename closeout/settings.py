"""Deployment switches read from the environment (documented in the README's table)."""

import os

_ON = ("1", "on", "true", "yes")


def served_over_https() -> bool:
    """CLOSEOUT_HTTPS=on: the app is reached through HTTPS (a TLS proxy in front of its port).
    The session cookie then carries the Secure flag and every response sends HSTS."""
    return os.environ.get("CLOSEOUT_HTTPS", "off").strip().lower() in _ON


HSTS_SECONDS = 180 * 24 * 3600
