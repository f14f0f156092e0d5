"""The offline sync (POST /api/v1/sync): each change the offline screen queued is applied
through the services the app's own screens call (device lines, scanning, signatures), so
validation, locking, lifecycle refusals and audit rows are theirs; the audit rows say the
change came from an offline screen and was synced.

Never twice: a change's answer is stored (SyncChange, unique per user and change id) in the
same transaction as the change itself (`db.joined_transaction`: the services join it), and a
refusal is rolled back to a savepoint while its answer is kept. A retried id gets the stored
answer. Two requests with the same id at once: the second one's insert of the id waits for
the first to commit (PostgreSQL's unique index; on SQLite, the one writer) and then fails, so
it reads and returns the first one's answer."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from ..domain import camera, clock
from ..domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from ..domain.lifecycle import CaseAction, check
from ..domain.signing import ROLE_LABELS
from ..domain.sync import (
    ANSWERS_KEPT,
    API_VERSION,
    EDIT_FIELDS,
    MAX_CHANGES,
    MAX_STORED_PER_USER,
    TOO_OLD_MESSAGE,
    Add,
    Change,
    Edit,
    EditOutcome,
    Kind,
    Remove,
    Result,
    Scan,
    Sign,
    TooManyStored,
    change_id_of,
    edit_outcome,
    own_steps,
    parse_change,
    rebased,
    too_old,
    vouches_for,
    wanted_values,
)  # fmt: skip
from ..models import AuditEvent, DeviceLine, SyncChange
from . import device_lines, offline, scanning, signatures
from .access import case_for
from .auth import Actor
from .db import joined_transaction, reading, transaction

TAG = " (offline, synced)"


@dataclass(frozen=True)
class Outcome:
    result: Result
    message: str
    line_id: int | None = None  # the line to send back as the server has it now
    on: tuple[int, int] | None = None  # a saved edit: [line id, the version it was applied on]


def sync(actor: Actor, changes: object) -> dict:
    """Apply the changes in the order sent; one answer per change, in the same order, and the
    fresh case (without its catalog) on the last answer for each case."""
    if actor.is_manager:
        raise NotAllowed("Managers don't close cases in the OR: offline changes come from sales reps.")
    if not isinstance(changes, list):
        raise InvalidInput("changes", "Send the changes as a list.")
    if len(changes) > MAX_CHANGES:
        raise InvalidInput("changes", f"Send at most {MAX_CHANGES} changes at once.")
    if changes and stored_count(actor) >= MAX_STORED_PER_USER:
        raise TooManyStored()
    results = [apply_change(actor, raw) for raw in changes]
    numbers = [raw.get("case") if isinstance(raw, dict) else None for raw in changes]
    last = {number: i for i, number in enumerate(numbers) if isinstance(number, str)}
    with reading() as session:
        cases = offline.fresh_cases(session, actor, last)
    for number, i in last.items():
        results[i] = {**results[i], "case": cases.get(number)}
    return {"api": API_VERSION, "results": results}


def stored_count(actor: Actor) -> int:
    with reading() as session:
        return session.exec(select(sa.func.count()).select_from(SyncChange).where(SyncChange.user_id == actor.id)).one()


def prune_answers(now=None) -> int:
    """The job's part (closeout/jobs): forget answers older than ANSWERS_KEPT. A change made that
    long ago is refused on arrival (domain/sync.py's TOO_OLD), so no retry can outlive its answer."""
    cutoff = (now or clock.now()) - ANSWERS_KEPT
    with transaction() as session:
        return session.execute(sa.delete(SyncChange).where(SyncChange.received_at < cutoff)).rowcount


class _NotKept(Exception):
    """A refusal for a case the user cannot see: answered, never stored (anyone could otherwise
    fill the table with answers about other people's case numbers); the transaction rolls back."""

    def __init__(self, answer: dict):
        super().__init__()
        self.answer = answer


def stored_answer(actor: Actor, change_id: str) -> dict | None:
    with reading() as session:
        return session.exec(
            select(SyncChange.response).where(SyncChange.user_id == actor.id, SyncChange.change_id == change_id)
        ).first()  # fmt: skip


def apply_change(actor: Actor, raw: object) -> dict:
    """One change, applied at most once: its stored answer if its id was seen before."""
    change_id = change_id_of(raw)
    if not change_id:
        sent = raw.get("id") if isinstance(raw, dict) else None
        return _answer(sent if isinstance(sent, str) else "", Outcome(Result.REFUSED, "The change has no valid id."))
    stored = stored_answer(actor, change_id)
    if stored is not None:
        return stored
    try:
        with joined_transaction() as session:
            return _claim_and_apply(session, actor, change_id, raw)
    except _NotKept as refused:
        return refused.answer
    except IntegrityError:
        stored = stored_answer(actor, change_id)  # the same id, applied by a request that ran at once
        if stored is None:
            raise
        return stored


def _claim_and_apply(session: Session, actor: Actor, change_id: str, raw: dict) -> dict:
    kind = str(raw.get("kind") or "")[:20]
    row = SyncChange(user_id=actor.id, change_id=change_id, kind=kind, result=Result.REFUSED.value)
    session.add(row)
    session.flush()  # the claim: a duplicate id fails here, before anything is applied
    try:
        change = parse_change(raw)
    except DomainError as bad:
        refused = _answer(change_id, Outcome(Result.REFUSED, bad.message))
        number = raw.get("case")
        if not isinstance(number, str) or _visible(session, actor, number[:40]) is None:
            raise _NotKept(refused) from None
        return _store(session, row, refused)
    if too_old(change.made_at, clock.now()):
        outcome = Outcome(Result.REFUSED, TOO_OLD_MESSAGE)
    else:
        sa.event.listen(session, "before_flush", _tagging(change))
        outcome = _applied(session, actor, change)
    case = _visible(session, actor, change.case)
    if case is None and outcome.result is Result.REFUSED:
        raise _NotKept(_answer(change_id, outcome))
    row.case_id = case.id if case is not None else None
    line = offline.line_now(session, case.id, outcome.line_id) if case is not None else None
    return _store(session, row, _answer(change_id, outcome, line))


def _store(session: Session, row: SyncChange, answer: dict) -> dict:
    row.result, row.response = answer["result"], answer
    session.add(row)
    return answer


def _answer(change_id: str, outcome: Outcome, line: dict | None = None) -> dict:
    on = list(outcome.on) if outcome.on else None
    return {"id": change_id, "result": outcome.result.value, "message": outcome.message, "line": line, "case": None,
            "on": on}  # fmt: skip


def _applied(session: Session, actor: Actor, change: Change) -> Outcome:
    """Apply through the services; a refusal undoes whatever the change did (a savepoint)."""
    try:
        with session.begin_nested():
            return APPLY[change.kind](session, actor, change)
    except device_lines.StaleEdit as stale:
        return Outcome(Result.STALE, stale.message, stale.fresh.id)
    except DomainError as refusal:
        return Outcome(Result.REFUSED, refusal.message, getattr(change, "line_id", None))


def _visible(session: Session, actor: Actor, number: str):
    try:
        return case_for(session, actor, number)
    except NotFound:
        return None


def _tagging(change: Change):
    """Marks every audit row the change writes: it came from an offline screen and was synced."""
    synced = {"via": "offline screen", "change_id": change.id, "made_at": change.made_at.isoformat() if change.made_at else None}

    def tag(session: Session, _context, _instances) -> None:
        for event in session.new:
            if isinstance(event, AuditEvent) and not event.summary.endswith(TAG):
                event.summary = event.summary[: 300 - len(TAG)] + TAG
                event.after = {**(event.after or {}), "synced": synced}

    return tag


def _line_of(session: Session, case_id: int, line_id: int) -> DeviceLine | None:
    line = session.get(DeviceLine, line_id)
    return line if line is not None and line.case_id == case_id else None


def _made_on(session: Session, actor: Actor, case_id: int, line: DeviceLine, version: int) -> int:
    """`version`, or the line's current one if only this user's own synced edits moved it since."""
    if version == line.version:
        return version
    answers = session.exec(
        select(SyncChange.response).where(SyncChange.user_id == actor.id, SyncChange.case_id == case_id,
                                          SyncChange.result == Result.SAVED.value).order_by(SyncChange.id)
    ).all()  # fmt: skip
    steps = [(a["on"][1], a["line"]["version"]) for a in answers if a and a.get("on") and a.get("line") and a["on"][0] == line.id]
    return rebased(version, line.version, own_steps(steps))


def _set_fields(session: Session, actor: Actor, number: str, line_id: int, version: int, fields: tuple) -> None:
    """The edited fields one by one through the Devices Used service, each on the version the
    previous one left; a price reason alone re-prices the line at its own price."""
    given = dict(fields)
    for name, raw in fields:
        if name == "unit_price":
            change = device_lines.set_price(actor, number, line_id, raw, given.get("price_reason", ""), version)
        elif name == "price_reason":
            if "unit_price" in given:
                continue
            price = str(session.get(DeviceLine, line_id).unit_price)
            change = device_lines.set_price(actor, number, line_id, price, raw, version)
        else:
            change = device_lines.update_line(actor, number, line_id, name, raw, version)
        version = change.line.version


def _edit(session: Session, actor: Actor, change: Edit) -> Outcome:
    case = device_lines.editable_case(session, actor, change.case)
    line = _line_of(session, case.id, change.line_id)
    if line is None:
        raise NotFound("That device line no longer exists; the list has been refreshed.")
    current = {name: getattr(line, name) for name in EDIT_FIELDS}
    made_on = _made_on(session, actor, case.id, line, change.version)
    decided = edit_outcome(made_on, line.version, wanted_values(change.fields), current)
    if decided is EditOutcome.STALE:
        return Outcome(Result.STALE, f"Line {line.position} was changed on the server after this offline edit: "
                       "keep yours or take theirs.", line.id)  # fmt: skip
    if decided is EditOutcome.UNCHANGED:
        return Outcome(Result.SAVED, f"Line {line.position} already holds these values.", line.id)
    _set_fields(session, actor, case.number, line.id, made_on, change.fields)
    if line.version == made_on:  # nothing moved (it asked for what the line holds): no step in the chain
        return Outcome(Result.SAVED, f"Line {line.position} already holds these values.", line.id)
    return Outcome(Result.SAVED, f"Line {line.position} saved.", line.id, (line.id, made_on))


def _add(session: Session, actor: Actor, change: Add) -> Outcome:
    added = device_lines.add_line(actor, change.case, change.product_id).line
    if change.fields:
        _set_fields(session, actor, change.case, added.id, added.version, change.fields)
    return Outcome(Result.SAVED, f"Added line {added.position}: {added.ref}.", added.id)


def _scan(session: Session, actor: Actor, change: Scan) -> Outcome:
    """The raw text as the online screen would take it: a camera's decoded text goes through
    the same translation as online (FNC1 → the symbology's identifier), a scanner's as typed."""
    raw = change.raw if change.symbology in ("", "keyboard") else camera.wedge_text(change.symbology, change.raw)
    scanned = scanning.scan(actor, change.case, raw, change.confirm_expired)
    if scanned.change is None:  # an expired device: the rep confirms on the screen and sends it again
        return Outcome(Result.REFUSED, scanned.message)
    return Outcome(Result.SAVED, scanned.message, scanned.change.line.id)


def _remove(session: Session, actor: Actor, change: Remove) -> Outcome:
    case = device_lines.editable_case(session, actor, change.case)
    line = _line_of(session, case.id, change.line_id)
    if line is None:
        return Outcome(Result.SAVED, "The line was already removed.")
    if _made_on(session, actor, case.id, line, change.version) != line.version:
        return Outcome(Result.STALE, f"Line {line.position} was changed on the server after it was removed offline: "
                       "remove it anyway, or keep it.", line.id)  # fmt: skip
    device_lines.remove_line(actor, case.number, line.id)
    return Outcome(Result.SAVED, f"Removed line {line.position}.")


def _sign(session: Session, actor: Actor, change: Sign) -> Outcome:
    case = case_for(session, actor, change.case, lock=True)
    check(case.status, CaseAction.SIGN, actor.role)
    current = frozenset(tuple(row) for row in session.exec(
        select(DeviceLine.id, DeviceLine.version).where(DeviceLine.case_id == case.id)).all())  # fmt: skip
    if not vouches_for(change.lines, current):
        return Outcome(Result.REFUSED, "The lines changed after the signature was given offline: ask "
                       f"the {ROLE_LABELS[change.role]} to sign again.")  # fmt: skip
    view = signatures.sign(actor, case.number, change.role.value, change.signer_name, change.image, title=change.title)
    return Outcome(Result.SAVED, f"{view.signer_name} signed as {ROLE_LABELS[view.role]}.")


APPLY = {Kind.EDIT: _edit, Kind.ADD: _add, Kind.SCAN: _scan, Kind.REMOVE: _remove, Kind.SIGN: _sign}
