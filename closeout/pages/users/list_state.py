"""The user list's state: who works here, searched by name or email."""

from dataclasses import dataclass

import reflex as rx

from ... import routes
from ...domain.errors import DomainError
from ...domain.users import ROLE_LABELS, facility_names
from ...services import users
from ...services.auth import NotSignedIn
from ..base import AuthState


@dataclass
class UserListRow:
    id: int
    url: str
    name: str
    email: str
    role: str
    status: str  # Active | Invited | Deactivated
    facilities: str


def _row(user: users.UserRow) -> UserListRow:
    status = "Deactivated" if not user.active else "Invited" if user.invited else "Active"
    covered = facility_names(user.facilities) if user.role == "sales_rep" else "All (manager)"
    return UserListRow(user.id, routes.user_url(user.id), user.name, user.email, ROLE_LABELS.get(user.role, user.role),
                       status, covered)  # fmt: skip


class UsersState(AuthState):
    rows: list[UserListRow] = []
    search: str = ""
    refused: str = ""  # not a manager: this message and nothing else

    @rx.event
    def load(self):
        try:
            found = users.list_users(self._actor(), self.search)
        except NotSignedIn:
            return None  # require_login sends the browser to sign in
        except DomainError as refusal:
            self.refused, self.rows = refusal.message, []
            return None
        self.refused, self.rows = "", [_row(u) for u in found]
        return None

    @rx.event
    def search_for(self, text: str):
        self.search = str(text)[:80]
        return UsersState.load
