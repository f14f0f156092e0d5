"""`/catalog` (managers): products, contract price lists and manufacturers; CSV import (checked
first, then all or nothing) and export in the same format."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH
from ..template import signed_in_page
from .import_state import ImportState
from .lists_tab import lists_tab
from .makers_tab import makers_tab
from .products_tab import products_tab
from .state import CatalogState


def export_link(label: str, href: str, name: str, link_id: str) -> rx.Component:
    """A plain link in a new tab (the router leaves it alone); the route checks the session."""
    return rx.el.a(rx.button(rx.icon("file-down"), label, variant="soft", min_height=TOUCH), href=href, download=name,
                   id=link_id, target="_blank", rel="noopener")  # fmt: skip


def tab_trigger(label: str, value: str) -> rx.Component:
    return rx.tabs.trigger(label, value=value, min_height=TOUCH, padding_x="16px")


def catalog_content() -> rx.Component:
    return rx.tabs.root(
        rx.tabs.list(tab_trigger("Products", "products"), tab_trigger("Price lists", "prices"),
                     tab_trigger("Manufacturers", "manufacturers"), size="2"),
        rx.tabs.content(products_tab(), value="products", padding_top="16px"),
        rx.tabs.content(lists_tab(), value="prices", padding_top="16px"),
        rx.tabs.content(makers_tab(), value="manufacturers", padding_top="16px"),
        value=CatalogState.tab, on_change=CatalogState.open_tab, activation_mode="manual", width="100%",
    )  # fmt: skip


@signed_in_page(routes.CATALOG, "Catalog", on_load=[CatalogState.load, ImportState.load])
def catalog_page() -> rx.Component:
    return (
        rx.flex(
            rx.heading("Catalog", size="7"),
            rx.spacer(),
            rx.cond(CatalogState.error == "", rx.flex(
                export_link("Export catalog", routes.CATALOG_PRODUCTS_CSV, "closeout-catalog.csv", "export-products"),
                export_link("Export contract prices", routes.CATALOG_PRICES_CSV, "closeout-contract-prices.csv", "export-prices"),
                gap="8px", wrap="wrap")),
            gap="8px", align="center", width="100%", margin_bottom="12px", wrap="wrap",
        ),
        rx.cond(CatalogState.error != "",
                rx.callout(CatalogState.error, icon="circle-alert", color_scheme="red", id="catalog-error"),
                catalog_content()),
    )  # fmt: skip
