"""Signatures bound to people (issue 14 §4), through the services against the real database:
the Sales Rep's signature and an attestation are the signed-in account's, confirmed with its
password or signing PIN and throttled like a sign-in; a provider gives a name and title; a
pre-authorization survives Reopen and counts the lines changed since."""

import io

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import select

from closeout.domain.errors import DomainError, InvalidInput, NotAllowed
from closeout.domain.signing import SignatureKind, SignerRole
from closeout.domain.signing_pin import MAX_PIN_FAILURES
from closeout.models import AuditEvent, Case, Signature, SignInThrottle, User
from closeout.services import audit, billing, device_lines, own_account, reopening, sharing, signatures, signing_links
from closeout.services.auth import Actor, hash_password
from closeout.services.db import reading, transaction
from tests.factories import manager, new_case, product_with, provider_signs, signature_data_url, unique_suffix

PASSWORD = "a-long-rep-password"
TITLE = "RN, circulating nurse"


@pytest.fixture
def rep():
    """A rep of their own (their PIN and throttle keys are theirs alone), with a case."""
    email = f"rep-{unique_suffix()}@closeout.example"
    with transaction() as session:
        user = User(name=f"Riley Signer {unique_suffix()}", email=email, role="sales_rep",
                    password_hash=hash_password(PASSWORD))  # fmt: skip
        session.add(user)
        session.flush()
        actor = Actor(user.id, user.name, user.email, user.role)
    yield actor
    with transaction() as session:
        session.execute(sa.delete(SignInThrottle).where(SignInThrottle.key.contains(email)))


def case_of(actor: Actor, lines: int = 2) -> str:
    return new_case(lines=lines, rep_email=actor.email)


def stored(number: str) -> list[Signature]:
    with reading() as session:
        return session.exec(select(Signature).join(Case).where(Case.number == number).order_by(Signature.id)).all()


def sign_rep(actor, number, secret=PASSWORD, method="password", name="", client="192.0.2.1"):
    return signatures.sign(actor, number, "sales_rep", name, signature_data_url(), secret=secret, method=method,
                           client=client)  # fmt: skip


def test_the_rep_signs_with_their_password_and_the_account_name_is_printed(rep):
    number = case_of(rep)
    view = sign_rep(rep, number, name="Somebody Else Entirely")  # a crafted call names someone else
    assert view.signer_name == rep.name and view.role is SignerRole.SALES_REP and view.valid
    assert view.how_given == "on the rep's screen, signed with the account password"
    assert view.signed_at_text.endswith(("PDT", "PST"))  # the facility's zone (America/Los_Angeles)
    [row] = stored(number)
    assert (row.signed_by_id, row.secret_method, row.signer_name) == (rep.id, "password", rep.name)
    [signed] = [e for e in audit.activity(rep, number) if e.action == "signed"]
    assert signed.summary == f"{rep.name} signed as Sales Rep with the account password"
    assert signed.after["statement"].startswith(f"{rep.name} · Sales Rep · Sales Rep — confirms")
    assert "signed with the account password" in signed.after["statement"]


@pytest.mark.parametrize(("secret", "says"), [("", "Enter your password."), ("wrong-password-1", "The password is wrong.")])
def test_no_signature_without_the_right_password(rep, secret, says):
    number = case_of(rep)
    with pytest.raises(InvalidInput, match=says) as refusal:
        sign_rep(rep, number, secret=secret)
    assert refusal.value.field == "secret" and stored(number) == []


def test_wrong_secrets_count_in_the_sign_in_throttle_and_then_signing_waits(rep):
    number, client = case_of(rep), "198.51.100.23"
    for _ in range(5):  # five failures for one browser and account, and the next try waits
        with pytest.raises(InvalidInput):
            sign_rep(rep, number, secret="not-my-password", client=client)
    with reading() as session:
        counted = {t.key: t.failures for t in session.exec(select(SignInThrottle).where(
            SignInThrottle.key.contains(rep.email))).all()}  # fmt: skip
    assert counted == {f"pair:{client}|{rep.email}": 5, f"account:{rep.email}": 5}  # the keys a sign-in counts under
    with pytest.raises(DomainError, match="Too many sign-in attempts. Try again in"):
        sign_rep(rep, number, client=client)  # even the right password waits, as a sign-in would
    assert stored(number) == []


def test_a_manager_is_refused_before_any_secret_is_asked():
    number = new_case(lines=1)
    with pytest.raises(NotAllowed):
        signatures.sign(manager(), number, "sales_rep", "", signature_data_url(), secret="")


def test_the_signing_pin_is_set_with_the_password_hashed_and_never_trivial(rep):
    with pytest.raises(InvalidInput, match="too easy to guess"):
        own_account.set_signing_pin(rep, PASSWORD, "1234")
    with pytest.raises(InvalidInput, match="current password is wrong"):
        own_account.set_signing_pin(rep, "not-it", "2580")
    assert not own_account.has_signing_pin(rep)
    assert own_account.set_signing_pin(rep, PASSWORD, "2580") is False
    assert own_account.set_signing_pin(rep, PASSWORD, "3691") is True  # changed
    with reading() as session:
        kept = session.get(User, rep.id).signing_pin_hash
    assert kept.startswith("$argon2") and "3691" not in kept
    actions = [row.action for row in _user_audit(rep)]
    assert actions == ["signing PIN set", "signing PIN changed"]


def _user_audit(actor):
    with reading() as session:
        return session.exec(select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == actor.id)
                            .order_by(AuditEvent.id)).all()  # fmt: skip


