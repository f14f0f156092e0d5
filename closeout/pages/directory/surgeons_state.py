"""A facility's surgeons on its page: add one (new, or one who operates elsewhere, by name),
remove one (the link is deactivated; cases keep their surgeon), add a removed one back."""

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...services import surgeons
from .facility_state import FacilityState


class SurgeonsState(FacilityState):
    surgeon_errors: dict[str, str] = {}
    surgeon_form_key: int = 0

    @rx.event
    def add(self, form: dict):
        """Add the surgeon typed; the form empties once added and keeps what was typed when refused."""
        name = str(form.get("surgeon_name", ""))[:400]
        try:
            added = surgeons.add_surgeon(self._actor(), self.facility_id, name, str(form.get("specialty", ""))[:400])
        except InvalidInput as refusal:
            self.surgeon_errors = {refusal.field: refusal.message}
            return None
        except DomainError as refusal:
            self.surgeon_errors = {"form": refusal.message}
            return None
        self.surgeon_errors, self.notice = {}, f"{added.name} added."
        self.surgeon_form_key += 1
        self._reload_lists()
        return None

    @rx.event
    def add_back(self, name: str):
        try:
            surgeons.add_surgeon(self._actor(), self.facility_id, name, "")
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self._reload_lists()
        return None

    @rx.event
    def remove(self, surgeon_id: int):
        try:
            surgeons.remove_surgeon(self._actor(), self.facility_id, surgeon_id)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self._reload_lists()
        return None
