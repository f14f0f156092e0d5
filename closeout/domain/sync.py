"""The offline sync's rules (issue 17): what a queued change from the offline screen must look
like, whether an edit made on an older version of a line still applies, and whether a
signature still vouches for the case's lines. Pure: services/sync.py applies the changes."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from .catalog import UsageStatus
from .errors import DomainError
from .price_edits import parse_price_reason
from .signing import PROVIDER_SIGNERS, SignerRole, parse_role
from .validation import parse_field

API_VERSION = 1
MAX_CHANGES = 500  # per request; the client sends its outbox in batches
# Stored answers (never twice) are kept ANSWERS_KEPT, far past the pack's day: a change can wait in
# an expired pack's stub for days, and a retry whose answer was pruned would apply again. A change
# made longer ago than TOO_OLD is refused instead, so a retry never outlives its answer.
ANSWERS_KEPT = timedelta(days=30)
TOO_OLD = ANSWERS_KEPT - timedelta(days=2)  # two days' margin for a tablet's clock running ahead
MAX_STORED_PER_USER = 20_000  # answers kept per user (500 a day for 30 days is 15,000)
MAX_RAW_SCAN = 1000  # the scan parser refuses long labels itself; this only bounds what is stored
# Applied in this order, one field at a time through the Devices Used service.
EDIT_FIELDS = ("usage_status", "quantity", "no_charge", "lot", "serial", "expiry", "unit_price", "price_reason")
_CHANGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
SALES_REP_OFFLINE = "Sign as the Sales Rep once back online: it needs your password or signing PIN."


class Result(StrEnum):
    SAVED = "saved"
    STALE = "stale"  # the line moved on the server meanwhile: the screen shows both values
    REFUSED = "refused"  # validation or lifecycle: the message says why


class Kind(StrEnum):
    EDIT = "edit"
    ADD = "add"
    SCAN = "scan"
    REMOVE = "remove"
    SIGN = "sign"


class BadChange(DomainError):
    """A change the server cannot take as sent; `change_id` is its id if that much was readable."""

    def __init__(self, message: str, change_id: str = ""):
        super().__init__(message)
        self.change_id = change_id


@dataclass(frozen=True, kw_only=True)
class Change:
    id: str
    case: str
    kind: Kind
    made_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Edit(Change):
    line_id: int
    version: int
    fields: tuple[tuple[str, object], ...]  # raw values, in EDIT_FIELDS order


@dataclass(frozen=True, kw_only=True)
class Add(Change):
    product_id: int
    fields: tuple[tuple[str, object], ...]


@dataclass(frozen=True, kw_only=True)
class Scan(Change):
    raw: str
    symbology: str = ""
    confirm_expired: bool = False  # the rep answered "add it anyway" on the offline screen


@dataclass(frozen=True, kw_only=True)
class Remove(Change):
    line_id: int
    version: int


@dataclass(frozen=True, kw_only=True)
class Sign(Change):
    role: SignerRole
    signer_name: object
    title: object
    image: object
    lines: frozenset[tuple[int, int]]  # the [line id, version] pairs the signer vouched for


def change_id_of(raw: object) -> str:
    """The change's id if it is one the client could have made (a UUID), else ""."""
    value = raw.get("id") if isinstance(raw, dict) else None
    return value if isinstance(value, str) and _CHANGE_ID.fullmatch(value) else ""


def _whole(raw: dict, key: str, change_id: str) -> int:
    value = raw.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
        raise BadChange(f"The change has no valid “{key}”.", change_id)
    return value


