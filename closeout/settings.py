"""Deployment switches read from the environment (documented in the README's table)."""

import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

_ON = ("1", "on", "true", "yes")
_OFF = ("0", "off", "false", "no")
DEFAULT_SELLER = "Closeout Medical Devices, Inc."
DEFAULT_SELLER_ADDRESS = "1200 Commerce Way, Suite 300\nPortland, OR 97205\nbilling@closeout.example"
DEFAULT_FROM = "Closeout <no-reply@closeout.example>"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def po_reminders_on() -> bool:
    """CLOSEOUT_PO_REMINDERS=off stops the hourly PO reminder job in the backend."""
    return _env("CLOSEOUT_PO_REMINDERS", "on").strip().lower() not in _OFF


def inventory_on() -> bool:
    """CLOSEOUT_INVENTORY=off: a company that keeps no stock in Closeout closes cases exactly as
    before — Submit for Billing takes nothing from stock (every line is "not from inventory")."""
    return _env("CLOSEOUT_INVENTORY", "on").strip().lower() not in _OFF


def demo_data_on() -> bool:
    """CLOSEOUT_DEMO_DATA=off: `python -m closeout.seed` (make run, make db) loads nothing, so a
    company going live starts with an empty database and its first manager made by command."""
    return _env("CLOSEOUT_DEMO_DATA", "on").strip().lower() not in _OFF


def invitation_days() -> int:
    """CLOSEOUT_INVITATION_DAYS: how long an invitation or password-reset link works (days, 1–90)."""
    try:
        days = int(_env("CLOSEOUT_INVITATION_DAYS", "7").strip() or "7")
    except ValueError:
        return 7
    return min(max(days, 1), 90)


def po_link_days() -> int:
    """CLOSEOUT_PO_LINK_DAYS: how long a buyer's PO link works (days, 1–365, default 30)."""
    try:
        days = int(_env("CLOSEOUT_PO_LINK_DAYS", "30").strip() or "30")
    except ValueError:
        return 30
    return min(max(days, 1), 365)


def public_url(fallback: str = "") -> str:
    """CLOSEOUT_PUBLIC_URL: the address people outside open links at (https://closeout.example.com).
    Links made in a browser use that browser's origin when this is unset; the PO reminder job,
    which has no browser, has none then ("" — it records the reminder as failed, never sending a
    link that would not open)."""
    return (_env("CLOSEOUT_PUBLIC_URL") or fallback).strip().rstrip("/")


def seller_name() -> str:
    return _env("CLOSEOUT_SELLER_NAME", DEFAULT_SELLER)


def seller_address() -> str:
    """Lines separated by a real newline or a written `\\n`."""
    return _env("CLOSEOUT_SELLER_ADDRESS", DEFAULT_SELLER_ADDRESS).replace("\\n", "\n")


def print_timezone() -> ZoneInfo:
    """CLOSEOUT_TIMEZONE: the time zone of times printed on the sales order (IANA name)."""
    return ZoneInfo(_env("CLOSEOUT_TIMEZONE", "UTC") or "UTC")


@dataclass(frozen=True)
class MailSettings:
    """CLOSEOUT_SMTP_*: with no host, messages are saved to the outbox folder, not sent."""

    host: str
    port: int
    user: str
    password: str
    security: str  # starttls | tls | none
    sender: str
    timeout: float
    outbox: Path

    @classmethod
    def from_env(cls) -> "MailSettings":
        security = _env("CLOSEOUT_SMTP_SECURITY", "starttls" if _env("CLOSEOUT_SMTP_USER") else "none").lower()
        default_port = {"starttls": 587, "tls": 465}.get(security, 25)
        return cls(
            host=_env("CLOSEOUT_SMTP_HOST"), port=int(_env("CLOSEOUT_SMTP_PORT", str(default_port))),
            user=_env("CLOSEOUT_SMTP_USER"), password=_env("CLOSEOUT_SMTP_PASSWORD"), security=security,
            sender=_env("CLOSEOUT_SMTP_FROM", DEFAULT_FROM), timeout=float(_env("CLOSEOUT_SMTP_TIMEOUT", "15")),
            outbox=Path(_env("CLOSEOUT_OUTBOX", "outbox")),
        )  # fmt: skip

    @property
    def configured(self) -> bool:
        return bool(self.host)


def served_over_https() -> bool:
    """CLOSEOUT_HTTPS=on: the app is reached through HTTPS (a TLS proxy in front of its port).
    The session cookie then carries the Secure flag and every response sends HSTS."""
    return _env("CLOSEOUT_HTTPS", "off").strip().lower() in _ON


HSTS_SECONDS = 180 * 24 * 3600


def bench_floor() -> bool:
    """CLOSEOUT_BENCH_FLOOR=on registers the load benchmark's write-floor event (never in use)."""
    return _env("CLOSEOUT_BENCH_FLOOR", "off").strip().lower() in _ON
