"""User management through the services: invitation links (once, until they expire, a newer
one replaces the older), deactivation (signed out everywhere), the last active manager,
password reset, unlock, one's own password, reassigning open cases, the audit trail, and a
rep refused every manager action."""

import itertools
import json
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout.domain import clock
from closeout.domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from closeout.domain.users import DEACTIVATED, GONE, MANAGERS_ONLY
from closeout.models import AuditEvent, Case, Facility, Invitation, SignInThrottle, User, UserFacility, UserSession
from closeout.services import accounts, audit, auth, invitations, own_account, reassignment, user_admin, users
from closeout.services.auth import NotSignedIn
from closeout.services.db import reading, transaction
from tests.factories import actor_for_email, demo_rep, manager, new_case
from tests.smtp import smtp_server

ORIGIN = "http://closeout.test"
PASSWORD, OTHER_PASSWORD = "first long passphrase", "second long passphrase"
_numbers = itertools.count(1)


def new_email() -> str:
    return f"person-{next(_numbers)}-{os.getpid()}@closeout.example"


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1]


def invited(role: str = "sales_rep", facility_ids: list[int] | None = None, name: str = "Pat Rivera") -> tuple[str, str]:
    """(email, invitation token) of a user a manager just added."""
    email = new_email()
    issued = user_admin.add_user(manager(), name, email, role, facility_ids or [], ORIGIN)
    return email, token_of(issued.url)


def active_user(role: str = "sales_rep") -> tuple[str, str]:
    """(email, session token) of a user who has set their password through their invitation."""
    email, link = invited(role)
    token, _ = invitations.set_password(link, PASSWORD)
    return email, token


def facility_id(name: str = "St. Brigid Medical Center") -> int:
    with reading() as session:
        return session.exec(select(Facility.id).where(Facility.name == name)).one()


def test_an_invited_user_sets_their_password_through_the_link_and_is_signed_in():
    email, link = invited(facility_ids=[facility_id()])
    with reading() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        stored = session.exec(select(Invitation).where(Invitation.user_id == user.id)).one()
    assert user.password_hash == "" and user.active and stored.kind == "invite" and link not in stored.token_hash
    assert stored.expires_at == stored.created_at + timedelta(days=7)  # CLOSEOUT_INVITATION_DAYS
    with pytest.raises(DomainError, match="email or password is wrong"):
        auth.sign_in(email, PASSWORD)  # no password yet
    shown = invitations.open_link(link)
    assert (shown.name, shown.email, shown.kind) == ("Pat Rivera", email, "invite")
    token, actor = invitations.set_password(link, PASSWORD)
    assert auth.actor_for_session(token) == actor and actor.email == email and actor.role == "sales_rep"
    assert auth.sign_in(email, PASSWORD)[1] == actor
    assert [f.name for f in users.facilities_for(actor)] == ["St. Brigid Medical Center"]


def test_the_add_form_without_mail_only_shows_the_link():
    issued = user_admin.add_user(manager(), "Lee Park", new_email(), "sales_rep", [], ORIGIN)
    assert issued.delivery == "not configured" and issued.url.startswith(f"{ORIGIN}/invitation/")


def test_the_invitation_is_emailed_when_mail_is_configured(monkeypatch):
    with smtp_server() as (inbox, port):
        for name, value in {
            "CLOSEOUT_SMTP_HOST": "127.0.0.1",
            "CLOSEOUT_SMTP_PORT": str(port),
            "CLOSEOUT_SMTP_SECURITY": "none",
        }.items():
            monkeypatch.setenv(name, value)
        email = new_email()
        issued = user_admin.add_user(manager(), "Ana Silva", email, "manager", [], ORIGIN)
    assert issued.delivery == "sent"
    ((rcpts, message),) = inbox.messages
    assert rcpts == [email] and message["Subject"] == "Your Closeout account"
    assert issued.url in message.get_content() and "Ana Silva" in message.get_content()


