"""The lifecycle table, whole: every status × action × role is a next status or a refusal."""

import pytest

from closeout.domain.errors import NotAllowed
from closeout.domain.lifecycle import MANAGER, REP, TRANSITIONS, Allowed, CaseAction, CaseStatus, allows, check

O, C, D, X = CaseStatus.OPEN, CaseStatus.CLOSED, CaseStatus.COMPLETED, CaseStatus.CANCELLED  # noqa: E741
INV, PAID = CaseStatus.INVOICED, CaseStatus.PAID
A = CaseAction
# (status, action): (next status for a rep or refusal words, next status for a manager or refusal words)
EXPECTED = {
    (O, A.EDIT_DEVICES): (O, "read-only"), (O, A.SIGN): (O, "read-only"), (O, A.SUBMIT): (C, "read-only"),
    (O, A.ENTER_PO): ("before entering", "before entering"), (O, A.COMPLETE): ("cannot be completed",) * 2,
    (O, A.REOPEN): ("already open",) * 2, (O, A.REQUEST_REPLENISHMENT): ("after submitting",) * 2,
    (O, A.SHARE): ("once the case is submitted",) * 2, (C, A.SHARE): (C, C), (D, A.SHARE): (D, D),
    (C, A.EDIT_DEVICES): ("no longer be changed",) * 2, (C, A.SIGN): ("already been submitted",) * 2,
    (C, A.SUBMIT): ("already been submitted",) * 2, (C, A.ENTER_PO): (C, C), (C, A.COMPLETE): (D, D),
    (C, A.REOPEN): (O, O), (C, A.REQUEST_REPLENISHMENT): (C, "read-only"),
    (D, A.EDIT_DEVICES): ("no longer be changed",) * 2, (D, A.SIGN): ("already been submitted",) * 2,
    (D, A.SUBMIT): ("already been submitted",) * 2, (D, A.ENTER_PO): ("already recorded",) * 2,
    (D, A.COMPLETE): ("already completed",) * 2, (D, A.REOPEN): ("Only a manager", O),
    (D, A.REQUEST_REPLENISHMENT): (D, "read-only"),
    (O, A.EDIT_HEADER): (O, O), (C, A.EDIT_HEADER): ("no longer be changed",) * 2,
    (D, A.EDIT_HEADER): ("no longer be changed",) * 2,
    (O, A.CANCEL): (X, X), (C, A.CANCEL): ("Only a manager", X), (D, A.CANCEL): ("reopens it first",) * 2,
    (O, A.INVOICE): ("once its Purchase Order",) * 2, (C, A.INVOICE): ("once its Purchase Order",) * 2,
    (D, A.INVOICE): ("Only a manager records", INV),
    (O, A.RECORD_PAYMENT): ("before a payment",) * 2, (C, A.RECORD_PAYMENT): ("before a payment",) * 2,
    (D, A.RECORD_PAYMENT): ("before a payment",) * 2,
    **{(s, action): expected for s in (INV, PAID) for action, expected in {
        A.EDIT_DEVICES: ("no longer be changed",) * 2, A.SIGN: ("already been submitted",) * 2,
        A.SUBMIT: ("already been submitted",) * 2, A.ENTER_PO: ("already recorded",) * 2,
        A.COMPLETE: ("already completed",) * 2, A.REOPEN: ("Only a manager can reopen (correct)", O),
        A.REQUEST_REPLENISHMENT: (s, "read-only"), A.SHARE: (s, s), A.EDIT_HEADER: ("no longer be changed",) * 2,
        A.CANCEL: ("credit and rebill",) * 2, A.INVOICE: ("already invoiced",) * 2,
        A.RECORD_PAYMENT: ("Only a manager records", INV),
    }.items()},
    **{(X, action): ("was cancelled",) * 2 for action in A},
}  # fmt: skip


def test_the_table_covers_every_status_and_action():
    assert set(TRANSITIONS) == {(s, a) for s in CaseStatus for a in CaseAction} == set(EXPECTED)


@pytest.mark.parametrize(("status", "action"), list(EXPECTED))
@pytest.mark.parametrize("role", [REP, MANAGER])
def test_every_cell(status, action, role):
    expected = EXPECTED[(status, action)][0 if role == REP else 1]
    if isinstance(expected, CaseStatus):
        assert check(status, action, role) is expected
        assert allows(status, action, role)
    else:
        with pytest.raises(NotAllowed) as refusal:
            check(status, action, role)
        assert expected in refusal.value.message
        assert not allows(status, action, role)


def test_only_open_cases_accept_device_edits():
    editable = [s for s in CaseStatus if isinstance(TRANSITIONS[(s, A.EDIT_DEVICES)], Allowed)]
    assert editable == [O]


def test_a_cancelled_case_is_final():
    assert not any(allows(X, action, role) for action in A for role in (REP, MANAGER))
