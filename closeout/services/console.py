"""The managers' console: every case of the organisation, filtered, sorted and paged on the
server; the same filters export to CSV; a dashboard of statuses, PO aging and billing."""

import io
from collections import defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from ..domain import clock, csv_safe
from ..domain.console import AGING_BUCKETS, ConsoleFilters
from ..domain.errors import NotFound
from ..domain.lifecycle import STATUS_LABELS, CaseStatus
from ..domain.sharing import sales_order_number
from ..models import Case, DeviceLine, Facility, Invoice, PurchaseOrder, Surgeon, User
from .auth import Actor
from .db import reading
from .price_dashboard import BILLED


@dataclass(frozen=True)
class ConsoleRow:
    number: str
    facility: str
    surgeon: str
    rep: str
    surgery_date: date
    status: CaseStatus
    billable_total: Decimal
    purchase_orders: str
    last_shared_at: datetime | None
    submitted_at: datetime | None
    prices_edited: bool = False
    sales_order: str = ""  # the latest number: SO-…-R1 after a correction
    invoice_number: str = ""
    invoiced_on: date | None = None
    invoice_amount: Decimal | None = None
    paid_amount: Decimal = Decimal("0.00")
    reminders_paused: bool = False  # its PO reminders are paused (services/reminder_settings.py)

    @property
    def balance(self) -> Decimal | None:
        """Still owed on the current invoice (negative: overpaid); None before an invoice."""
        return None if self.invoice_amount is None else self.invoice_amount - self.paid_amount


def _require_manager(actor: Actor) -> None:
    if not actor.is_manager:
        raise NotFound("The console is for managers.")


def _where(filters: ConsoleFilters, now: datetime) -> list:
    c = Case
    clauses = [c.status.in_(filters.statuses)]
    for column, value in ((c.facility_id, filters.facility_id), (c.rep_id, filters.rep_id), (c.surgeon_id, filters.surgeon_id)):
        if value is not None:
            clauses.append(column == value)
    if filters.date_from:
        clauses.append(c.surgery_date >= filters.date_from)
    if filters.date_to:
        clauses.append(c.surgery_date <= filters.date_to)
    if filters.not_shared:
        clauses.append(c.last_shared_at.is_(None))
    if filters.prices_edited:
        clauses.append(c.prices_edited == sa.true())
    if filters.outstanding:
        clauses += [c.status == CaseStatus.INVOICED.value, c.invoice_amount > c.paid_amount]
    if filters.pending_po_days is not None:
        clauses += [c.status == CaseStatus.CLOSED.value, c.submitted_at < now - timedelta(days=filters.pending_po_days)]
    if filters.search:
        clauses.append(_search(filters.search))
    return clauses


def _search(text: str):
    """Case number (or its start), or exactly a PO number, a lot or a serial. The matching case
    ids come from the indexes first, so 100,000 cases are never scanned one by one."""
    upper = text.upper()
    by_number = sa.and_(Case.number >= upper, Case.number < upper + "~") if upper.startswith("CS-") else Case.number == upper
    ids = sa.union(
        select(Case.id).where(by_number),
        select(PurchaseOrder.case_id).where(PurchaseOrder.number == text),
        select(DeviceLine.case_id).where(DeviceLine.lot == text),
        select(DeviceLine.case_id).where(DeviceLine.serial == text),
    )
    return Case.id.in_(ids)


SORT_COLUMNS = {
    "number": Case.number, "surgery_date": Case.surgery_date, "status": Case.status,
    "billable_total": Case.billable_total, "last_shared_at": Case.last_shared_at, "pending_since": Case.submitted_at,
}  # fmt: skip
# Sorting by a name sorts the cases by the rank of their facility, surgeon or rep in name
# order: the database orders case rows alone and joins names for the one page it returns,
# instead of joining every matching case first.
NAMED = {"facility": (Case.facility_id, Facility), "surgeon": (Case.surgeon_id, Surgeon), "rep": (Case.rep_id, User)}


def _sort_key(session: Session, column: str):
    if column in SORT_COLUMNS:
        return SORT_COLUMNS[column]
    key, table = NAMED[column]
    ids = session.exec(select(table.id).order_by(table.name, table.id)).all()
    return sa.case({id_: rank for rank, id_ in enumerate(ids)}, value=key, else_=len(ids))


def _query(session: Session, filters: ConsoleFilters, now: datetime, limit: int, offset: int):
    """One page: first the page's case ids, ordered and cut on the case table alone (its
    indexes, no joins), then the names joined to those rows only."""
    sort = _sort_key(session, filters.sort)
    order = [sort.desc(), Case.id.desc()] if filters.descending else [sort.asc(), Case.id.asc()]
    page_ids = select(Case.id).where(*_where(filters, now)).order_by(*order).limit(limit).offset(offset).subquery()
    return (
        select(Case.id, Case.number, Facility.name, Surgeon.name, User.name, Case.surgery_date, Case.status,
               Case.billable_total, Case.last_shared_at, Case.submitted_at, Case.prices_edited, Case.revision,
               Case.invoiced_on, Case.invoice_amount, Case.paid_amount, Case.po_reminders_paused_at)
        .join(page_ids, page_ids.c.id == Case.id)
        .join(Facility, Facility.id == Case.facility_id).join(Surgeon, Surgeon.id == Case.surgeon_id)
        .join(User, User.id == Case.rep_id).order_by(*order)
    )  # fmt: skip


