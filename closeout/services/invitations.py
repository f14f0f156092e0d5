"""One-time links to set one's own password: an invitation for a new account, or a password
reset. The token is shown once (to the manager, and emailed when mail is configured); only
its hash is kept. A link expires (CLOSEOUT_INVITATION_DAYS), works once, and a newer link
for the same user revokes the older ones. Setting the password ends every session the user
had (the old password stops working only then) and signs them in here."""

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

import sqlalchemy as sa
from sqlmodel import Session, select

from .. import routes, settings
from ..domain import clock
from ..domain.accounts import check_password
from ..domain.errors import NotAllowed, NotFound
from ..domain.users import GONE, InvitationKind, invitation_expiry, invitation_usable, matches, new_token, token_hash
from ..models import Invitation, SignInThrottle, User, UserSession
from . import audit, mail
from .auth import Actor, hash_password, open_session
from .db import reading, transaction
from .users import require_manager, throttle_keys_of, user_by_id

MAX_TOKEN = 100
WHAT = {InvitationKind.INVITE: "invitation", InvitationKind.RESET: "password reset link"}


@dataclass(frozen=True)
class IssuedLink:
    url: str  # shown once to the manager, never stored
    email: str
    expires_at: datetime
    delivery: str  # "sent" | "not configured" | "failed"
    mail_error: str = ""


@dataclass(frozen=True)
class LinkView:
    name: str
    email: str
    kind: str
    expires_at: datetime


def issue_in(session: Session, actor: Actor, user: User, kind: InvitationKind) -> tuple[str, Invitation]:
    """A new link for `user` in the caller's transaction; their older live links stop working."""
    now = clock.now()
    session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                Invitation.revoked_at.is_(None)).values(revoked_at=now))  # fmt: skip
    token = new_token()
    link = Invitation(user_id=user.id, token_hash=token_hash(token), kind=kind.value, created_by_id=actor.id,
                      created_at=now, expires_at=invitation_expiry(now, settings.invitation_days()))  # fmt: skip
    session.add(link)
    session.flush()
    audit.record(session, actor, case_id=None, action=f"{WHAT[kind]} issued", entity="user", entity_id=user.id,
                 summary=f"One-time {WHAT[kind]} issued for {user.name} <{user.email}>",
                 after={"kind": kind.value, "expires_at": link.expires_at.isoformat()})  # fmt: skip
    return token, link


def new_link(actor: Actor, user_id: object, origin: str) -> IssuedLink:
    """Reset password (or, before a first password was set, a new invitation): a new link
    for the user. Their current password keeps working until the new one is set."""
    require_manager(actor)
    with transaction() as session:
        user = user_by_id(session, user_id, lock=True)
        if not user.active:
            raise NotAllowed(f"{user.name} is deactivated. Reactivate them first.")
        kind = InvitationKind.RESET if user.password_hash else InvitationKind.INVITE
        token, link = issue_in(session, actor, user, kind)
        name, email, expires_at = user.name, user.email, link.expires_at
    return deliver(actor, user_id, name, email, kind, routes.invitation_url(origin, token), expires_at)


def deliver(actor: Actor, user_id: object, name: str, email: str, kind: InvitationKind, url: str,
            expires_at: datetime) -> IssuedLink:  # fmt: skip
    """Email the link when mail is configured (after the link is committed: a slow mail
    server holds up no one); otherwise it is only shown, and the manager passes it on."""
    config = settings.MailSettings.from_env()
    if not config.configured:
        return IssuedLink(url, email, expires_at, "not configured")
    try:
        mail.deliver(_message(config, name, email, kind, url, expires_at), config)
    except mail.MailError as failure:
        return IssuedLink(url, email, expires_at, "failed", failure.message)
    with transaction() as session:
        audit.record(session, actor, case_id=None, action=f"{WHAT[kind]} emailed", entity="user", entity_id=int(user_id),
                     summary=f"The {WHAT[kind]} was emailed to {email}")  # fmt: skip
    return IssuedLink(url, email, expires_at, "sent")


def _message(config: settings.MailSettings, name: str, email: str, kind: InvitationKind, url: str,
             expires_at: datetime) -> EmailMessage:  # fmt: skip
    message = EmailMessage()
    message["From"], message["To"] = config.sender, email
    message["Subject"] = "Your Closeout account" if kind == InvitationKind.INVITE else "Reset your Closeout password"
    message["Message-ID"] = make_msgid(domain="closeout.local")
    purpose = "set the password of your new Closeout account" if kind == InvitationKind.INVITE else "set a new Closeout password"
    message.set_content(
        f"Hello {name},\n\nOpen this link to {purpose}:\n\n{url}\n\n"
        f"It works once, until {expires_at:%b %-d, %Y %H:%M} UTC. If you did not expect it, ignore this message.\n"
    )
    return message


def _live(session: Session, token: object) -> Invitation:
    token = str(token or "")[:MAX_TOKEN]
    link = session.exec(select(Invitation).where(Invitation.token_hash == token_hash(token))).first()
    if (
        link is None
        or not matches(link.token_hash, token)
        or not invitation_usable(link.expires_at, link.used_at, link.revoked_at, clock.now())
    ):
        raise NotFound(GONE)
    return link


def open_link(token: object) -> LinkView:
    """Whose link this is, for the page where they set their password."""
    with reading() as session:
        link = _live(session, token)
        user = session.get(User, link.user_id)
        if user is None or not user.active:
            raise NotFound(GONE)
        return LinkView(user.name, user.email, link.kind, link.expires_at)


def set_password(token: object, password: object) -> tuple[str, Actor]:
    """The user's own password, through their link: the link is spent, every session they had
    ends, sign-in failures against the account are forgotten, and a new session begins (its
    token is returned)."""
    view = open_link(token)
    password_hash = hash_password(check_password(password, view.email, view.name, settings.seller_name()))  # ~100 ms: before the transaction
    with transaction() as session:
        link = _live(session, token)
        user = user_by_id(session, link.user_id, lock=True)  # before the link: the lock order of user_admin
        spent = session.execute(sa.update(Invitation).where(Invitation.id == link.id, Invitation.used_at.is_(None),
                                                            Invitation.revoked_at.is_(None)).values(used_at=clock.now()))  # fmt: skip
        if spent.rowcount != 1 or not user.active:
            raise NotFound(GONE)
        user.password_hash = password_hash
        session.add(user)
        now = clock.now()
        session.execute(sa.update(Invitation).where(Invitation.user_id == user.id, Invitation.used_at.is_(None),
                                                    Invitation.revoked_at.is_(None)).values(revoked_at=now))  # fmt: skip
        session.execute(sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
                        .values(revoked_at=now))  # fmt: skip
        session.execute(sa.delete(SignInThrottle).where(throttle_keys_of(user.email)))
        actor = Actor(user.id, user.name, user.email, user.role)
        kind = InvitationKind(link.kind)
        audit.record(session, actor, case_id=None, action="password set", entity="user", entity_id=user.id,
                     summary=f"{user.name} set their password through the {WHAT[kind]}", after={"through": kind.value})  # fmt: skip
        return open_session(session, user.id), actor
