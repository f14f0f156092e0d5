"""`/directory/new` (add a facility) and `/directory/facility/<id>` (its details, contacts and
surgeons, PO reminder settings and history; deactivate or reactivate)."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH
from ..template import signed_in_page
from .contacts_card import contacts_card
from .facility_form import facility_form
from .facility_state import FacilityState
from .reminders_card import reminders_card
from .reminders_state import RemindersState
from .surgeons_card import surgeons_card


def back_link() -> rx.Component:
    return rx.link(rx.hstack(rx.icon("arrow-left", size=16), rx.text("Directory"), align="center", spacing="1"),
                   href=routes.DIRECTORY, min_height=TOUCH, display="inline-flex", align_items="center")  # fmt: skip


def refused() -> rx.Component:
    return rx.callout(FacilityState.refusal, icon="circle-alert", color_scheme="red", id="directory-error")


def notice() -> rx.Component:
    return rx.cond(FacilityState.notice != "",
                   rx.callout(FacilityState.notice, icon="circle-check", color_scheme="green", id="facility-notice", width="100%"))  # fmt: skip


def active_switch() -> rx.Component:
    return rx.cond(
        FacilityState.active,
        rx.button(rx.icon("archive"), "Deactivate facility", on_click=FacilityState.set_active(False), variant="soft",
                  color_scheme="gray", size="3", min_height=TOUCH, id="facility-deactivate"),
        rx.button(rx.icon("archive-restore"), "Reactivate facility", on_click=FacilityState.set_active(True), size="3",
                  min_height=TOUCH, id="facility-reactivate"),
    )  # fmt: skip


def facility_header() -> rx.Component:
    return rx.flex(
        rx.vstack(
            back_link(),
            rx.hstack(rx.heading(FacilityState.values.get("name", ""), size="7", id="facility-title"),
                      rx.cond(~FacilityState.active, rx.badge("Deactivated", color_scheme="gray", size="2")),
                      align="center", wrap="wrap"),
            spacing="0",
        ),
        rx.spacer(),
        active_switch(),
        align="end", width="100%", wrap="wrap", gap="8px",
    )  # fmt: skip


def once_loaded(content: rx.Component) -> rx.Component:
    """The page's content once its load is done; left, it forgets it was ready."""
    return rx.box(rx.cond(FacilityState.ready, content, rx.center(rx.spinner(size="3"), padding="48px")),
                  on_unmount=FacilityState.leave, width="100%")  # fmt: skip


@signed_in_page(routes.FACILITY, "Facility", on_load=[FacilityState.load, RemindersState.load_reminders])
def facility_page() -> rx.Component:
    return once_loaded(rx.cond(
        FacilityState.refusal != "",
        refused(),
        rx.vstack(
            facility_header(),
            rx.cond(~FacilityState.active, rx.callout("Deactivated: not offered for new cases. Its cases stay as they are.",
                                                      icon="info", color_scheme="gray", width="100%")),
            notice(),
            rx.card(rx.heading("Details", size="5", margin_bottom="8px"), facility_form(), width="100%"),
            rx.grid(contacts_card(), surgeons_card(), columns=rx.breakpoints(initial="1", lg="2"), gap="16px", width="100%"),
            reminders_card(),
            spacing="4", width="100%",
        ),
    ))  # fmt: skip


@signed_in_page(routes.DIRECTORY_NEW, "New facility", on_load=[FacilityState.load_new])
def new_facility_page() -> rx.Component:
    return once_loaded(rx.cond(
        FacilityState.refusal != "",
        refused(),
        rx.vstack(
            back_link(),
            rx.heading("Add a facility", size="7"),
            rx.text("Contacts and surgeons are added once the facility is saved.", color_scheme="gray"),
            rx.card(facility_form(), width="100%"),
            spacing="3", width="100%",
        ),
    ))  # fmt: skip
