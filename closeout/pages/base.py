"""The signed-in user, shown in the top bar. Services decide access; this is display."""

import reflex as rx

from ..services.auth import current_user

ROLE_LABELS = {"sales_rep": "Sales Rep", "manager": "Manager"}


class UserState(rx.State):
    user_name: str = ""
    user_role: str = ""

    @rx.event
    def load_user(self):
        actor = current_user()
        self.user_name = actor.name
        self.user_role = ROLE_LABELS.get(actor.role, actor.role)
