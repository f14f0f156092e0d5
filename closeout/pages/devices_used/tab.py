"""The Devices Used tab around the line cards: add a device, find a line, pages, totals."""

import reflex as rx

from ...components.layout import TOUCH
from .camera import camera_sheet
from .line_card import line_card
from .rows import ProductRow
from .state import DevicesState


def pager() -> rx.Component:
    button = {"variant": "soft", "min_height": TOUCH, "min_width": TOUCH}
    return rx.flex(
        rx.button(
            rx.icon("chevrons-left"),
            on_click=DevicesState.go_to_page(1),
            disabled=DevicesState.page <= 1,
            aria_label="First page",
            **button,
        ),
        rx.button(
            "Previous",
            on_click=DevicesState.go_to_page(DevicesState.page - 1),
            disabled=DevicesState.page <= 1,
            **button,
        ),
        rx.text("Page ", DevicesState.page, " of ", DevicesState.page_count, size="2", id="lines-page"),
        rx.button(
            "Next",
            on_click=DevicesState.go_to_page(DevicesState.page + 1),
            disabled=DevicesState.page >= DevicesState.page_count,
            **button,
        ),
        rx.button(
            rx.icon("chevrons-right"),
            on_click=DevicesState.go_to_page(DevicesState.page_count),
            disabled=DevicesState.page >= DevicesState.page_count,
            aria_label="Last page",
            **button,
        ),
        gap="8px",
        align="center",
        justify="center",
        wrap="wrap",
        width="100%",
    )


def product_hit(hit: ProductRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(hit.ref, weight="bold"),
                rx.text(hit.manufacturer, size="1", color_scheme="gray"),
                align="center",
                wrap="wrap",
            ),
            rx.text(hit.description, size="2"),
            rx.text("GTIN ", hit.gtin, size="1", color_scheme="gray"),
            spacing="0",
            flex="1",
            min_width="0",
        ),
        rx.vstack(
            rx.text(hit.price, weight="medium"),
            rx.text(hit.price_label, size="1", color_scheme="gray"),
            align="end",
            spacing="0",
        ),
        rx.button(
            rx.icon("plus"),
            "Add",
            on_click=DevicesState.add_product(hit.id),
            size="3",
            min_height=TOUCH,
            aria_label=f"Add {hit.ref}",
        ),
        gap="12px",
        align="center",
        width="100%",
        padding_y="8px",
        border_bottom="1px solid var(--gray-4)",
        class_name="product-hit",
    )


def scan_field() -> rx.Component:
    """Tap once, then scan: the scanner types the label and Enter, which submits."""
    return rx.vstack(
        rx.flex(rx.form(
            rx.input(
                rx.input.slot(rx.icon("scan-barcode")),
                name="scan", id="scan-input", placeholder="Scan a label (GS1 or HIBC)", size="3", width="100%",
                min_height=TOUCH, auto_complete="off", spell_check=False, aria_label="Scan a label",
            ),
            on_submit=DevicesState.scan, reset_on_submit=True, flex="1", min_width="240px",
        ), camera_sheet(), gap="8px", wrap="wrap", width="100%"),
        rx.cond(DevicesState.scan_error != "", rx.flex(
            rx.text(DevicesState.scan_error, color_scheme="red", size="2", role="alert", id="scan-error"),
            rx.cond(DevicesState.scan_search != "", rx.button("Search the catalog", on_click=DevicesState.search_instead,
                                                                variant="soft", size="2", min_height=TOUCH)),
            gap="8px", align="center", wrap="wrap")),
        spacing="2", width="100%", margin_bottom="12px",
    )  # fmt: skip


def expired_scan_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Expired device"),
            rx.alert_dialog.description(DevicesState.scan_question),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Don't add", variant="soft", color_scheme="gray", min_height=TOUCH,
                                                 on_click=DevicesState.cancel_scan)),
                rx.alert_dialog.action(rx.button("Add anyway", color_scheme="red", min_height=TOUCH,
                                                 on_click=DevicesState.confirm_scan)),
                gap="12px", justify="end", margin_top="16px"),
        ),
        open=DevicesState.scan_question != "",
    )  # fmt: skip