def _pos(session: Session, case_ids: list[int]) -> dict[int, str]:
    found: dict[int, list[str]] = defaultdict(list)
    if case_ids:
        for case_id, number in session.exec(
            select(PurchaseOrder.case_id, PurchaseOrder.number)
            .where(PurchaseOrder.case_id.in_(case_ids))
            .order_by(PurchaseOrder.id)
        ).all():
            found[case_id].append(number)
    return {case_id: ", ".join(numbers) for case_id, numbers in found.items()}


def _invoice_numbers(session: Session, case_ids: list[int]) -> dict[int, str]:
    """Each page case's current (not credited) invoice number."""
    if not case_ids:
        return {}
    return dict(session.exec(select(Invoice.case_id, Invoice.number)
                             .where(Invoice.case_id.in_(case_ids), Invoice.credited_at.is_(None))).all())  # fmt: skip


def _rows(session: Session, raw) -> list[ConsoleRow]:
    ids = [r[0] for r in raw]
    pos, invoices = _pos(session, ids), _invoice_numbers(session, ids)
    return [ConsoleRow(r[1], r[2], r[3], r[4], r[5], CaseStatus(r[6]), r[7], pos.get(r[0], ""), r[8], r[9], bool(r[10]),
                       sales_order_number(r[1], r[11]), invoices.get(r[0], ""), r[12], r[13], r[14], r[15] is not None)
            for r in raw]  # fmt: skip


def case_page(actor: Actor, filters: ConsoleFilters, session: Session | None = None) -> tuple[list[ConsoleRow], int]:
    """One page of cases and how many match in all."""
    _require_manager(actor)
    now = clock.now()
    with reading() if session is None else nullcontext(session) as db:
        total = db.exec(select(sa.func.count()).select_from(Case).where(*_where(filters, now))).one()
        raw = db.exec(_query(db, filters, now, filters.page_size, (filters.page - 1) * filters.page_size)).all()
        return _rows(db, raw), total


CSV_HEADER = ["Case", "Facility", "Surgeon", "Sales Rep", "Surgery date", "Status", "Billable total", "PO", "Last shared (UTC)",
              "Submitted (UTC)", "Prices edited", "Sales order", "Invoice number", "Invoice date", "Invoice amount", "Paid",
              "Balance"]  # fmt: skip


def _money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def export_csv(actor: Actor, filters: ConsoleFilters) -> Iterator[str]:
    """Every matching case (all pages), as CSV text in chunks of 1,000 rows."""
    _require_manager(actor)
    now = clock.now()
    out = io.StringIO()
    writer = csv_safe.writer(out)  # no cell reaches the spreadsheet as a formula
    writer.writerow(CSV_HEADER)
    with reading() as session:
        offset = 0
        while True:
            raw = session.exec(_query(session, filters, now, 1000, offset)).all()
            for row in _rows(session, raw):
                writer.writerow([row.number, row.facility, row.surgeon, row.rep, row.surgery_date.isoformat(),
                                 STATUS_LABELS[row.status], f"{row.billable_total:.2f}", row.purchase_orders,
                                 _iso(row.last_shared_at), _iso(row.submitted_at), "Yes" if row.prices_edited else "No",
                                 row.sales_order, row.invoice_number, row.invoiced_on.isoformat() if row.invoiced_on else "",
                                 _money(row.invoice_amount), _money(row.paid_amount), _money(row.balance)])  # fmt: skip
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if len(raw) < 1000:
                return
            offset += 1000


def _iso(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


def choices(actor: Actor) -> dict[str, list[Choice]]:
    """Facilities, reps and surgeons for the filter drop-downs."""
    _require_manager(actor)
    with reading() as session:
        return {
            "facility": [Choice(i, n) for i, n in session.exec(select(Facility.id, Facility.name).order_by(Facility.name))],
            "rep": [Choice(i, n) for i, n in session.exec(select(User.id, User.name).where(User.role == "sales_rep").order_by(User.name))],
            "surgeon": [Choice(i, n) for i, n in session.exec(select(Surgeon.id, Surgeon.name).order_by(Surgeon.name))],
        }  # fmt: skip


@dataclass(frozen=True)
class Dashboard:
    by_status: list[tuple[str, int]]
    aging: list[tuple[str, int]]  # Closed cases by days since submitting, PO still missing
    monthly: list[dict]  # {"month": "2026-11", <facility>: billed total as float for the chart}
    facilities: list[str]


def dashboard(actor: Actor) -> Dashboard:
    _require_manager(actor)
    now = clock.now()
    with reading() as session:
        counts = dict(session.exec(select(Case.status, sa.func.count()).group_by(Case.status)).all())
        by_status = [(STATUS_LABELS[s], counts.get(s.value, 0)) for s in CaseStatus]
        ages = [(now - at).days for at in session.exec(
            select(Case.submitted_at).where(Case.status == CaseStatus.CLOSED.value, Case.submitted_at.is_not(None))).all()]  # fmt: skip
        aging = [(label, sum(1 for a in ages if a >= low and (high is None or a <= high))) for low, high, label in AGING_BUCKETS]
        billed = session.exec(
            select(Facility.name, Case.surgery_date, Case.billable_total).join(Facility, Facility.id == Case.facility_id)
            .where(Case.status.in_(BILLED))
        ).all()  # fmt: skip
    months: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for facility, day, total in billed:
        months[day.strftime("%Y-%m")][facility] += total
    facilities = sorted({f for f, _, _ in billed})
    monthly = [{"month": m, **{f: float(months[m].get(f, 0)) for f in facilities}} for m in sorted(months)]
    return Dashboard(by_status, aging, monthly, facilities)
