"""The managers' console filters: parsed from (and written back to) the URL, so a view can be
bookmarked and shared. Bad values are refused with the reason, never guessed."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date

from .errors import InvalidInput
from .lifecycle import CaseStatus
from .text import lookup_text

SORTABLE = ("number", "facility", "surgeon", "rep", "surgery_date", "status", "billable_total", "last_shared_at", "pending_since")
DEFAULT_STATUSES = (CaseStatus.CLOSED.value, CaseStatus.COMPLETED.value)
PAGE_SIZES = (25, 50, 100)
OUTSTANDING = "outstanding"  # ?status=outstanding: Invoiced cases whose payments fall short
AGING_BUCKETS = ((0, 7, "0–7 days"), (8, 14, "8–14 days"), (15, 30, "15–30 days"), (31, None, "over 30 days"))


@dataclass(frozen=True)
class ConsoleFilters:
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    facility_id: int | None = None
    rep_id: int | None = None
    surgeon_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    not_shared: bool = False
    prices_edited: bool = False  # only cases with a price typed by hand
    pending_po_days: int | None = None
    outstanding: bool = False  # Invoiced with money still owed (the status filter's "Outstanding")
    search: str = ""
    sort: str = "surgery_date"
    descending: bool = True
    page: int = 1
    page_size: int = 25

    def with_(self, **changes) -> "ConsoleFilters":
        return replace(self, **changes)


def _int(params: Mapping[str, str], key: str, low: int = 1, high: int = 10**9) -> int | None:
    raw = str(params.get(key, "") or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:  # '²' is a digit int() refuses
        raise InvalidInput(key, f"“{raw[:20]}” is not a valid {key.replace('_', ' ')}.")
    return int(raw)


def _date(params: Mapping[str, str], key: str) -> date | None:
    raw = str(params.get(key, "") or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(key, f"“{raw[:20]}” is not a date (YYYY-MM-DD).") from None


def parse_filters(params: Mapping[str, str]) -> ConsoleFilters:
    """URL query parameters → filters. Absent means the default view (Closed and Completed,
    newest surgery first)."""
    statuses = tuple(s for s in str(params.get("status", "") or "").split(",") if s) or DEFAULT_STATUSES
    outstanding = statuses == (OUTSTANDING,)
    statuses = (CaseStatus.INVOICED.value,) if outstanding else statuses
    if any(s not in {c.value for c in CaseStatus} for s in statuses):
        raise InvalidInput("status", "Unknown status in the filter.")
    sort = str(params.get("sort", "surgery_date") or "surgery_date")
    if sort not in SORTABLE:
        raise InvalidInput("sort", "That column cannot be sorted.")
    page_size = _int(params, "size", 1, 100) or 25
    if page_size not in PAGE_SIZES:
        raise InvalidInput("size", "Show 25, 50 or 100 cases a page.")
    filters = ConsoleFilters(
        statuses=statuses, facility_id=_int(params, "facility"), rep_id=_int(params, "rep"),
        surgeon_id=_int(params, "surgeon"), date_from=_date(params, "from"), date_to=_date(params, "to"),
        not_shared=str(params.get("not_shared", "")) in ("1", "true"), pending_po_days=_int(params, "pending_over", 0, 3650),
        prices_edited=str(params.get("prices_edited", "")) in ("1", "true"), outstanding=outstanding,
        search=" ".join(lookup_text(params.get("q", ""), 60).split()), sort=sort,
        descending=str(params.get("dir", "desc")) != "asc", page=_int(params, "page", 1, 100000) or 1, page_size=page_size,
    )  # fmt: skip
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput("from", "The date range ends before it starts.")
    return filters


def to_params(filters: ConsoleFilters) -> dict[str, str]:
    """Filters → URL query parameters (defaults left out, so URLs stay short)."""
    default, values, out = asdict(ConsoleFilters()), asdict(filters), {}
    names = {"facility_id": "facility", "rep_id": "rep", "surgeon_id": "surgeon", "date_from": "from", "date_to": "to",
             "pending_po_days": "pending_over", "search": "q", "page_size": "size"}  # fmt: skip
    for key, value in values.items():
        if value == default[key]:
            continue
        if key == "outstanding":
            continue
        if key == "statuses":
            out["status"] = OUTSTANDING if filters.outstanding else ",".join(value)
        elif key == "descending":
            out["dir"] = "desc" if value else "asc"
        elif key in ("not_shared", "prices_edited"):
            out[key] = "1"
        else:
            out[names.get(key, key)] = str(value)
    return out
