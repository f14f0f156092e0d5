"""`/directory`: the facilities, searched by name, account number or city and paged on the
server; deactivated ones on request; "Add facility"."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH, table_link
from ..template import signed_in_page
from .list_state import DirectoryState, FacilityItem

COLUMNS = ("Facility", "Account number", "City", "Time zone", "First billing contact", "")


def search_bar() -> rx.Component:
    query = DirectoryState.params.get("q", "")
    return rx.flex(
        rx.form(
            rx.input(rx.input.slot(rx.icon("search", size=16)), name="q", default_value=query, key=query,
                     on_blur=DirectoryState.search_text, placeholder="Name, account number or city", size="3",
                     min_height=TOUCH, width="100%", aria_label="Search facilities", id="directory-search",
                     enter_key_hint="search"),
            on_submit=DirectoryState.search, flex="1", min_width="240px",
        ),
        rx.box(rx.checkbox("Show deactivated", checked=DirectoryState.params.get("inactive", "") == "1",
                           on_change=DirectoryState.show_inactive, size="3", id="show-inactive"),
               min_height=TOUCH, display="flex", align_items="center"),
        gap="12px", align="center", wrap="wrap", width="100%",
    )  # fmt: skip


def facility_row(row: FacilityItem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(table_link(row.name, row.url), padding_y="0"),
        rx.table.cell(row.account_number, white_space="nowrap"),
        rx.table.cell(row.city),
        rx.table.cell(row.time_zone, white_space="nowrap"),
        rx.table.cell(rx.cond(row.billing_contact != "", row.billing_contact, rx.text("None yet", color_scheme="amber"))),
        rx.table.cell(rx.cond(~row.active, rx.badge("Deactivated", color_scheme="gray", variant="soft"))),
        class_name="facility-row",
    )


def pager() -> rx.Component:
    return rx.flex(
        rx.button("Previous", on_click=DirectoryState.go_to_page(DirectoryState.page - 1), disabled=DirectoryState.page <= 1,
                  variant="soft", min_height=TOUCH, id="directory-previous"),
        rx.text("Page ", DirectoryState.page, " of ", DirectoryState.page_count, size="2", id="directory-page"),
        rx.button("Next", on_click=DirectoryState.go_to_page(DirectoryState.page + 1),
                  disabled=DirectoryState.page >= DirectoryState.page_count, variant="soft", min_height=TOUCH,
                  id="directory-next"),
        gap="12px", align="center", justify="end", margin_top="12px",
    )  # fmt: skip


def facility_list() -> rx.Component:
    return rx.fragment(
        rx.card(search_bar(), width="100%"),
        rx.text(DirectoryState.total, rx.cond(DirectoryState.total == 1, " facility", " facilities"), weight="medium",
                id="directory-total", margin_y="12px"),
        rx.card(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(label) for label in COLUMNS])),
                rx.table.body(rx.foreach(DirectoryState.rows, facility_row)),
                width="100%", variant="ghost", size="1"), overflow_x="auto", width="100%"),
            rx.cond(DirectoryState.total == 0, rx.text("No facility matches.", padding="16px", color_scheme="gray")),
            width="100%", padding="0",
        ),
        pager(),
    )  # fmt: skip


@signed_in_page(routes.DIRECTORY, "Directory", on_load=[DirectoryState.load])
def directory_page() -> rx.Component:
    return (
        rx.flex(
            rx.heading("Directory", size="7"),
            rx.spacer(),
            rx.cond(DirectoryState.error == "", rx.link(
                rx.button(rx.icon("plus"), "Add facility", min_height=TOUCH, size="3"), href=routes.DIRECTORY_NEW,
                id="add-facility")),
            gap="8px", align="center", width="100%", margin_bottom="12px", wrap="wrap",
        ),
        rx.cond(DirectoryState.error != "",
                rx.callout(DirectoryState.error, icon="circle-alert", color_scheme="red", id="directory-error"),
                facility_list()),
    )  # fmt: skip
