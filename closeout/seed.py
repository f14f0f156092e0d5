"""Demo data, loaded only into an empty database: `python -m closeout.seed`; with
CLOSEOUT_DEMO_DATA=off it loads nothing (going live).

Deterministic (fixed random seed) so demos and tests see the same catalog.
"""

import io
import random
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from biip.checksums import gs1_standard_check_digit
from PIL import Image, ImageDraw
from sqlmodel import Session, func, select

from . import settings
from .domain import clock
from .domain.catalog import UsageStatus
from .domain.lifecycle import CaseStatus
from .domain.price_edits import PRICE_REASONS
from .domain.pricing import default_price
from .domain.signing import MEANINGS, SignatureKind, SignerRole
from .models import (
    AuditEvent,
    Case,
    DeviceLine,
    Facility,
    FacilityContact,
    FacilitySurgeon,
    Manufacturer,
    PriceList,
    PriceListItem,
    Product,
    PurchaseOrder,
    Signature,
    Surgeon,
    User,
    UserFacility,
)
from .seed_inventory import load_demo_inventory
from .services.auth import DEMO_REP_EMAIL, hash_password
from .services.device_lines import billable_total
from .services.signatures import fingerprint_of

BIG_CASE_NUMBER = "CS-2026-001500"
BIG_CASE_LINES = 1500

USERS = [
    (
        "Dana Reyes",
        DEMO_REP_EMAIL,
        "sales_rep",
        "Dana Reyes\nCloseout Field Office\n2200 NW Front Ave, Unit 4\nPortland, OR 97209",
    ),
    ("Sam Okafor", "sam.okafor@closeout.example", "sales_rep", "Sam Okafor\n515 Pine St, Apt 12\nSeattle, WA 98101"),
    ("Morgan Lee", "morgan.lee@closeout.example", "manager", ""),
]
DEMO_PASSWORDS = {"sales_rep": "closeout-rep-demo", "manager": "closeout-manager-demo"}  # listed in the README
PRICE_EDITORS = {DEMO_REP_EMAIL}  # demo reps a manager has allowed to edit prices (Sam has no such grant)
# Demo cases (by their place in the seed) with line 1's price edited by hand: (factor, reason).
DEMO_PRICE_EDITS = {3: ("0.90", PRICE_REASONS[1]), 6: ("0.85", PRICE_REASONS[2]), 7: ("1.05", PRICE_REASONS[0])}
PROVIDERS = ["RN Carla Mendes", "Dr. Paul Ames", "RN Jo Whitaker", "Surgical Tech Lee Park"]
PROVIDER_TITLES = {"RN Carla Mendes": "RN, circulating nurse", "Dr. Paul Ames": "MD, anesthesiologist",
                   "RN Jo Whitaker": "RN, OR charge nurse", "Surgical Tech Lee Park": "Certified surgical technologist"}  # fmt: skip