def test_a_link_works_once_and_not_after_it_expires():
    _, link = invited()
    invitations.set_password(link, PASSWORD)
    for attempt in (lambda: invitations.open_link(link), lambda: invitations.set_password(link, OTHER_PASSWORD)):
        with pytest.raises(NotFound, match="expired, was already used"):
            attempt()
    _, late = invited()
    with transaction() as session:
        session.execute(sa.update(Invitation).where(Invitation.token_hash == auth.token_hash(late))
                        .values(expires_at=clock.now() - timedelta(seconds=1)))  # fmt: skip
    with pytest.raises(NotFound, match=GONE):
        invitations.set_password(late, PASSWORD)
    for junk in ("", None, "x" * 500, "not-a-token"):
        with pytest.raises(NotFound):
            invitations.open_link(junk)


def test_a_weak_password_is_refused_and_the_link_still_works():
    email, link = invited()
    for weak in ("short", email, "a" * 20):
        with pytest.raises(InvalidInput):
            invitations.set_password(link, weak)
    invitations.set_password(link, PASSWORD)


GUESSABLE = ("password1234", "123456789012", "qwertyuiop12")


def test_common_and_guessable_passwords_are_refused_wherever_a_password_is_set(monkeypatch):
    """Issue 23: invitation, reset, own account and the create-manager tool share one rule,
    with the user's name and the company's (CLOSEOUT_SELLER_NAME) as words tried first."""
    monkeypatch.setenv("CLOSEOUT_SELLER_NAME", "Northwind Orthopedics")
    email, link = invited(name="Quinn Halvorsen")
    for weak in (*GUESSABLE, "QuinnHalvorsen1", "Northwind Orthopedics 1"):
        with pytest.raises(InvalidInput, match="too easy to guess"):
            invitations.set_password(link, weak)
    here, me = invitations.set_password(link, PASSWORD)
    reset = token_of(invitations.new_link(manager(), me.id, ORIGIN).url)
    for weak in GUESSABLE:
        with pytest.raises(InvalidInput, match="too easy to guess"):
            invitations.set_password(reset, weak)
        with pytest.raises(InvalidInput, match="too easy to guess"):
            own_account.change_password(me, here, PASSWORD, weak)
        with pytest.raises(InvalidInput, match="too easy to guess"):
            accounts.create_manager(new_email(), "Riley Chen", weak)
    assert auth.sign_in(email, PASSWORD)[1] == me  # nothing was changed


def test_a_new_link_replaces_the_older_one():
    email, first = invited()
    second = token_of(invitations.new_link(manager(), actor_id(email), ORIGIN).url)
    with pytest.raises(NotFound):
        invitations.open_link(first)
    assert invitations.open_link(second).kind == "invite"  # still no password: an invitation again


def actor_id(email: str) -> int:
    with reading() as session:
        return session.exec(select(User.id).where(User.email == email)).one()


def test_deactivating_signs_out_everywhere_refuses_sign_in_and_keeps_their_cases():
    email, first = active_user()
    second, _ = auth.sign_in(email, PASSWORD)
    number = new_case(lines=1, rep_email=email)
    assert user_admin.deactivate(manager(), actor_id(email)) == 2
    for token in (first, second):
        with pytest.raises(NotSignedIn):
            auth.actor_for_session(token)
    with pytest.raises(DomainError, match=DEACTIVATED):
        auth.sign_in(email, PASSWORD)
    with pytest.raises(DomainError, match="email or password is wrong"):
        auth.sign_in(email, "a wrong password here")  # nothing told without the password
    with pytest.raises(NotAllowed, match="Reactivate"):
        invitations.new_link(manager(), actor_id(email), ORIGIN)
    with reading() as session:  # the case stays theirs
        assert session.exec(select(Case.rep_id).where(Case.number == number)).one() == actor_id(email)
    user_admin.reactivate(manager(), actor_id(email))
    assert auth.sign_in(email, PASSWORD)[1].email == email


def test_deactivating_voids_a_waiting_invitation():
    email, link = invited()
    user_admin.deactivate(manager(), actor_id(email))
    with pytest.raises(NotFound):
        invitations.open_link(link)


