"""The rules of user management: roles, who may act on whom, the last active manager, and the
one-time invitation links (a new account, or a password reset) that let a person set their
own password. Pure: no database, no Reflex."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from enum import StrEnum

from .errors import InvalidInput, NotAllowed
from .signing_link import matches, new_token, token_hash, usable  # the same one-time token scheme

__all__ = ["matches", "new_token", "token_hash", "usable"]

REP, MANAGER = "sales_rep", "manager"
ROLE_LABELS = {REP: "Sales Rep", MANAGER: "Manager"}
MANAGERS_ONLY = "User management is for managers."
GONE = "This link has expired, was already used, or was replaced by a newer one. Ask a manager for a new one."
DEACTIVATED = "This account is deactivated. Ask a manager to reactivate it."
MAX_FACILITIES = 500  # covered facilities sent with one form


class InvitationKind(StrEnum):
    INVITE = "invite"  # a new account: set a first password
    RESET = "reset"  # a password reset: set a new one


def parse_role(raw: object) -> str:
    role = str(raw or "").strip()
    if role not in ROLE_LABELS:
        raise InvalidInput("role", "Choose Sales Rep or Manager.")
    return role


def parse_facility_ids(raw: object) -> list[int]:
    """Facility ids as a form sends them (a list of numbers or numeric strings), de-duplicated."""
    if raw is None or raw == "":
        return []
    items = raw if isinstance(raw, (list, tuple, set)) else [raw]
    if len(items) > MAX_FACILITIES:
        raise InvalidInput("facilities", f"At most {MAX_FACILITIES} facilities can be chosen at once.")
    try:
        ids = [int(str(item).strip()) for item in items]
    except ValueError:
        raise InvalidInput("facilities", "Choose facilities from the list.") from None
    return sorted(set(ids))


def coverage_applies(role: str) -> bool:
    """Reps create cases only at the facilities they cover; managers for every facility."""
    return role == REP


def can_manage(role: str, active: bool, has_password: bool) -> bool:
    """Counts towards the last-manager rule: an active manager who has set a password (an
    invited manager who never did cannot sign in to manage anyone)."""
    return role == MANAGER and active and has_password


def check_keeps_a_manager(name: str, was_active_manager: bool, stays_active_manager: bool, active_managers: int) -> None:
    """Refuse a change that would leave nobody able to manage users: deactivating or demoting
    the last active manager with a password (oneself included). `was_active_manager` and
    `active_managers` count only the managers `can_manage` accepts."""
    if was_active_manager and not stays_active_manager and active_managers <= 1:
        raise NotAllowed(
            f"{name} is the last active manager who has set a password. Make someone else a manager first (and let "
            "them set their password), so someone can still manage users."
        )


def check_reassign(from_id: int, to_id: int | None, to_role: str | None, to_active: bool) -> None:
    """Open and Closed (pending PO) cases go to another active sales rep."""
    if to_id is None or to_role is None:
        raise InvalidInput("reassign_to", "Choose the sales rep who takes over the cases.")
    if to_id == from_id:
        raise InvalidInput("reassign_to", "Choose a different sales rep.")
    if to_role != REP or not to_active:
        raise InvalidInput("reassign_to", "Cases can only go to an active sales rep.")


def invitation_expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)


def invitation_usable(expires_at: datetime, used_at: datetime | None, revoked_at: datetime | None, now: datetime) -> bool:
    return usable(expires_at, used_at, now, revoked_at)


def facility_names(names: Iterable[str]) -> str:
    """Covered facilities as one line for a list."""
    names = sorted(names)
    return ", ".join(names) if names else "—"