FACILITIES = [
    (
        "St. Brigid Medical Center",
        "400 Harbor Way\nBilling Dept., Suite 210\nPortland, OR 97201",
        "SBMC-10442",
        "Premier GPO 2026",
        [
            ("Alicia Gomez", "ap.ortho@stbrigid.example", "billing", 1),
            ("Accounts Payable", "payables@stbrigid.example", "billing", 2),
            ("Ray Chen", "rchen@stbrigid.example", "purchasing", 1),
            ("OR Front Desk", "or.desk@stbrigid.example", "or", 1),
        ],
    ),
    (
        "Cascade Surgery Center",
        "1180 Cedar Street\nEugene, OR 97401",
        "CSC-20871",
        "Premier GPO 2026",
        [
            ("Priya Natarajan", "billing@cascadesurgery.example", "billing", 1),
            ("Tom Becker", "tbecker@cascadesurgery.example", "purchasing", 1),
            ("Charge Nurse", "charge.rn@cascadesurgery.example", "or", 1),
        ],
    ),
    (
        "Lakeside Regional Hospital",
        "77 Shoreline Drive\nAttn: Supply Chain Billing\nSeattle, WA 98109",
        "LRH-30215",
        "Lakeside Direct 2026",
        [
            ("Jordan Ellis", "implant.billing@lakeside.example", "billing", 1),
            ("Sofia Marsh", "smarsh@lakeside.example", "purchasing", 1),
            ("Ortho OR Coordinator", "ortho.or@lakeside.example", "or", 1),
        ],
    ),
]
SURGEONS = [
    ("Dr. Helen Park", "Orthopedics"),
    ("Dr. Marcus Webb", "Spine"),
    ("Dr. Aisha Karim", "Orthopedics"),
    ("Dr. Luis Ortega", "Trauma"),
    ("Dr. Naomi Fischer", "Spine"),
    ("Dr. Owen Patel", "Sports Medicine"),
    ("Dr. Grace Liu", "Orthopedics"),
    ("Dr. Victor Hale", "Neurosurgery"),
    ("Dr. Irene Novak", "Trauma"),
    ("Dr. Samuel Brooks", "Foot & Ankle"),
]
MAKERS = [
    (
        "Meridian Orthopedics",
        "MO",
        "0614141",
        "M614",  # HIBC labeler code
        [
            "Femoral Component",
            "Tibial Baseplate",
            "Tibial Insert",
            "Patella Button",
            "Acetabular Shell",
            "Femoral Head",
            "Femoral Stem",
            "Bone Cement 40 g",
        ],
    ),
    (
        "Apex Spine Systems",
        "AS",
        "0729384",
        "A729",  # HIBC labeler code
        [
            "Pedicle Screw",
            "Rod, Titanium",
            "Set Screw",
            "Interbody Cage PEEK",
            "Cross Connector",
            "Bone Graft Substitute 5 cc",
            "Cervical Plate",
        ],
    ),
    (
        "Corva Medical",
        "CV",
        "0850013",
        "C850",  # HIBC labeler code
        [
            "Locking Plate",
            "Cortical Screw",
            "Cancellous Screw",
            "Intramedullary Nail",
            "Suture Anchor",
            "Drill Bit (single use)",
            "K-Wire Pack",
        ],
    ),
]
PROCEDURES = [
    "Total knee arthroplasty",
    "Total hip arthroplasty",
    "Lumbar fusion L4-L5",
    "ACDF C5-C6",
    "ORIF distal radius",
    "Rotator cuff repair",
    "Tibial IM nailing",
    "Ankle fracture ORIF",
]


def _gtin(prefix: str, item: int) -> str:
    payload = f"0{prefix}{item:05d}"
    return payload + str(gs1_standard_check_digit(payload))


def _products(session: Session, rng: random.Random) -> list[Product]:
    products = []
    for name, code, prefix, lic, families in MAKERS:
        maker = Manufacturer(name=name, hibc_lic=lic)
        session.add(maker)
        session.flush()
        item = 100
        for family_no, family in enumerate(families):
            for size in range(1, 10 if len(families) < 8 else 9):
                item += 1
                base = Decimal(rng.randrange(4_500, 420_000)) / 100
                products.append(
                    Product(
                        ref=f"{code}-{family_no + 1:02d}{size:02d}-{rng.randrange(10, 99)}",
                        description=f"{family}, size {size}",
                        manufacturer_id=maker.id,
                        gtin=_gtin(prefix, item),
                        list_price=base.quantize(Decimal("0.01")),
                        single_use=True,
                    )
                )
    session.add_all(products)
    session.flush()
    return products


def _price_lists(session: Session, rng: random.Random, products: list[Product]) -> dict[str, PriceList]:
    lists = {}
    for name in sorted({f[3] for f in FACILITIES}):
        plist = PriceList(name=name)
        session.add(plist)
        session.flush()
        lists[name] = plist
        for product in products:
            if rng.random() < 0.6:  # a contract for part of the catalog
                discount = Decimal(rng.randrange(70, 95)) / 100
                price = (product.list_price * discount).quantize(Decimal("0.01"))
                session.add(PriceListItem(price_list_id=plist.id, product_id=product.id, price=price))
    session.flush()
    return lists