def test_the_last_active_manager_cannot_be_deactivated_or_demoted():
    with reading() as session:
        others = session.exec(select(User.id).where(User.role == "manager", User.active.is_(True),
                                                    User.email != manager().email)).all()  # fmt: skip
    with transaction() as session:  # for this test, Morgan is the only active manager
        session.execute(sa.update(User).where(User.id.in_(others)).values(active=False))
    try:
        morgan = manager()
        with pytest.raises(NotAllowed, match="Morgan Lee is the last active manager"):
            user_admin.deactivate(morgan, morgan.id)
        with pytest.raises(NotAllowed, match="last active manager"):
            user_admin.update_user(morgan, morgan.id, morgan.name, morgan.email, "sales_rep", [])
        email, _ = active_user(role="manager")
        second = actor_for_email(email)
        user_admin.update_user(morgan, second.id, second.name, email, "sales_rep", [])  # two managers: allowed
        with pytest.raises(NotAllowed):
            user_admin.deactivate(morgan, morgan.id)  # the last one again, themself
        user_admin.update_user(morgan, second.id, second.name, email, "manager", [])
        assert user_admin.deactivate(actor_for_email(email), second.id) >= 1  # not the last: may leave
        assert manager().is_manager
    finally:
        with transaction() as session:
            session.execute(sa.update(User).where(User.id.in_(others)).values(active=True))


def test_a_reset_keeps_the_old_password_until_the_new_one_is_set():
    email, session_token = active_user()
    issued = invitations.new_link(manager(), actor_id(email), ORIGIN)
    assert invitations.open_link(token_of(issued.url)).kind == "reset"
    assert auth.sign_in(email, PASSWORD)[1].email == email  # still works
    invitations.set_password(token_of(issued.url), OTHER_PASSWORD)
    with pytest.raises(DomainError, match="email or password is wrong"):
        auth.sign_in(email, PASSWORD, client="198.51.100.7")
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(session_token)  # setting it ended every earlier session
    assert auth.sign_in(email, OTHER_PASSWORD)[1].email == email


def test_unlock_clears_only_that_accounts_throttle_rows():
    email, _ = active_user()
    later = clock.now() + timedelta(minutes=10)
    rows = {f"account:{email}": later, f"pair:203.0.113.9|{email}": later, "pair:203.0.113.9|someone@else.example": later,
            "client:203.0.113.9": None}  # fmt: skip
    with transaction() as session:
        session.add_all([SignInThrottle(key=k, failures=60, blocked_until=v) for k, v in rows.items()])
    with pytest.raises(DomainError, match="Too many sign-in attempts"):
        auth.sign_in(email, PASSWORD, client="203.0.113.9")
    assert users.user_detail(manager(), actor_id(email)).held_until is not None
    assert user_admin.unlock(manager(), actor_id(email)) == 2
    assert users.user_detail(manager(), actor_id(email)).held_until is None
    with reading() as session:
        left = set(session.exec(select(SignInThrottle.key).where(SignInThrottle.key.in_(list(rows)))).all())
    assert left == {"pair:203.0.113.9|someone@else.example", "client:203.0.113.9"}
    assert auth.sign_in(email, PASSWORD, client="203.0.113.9")[1].email == email


def test_changing_ones_own_password_needs_the_current_one_and_signs_out_the_others():
    email, here = active_user()
    elsewhere, _ = auth.sign_in(email, PASSWORD)
    me = auth.actor_for_session(here)
    with pytest.raises(InvalidInput, match="current password is wrong"):
        own_account.change_password(me, here, "not my password at all", OTHER_PASSWORD)
    with pytest.raises(InvalidInput, match="at least"):
        own_account.change_password(me, here, PASSWORD, "short")
    with pytest.raises(InvalidInput, match="differ"):
        own_account.change_password(me, here, PASSWORD, PASSWORD)
    assert own_account.change_password(me, here, PASSWORD, OTHER_PASSWORD) == 1
    assert auth.actor_for_session(here) == me
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(elsewhere)
    assert auth.sign_in(email, OTHER_PASSWORD)[1] == me


