"""The case page's header state: who, where, when, and the status."""

import reflex as rx

from ..domain.errors import NotFound
from ..domain.lifecycle import MANAGER, REP, STATUS_LABELS, CaseAction, allows
from ..services import cases
from .base import AuthState, route_tail

# The tab states that read themselves again when another screen (or the facility's buyer, through
# the sales order link) changes the case while their tab is open: the case page's live watcher
# (devices_used/live.py) tells them. Tab name -> state classes, registered by the tab's own modules.
LIVE_TABS: dict[str, list[type[rx.State]]] = {}


class CaseState(AuthState):
    number: str = ""
    facility: str = ""
    surgeon: str = ""
    procedure: str = ""
    surgery_date: str = ""
    rep: str = ""
    patient_ref: str = ""
    status: str = ""
    status_label: str = ""
    surgery_time: str = ""
    facility_case_number: str = ""
    cancelled_note: str = ""  # who cancelled it, when and why
    can_edit_details: bool = False
    can_cancel: bool = False
    not_found: str = ""
    tab: str = "devices"  # the open tab (case_page.CaseTabsState opens the others)

    @rx.event
    def load(self):
        self._refresh_header(route_tail(self))

    def _refresh_header(self, number: str):
        """Read the header again (also when another screen changed the case)."""
        try:
            header = cases.case_header(self._actor(), number)
        except NotFound as refusal:
            self._case_missing(refusal.message)
            return
        self._show_header(header)

    def _case_missing(self, message: str) -> None:
        self.not_found, self.number = message, ""

    def _show_header(self, header: cases.CaseHeader) -> None:
        """The header as read (by `_refresh_header`, or by the case page's one read when it opens)."""
        self.not_found = ""
        self.number, self.facility, self.surgeon = header.number, header.facility, header.surgeon
        self.procedure, self.rep, self.patient_ref = header.procedure, header.rep, header.patient_ref
        self.surgery_date = header.surgery_date.strftime("%b %-d, %Y")
        self.status, self.status_label = header.status.value, STATUS_LABELS[header.status]
        self.surgery_time = header.surgery_time.strftime("%H:%M") if header.surgery_time else ""
        self.facility_case_number = header.facility_case_number
        self.cancelled_note = (
            f"Cancelled by {header.cancelled_by} on {header.cancelled_at:%b %-d, %Y}: {header.cancel_reason}"
            if header.cancelled_at else ""
        )  # fmt: skip
        role = MANAGER if self.is_manager else REP
        self.can_edit_details = allows(header.status, CaseAction.EDIT_HEADER, role)
        self.can_cancel = allows(header.status, CaseAction.CANCEL, role)
