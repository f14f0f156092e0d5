"""/users: every user with role, status and covered facilities, searchable; Add user."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH, table_link
from ..base import AuthState
from ..template import signed_in_page
from .add_user import AddUserState, add_user_dialog
from .list_state import UserListRow, UsersState


def _status(status: rx.Var) -> rx.Component:
    return rx.badge(status, color_scheme=rx.match(status, ("Active", "green"), ("Invited", "blue"), "gray"), size="2",
                    variant="soft")  # fmt: skip


def _row(row: UserListRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(table_link(row.name, row.url), padding_y="0", white_space="nowrap"),
        rx.table.cell(row.email, display=["none", "none", "table-cell"]),
        rx.table.cell(row.role, white_space="nowrap"),
        rx.table.cell(_status(row.status)),
        rx.table.cell(row.facilities),
        class_name="user-row",
    )  # fmt: skip


def _table() -> rx.Component:
    return rx.card(
        rx.box(rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Name"), rx.table.column_header_cell("Email", display=["none", "none", "table-cell"]),
                rx.table.column_header_cell("Role"), rx.table.column_header_cell("Status"),
                rx.table.column_header_cell("Facilities covered"),
            )),
            rx.table.body(rx.foreach(UsersState.rows, _row)),
            width="100%", variant="ghost",
        ), overflow_x="auto", width="100%"),
        rx.cond(UsersState.rows.length() == 0, rx.text("No user matches this search.", padding="16px", color_scheme="gray")),
        width="100%", padding="0",
    )  # fmt: skip


def _managed() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading("Users", size="7"),
            rx.spacer(),
            rx.button(rx.icon("user-plus", size=16), "Add user", on_click=AddUserState.open_dialog, min_height=TOUCH,
                      id="add-user"),
            align="center", width="100%", gap="8px",
        ),
        rx.input(rx.input.slot(rx.icon("search")), placeholder="Search by name or email", default_value=UsersState.search,
                 on_change=UsersState.search_for.debounce(300), size="3", width="100%", max_width="520px",
                 min_height=TOUCH, id="user-search", aria_label="Search users"),
        _table(),
        add_user_dialog(),
        spacing="4", width="100%",
    )  # fmt: skip


@signed_in_page(routes.USERS, "Users", on_load=[UsersState.load])
def users_page() -> rx.Component:
    return rx.cond(
        UsersState.refused != "",
        rx.callout(UsersState.refused, icon="lock", color_scheme="amber", id="users-refused"),
        rx.cond(AuthState.is_manager, _managed()),  # nothing flashes for a rep before the refusal arrives
    )