def _directory(session: Session, lists: dict[str, PriceList]) -> list[Facility]:
    facilities = []
    for name, address, account, list_name, contacts in FACILITIES:
        facility = Facility(name=name, address=address, account_number=account, price_list_id=lists[list_name].id)
        session.add(facility)
        session.flush()
        for contact_name, email, role, position in contacts:
            session.add(FacilityContact(facility_id=facility.id, name=contact_name, email=email, position=position,
                                        is_billing=role == "billing", is_purchasing=role == "purchasing", is_or=role == "or"))  # fmt: skip
        facilities.append(facility)
    return facilities


def _surgeons_at_facilities(session: Session) -> None:
    """Every surgeon on a facility's demo cases operates there (the Directory's surgeons)."""
    pairs = session.exec(select(Case.facility_id, Case.surgeon_id).distinct()).all()
    session.add_all(FacilitySurgeon(facility_id=f, surgeon_id=s) for f, s in pairs)


def _add_lines(session: Session, rng: random.Random, case: Case, products: list[Product], count: int) -> None:
    contracts = dict(
        session.exec(
            select(PriceListItem.product_id, PriceListItem.price)
            .join(Facility, Facility.price_list_id == PriceListItem.price_list_id)
            .where(Facility.id == case.facility_id)
        ).all()
    )
    statuses = [UsageStatus.IMPLANTED] * 6 + [UsageStatus.USED] * 2 + [UsageStatus.WASTED, UsageStatus.UNUSED]
    lines = []
    for position in range(1, count + 1):
        product = rng.choice(products)
        price, source = default_price(product.list_price, contracts.get(product.id))
        expiry = case.surgery_date + timedelta(days=rng.randrange(90, 1500))
        lines.append(
            DeviceLine(
                case_id=case.id,
                position=position,
                product_id=product.id,
                lot=f"L{rng.randrange(100000, 999999)}",
                serial=f"SN{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else "",
                expiry=expiry,
                quantity=rng.choice([1, 1, 1, 2, 4]),
                usage_status=rng.choice(statuses).value,
                unit_price=price,
                price_source=source.value,
                no_charge=rng.random() < 0.05,
            )
        )
    session.add_all(lines)


def _edit_first_price(session: Session, case: Case, factor: str, reason: str) -> None:
    """Line 1 priced by hand, as a rep allowed to edit prices would (no random draw: the rest
    of the demo data stays as it was)."""
    line = session.exec(select(DeviceLine).where(DeviceLine.case_id == case.id, DeviceLine.position == 1)).one()
    line.catalog_price, line.price_reason, line.price_source = line.unit_price, reason, "edited"
    line.unit_price = (line.unit_price * Decimal(factor)).quantize(Decimal("0.01"))
    case.prices_edited = True
    session.add_all([line, case])
    session.flush()


