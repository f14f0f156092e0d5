"""What Add user and a user's page share: a choice in a list, the role, and the facilities
a rep covers (ticked boxes)."""

from dataclasses import dataclass

import reflex as rx

from ...domain.users import REP


@dataclass
class Option:
    value: str
    label: str


class RoleAndCoverageMixin(rx.State, mixin=True):
    role: str = REP
    facilities: list[Option] = []
    chosen: list[str] = []

    @rx.event
    def set_role(self, role: str):
        self.role = str(role)

    @rx.event
    def toggle(self, facility_id: str, on: bool):
        self.chosen = [f for f in self.chosen if f != facility_id] + ([str(facility_id)] if on else [])
