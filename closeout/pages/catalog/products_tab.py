"""The Products tab: the product import, then the catalog searched and paged."""

import reflex as rx

from ...components.layout import TOUCH
from .import_panel import import_panel
from .import_state import ImportState
from .state import CatalogState, ProductItem

COLUMNS = ("REF", "Description", "Manufacturer", "GTIN", "List price", "Single use")
HINT = (
    "Columns: REF, Description, Manufacturer, GTIN, HIBC labeler code, Single use (yes/no), List price. A product is "
    "updated by its manufacturer and REF; products not in the file are kept. Export the catalog for a file to start from."
)


def product_row(row: ProductItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.ref, white_space="nowrap", weight="medium"), rx.table.cell(row.description),
        rx.table.cell(row.manufacturer), rx.table.cell(row.gtin, white_space="nowrap"),
        rx.table.cell(row.list_price, text_align="right", white_space="nowrap"), rx.table.cell(row.single_use),
        class_name="product-row",
    )  # fmt: skip


def pager() -> rx.Component:
    return rx.flex(
        rx.button("Previous", on_click=CatalogState.go_to_page(CatalogState.page - 1), disabled=CatalogState.page <= 1,
                  variant="soft", min_height=TOUCH, id="products-previous"),
        rx.text("Page ", CatalogState.page, " of ", CatalogState.page_count, size="2", id="products-page"),
        rx.button("Next", on_click=CatalogState.go_to_page(CatalogState.page + 1),
                  disabled=CatalogState.page >= CatalogState.page_count, variant="soft", min_height=TOUCH, id="products-next"),
        gap="12px", align="center", justify="end",
    )  # fmt: skip


def products_tab() -> rx.Component:
    return rx.vstack(
        import_panel("products", "Import products", HINT, ImportState.products_job),
        rx.flex(
            rx.form(
                rx.input(rx.input.slot(rx.icon("search", size=16)), name="q", default_value=CatalogState.search,
                         placeholder="REF, description, GTIN or manufacturer", size="3", min_height=TOUCH, width="100%",
                         aria_label="Search products", id="product-search", enter_key_hint="search"),
                on_submit=CatalogState.find, flex="1", min_width="240px",
            ),
            rx.text(CatalogState.total, rx.cond(CatalogState.total == 1, " product", " products"), weight="medium",
                    id="products-total"),
            gap="12px", align="center", wrap="wrap", width="100%",
        ),
        rx.card(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in COLUMNS])),
                rx.table.body(rx.foreach(CatalogState.products, product_row)),
                width="100%", variant="ghost", size="1"), overflow_x="auto", width="100%"),
            rx.cond(CatalogState.total == 0, rx.text("No product matches.", padding="16px", color_scheme="gray")),
            width="100%", padding="0",
        ),
        pager(),
        spacing="3", width="100%",
    )  # fmt: skip
