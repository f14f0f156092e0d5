"""The money panel of Sign & Submit, from Completed on: the invoice, the payments, what they add
up to ("Short by $X" / "Overpaid by $X" / "Paid in full"), and for managers the forms to record
the invoice and each payment (services/invoicing.py decides; the forms only offer)."""

import reflex as rx

from ...components.layout import TOUCH, status_badge
from .invoice_state import InvoiceState, PaymentRow
from .state import SignState


def _error(*fields: str) -> rx.Component:
    return rx.fragment(*[rx.cond(InvoiceState.errors.get(f, "") != "", rx.text(
        InvoiceState.errors.get(f, ""), color_scheme="red", size="2", role="alert", class_name="money-error")) for f in fields])  # fmt: skip


def _field(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(rx.el.label(label, html_for=f"money-{name}", font_size="var(--font-size-2)", font_weight="500"),
                     rx.input(name=name, id=f"money-{name}", aria_label=label, size="3", min_height=TOUCH, width="100%", **props),
                     _error(name), spacing="1", flex="1", min_width="150px")  # fmt: skip


def invoice_form() -> rx.Component:
    return rx.form(
        rx.heading("Record the invoice", size="3"),
        rx.flex(_field("Invoice number", "invoice_number", max_length=40),
                _field("Invoice date", "invoice_date", type="date", default_value=InvoiceState.today,
                       min=InvoiceState.earliest, max=InvoiceState.today),
                _field("Amount", "invoice_amount", input_mode="decimal", placeholder="0.00"),
                gap="12px", wrap="wrap", width="100%", margin_top="8px"),
        _error("invoice"),
        rx.flex(rx.button(rx.icon("receipt"), "Record invoice", type="submit", size="3", min_height=TOUCH, id="record-invoice"),
                justify="end", margin_top="8px"),
        on_submit=[InvoiceState.record_invoice, SignState.reload], key=InvoiceState.form_key.to_string() + InvoiceState.today + "i", width="100%", id="invoice-form",
    )  # fmt: skip


def payment_form() -> rx.Component:
    return rx.form(
        rx.heading("Record a payment", size="3"),
        rx.flex(_field("Payment date", "paid_on", type="date", default_value=InvoiceState.today, min=InvoiceState.earliest,
                       max=InvoiceState.today),
                _field("Amount", "amount", input_mode="decimal", placeholder="0.00"),
                _field("Reference (optional)", "reference", max_length=60, placeholder="Check or remittance number"),
                gap="12px", wrap="wrap", width="100%", margin_top="8px"),
        _error("payment"),
        rx.el.input(type="hidden", name="entry_id", value=InvoiceState.payment_entry),  # a double click: one payment
        rx.flex(rx.button(rx.icon("banknote"), "Record payment", type="submit", size="3", min_height=TOUCH, id="record-payment"),
                justify="end", margin_top="8px"),
        on_submit=[InvoiceState.record_payment, SignState.reload], key=InvoiceState.form_key.to_string() + InvoiceState.today + "p", width="100%", id="payment-form",
    )  # fmt: skip


def _payment_row(row: PaymentRow) -> rx.Component:
    return rx.table.row(rx.table.cell(row.paid_on, white_space="nowrap"), rx.table.cell(row.amount, text_align="right"),
                        rx.table.cell(row.reference), rx.table.cell(row.recorded_by), class_name="payment-row")  # fmt: skip


def _facts() -> rx.Component:
    fact = lambda label, value, **kw: rx.vstack(rx.text(label, size="1", color_scheme="gray", weight="medium"),  # noqa: E731
                                                rx.text(value, size="3", weight="medium", **kw), spacing="0")  # fmt: skip
    return rx.vstack(
        rx.cond(InvoiceState.invoice_number != "",
                rx.flex(fact("Invoice", InvoiceState.invoice_number, id="invoice-number"), fact("Date", InvoiceState.invoice_date),
                        fact("Amount", InvoiceState.invoice_amount, id="invoice-amount"), fact("Sales order", InvoiceState.sales_order),
                        gap="24px", wrap="wrap"),
                rx.text("Not invoiced yet (sales order ", InvoiceState.sales_order, ").", size="2", color_scheme="gray")),
        rx.foreach(InvoiceState.credited, lambda c: rx.text(c.text, size="1", color_scheme="gray", class_name="credited-invoice")),
        rx.cond(InvoiceState.payments.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Paid on", "Amount", "Reference", "Recorded by")])),
            rx.table.body(rx.foreach(InvoiceState.payments, _payment_row)), variant="ghost", size="1", width="100%"),
            overflow_x="auto", width="100%"), rx.text("No payment recorded yet.", size="2", color_scheme="gray")),
        rx.text("Received ", rx.text.strong(InvoiceState.received, id="money-received"), size="2"),
        rx.cond(InvoiceState.balance != "", rx.callout(
            InvoiceState.balance, id="money-balance", width="100%",
            icon=rx.match(InvoiceState.balance_kind, ("even", "circle-check"), "circle-alert"),
            color_scheme=rx.match(InvoiceState.balance_kind, ("even", "green"), ("over", "violet"), "amber"))),
        spacing="2", width="100%",
    )  # fmt: skip


def money_panel() -> rx.Component:
    """Read when the tab opens (case_page.py) and when the status moves (SignState._refresh_page)."""
    return rx.box(
        rx.cond(InvoiceState.shown, rx.card(
            rx.flex(rx.heading("Invoice and payments", size="4"), status_badge(InvoiceState.status, InvoiceState.status_label),
                    gap="8px", align="center", margin_bottom="8px"),
            rx.grid(_facts(),
                    rx.cond(InvoiceState.can_invoice | InvoiceState.can_pay, rx.vstack(
                        rx.cond(InvoiceState.can_invoice, invoice_form()), rx.cond(InvoiceState.can_pay, payment_form()),
                        spacing="4", width="100%")),
                    grid_template_columns=rx.breakpoints(initial="1fr", lg="1fr 1fr"), gap="16px", width="100%"),
            width="100%", id="money-panel")),
        width="100%",
    )  # fmt: skip
