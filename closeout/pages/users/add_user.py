"""Add user: name, email, role and (for a rep) the facilities they cover; then the one-time
invitation link, to copy (and emailed when mail is configured)."""

import asyncio

import reflex as rx

from ...components.layout import TOUCH
from ...domain.errors import DomainError
from ...domain.users import REP, ROLE_LABELS
from ...services import user_admin, users
from ...services.auth import NotSignedIn
from ...services.db import DatabaseUnavailable
from ..base import AuthState, origin
from .link_card import link_card, note_for
from .list_state import UsersState
from .user_form import Option, RoleAndCoverageMixin


class AddUserState(RoleAndCoverageMixin, AuthState):
    is_open: bool = False
    error: str = ""
    link_url: str = ""
    link_note: str = ""
    link_emailed: bool = False
    link_expires: str = ""
    busy: bool = False

    @rx.event
    def open_dialog(self):
        try:
            found = users.facilities_for(self._actor())
        except NotSignedIn:
            return AuthState.require_login
        self.role, self.chosen, self.error, self.link_url = REP, [], "", ""
        self.facilities, self.is_open = [Option(str(f.id), f.name) for f in found], True
        return None

    @rx.event
    def close_dialog(self):
        self.is_open, self.link_url = False, ""

    @rx.event
    def dialog_changed(self, is_open: bool):
        if not is_open:
            self.is_open, self.link_url = False, ""

    @rx.event
    async def add(self, form: dict):
        """SMTP may take seconds: off the event loop, the button busy meanwhile (a second tap
        adds nothing twice). A refusal keeps everything typed."""
        if self.busy:
            return
        self.busy = True
        yield
        try:
            issued = await asyncio.to_thread(user_admin.add_user, self._actor(), form.get("name", ""), form.get("email", ""),
                                             self.role, list(self.chosen), origin(self))  # fmt: skip
        except NotSignedIn:
            yield AuthState.require_login
            return
        except (DomainError, DatabaseUnavailable) as refusal:
            self.error = refusal.message
            return
        finally:
            self.busy = False
        self.error, self.link_url, self.link_note = "", issued.url, note_for(issued)
        self.link_emailed, self.link_expires = issued.delivery == "sent", issued.expires_at.isoformat()
        yield UsersState.load  # the list beside this dialog shows the new user


def _facility_box(option: Option) -> rx.Component:
    return rx.box(rx.checkbox(option.label, checked=AddUserState.chosen.contains(option.value),
                              on_change=lambda on: AddUserState.toggle(option.value, on), size="3"),
                  min_height=TOUCH, display="flex", align_items="center")  # fmt: skip


def _field(label: str, **props) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium"),
                     rx.input(size="3", width="100%", min_height=TOUCH, aria_label=label, **props), spacing="1", width="100%")  # fmt: skip


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            _field("Name", name="name", id="new-user-name", auto_complete="off"),
            _field("Email", name="email", id="new-user-email", type="email", auto_complete="off"),
            rx.text("Role", size="2", weight="medium"),
            rx.select.root(
                rx.select.trigger(min_height=TOUCH, width="100%", aria_label="Role", id="new-user-role"),
                rx.select.content(*[rx.select.item(label, value=value) for value, label in ROLE_LABELS.items()]),
                value=AddUserState.role, on_change=AddUserState.set_role, size="3",
            ),
            rx.cond(AddUserState.role == REP, rx.vstack(
                rx.text("Facilities covered", size="2", weight="medium"),
                rx.box(rx.foreach(AddUserState.facilities, _facility_box), max_height="30vh", overflow_y="auto", width="100%"),
                spacing="1", width="100%",
            )),
            rx.cond(AddUserState.error != "", rx.text(AddUserState.error, color_scheme="red", size="2", role="alert",
                                                      id="add-user-error")),
            rx.flex(
                rx.button("Cancel", type="button", on_click=AddUserState.close_dialog, variant="soft", color_scheme="gray",
                          min_height=TOUCH),
                rx.button("Add and create link", type="submit", min_height=TOUCH, id="add-user-submit", loading=AddUserState.busy),
                gap="12px", justify="end", width="100%",
            ),
            spacing="3", width="100%",
        ),
        on_submit=AddUserState.add, width="100%",
    )  # fmt: skip


def add_user_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Add user"),
            rx.dialog.description("They get a one-time link to set their own password.", size="2", margin_bottom="12px"),
            rx.cond(
                AddUserState.link_url != "",
                rx.vstack(
                    link_card(AddUserState.link_url, AddUserState.link_note, AddUserState.link_emailed, AddUserState.link_expires),
                    rx.button("Done", on_click=AddUserState.close_dialog, min_height=TOUCH, align_self="end", id="add-user-done"),
                    spacing="3", width="100%",
                ),
                _form(),
            ),
            max_width="560px",
        ),
        open=AddUserState.is_open, on_open_change=AddUserState.dialog_changed,
    )  # fmt: skip
