"""The contacts card: billing contacts first, in the order Share and PO reminders use, with
touch-sized Move up / Move down; the dialog that adds or edits a contact."""

import reflex as rx

from ...components.layout import TOUCH
from .contacts_state import ContactsState
from .facility_state import ContactItem


def _icon_button(icon: str, label, on_click, disabled=False, **props) -> rx.Component:
    return rx.icon_button(rx.icon(icon, size=20), on_click=on_click, disabled=disabled, aria_label=label, title=label,
                          variant="soft", size="3", min_width=TOUCH, min_height=TOUCH, **props)  # fmt: skip


def contact_row(c: ContactItem) -> rx.Component:
    first = c.billing_rank == 1
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.text(c.name, weight="bold", class_name="contact-name"),
                rx.cond(c.billing_rank > 0, rx.badge(rx.cond(first, "First billing contact", "Billing #" + c.billing_rank.to_string()),
                                                     color_scheme=rx.cond(first, "green", "gray"), variant="soft")),
                rx.cond(~c.active, rx.badge("Deactivated", color_scheme="gray")),
                spacing="2", align="center", wrap="wrap",
            ),
            rx.text(c.roles, " · ", c.email, rx.cond(c.phone != "", " · " + c.phone, ""), size="2", color_scheme="gray"),
            spacing="1", flex="1", min_width="200px",
        ),
        rx.hstack(
            rx.cond(c.billing_rank > 0, rx.fragment(
                _icon_button("arrow-up", "Move " + c.name + " up", ContactsState.move(c.id, -1), disabled=first),
                _icon_button("arrow-down", "Move " + c.name + " down", ContactsState.move(c.id, 1), disabled=c.last_billing),
            )),
            rx.button("Edit", on_click=ContactsState.open_edit(c.id), variant="soft", size="3", min_height=TOUCH,
                      aria_label="Edit " + c.name),
            rx.cond(c.active,
                    rx.button("Deactivate", on_click=ContactsState.set_contact_active(c.id, False), variant="soft",
                              color_scheme="gray", size="3", min_height=TOUCH, aria_label="Deactivate " + c.name),
                    rx.button("Reactivate", on_click=ContactsState.set_contact_active(c.id, True), variant="soft",
                              size="3", min_height=TOUCH, aria_label="Reactivate " + c.name)),
            spacing="2", wrap="wrap",
        ),
        gap="12px", align="center", wrap="wrap", width="100%", padding_y="8px", class_name="contact-row",
        border_bottom="1px solid var(--gray-a4)", opacity=rx.cond(c.active, "1", "0.6"),
    )  # fmt: skip


def _error(name: str) -> rx.Component:
    message = ContactsState.contact_errors.get(name, "")
    return rx.cond(message != "", rx.text(message, color_scheme="red", size="2", role="alert", class_name="contact-error"))


def _input(label: str, name: str, **props) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(name=name, default_value=ContactsState.draft.get(name, ""), size="3", min_height=TOUCH, width="100%",
                 aria_label=label, id=f"contact-{name}", **props),
        _error(name), spacing="1", width="100%",
    )  # fmt: skip


def _role(label: str, name: str) -> rx.Component:
    return rx.box(rx.checkbox(label, name=name, default_checked=ContactsState.draft_roles.get(name, False), size="3"),
                  min_height=TOUCH, display="flex", align_items="center", padding_right="12px")  # fmt: skip


def contact_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(rx.cond(ContactsState.editing_id == 0, "Add a contact", "Edit contact")),
            rx.form(
                rx.vstack(
                    _input("Name", "name", autocomplete="off"),
                    _input("Email", "email", input_mode="email", autocomplete="off"),
                    _input("Phone (optional)", "phone", input_mode="tel", autocomplete="off"),
                    rx.text("Roles", size="2", weight="medium"),
                    rx.flex(_role("Billing", "is_billing"), _role("Purchasing", "is_purchasing"), _role("OR", "is_or"), wrap="wrap"),
                    _error("roles"), _error("form"),
                    rx.flex(
                        rx.dialog.close(rx.button("Cancel", type="button", variant="soft", color_scheme="gray", size="3",
                                                  min_height=TOUCH)),
                        rx.button("Save contact", type="submit", size="3", min_height=TOUCH, id="contact-save"),
                        gap="8px", justify="end", width="100%",
                    ),
                    spacing="3", width="100%",
                ),
                on_submit=ContactsState.save_contact, key=ContactsState.dialog_key,
            ),
            max_width="480px",
        ),
        open=ContactsState.dialog_open, on_open_change=ContactsState.set_dialog_open,
    )  # fmt: skip


def contacts_card() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.heading("Contacts", size="5"),
            rx.spacer(),
            rx.button(rx.icon("user-plus"), "Add contact", on_click=ContactsState.open_new, size="3", min_height=TOUCH,
                      id="add-contact"),
            align="center", width="100%", wrap="wrap", gap="8px",
        ),
        rx.text("The first billing contact is who Share prefills and where PO reminders go.", size="2", color_scheme="gray"),
        rx.vstack(rx.foreach(ContactsState.contacts, contact_row), spacing="0", width="100%", id="contact-list"),
        rx.cond(ContactsState.contacts.length() == 0, rx.text("No contacts yet.", color_scheme="gray", padding_y="8px")),
        contact_dialog(),
        width="100%",
    )  # fmt: skip
