"""The Price lists tab: the contract price import, then every price list with its facilities."""

import reflex as rx

from .import_panel import import_panel
from .import_state import ImportState
from .state import CatalogState, ListItem

HINT = (
    "Columns: Price list or Facility account (bill-to account number), REF, Manufacturer (when two makers share a "
    "REF), Contract price, Effective from, Effective to (blank: no end). A line is priced with the contract price in "
    "force on the surgery date. To follow a price with a new one, give the old one an end date in the same file."
)


def list_row(row: ListItem) -> rx.Component:
    return rx.table.row(rx.table.cell(row.name, weight="medium"), rx.table.cell(row.facilities),
                        rx.table.cell(row.prices, text_align="right"), class_name="price-list-row")  # fmt: skip


def lists_tab() -> rx.Component:
    return rx.vstack(
        import_panel("prices", "Import contract prices", HINT, ImportState.prices_job),
        rx.card(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell("Price list"), rx.table.column_header_cell("Facilities"),
                                             rx.table.column_header_cell("Prices", text_align="right"))),
                rx.table.body(rx.foreach(CatalogState.price_lists, list_row)),
                width="100%", variant="ghost", size="1"), overflow_x="auto", width="100%"),
            rx.cond(CatalogState.price_lists.length() == 0, rx.text("No price list yet.", padding="16px", color_scheme="gray")),
            width="100%", padding="0",
        ),
        spacing="3", width="100%",
    )  # fmt: skip
