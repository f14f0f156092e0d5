"""The dashboard's price edits: per facility per month, the submitted cases whose prices were
edited by hand and what those prices add up to above and below the contract (or list) price.

Cheap on 100,000 cases: the flagged cases come from their own index (prices_edited, status,
surgery date), their edited lines through the line table's case index, and each edited line
carries the price it departs from, so nothing is priced again here."""

from contextlib import nullcontext

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain.catalog import PriceSource, UsageStatus
from ..domain.errors import NotFound
from ..domain.lifecycle import CaseStatus
from ..domain.price_edits import EditedLine, PriceEditMonth, by_facility_month
from ..models import Case, DeviceLine, Facility
from .auth import Actor
from .db import reading

# Billed cases: what a facility is invoiced for (an Open case may still change, a Cancelled one is never billed).
BILLED = (CaseStatus.CLOSED.value, CaseStatus.COMPLETED.value, CaseStatus.INVOICED.value, CaseStatus.PAID.value)


def price_edits(actor: Actor, session: Session | None = None) -> list[PriceEditMonth]:
    """Newest month first; within a month, facilities by name. `session`: a benchmark's own."""
    if not actor.is_manager:
        raise NotFound("The dashboard is for managers.")
    query = (
        select(Case.id, Facility.name, Case.surgery_date, DeviceLine.quantity, DeviceLine.unit_price, DeviceLine.catalog_price,
               DeviceLine.no_charge, DeviceLine.usage_status)
        .join(DeviceLine, DeviceLine.case_id == Case.id).join(Facility, Facility.id == Case.facility_id)
        .where(Case.prices_edited == sa.true(), Case.status.in_(BILLED), DeviceLine.price_source == PriceSource.EDITED.value)
    )  # fmt: skip
    with reading() if session is None else nullcontext(session) as db:
        rows = db.exec(query).all()
    return by_facility_month(
        EditedLine(case_id, facility, day, quantity, price, in_force if in_force is not None else price,
                   not no_charge and usage != UsageStatus.UNUSED.value)
        for case_id, facility, day, quantity, price, in_force, no_charge, usage in rows
    )  # fmt: skip
