"""The facility details form (new and existing): name, bill-to address and account number,
time zone, price list, the pattern its patient identifiers must match, and what it requires
before Submit for Billing (requirements_fields.py)."""

import reflex as rx

from ...components.layout import TOUCH
from ...domain.directory import COMMON_TIME_ZONES
from .facility_state import FacilityState
from .requirements_fields import billing_requirements


def field_error(name: str) -> rx.Component:
    message = FacilityState.errors.get(name, "")
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert", class_name="facility-error"))


def labelled(label: str, name: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        control,
        rx.cond(hint != "", rx.text(hint, size="1", color_scheme="gray")),
        field_error(name),
        spacing="1", width="100%",
    )  # fmt: skip


def text_field(label: str, name: str, hint: str = "", **props) -> rx.Component:
    control = rx.input(name=name, default_value=FacilityState.values.get(name, ""), size="3", min_height=TOUCH, width="100%",
                       aria_label=label, id=f"facility-{name.replace('_', '-')}", **props)  # fmt: skip
    return labelled(label, name, control, hint)


def price_list_field() -> rx.Component:
    control = rx.select.root(
        rx.select.trigger(min_height=TOUCH, width="100%", aria_label="Price list", id="facility-price-list"),
        rx.select.content(rx.select.item("None (list prices)", value="none"),
                          rx.foreach(FacilityState.price_lists, lambda o: rx.select.item(o.label, value=o.value))),
        name="price_list_id", default_value=FacilityState.values.get("price_list_id", "none"), size="3",
    )  # fmt: skip
    return labelled("Contract price list", "price_list_id", control)


def facility_form() -> rx.Component:
    return rx.form(
        rx.grid(
            text_field("Facility name", "name", autocomplete="off"),
            text_field("Bill-to account number", "account_number", autocomplete="off"),
            labelled("Bill-to address", "address", rx.text_area(
                name="address", default_value=FacilityState.values.get("address", ""), rows="4", size="3", width="100%",
                aria_label="Bill-to address", id="facility-address")),
            rx.vstack(
                text_field("Time zone", "time_zone", hint="An IANA name, like America/Chicago.", list="time-zones",
                           autocomplete="off"),
                price_list_field(),
                spacing="3", width="100%",
            ),
            text_field("Patient identifier pattern (optional)", "patient_ref_pattern",
                       hint="A regular expression the whole identifier must match, e.g. MRN\\d{6}. Blank: any code.",
                       autocomplete="off", spell_check=False),
            billing_requirements(),
            columns=rx.breakpoints(initial="1", md="2"), gap="16px", width="100%",
        ),
        rx.el.datalist(*[rx.el.option(value=zone) for zone in COMMON_TIME_ZONES], id="time-zones"),
        field_error("form"),
        rx.flex(
            rx.button(rx.icon("save"), rx.cond(FacilityState.facility_id == 0, "Add facility", "Save details"), type="submit",
                      size="3", min_height=TOUCH, id="facility-save"),
            justify="end", margin_top="12px",
        ),
        on_submit=FacilityState.save, key=FacilityState.form_key, width="100%",
    )  # fmt: skip
