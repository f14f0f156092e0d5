"""A facility's contacts on its page: add or edit one in a dialog, move a billing contact up
or down (the first is what Share prefills), deactivate or reactivate."""

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...services import contacts
from .facility_state import FacilityState

CONTACT_FIELDS = ("name", "email", "phone", "is_billing", "is_purchasing", "is_or")


class ContactsState(FacilityState):
    dialog_open: bool = False
    editing_id: int = 0  # 0: a new contact
    draft: dict[str, str] = {}  # what the dialog opens with
    draft_roles: dict[str, bool] = {}
    contact_errors: dict[str, str] = {}
    dialog_key: int = 0

    def _open(self, contact_id: int, draft: dict[str, str], roles: dict[str, bool]) -> None:
        self.editing_id, self.draft, self.draft_roles, self.contact_errors = contact_id, draft, roles, {}
        self.dialog_key += 1
        self.dialog_open = True

    @rx.event
    def open_new(self):
        self._open(0, {"name": "", "email": "", "phone": ""}, {"is_billing": True, "is_purchasing": False, "is_or": False})

    @rx.event
    def open_edit(self, contact_id: int):
        contact = next((c for c in self.contacts if c.id == contact_id), None)
        if contact is not None:
            self._open(contact.id, {"name": contact.name, "email": contact.email, "phone": contact.phone},
                       {"is_billing": contact.is_billing, "is_purchasing": contact.is_purchasing, "is_or": contact.is_or})  # fmt: skip

    @rx.event
    def set_dialog_open(self, is_open: bool):
        self.dialog_open = bool(is_open)

    @rx.event
    def save_contact(self, form: dict):
        """Add or save; a refusal is shown beside its field and the dialog keeps what was typed."""
        form = {k: str(form.get(k, ""))[:400] for k in CONTACT_FIELDS}
        try:
            if self.editing_id:
                contacts.update_contact(self._actor(), self.editing_id, form)
            else:
                contacts.add_contact(self._actor(), self.facility_id, form)
            self._reload_lists()
        except InvalidInput as refusal:
            self.contact_errors = {refusal.field: refusal.message}
            return None
        except DomainError as refusal:
            self.contact_errors = {"form": refusal.message}
            return None
        self.dialog_open, self.contact_errors = False, {}
        self.notice = f"Contact {form['name'].strip()} saved."
        return None

    @rx.event
    def move(self, contact_id: int, step: int):
        """One place up (-1) or down (+1) in the billing order."""
        return self._act(lambda actor: contacts.move_billing_contact(actor, contact_id, step))

    @rx.event
    def set_contact_active(self, contact_id: int, active: bool):
        return self._act(lambda actor: contacts.set_contact_active(actor, contact_id, bool(active)))

    def _act(self, change):
        self.notice = ""
        try:
            change(self._actor())
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self._reload_lists()
        return None
