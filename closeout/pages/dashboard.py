"""The managers' dashboard: cases by status, how long Closed cases have waited for their PO,
and what was billed per facility per month."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..domain.errors import DomainError
from ..domain.money import format_usd
from ..services import console, payment_dashboard, price_dashboard
from .base import AuthState
from .template import signed_in_page

COLORS = ["var(--indigo-9)", "var(--teal-9)", "var(--amber-9)", "var(--crimson-9)", "var(--grass-9)", "var(--violet-9)"]


@dataclass
class Count:
    label: str
    count: int


@dataclass
class PriceRow:
    """One facility's month of edited prices."""

    month: str
    facility: str
    cases: int
    above: str
    below: str


@dataclass
class PaidRow:
    """One facility's days from surgery to PO, invoice and payment, and what it still owes."""

    facility: str
    to_po: str
    to_invoice: str
    to_paid: str
    outstanding: str


class DashboardState(AuthState):
    paid_rows: list[PaidRow] = []
    outstanding_total: str = ""
    price_rows: list[PriceRow] = []
    by_status: list[Count] = []
    aging: list[Count] = []
    monthly: list[dict] = []
    facilities: list[str] = []
    error: str = ""

    @rx.event
    def load(self):
        try:
            board = console.dashboard(self._actor())
        except DomainError as refusal:
            self.error = refusal.message
            return
        self.error = ""
        self.by_status = [Count(label, n) for label, n in board.by_status]
        self.aging = [Count(label, n) for label, n in board.aging]
        self.monthly, self.facilities = board.monthly, board.facilities
        times = payment_dashboard.payment_times(self._actor())
        self.paid_rows = [PaidRow(t.facility, t.to_po.words(), t.to_invoice.words(), t.to_paid.words(), format_usd(t.outstanding))
                          for t in times]  # fmt: skip
        self.outstanding_total = format_usd(sum((t.outstanding for t in times), Decimal("0.00")))
        self.price_rows = [PriceRow(date(*map(int, r.month.split("-")), 1).strftime("%b %Y"), r.facility, r.cases,
                                    format_usd(r.above), format_usd(r.below)) for r in price_dashboard.price_edits(self._actor())]  # fmt: skip


def count_card(item: Count) -> rx.Component:
    return rx.card(rx.text(item.label, size="2", color_scheme="gray"), rx.heading(item.count, size="7"), min_width="180px", flex="1",
                   class_name="dashboard-count")  # fmt: skip


def _price_row(row: PriceRow) -> rx.Component:
    money = {"text_align": "right", "white_space": "nowrap"}
    return rx.table.row(rx.table.cell(row.month, white_space="nowrap"), rx.table.cell(row.facility),
                        rx.table.cell(row.cases, **money), rx.table.cell(row.above, **money), rx.table.cell(row.below, **money),
                        height=TOUCH, class_name="price-edits-row")  # fmt: skip


def price_edits_table() -> rx.Component:
    """Submitted cases whose prices were typed by hand, and what those prices add up to above
    and below the contract (or list) price: the start of a price dispute, before the facility's."""
    head = [("Month", {}), ("Facility", {}), ("Cases", {"text_align": "right"}), ("Above contract", {"text_align": "right"}),
            ("Below contract", {"text_align": "right"})]  # fmt: skip
    return rx.card(
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(label, **props) for label, props in head])),
            rx.table.body(rx.foreach(DashboardState.price_rows, _price_row)),
            width="100%", variant="ghost", size="2"), overflow_x="auto", width="100%"),
        rx.cond(DashboardState.price_rows.length() == 0,
                rx.text("No submitted case has an edited price.", padding="16px", color_scheme="gray")),
        rx.text("Submitted cases (Closed to Paid), by surgery month; amounts over billable lines (quantity × the difference "
                "from the contract or list price in force).", size="1", color_scheme="gray", padding="8px 12px"),
        width="100%", padding="0", id="price-edits",
    )  # fmt: skip


