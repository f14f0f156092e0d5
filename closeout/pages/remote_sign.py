"""The provider's page behind a one-time link: the Devices Used summary and the Provider
Representative's signature pad. No login; a bad link shows one message and nothing else."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..components.signature_pad import clear_pad, read_pad, signature_pad
from ..domain.errors import DomainError, InvalidInput, NotFound
from ..domain.money import format_usd
from ..services import signing_links
from .base import route_tail

PAD = "sig_remote"


@dataclass
class SummaryRow:
    ref: str
    description: str
    manufacturer: str
    quantity: int
    usage_status: str
    extended: str


class RemoteSignState(rx.State):
    gone: str = ""
    done: bool = False
    case_number: str = ""
    facility: str = ""
    surgery_date: str = ""
    rows: list[SummaryRow] = []
    grand_total: str = ""
    name: str = ""
    error: str = ""

    @rx.event
    def load(self):
        self.done, self.error, self.name = False, "", ""
        try:
            summary = signing_links.open_link(route_tail(self))
        except DomainError as refusal:
            self.gone, self.rows, self.case_number, self.facility = refusal.message, [], "", ""
            return
        self.gone, self.case_number, self.facility = "", summary.case_number, summary.facility
        self.surgery_date = summary.surgery_date.strftime("%b %-d, %Y")
        self.rows = [SummaryRow(s.ref, s.description, s.manufacturer, s.quantity, s.usage_status,
                                format_usd(s.extended) if s.billable else "N/C") for s in summary.lines]  # fmt: skip
        self.grand_total = format_usd(summary.grand_total)

    @rx.event
    def set_name(self, value: str):
        self.name = value[:100]

    @rx.event
    def save(self, data_url: str):
        try:
            signing_links.sign_through_link(route_tail(self), self.name, data_url)
        except InvalidInput as refusal:
            self.error = refusal.message
            return
        except NotFound as refusal:
            self.gone, self.rows = refusal.message, []
            return
        self.done, self.rows, self.error = True, [], ""


def summary_row(row: SummaryRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.ref, weight="bold"), rx.text(row.description, size="1")),
        rx.table.cell(row.manufacturer),
        rx.table.cell(row.quantity),
        rx.table.cell(row.usage_status),
        rx.table.cell(row.extended, text_align="right", white_space="nowrap"),
    )


def sign_form() -> rx.Component:
    return rx.vstack(
        rx.heading("Devices Used · ", RemoteSignState.case_number, size="6"),
        rx.text(RemoteSignState.facility, " · surgery ", RemoteSignState.surgery_date, color_scheme="gray"),
        rx.card(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                           ("Device", "Manufacturer", "Qty", "Usage", "Amount")])),
            rx.table.body(rx.foreach(RemoteSignState.rows, summary_row)),
            width="100%", variant="ghost"), width="100%", max_height="45vh", overflow_y="auto", padding="0"),
        rx.text("Billable total ", rx.text.strong(RemoteSignState.grand_total)),
        rx.heading("Provider Representative", size="4", margin_top="8px"),
        rx.text("Provider Representative — confirms devices used", size="2", color_scheme="gray"),
        rx.input(value=RemoteSignState.name, on_change=RemoteSignState.set_name, placeholder="Printed name",
                 aria_label="Provider Representative printed name", size="3", width="100%", min_height=TOUCH),
        signature_pad(PAD, "Provider Representative signature pad"),
        rx.cond(RemoteSignState.error != "", rx.text(RemoteSignState.error, color_scheme="red", role="alert")),
        rx.flex(
            rx.button("Clear", on_click=clear_pad(PAD), variant="soft", color_scheme="gray", min_height=TOUCH),
            rx.button("Sign", on_click=rx.call_script(read_pad(PAD), callback=RemoteSignState.save), size="3",
                      min_height=TOUCH, aria_label="Save Provider Representative signature"),
            gap="12px", justify="end", width="100%"),
        spacing="3", width="100%",
    )  # fmt: skip


@rx.page(route=routes.SIGN, title="Sign · Closeout", on_load=RemoteSignState.load)
def remote_sign_page() -> rx.Component:
    return rx.box(
        rx.box(
            rx.cond(
                RemoteSignState.gone != "",
                rx.callout(RemoteSignState.gone, icon="link-2-off", color_scheme="red", size="3", id="link-gone"),
                rx.cond(
                    RemoteSignState.done,
                    rx.callout("Thank you. Your signature was recorded; you can hand the screen back.",
                               icon="circle-check", color_scheme="green", size="3", id="signed-thanks"),
                    rx.cond(RemoteSignState.case_number != "", sign_form(), rx.spinner(size="3")),
                ),
            ),
            max_width="760px", margin="0 auto", padding="16px",
        ),
        min_height="100vh", background="var(--gray-2)",
    )  # fmt: skip
