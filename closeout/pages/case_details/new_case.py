"""New case: a rep creates one for themself (a manager for any rep) in one screen, then
lands on its Devices Used to add the first device."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH
from ...domain.errors import DomainError
from ...services import new_case
from ..base import AuthState
from ..template import signed_in_page
from .form import CaseFormMixin, case_fields, choices_of, form_error


class NewCaseState(CaseFormMixin, AuthState):
    today: str = ""

    @rx.event
    def load(self):
        offered = new_case.choices(self._actor())
        self.facilities, self.reps = choices_of(offered.facilities), choices_of(offered.reps)
        self.today, self.field_errors, self.form_error, self.new_surgeon = offered.today.isoformat(), {}, "", ""
        self.facility_id = self.facilities[0].id if len(self.facilities) == 1 else ""
        self.surgeon_id = self.rep_id = ""
        self._load_surgeons()

    @rx.event
    def create(self, typed: dict):
        try:
            number = new_case.create_case(self._actor(), self._form(typed))
        except DomainError as refusal:
            self._refused(refusal)
            return
        return rx.redirect(routes.case_url(number))


BLANK = {"procedure": "", "patient_ref": "", "surgery_time": "", "facility_case_number": ""}


@signed_in_page(routes.NEW_CASE, "New case", on_load=[NewCaseState.load])
def new_case_page() -> rx.Component:
    return rx.vstack(
        rx.heading("New case", size="7"),
        rx.cond(
            NewCaseState.facilities.length() == 0,
            rx.callout("You cover no facility yet: ask a manager to add your facilities in Users.", icon="info",
                       id="case-no-facility"),
        ),
        rx.form(
            rx.vstack(
                case_fields(NewCaseState, {**BLANK, "surgery_date": NewCaseState.today}, AuthState.is_manager),
                form_error(NewCaseState),
                rx.hstack(
                    rx.link(rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="3",
                                      min_height=TOUCH), href=routes.HOME),
                    rx.button("Create case", type="submit", size="3", min_height=TOUCH, id="case-create"),
                    justify="end", width="100%",
                ),
                spacing="4", width="100%",
            ),
            on_submit=NewCaseState.create, reset_on_submit=False, width="100%",
        ),
        spacing="4", width="100%", max_width="880px",
    )  # fmt: skip
