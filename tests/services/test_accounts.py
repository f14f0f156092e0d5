"""Accounts: argon2 passwords, sessions that expire and end on sign-out, the sign-in throttle
(same answer and cost for unknown addresses, no lockout of the owner), and the access matrix: every role × every action, on their own and on someone else's case."""

import itertools
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import argon2
import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import DomainError, NotAllowed, NotFound
from closeout.models import SignInThrottle, User, UserSession
from closeout.seed import DEMO_PASSWORDS
from closeout.services import auth, billing, cases, device_lines, reopening, replenishment, scanning, sharing, signatures
from closeout.services.auth import NotSignedIn
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, demo_rep, manager, new_case, sign_both, signature_data_url

REP_PASSWORD = DEMO_PASSWORDS["sales_rep"]


_users = itertools.count(1)


def new_user(role: str = "sales_rep", password: str = "correct horse battery") -> str:
    email = f"user-{next(_users)}-{os.getpid()}@closeout.example"
    with transaction() as session:
        session.add(User(name="Test User", email=email, role=role, password_hash=auth.hash_password(password)))
    return email


def test_passwords_are_stored_as_argon2id_hashes():
    with reading() as session:
        user = session.exec(select(User).where(User.email == "dana.reyes@closeout.example")).one()
    assert user.password_hash.startswith("$argon2id$") and REP_PASSWORD not in user.password_hash
    # Hashed by the seed's own process, at the production cost (the test processes hash the
    # passwords they set at the smallest one: tests/conftest.py).
    cost = argon2.extract_parameters(user.password_hash)
    assert (cost.time_cost, cost.memory_cost, cost.parallelism) == (3, 65536, 4)


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
        auth.sign_in(email, password, client=new_client())


_clients = itertools.count(1)


def new_client() -> str:
    """A browser address of its own, so no test's failures throttle another's."""
    return f"test-{os.getpid()}-{next(_clients)}"


@pytest.fixture
def clock_fixed():
    """The test moves the clock (clock.set_now); it goes back to the run's clock after."""
    yield
    clock.set_now(None)


def later(seconds: float) -> None:
    clock.set_now(clock.now() + timedelta(seconds=seconds))


def refusal(email: str, password: str, client: str) -> str:
    with pytest.raises(DomainError) as refused:
        auth.sign_in(email, password, client=client)
    return refused.value.message


def throttle_row(key: str) -> SignInThrottle | None:
    with reading() as session:
        return session.get(SignInThrottle, key)


def test_a_real_and_an_unknown_email_get_the_same_answers_all_the_way():
    real, unknown = new_user(password="s3cret-passw0rd"), f"nobody-{new_client()}@closeout.example"
    answers = {email: [refusal(email, "guess", client) for _ in range(7)]
               for email, client in ((real, new_client()), (unknown, new_client()))}  # fmt: skip
    assert answers[real] == answers[unknown]
    assert answers[real][:5] == ["The email or password is wrong."] * 5
    assert answers[real][5:] == ["Too many sign-in attempts. Try again in 1 s."] * 2  # no "locked" for real ones


def test_a_wrong_password_takes_as_long_for_an_unknown_email_as_for_a_real_one(monkeypatch):
    # At the production cost: the one the dummy hash of an unknown address must match.
    hasher = argon2.PasswordHasher()
    monkeypatch.setattr(auth, "_hasher", hasher)
    monkeypatch.setattr(auth, "_DUMMY_HASH", hasher.hash("a dummy password no one has"))
    real, unknown = new_user(password="s3cret-passw0rd"), f"nobody-{new_client()}@closeout.example"

    def cost(email: str) -> float:
        """The work a refusal does, in CPU time of this process (argon2's lanes included): other
        processes on a busy machine (make test runs two passes side by side) add wall time, not
        this."""
        started = time.process_time()
        refusal(email, "guess", new_client())
        return time.process_time() - started

    cost(real), cost(unknown)  # warm up
    costs = {real: [], unknown: []}
    for _ in range(7):
        for email in (real, unknown):
            costs[email].append(cost(email))
    # The least time each took is its own cost: a busy machine only ever adds time (a median
    # moved with a neighbour's build on a 2-core CI machine once; wall time, with two passes
    # side by side, twice).
    slow, fast = sorted((min(costs[real]), min(costs[unknown])), reverse=True)
    assert fast >= 0.7 * slow, costs