def _signature_png(rng: random.Random) -> bytes:
    """A scribbled signature on white, as a signer's finger would leave it."""
    image = Image.new("RGB", (480, 150), "white")
    pen = ImageDraw.Draw(image)
    x, points = 30.0, []
    while x < 440:
        points.append((x, 75 + rng.uniform(-38, 38)))
        x += rng.uniform(8, 22)
    pen.line(points, fill=(20, 30, 80), width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _close(session: Session, rng: random.Random, case: Case, rep: User, completed: bool) -> None:
    """Sign, submit and (when completed) enter the PO, as the rep would have."""
    fingerprint = fingerprint_of(session, case.id)
    signed_at = datetime.combine(case.surgery_date, time(15, 30), UTC)
    zone = session.get(Facility, case.facility_id).time_zone
    for role, name in ((SignerRole.SALES_REP, rep.name), (SignerRole.PROVIDER, rng.choice(PROVIDERS))):
        by_rep = role is SignerRole.SALES_REP  # the rep's own account, confirmed with the password
        session.add(Signature(case_id=case.id, role=role.value, kind=SignatureKind.DRAWN.value, signer_name=name,
                              meaning=MEANINGS[role], signed_at=signed_at, image=_signature_png(rng),
                              fingerprint=fingerprint, captured_by_id=rep.id, title=PROVIDER_TITLES.get(name, ""),
                              signed_by_id=rep.id if by_rep else None, secret_method="password" if by_rep else "",
                              time_zone=zone))  # fmt: skip
    case.status, case.submitted_at, case.submitted_by_id = CaseStatus.CLOSED.value, signed_at, rep.id
    if completed:
        session.add(PurchaseOrder(case_id=case.id, number=f"PO-{rng.randrange(100000, 999999)}",
                                  entered_at=signed_at + timedelta(days=3), entered_by_id=rep.id))  # fmt: skip
        case.status, case.completed_at = CaseStatus.COMPLETED.value, signed_at + timedelta(days=3)
    session.add(case)


def _cases(
    session: Session,
    rng: random.Random,
    users: list[User],
    facilities: list[Facility],
    surgeons: list[Surgeon],
    products: list[Product],
) -> None:
    reps = [u for u in users if u.role == "sales_rep"]
    today = clock.today()
    specs = [(f"CS-2026-{101 + i:06d}", reps[0] if i % 4 else reps[1], rng.randrange(2, 12)) for i in range(39)]
    specs.append((BIG_CASE_NUMBER, reps[0], BIG_CASE_LINES))
    for i, (number, rep, line_count) in enumerate(specs):
        case = Case(
            number=number,
            facility_id=facilities[i % len(facilities)].id,
            surgeon_id=rng.choice(surgeons).id,
            procedure=rng.choice(PROCEDURES),
            surgery_date=today - timedelta(days=(39 - i) * 2 % 75),
            patient_ref=f"PT-{rng.randrange(1000, 9999)}",
            rep_id=rep.id,
        )
        session.add(case)
        session.flush()
        _add_lines(session, rng, case, products, line_count)
        session.flush()
        if i in DEMO_PRICE_EDITS:
            _edit_first_price(session, case, *DEMO_PRICE_EDITS[i])
        case.billable_total = billable_total(session, case.id)
        session.add(
            AuditEvent(
                case_id=case.id,
                user_id=rep.id,
                action="case created",
                entity="case",
                entity_id=case.id,
                summary=f"Case {number} created with {line_count} device lines",
                at=clock.now(),
            )
        )
        if number != BIG_CASE_NUMBER and i % 5 in (1, 2):  # a share of the cases already closed out
            session.flush()
            _close(session, rng, case, rep, completed=i % 5 == 1)


def _coverage(session: Session) -> None:
    """Each demo rep covers the facilities of their demo cases (managers need no coverage)."""
    pairs = session.exec(select(Case.rep_id, Case.facility_id).distinct()).all()
    session.add_all([UserFacility(user_id=rep_id, facility_id=facility_id) for rep_id, facility_id in pairs])


def load_demo_data(session: Session) -> bool:
    """Fill an empty database; returns False (and changes nothing) if it has users."""
    if session.exec(select(func.count()).select_from(User)).one():
        return False
    rng = random.Random(20261127)
    users = [User(name=n, email=e, role=r, ship_to_address=a, password_hash=hash_password(DEMO_PASSWORDS[r]),
                  may_edit_prices=e in PRICE_EDITORS) for n, e, r, a in USERS]  # fmt: skip
    surgeons = [Surgeon(name=n, specialty=s) for n, s in SURGEONS]
    session.add_all(users + surgeons)
    session.flush()
    products = _products(session, rng)
    facilities = _directory(session, _price_lists(session, rng, products))
    _cases(session, rng, users, facilities, surgeons, products)
    session.flush()
    _surgeons_at_facilities(session)
    _coverage(session)
    load_demo_inventory(session)  # after everything else: the demo cases stay as they were
    session.commit()
    return True


DEMO_DATA_OFF = (
    "CLOSEOUT_DEMO_DATA is off: no demo data loaded. Create the first manager with "
    "`python -m closeout.admin create-manager --email … --name …`."
)


def main() -> None:
    import reflex as rx

    if not settings.demo_data_on():
        print(DEMO_DATA_OFF)
        return
    with rx.session() as session:
        loaded = load_demo_data(session)
    print("Demo data loaded." if loaded else "Database already has data; demo data not loaded.")


if __name__ == "__main__":
    main()
