"""The facility page's PO reminders card: on or off, every how many days, to whom, the email's
text beside a live preview, and the facility's reminders sent and failed."""

import reflex as rx

from ...components.layout import TOUCH, table_link
from ...domain.reminder_text import MAX_DAYS, MAX_TEXT, MIN_DAYS, PLACEHOLDERS, RECIPIENTS, SAMPLE
from .reminders_state import ReminderItem, RemindersState

SUBJECT = f"PO needed: sales order {SAMPLE['sales_order']} — case {SAMPLE['case_number']}"


def _error(name: str) -> rx.Component:
    message = RemindersState.rem_errors.get(name, "")
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert", class_name="reminder-error"))


def _reaches(choice: str) -> rx.Component:
    """Who a choice reaches today, from the contacts card."""
    billing = rx.cond(RemindersState.rem_billing != "", RemindersState.rem_billing, "no billing contact yet")
    purchasing = rx.cond(RemindersState.rem_purchasing.length() > 0, RemindersState.rem_purchasing.join(", "),
                         "no purchasing contact yet")  # fmt: skip
    shown = {"billing": billing, "purchasing": purchasing}.get(choice)
    return rx.text(shown if shown is not None else rx.fragment(billing, "; ", purchasing), size="1", color_scheme="gray")


def recipients_field() -> rx.Component:
    return rx.vstack(
        rx.text("Send to", size="2", weight="medium"),
        rx.radio_group.root(
            rx.vstack(*[rx.el.label(
                rx.radio_group.item(value=value, id=f"reminder-recipients-{value}"),
                rx.vstack(rx.text(label, size="2"), _reaches(value), spacing="0"),
                display="flex", gap="10px", align_items="center", min_height=TOUCH,
            ) for value, label in RECIPIENTS.items()], spacing="1"),
            value=RemindersState.rem_recipients, on_change=RemindersState.set_rem_recipients, size="3",
        ),
        _error("po_reminder_recipients"), spacing="1", width="100%",
    )  # fmt: skip


def schedule_fields() -> rx.Component:
    return rx.vstack(
        rx.el.label(
            rx.switch(checked=RemindersState.rem_on, on_change=RemindersState.set_rem_on, size="3", id="reminders-on"),
            rx.vstack(rx.text("Send reminders on schedule", size="2", weight="medium"),
                      rx.text("Off: none is sent by the schedule; a user can still send one by hand.", size="1",
                              color_scheme="gray"), spacing="0"),
            display="flex", gap="12px", align_items="center", min_height=TOUCH,
        ),
        rx.hstack(
            rx.text("Every", size="2", weight="medium"),
            rx.input(value=RemindersState.rem_days, on_change=RemindersState.set_rem_days, type="number", min=MIN_DAYS,
                     max=MAX_DAYS, size="3", width="96px", min_height=TOUCH, aria_label="Remind every how many days",
                     id="reminder-days", disabled=~RemindersState.rem_on),
            rx.text("days while the PO is missing", size="2"),
            align="center", spacing="2", wrap="wrap",
        ),
        _error("po_reminder_days"),
        recipients_field(),
        spacing="3", width="100%",
    )  # fmt: skip


def text_field() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.text("Email text", size="2", weight="medium"), rx.spacer(),
                rx.button("Use the standard text", on_click=RemindersState.use_standard_text, variant="ghost", size="2",
                          min_height=TOUCH, id="reminder-standard-text"), align="center", width="100%"),
        rx.text_area(value=RemindersState.rem_text, on_change=RemindersState.set_rem_text, rows="11", size="2",
                     width="100%", max_length=MAX_TEXT + 200, aria_label="Reminder email text", id="reminder-text",
                     spell_check=True),
        _error("po_reminder_text"),
        rx.text("Placeholders: ", *[rx.fragment(rx.code("{" + name + "}", title=meaning), " ")
                                    for name, meaning in PLACEHOLDERS.items()],
                "— {link} is required. Write {{ or }} for a brace itself.", size="1", color_scheme="gray"),
        spacing="1", width="100%",
    )  # fmt: skip