def test_a_reps_open_and_closed_cases_are_reassigned_each_with_an_audit_row_in_its_activity():
    email, _ = active_user()
    moving = sorted([new_case(lines=1, rep_email=email), new_case(lines=1, rep_email=email),
                     new_case(lines=1, rep_email=email, status="closed")])  # fmt: skip
    staying = [new_case(lines=1, rep_email=email, status=s) for s in ("completed", "cancelled")]
    assert users.user_detail(manager(), actor_id(email)).open_cases == 3
    user_admin.deactivate(manager(), actor_id(email))
    sam = actor_for_email("sam.okafor@closeout.example")
    for target in (manager().id, actor_id(email), None):  # a manager, themself, nobody
        with pytest.raises(InvalidInput):
            reassignment.reassign_cases(manager(), actor_id(email), target)
    assert reassignment.reassign_cases(manager(), actor_id(email), sam.id) == moving
    for number in moving:
        latest = audit.activity(sam, number)[0]  # Sam sees the case now
        assert latest.action == "case reassigned" and "to Sam Okafor" in latest.summary and latest.who == "Morgan Lee"
    for number in staying:
        with pytest.raises(NotFound):
            audit.activity(sam, number)  # completed and cancelled cases stay with who did them
    assert users.user_detail(manager(), actor_id(email)).open_cases == 0


def test_editing_a_user_changes_coverage_and_refuses_a_taken_email():
    email, _ = active_user()
    uid = actor_id(email)
    user_admin.update_user(manager(), uid, "Pat  Rivera-Lee", email, "sales_rep", [facility_id("Cascade Surgery Center")])
    detail = users.user_detail(manager(), uid)
    assert detail.name == "Pat Rivera-Lee" and detail.facility_ids == [facility_id("Cascade Surgery Center")]
    with pytest.raises(InvalidInput, match="already has an account"):
        user_admin.update_user(manager(), uid, "Pat", "DANA.REYES@closeout.example", "sales_rep", [])
    user_admin.update_user(manager(), uid, "Pat", email, "manager", [facility_id()])  # a manager covers none
    with reading() as session:
        assert not session.exec(select(UserFacility).where(UserFacility.user_id == uid)).all()


def test_a_rep_covers_only_active_facilities_and_a_manager_sees_every_active_one():
    with transaction() as session:
        closed = Facility(name="Closed Clinic", address="1 Gone St", account_number=f"GONE-{os.getpid()}", active=False)
        session.add(closed)
        session.flush()
        session.add(UserFacility(user_id=demo_rep().id, facility_id=closed.id))
    assert "Closed Clinic" not in {f.name for f in users.facilities_for(demo_rep())}
    assert {"St. Brigid Medical Center", "Cascade Surgery Center"} <= {f.name for f in users.facilities_for(demo_rep())}
    every = {f.name for f in users.facilities_for(manager())}
    assert "Closed Clinic" not in every and "Lakeside Regional Hospital" in every


def test_every_change_is_audited_without_secrets():
    email, here = active_user()
    uid = actor_id(email)
    own_account.change_password(auth.actor_for_session(here), here, PASSWORD, OTHER_PASSWORD)
    issued = invitations.new_link(manager(), uid, ORIGIN)
    user_admin.unlock(manager(), uid)
    user_admin.deactivate(manager(), uid)
    user_admin.reactivate(manager(), uid)
    with reading() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == uid)
                            .order_by(AuditEvent.id)).all()
        hashes = [h for (h,) in session.execute(sa.select(User.password_hash).where(User.id == uid))]
    assert [r.action for r in rows] == ["user added", "invitation issued", "password set", "password changed",
                                        "password reset link issued", "sign-in unlocked", "user deactivated", "user reactivated"]  # fmt: skip
    assert all(r.case_id is None for r in rows)
    text = json.dumps([[r.summary, r.before, r.after] for r in rows])
    for secret in (PASSWORD, OTHER_PASSWORD, token_of(issued.url), auth.token_hash(token_of(issued.url)), hashes[0], "$argon2"):
        assert secret not in text


