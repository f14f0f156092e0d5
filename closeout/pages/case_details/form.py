"""The case details form, shared by New case and Edit details: one screen on a tablet, the
facility first (it decides the surgeons offered), a surgeon can be added on the spot."""

from dataclasses import dataclass

import reflex as rx

from ...components.layout import TOUCH
from ...domain.errors import DomainError, InvalidInput
from ...services import surgeons


@dataclass
class Choice:
    id: str
    label: str


def choices_of(rows) -> list[Choice]:
    return [Choice(str(row.id), row.name) for row in rows]


class CaseFormMixin(rx.State, mixin=True):
    """The form's choices and the chosen ids (the typed fields travel with the submitted form,
    so a refusal loses nothing typed)."""

    facilities: list[Choice] = []
    surgeons: list[Choice] = []
    reps: list[Choice] = []
    facility_id: str = ""
    surgeon_id: str = ""
    rep_id: str = ""
    new_surgeon: str = ""
    field_errors: dict[str, str] = {}
    form_error: str = ""
    saving: bool = False

    def _load_surgeons(self) -> None:
        try:
            self.surgeons = choices_of(surgeons.surgeons_of(self._actor(), self.facility_id)) if self.facility_id else []
        except DomainError as refusal:  # a facility the rep no longer covers, or since deactivated
            self.surgeons, self.field_errors = [], {**self.field_errors, "facility_id": refusal.message}
            return
        if self.surgeon_id not in {s.id for s in self.surgeons}:
            self.surgeon_id = self.surgeons[0].id if len(self.surgeons) == 1 else ""

    @rx.event
    def choose_facility(self, facility_id: str):
        self.facility_id, self.field_errors = str(facility_id)[:12], {}
        try:
            self._load_surgeons()
        except DomainError as refusal:
            self.surgeons, self.field_errors = [], {"facility_id": refusal.message}

    @rx.event
    def choose_surgeon(self, surgeon_id: str):
        self.surgeon_id = str(surgeon_id)[:12]

    @rx.event
    def choose_rep(self, rep_id: str):
        self.rep_id = str(rep_id)[:12]

    @rx.event
    def set_new_surgeon(self, name: str):
        self.new_surgeon = str(name)[:120]

    @rx.event
    def add_surgeon(self):
        """Add the typed surgeon to the chosen facility and choose them."""
        try:
            added = surgeons.add_surgeon(self._actor(), self.facility_id, self.new_surgeon)
        except DomainError as refusal:
            self.field_errors = {"surgeon_id": refusal.message}
            return
        self.new_surgeon, self.field_errors = "", {}
        self._load_surgeons()
        self.surgeon_id = str(added.id)

    def _refused(self, refusal: DomainError) -> None:
        if isinstance(refusal, InvalidInput):
            self.field_errors, self.form_error = {refusal.field: refusal.message}, ""
        else:
            self.field_errors, self.form_error = {}, refusal.message

    def _form(self, typed: dict) -> dict:
        return {**typed, "facility_id": self.facility_id, "surgeon_id": self.surgeon_id, "rep_id": self.rep_id}


def labelled(state, name: str, label: str, control: rx.Component) -> rx.Component:
    error = state.field_errors.get(name, "")
    return rx.vstack(
        rx.el.label(label, html_for=f"case-{name}", class_name="rt-Text rt-r-size-2 rt-r-weight-medium"),
        control,
        rx.cond(error != "", rx.text(error, size="2", color_scheme="red", role="alert", class_name="field-error")),
        spacing="1",
        width="100%",
    )


def chooser(state, name: str, label: str, options, value, on_change, placeholder: str) -> rx.Component:
    return labelled(state, name, label, rx.select.root(
        rx.select.trigger(placeholder=placeholder, min_height=TOUCH, width="100%", id=f"case-{name}", aria_label=label),
        rx.select.content(rx.foreach(options, lambda o: rx.select.item(o.label, value=o.id))),
        value=value, on_change=on_change, size="3",
    ))  # fmt: skip


def typed(state, name: str, label: str, value, **props) -> rx.Component:
    return labelled(state, name, label, rx.input(
        name=name, id=f"case-{name}", default_value=value, size="3", min_height=TOUCH, width="100%", **props
    ))  # fmt: skip


def surgeon_adder(state) -> rx.Component:
    return rx.hstack(
        rx.input(value=state.new_surgeon, on_change=state.set_new_surgeon, placeholder="Not listed? Add a surgeon",
                 id="case-new-surgeon", aria_label="New surgeon's name", size="3", min_height=TOUCH, flex="1"),
        rx.button("Add surgeon", type="button", on_click=state.add_surgeon, disabled=(state.facility_id == "") | (state.new_surgeon == ""),
                  variant="soft", size="3", min_height=TOUCH, id="case-add-surgeon"),
        width="100%",
    )  # fmt: skip


def case_fields(state, values: dict, with_rep) -> rx.Component:
    """The fields in a grid that is two columns on a tablet in landscape and wider."""
    return rx.grid(
        chooser(state, "facility_id", "Facility", state.facilities, state.facility_id, state.choose_facility, "Choose the facility"),
        rx.vstack(
            chooser(state, "surgeon_id", "Surgeon", state.surgeons, state.surgeon_id, state.choose_surgeon,
                    rx.cond(state.facility_id == "", "Choose the facility first", "Choose the surgeon")),
            surgeon_adder(state), spacing="2", width="100%",
        ),
        typed(state, "procedure", "Procedure", values["procedure"], placeholder="e.g. Total knee arthroplasty", max_length=160),
        typed(state, "patient_ref", "Patient identifier (never a name)", values["patient_ref"], placeholder="e.g. PT-0042",
              max_length=20, auto_complete="off", auto_capitalize="characters"),
        typed(state, "surgery_date", "Surgery date", values["surgery_date"], type="date"),
        typed(state, "surgery_time", "Surgery time (optional)", values["surgery_time"], type="time"),
        typed(state, "facility_case_number", "Facility's case number (optional)", values["facility_case_number"], max_length=40),
        rx.cond(with_rep, chooser(state, "rep_id", "Sales Rep", state.reps, state.rep_id, state.choose_rep, "Choose the rep")),
        columns=rx.breakpoints(initial="1", sm="2"),
        gap="16px",
        width="100%",
    )  # fmt: skip


def form_error(state) -> rx.Component:
    return rx.cond(state.form_error != "", rx.callout(state.form_error, icon="circle-alert", color_scheme="red",
                                                       role="alert", id="case-form-error", width="100%"))  # fmt: skip
