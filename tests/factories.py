"""Test data: fresh cases for one test, made directly in the database (setup, not
the code under test)."""

import itertools
import os
from datetime import timedelta

from sqlmodel import select

from closeout.domain import clock
from closeout.domain.pricing import default_price
from closeout.models import Case, DeviceLine, Facility, Product, User
from closeout.services.auth import DEMO_REP_EMAIL, SESSION_LIFETIME, Actor, token_hash
from closeout.services.catalog import contract_price
from closeout.services.db import transaction
from closeout.services.device_lines import billable_total
from tests.drawing import signature_data_url

_numbers = itertools.count(1)


def new_case_number() -> str:
    return f"CS-2026-{900000 + os.getpid() % 1000 * 100 + next(_numbers):06d}"


def actor_for_email(email: str) -> Actor:
    """The user with this email as an Actor (tests sign in without a password)."""
    with transaction() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        return Actor(user.id, user.name, user.email, user.role)


def new_session(actor: Actor) -> str:
    """A session token for `actor` without a password (tests and benchmarks only)."""
    import secrets

    from closeout.domain import clock
    from closeout.models import UserSession

    token = secrets.token_urlsafe(32)
    with transaction() as session:
        session.add(UserSession(user_id=actor.id, token_hash=token_hash(token), expires_at=clock.now() + SESSION_LIFETIME))
    return token


def demo_rep() -> Actor:
    return actor_for_email(DEMO_REP_EMAIL)


