"""The "Prices edited" mark of a case: the same badge on the case, in the lists and the console."""

import reflex as rx


def prices_edited_badge(edited: rx.Var, **props) -> rx.Component:
    """Shown when `edited` (a case's flag) holds: some line's unit price was typed by hand."""
    return rx.cond(edited, rx.badge(rx.icon("pencil", size=12), "Prices edited", color_scheme="amber", variant="soft",
                                    size="2", white_space="nowrap", class_name="prices-edited", **props))  # fmt: skip
