"""The lifecycle table: every status × action is either a next status or a refusal."""

import pytest

from closeout.domain.errors import NotAllowed
from closeout.domain.lifecycle import TRANSITIONS, CaseAction, CaseStatus, allows, check


def test_the_table_covers_every_status_and_action():
    assert set(TRANSITIONS) == {(s, a) for s in CaseStatus for a in CaseAction}


def test_an_open_case_can_be_edited():
    assert check(CaseStatus.OPEN, CaseAction.EDIT_DEVICES) is CaseStatus.OPEN
    assert allows("open", CaseAction.EDIT_DEVICES)


@pytest.mark.parametrize("status", [CaseStatus.CLOSED, CaseStatus.COMPLETED])
def test_a_submitted_case_is_locked(status):
    with pytest.raises(NotAllowed) as refusal:
        check(status, CaseAction.EDIT_DEVICES)
    assert "can no longer be changed" in refusal.value.message
    assert not allows(status, CaseAction.EDIT_DEVICES)
