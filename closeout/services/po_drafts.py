"""The buyer's PO document between attaching it and submitting: a row with a lifetime, never the
tab's state. A tab's server state lives for an hour after the tab closes (with Redis, in Redis),
so a document kept there is memory anyone with a link can fill; here the tab keeps only a
random key (its SHA-256 is stored), at most one document waits per link (a new one replaces
it), uploads are throttled per link and per client, and a draft goes on submit, when its tab
disconnects, or when it expires (the job prunes what is left)."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock, throttle
from ..domain.errors import InvalidInput, NotAllowed
from ..domain.po_link import check_pdf, clean_filename
from ..domain.signing_link import token_hash
from ..domain.text import lookup_text
from ..models import PoDraftDocument
from . import auth
from .db import reading, transaction

LIFETIME = timedelta(minutes=30)
MAX_KEY = 100
GONE = "The PO document you attached is no longer kept (it was replaced from another screen, or waited over 30 minutes). Attach it again."  # fmt: skip


@dataclass(frozen=True)
class Draft:
    key: str  # the tab's reference: all the tab keeps of the document
    filename: str


def upload_keys(link_id: int, client: object) -> dict:
    """The throttle keys one upload counts under: its link and its client."""
    return throttle.upload_keys(int(link_id), lookup_text(client, throttle.CLIENT_LIMIT))


def check_upload_allowed(link_id: int, client: object) -> None:
    """Refused (with the wait) while this link or this client is held: checked before the
    upload's bytes are read."""
    wait = auth.held_for(upload_keys(link_id, client))
    if wait is not None:
        raise NotAllowed(throttle.wait_message(wait, "documents attached"))


def keep(link_id: int, client: object, filename: object, content: bytes) -> Draft:
    """Keep `content` (a PDF) as the link's one waiting document, replacing any other; every
    upload counts against the link and the client."""
    check_upload_allowed(link_id, client)
    auth.count_failure(upload_keys(link_id, client))
    check_pdf(content)
    key = secrets.token_urlsafe(32)
    name = clean_filename(filename)
    with transaction() as session:
        session.execute(sa.delete(PoDraftDocument).where(PoDraftDocument.link_id == link_id))
        session.add(PoDraftDocument(link_id=link_id, key_hash=token_hash(key), filename=name, content=content,
                                    size=len(content), expires_at=clock.now() + LIFETIME))  # fmt: skip
    return Draft(key, name)


def _live(key: object, link_id: int | None = None):
    key = lookup_text(key, MAX_KEY)
    query = select(PoDraftDocument).where(PoDraftDocument.key_hash == token_hash(key), PoDraftDocument.expires_at > clock.now())
    return query.where(PoDraftDocument.link_id == link_id) if link_id is not None else query


def name_of(key: object) -> str:
    """The waiting document's file name, or "" when it is gone (submitted, replaced, expired)."""
    if not key:
        return ""
    with reading() as session:
        row = session.exec(_live(key)).first()
        return row.filename if row is not None else ""


def take(session: Session, link_id: int, key: object) -> PoDraftDocument:
    """Inside the submission's transaction: the link's waiting document for this key, removed
    from the drafts (it becomes the PO document); InvalidInput when it is no longer there."""
    row = session.exec(_live(key, link_id)).first() if key else None
    if row is None:
        raise InvalidInput("document", GONE)
    session.delete(row)
    return row


def drop(key: object) -> None:
    """Forget the document of this key (the buyer removed it, or the tab went away)."""
    if key:
        with transaction() as session:
            session.execute(sa.delete(PoDraftDocument).where(PoDraftDocument.key_hash == token_hash(lookup_text(key, MAX_KEY))))


def prune_expired() -> int:
    """Delete the drafts past their lifetime (the job, hourly); how many went."""
    with transaction() as session:
        return session.execute(sa.delete(PoDraftDocument).where(PoDraftDocument.expires_at <= clock.now())).rowcount


def stored_bytes(link_id: int | None = None) -> int:
    """Bytes of documents waiting (for one link, or all): what uploads can make the server keep."""
    with reading() as session:
        query = select(sa.func.coalesce(sa.func.sum(PoDraftDocument.size), 0))
        return int(session.exec(query.where(PoDraftDocument.link_id == link_id) if link_id is not None else query).one())
