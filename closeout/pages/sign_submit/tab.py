"""The Sign & Submit tab: review, two signatures, Submit for Billing; once Closed, the
submission, the Purchase Order and Reopen."""

import reflex as rx

from ...components.layout import TOUCH
from ..case_details.edit import CaseDetailsState
from ..case_state import CaseState
from ..replenishment import replenishment_panel
from .cards import ProblemRow
from .invoice import money_panel
from .po_entered import po_entered_card
from .reminders_part import reminder_buttons, reminders_list
from .signer_card import signer_card
from .state import SignState


def review_summary() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.heading("Review the Devices Used", size="4"),
                rx.text("Go through every line with a member of the surgical staff before signing.", size="2",
                        color_scheme="gray"),
                spacing="1",
            ),
            rx.vstack(
                rx.text(SignState.line_count, " device lines", size="2"),
                rx.text("Billable total ", rx.text.strong(SignState.grand_total, id="sign-total")),
                align="end", spacing="1",
            ),
            justify="between", gap="12px", wrap="wrap", width="100%",
        ),
        width="100%",
    )  # fmt: skip


def signing_link_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Sign on another screen"),
            rx.dialog.description("Open this link on the provider's screen, or scan the code. It works once, "
                                  "for 15 minutes, and shows only the Devices Used summary."),
            rx.center(rx.image(src=SignState.link_qr, alt="QR code of the signing link", width="220px"),
                      margin_y="12px"),
            rx.code(SignState.link_url, id="signing-link", word_break="break-all", display="block"),
            rx.text("Expires ", rx.moment(SignState.link_expires, from_now=True), ". This page updates by itself "
                    "when the provider signs.", size="1", color_scheme="gray", margin_top="8px"),
            rx.flex(rx.dialog.close(rx.button("Close", on_click=SignState.close_link, variant="soft",
                                              min_height=TOUCH)), justify="end", margin_top="12px"),
        ),
        open=SignState.link_url != "",
        on_open_change=SignState.link_dialog_changed,
    )  # fmt: skip


def problem_row(problem: ProblemRow) -> rx.Component:
    """A gap, with a button to where it is fixed: Edit details (while the rep may edit the
    header) or the device line in Devices Used."""
    fix = {"variant": "soft", "size": "2", "min_height": TOUCH}
    return rx.flex(
        rx.text("• ", problem.text, size="2", class_name="submit-problem", flex="1", min_width="0"),
        rx.cond(problem.line > 0,
                rx.button(rx.icon("list", size=16), "Go to line ", problem.line, class_name="fix-line",
                          on_click=SignState.fix(problem.field, problem.line), **fix),
                rx.cond((problem.field != "") & CaseState.can_edit_details,
                        rx.button(rx.icon("pencil", size=16), "Edit details", class_name="fix-detail",
                                  on_click=[CaseDetailsState.open_edit, SignState.fix(problem.field, 0)], **fix))),
        gap="8px", align="center", width="100%", wrap="wrap",
    )  # fmt: skip


def submit_panel() -> rx.Component:
    ready = SignState.problems.length() == 0
    return rx.card(
        rx.heading("Submit for Billing", size="4", margin_bottom="8px"),
        rx.cond(~ready, rx.vstack(rx.foreach(SignState.problems, problem_row), spacing="1", margin_bottom="8px")),
        # rx.checkbox's own <label> names the box (a second label around it would leave it nameless).
        rx.checkbox("Request Replenishment", checked=SignState.request_replenishment,
                    on_change=SignState.set_request_replenishment, size="3", id="request-replenishment"),
        rx.text("The replenishment form opens after submitting.", size="1", color_scheme="gray"),
        rx.flex(
            rx.button(rx.icon("monitor-smartphone"), "Sign on another screen", on_click=SignState.issue_link,
                      variant="soft", min_height=TOUCH),
            rx.button(rx.cond(SignState.busy, rx.spinner(), rx.icon("send")), "Submit for Billing",
                      on_click=SignState.submit, disabled=~ready | SignState.busy, size="3", min_height=TOUCH,
                      id="submit-for-billing"),
            gap="12px", justify="end", wrap="wrap", margin_top="12px",
        ),
        width="100%",
    )  # fmt: skip


def submitted_panel() -> rx.Component:
    return rx.callout(
        rx.text("Submitted for billing by ", rx.text.strong(SignState.submitted_by), " on ",
                rx.moment(SignState.submitted_at, format="MMM D, YYYY h:mm A", local=True), ". ",
                rx.cond(SignState.status == "closed", "The case is Closed until its Purchase Order is entered.",
                        rx.cond(SignState.status == "completed", "The Purchase Order is recorded: the case is Completed.",
                                "The Purchase Order is recorded."))),
        icon="lock", color_scheme=rx.cond(SignState.status == "closed", "amber", "green"), width="100%",
        id="submitted-info",
    )  # fmt: skip