def test_a_rep_is_refused_every_manager_action():
    rep, target = demo_rep(), manager().id
    calls = [lambda: users.list_users(rep), lambda: users.user_detail(rep, target),
             lambda: user_admin.add_user(rep, "X Y", new_email(), "manager", [], ORIGIN),
             lambda: user_admin.update_user(rep, rep.id, "Dana", rep.email, "manager", []),
             lambda: user_admin.deactivate(rep, target), lambda: user_admin.reactivate(rep, target),
             lambda: user_admin.unlock(rep, target), lambda: invitations.new_link(rep, target, ORIGIN),
             lambda: reassignment.reassign_cases(rep, rep.id, target)]  # fmt: skip
    for call in calls:
        with pytest.raises(NotAllowed, match=MANAGERS_ONLY):
            call()
    assert demo_rep().role == "sales_rep"


def test_sessions_of_a_deactivated_user_are_refused_even_if_a_row_was_left():
    email, token = active_user()
    with transaction() as session:  # as if deactivated by hand, sessions left alive
        session.execute(sa.update(User).where(User.email == email).values(active=False))
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(token)
    with reading() as session:
        assert session.exec(select(UserSession).where(UserSession.token_hash == auth.token_hash(token))).one().revoked_at is None


def test_a_new_email_revokes_the_unused_links_with_an_audit_row():
    email, link = invited()
    uid = actor_id(email)
    assert user_admin.update_user(manager(), uid, "Pat Rivera", email, "sales_rep", []) == 0  # same address: kept
    assert invitations.open_link(link).email == email
    assert user_admin.update_user(manager(), uid, "Pat Rivera", new_email(), "sales_rep", []) == 1
    with pytest.raises(NotFound, match="Ask a manager for a new one"):
        invitations.open_link(link)  # it went to the old address
    with reading() as session:
        [row] = session.exec(select(AuditEvent).where(AuditEvent.entity_id == uid, AuditEvent.action == "links revoked")).all()
    assert "the email address changed" in row.summary and row.after == {"unused_links": 0}
    issued = invitations.new_link(manager(), uid, ORIGIN)  # the manager issues a new one
    assert invitations.open_link(token_of(issued.url)).kind == "invite"


def only_morgan_manages():
    """For one test, Morgan is the only active manager with a password: (the others' ids)."""
    with reading() as session:
        others = session.exec(select(User.id).where(User.role == "manager", User.active.is_(True),
                                                    User.email != manager().email)).all()  # fmt: skip
    with transaction() as session:
        session.execute(sa.update(User).where(User.id.in_(others)).values(active=False))
    return others


def give_back(others) -> None:
    with transaction() as session:
        session.execute(sa.update(User).where(User.id.in_(others)).values(active=True))


def test_an_invited_manager_who_never_set_a_password_does_not_count_as_a_manager():
    others = only_morgan_manages()
    try:
        morgan = manager()
        email, _ = invited(role="manager", name="Ines Waiting")
        with pytest.raises(NotAllowed, match="last active manager who has set a password"):
            user_admin.deactivate(morgan, morgan.id)  # Ines cannot sign in yet
        with pytest.raises(NotAllowed, match="last active manager who has set a password"):
            user_admin.update_user(morgan, morgan.id, morgan.name, morgan.email, "sales_rep", [])
        user_admin.update_user(morgan, actor_id(email), "Ines Waiting", email, "sales_rep", [])  # not counted: allowed
        user_admin.update_user(morgan, actor_id(email), "Ines Waiting", email, "manager", [])
        assert user_admin.deactivate(morgan, actor_id(email)) == 0
    finally:
        give_back(others)


def test_two_managers_deactivating_each_other_at_once_leave_one_and_never_deadlock():
    """The active managers are locked first, in id order, then the target (PostgreSQL): one
    deactivation waits for the other, then finds the last manager and is refused."""
    others = only_morgan_manages()
    try:
        email, _ = active_user(role="manager")
        morgan, second = manager(), actor_for_email(email)
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(user_admin.deactivate, second, morgan.id),
                       pool.submit(user_admin.deactivate, morgan, second.id)]  # fmt: skip
        outcomes = []
        for future in futures:
            try:
                outcomes.append(future.result())
            except NotAllowed as refusal:
                outcomes.append(refusal.message)
        assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes  # never a deadlock (DatabaseUnavailable)
        assert any("last active manager" in str(o) for o in outcomes)
    finally:
        with transaction() as session:
            session.execute(sa.update(User).where(User.email.in_([manager().email])).values(active=True))
        give_back(others)


