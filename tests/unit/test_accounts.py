"""Accounts: argon2 passwords, sessions that expire and end on sign-out, lockout, and the
access matrix: every role × every action, on their own and on someone else's case."""

import logging
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.db_types import utcnow
from closeout.domain.errors import DomainError, NotAllowed, NotFound
from closeout.models import User, UserSession
from closeout.seed import DEMO_PASSWORDS
from closeout.services import auth, billing, cases, device_lines, replenishment, scanning, sharing, signatures
from closeout.services.auth import NotSignedIn
from closeout.services.db import reading, transaction
from tests.factories import demo_rep, manager, new_case, sign_both, signature_data_url

REP_PASSWORD = DEMO_PASSWORDS["sales_rep"]


def new_user(role: str = "sales_rep", password: str = "correct horse battery") -> str:
    email = f"user{len(password)}-{id(object())}@closeout.example"
    with transaction() as session:
        session.add(User(name="Test User", email=email, role=role, password_hash=auth.hash_password(password)))
    return email


def test_passwords_are_stored_as_argon2id_hashes():
    with reading() as session:
        user = session.exec(select(User).where(User.email == "dana.reyes@closeout.example")).one()
    assert user.password_hash.startswith("$argon2id$") and REP_PASSWORD not in user.password_hash


def test_sign_in_gives_a_session_that_names_the_user():
    token, actor = auth.sign_in(" Dana.Reyes@closeout.example ", REP_PASSWORD)
    assert actor.email == "dana.reyes@closeout.example"
    assert auth.actor_for_session(token) == actor
    with reading() as session:
        assert token not in {s.token_hash for s in session.exec(select(UserSession)).all()}  # only the hash


@pytest.mark.parametrize(("email", "password"), [("dana.reyes@closeout.example", "wrong"), ("nobody@x.example", "x"),
                                                 ("", ""), ("dana.reyes@closeout.example", "")])  # fmt: skip
def test_a_wrong_email_or_password_says_the_same_thing(email, password):
    with pytest.raises(DomainError, match="The email or password is wrong."):
        auth.sign_in(email, password)


def test_five_failures_lock_the_account_even_for_the_right_password(caplog):
    email = new_user(password="s3cret-passw0rd")
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        with pytest.raises(DomainError, match="wrong"):
            auth.sign_in(email, "guess")
    with pytest.raises(DomainError, match="locked after 5 failed sign-ins"):
        auth.sign_in(email, "s3cret-passw0rd")
    with transaction() as session:
        session.execute(sa.update(User).where(User.email == email).values(locked_until=sa.func.current_timestamp()))
    assert auth.sign_in(email, "s3cret-passw0rd")[1].email == email
    assert "s3cret-passw0rd" not in caplog.text and "guess" not in caplog.text


def test_sessions_end_on_sign_out_and_when_they_expire():
    token, _ = auth.sign_in("dana.reyes@closeout.example", REP_PASSWORD)
    auth.sign_out(token)
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(token)
    token, _ = auth.sign_in("dana.reyes@closeout.example", REP_PASSWORD)
    with transaction() as session:
        session.execute(sa.update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(token)
    for junk in ("", None, "x" * 500, 42):
        with pytest.raises(NotSignedIn):
            auth.actor_for_session(junk)


def other_rep():
    return auth.actor_for_email("sam.okafor@closeout.example")


def attempts(number: str, line_id: int):
    """Every service action on a case, by name."""
    return {
        "header": lambda a: cases.case_header(a, number),
        "lines": lambda a: device_lines.list_lines(a, number),
        "edit line": lambda a: device_lines.update_line(a, number, line_id, "quantity", "2"),
        "add line": lambda a: device_lines.add_line(a, number, 1),
        "remove line": lambda a: device_lines.remove_line(a, number, line_id),
        "scan": lambda a: scanning.scan(a, number, "+A123BJC5D6E71G"),
        "sign": lambda a: signatures.sign(a, number, "sales_rep", "Some One", signature_data_url()),
        "submit": lambda a: billing.submit_for_billing(a, number),
        "enter PO": lambda a: billing.enter_purchase_orders(a, number, {None: "PO-1"}),
        "reopen": lambda a: billing.reopen(a, number, "because"),
        "replenish": lambda a: replenishment.draft(a, number),
        "share context": lambda a: sharing.share_context(a, number),
        "download": lambda a: sharing.export(a, number, "download"),
    }


OPEN_ACTIONS = ["header", "lines", "edit line", "add line", "remove line", "scan", "sign", "submit"]
CLOSED_ACTIONS = ["header", "lines", "enter PO", "reopen", "replenish", "share context", "download"]


@pytest.mark.parametrize("action", OPEN_ACTIONS + CLOSED_ACTIONS)
def test_another_reps_case_is_not_found_for_every_action(action):
    number = new_case(lines=1, status="closed" if action in CLOSED_ACTIONS else "open")
    line_id = device_lines.list_lines(demo_rep(), number).lines[0].id
    with pytest.raises(NotFound):
        attempts(number, line_id)[action](other_rep())


@pytest.mark.parametrize("action", ["edit line", "add line", "remove line", "scan", "sign", "submit"])
def test_a_manager_sees_an_open_case_read_only(action):
    number = new_case(lines=1)
    line_id = device_lines.list_lines(demo_rep(), number).lines[0].id
    with pytest.raises(NotAllowed, match="read-only"):
        attempts(number, line_id)[action](manager())
    assert cases.case_header(manager(), number).number == number


def test_a_manager_enters_the_po_and_reopens_on_a_reps_behalf():
    number = new_case(lines=1)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    assert billing.enter_purchase_orders(manager(), number, {None: "PO-M1"}).value == "completed"
    assert billing.reopen(manager(), number, "Wrong PO").value == "open"


def test_the_rep_does_everything_on_their_own_case():
    number = new_case(lines=1)
    line_id = device_lines.list_lines(demo_rep(), number).lines[0].id
    device_lines.update_line(demo_rep(), number, line_id, "quantity", "2")
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    assert sharing.export(demo_rep(), number, "download")[1].startswith(b"%PDF")