def po_inputs() -> rx.Component:
    return rx.cond(
        SignState.po_mode == "all",
        rx.input(value=SignState.po_all, on_change=SignState.set_po_all, placeholder="PO number",
                 aria_label="PO number for all manufacturers", size="3", min_height=TOUCH, width="100%"),
        rx.vstack(rx.foreach(SignState.makers, lambda m: rx.flex(
            rx.text(m.name, size="2", min_width="180px"),
            rx.input(value=SignState.po_numbers[m.id.to_string()], placeholder="PO number", size="3",
                     on_change=lambda v: SignState.set_po_for(m.id.to_string(), v), min_height=TOUCH,
                     aria_label=f"PO number for {m.name}", flex="1"),
            gap="12px", align="center", width="100%", wrap="wrap")), width="100%"),
    )  # fmt: skip


def po_panel() -> rx.Component:
    return rx.card(
        rx.heading("Purchase Order", size="4"),
        rx.text("The case becomes Completed once every manufacturer is covered by a PO.", size="2",
                color_scheme="gray", margin_bottom="8px"),
        rx.radio_group.root(
            rx.flex(
                rx.el.label(rx.radio_group.item(value="all"), "One PO for all manufacturers", display="flex",
                            gap="8px", align_items="center", min_height=TOUCH),
                rx.el.label(rx.radio_group.item(value="each"), "One PO per manufacturer", display="flex",
                            gap="8px", align_items="center", min_height=TOUCH),
                gap="16px", wrap="wrap"),
            value=SignState.po_mode, on_change=SignState.set_po_mode, size="3",
        ),
        po_inputs(),
        rx.cond(SignState.po_error != "", rx.text(SignState.po_error, color_scheme="red", size="2", role="alert",
                                                  class_name="po-error")),
        rx.flex(
            reminder_buttons(),
            rx.button("Save Purchase Order", on_click=SignState.save_po, min_height=TOUCH, id="save-po"),
            gap="8px", justify="end", margin_top="8px", wrap="wrap"),
        reminders_list(),
        width="100%",
    )  # fmt: skip


def reopen_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Reopen this case?"),
            rx.dialog.description("The signatures are set aside (kept in the history; a pre-authorization stays) and Devices Used can be "
                                  "edited again. The case must be signed and submitted again."),
            rx.text_area(value=SignState.reopen_reason, on_change=SignState.set_reopen_reason,
                         placeholder="Why is the case reopened?", aria_label="Reason for reopening",
                         margin_top="12px", width="100%"),
            rx.cond(SignState.reopen_error != "", rx.text(SignState.reopen_error, color_scheme="red", size="2")),
            rx.flex(
                rx.button("Cancel", on_click=SignState.close_reopen, variant="soft", color_scheme="gray",
                          min_height=TOUCH),
                rx.button("Reopen", on_click=SignState.confirm_reopen, color_scheme="red", min_height=TOUCH),
                gap="12px", justify="end", margin_top="12px"),
        ),
        open=SignState.reopen_open,
    )  # fmt: skip


def sign_submit_tab() -> rx.Component:
    return rx.vstack(
        rx.cond(SignState.status == "open", review_summary(), submitted_panel()),
        rx.cond((SignState.status == "open") | (SignState.cards["pre_authorization"].state != ""),
                signer_card("pre_authorization", SignState.save_pre_authorization)),
        rx.grid(
            signer_card("sales_rep"),
            signer_card("provider_rep", SignState.save_provider_rep),
            grid_template_columns=rx.breakpoints(initial="1fr", lg="1fr 1fr"), gap="16px", width="100%",
        ),
        rx.cond(SignState.status == "open", submit_panel()),
        rx.cond(SignState.can_enter_po, po_panel()),
        money_panel(),  # invoice and payments, from Completed on (invoice.py)
        po_entered_card(SignState.entered_pos),
        replenishment_panel(),
        rx.cond(SignState.can_reopen, rx.flex(
            rx.button(rx.icon("lock-open"), "Reopen case", on_click=SignState.open_reopen, variant="outline",
                      color_scheme="red", min_height=TOUCH), justify="end", width="100%")),
        signing_link_dialog(),
        reopen_dialog(),
        spacing="4", width="100%",
    )  # fmt: skip