def _fields(raw: object, change_id: str) -> tuple[tuple[str, object], ...]:
    """The edited fields, each validated with the app's own words; raw values kept for the service."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or any(name not in EDIT_FIELDS for name in raw):
        raise BadChange("The change edits a field that cannot be edited.", change_id)
    fields = tuple((name, "" if raw[name] is None else raw[name]) for name in EDIT_FIELDS if name in raw)
    wanted_values(fields)  # raises InvalidInput with the app's message
    return fields


def _made_at(raw: object, change_id: str) -> datetime | None:
    if raw in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        raise BadChange("The change's time is not a date and time.", change_id) from None


class TooManyStored(DomainError):
    """The user's stored answers reached MAX_STORED_PER_USER: the request is refused whole (its
    changes stay queued) rather than forgetting older answers, which would let their retries
    apply twice."""

    def __init__(self) -> None:
        super().__init__(f"This account has sent {MAX_STORED_PER_USER:,} offline changes in the last "
                         f"{ANSWERS_KEPT.days} days, the most the server keeps: the changes stay queued on this "
                         "tablet. Ask a manager to look into it.")  # fmt: skip


def too_old(made_at: datetime | None, now: datetime) -> bool:
    """Whether a change was made too long ago to apply safely (its answer may have been pruned)."""
    if made_at is None:
        return False
    return (made_at if made_at.tzinfo else made_at.replace(tzinfo=UTC)) < now - TOO_OLD


TOO_OLD_MESSAGE = (f"This change was made offline more than {TOO_OLD.days} days ago and was not applied: "
                   "enter it again on the case.")  # fmt: skip


def parse_change(raw: object) -> Change:
    """One queued change as a typed value; BadChange (or InvalidInput) says what is wrong."""
    change_id = change_id_of(raw)
    if not change_id:
        raise BadChange("The change has no valid id.")
    case = raw.get("case")
    if not isinstance(case, str) or not 0 < len(case) <= 40:
        raise BadChange("The change names no case.", change_id)
    try:
        kind = Kind(raw.get("kind"))
    except ValueError:
        raise BadChange("The change is of an unknown kind.", change_id) from None
    common = dict(id=change_id, case=case, kind=kind, made_at=_made_at(raw.get("made_at"), change_id))
    if kind is Kind.EDIT:
        fields = _fields(raw.get("fields"), change_id)
        if not fields:
            raise BadChange("The edit changes no field.", change_id)
        return Edit(**common, line_id=_whole(raw, "line_id", change_id), version=_whole(raw, "version", change_id),
                    fields=fields)  # fmt: skip
    if kind is Kind.ADD:
        return Add(**common, product_id=_whole(raw, "product_id", change_id), fields=_fields(raw.get("fields"), change_id))
    if kind is Kind.REMOVE:
        return Remove(**common, line_id=_whole(raw, "line_id", change_id), version=_whole(raw, "version", change_id))
    if kind is Kind.SCAN:
        text, confirm = raw.get("raw"), raw.get("confirm_expired", False)
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_RAW_SCAN:
            raise BadChange("The scan holds no label text.", change_id)
        return Scan(**common, raw=text, symbology=str(raw.get("symbology") or "")[:40], confirm_expired=confirm is True)
    return _sign(raw, common, change_id)


def _sign(raw: dict, common: dict, change_id: str) -> Sign:
    role = parse_role(raw.get("role"))
    if role not in PROVIDER_SIGNERS:
        raise BadChange(SALES_REP_OFFLINE, change_id)
    pairs = raw.get("lines")
    if not isinstance(pairs, list) or not all(_is_pair(p) for p in pairs) or len({p[0] for p in pairs}) != len(pairs):
        raise BadChange("The signature does not say which line versions it vouched for.", change_id)
    return Sign(**common, role=role, signer_name=raw.get("signer_name"), title=raw.get("title", ""),
                image=raw.get("image"), lines=frozenset((p[0], p[1]) for p in pairs))  # fmt: skip


def _is_pair(pair: object) -> bool:
    return (isinstance(pair, list) and len(pair) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in pair))  # fmt: skip


def wanted_values(fields: tuple[tuple[str, object], ...]) -> dict[str, object]:
    """The fields' values as the line stores them (an enum as its text), validated."""
    values = {}
    for name, raw in fields:
        value = parse_price_reason(raw) if name == "price_reason" else parse_field(name, raw)
        values[name] = value.value if isinstance(value, UsageStatus) else value
    return values


class EditOutcome(StrEnum):
    APPLY = "apply"  # made on the line's current version
    UNCHANGED = "unchanged"  # the line moved, but already holds every value the edit wants
    STALE = "stale"


def edit_outcome(made_on: int, current_version: int, wanted: dict[str, object], current: dict[str, object]) -> EditOutcome:
    """An edit made on an older version is stale, unless the server already holds exactly
    what it wants (another screen made the same change): then there is nothing to decide,
    and it is saved without a new version, as an inline edit to an equal value is."""
    if made_on == current_version:
        return EditOutcome.APPLY
    if all(current.get(name) == value for name, value in wanted.items()):
        return EditOutcome.UNCHANGED
    return EditOutcome.STALE


def own_steps(answered: list[tuple[int, int]]) -> dict[int, int]:
    """The chain of a line's versions through this user's saved edits, from (version applied on,
    version after) pairs in the order they were saved. A pair that moved nothing (an answer
    stored before issue 23 for an edit to the value the line held) is no step: as a dict key it
    would hide the real step from that version, and which one won depended on the order the
    database returned the answers in (SQLite: insertion; PostgreSQL: any) — false conflicts."""
    return {before: after for before, after in answered if after > before}


def rebased(made_on: int, current: int, own_steps: dict[int, int]) -> int:
    """The version an offline edit counts as made on. The screen queues every edit of a line on
    the version it downloaded, so where the line moved on only through this user's own synced
    changes (`own_steps`: version applied on → version after), the edit was made on what the
    server holds now; any step by someone else breaks the chain, and the edit stays stale."""
    seen = set()
    while made_on != current and made_on in own_steps and made_on not in seen:
        seen.add(made_on)
        made_on = own_steps[made_on]
    return made_on


def vouches_for(signed: frozenset[tuple[int, int]], current: frozenset[tuple[int, int]]) -> bool:
    """A signature given offline stands only for exactly the lines, at exactly the versions,
    the case holds now: a line added, removed or changed since means the signer saw other content."""
    return signed == current
