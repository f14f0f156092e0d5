"""The PO reminders in the Purchase Order card: send one, pause or resume them (with the reason
shown), and the case's reminders sent and failed."""

import reflex as rx

from ...components.layout import TOUCH
from .cards import ReminderShown
from .state import SignState


def reminder_buttons() -> rx.Component:
    """Beside Save Purchase Order while the case waits for it: send one now, or pause them."""
    return rx.cond(SignState.status == "closed", rx.cond(
        SignState.reminders_paused,
        rx.fragment(),
        rx.fragment(
            rx.button(rx.icon("pause"), "Pause reminders", on_click=SignState.open_pause, variant="soft", color_scheme="gray",
                      min_height=TOUCH, id="pause-po-reminders"),
            rx.button(rx.icon("mail"), "Send PO reminder", on_click=SignState.remind, variant="soft", min_height=TOUCH,
                      id="send-po-reminder"),
        ),
    ))  # fmt: skip


def paused_notice() -> rx.Component:
    return rx.cond(SignState.reminders_paused & (SignState.status == "closed"), rx.callout(
        rx.flex(
            rx.text("PO reminders are paused", rx.cond(SignState.paused_by != "", " by " + SignState.paused_by, ""), " on ",
                    rx.moment(SignState.paused_at, format="MMM D, YYYY", local=True), ": ",
                    "“", rx.text.span(SignState.pause_reason, weight="medium", id="po-pause-reason"), "”. ",
                    "None is sent until they are resumed."),
            rx.button(rx.icon("play"), "Resume reminders", on_click=SignState.resume_reminders, size="2", variant="soft",
                      min_height=TOUCH, id="resume-po-reminders"),
            gap="8px 16px", align="center", justify="between", wrap="wrap", width="100%",
        ),
        icon="circle-pause", color_scheme="amber", width="100%", margin_y="8px", id="po-reminders-paused",
    ))  # fmt: skip


def reminder_row(r: ReminderShown) -> rx.Component:
    failed = r.status == "failed"
    return rx.box(
        rx.text(
            rx.cond(failed, rx.text.strong("Reminder failed ", color=rx.color("red", 11)), "Reminder sent "),
            rx.moment(r.sent_at, format="MMM D, YYYY h:mm A", local=True),
            rx.cond(r.recipient != "", " to " + r.recipient, ""),
            rx.cond(r.sent_by != "", " by " + r.sent_by, " by the scheduled job"),
            rx.cond(failed, "", " (" + r.delivery + ")"), size="1", color_scheme="gray",
        ),
        rx.cond(failed, rx.text(r.error, size="1", color_scheme="red")),
        class_name=rx.cond(failed, "po-reminder po-reminder-failed", "po-reminder"),
    )  # fmt: skip


def pause_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Pause PO reminders for this case?"),
            rx.dialog.description("No reminder is sent for this case, by the schedule or by hand, until they are "
                                  "resumed. The reason is shown on the case and kept in its Activity.", size="2"),
            rx.text_area(value=SignState.pause_draft, on_change=SignState.set_pause_draft, max_length=200,
                         placeholder="Why? e.g. The buyer confirmed the PO is on its way", aria_label="Reason for pausing",
                         margin_top="12px", width="100%", id="po-pause-input"),
            rx.cond(SignState.pause_error != "", rx.text(SignState.pause_error, color_scheme="red", size="2", role="alert",
                                                         id="po-pause-error")),
            rx.flex(
                rx.dialog.close(rx.button("Cancel", variant="soft", color_scheme="gray", min_height=TOUCH)),
                rx.button("Pause reminders", on_click=SignState.confirm_pause, min_height=TOUCH, id="po-pause-confirm"),
                gap="12px", justify="end", margin_top="12px"),
        ),
        open=SignState.pause_open, on_open_change=SignState.set_pause_open,
    )  # fmt: skip


def reminders_list() -> rx.Component:
    return rx.fragment(paused_notice(), rx.foreach(SignState.reminders, reminder_row), pause_dialog())
