"""The details of a case a rep types when creating it, or edits while it is Open: each
parser returns the clean value or raises InvalidInput naming the form field."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time, timedelta

from .errors import InvalidInput
from .patient_ref import check_patient_ref

MAX_PROCEDURE = 160
MAX_FACILITY_CASE_NUMBER = 40
MAX_REASON = 300
SURGERY_WINDOW = timedelta(days=366)  # a surgery date further off is a typo
_TIME = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


@dataclass(frozen=True)
class CaseDetails:
    """What a new case needs, and what an Open case's header edit may change."""

    facility_id: int
    surgeon_id: int
    procedure: str
    surgery_date: date
    surgery_time: time | None
    patient_ref: str
    facility_case_number: str
    rep_id: int


def _printable(raw: object, field: str, label: str, limit: int, required: bool) -> str:
    text = " ".join(str(raw if raw is not None else "").split())
    if required and not text:
        raise InvalidInput(field, f"Enter the {label}.")
    if len(text) > limit:
        raise InvalidInput(field, f"The {label} is at most {limit} characters.")
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in text):
        raise InvalidInput(field, f"The {label} contains characters that cannot be printed.")
    return text


def parse_procedure(raw: object) -> str:
    return _printable(raw, "procedure", "procedure", MAX_PROCEDURE, required=True)


def parse_facility_case_number(raw: object) -> str:
    """The facility's own number for the case; optional."""
    return _printable(raw, "facility_case_number", "facility's case number", MAX_FACILITY_CASE_NUMBER, required=False)


def parse_reason(raw: object) -> str:
    """Why a case is cancelled: kept on the case and in Activity."""
    return _printable(raw, "reason", "reason", MAX_REASON, required=True)


def parse_surgery_date(raw: object, today: date | None = None) -> date:
    """An ISO date; with `today`, also no more than a year away from it (further is a typo)."""
    text = str(raw or "").strip()
    if not _DATE.fullmatch(text):
        raise InvalidInput("surgery_date", "Enter the surgery date, like 2026-06-15.")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("surgery_date", f"{text} is not a real date.") from None
    if today is not None and abs(value - today) > SURGERY_WINDOW:
        raise InvalidInput("surgery_date", "The surgery date is more than a year away from today; check it.")
    return value


def parse_surgery_time(raw: object) -> time | None:
    """A 24-hour time as a time input sends it (HH:MM); blank when not known."""
    text = str(raw or "").strip()
    if not text:
        return None
    match = _TIME.fullmatch(text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInput("surgery_time", "Enter the surgery time as hours and minutes, like 07:30.")
    return time(int(match[1]), int(match[2]))


def parse_id(raw: object, field: str, label: str) -> int:
    """A choice from a drop-down, sent as its id."""
    text = str(raw if raw is not None else "").strip()
    if not text.isdigit() or not text.isascii() or len(text) > 18 or isinstance(raw, bool):
        raise InvalidInput(field, f"Choose the {label}.")
    return int(text)


def case_details(form: Mapping[str, object], today: date | None, patient_ref_pattern: str = "") -> CaseDetails:
    """Every field of the form, checked; the first problem is raised with its field. Without
    `today` the surgery date's distance from today is not checked (an edit that keeps it)."""
    return CaseDetails(
        facility_id=parse_id(form.get("facility_id"), "facility_id", "facility"),
        surgeon_id=parse_id(form.get("surgeon_id"), "surgeon_id", "surgeon"),
        procedure=parse_procedure(form.get("procedure")),
        surgery_date=parse_surgery_date(form.get("surgery_date"), today),
        surgery_time=parse_surgery_time(form.get("surgery_time")),
        patient_ref=check_patient_ref(form.get("patient_ref"), patient_ref_pattern),
        facility_case_number=parse_facility_case_number(form.get("facility_case_number")),
        rep_id=parse_id(form.get("rep_id"), "rep_id", "sales rep"),
    )


def changed_fields(before: CaseDetails, after: CaseDetails) -> dict[str, tuple[object, object]]:
    """field -> (before, after) for what an edit changes, for the audit row."""
    return {
        name: (getattr(before, name), getattr(after, name))
        for name in CaseDetails.__dataclass_fields__
        if getattr(before, name) != getattr(after, name)
    }
