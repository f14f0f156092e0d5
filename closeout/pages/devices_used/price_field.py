"""What a line's unit price shows besides its input: where the price comes from, the reason
an edited price was given, and the reason picker a typed price waits in (one tap for the
usual reasons, or type another): quick with gloves on a tablet."""

import reflex as rx

from ...components.layout import TOUCH
from ...domain.price_edits import MAX_REASON, PRICE_REASONS
from .rows import LineRow
from .state import DevicesState


def price_hint(row: LineRow) -> rx.Component:
    """Under the price: its source; for an edited price, the reason (and a way to change it);
    for a user without the permission, why the field does not take typing."""
    return rx.vstack(
        rx.text(row.price_label, size="1", color_scheme="gray"),
        rx.cond(row.price_source == "edited", rx.flex(
            rx.text("Reason: ", rx.cond(row.price_reason != "", row.price_reason, "not recorded"), size="1",
                    class_name="price-reason"),
            rx.cond(DevicesState.editable & DevicesState.may_edit_prices, rx.button(
                "Change", on_click=DevicesState.change_reason(row.id), variant="ghost", size="1", min_height=TOUCH,
                aria_label=f"Change the price reason, line {row.position}")),
            align="center", column_gap="4px", wrap="wrap",
        )),
        rx.cond(DevicesState.editable & ~DevicesState.may_edit_prices,
                rx.text("Price edits need a manager's permission.", size="1", color_scheme="gray", class_name="price-locked")),
        spacing="0",
    )  # fmt: skip


def _choice(row: LineRow, reason: str) -> rx.Component:
    return rx.button(reason, on_click=DevicesState.choose_reason(row.id, reason), variant="soft", size="3",
                     min_height=TOUCH, class_name="price-reason-choice")  # fmt: skip


def _typed(row: LineRow) -> rx.Component:
    # The line travels in the form (a submit handler cannot see the row of a foreach).
    return rx.form(
        rx.el.input(type="hidden", name="line_id", value=row.id, read_only=True),
        rx.flex(
            rx.input(name="reason", placeholder="Other reason", max_length=MAX_REASON, size="3", min_height=TOUCH,
                     flex="1", min_width="180px", aria_label=f"Other reason, line {row.position}", auto_complete="off"),
            rx.button("Save with this reason", type="submit", size="3", min_height=TOUCH),
            gap="8px", width="100%", wrap="wrap",
        ),
        on_submit=DevicesState.type_reason, width="100%",
    )  # fmt: skip


def reason_picker(row: LineRow) -> rx.Component:
    """Below the price, across the card, while a typed price waits for its reason."""
    return rx.cond(row.pending_price != "", rx.box(
        rx.vstack(
            rx.text("Why $", row.pending_price, "? A price other than the contract or list price "
                    "needs a reason, printed on the sales order.", size="2", weight="medium"),
            rx.flex(*[_choice(row, reason) for reason in PRICE_REASONS], gap="8px", wrap="wrap"),
            _typed(row),
            rx.cond(row.reason_error != "", rx.text(row.reason_error, size="2", color_scheme="red", role="alert",
                                                   class_name="reason-error")),
            rx.button("Cancel: keep ", row.unit_price_display, on_click=DevicesState.cancel_reason(row.id), variant="ghost",
                      color_scheme="gray", size="2", min_height=TOUCH),
            spacing="2", width="100%",
        ),
        grid_column="1 / -1", padding="12px", border_radius="var(--radius-3)", background="var(--amber-2)",
        border="1px solid var(--amber-6)", class_name="price-reason-picker",
    ))  # fmt: skip
