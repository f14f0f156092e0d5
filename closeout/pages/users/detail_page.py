"""/users/<id>: one user's details and covered facilities, sign-in (reset password or a new
invitation, unlock), deactivate / reactivate, and reassigning their unfinished cases."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH
from ...domain.users import REP, ROLE_LABELS
from ..template import signed_in_page
from .detail_state import UserState
from .link_card import link_card
from .user_form import Option


def _field(label: str, **props) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"),
                     rx.input(size="3", width="100%", min_height=TOUCH, aria_label=label, **props), spacing="1", width="100%")  # fmt: skip


def _facility_box(option: Option) -> rx.Component:
    return rx.box(rx.checkbox(option.label, checked=UserState.chosen.contains(option.value),
                              on_change=lambda on: UserState.toggle(option.value, on), size="3"),
                  min_height=TOUCH, display="flex", align_items="center")  # fmt: skip


def _details() -> rx.Component:
    return rx.card(rx.form(
        rx.vstack(
            rx.heading("Details", size="4"),
            _field("Name", name="name", default_value=UserState.name, key=f"name-{UserState.form_key}", id="user-name"),
            _field("Email", name="email", type="email", default_value=UserState.email, key=f"email-{UserState.form_key}",
                   id="user-email"),
            rx.text("Role", size="2", weight="medium"),
            rx.select.root(
                rx.select.trigger(min_height=TOUCH, width="100%", aria_label="Role", id="user-role"),
                rx.select.content(*[rx.select.item(label, value=value) for value, label in ROLE_LABELS.items()]),
                value=UserState.role, on_change=UserState.set_role, size="3",
            ),
            rx.cond(UserState.role == REP, rx.vstack(
                rx.text("Facilities covered", size="2", weight="medium"),
                rx.flex(rx.foreach(UserState.facilities, _facility_box), wrap="wrap", column_gap="24px", width="100%"),
                spacing="1", width="100%",
            ), rx.text("Managers create cases at every facility.", size="2", color_scheme="gray")),
            rx.cond(UserState.error != "", rx.text(UserState.error, color_scheme="red", size="2", role="alert", id="user-error")),
            rx.button("Save", type="submit", min_height=TOUCH, id="save-user", align_self="end"),
            spacing="3", width="100%",
        ),
        on_submit=UserState.save, width="100%",
    ), width="100%")  # fmt: skip


def _sign_in() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Sign-in", size="4"),
        rx.text(rx.cond(UserState.has_password, "Password set.", "No password yet: they set one through their invitation link."),
                size="2", id="user-password-state"),
        rx.cond(UserState.link_kind != "", rx.text(
            rx.cond(UserState.link_kind == "reset", "A password reset link", "An invitation link"), " is waiting, until ",
            rx.moment(UserState.link_expires, format="MMM D, YYYY h:mm A", local=True), ".", size="2", color_scheme="gray")),
        rx.cond(UserState.held_until != "", rx.text(
            "Sign-in is held up after failed attempts until ", rx.moment(UserState.held_until, format="h:mm:ss A", local=True),
            ".", size="2", color_scheme="amber", id="user-held")),
        rx.flex(
            rx.button(rx.icon("key-round", size=16), rx.cond(UserState.has_password, "Reset password", "New invitation link"),
                      on_click=UserState.new_link, disabled=~UserState.active, min_height=TOUCH, variant="soft", id="reset-password"),
            rx.button(rx.icon("lock-open", size=16), "Unlock sign-in", on_click=UserState.unlock, min_height=TOUCH,
                      variant="soft", id="unlock-user"),
            gap="8px", wrap="wrap",
        ),
        rx.cond(UserState.has_password, rx.text("Their current password keeps working until they set the new one.", size="1",
                                                color_scheme="gray")),
        rx.cond(UserState.issued_url != "", link_card(UserState.issued_url, UserState.issued_note, UserState.issued_emailed,
                                                      UserState.issued_expires)),
        spacing="3", width="100%",
    ), width="100%")  # fmt: skip


def _status() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Status", size="4"),
        rx.cond(
            UserState.active,
            rx.vstack(
                rx.text("Deactivating signs them out everywhere at once. Their cases stay.", size="2"),
                rx.button(rx.icon("user-x", size=16), "Deactivate", on_click=UserState.ask_deactivate(True), color_scheme="red",
                          variant="soft", min_height=TOUCH, id="deactivate-user"),
                spacing="2",
            ),
            rx.vstack(
                rx.text("Deactivated: cannot sign in.", size="2", id="user-deactivated"),
                rx.button(rx.icon("user-check", size=16), "Reactivate", on_click=UserState.reactivate, variant="soft",
                          min_height=TOUCH, id="reactivate-user"),
                spacing="2",
            ),
        ),
        spacing="3", width="100%",
    ), width="100%")  # fmt: skip


def _prices() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Prices", size="4"),
        rx.el.label(
            rx.switch(checked=UserState.may_edit_prices, on_change=UserState.set_price_permission, size="3",
                      id="may-edit-prices", aria_label="May edit unit prices"),
            rx.text("May edit unit prices", size="2", weight="medium"),
            display="flex", align_items="center", gap="8px", min_height=TOUCH, cursor="pointer",
        ),
        rx.text(rx.cond(UserState.may_edit_prices,
                        "Each price away from the contract or list price needs a reason, printed on the sales order.",
                        "Unit prices stay the contract or list price; No charge is still available."),
                size="2", color_scheme="gray", id="price-permission-note"),
        spacing="2", width="100%",
    ), width="100%")  # fmt: skip


def _reassign() -> rx.Component:
    return rx.card(rx.vstack(
        rx.heading("Unfinished cases", size="4"),
        rx.text(UserState.open_cases, " case(s) open, or closed and waiting for the PO.", size="2", id="user-open-cases"),
        rx.cond(UserState.open_cases > 0, rx.flex(
            rx.select.root(
                rx.select.trigger(placeholder="Sales rep who takes them over", min_height=TOUCH, aria_label="Reassign to"),
                rx.select.content(rx.foreach(UserState.reps, lambda r: rx.select.item(r.label, value=r.value))),
                value=UserState.reassign_to, on_change=UserState.set_reassign_to, size="3",
            ),
            rx.button("Reassign these cases", on_click=UserState.reassign, disabled=UserState.reassign_to == "",
                      min_height=TOUCH, id="reassign-cases"),
            gap="8px", wrap="wrap", align="center",
        )),
        spacing="3", width="100%",
    ), width="100%")  # fmt: skip


def _confirm_deactivate() -> rx.Component:
    return rx.alert_dialog.root(rx.alert_dialog.content(
        rx.alert_dialog.title("Deactivate ", UserState.name, "?"),
        rx.alert_dialog.description("They are signed out everywhere and cannot sign in until reactivated. Their cases stay.",
                                    size="2"),
        rx.flex(
            rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray", min_height=TOUCH)),
            rx.alert_dialog.action(rx.button("Deactivate", color_scheme="red", on_click=UserState.deactivate, min_height=TOUCH,
                                             id="confirm-deactivate")),
            gap="12px", justify="end", margin_top="16px",
        ),
    ), open=UserState.asking_deactivate, on_open_change=UserState.ask_deactivate)  # fmt: skip


def _user() -> rx.Component:
    return rx.vstack(
        rx.link("← Users", href=routes.USERS, min_height=TOUCH, display="flex", align_items="center"),
        rx.flex(rx.heading(UserState.name, size="7", id="user-heading"), rx.text(UserState.email, color_scheme="gray"),
                gap="12px", align="baseline", wrap="wrap"),
        rx.grid(_details(), rx.vstack(_sign_in(), _prices(), _status(), _reassign(), spacing="4", width="100%"),
                columns=rx.breakpoints(initial="1", md="2"), gap="16px", width="100%"),
        _confirm_deactivate(),
        spacing="3", width="100%",
    )  # fmt: skip


@signed_in_page(routes.USER, "User", on_load=[UserState.load])
def user_page() -> rx.Component:
    return rx.cond(UserState.refused != "", rx.callout(UserState.refused, icon="lock", color_scheme="amber", id="users-refused"),
                   rx.cond(UserState.user_id > 0, _user()))  # fmt: skip
