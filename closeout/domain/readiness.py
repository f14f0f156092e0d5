"""What must be true before a case can be submitted for billing: device lines, traceable
implants, and what the case's facility requires (its own case number on the PO, the surgery
time, the lot, serial and expiry of every implant). Each gap says where it is fixed."""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, time

from .catalog import UsageStatus
from .errors import DomainError

NEEDS_TRACEABILITY = {UsageStatus.IMPLANTED, UsageStatus.EXPLANTED}
MAX_LISTED = 20  # gaps named one by one; past this, how many more


@dataclass(frozen=True)
class FacilityRequirements:
    """A facility's billing requirements; every flag off is the rule for every facility
    (an implanted or explanted line needs a lot or a serial number, nothing more). The names
    are the Facility columns."""

    requires_case_number: bool = False
    requires_patient_ref: bool = False
    requires_procedure: bool = False
    requires_surgery_time: bool = False
    implants_need_lot: bool = False
    implants_need_serial: bool = False
    implants_need_expiry: bool = False


REQUIREMENT_FIELDS = tuple(f.name for f in fields(FacilityRequirements))
REQUIREMENT_LABELS = {
    "requires_case_number": "Facility case number",
    "requires_patient_ref": "Patient identifier",
    "requires_procedure": "Procedure",
    "requires_surgery_time": "Surgery time",
    "implants_need_lot": "Lot number",
    "implants_need_serial": "Serial number",
    "implants_need_expiry": "Expiry date",
}
# case field (CaseFacts and the Edit details form) -> (the flag requiring it, its name in a sentence)
CASE_FIELDS = {
    "facility_case_number": ("requires_case_number", "its case number"),
    "patient_ref": ("requires_patient_ref", "the patient identifier"),
    "procedure": ("requires_procedure", "the procedure"),
    "surgery_time": ("requires_surgery_time", "the surgery time"),
}
_LINE_PARTS = (("implants_need_lot", "lot", "lot number"), ("implants_need_serial", "serial", "serial number"),
               ("implants_need_expiry", "expiry", "expiry date"))  # fmt: skip


def requirements_of(facility: object) -> FacilityRequirements:
    """A facility's requirements, read from its (Facility) attributes of the same names."""
    return FacilityRequirements(**{name: bool(getattr(facility, name, False)) for name in REQUIREMENT_FIELDS})


def parse_requirements(form: Mapping[str, object]) -> FacilityRequirements:
    """The ticked boxes of a form (a ticked box sends "on"; an unticked one sends nothing)."""
    return FacilityRequirements(**{name: form.get(name) in (True, "on", "true", "1") for name in REQUIREMENT_FIELDS})


@dataclass(frozen=True)
class Missing:
    """One thing standing between a case and Submit for Billing, in words for the rep, and
    where it is fixed: a case detail (`field`, in Edit details), a device line (`line`, its
    position, and `field`, the line's input), or neither (signatures, no lines)."""

    text: str
    field: str = ""
    line: int = 0

    def __str__(self) -> str:
        return self.text


NO_LINES = Missing("Add at least one device line.")


class NotReady(DomainError):
    """Submit for Billing refused: `missing` lists every gap (the message names the first ones)."""

    def __init__(self, missing: list[Missing]):
        super().__init__(" ".join(m.text for m in listed(missing)))
        self.missing = missing


@dataclass(frozen=True)
class CaseFacts:
    facility_case_number: str
    patient_ref: str
    procedure: str
    surgery_time: time | None  # None: not known


@dataclass(frozen=True)
class LineFacts:
    position: int
    ref: str
    usage_status: UsageStatus
    lot: str
    serial: str
    expiry: date | None = None


def case_gaps(rules: FacilityRequirements, case: CaseFacts) -> list[Missing]:
    """The case details the facility requires that are blank."""
    return [
        Missing(f"The facility requires {words}: enter it in Edit details.", field=name)
        for name, (flag, words) in CASE_FIELDS.items()
        if getattr(rules, flag) and getattr(case, name) in (None, "")
    ]


def _line_gap(rules: FacilityRequirements, line: LineFacts) -> Missing | None:
    label = f"Line {line.position} ({line.ref})"
    if line.usage_status is UsageStatus.IMPLANTED:
        absent = [(field, words) for flag, field, words in _LINE_PARTS
                  if getattr(rules, flag) and getattr(line, field) in (None, "")]  # fmt: skip
        if absent:
            words = [w for _, w in absent]
            listing = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
            return Missing(f"{label} needs its {listing}: the facility requires {'them' if len(words) > 1 else 'it'} "
                           "on every implant.", field=absent[0][0], line=line.position)  # fmt: skip
    if line.usage_status in NEEDS_TRACEABILITY and not (line.lot or line.serial):
        return Missing(f"{label} needs a lot or serial number.", field="lot", line=line.position)
    return None


def line_gaps(rules: FacilityRequirements, lines: list[LineFacts]) -> list[Missing]:
    """Lines that cannot be billed as they are: an implanted or explanted device must be
    traceable (a lot or a serial number), and an implant carries what the facility requires."""
    return [gap for line in lines if (gap := _line_gap(rules, line)) is not None]


def line_problems(lines: list[LineFacts]) -> list[str]:
    """The traceability rule every facility has, in words."""
    return [gap.text for gap in line_gaps(FacilityRequirements(), lines)]


def billing_gaps(rules: FacilityRequirements, case: CaseFacts, lines: list[LineFacts]) -> list[Missing]:
    """What the case lacks for its facility, case details first, then lines in order."""
    if not lines:
        return [*case_gaps(rules, case), NO_LINES]
    return [*case_gaps(rules, case), *line_gaps(rules, lines)]


def listed(missing: list[Missing], limit: int = MAX_LISTED) -> list[Missing]:
    """The first `limit` gaps, and one more that counts the rest (a case of 1,500 lines
    without expiry dates is one screen, not 1,500 rows)."""
    if len(missing) <= limit:
        return list(missing)
    rest = len(missing) - limit
    return [*missing[:limit], Missing(f"…and {rest:,} more {'gap' if rest == 1 else 'gaps'} like these.")]
