"""The facility page's state (a new facility's too): the details form, and the contacts and
surgeons from the same read. Contacts and surgeons change through their own substates
(contacts_state.py, surgeons_state.py), which show the page's read again afterwards."""

from dataclasses import dataclass

import reflex as rx

from ... import routes
from ...domain.directory import DEFAULT_TIME_ZONE, FacilityFields
from ...domain.errors import DomainError, InvalidInput
from ...domain.readiness import REQUIREMENT_FIELDS
from ...services import directory
from ..base import AuthState, route_tail

FIELDS = ("name", "address", "account_number", "time_zone", "patient_ref_pattern", "price_list_id", *REQUIREMENT_FIELDS)


@dataclass
class Option:
    value: str
    label: str


@dataclass
class ContactItem:
    id: int
    name: str
    email: str
    phone: str
    roles: str
    is_billing: bool
    is_purchasing: bool
    is_or: bool
    active: bool
    billing_rank: int  # 1 = first; 0: not an active billing contact
    last_billing: bool


@dataclass
class SurgeonItem:
    id: int
    name: str
    specialty: str
    active: bool


def _values(fields: FacilityFields) -> dict[str, str]:
    raw = {k: getattr(fields, k) for k in FIELDS}
    shown = {k: "none" if v is None and k == "price_list_id" else str(v) for k, v in raw.items()}
    return {**shown, **{k: "on" if raw[k] else "" for k in REQUIREMENT_FIELDS}}  # as a ticked box sends it


class FacilityState(AuthState):
    facility_id: int = 0  # 0: a new facility
    values: dict[str, str] = {}
    form_key: int = 0  # bumped to show saved values in the (uncontrolled) inputs
    active: bool = True
    price_lists: list[Option] = []
    contacts: list[ContactItem] = []
    surgeons: list[SurgeonItem] = []
    errors: dict[str, str] = {}
    refusal: str = ""  # the whole page refused (a rep, a facility not found)
    notice: str = ""
    ready: bool = False  # loaded for the page shown: nothing typed before the load is wiped by it

    def _show_lists(self, view: directory.FacilityView) -> None:
        billing = max((c.billing_rank for c in view.contacts), default=0)
        self.contacts = [ContactItem(c.id, c.name, c.email, c.phone, c.roles, c.is_billing, c.is_purchasing, c.is_or, c.active,
                                     c.billing_rank, c.billing_rank == billing) for c in view.contacts]  # fmt: skip
        self.surgeons = [SurgeonItem(s.id, s.name, s.specialty, s.active) for s in view.surgeons]
        self.active = view.active

    def _reload_lists(self) -> None:
        """After a contact or surgeon change: the lists again, the details form as typed."""
        self._show_lists(directory.facility_view(self._actor(), self.facility_id))

    def _start(self, facility_id: int) -> None:
        self.facility_id, self.errors, self.refusal, self.notice = facility_id, {}, "", ""
        self.form_key += 1
        self.ready = True

    @rx.event
    def leave(self):
        """The page is left: the next one shows nothing of this facility until it has loaded."""
        self.ready = False

    @rx.event
    def load(self):
        try:
            actor = self._actor()
        except DomainError:
            return  # require_login sends the browser to sign in
        self._start(0)
        try:
            view = directory.facility_view(actor, route_tail(self))
        except DomainError as refusal:
            self.refusal, self.contacts, self.surgeons = refusal.message, [], []
            return
        self.facility_id, self.values = view.id, _values(view.fields)
        self.price_lists = [Option(str(i), n) for i, n in view.price_lists]
        self._show_lists(view)

    @rx.event
    def load_new(self):
        try:
            actor = self._actor()
        except DomainError:
            return
        self._start(0)
        self.values = {**dict.fromkeys(FIELDS, ""), "time_zone": DEFAULT_TIME_ZONE, "price_list_id": "none"}
        self.contacts, self.surgeons, self.active = [], [], True
        try:
            self.price_lists = [Option(str(i), n) for i, n in directory.price_lists(actor)]
        except DomainError as refusal:
            self.refusal = refusal.message

    @rx.event
    def save(self, form: dict):
        """Add the facility (then open its page for contacts and surgeons) or save its details.
        A refusal is shown beside its field; what was typed stays in the form."""
        form = {k: str(form.get(k, ""))[:1000] for k in FIELDS}
        self.errors, self.notice = {}, ""
        try:
            if not self.facility_id:
                return rx.redirect(routes.facility_url(directory.create_facility(self._actor(), form)))
            self.values = _values(directory.update_facility(self._actor(), self.facility_id, form))
        except InvalidInput as refusal:
            self.errors = {refusal.field: refusal.message}
            return None
        except DomainError as refusal:
            self.errors = {"form": refusal.message}
            return None
        self.form_key += 1
        self.notice = "Saved."
        return None

    @rx.event
    def set_active(self, active: bool):
        """Deactivate (hidden from new cases; its cases stay) or reactivate."""
        self.notice = ""
        try:
            directory.set_active(self._actor(), self.facility_id, bool(active))
            self._reload_lists()
        except DomainError as refusal:
            self.errors = {"form": refusal.message}
            return None
        self.notice = "Reactivated." if active else "Deactivated: no longer offered for new cases; its cases stay."
        return None
