"""Changing an Open case's details, and cancelling a case (never deleting it). Both are
lifecycle actions (domain/lifecycle.py), checked here whatever the screen offered."""

from collections.abc import Mapping

from sqlmodel import Session, select

from ..domain import clock
from ..domain.case_details import CaseDetails, changed_fields, parse_reason
from ..domain.lifecycle import STATUS_LABELS, CaseAction, CaseStatus, check
from ..domain.pricing import PriceSource, default_price
from ..models import Case, DeviceLine, Product
from . import audit, po_links
from .access import case_for
from .auth import Actor
from .catalog import contract_price
from .db import reading, transaction
from .device_lines import billable_total
from .inventory import consumption, replenishment_orders
from .line_prices import refresh_price_in_force
from .new_case import NewCaseChoices, as_row, check_details, choices, details_of
from .signatures import set_aside
from .signing_links import revoke_for_case

_PRICE_INPUTS = {"facility_id", "surgery_date"}  # what the contract price in force depends on
_SIGNED_FOR = {"facility_id", "surgeon_id", "procedure", "surgery_date", "patient_ref", "rep_id"}  # not time, not the facility's number


def _reprice(session: Session, actor: Actor, case: Case) -> int:
    """Lines priced by the catalog get the price in force for the case's (new) facility and
    surgery date; a price the rep typed stays. The number of lines whose price moved."""
    moved = 0
    rows = session.exec(
        select(DeviceLine, Product).join(Product, Product.id == DeviceLine.product_id)
        .where(DeviceLine.case_id == case.id, DeviceLine.price_source != PriceSource.EDITED.value)
    ).all()  # fmt: skip
    for line, product in rows:
        price, source = default_price(product.list_price, contract_price(session, case.facility_id, product.id, case.surgery_date))
        if (price, source.value) != (line.unit_price, line.price_source):
            before = {"unit_price": str(line.unit_price), "price_source": line.price_source}
            line.unit_price, line.price_source, line.version = price, source.value, line.version + 1
            line.updated_at = clock.now()
            session.add(line)
            moved += 1
            audit.record(session, actor, case_id=case.id, action="line re-priced", entity="device_line", entity_id=line.id,
                         summary=f"Line {line.position}: {product.ref} {before['unit_price']} → {price} ({source.value} "
                                 f"price in force on {case.surgery_date:%Y-%m-%d})",
                         before=before, after={"unit_price": str(price), "price_source": source.value})  # fmt: skip
    if moved:
        session.flush()
        case.billable_total = billable_total(session, case.id)
    refresh_price_in_force(session, case)  # edited prices now depart from this one
    return moved


def details_for_edit(actor: Actor, case_number: str) -> tuple[CaseDetails, NewCaseChoices]:
    """An Open case's details as the Edit form starts from, and what the form offers."""
    with reading() as session:
        case = case_for(session, actor, case_number)
        check(case.status, CaseAction.EDIT_HEADER, actor.role)
        current = details_of(session, case)
    return current, choices(actor)


def edit_details(actor: Actor, case_number: str, form: Mapping[str, object]) -> int:
    """Save an Open case's new details (a manager may also hand it to another rep). Audited
    with before and after; the number of device lines re-priced (0 if none had to be)."""
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        check(case.status, CaseAction.EDIT_HEADER, actor.role)
        before = details_of(session, case)
        after = check_details(session, actor, {**form, "rep_id": form.get("rep_id") or case.rep_id}, before)
        changed = changed_fields(before, after)
        if not changed:
            return 0
        for name in changed:
            setattr(case, name, getattr(after, name))
        case.updated_at = clock.now()
        session.add(case)
        moved = _reprice(session, actor, case) if _PRICE_INPUTS & changed.keys() else 0
        if _SIGNED_FOR & changed.keys():  # the signers vouched for another patient, place or rep
            set_aside(session, case.id, "case details changed: sign again")
        summary = "Case details changed: " + ", ".join(name.replace("_id", "").replace("_", " ") for name in changed)
        audit.record(session, actor, case_id=case.id, action="details changed", entity="case", entity_id=case.id,
                     summary=summary + (f"; {moved} line price(s) now the one in force" if moved else ""),
                     before={k: v for k, v in as_row(before).items() if k in changed},
                     after={k: v for k, v in as_row(after).items() if k in changed})  # fmt: skip
        return moved


def cancel_case(actor: Actor, case_number: str, reason: object) -> None:
    """Cancel the case with a reason: it stays, with who cancelled it, when and why."""
    reason = parse_reason(reason)
    with transaction() as session:
        case = case_for(session, actor, case_number, lock=True)
        before = CaseStatus(case.status)
        case.status = check(case.status, CaseAction.CANCEL, actor.role).value
        case.cancelled_at = case.updated_at = clock.now()
        case.cancelled_by_id, case.cancel_reason = actor.id, reason
        session.add(case)
        revoke_for_case(session, actor, case.id, "the case was cancelled")
        po_links.revoke_for_case(session, case.id, "case cancelled", actor)  # the buyer's PO links too
        consumption.give_back(session, actor, case, "case cancelled")  # a submitted case's stock goes back
        replenishment_orders.cancel_for_case(session, actor, case, "the case was cancelled")
        audit.record(session, actor, case_id=case.id, action="case cancelled", entity="case", entity_id=case.id,
                     summary=f"Cancelled ({STATUS_LABELS[before]} → Cancelled): {reason}",
                     before={"status": before.value}, after={"status": case.status, "reason": reason})  # fmt: skip
