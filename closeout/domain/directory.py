"""The Directory's rules: what a facility must hold to be billed (name, bill-to address and
account number, its time zone), how the list is searched and paged, and how the billing
contacts' order moves. Contacts and surgeons: domain/contacts.py."""

import re
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from functools import cache

from .errors import InvalidInput
from .patient_ref import parse_patient_ref_pattern
from .readiness import FacilityRequirements, parse_requirements
from .text import lookup_text

MAX_NAME = 160
MAX_ADDRESS = 400
MAX_ACCOUNT = 40
MAX_ZONE = 64
PAGE_SIZE = 25
DEFAULT_TIME_ZONE = "America/Los_Angeles"
# Offered first in the time zone field; any IANA name is taken.
COMMON_TIME_ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
                     "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico")  # fmt: skip
_ACCOUNT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*")


@dataclass(frozen=True, kw_only=True)
class FacilityFields(FacilityRequirements):
    """A facility as the Directory keeps it, with what Submit for Billing needs there (the
    requirement flags, all off by default: every facility's rule)."""

    name: str
    address: str
    account_number: str
    time_zone: str
    patient_ref_pattern: str
    price_list_id: int | None


def _has_control(text: str, allowed: str = "") -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in text)


def parse_facility_name(raw: object) -> str:
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise InvalidInput("name", "Enter the facility's name.")
    if len(text) > MAX_NAME:
        raise InvalidInput("name", f"A facility name is at most {MAX_NAME} characters.")
    if _has_control(text):
        raise InvalidInput("name", "The name contains characters that cannot be saved.")
    return text


def parse_address(raw: object) -> str:
    """The bill-to address as printed on the sales order: its lines, each trimmed, blank ones dropped."""
    lines = [" ".join(line.split()) for line in str(raw if raw is not None else "").replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text:
        raise InvalidInput("address", "Enter the bill-to address.")
    if len(text) > MAX_ADDRESS:
        raise InvalidInput("address", f"An address is at most {MAX_ADDRESS} characters.")
    if _has_control(text, "\n"):
        raise InvalidInput("address", "The address contains characters that cannot be saved.")
    return text


def parse_account_number(raw: object) -> str:
    """The facility's bill-to account number with the rep company, as its invoices show it."""
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise InvalidInput("account_number", "Enter the bill-to account number.")
    if len(text) > MAX_ACCOUNT:
        raise InvalidInput("account_number", f"An account number is at most {MAX_ACCOUNT} characters.")
    if not _ACCOUNT.fullmatch(text):
        raise InvalidInput("account_number", "An account number is letters, digits, spaces and - . _ / only.")
    return text


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def parse_time_zone(raw: object) -> str:
    """An IANA time zone name the system knows, like America/Chicago."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        raise InvalidInput("time_zone", "Enter the facility's time zone, like America/Chicago.")
    if len(text) > MAX_ZONE or text not in _zones():
        raise InvalidInput("time_zone", f"“{text[:MAX_ZONE]}” is not a time zone name; use one like America/Chicago.")
    return text


def parse_price_list(raw: object) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if text in ("", "none"):
        return None
    if not (text.isascii() and text.isdigit()):
        raise InvalidInput("price_list_id", "Choose a price list from the list.")
    return int(text)


def parse_facility(form: Mapping[str, object]) -> FacilityFields:
    """Every field checked; the first refusal names its field."""
    return FacilityFields(
        name=parse_facility_name(form.get("name")), address=parse_address(form.get("address")),
        account_number=parse_account_number(form.get("account_number")), time_zone=parse_time_zone(form.get("time_zone")),
        patient_ref_pattern=parse_patient_ref_pattern(form.get("patient_ref_pattern")),
        price_list_id=parse_price_list(form.get("price_list_id")), **asdict(parse_requirements(form)),
    )  # fmt: skip


def city_of(address: str) -> str:
    """The city line of an address (its last line: "Portland, OR 97201")."""
    lines = [line for line in address.split("\n") if line.strip()]
    return lines[-1] if lines else ""


@dataclass(frozen=True)
class DirectoryQuery:
    """The facility list as the URL asks for it: ?q=…&inactive=1&page=2."""

    search: str = ""
    show_inactive: bool = False
    page: int = 1
    page_size: int = PAGE_SIZE

    def with_(self, **changes) -> "DirectoryQuery":
        return replace(self, **changes)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def parse_query(params: Mapping[str, str]) -> DirectoryQuery:
    """URL parameters → the query; a page that is not a number is the first page."""
    raw_page = str(params.get("page", "") or "").strip()
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() and 0 < int(raw_page) <= 100_000 else 1
    search = " ".join(lookup_text(params.get("q", ""), 60).split())
    return DirectoryQuery(search, str(params.get("inactive", "")) in ("1", "true"), page)


def to_params(query: DirectoryQuery) -> dict[str, str]:
    params = {
        "q": query.search,
        "inactive": "1" if query.show_inactive else "",
        "page": str(query.page) if query.page > 1 else "",
    }
    return {k: v for k, v in params.items() if v}


def page_count(total: int, page_size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // page_size))


def moved(order: list[int], item: int, step: int) -> list[int]:
    """The order with `item` moved one place up (step -1) or down (+1); unchanged at either end."""
    if item not in order or step not in (-1, 1):
        return list(order)
    at = order.index(item)
    to = at + step
    if not 0 <= to < len(order):
        return list(order)
    changed = list(order)
    changed[at], changed[to] = changed[to], changed[at]
    return changed
