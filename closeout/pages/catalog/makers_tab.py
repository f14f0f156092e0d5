"""The Manufacturers tab: the list, and a form to add one (an import refuses unknown ones)."""

import reflex as rx

from ...components.layout import TOUCH
from .state import CatalogState, MakerItem


def maker_row(row: MakerItem) -> rx.Component:
    return rx.table.row(rx.table.cell(row.name, weight="medium"), rx.table.cell(row.lic),
                        rx.table.cell(row.products, text_align="right"), class_name="maker-row")  # fmt: skip


def _field(name: str, label: str, field_id: str, **props) -> rx.Component:
    error = CatalogState.maker_errors.get(name, "")
    return rx.vstack(
        rx.text(label, as_="label", html_for=field_id, size="2", weight="medium"),
        rx.input(name=name, id=field_id, size="3", min_height=TOUCH, width="100%", **props),
        rx.cond(error != "", rx.text(error, size="2", color_scheme="red", id=f"{field_id}-error")),
        spacing="1", flex="1", min_width="200px",
    )  # fmt: skip


def add_form() -> rx.Component:
    return rx.card(
        rx.form(
            rx.flex(
                _field("name", "Manufacturer", "maker-name", placeholder="e.g. Meridian Orthopedics"),
                _field("lic", "HIBC labeler code (optional)", "maker-lic", placeholder="e.g. M614", max_length=4),
                rx.button(rx.icon("plus"), "Add manufacturer", type="submit", size="3", min_height=TOUCH, id="maker-add",
                          align_self="end"),
                gap="12px", wrap="wrap", align="start", width="100%",
            ),
            on_submit=CatalogState.add_maker, width="100%",
        ),
        rx.cond(CatalogState.maker_notice != "", rx.text(CatalogState.maker_notice, size="2", color_scheme="green",
                                                         margin_top="8px", id="maker-notice")),
        width="100%",
    )  # fmt: skip


def makers_tab() -> rx.Component:
    return rx.vstack(
        add_form(),
        rx.card(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell("Manufacturer"), rx.table.column_header_cell("HIBC labeler code"),
                                             rx.table.column_header_cell("Products", text_align="right"))),
                rx.table.body(rx.foreach(CatalogState.makers, maker_row)),
                width="100%", variant="ghost", size="1"), overflow_x="auto", width="100%"),
            width="100%", padding="0",
        ),
        spacing="3", width="100%",
    )  # fmt: skip