def test_failures_from_one_client_slow_it_down_but_never_lock_the_owner_out(caplog, clock_fixed):
    email, attacker, owner = new_user(password="s3cret-passw0rd"), new_client(), new_client()
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        assert refusal(email, "guess", attacker) == "The email or password is wrong."
    # The attacker's sixth try waits, and is refused even with the right password (not checked).
    assert refusal(email, "s3cret-passw0rd", attacker) == "Too many sign-in attempts. Try again in 1 s."
    assert auth.sign_in(email, "s3cret-passw0rd", client=owner)[1].email == email  # the owner, elsewhere
    later(1.5)
    assert refusal(email, "guess", attacker) == "The email or password is wrong."
    assert refusal(email, "guess", attacker) == "Too many sign-in attempts. Try again in 2 s."
    later(2.5)
    assert refusal(email, "guess", attacker) == "The email or password is wrong."
    assert refusal(email, "guess", attacker) == "Too many sign-in attempts. Try again in 4 s."
    assert throttle_row(f"pair:{attacker}|{email}").failures == 7
    assert "s3cret-passw0rd" not in caplog.text and "guess" not in caplog.text


def test_a_successful_sign_in_clears_its_pair_and_account_but_not_its_client():
    email, client = new_user(password="s3cret-passw0rd"), new_client()
    for _ in range(4):
        refusal(email, "guess", client)
    auth.sign_in(email, "s3cret-passw0rd", client=client)
    assert throttle_row(f"pair:{client}|{email}") is None and throttle_row(f"account:{email}") is None
    assert throttle_row(f"client:{client}").failures == 4
    for _ in range(4):  # four more free failures: the count started again
        assert refusal(email, "guess", client) == "The email or password is wrong."


def test_one_client_spraying_many_addresses_is_slowed_down():
    client = new_client()
    for n in range(20):
        assert refusal(f"spray{n}-{client}@closeout.example", "guess", client) == "The email or password is wrong."
    assert refusal(new_user(password="s3cret-passw0rd"), "s3cret-passw0rd", client).startswith("Too many sign-in attempts")


def test_an_account_tried_from_many_clients_keeps_its_owner_waiting_a_minute_at_most(clock_fixed):
    email = new_user(password="s3cret-passw0rd")
    with transaction() as session:  # a botnet has been at it for a while
        session.add(SignInThrottle(key=f"account:{email}", failures=500, last_failure_at=clock.now()))
    assert refusal(email, "guess", new_client()) == "The email or password is wrong."
    assert refusal(email, "s3cret-passw0rd", new_client()) == "Too many sign-in attempts. Try again in 1 min."
    later(61)
    assert auth.sign_in(email, "s3cret-passw0rd", client=new_client())[1].email == email


def test_failures_are_forgotten_an_hour_after_the_last_one(clock_fixed):
    email, client = new_user(password="s3cret-passw0rd"), new_client()
    for _ in range(4):
        refusal(email, "guess", client)
    later(61 * 60)
    for _ in range(4):
        assert refusal(email, "guess", client) == "The email or password is wrong."
    assert throttle_row(f"pair:{client}|{email}").failures == 4
    assert refusal(email, "guess", client) == "The email or password is wrong."  # the fifth in the hour
    assert refusal(email, "guess", client).startswith("Too many sign-in attempts")


def test_concurrent_failures_are_all_counted():
    email, workers = f"target-{new_client()}@closeout.example", 20
    start = threading.Barrier(workers)

    def fail(_):
        start.wait()
        return refusal(email, "guess", new_client())

    with ThreadPoolExecutor(workers) as pool:
        answers = list(pool.map(fail, range(workers)))
    assert answers == ["The email or password is wrong."] * workers
    assert throttle_row(f"account:{email}").failures == workers


def test_sessions_end_on_sign_out_and_when_they_expire():
    token, _ = auth.sign_in("dana.reyes@closeout.example", REP_PASSWORD)
    auth.sign_out(token)
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(token)
    token, _ = auth.sign_in("dana.reyes@closeout.example", REP_PASSWORD)
    with transaction() as session:
        session.execute(sa.update(UserSession).values(expires_at=clock.now() - timedelta(seconds=1)))
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(token)
    for junk in ("", None, "x" * 500, 42):
        with pytest.raises(NotSignedIn):
            auth.actor_for_session(junk)


def other_rep():
    return actor_for_email("sam.okafor@closeout.example")


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
        "reopen": lambda a: reopening.reopen(a, number, "because"),
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
    assert reopening.reopen(manager(), number, "Wrong PO").value == "open"


def test_the_rep_does_everything_on_their_own_case():
    number = new_case(lines=1)
    line_id = device_lines.list_lines(demo_rep(), number).lines[0].id
    device_lines.update_line(demo_rep(), number, line_id, "quantity", "2")
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    assert sharing.export(demo_rep(), number, "download")[1].startswith(b"%PDF")