def _paid_row(row: PaidRow) -> rx.Component:
    right = {"text_align": "right", "white_space": "nowrap"}
    return rx.table.row(rx.table.cell(row.facility), rx.table.cell(row.to_po, **right), rx.table.cell(row.to_invoice, **right),
                        rx.table.cell(row.to_paid, **right), rx.table.cell(row.outstanding, **right), height=TOUCH,
                        class_name="paid-row")  # fmt: skip


def paid_table() -> rx.Component:
    """Days from surgery to the PO, the invoice and the payment (median · 90th percentile), and the
    amount invoiced but not yet received: where the money waits, facility by facility."""
    head = [("Facility", {}), ("Surgery → PO", {"text_align": "right"}), ("→ Invoice", {"text_align": "right"}),
            ("→ Paid", {"text_align": "right"}), ("Outstanding", {"text_align": "right"})]  # fmt: skip
    return rx.card(
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(label, **props) for label, props in head])),
            rx.table.body(rx.foreach(DashboardState.paid_rows, _paid_row)),
            width="100%", variant="ghost", size="2"), overflow_x="auto", width="100%"),
        rx.cond(DashboardState.paid_rows.length() == 0, rx.text("No case has its PO yet.", padding="16px", color_scheme="gray")),
        rx.flex(rx.text("Days: median · 90th percentile, over the last 12 months of surgeries. Outstanding: invoiced, not yet "
                        "received (Invoiced cases).", size="1", color_scheme="gray"), rx.spacer(),
                rx.text("Outstanding in all ", rx.text.strong(DashboardState.outstanding_total, id="outstanding-total"), size="2"),
                padding="8px 12px", gap="8px", wrap="wrap", align="center"),
        width="100%", padding="0", id="paid-times",
    )  # fmt: skip


@signed_in_page(routes.DASHBOARD, "Dashboard", on_load=[DashboardState.load])
def dashboard_page() -> rx.Component:
    bars = [
        rx.recharts.bar(data_key=DashboardState.facilities[i], fill=color, stack_id="billed") for i, color in enumerate(COLORS)
    ]
    return (
        rx.flex(rx.heading("Dashboard", size="7"), rx.spacer(),
                rx.link(rx.button("Cases", variant="soft", min_height=TOUCH), href=routes.CONSOLE), width="100%", margin_bottom="12px"),
        rx.cond(DashboardState.error != "", rx.callout(DashboardState.error, icon="circle-alert", color_scheme="red")),
        rx.heading("Cases by status", size="4", margin_y="8px"),
        rx.flex(rx.foreach(DashboardState.by_status, count_card), gap="12px", wrap="wrap"),
        rx.heading("Pending PO, by days since submitting", size="4", margin_y="8px"),
        rx.flex(rx.foreach(DashboardState.aging, count_card), gap="12px", wrap="wrap"),
        rx.heading("Billed per facility per month", size="4", margin_y="8px"),
        rx.card(
            rx.recharts.bar_chart(
                *bars, rx.recharts.x_axis(data_key="month"), rx.recharts.y_axis(width=90),
                rx.recharts.graphing_tooltip(), rx.recharts.cartesian_grid(stroke_dasharray="3 3"),
                data=DashboardState.monthly, width="100%", height=320,
            ),
            rx.flex(rx.foreach(DashboardState.facilities, lambda name, i: rx.hstack(
                rx.box(width="12px", height="12px", border_radius="2px", background=rx.match(i, *enumerate(COLORS), COLORS[0])),
                rx.text(name, size="2"), align="center")), gap="16px", wrap="wrap", justify="center"),
            width="100%", id="billed-chart",
        ),
        rx.heading("Getting paid, per facility", size="4", margin_y="8px"),
        paid_table(),
        rx.heading("Edited prices per facility per month", size="4", margin_y="8px"),
        price_edits_table(),
    )  # fmt: skip
