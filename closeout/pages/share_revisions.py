"""The Share tab's list of sales order revisions: after a correction (credit and rebill) the
current sales order is SO-…-R1 and every one it replaced is kept, each PDF as it stood."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, table_link
from ..domain.errors import DomainError
from ..domain.money import format_usd
from ..services import corrections
from .base import AuthState, route_tail


@dataclass
class RevisionRow:
    number: str
    url: str
    total: str
    note: str
    current: bool


def _row(case_number: str, r: corrections.RevisionRow) -> RevisionRow:
    if r.current:
        return RevisionRow(r.number, "", format_usd(r.total), "Current sales order: Download or Print below", True)
    when = f"{r.superseded_at:%b %-d, %Y}" if r.superseded_at else ""
    return RevisionRow(r.number, routes.sales_order_revision_url(case_number, r.revision), format_usd(r.total),
                       f"Credited {when} by {r.superseded_by}: {r.reason}", False)  # fmt: skip


class RevisionsState(AuthState):
    rows: list[RevisionRow] = []

    @rx.event
    def load(self):
        number = route_tail(self)
        try:
            self.rows = [_row(number, r) for r in corrections.revisions_of(self._actor(), number)]
        except DomainError:
            self.rows = []


def _revision(row: RevisionRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.cond(row.url != "", table_link(row.number, row.url, is_external=True), rx.text(row.number, size="2")),
                      padding_y="0", white_space="nowrap"),  # the current one: Download and Print record the share
        rx.table.cell(rx.cond(row.current, rx.badge("current", color_scheme="green"), rx.badge("superseded", color_scheme="gray"))),
        rx.table.cell(row.total, text_align="right", white_space="nowrap"),
        rx.table.cell(row.note),
        class_name="revision-row",
    )  # fmt: skip


def revisions_card() -> rx.Component:
    """Shown once the case has been corrected (more than one revision); read when the tab opens (case_page.py)."""
    return rx.box(
        rx.cond(RevisionsState.rows.length() > 1, rx.card(
            rx.heading("Sales order revisions", size="4", margin_bottom="4px"),
            rx.text("Every corrected sales order is kept as it stood; the current one prints with what changed.",
                    size="2", color_scheme="gray", margin_bottom="8px"),
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Sales order", "Status", "Total", "Credit")])),
                rx.table.body(rx.foreach(RevisionsState.rows, _revision)), width="100%", variant="ghost"),
                overflow_x="auto", width="100%"),
            width="100%", id="sales-order-revisions", min_height=TOUCH)),
        width="100%",
    )  # fmt: skip
