"""The case lifecycle as one table: status × action → next status, or a refusal.

Services ask `check` before changing anything; the UI asks `allows` to decide
what to offer. Sign & Submit and the PO extend the table with their actions.
"""

from enum import StrEnum

from .errors import NotAllowed


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    COMPLETED = "completed"


STATUS_LABELS = {
    CaseStatus.OPEN: "Open",
    CaseStatus.CLOSED: "Closed — pending PO",
    CaseStatus.COMPLETED: "Completed",
}


class CaseAction(StrEnum):
    EDIT_DEVICES = "edit devices"


_LOCKED = "This case is {status}: its Devices Used can no longer be changed."

# (status, action) -> next status, or a refusal message.
TRANSITIONS: dict[tuple[CaseStatus, CaseAction], CaseStatus | str] = {
    (CaseStatus.OPEN, CaseAction.EDIT_DEVICES): CaseStatus.OPEN,
    (CaseStatus.CLOSED, CaseAction.EDIT_DEVICES): _LOCKED.format(status="closed"),
    (CaseStatus.COMPLETED, CaseAction.EDIT_DEVICES): _LOCKED.format(status="completed"),
}


def check(status: CaseStatus | str, action: CaseAction) -> CaseStatus:
    """The status after `action`, or NotAllowed with the reason."""
    outcome = TRANSITIONS[(CaseStatus(status), action)]
    if isinstance(outcome, CaseStatus):
        return outcome
    raise NotAllowed(outcome)


def allows(status: CaseStatus | str, action: CaseAction) -> bool:
    """Whether the UI should offer `action` at all."""
    return isinstance(TRANSITIONS[(CaseStatus(status), action)], CaseStatus)
