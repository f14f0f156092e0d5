"""One device line as a card of inline inputs, saved on blur."""

import reflex as rx

from ...components.layout import TOUCH
from .price_field import price_hint, reason_picker
from .rows import USAGE_OPTIONS, LineRow
from .state import DevicesState


def field_cell(label: str, control: rx.Component, error: rx.Var, hint: rx.Component | None = None) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        control,
        rx.cond(error != "", rx.text(error, size="1", color_scheme="red", class_name="field-error", role="alert")),
        hint or rx.fragment(),
        spacing="1",
        min_width="0",
    )


def text_input(row: LineRow, name: str, label: str, value: rx.Var, read_only: rx.Var | None = None, **props) -> rx.Component:
    """An uncontrolled input saved on blur (or Enter); its key follows the saved value and the
    server's answers, so a normalised value shows after saving and the "not saved yet" mark
    (assets/screen.js) goes, while a refused or unanswered value stays, marked."""
    return rx.input(
        default_value=value,
        key=f"{name}-{row.id}-{value}-{row.acks[name]}",
        custom_attrs={"data-saves-on-blur": "", "data-field": f"{row.id}:{name}"},
        on_blur=lambda v: DevicesState.save(row.id, name, v, row.version),
        read_only=~DevicesState.editable if read_only is None else read_only,
        aria_label=f"{label}, line {row.position}",
        color_scheme=rx.cond(row.errors[name] != "", "red", "gray"),
        size="3",
        min_height=TOUCH,
        width="100%",
        **props,
    )


def line_badges(row: LineRow) -> rx.Component:
    return rx.flex(
        rx.cond(row.price_source == "edited", rx.badge("Price edited", color_scheme="amber", class_name="price-edited")),
        rx.cond(row.expired, rx.badge(rx.icon("triangle-alert", size=12), "Expired before surgery", color_scheme="red")),
        rx.cond(row.excluded != "", rx.badge(row.excluded, color_scheme="gray")),
        rx.cond(
            row.scan_warning != "",
            rx.badge(
                rx.icon("scan-barcode", size=12),
                row.scan_warning,
                color_scheme="amber",
                class_name="scan-warning",
                white_space="normal",
            ),
        ),
        gap="6px",
        wrap="wrap",
    )


def udi_text(row: LineRow) -> rx.Component:
    """The line's UDI-DI and UDI (GS1 human-readable), as the sales order prints them."""
    return rx.cond(row.udi_di != "", rx.vstack(
        rx.text("UDI-DI ", row.udi_di, " · UDI ", rx.el.span(row.udi, class_name="line-udi"), size="1", color_scheme="gray",
                word_break="break-all"),
        rx.cond(row.udi_warning != "", rx.text(row.udi_warning, size="1", color_scheme="amber")),
        spacing="0",
    ))  # fmt: skip


def line_head(row: LineRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.badge("#", row.position, variant="outline", color_scheme="gray"),
                rx.text(row.ref, weight="bold", class_name="line-ref"),
                rx.text(row.manufacturer, size="2", color_scheme="gray"),
                align="center",
                spacing="2",
                wrap="wrap",
            ),
            rx.text(row.description, size="2"),
            udi_text(row),
            line_badges(row),
            rx.badge(
                rx.icon("cloud-off", size=12), "Not saved yet", color_scheme="amber", variant="solid", class_name="unsaved-note"
            ),
            spacing="1",
            flex="1",
            min_width="0",
        ),
        rx.vstack(
            rx.text(row.extended, weight="bold", size="4", class_name="line-extended"),
            rx.text(row.quantity, " × ", row.unit_price_display, size="1", color_scheme="gray", white_space="nowrap"),
            align="end",
            spacing="0",
        ),
        rx.cond(
            DevicesState.editable,
            rx.icon_button(
                rx.icon("trash-2"),
                on_click=DevicesState.ask_remove(row.id),
                variant="ghost",
                color_scheme="red",
                size="3",
                min_width=TOUCH,
                min_height=TOUCH,
                aria_label=f"Remove line {row.position}",
            ),
        ),
        gap="12px",
        align="start",
        width="100%",
    )


def usage_select(row: LineRow) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(width="100%", min_height=TOUCH, aria_label=f"Usage status, line {row.position}"),
        rx.select.content(*[rx.select.item(option, value=option, min_height=TOUCH) for option in USAGE_OPTIONS]),
        value=row.usage_status,
        on_change=lambda v: DevicesState.save(row.id, "usage_status", v, row.version),
        disabled=~DevicesState.editable,
        size="3",
    )


def line_fields(row: LineRow) -> rx.Component:
    return rx.grid(
        field_cell("Lot", text_input(row, "lot", "Lot", row.lot), row.errors["lot"]),
        field_cell("Serial", text_input(row, "serial", "Serial", row.serial), row.errors["serial"]),
        field_cell(
            "Expiry",
            text_input(row, "expiry", "Expiry", row.expiry, type="date"),
            row.errors["expiry"],
            rx.cond(row.expired, rx.text("Before the surgery date", size="1", color_scheme="red")),
        ),
        field_cell(
            "Quantity",
            text_input(row, "quantity", "Quantity", row.quantity, input_mode="numeric"),
            row.errors["quantity"],
        ),
        field_cell("Usage status", usage_select(row), row.errors["usage_status"]),
        field_cell(
            "Unit price ($)",
            text_input(row, "unit_price", "Unit price", row.unit_price, input_mode="decimal",
                       read_only=~DevicesState.editable | ~DevicesState.may_edit_prices),
            row.errors["unit_price"],
            price_hint(row),
        ),
        reason_picker(row),
        field_cell(
            "Billing",
            rx.el.label(
                rx.switch(
                    checked=row.no_charge,
                    on_change=lambda v: DevicesState.save(row.id, "no_charge", v, row.version),
                    disabled=~DevicesState.editable,
                    size="3",
                    aria_label=f"No charge, line {row.position}",
                ),
                rx.text("No charge", size="2"),
                display="flex",
                align_items="center",
                gap="8px",
                min_height=TOUCH,
                cursor="pointer",
            ),
            row.errors["no_charge"],
        ),
        rx.box(
            field_cell(
                "Note",
                text_input(row, "note", "Note", row.note, placeholder="For the billing office"),
                row.errors["note"],
            ),
            grid_column="span 2",
        ),
        grid_template_columns="repeat(auto-fill, minmax(165px, 1fr))",
        gap="12px",
        width="100%",
        margin_top="12px",
    )


def line_card(row: LineRow) -> rx.Component:
    return rx.card(
        line_head(row),
        line_fields(row),
        width="100%",
        class_name="device-line",
        custom_attrs={"id": f"device-line-{row.position}"},  # a Submit for Billing gap links here (no React ref per card)
        opacity=rx.cond(row.excluded != "", "0.8", "1"),
    )
