"""The first manager of a new installation, made on the command line: the password is asked
twice (never an argument), checked by the domain's rule, stored as argon2id, and the account
is audited as made by the command line. Refusals exit non-zero and create nothing."""

import itertools
import os

import pytest
import sqlalchemy as sa
from sqlmodel import select

from closeout import admin
from closeout.domain.errors import DomainError, InvalidInput
from closeout.models import AuditEvent, User
from closeout.services import accounts, auth
from closeout.services.db import reading

PASSWORD = "scrub-in at 7:15"
_emails = itertools.count(1)


def new_email() -> str:
    return f"manager-{next(_emails)}-{os.getpid()}@hospital-supply.example"


@pytest.fixture
def typed(monkeypatch):
    """What the operator types at the password prompts, in order; the prompts are kept."""
    answers: list[str] = []
    prompts: list[str] = []

    def getpass(prompt: str = "Password: ") -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr("getpass.getpass", getpass)
    return answers, prompts


def users_named(email: str) -> list[User]:
    with reading() as session:
        return list(session.exec(select(User).where(sa.func.lower(User.email) == email.lower())).all())


def test_create_manager_asks_twice_and_the_manager_can_sign_in(typed, capsys):
    answers, prompts = typed
    answers += [PASSWORD, PASSWORD]
    email = new_email()
    assert admin.main(["create-manager", "--email", email.upper(), "--name", " Jordan  Price "]) == 0
    assert len(prompts) == 2 and "Repeat" in prompts[1]
    assert f"Manager Jordan Price <{email}> created" in capsys.readouterr().out
    [user] = users_named(email)
    assert (user.email, user.name, user.role) == (email, "Jordan Price", "manager")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    _, actor = auth.sign_in(email, PASSWORD, client=f"create-manager-{os.getpid()}")
    assert actor.is_manager and actor.id == user.id


def test_the_new_account_is_audited_as_made_by_the_command_line():
    email = new_email()
    manager = accounts.create_manager(email, "Riley Chen", PASSWORD)
    with reading() as session:
        [event] = session.exec(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == manager.id)).all()
    assert (event.action, event.actor_name, event.user_id, event.case_id) == ("manager created", "command line", None, None)
    assert event.after == {"name": "Riley Chen", "email": email, "role": "manager"}
    assert PASSWORD not in str(event.after) + event.summary


def test_a_duplicate_email_is_refused_in_any_letter_case_before_the_password_is_asked(typed, capsys):
    answers, prompts = typed
    email = new_email()
    accounts.create_manager(email, "Riley Chen", PASSWORD)
    assert admin.main(["create-manager", "--email", email.upper(), "--name", "Someone Else"]) == 1
    assert "already has an account" in capsys.readouterr().err
    assert prompts == [] and len(users_named(email)) == 1
    with pytest.raises(DomainError, match="already has an account"):
        accounts.create_manager(email.title(), "Someone Else", PASSWORD)


def test_an_existing_demo_account_cannot_be_made_again(typed, capsys):
    assert admin.main(["create-manager", "--email", "morgan.lee@closeout.example", "--name", "Morgan Lee"]) == 1
    assert "already has an account" in capsys.readouterr().err


@pytest.mark.parametrize(("password", "reason"), [("short one", "at least 12"), ("", "at least 12")])
def test_a_weak_password_is_refused_at_once_and_nothing_is_created(typed, capsys, password, reason):
    answers, prompts = typed
    answers += [password]
    email = new_email()
    assert admin.main(["create-manager", "--email", email, "--name", "Riley Chen"]) == 1
    assert reason in capsys.readouterr().err and len(prompts) == 1  # no confirmation asked for a refused password
    assert users_named(email) == []


def test_the_email_itself_is_refused_as_a_password(typed, capsys):
    answers, _ = typed
    email = new_email()
    answers += [email]
    assert admin.main(["create-manager", "--email", email, "--name", "Riley Chen"]) == 1
    assert "cannot be the email address" in capsys.readouterr().err
    assert users_named(email) == []


def test_a_mismatched_confirmation_creates_nothing(typed, capsys):
    answers, _ = typed
    answers += [PASSWORD, PASSWORD + "!"]
    email = new_email()
    assert admin.main(["create-manager", "--email", email, "--name", "Riley Chen"]) == 1
    assert "differ" in capsys.readouterr().err
    assert users_named(email) == []


def test_the_service_checks_the_rule_too():
    email = new_email()
    with pytest.raises(InvalidInput, match="at least 12"):
        accounts.create_manager(email, "Riley Chen", "too short")
    with pytest.raises(InvalidInput, match="valid email"):
        accounts.create_manager("not-an-email", "Riley Chen", PASSWORD)
    assert users_named(email) == []


def test_an_interrupted_prompt_creates_nothing(monkeypatch, capsys):
    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("getpass.getpass", interrupted)
    email = new_email()
    assert admin.main(["create-manager", "--email", email, "--name", "Riley Chen"]) == 1
    assert "Cancelled" in capsys.readouterr().err and users_named(email) == []


def test_the_password_is_no_command_line_option(capsys):
    with pytest.raises(SystemExit) as usage:
        admin.main(["create-manager", "--email", new_email(), "--name", "Riley Chen", "--password", PASSWORD])
    assert usage.value.code == 2