def test_a_deactivated_facility_a_rep_still_covers_does_not_block_saving_them():
    email, _ = active_user()
    uid = actor_id(email)
    kept, other = facility_id("Cascade Surgery Center"), facility_id()
    gone, shut = (closed_facility(f"{tag} {uid}-{os.getpid()}") for tag in ("Gone Clinic", "Shut Clinic"))
    with transaction() as session:
        session.execute(sa.update(Facility).where(Facility.id == gone).values(active=True))
    user_admin.update_user(manager(), uid, "Pat Rivera", email, "sales_rep", [kept, gone])
    with transaction() as session:
        session.execute(sa.update(Facility).where(Facility.id == gone).values(active=False))
    detail = users.user_detail(manager(), uid)
    assert detail.facility_ids == [kept]  # the form shows the active ones
    user_admin.update_user(manager(), uid, "Pat Rivera-Lee", email, "sales_rep", detail.facility_ids)  # saved
    user_admin.update_user(manager(), uid, "Pat Rivera-Lee", email, "sales_rep", [kept, gone])  # an older form: saved
    assert covered_by(uid) == {kept, gone}  # kept quietly
    user_admin.update_user(manager(), uid, "Pat Rivera-Lee", email, "sales_rep", [other])  # the active one replaced
    assert covered_by(uid) == {other, gone}
    with pytest.raises(InvalidInput, match="deactivated"):  # newly added: must be active
        user_admin.update_user(manager(), uid, "Pat Rivera-Lee", email, "sales_rep", [other, shut])
    assert covered_by(uid) == {other, gone}


def closed_facility(name: str) -> int:
    with transaction() as session:
        facility = Facility(name=name, address="1 Gone St", account_number=name[-40:], active=False)
        session.add(facility)
        session.flush()
        return facility.id


def covered_by(user_id: int) -> set[int]:
    with reading() as session:
        return set(session.exec(select(UserFacility.facility_id).where(UserFacility.user_id == user_id)).all())


def test_lists_of_people_and_facilities_go_by_name_then_id():
    twins = [actor_id(active_user()[0]) for _ in range(2)]  # two reps both named Pat Rivera
    detail = users.user_detail(manager(), manager().id)
    assert [r.id for r in detail.reps if r.name == "Pat Rivera"] == sorted(r.id for r in detail.reps if r.name == "Pat Rivera")
    assert set(twins) <= {r.id for r in detail.reps}
    assert [(r.name, r.id) for r in detail.reps] == sorted((r.name, r.id) for r in detail.reps)
    assert [(f.name, f.id) for f in detail.facilities] == sorted((f.name, f.id) for f in detail.facilities)
    rows = [r for r in users.list_users(manager()) if r.active]
    assert [(r.name, r.id) for r in rows] == sorted((r.name, r.id) for r in rows)


def test_setting_a_password_on_a_shared_tablet_signs_the_previous_user_out_on_the_server():
    from closeout.pages.invitation import hand_over

    _, previous = active_user()  # Pat was signed in on this tablet
    email, link = invited(name="Lee Park")
    code = hand_over(link, PASSWORD, previous)  # a one-time code the page spends at /auth/session
    with pytest.raises(NotSignedIn):
        auth.actor_for_session(previous)  # Pat's old cookie opens nothing any more
    assert auth.actor_for_session(auth.exchange_handover(code)).email == email
    reset = token_of(invitations.new_link(manager(), actor_id(email), ORIGIN).url)
    code = hand_over(reset, OTHER_PASSWORD, "")  # nobody signed in before: fine
    assert auth.actor_for_session(auth.exchange_handover(code)).email == email