def add_device_panel() -> rx.Component:
    return rx.card(
        rx.heading("Add a device", size="3", margin_bottom="8px"),
        scan_field(),
        rx.input(
            rx.input.slot(rx.icon("search")),
            placeholder="Search the catalog by REF, description or GTIN",
            value=DevicesState.product_query,
            on_change=DevicesState.search_products.debounce(250),
            size="3",
            width="100%",
            min_height=TOUCH,
            id="catalog-search",
        ),
        rx.cond(
            DevicesState.hits.length() > 0,
            rx.vstack(rx.foreach(DevicesState.hits, product_hit), spacing="0", width="100%", margin_top="8px"),
            rx.cond(
                DevicesState.product_query.length() >= 2,
                rx.text("No product in the catalog matches.", size="2", color_scheme="gray", margin_top="8px"),
            ),
        ),
        width="100%",
    )


def totals_panel() -> rx.Component:
    return rx.card(
        rx.heading("Billable totals", size="3", margin_bottom="8px"),
        rx.foreach(
            DevicesState.subtotals,
            lambda s: rx.hstack(
                rx.text(s.manufacturer, size="2"),
                rx.spacer(),
                rx.text(s.amount, size="2", weight="medium"),
                width="100%",
                class_name="subtotal",
            ),
        ),
        rx.separator(margin_y="8px"),
        rx.hstack(
            rx.text("Grand total", weight="bold"),
            rx.spacer(),
            rx.text(DevicesState.grand_total, weight="bold", size="5", id="grand-total"),
            width="100%",
        ),
        rx.text(
            DevicesState.billable_lines,
            " billable of ",
            DevicesState.line_count,
            " lines",
            size="1",
            color_scheme="gray",
        ),
        rx.cond(DevicesState.excluded_note != "", rx.text(DevicesState.excluded_note, size="1", color_scheme="gray")),
        width="100%",
        position=rx.breakpoints(initial="static", lg="sticky"),
        top="72px",
    )


def remove_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Remove this device line?"),
            rx.alert_dialog.description(
                "Remove ", DevicesState.remove_label, " from the case. The Activity list keeps a record."
            ),
            rx.flex(
                rx.alert_dialog.cancel(
                    rx.button(
                        "Keep it",
                        variant="soft",
                        color_scheme="gray",
                        min_height=TOUCH,
                        on_click=DevicesState.cancel_remove,
                    )
                ),
                rx.alert_dialog.action(
                    rx.button("Remove", color_scheme="red", min_height=TOUCH, on_click=DevicesState.confirm_remove)
                ),
                gap="12px",
                justify="end",
                margin_top="16px",
            ),
        ),
        open=DevicesState.remove_id != 0,
    )


def lines_list() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(DevicesState.line_count, rx.cond(DevicesState.line_count == 1, " device line", " device lines"), size="4"),
            rx.spacer(),
            rx.input(
                placeholder="Find a line: REF, lot, serial…",
                default_value=DevicesState.filter_text,
                on_change=DevicesState.set_filter.debounce(300),
                size="3",
                min_height=TOUCH,
                width=rx.breakpoints(initial="100%", sm="280px"),
                id="line-filter",
            ),
            gap="12px",
            align="center",
            wrap="wrap",
            width="100%",
        ),
        rx.cond(
            ~DevicesState.editable,
            rx.callout(
                DevicesState.read_only_reason,
                icon="lock",
                color_scheme="amber",
                width="100%",
            ),
        ),
        rx.cond(
            DevicesState.waiting > 0,
            rx.callout.root(
                rx.callout.icon(rx.icon("hourglass")),
                rx.callout.text(
                    DevicesState.waiting,
                    rx.cond(DevicesState.waiting == 1, " change is", " changes are"),
                    " kept on this screen: the database could not take them yet. They are saved in "
                    "order as soon as it is back — keep this page open.",
                ),
                color_scheme="red",
                width="100%",
                id="kept-changes",
                role="status",
            ),
        ),
        rx.foreach(DevicesState.rows, line_card),
        rx.cond(
            DevicesState.matching == 0,
            rx.text(
                rx.cond(DevicesState.filter_text != "", "No line matches.", "No devices recorded yet."),
                color_scheme="gray",
            ),
        ),
        pager(),
        spacing="3",
        width="100%",
        min_width="0",
    )


def devices_used_tab() -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.cond(DevicesState.editable, add_device_panel()),
            lines_list(),
            spacing="3",
            flex="1",
            min_width="0",
            width="100%",
        ),
        rx.box(totals_panel(), width=rx.breakpoints(initial="100%", lg="320px"), flex_shrink="0"),
        remove_dialog(),
        expired_scan_dialog(),
        direction=rx.breakpoints(initial="column-reverse", lg="row"),
        gap="16px",
        align="start",
        width="100%",
    )
