"""The header's Edit details and Cancel case buttons, and their dialogs."""

import reflex as rx

from ...components.layout import TOUCH
from ..case_state import CaseState
from .edit import CaseDetailsState as S
from .form import case_fields, form_error


def header_actions() -> rx.Component:
    return rx.hstack(
        rx.cond(CaseState.can_edit_details, rx.button(rx.icon("pencil", size=16), "Edit details", on_click=S.open_edit,
                                                      variant="soft", size="2", min_height=TOUCH, id="edit-details")),
        rx.cond(CaseState.can_cancel, rx.button("Cancel case", on_click=S.open_cancel, variant="soft", color_scheme="red",
                                                size="2", min_height=TOUCH, id="cancel-case")),
        edit_dialog(), cancel_dialog(),
        margin_left="auto", spacing="2",
    )  # fmt: skip


def _buttons(confirm: str, on_close, confirm_id: str, **color) -> rx.Component:
    return rx.hstack(
        rx.button("Back", type="button", on_click=on_close, variant="soft", color_scheme="gray", size="3", min_height=TOUCH),
        rx.button(confirm, type="submit", size="3", min_height=TOUCH, id=confirm_id, **color),
        justify="end", width="100%",
    )  # fmt: skip


def edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit case details"),
            rx.form(
                rx.vstack(
                    case_fields(S, S.values, CaseState.is_manager), form_error(S),
                    _buttons("Save details", S.close_edit, "save-details"), spacing="4", width="100%",
                ),
                on_submit=S.save, reset_on_submit=False,
            ),
            max_width="880px", width="96vw",
        ),
        open=S.editing, on_open_change=S.close_edit,
    )  # fmt: skip


def cancel_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Cancel this case?"),
            rx.dialog.description("The case is kept, marked Cancelled with your reason; nothing more can be done with it."),
            rx.form(
                rx.vstack(
                    rx.el.label("Reason", html_for="cancel-reason", class_name="rt-Text rt-r-size-2 rt-r-weight-medium"),
                    rx.text_area(name="reason", id="cancel-reason", placeholder="e.g. Surgery postponed by the surgeon",
                                 max_length=300, size="3", width="100%", min_height="88px"),
                    rx.cond(S.cancel_error != "", rx.text(S.cancel_error, color_scheme="red", size="2", role="alert",
                                                          id="cancel-error")),
                    _buttons("Cancel case", S.close_cancel, "confirm-cancel", color_scheme="red"), spacing="3", width="100%",
                ),
                on_submit=S.cancel_case, reset_on_submit=False,
            ),
            max_width="520px",
        ),
        open=S.cancelling, on_open_change=S.close_cancel,
    )  # fmt: skip


def notices() -> rx.Component:
    return rx.fragment(
        rx.cond(CaseState.cancelled_note != "", rx.callout(CaseState.cancelled_note, icon="ban", color_scheme="gray",
                                                            id="case-cancelled", width="100%")),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="info", id="case-details-notice", width="100%")),
    )  # fmt: skip
