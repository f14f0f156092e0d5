"""What a signature record says about itself (21 CFR Part 11 §11.50: the printed name, the
date and time, the meaning; §11.200: the secret that bound it to its signer), in the words
the sales order, the Sign & Submit tab and the Activity tab all use."""

import re
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import InvalidInput

VIA_DEVICE = "this device"  # on the rep's screen
VIA_LINK = "signing link"  # a one-time link, on the signer's own screen
MAX_SCREEN = 200


class SecretMethod(StrEnum):
    """What the signed-in account confirmed a signature or attestation with."""

    PASSWORD = "password"
    PIN = "pin"


CONFIRMED_WITH = {SecretMethod.PASSWORD: "with the account password", SecretMethod.PIN: "with the signing PIN"}


def parse_method(raw: object) -> SecretMethod:
    try:
        return SecretMethod(str(raw))
    except ValueError:
        raise InvalidInput("secret", "Choose your password or your signing PIN.") from None


def how_given(kind: str, via: str, method: str = "") -> str:
    """In words: "on the rep's screen, signed with the account password", "on another screen",
    "attestation, confirmed with the signing PIN"."""
    confirmed = CONFIRMED_WITH.get(method, "") if method else ""
    if kind == "attestation":
        return f"attestation, confirmed {confirmed}" if confirmed else "attestation"
    where = "on another screen" if via == VIA_LINK else "on the rep's screen"
    return f"{where}, signed {confirmed}" if confirmed else where


def zone(name: str) -> tzinfo:
    """An IANA time zone by name; UTC for a blank or unknown one (an old row, a typo)."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def local_time(moment: datetime, zone_name: str) -> str:
    """A moment in a place's time, with its zone: "Jun 15, 2026 5:00 AM PDT"."""
    return moment.astimezone(zone(zone_name)).strftime("%b %-d, %Y %-I:%M %p %Z")


_OS = (("iPad", "iPad"), ("iPhone", "iPhone"), ("Android", "Android"), ("Windows", "Windows"),
       ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))  # fmt: skip
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("FxiOS", "Firefox"),
             ("CriOS", "Chrome"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"), ("Safari/", "Safari"))  # fmt: skip
_UNPRINTABLE = re.compile(r"[^\x20-\x7e]")


def screen_summary(user_agent: object, client: object) -> str:
    """The screen a signature was given on, as data: "Safari on iPad · 203.0.113.5"."""
    agent = _UNPRINTABLE.sub("", str(user_agent or ""))[:1000]
    system = next((name for mark, name in _OS if mark in agent), "")
    browser = next((name for mark, name in _BROWSERS if mark in agent), "")
    device = " on ".join(part for part in (browser, system) if part) or (agent[:60] or "unknown browser")
    address = _UNPRINTABLE.sub("", str(client or ""))[:100]
    return (f"{device} · {address}" if address else device)[:MAX_SCREEN]


def statement(name: str, title_or_role: str, meaning: str, when: str, how: str) -> str:
    """The whole record in one line, as the Activity tab shows it."""
    return " · ".join(part for part in (name, title_or_role, meaning, when, how) if part)
