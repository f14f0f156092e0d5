"""The offline pack (GET /api/v1/offline/cases): a rep's Open cases of yesterday to tomorrow
(each facility's own date) and the ones the rep picked, with every line and its version, the
totals as the server computes them, the catalog priced for each case, and its signatures. No
patient identifier: the offline screen does not show one.

A handful of queries whatever the size: the cases, all their lines, one catalog per price list
and surgery date, the signatures, and a fingerprint per signed case (never one per line)."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from ..domain import clock
from ..domain.catalog import UsageStatus
from ..domain.errors import NotAllowed
from ..domain.lifecycle import CaseAction, CaseStatus, allows
from ..domain.offline_rules import client_rules
from ..domain.pricing import PricedLine, Totals, case_totals, default_price, extended_price
from ..domain.signing import SignerRole
from ..domain.sync import API_VERSION
from ..models import Case, DeviceLine, Facility, Manufacturer, Product, Signature, Surgeon
from .auth import Actor
from .catalog import contract_price_column
from .db import reading
from .line_prices import may_edit_prices
from .new_case import local_today
from .signed_content import fingerprint_of

PACK_LIFETIME = timedelta(days=1)  # the device drops a pack older than this
MAX_PICKED = 50
CENT = Decimal("0.01")
_ROLES = (SignerRole.PROVIDER, SignerRole.SALES_REP, SignerRole.PRE_AUTHORIZATION)


def money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _priced(line: DeviceLine, maker: str) -> PricedLine:
    return PricedLine(maker, line.quantity, line.unit_price, UsageStatus(line.usage_status), line.no_charge)


def line_json(line: DeviceLine, ref: str, description: str, maker: str, gtin: str | None) -> dict:
    """A line as the offline screen holds it, its extended price from domain/pricing.py."""
    return {
        "id": line.id, "position": line.position, "product_id": line.product_id, "ref": ref,
        "description": description, "manufacturer": maker, "gtin": gtin or "", "lot": line.lot,
        "serial": line.serial, "expiry": line.expiry.isoformat() if line.expiry else None,
        "quantity": line.quantity, "usage_status": line.usage_status, "no_charge": line.no_charge,
        "unit_price": money(line.unit_price), "price_source": line.price_source, "price_reason": line.price_reason,
        "version": line.version, "extended": money(extended_price(_priced(line, maker))),
        "scan_warning": line.scan_warning,
    }  # fmt: skip


def totals_json(totals: Totals) -> dict:
    return {"by_manufacturer": [[maker, money(amount)] for maker, amount in totals.by_manufacturer],
            "grand_total": money(totals.grand_total)}  # fmt: skip


def _line_rows(session: Session, case_ids: Iterable[int], line_id: int | None = None):
    query = (
        select(DeviceLine, Product.ref, Product.description, Manufacturer.name, Product.gtin)
        .join(Product, Product.id == DeviceLine.product_id)
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
        .where(DeviceLine.case_id.in_(list(case_ids)))
    )
    if line_id is not None:
        query = query.where(DeviceLine.id == line_id)
    return session.exec(query.order_by(DeviceLine.case_id, DeviceLine.position)).all()


def line_now(session: Session, case_id: int, line_id: int | None) -> dict | None:
    """One line as the server has it now (None once removed)."""
    rows = _line_rows(session, [case_id], line_id) if line_id is not None else []
    return line_json(*rows[0]) if rows else None


def catalog_for(session: Session, price_list_id: int | None, on: date) -> list[dict]:
    """Every product with the price a line added on day `on` gets (services/catalog.py: the
    list's contract price in force, else the list price), in one query."""
    rows = session.exec(
        select(Product.id, Product.ref, Product.description, Manufacturer.name, Product.gtin, Product.list_price,
               contract_price_column(price_list_id, on))
        .join(Manufacturer, Manufacturer.id == Product.manufacturer_id).order_by(Product.ref, Product.id)
    ).all()  # fmt: skip
    catalog = []
    for id_, ref, description, maker, gtin, list_price, contract in rows:
        price, source = default_price(list_price, contract)
        catalog.append({"product_id": id_, "ref": ref, "description": description, "manufacturer": maker,
                        "gtin": gtin or "", "unit_price": money(price), "price_source": source.value})  # fmt: skip
    return catalog


def _signatures(session: Session, cases: list[Case]) -> dict[int, dict]:
    """Each case's standing signatures by role: who signed, and whether it still matches."""
    rows = session.exec(
        select(Signature).where(Signature.case_id.in_([c.id for c in cases]), Signature.set_aside_at.is_(None))
        .order_by(Signature.signed_at)
    ).all()  # fmt: skip
    shown: dict[int, dict] = {c.id: {role.value: None for role in _ROLES} for c in cases}
    fingerprints = {case_id: fingerprint_of(session, case_id) for case_id in {s.case_id for s in rows}}
    for s in rows:
        shown[s.case_id][s.role] = {"signer_name": s.signer_name, "valid": s.fingerprint == fingerprints[s.case_id]}
    return shown


def cases_json(session: Session, actor: Actor, found: list[tuple[Case, Facility, str]], with_catalog: bool = True) -> list[dict]:
    """The cases as the offline screen holds them (with or without their catalogs)."""
    if not found:
        return []
    cases = [case for case, _, _ in found]
    lines: dict[int, list] = {case.id: [] for case in cases}
    for row in _line_rows(session, lines):
        lines[row[0].case_id].append(row)
    signatures, catalogs = _signatures(session, cases), {}
    shown = []
    for case, facility, surgeon in found:
        item = {
            "number": case.number, "status": case.status, "editable": allows(case.status, CaseAction.EDIT_DEVICES, actor.role),
            "facility": {"id": facility.id, "name": facility.name}, "surgeon": surgeon, "procedure": case.procedure,
            "surgery_date": case.surgery_date.isoformat(), "lines": [line_json(*row) for row in lines[case.id]],
            "totals": totals_json(case_totals(_priced(row[0], row[3]) for row in lines[case.id])),
            "signatures": signatures[case.id],
        }  # fmt: skip
        if with_catalog:
            key = (facility.price_list_id, case.surgery_date)
            if key not in catalogs:
                catalogs[key] = catalog_for(session, *key)
            item["catalog"] = catalogs[key]
        shown.append(item)
    return shown


def _found(session: Session, actor: Actor, *where) -> list[tuple[Case, Facility, str]]:
    return session.exec(
        select(Case, Facility, Surgeon.name).join(Facility, Facility.id == Case.facility_id)
        .join(Surgeon, Surgeon.id == Case.surgeon_id).where(Case.rep_id == actor.id, *where)
        .order_by(Case.surgery_date, Case.number)
    ).all()  # fmt: skip


def _picked(numbers: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(n.strip() for n in numbers if n.strip() and len(n.strip()) <= 40))[:MAX_PICKED]


def download(actor: Actor, picked: Iterable[str] = ()) -> dict:
    """The pack: the rep's Open cases of yesterday, today and tomorrow where each is operated,
    plus the picked ones that are the rep's own and Open (the rest listed as refused)."""
    if actor.is_manager:
        raise NotAllowed("Managers don't close cases in the OR: offline cases are for sales reps.")
    picked, today = _picked(picked), clock.today()
    with reading() as session:
        open_now = Case.status == CaseStatus.OPEN.value
        near = _found(session, actor, open_now, Case.surgery_date.between(today - timedelta(days=2), today + timedelta(days=2)))
        near = [row for row in near if abs((row[0].surgery_date - local_today(row[1])).days) <= 1]
        chosen = _found(session, actor, open_now, Case.number.in_(picked)) if picked else []
        found = list({row[0].id: row for row in [*near, *chosen]}.values())
        got = {row[0].number for row in chosen}
        now = clock.now()
        return {
            "api": API_VERSION,
            "user": {"id": actor.id, "name": actor.name, "may_edit_prices": may_edit_prices(session, actor)},
            "downloaded_at": now.isoformat(), "expires_at": (now + PACK_LIFETIME).isoformat(),
            "refused": [n for n in picked if n not in got],
            "rules": client_rules(),  # the limits and words the screen checks with (domain/offline_rules.py)
            "cases": cases_json(session, actor, sorted(found, key=lambda r: (r[0].surgery_date, r[0].number))),
        }  # fmt: skip


def fresh_cases(session: Session, actor: Actor, numbers: Iterable[str]) -> dict[str, dict]:
    """The named cases the actor may see, as in the pack but without the catalog (after a sync)."""
    wanted = list(dict.fromkeys(numbers))
    if not wanted:
        return {}
    found = _found(session, actor, Case.number.in_(wanted))
    return {item["number"]: item for item in cases_json(session, actor, found, with_catalog=False)}