def test_the_rep_signs_with_the_pin_and_a_wrong_pin_is_refused_then_turned_off(rep):
    number = case_of(rep)
    with pytest.raises(InvalidInput, match="no signing PIN"):
        sign_rep(rep, number, secret="2580", method="pin")
    own_account.set_signing_pin(rep, PASSWORD, "2580")
    with pytest.raises(InvalidInput, match=f"{MAX_PIN_FAILURES - 1} more wrong PINs"):
        sign_rep(rep, number, secret="2581", method="pin", client="198.51.100.40")
    view = sign_rep(rep, number, secret="2580", method="pin")
    assert view.how_given == "on the rep's screen, signed with the signing PIN" and stored(number)[-1].secret_method == "pin"
    for attempt in range(1, MAX_PIN_FAILURES + 1):  # a right PIN started the count afresh
        with pytest.raises(InvalidInput) as refusal:
            sign_rep(rep, number, secret=f"{9000 + attempt}", method="pin", client=f"198.51.100.{50 + attempt}")
    assert "turned off" in refusal.value.message
    assert not own_account.has_signing_pin(rep)
    with pytest.raises(InvalidInput, match="no signing PIN"):
        sign_rep(rep, number, secret="2580", method="pin")
    assert sign_rep(rep, number).valid  # the password still signs
    assert _user_audit(rep)[-1].action == "signing PIN turned off"


def test_an_attestation_is_the_closers_account_confirmed_with_its_secret(rep):
    number = case_of(rep)
    with pytest.raises(InvalidInput, match="password is wrong"):
        signatures.attest(rep, number, "provider_rep", secret="nope", client="198.51.100.60")
    view = signatures.attest(rep, number, "provider_rep", secret=PASSWORD)
    assert view.kind is SignatureKind.ATTESTATION and view.signer_name == rep.name
    assert view.how_given == "attestation, confirmed with the account password" and "was not available" in view.meaning
    [row] = stored(number)
    assert (row.signed_by_id, row.secret_method) == (rep.id, "password")
    [attested] = [e for e in audit.activity(rep, number) if e.action == "attested"]
    assert "attested for the Provider Representative" in attested.summary


@pytest.mark.parametrize(("title", "field"), [("", "title"), ("x" * 81, "title"), ("RN\x00", "title")])
def test_a_providers_title_is_required_and_capped(rep, title, field):
    number = case_of(rep)
    with pytest.raises(InvalidInput) as refusal:
        signatures.sign(rep, number, "provider_rep", "Carla Mendes", signature_data_url(), title=title)
    assert refusal.value.field == field and stored(number) == []


def test_a_provider_signs_with_name_and_title(rep):
    number = case_of(rep)
    view = provider_signs(number, "Carla Mendes", " RN,  circulating nurse ", actor=rep)
    assert (view.signer_name, view.title, view.how_given) == ("Carla Mendes", TITLE, "on the rep's screen")
    assert stored(number)[0].signed_by_id is None  # no account: the name and title are the signer's own


def test_through_the_link_the_link_and_the_screen_are_kept(rep):
    number = case_of(rep)
    link = signing_links.issue(rep, number)
    shown = signing_links.open_link(link.token)
    agent = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile Safari/604.1"
    signing_links.sign_through_link(link.token, "Jo Whitaker", signature_data_url(), shown.fingerprint, title=TITLE,
                                    user_agent=agent, client="203.0.113.9")  # fmt: skip
    [row] = stored(number)
    with reading() as session:
        link_id = session.exec(select(AuditEvent.entity_id).where(AuditEvent.action == "signing link issued",
                                                                  AuditEvent.case_id == row.case_id)).one()  # fmt: skip
    assert (row.link_id, row.screen, row.title) == (link_id, "Safari on iPad · 203.0.113.9", TITLE)
    assert signatures.signatures_of(rep, number)[SignerRole.PROVIDER].how_given == "on another screen"


def _pdf_text(actor, number) -> str:
    _, pdf = sharing.export(actor, number, "download")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_pre_authorization_survives_reopen_counts_changes_and_prints_first(rep):
    number = case_of(rep, lines=2)
    pre = provider_signs(number, "Paul Ames", "MD, anesthesiologist", role="pre_authorization", actor=rep)
    assert pre.since == "No line added, removed or changed since" and pre.role is SignerRole.PRE_AUTHORIZATION
    with pytest.raises(DomainError, match="Sales Rep signature is missing"):
        billing.submit_for_billing(rep, number)  # a pre-authorization is not the signatures Submit needs
    sign_rep(rep, number)
    provider_signs(number, "Carla Mendes", TITLE, actor=rep)
    billing.submit_for_billing(rep, number)
    reopening.reopen(rep, number, "One more device was used")
    standing = signatures.signatures_of(rep, number)
    assert list(standing) == [SignerRole.PRE_AUTHORIZATION]  # the others were set aside
    device_lines.add_line(rep, number, product_with(contract=True).id)
    assert signatures.signatures_of(rep, number)[SignerRole.PRE_AUTHORIZATION].since == "1 line added since"
    sign_rep(rep, number)
    provider_signs(number, "Carla Mendes", TITLE, actor=rep)
    billing.submit_for_billing(rep, number)
    text = _pdf_text(rep, number)
    assert "1 line added since it was given" in text
    assert text.index("Paul Ames") < text.index(rep.name, text.index("Signatures")) < text.index("Carla Mendes")
    assert "MD, anesthesiologist" in text and "signed with the account password" in text
    assert "PDT" in text or "PST" in text