def new_case(
    lines: int = 3, rep_email: str = DEMO_REP_EMAIL, status: str = "open", facility: str = "St. Brigid Medical Center"
) -> str:
    """A case for `rep_email` with `lines` device lines priced as the service would."""
    number = new_case_number()
    with transaction() as session:
        rep = session.exec(select(User).where(User.email == rep_email)).one()
        fac = session.exec(select(Facility).where(Facility.name == facility)).one()
        case = Case(
            number=number,
            facility_id=fac.id,
            surgeon_id=1,
            procedure="Total knee arthroplasty",
            surgery_date=clock.today() - timedelta(days=1),
            patient_ref="PT-0001",
            rep_id=rep.id,
            status=status,
        )
        session.add(case)
        session.flush()
        catalog = session.exec(select(Product).order_by(Product.id)).all() if lines else []
        products = catalog[:: max(1, len(catalog) // lines)][:lines] if lines else []  # spread over makers
        for position, product in enumerate(products, start=1):
            price, source = default_price(product.list_price, contract_price(session, fac.id, product.id))
            session.add(
                DeviceLine(
                    case_id=case.id,
                    position=position,
                    product_id=product.id,
                    lot=f"LOT{position}",
                    expiry=clock.today() + timedelta(days=365),
                    unit_price=price,
                    price_source=source.value,
                    usage_status="Implanted",
                )
            )
        session.flush()
        case.billable_total = billable_total(session, case.id)  # as the services keep it
    return number


def product_with(contract: bool, facility: str = "St. Brigid Medical Center") -> Product:
    """A catalog product that has (or lacks) a contract price at the facility."""
    with transaction() as session:
        fac = session.exec(select(Facility).where(Facility.name == facility)).one()
        for product in session.exec(select(Product).order_by(Product.id)).all():
            if (contract_price(session, fac.id, product.id) is not None) == contract:
                session.expunge(product)
                return product
    raise LookupError("no such product in the demo catalog")


def rep_signs(number: str, actor: Actor | None = None, secret: str | None = None):
    """The Sales Rep signature, given by the rep's account with its password (the demo one)."""
    from closeout.seed import DEMO_PASSWORDS
    from closeout.services import signatures

    return signatures.sign(actor or demo_rep(), number, "sales_rep", png_data_url=signature_data_url(),
                           secret=secret or DEMO_PASSWORDS["sales_rep"])  # fmt: skip


def provider_signs(number: str, name: str = "RN Carla Mendes", title: str = "RN, circulating nurse",
                   role: str = "provider_rep", actor: Actor | None = None):  # fmt: skip
    """A provider's signature on the rep's screen: printed name and title."""
    from closeout.services import signatures

    return signatures.sign(actor or demo_rep(), number, role, name, signature_data_url(), title=title)


def attest_as_rep(number: str, role: str = "provider_rep", actor: Actor | None = None):
    """The rep attests that `role`'s signer is not available, confirmed with their password."""
    from closeout.seed import DEMO_PASSWORDS
    from closeout.services import signatures

    return signatures.attest(actor or demo_rep(), number, role, secret=DEMO_PASSWORDS["sales_rep"])


def sign_both(number: str) -> None:
    rep_signs(number)
    provider_signs(number)


def manager() -> Actor:
    return actor_for_email("morgan.lee@closeout.example")


def closed_case(days_ago: int = 0, lines: int = 2, facility: str = "St. Brigid Medical Center") -> str:
    """A case signed and submitted `days_ago` days ago: Closed, waiting for its PO."""
    import sqlalchemy as sa

    from closeout.domain import clock
    from closeout.services import billing

    number = new_case(lines=lines, facility=facility)
    sign_both(number)
    billing.submit_for_billing(demo_rep(), number)
    with transaction() as session:
        session.execute(sa.update(Case).where(Case.number == number).values(submitted_at=clock.now() - timedelta(days=days_ago)))
    return number


def hibc_primary_with_check(check: str) -> tuple[Product, str]:
    """A catalog product and a primary HIBC label of it (some unit of measure) whose check
    character is `check`: the same one on every run."""
    from closeout.domain.hibc import check_character
    from closeout.domain.scanning import catalog_code
    from closeout.models import Manufacturer
    from closeout.services.db import reading

    with reading() as session:
        rows = session.exec(
            select(Product, Manufacturer.hibc_lic).join(Manufacturer, Manufacturer.id == Product.manufacturer_id)
            .order_by(Product.id)
        ).all()  # fmt: skip
    for product, lic in rows:
        for unit in range(10):
            body = f"+{lic}{catalog_code(product.ref)}{unit}"
            if check_character(body) == check:
                return product, body + check
    raise LookupError(f"no primary label with check character {check!r} in the demo catalog")


def unique_suffix() -> str:
    return f"{os.getpid() % 10000:04d}-{next(_numbers):04d}"


def new_facility(
    name: str = "", billing: tuple[str, ...] = (), pattern: str = "", reps: tuple[str, ...] = (DEMO_REP_EMAIL,)
) -> tuple[int, str]:
    """An active facility (demo price list) with billing contacts in this order, covered by
    `reps`: (id, name)."""
    from closeout.models import FacilityContact, PriceList, UserFacility

    suffix = unique_suffix()
    name = name or f"Test Facility {suffix}"
    with transaction() as session:
        price_list = session.exec(select(PriceList).order_by(PriceList.id)).first()
        facility = Facility(name=name, address=f"1 Test Way\nTestville, OR 97{suffix[-3:]}", account_number=f"TF-{suffix}",
                            price_list_id=price_list.id, patient_ref_pattern=pattern)  # fmt: skip
        session.add(facility)
        session.flush()
        for position, email in enumerate(billing, start=1):
            session.add(FacilityContact(facility_id=facility.id, name=email.split("@")[0], email=email, is_billing=True,
                                        position=position))  # fmt: skip
        for rep in session.exec(select(User).where(User.email.in_(reps))).all():
            session.add(UserFacility(user_id=rep.id, facility_id=facility.id))
        return facility.id, name


def many_facilities(prefix: str, count: int) -> list[str]:
    """`count` facilities named "<prefix> 001"…, in one insert (setup for search and paging)."""
    import sqlalchemy as sa

    rows = [{"name": f"{prefix} {i:03d}", "address": f"{i} Main St\n{prefix} City {i:03d}, WA 98{i % 1000:03d}",
             "account_number": f"{prefix}-{i:04d}"[-40:], "time_zone": "America/Los_Angeles", "active": True,
             "patient_ref_pattern": ""} for i in range(1, count + 1)]  # fmt: skip
    with transaction() as session:
        session.execute(sa.insert(Facility), rows)
    return [r["name"] for r in rows]


def sign_in_tab(root, token: str) -> None:
    """Give an in-process state tree the session `token`, as the websocket's handshake would:
    the security middleware turns the HttpOnly cookie into a header holding its hash."""
    from reflex.istate.data import HeaderData

    from closeout.services.auth import SESSION_HEADER, token_hash

    root.rx_router_headers = HeaderData.from_router_data({"headers": {SESSION_HEADER: token_hash(token) if token else ""}})
