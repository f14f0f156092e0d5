"""One user's page state: details and covered facilities, the sign-in actions (new link,
unlock), deactivate / reactivate, and handing their unfinished cases to another rep. Every handler
finds the manager from the session and calls a service; a refusal is a toast or an inline
message, and nothing typed is lost."""

import asyncio

import reflex as rx

from ...domain.errors import DomainError
from ...services import invitations, price_permissions, reassignment, user_admin, users
from ...services.auth import NotSignedIn
from ...services.db import DatabaseUnavailable
from ..base import AuthState, origin, route_tail
from .link_card import note_for
from .user_form import Option, RoleAndCoverageMixin


class UserState(RoleAndCoverageMixin, AuthState):
    refused: str = ""  # not a manager, or no such user: this message and nothing else
    user_id: int = 0
    name: str = ""
    email: str = ""
    active: bool = True
    has_password: bool = False
    link_kind: str = ""  # a live link waits: invite | reset
    link_expires: str = ""
    held_until: str = ""  # sign-in held up by failures until then (ISO)
    open_cases: int = 0
    may_edit_prices: bool = False  # may type unit prices away from the contract price (with a reason)
    reps: list[Option] = []
    reassign_to: str = ""
    form_key: int = 0  # bumped on every load: the form's fields show what was read
    error: str = ""
    asking_deactivate: bool = False
    issued_url: str = ""
    issued_note: str = ""
    issued_emailed: bool = False
    issued_expires: str = ""

    @rx.event
    def load(self):
        self.issued_url = ""
        return self._read()

    def _read(self):
        try:
            detail = users.user_detail(self._actor(), route_tail(self))
        except NotSignedIn:
            return None  # require_login sends the browser to sign in
        except DomainError as refusal:
            self.refused = refusal.message
            return None
        self.refused, self.user_id, self.name, self.email, self.role = "", detail.id, detail.name, detail.email, detail.role
        self.active, self.has_password, self.link_kind, self.open_cases = (
            detail.active,
            detail.has_password,
            detail.link_kind,
            detail.open_cases,
        )
        self.link_expires = detail.link_expires_at.isoformat() if detail.link_expires_at else ""
        self.held_until = detail.held_until.isoformat() if detail.held_until else ""
        self.may_edit_prices = detail.may_edit_prices
        self.facilities = [Option(str(f.id), f.name) for f in detail.facilities]
        self.chosen = [str(i) for i in detail.facility_ids]  # active ones; a deactivated one stays covered unseen
        self.reps = [Option(str(r.id), r.name) for r in detail.reps]
        self.reassign_to = self.reassign_to if self.reassign_to in {r.value for r in self.reps} else ""
        self.form_key, self.error = self.form_key + 1, ""
        return None

    def _refusal(self, problem: Exception):
        if isinstance(problem, NotSignedIn):
            return AuthState.require_login
        return rx.toast.error(problem.message)

    @rx.event
    def set_reassign_to(self, user_id: str):
        self.reassign_to = str(user_id)

    @rx.event
    def save(self, form: dict):
        try:
            voided = user_admin.update_user(self._actor(), self.user_id, form.get("name", ""), form.get("email", ""),
                                            self.role, list(self.chosen))  # fmt: skip
        except NotSignedIn:
            return AuthState.require_login
        except (DomainError, DatabaseUnavailable) as refusal:
            self.error = refusal.message  # inline, beside the fields that keep what was typed
            return None
        self.error = ""
        saved = "Saved. The link sent to the old address no longer works: issue a new one." if voided else "Saved."
        return [rx.toast.success(saved), UserState.refresh]

    @rx.event
    def refresh(self):
        return self._read()

    @rx.event
    async def new_link(self):
        """Reset password (or a new invitation): SMTP may take seconds, so off the event loop."""
        try:
            issued = await asyncio.to_thread(invitations.new_link, self._actor(), self.user_id, origin(self))
        except (DomainError, DatabaseUnavailable) as problem:
            return self._refusal(problem)
        self.issued_url, self.issued_note = issued.url, note_for(issued)
        self.issued_emailed, self.issued_expires = issued.delivery == "sent", issued.expires_at.isoformat()
        return UserState.refresh

    @rx.event
    def set_price_permission(self, allowed: bool):
        """Grant or revoke price edits; the switch shows what was saved."""
        try:
            price_permissions.set_price_permission(self._actor(), self.user_id, allowed)
        except (DomainError, DatabaseUnavailable) as problem:
            return [self._refusal(problem), UserState.refresh]
        done = "{name} may now edit unit prices, giving a reason each time." if allowed else "{name} may no longer edit unit prices."
        return [rx.toast.success(done.format(name=self.name)), UserState.refresh]

    @rx.event
    def ask_deactivate(self, is_open: bool = True):
        self.asking_deactivate = bool(is_open)

    @rx.event
    def deactivate(self):
        self.asking_deactivate = False
        return self._do(user_admin.deactivate, "{name} is deactivated and signed out everywhere.")

    @rx.event
    def reactivate(self):
        return self._do(user_admin.reactivate, "{name} can sign in again.")

    @rx.event
    def unlock(self):
        return self._do(user_admin.unlock, "Sign-in failures of {name} cleared: they can sign in at once.")

    @rx.event
    def reassign(self):
        try:
            moved = reassignment.reassign_cases(self._actor(), self.user_id, self.reassign_to or None)
        except (DomainError, DatabaseUnavailable) as problem:
            return self._refusal(problem)
        taker = next((r.label for r in self.reps if r.value == self.reassign_to), "")
        return [rx.toast.success(f"{len(moved)} case(s) reassigned to {taker}."), UserState.refresh]

    def _do(self, action, done: str):
        try:
            action(self._actor(), self.user_id)
        except (DomainError, DatabaseUnavailable) as problem:
            return self._refusal(problem)
        return [rx.toast.success(done.format(name=self.name)), UserState.refresh, AuthState.require_login]
