"""The case lifecycle as one table: status × action → next status (and who may do it),
or a refusal message.

Services ask `check` before changing anything; the UI asks `allows` to decide what to
offer. Nothing else moves a case between statuses.
"""

from dataclasses import dataclass
from enum import StrEnum

from .errors import NotAllowed


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    COMPLETED = "completed"
    INVOICED = "invoiced"  # a manager recorded the invoice
    PAID = "paid"  # the payments add up to the invoice amount
    CANCELLED = "cancelled"  # never deleted: kept with who cancelled it and why


STATUS_LABELS = {
    CaseStatus.OPEN: "Open",
    CaseStatus.CLOSED: "Closed — pending PO",
    CaseStatus.COMPLETED: "Completed",
    CaseStatus.INVOICED: "Invoiced",
    CaseStatus.PAID: "Paid",
    CaseStatus.CANCELLED: "Cancelled",
}


class CaseAction(StrEnum):
    EDIT_DEVICES = "edit devices"
    SIGN = "sign"
    SUBMIT = "submit for billing"
    ENTER_PO = "enter purchase order"
    COMPLETE = "complete"  # only when the POs cover every manufacturer
    REOPEN = "reopen"
    REQUEST_REPLENISHMENT = "request replenishment"
    SHARE = "share the sales order"
    EDIT_HEADER = "edit the case details"
    CANCEL = "cancel"
    INVOICE = "record the invoice"
    RECORD_PAYMENT = "record a payment"  # Paid once the payments add up (services/payments.py decides)


REP, MANAGER = "sales_rep", "manager"
ANYONE = frozenset({REP, MANAGER})
REP_ONLY = frozenset({REP})  # a manager sees a case read-only, but for the PO and reopening
MANAGER_ONLY = frozenset({MANAGER})


@dataclass(frozen=True)
class Allowed:
    next_status: CaseStatus
    roles: frozenset[str] = ANYONE


_LOCKED = "This case has been submitted for billing: its Devices Used can no longer be changed."
_SUBMITTED = "This case has already been submitted for billing."
_CANCELLED = "This case was cancelled; nothing more can be done with it."
_HEADER_LOCKED = "This case has been submitted for billing: its details can no longer be changed."
_NOT_INVOICED = "Record the invoice before a payment."
_NOT_COMPLETED = "A case is invoiced once its Purchase Order is recorded (Completed)."
_INVOICED_ALREADY = "This case is already invoiced: a correction (credit and rebill) replaces its invoice."
_BILLED_PO = "This case is invoiced: its Purchase Order is already recorded."
_BILLED_CANCEL = "An invoiced case is not cancelled: a manager corrects it (credit and rebill)."

