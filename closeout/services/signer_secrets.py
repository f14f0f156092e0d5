"""Every signature an account gives is confirmed with a secret only its person knows (21 CFR
Part 11 §11.200(a)): the account's password, or its signing PIN. Never the session alone.

Wrong secrets count under the sign-in throttle's keys for the account (a session left open on
a shared tablet must not become a way to guess them), and while those keys wait, signing
waits too. Wrong PINs in a row also turn the PIN off at the limit: the password still signs."""

import sqlalchemy as sa

from ..domain.errors import InvalidInput
from ..domain.signature_record import SecretMethod, parse_method
from ..domain.signing_pin import MAX_PIN_FAILURES, wrong_pin_message
from ..models import User
from . import audit
from .auth import Actor, confirm_secret
from .db import reading, transaction

NO_PIN = "You have no signing PIN. Sign with your password, or set a PIN on your Account page."
WRONG_PASSWORD = "The password is wrong."


def has_pin(session, user_id: int) -> bool:
    return bool(session.execute(sa.select(User.signing_pin_hash).where(User.id == user_id)).scalar_one_or_none())


def confirm(actor: Actor, method: object, secret: object, client: object = "") -> SecretMethod:
    """The method the signed-in user confirmed with, or InvalidInput("secret") (a DomainError
    with the wait while the throttle holds). Slow (argon2): call it outside a transaction."""
    method = parse_method(method)
    if not str(secret or ""):
        raise InvalidInput("secret", "Enter your signing PIN." if method is SecretMethod.PIN else "Enter your password.")
    if method is SecretMethod.PASSWORD:
        confirm_secret(actor, secret, client, InvalidInput("secret", WRONG_PASSWORD))
        return method
    with reading() as session:
        if not has_pin(session, actor.id):
            raise InvalidInput("secret", NO_PIN)
    try:
        confirm_secret(actor, secret, client, InvalidInput("secret", "wrong"), hash_of=lambda user: user.signing_pin_hash)
    except InvalidInput as wrong:
        if wrong.message != "wrong":
            raise
        raise InvalidInput("secret", _count_wrong_pin(actor)) from None
    _clear_wrong_pins(actor)
    return method


def _count_wrong_pin(actor: Actor) -> str:
    """One more wrong PIN in a row; at the limit the PIN is turned off (audited)."""
    with transaction() as session:
        failures = session.execute(
            sa.update(User).where(User.id == actor.id, User.signing_pin_hash != "")
            .values(signing_pin_failures=User.signing_pin_failures + 1).returning(User.signing_pin_failures)
        ).scalar_one_or_none()  # fmt: skip
        if failures is None:  # turned off meanwhile (another screen): say so as at the limit
            return wrong_pin_message(MAX_PIN_FAILURES)
        if failures >= MAX_PIN_FAILURES:
            session.execute(sa.update(User).where(User.id == actor.id).values(signing_pin_hash="", signing_pin_failures=0))
            audit.record(session, actor, case_id=None, action="signing PIN turned off", entity="user", entity_id=actor.id,
                         summary=f"The signing PIN of {actor.name} was turned off after {failures} wrong PINs in a row",
                         after={"wrong_pins": failures})  # fmt: skip
        return wrong_pin_message(failures)


def _clear_wrong_pins(actor: Actor) -> None:
    """A right PIN starts the count of wrong ones afresh (no write when there were none)."""
    with reading() as session:
        failures = session.execute(sa.select(User.signing_pin_failures).where(User.id == actor.id)).scalar_one_or_none()
    if failures:
        with transaction() as session:
            session.execute(sa.update(User).where(User.id == actor.id).values(signing_pin_failures=0))
