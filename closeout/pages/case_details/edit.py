"""Edit an Open case's details, or cancel a case with a reason, from the case header."""

import reflex as rx

from ...domain.errors import DomainError
from ...services import case_edits
from ..base import AuthState, route_tail
from ..case_state import CaseState
from .form import CaseFormMixin, Choice, choices_of


class CaseDetailsState(CaseFormMixin, AuthState):
    editing: bool = False
    cancelling: bool = False
    values: dict[str, str] = {}
    cancel_error: str = ""
    notice: str = ""

    @rx.event
    def open_edit(self):
        try:
            current, offered = case_edits.details_for_edit(self._actor(), route_tail(self))
        except DomainError as refusal:
            self.notice = refusal.message
            return
        self.facilities, self.reps = choices_of(offered.facilities), choices_of(offered.reps)
        self.facility_id, self.surgeon_id, self.rep_id = str(current.facility_id), str(current.surgeon_id), str(current.rep_id)
        if self.facility_id not in {f.id for f in self.facilities}:  # a facility since deactivated stays shown
            self.facilities = [Choice(self.facility_id, "(this case's facility)"), *self.facilities]
        self.values = {
            "procedure": current.procedure, "patient_ref": current.patient_ref,
            "surgery_date": current.surgery_date.isoformat(), "facility_case_number": current.facility_case_number,
            "surgery_time": current.surgery_time.strftime("%H:%M") if current.surgery_time else "",
        }  # fmt: skip
        self.field_errors, self.form_error, self.new_surgeon, self.notice = {}, "", "", ""
        self._load_surgeons()
        self.editing = True

    @rx.event
    def close_edit(self):
        self.editing = False

    @rx.event
    async def save(self, typed: dict):
        number = route_tail(self)
        try:
            moved = case_edits.edit_details(self._actor(), number, self._form(typed))
        except DomainError as refusal:
            self._refused(refusal)
            return
        self.editing = False
        self.notice = f"Saved. {moved} device line price(s) changed to the contract price in force." if moved else "Saved."
        (await self.get_state(CaseState))._refresh_header(number)
        from ..sign_submit.state import SignState  # here: Sign & Submit links to this dialog (its gaps)

        return SignState.details_saved(number)  # what Submit for Billing waits for may have changed

    @rx.event
    def open_cancel(self):
        self.cancelling, self.cancel_error, self.notice = True, "", ""

    @rx.event
    def close_cancel(self):
        self.cancelling = False

    @rx.event
    async def cancel_case(self, typed: dict):
        number = route_tail(self)
        try:
            case_edits.cancel_case(self._actor(), number, typed.get("reason", ""))
        except DomainError as refusal:
            self.cancel_error = refusal.message
            return
        self.cancelling, self.notice = False, "The case is cancelled."
        (await self.get_state(CaseState))._refresh_header(number)