def preview_box() -> rx.Component:
    return rx.vstack(
        rx.text("Preview (sample case)", size="2", weight="medium"),
        rx.box(
            rx.text("Subject: ", SUBJECT, size="1", color_scheme="gray", margin_bottom="8px"),
            rx.cond(RemindersState.rem_preview != "",
                    rx.text(RemindersState.rem_preview, size="2", white_space="pre-wrap", id="reminder-preview"),
                    rx.text("Fix the text to see the preview.", size="2", color_scheme="gray", id="reminder-preview")),
            rx.text("Attached: ", SAMPLE["sales_order"], ".pdf (with the buyer's link as a QR code)", size="1",
                    color_scheme="gray", margin_top="8px"),
            border="1px solid var(--gray-6)", border_radius="8px", padding="12px", width="100%",
            background="var(--gray-2)", overflow_wrap="anywhere",
        ),
        spacing="1", width="100%",
    )  # fmt: skip


def history_row(r: ReminderItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(table_link(r.case_number, "/cases/" + r.case_number), padding_y="0", white_space="nowrap"),
        rx.table.cell(rx.moment(r.sent_at, format="MMM D, YYYY h:mm A", local=True), white_space="nowrap"),
        rx.table.cell(rx.cond(r.recipient != "", r.recipient, "—"), overflow_wrap="break-word", min_width="120px"),
        rx.table.cell(rx.cond(r.sent_by != "", r.sent_by, "Schedule")),
        rx.table.cell(rx.cond(r.status == "failed",
                              rx.vstack(rx.badge("Failed", color_scheme="red"), rx.text(r.error, size="1", color_scheme="red"),
                                        spacing="1"),
                              rx.badge(rx.cond(r.delivery == "sent", "Sent", r.delivery), color_scheme="green"))),
        class_name="reminder-history-row",
    )  # fmt: skip


def history() -> rx.Component:
    return rx.vstack(
        rx.heading("Reminders sent and failed", size="3"),
        rx.cond(RemindersState.history_total == 0,
                rx.text("No PO reminder yet for this facility's cases.", size="2", color_scheme="gray", id="reminder-history-empty"),
                rx.box(rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Case", "When", "To", "By", "Status")])),
                    rx.table.body(rx.foreach(RemindersState.history, history_row)),
                    width="100%", variant="ghost", size="1", id="reminder-history"), overflow_x="auto", width="100%")),
        rx.cond(RemindersState.history_pages > 1, rx.hstack(
            rx.button("Newer", on_click=RemindersState.show_history_page(-1), disabled=RemindersState.history_page <= 1,
                      variant="soft", min_height=TOUCH),
            rx.text("Page ", RemindersState.history_page, " of ", RemindersState.history_pages, " (",
                    RemindersState.history_total, " reminders)", size="2"),
            rx.button("Older", on_click=RemindersState.show_history_page(1),
                      disabled=RemindersState.history_page >= RemindersState.history_pages, variant="soft", min_height=TOUCH),
            align="center", spacing="3")),
        spacing="2", width="100%",
    )  # fmt: skip


def reminders_card() -> rx.Component:
    return rx.card(
        rx.heading("PO reminders", size="5"),
        rx.text("While a case waits for its Purchase Order, the facility is emailed the sales order with the buyer's "
                "link to enter the PO. A rep can pause one case's reminders.", size="2", color_scheme="gray", margin_bottom="12px"),
        rx.grid(
            rx.vstack(schedule_fields(), text_field(), spacing="4", width="100%", min_width="0"),
            preview_box(),
            columns=rx.breakpoints(initial="1", md="2"), gap="20px", width="100%",
        ),
        _error("form"),
        rx.flex(
            rx.cond(RemindersState.rem_notice != "", rx.text(RemindersState.rem_notice, color_scheme="green", size="2",
                                                             id="reminder-notice")),
            rx.button(rx.icon("save"), "Save reminder settings", on_click=RemindersState.save_reminders, size="3",
                      min_height=TOUCH, id="reminder-save"),
            justify="end", align="center", gap="12px", margin_y="12px", wrap="wrap",
        ),
        rx.divider(margin_bottom="12px"),
        history(),
        width="100%", id="po-reminders",
    )  # fmt: skip