# (status, action) -> Allowed(next status, roles) or a refusal message.
TRANSITIONS: dict[tuple[CaseStatus, CaseAction], Allowed | str] = {
    (CaseStatus.OPEN, CaseAction.EDIT_DEVICES): Allowed(CaseStatus.OPEN, REP_ONLY),
    (CaseStatus.OPEN, CaseAction.SIGN): Allowed(CaseStatus.OPEN, REP_ONLY),
    (CaseStatus.OPEN, CaseAction.SUBMIT): Allowed(CaseStatus.CLOSED, REP_ONLY),
    (CaseStatus.OPEN, CaseAction.ENTER_PO): "Submit the case for billing before entering its Purchase Order.",
    (CaseStatus.OPEN, CaseAction.COMPLETE): "An open case cannot be completed.",
    (CaseStatus.OPEN, CaseAction.REOPEN): "This case is already open.",
    (CaseStatus.OPEN, CaseAction.REQUEST_REPLENISHMENT): "Replenishment is requested after submitting for billing.",
    (CaseStatus.OPEN, CaseAction.SHARE): "The sales order is shared once the case is submitted for billing.",
    (CaseStatus.OPEN, CaseAction.EDIT_HEADER): Allowed(CaseStatus.OPEN),  # a manager may reassign the rep
    (CaseStatus.OPEN, CaseAction.CANCEL): Allowed(CaseStatus.CANCELLED),
    (CaseStatus.CLOSED, CaseAction.EDIT_DEVICES): _LOCKED,
    (CaseStatus.CLOSED, CaseAction.SIGN): _SUBMITTED,
    (CaseStatus.CLOSED, CaseAction.SUBMIT): _SUBMITTED,
    (CaseStatus.CLOSED, CaseAction.ENTER_PO): Allowed(CaseStatus.CLOSED),
    (CaseStatus.CLOSED, CaseAction.COMPLETE): Allowed(CaseStatus.COMPLETED),
    (CaseStatus.CLOSED, CaseAction.REOPEN): Allowed(CaseStatus.OPEN),
    (CaseStatus.CLOSED, CaseAction.REQUEST_REPLENISHMENT): Allowed(CaseStatus.CLOSED, REP_ONLY),
    (CaseStatus.CLOSED, CaseAction.SHARE): Allowed(CaseStatus.CLOSED),
    (CaseStatus.CLOSED, CaseAction.EDIT_HEADER): _HEADER_LOCKED,
    (CaseStatus.CLOSED, CaseAction.CANCEL): Allowed(CaseStatus.CANCELLED, frozenset({MANAGER})),
    (CaseStatus.COMPLETED, CaseAction.EDIT_DEVICES): _LOCKED,
    (CaseStatus.COMPLETED, CaseAction.SIGN): _SUBMITTED,
    (CaseStatus.COMPLETED, CaseAction.SUBMIT): _SUBMITTED,
    (CaseStatus.COMPLETED, CaseAction.ENTER_PO): "This case is completed: its Purchase Order is already recorded.",
    (CaseStatus.COMPLETED, CaseAction.COMPLETE): "This case is already completed.",
    (CaseStatus.COMPLETED, CaseAction.REOPEN): Allowed(CaseStatus.OPEN, frozenset({MANAGER})),
    (CaseStatus.COMPLETED, CaseAction.REQUEST_REPLENISHMENT): Allowed(CaseStatus.COMPLETED, REP_ONLY),
    (CaseStatus.COMPLETED, CaseAction.SHARE): Allowed(CaseStatus.COMPLETED),
    (CaseStatus.COMPLETED, CaseAction.EDIT_HEADER): _HEADER_LOCKED,
    (CaseStatus.COMPLETED, CaseAction.CANCEL): "A completed case has its Purchase Order: a manager reopens it first.",
    (CaseStatus.OPEN, CaseAction.INVOICE): _NOT_COMPLETED,
    (CaseStatus.CLOSED, CaseAction.INVOICE): _NOT_COMPLETED,
    (CaseStatus.COMPLETED, CaseAction.INVOICE): Allowed(CaseStatus.INVOICED, MANAGER_ONLY),
    (CaseStatus.OPEN, CaseAction.RECORD_PAYMENT): _NOT_INVOICED,
    (CaseStatus.CLOSED, CaseAction.RECORD_PAYMENT): _NOT_INVOICED,
    (CaseStatus.COMPLETED, CaseAction.RECORD_PAYMENT): _NOT_INVOICED,
    # Invoiced and Paid: the sales order is final; a manager corrects it by reopening (a new revision).
    **{(status, action): rule for status in (CaseStatus.INVOICED, CaseStatus.PAID) for action, rule in {
        CaseAction.EDIT_DEVICES: _LOCKED,
        CaseAction.SIGN: _SUBMITTED,
        CaseAction.SUBMIT: _SUBMITTED,
        CaseAction.ENTER_PO: _BILLED_PO,
        CaseAction.COMPLETE: "This case is already completed.",
        CaseAction.REOPEN: Allowed(CaseStatus.OPEN, MANAGER_ONLY),
        CaseAction.REQUEST_REPLENISHMENT: Allowed(status, REP_ONLY),
        CaseAction.SHARE: Allowed(status),
        CaseAction.EDIT_HEADER: _HEADER_LOCKED,
        CaseAction.CANCEL: _BILLED_CANCEL,
        CaseAction.INVOICE: _INVOICED_ALREADY,
        CaseAction.RECORD_PAYMENT: Allowed(CaseStatus.INVOICED, MANAGER_ONLY),  # or PAID: the amounts decide
    }.items()},
    **{(CaseStatus.CANCELLED, action): _CANCELLED for action in CaseAction},
}

_ROLE_REFUSALS = {
    (CaseStatus.COMPLETED, CaseAction.REOPEN): "Only a manager can reopen a completed case.",
    (CaseStatus.CLOSED, CaseAction.CANCEL): "Only a manager can cancel a case submitted for billing.",
    **{(status, CaseAction.REOPEN): "Only a manager can reopen (correct) an invoiced case."
       for status in (CaseStatus.INVOICED, CaseStatus.PAID)},
    **{(status, action): "Only a manager records invoices and payments."
       for status in (CaseStatus.COMPLETED, CaseStatus.INVOICED, CaseStatus.PAID)
       for action in (CaseAction.INVOICE, CaseAction.RECORD_PAYMENT)},
}
# After a correction the case is Open again with a new revision: reopening these is a credit and rebill.
CORRECTED_ON_REOPEN = frozenset({CaseStatus.COMPLETED, CaseStatus.INVOICED, CaseStatus.PAID})
_READ_ONLY = "A manager sees this case read-only: its sales rep does that."


def _rule(status: CaseStatus | str, action: CaseAction) -> Allowed | str:
    return TRANSITIONS[(CaseStatus(status), action)]


def check(status: CaseStatus | str, action: CaseAction, role: str = REP) -> CaseStatus:
    """The status after `action` by someone with `role`, or NotAllowed with the reason."""
    rule = _rule(status, action)
    if isinstance(rule, str):
        raise NotAllowed(rule)
    if role not in rule.roles:
        raise NotAllowed(_ROLE_REFUSALS.get((CaseStatus(status), action), _READ_ONLY))
    return rule.next_status


def allows(status: CaseStatus | str, action: CaseAction, role: str = REP) -> bool:
    """Whether the UI should offer `action` at all."""
    rule = _rule(status, action)
    return isinstance(rule, Allowed) and role in rule.roles
