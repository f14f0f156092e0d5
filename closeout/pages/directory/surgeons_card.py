"""The surgeons card: who operates at the facility, removed ones (can be added back), and the
form that adds one by name (the same surgeon if they already operate elsewhere)."""

import reflex as rx

from ...components.layout import TOUCH
from .facility_state import SurgeonItem
from .surgeons_state import SurgeonsState


def surgeon_row(s: SurgeonItem) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.text(s.name, weight="bold"),
            rx.cond(s.specialty != "", rx.text(s.specialty, size="2", color_scheme="gray")),
            spacing="0", flex="1", min_width="160px",
        ),
        rx.cond(s.active,
                rx.button("Remove", on_click=SurgeonsState.remove(s.id), variant="soft", color_scheme="gray", size="3",
                          min_height=TOUCH, aria_label="Remove " + s.name),
                rx.button("Add back", on_click=SurgeonsState.add_back(s.name), variant="soft", size="3", min_height=TOUCH,
                          aria_label="Add back " + s.name)),
        gap="12px", align="center", width="100%", padding_y="6px", class_name="surgeon-row",
        border_bottom="1px solid var(--gray-a4)", opacity=rx.cond(s.active, "1", "0.6"),
    )  # fmt: skip


def _error(name: str) -> rx.Component:
    message = SurgeonsState.surgeon_errors.get(name, "")
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert", class_name="surgeon-error"))


def add_surgeon_form() -> rx.Component:
    return rx.form(
        rx.flex(
            rx.input(name="surgeon_name", placeholder="Dr. First Last", size="3", min_height=TOUCH, flex="2", min_width="180px",
                     aria_label="Surgeon's name", id="surgeon-name", autocomplete="off"),
            rx.input(name="specialty", placeholder="Specialty (optional)", size="3", min_height=TOUCH, flex="1",
                     min_width="140px", aria_label="Specialty", id="surgeon-specialty", autocomplete="off"),
            rx.button(rx.icon("plus"), "Add surgeon", type="submit", size="3", min_height=TOUCH, id="surgeon-add"),
            gap="8px", wrap="wrap", width="100%",
        ),
        _error("surgeon_name"), _error("specialty"), _error("form"),
        on_submit=SurgeonsState.add, key=SurgeonsState.surgeon_form_key, width="100%",
    )  # fmt: skip


def surgeons_card() -> rx.Component:
    return rx.card(
        rx.heading("Surgeons", size="5", margin_bottom="4px"),
        rx.vstack(rx.foreach(SurgeonsState.surgeons, surgeon_row), spacing="0", width="100%", id="surgeon-list"),
        rx.cond(SurgeonsState.surgeons.length() == 0, rx.text("No surgeons yet.", color_scheme="gray", padding_y="8px")),
        rx.box(add_surgeon_form(), margin_top="12px", width="100%"),
        width="100%",
    )  # fmt: skip
