"""Database tables (SQLModel); `reflex db makemigrations` turns changes into migrations.

Money columns are `Money` (exact cents), times are `UTCDateTime` (aware UTC).
Enumerated values are stored as short strings; their meaning lives in domain/.
"""

from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from .db_types import Money, UTCDateTime
from .domain import clock


class User(SQLModel, table=True):
    """A person who signs in: a sales rep or a manager."""

    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    email: str = Field(max_length=254, unique=True)
    role: str = Field(max_length=20, default="sales_rep")  # sales_rep | manager
    ship_to_address: str = Field(max_length=400, default="")  # a rep's default ship-to for replenishment
    password_hash: str = Field(max_length=200, default="")  # argon2id; empty: cannot sign in
    active: bool = Field(default=True)  # deactivated: cannot sign in; their cases stay
    signing_pin_hash: str = Field(max_length=200, default="")  # argon2id of the signing PIN; empty: none set
    signing_pin_failures: int = 0  # wrong PINs in a row; at the limit the PIN is turned off
    may_edit_prices: bool = Field(default=False)  # a manager's grant: unit prices away from the contract price


class SignInThrottle(SQLModel, table=True):
    """Failed sign-ins counted per key ("account:<email>", "client:<address>", or both): each
    failure past a few makes the next try wait longer. Kept for any email typed, real or not,
    so the answer never tells which addresses have accounts."""

    __tablename__ = "sign_in_throttle"

    key: str = Field(primary_key=True, max_length=400)
    failures: int = 0
    last_failure_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    blocked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the token's hash is stored; it expires, or is revoked on sign-out."""

    __tablename__ = "user_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set while the row is a one-time sign-in code, not yet a session: the page hands the code to
    # /auth/session, which sets the HttpOnly cookie (auth.exchange_handover). Never a session.
    handover_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UserFacility(SQLModel, table=True):
    """A facility a sales rep covers (creates cases for). Coverage does not apply to managers."""

    __tablename__ = "user_facility"

    user_id: int = Field(foreign_key="app_user.id", primary_key=True)
    facility_id: int = Field(foreign_key="facility.id", primary_key=True, index=True)


class Invitation(SQLModel, table=True):
    """A one-time link to set one's own password (a new account, or a reset); only its hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    kind: str = Field(max_length=10, default="invite")  # invite | reset
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # replaced, or its user deactivated


class PriceList(SQLModel, table=True):
    """A contract price list; several facilities can share one."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)


class Facility(SQLModel, table=True):
    """A hospital or surgery center that buys the devices. Deactivated, not deleted: it is no
    longer offered for new cases, and its cases stay."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=160, index=True)
    address: str = Field(max_length=400)  # bill-to address, lines separated by newlines
    account_number: str = Field(max_length=40, unique=True)
    price_list_id: int | None = Field(default=None, foreign_key="pricelist.id")
    time_zone: str = Field(max_length=64, default="America/Los_Angeles")  # IANA name
    active: bool = True
    patient_ref_pattern: str = Field(max_length=200, default="")  # regular expression; "" = none
    # What Submit for Billing needs at this facility beyond every facility's rule (domain/readiness.py).
    requires_case_number: bool = False
    requires_patient_ref: bool = False
    requires_procedure: bool = False
    requires_surgery_time: bool = False
    implants_need_lot: bool = False
    implants_need_serial: bool = False
    implants_need_expiry: bool = False
    # PO reminders (services/reminders.py): on or off, every how many days, to whom, and the text.
    po_reminders_on: bool = True
    po_reminder_days: int = 7
    po_reminder_recipients: str = Field(max_length=20, default="billing")  # billing | purchasing | both
    po_reminder_text: str = Field(max_length=2000, default="")  # "" = the standard text (domain/reminder_text.py)


class FacilityContact(SQLModel, table=True):
    """A Directory entry with its roles; the active billing contact with the lowest position
    is the first (what Share prefills, where PO reminders go)."""

    id: int | None = Field(default=None, primary_key=True)
    facility_id: int = Field(foreign_key="facility.id", index=True)
    name: str = Field(max_length=120)
    email: str = Field(max_length=254)
    phone: str = Field(max_length=40, default="")
    is_billing: bool = False
    is_purchasing: bool = False
    is_or: bool = False
    active: bool = True
    position: int = Field(default=0)  # order among the facility's billing contacts


class Surgeon(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, index=True)
    specialty: str = Field(max_length=80, default="")


class FacilitySurgeon(SQLModel, table=True):
    """A surgeon operates at several facilities; removing one from a facility deactivates the link."""

    __tablename__ = "facility_surgeon"

    facility_id: int = Field(foreign_key="facility.id", primary_key=True)
    surgeon_id: int = Field(foreign_key="surgeon.id", primary_key=True, index=True)
    active: bool = True


class Manufacturer(SQLModel, table=True):
    """One row per maker: its name in any letter case, and its HIBC labeler code when it has
    one, belong to no other (the database holds it even when two managers add at once)."""

    __table_args__ = (
        sa.Index("uq_manufacturer_hibc_lic", "hibc_lic", unique=True,
                 sqlite_where=sa.text("hibc_lic <> ''"), postgresql_where=sa.text("hibc_lic <> ''")),
        sa.Index("uq_manufacturer_lower_name", sa.text("lower(name)"), unique=True),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    hibc_lic: str = Field(max_length=4, default="", index=True)  # HIBC labeler identification code


class Product(SQLModel, table=True):
    """A catalog item: REF (catalog number), GTIN and list price."""

    __table_args__ = (sa.UniqueConstraint("manufacturer_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    ref: str = Field(max_length=40, index=True)
    description: str = Field(max_length=200)
    manufacturer_id: int = Field(foreign_key="manufacturer.id", index=True)
    gtin: str | None = Field(default=None, max_length=14, unique=True)  # GTIN-14; None: HIBC-labelled only
    list_price: Decimal = Field(sa_type=Money)
    single_use: bool = Field(default=True)


class PriceListItem(SQLModel, table=True):
    """A contract price for one product on one price list, in force from `effective_from`
    to `effective_to` (both days included; None: until further notice). A product's
    ranges on one list never overlap (the import checks it)."""

    __table_args__ = (sa.UniqueConstraint("price_list_id", "product_id", "effective_from"),)

    id: int | None = Field(default=None, primary_key=True)
    price_list_id: int = Field(foreign_key="pricelist.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    price: Decimal = Field(sa_type=Money)
    effective_from: date = Field(default=date(2000, 1, 1))
    effective_to: date | None = None


class ImportJob(SQLModel, table=True):
    """A catalog or price list CSV being previewed or committed in the background: the page
    reads its progress from here, so a manager can leave and come back (or look from
    another worker). The file is kept until the job is done or has failed."""

    __tablename__ = "import_job"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)  # products | prices
    status: str = Field(max_length=20, default="previewing")  # previewing | previewed | committing | done | failed
    filename: str = Field(max_length=200)
    content: bytes = Field(sa_type=sa.LargeBinary)  # the CSV as uploaded (size-capped); emptied once done or failed
    size: int = 0
    total_rows: int = 0
    done_rows: int = 0
    summary: dict | None = Field(default=None, sa_type=sa.JSON)  # counts, as the preview or commit found them
    errors: list | None = Field(default=None, sa_type=sa.JSON)  # the first row errors: [row, message]
    error_count: int = 0
    message: str = Field(max_length=500, default="")  # why it failed
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)  # progress heartbeat
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Case(SQLModel, table=True):
    """A surgical case (the seed also says Event) whose devices are billed together."""

    __tablename__ = "surgical_case"  # "case" is an SQL keyword

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=20, unique=True)  # CS-2026-000123
    facility_id: int = Field(foreign_key="facility.id", index=True)
    surgeon_id: int = Field(foreign_key="surgeon.id", index=True)
    procedure: str = Field(max_length=160)
    surgery_date: date = Field(index=True)
    patient_ref: str = Field(max_length=20)  # minimal identifier, never a name
    rep_id: int = Field(foreign_key="app_user.id", index=True)
    status: str = Field(max_length=20, default="open", index=True)
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    replenishment_requested: bool = False
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Kept current in the same transaction as the change, so the console can filter and sort
    # 100,000 cases without summing 1.5 million lines.
    billable_total: Decimal = Field(default=Decimal("0.00"), sa_type=Money)
    last_shared_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    surgery_time: time | None = None  # the facility's local time
    facility_case_number: str = Field(max_length=40, default="")  # the facility's own number, optional
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    cancel_reason: str = Field(max_length=300, default="")
    # True while any line's price was typed by hand (kept current with the lines, as billable_total).
    prices_edited: bool = False
    # Getting paid (issue 15), kept with the rows they summarise, in the same transaction:
    revision: int = 0  # 0: the original sales order; n: SO-…-Rn after n corrections
    invoiced_on: date | None = None  # the current invoice's date
    invoice_amount: Decimal | None = Field(default=None, sa_type=Money)  # the current invoice's amount
    paid_amount: Decimal = Field(default=Decimal("0.00"), sa_type=Money)  # every payment received
    paid_on: date | None = None  # the date of the payment that made the case Paid
    po_reminders_paused_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    po_reminders_pause_reason: str = Field(max_length=200, default="")
    po_reminders_paused_by_id: int | None = Field(default=None, foreign_key="app_user.id")

    __table_args__ = (
        sa.Index("ix_case_status_surgery_date", "status", "surgery_date"),
        sa.Index("ix_case_status_submitted_at", "status", "submitted_at"),
        sa.Index("ix_case_facility_status_submitted", "facility_id", "status", "submitted_at"),
        sa.Index("ix_case_rep_status_surgery_date", "rep_id", "status", "surgery_date"),
        sa.Index("ix_case_shared_status", "last_shared_at", "status"),
        sa.Index("ix_case_prices_edited_status_date", "prices_edited", "status", "surgery_date"),
    )


class CaseNumberCounter(SQLModel, table=True):
    """The last case number given out in a year: incremented in the creating transaction, so
    two screens creating at once get different numbers (a row lock on PostgreSQL, the write
    lock on SQLite)."""

    __tablename__ = "case_number_counter"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = 0


class DeviceLine(SQLModel, table=True):
    """One device used in a case, with its label data and price."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    position: int
    product_id: int = Field(foreign_key="product.id")
    lot: str = Field(max_length=40, default="", index=True)
    serial: str = Field(max_length=40, default="", index=True)
    expiry: date | None = None
    quantity: int = 1
    usage_status: str = Field(max_length=20, default="Used")
    unit_price: Decimal = Field(sa_type=Money)
    price_source: str = Field(max_length=20)  # contract | list | edited
    price_reason: str = Field(max_length=120, default="")  # why an edited price differs (domain/price_edits.py)
    catalog_price: Decimal | None = Field(default=None, sa_type=Money)  # the price in force an edited price departs from
    no_charge: bool = False
    note: str = Field(max_length=500, default="")
    scan_warning: str = Field(max_length=200, default="")  # what the rep should check after a scan
    version: int = 1  # bumped by every edit: two screens cannot silently overwrite each other
    hibc_link: str = Field(max_length=1, default="")  # check character of the HIBC primary label scanned
    # Where the device came from (services/inventory/consumption.py); None: not from inventory (bill-only).
    stock_location_id: int | None = Field(default=None, foreign_key="stock_location.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)


class AuditEvent(SQLModel, table=True):
    """Who did what to which case, when, with the values before and after."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="surgical_case.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="app_user.id")  # None: Closeout itself (a scheduled job)
    at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: int | None = None
    summary: str = Field(max_length=300)
    # Someone without an account who acted (a provider signing through a one-time link):
    # shown as the actor instead of the user.
    actor_name: str = Field(max_length=160, default="")
    before: dict | None = Field(default=None, sa_type=sa.JSON)
    after: dict | None = Field(default=None, sa_type=sa.JSON)


class Signature(SQLModel, table=True):
    """A drawn signature or a typed attestation, bound to the content it vouched for.
    A signature is never deleted: reopening or re-signing sets it aside."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    role: str = Field(max_length=20)  # pre_authorization | sales_rep | provider_rep
    kind: str = Field(max_length=20)  # drawn | attestation
    signer_name: str = Field(max_length=120)  # the Sales Rep's and an attestation's: the account's name
    title: str = Field(max_length=80, default="")  # a provider's, as given: "RN, circulating nurse"
    meaning: str = Field(max_length=160)
    signed_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    image: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    fingerprint: str = Field(max_length=64)
    via: str = Field(max_length=20, default="this device")  # this device | signing link
    captured_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    set_aside_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    set_aside_reason: str = Field(max_length=200, default="")
    # Bound to a person (21 CFR Part 11 §11.70, §11.200): the account that signed or attested,
    # with the secret it confirmed; or the one-time link and the screen a provider signed on.
    signed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    secret_method: str = Field(max_length=10, default="")  # password | pin | "" (a provider)
    link_id: int | None = Field(default=None, foreign_key="signinglink.id")
    screen: str = Field(max_length=200, default="")  # user agent summary · client address
    time_zone: str = Field(max_length=64, default="")  # the facility's, when signed (IANA name)
    lines: list | None = Field(default=None, sa_type=sa.JSON)  # a pre-authorization's lines, to tell changes since


class SigningLink(SQLModel, table=True):
    """A one-time link for the provider to sign on another screen; only the hash is kept."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    role: str = Field(max_length=20, default="provider_rep")  # the signer the link is for
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # closed, replaced or signed out


class PoLink(SQLModel, table=True):
    """A link for the facility's buyer to enter the PO of one sales order (revision) without
    an account: only the token's SHA-256 is stored; the token is in the email or on the PDF."""

    __tablename__ = "po_link"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    revision: int = 0  # the sales order revision it was issued for
    token_hash: str = Field(max_length=64, unique=True)
    purpose: str = Field(max_length=300, default="")  # "emailed to …", "PO reminder to …", "downloaded"
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")  # None: the reminder job
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)  # the POs were entered through it
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    revoked_reason: str = Field(max_length=100, default="")  # revoked | case reopened | POs entered


class PoDocument(SQLModel, table=True):
    """The buyer's own PO document (a PDF), attached when entering the PO through the link."""

    __tablename__ = "po_document"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    filename: str = Field(max_length=120)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int = 0
    uploaded_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    uploaded_by: str = Field(max_length=254)  # the buyer's email, as they gave it
    link_id: int | None = Field(default=None, foreign_key="po_link.id")


class PoDraftDocument(SQLModel, table=True):
    """A PO document the buyer attached and has not submitted yet: kept here, never in the
    tab's state (which outlives the tab by an hour and may live in Redis). At most one per
    link (a new one replaces it); dropped on submit, when its tab goes, or when it expires
    (the job prunes it). The tab holds only the SHA-256 of its random key."""

    __tablename__ = "po_draft_document"

    id: int | None = Field(default=None, primary_key=True)
    link_id: int = Field(foreign_key="po_link.id", unique=True)
    key_hash: str = Field(max_length=64, unique=True)
    filename: str = Field(max_length=120)
    content: bytes = Field(sa_type=sa.LargeBinary)
    size: int = 0
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class PurchaseOrder(SQLModel, table=True):
    """A PO number for the whole case (manufacturer_id None) or for one manufacturer's lines."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    manufacturer_id: int | None = Field(default=None, foreign_key="manufacturer.id")
    number: str = Field(max_length=40, index=True)
    entered_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    entered_by_id: int | None = Field(default=None, foreign_key="app_user.id")  # None: the buyer, by link
    entered_by_email: str = Field(max_length=254, default="")  # the buyer's, when entered through a link
    link_id: int | None = Field(default=None, foreign_key="po_link.id")
    document_id: int | None = Field(default=None, foreign_key="po_document.id")


class ReplenishmentRequest(SQLModel, table=True):
    """Restock what a case used: requested by the rep, fulfilled by a manager."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    status: str = Field(max_length=20, default="requested", index=True)
    ship_to: str = Field(max_length=400)
    needed_by: date
    notes: str = Field(max_length=500, default="")
    requested_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    requested_by_id: int = Field(foreign_key="app_user.id")
    fulfilled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    fulfilled_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class ReplenishmentItem(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="replenishmentrequest.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: int


class Share(SQLModel, table=True):
    """One time the sales order left Closeout: emailed, downloaded or printed. The PDF as
    shared is kept, with the fingerprint of the content it showed."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    kind: str = Field(max_length=20)  # email | download | print
    recipients: str = Field(max_length=2000, default="")
    subject: str = Field(max_length=200, default="")
    delivery: str = Field(max_length=40)  # sent | saved to outbox | downloaded | printed
    shared_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    shared_by_id: int = Field(foreign_key="app_user.id")
    document_fingerprint: str = Field(max_length=64)
    draft_id: str | None = Field(default=None, max_length=40, unique=True)  # one send per draft
    filename: str = Field(max_length=80)
    pdf: bytes = Field(sa_type=sa.LargeBinary)


class PoReminder(SQLModel, table=True):
    """A reminder sent to the facility's billing contact that a case still lacks its PO."""

    __tablename__ = "po_reminder"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    sent_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    sent_by_id: int | None = Field(default=None, foreign_key="app_user.id")  # None: the scheduled job
    recipient: str = Field(max_length=2000)  # one or more addresses, comma-separated
    delivery: str = Field(max_length=40)
    status: str = Field(max_length=10, default="sent")  # sent | failed (retried on the next run, never counted as sent)
    error: str = Field(max_length=300, default="")  # why it failed, for people (no personal values)


class Invoice(SQLModel, table=True):
    """An invoice for a Completed case (managers). A correction credits it (credited_at) and
    the corrected revision is invoiced anew."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    revision: int = 0  # the sales order revision invoiced
    number: str = Field(max_length=40, index=True)
    invoice_date: date
    amount: Decimal = Field(sa_type=Money)
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    credited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    credit_reason: str = Field(max_length=200, default="")


class Payment(SQLModel, table=True):
    """Money received for a case; several may add up to the invoice amount (or not)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    paid_on: date
    amount: Decimal = Field(sa_type=Money)
    reference: str = Field(max_length=60, default="")  # check or remittance number
    entry_id: str | None = Field(default=None, max_length=40, unique=True)  # the form's one-time id: one payment per submit
    recorded_by_id: int = Field(foreign_key="app_user.id")
    recorded_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)


class SalesOrderRevision(SQLModel, table=True):
    """A sales order as it stood when a correction (credit and rebill) superseded it: its PDF,
    total and lines are kept, so every revision can be listed and the next one says what changed."""

    __tablename__ = "sales_order_revision"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="surgical_case.id", index=True)
    revision: int  # the one superseded: 0 = the original
    number: str = Field(max_length=30)  # SO-2026-000123 or SO-2026-000123-R1
    total: Decimal = Field(sa_type=Money)
    lines: list | None = Field(default=None, sa_type=sa.JSON)  # [{ref, description, lot, serial, quantity, unit_price, amount}]
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    reason: str = Field(max_length=200)  # why it was corrected
    superseded_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    superseded_by_id: int = Field(foreign_key="app_user.id")

    __table_args__ = (sa.UniqueConstraint("case_id", "revision"),)


class SyncChange(SQLModel, table=True):
    """One change an offline screen queued, as the sync API answered it (services/sync.py): a
    retry with the same id gets the stored answer and never applies twice."""

    __tablename__ = "sync_change"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id")
    change_id: str = Field(max_length=64)  # the client's random id (a UUID)
    case_id: int | None = Field(default=None, foreign_key="surgical_case.id", index=True)
    kind: str = Field(max_length=20)  # edit | add | scan | remove | sign
    result: str = Field(max_length=10)  # saved | stale | refused
    response: dict | None = Field(default=None, sa_type=sa.JSON)  # what the client was told
    received_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)

    __table_args__ = (sa.UniqueConstraint("user_id", "change_id"), sa.Index("ix_sync_change_user_case", "user_id", "case_id"))


# Field inventory (issue 24; DESIGN.md §7): a double-entry ledger of movements between
# locations, with the stock table as its cached sum. Kinds and rules live in domain/inventory/.


class StockLocation(SQLModel, table=True):
    """Where stock is: a warehouse, a consignment at a facility, a rep's trunk, a loaner kit's
    contents, or one of Closeout's virtual locations (supplier, patient, in transit, loss,
    count adjustment, quarantine: one row each, made by the migration)."""

    __tablename__ = "stock_location"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    name: str = Field(max_length=120)
    facility_id: int | None = Field(default=None, foreign_key="facility.id", index=True)  # a consignment's
    rep_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)  # a trunk's
    active: bool = True
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)


class StockUnit(SQLModel, table=True):
    """The cached sum of the movements of one product (lot, serial) at one location that keeps
    stock; changed only with its movement, in the same transaction, never below zero. A row at
    zero is deleted, so a serial is in at most one place (the partial unique index)."""

    __tablename__ = "stock_unit"
    __table_args__ = (
        sa.UniqueConstraint("location_id", "product_id", "lot", "serial", name="uq_stock_unit_key"),
        sa.Index("uq_stock_unit_serial", "product_id", "serial", unique=True,
                 sqlite_where=sa.text("serial <> ''"), postgresql_where=sa.text("serial <> ''")),
        sa.Index("ix_stock_unit_lot", "lot", "product_id"),
        sa.Index("ix_stock_unit_location_expiry", "location_id", "expiry"),
        sa.Index("ix_stock_unit_location_product", "location_id", "product_id", "id"),
        sa.CheckConstraint("quantity >= 0", name="ck_stock_unit_quantity"),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(foreign_key="stock_location.id")
    product_id: int = Field(foreign_key="product.id")
    lot: str = Field(max_length=40, default="")
    serial: str = Field(max_length=40, default="")
    expiry: date | None = None
    quantity: int = 0


class StockMovement(SQLModel, table=True):
    """One change of stock, never edited: a quantity of a product (lot, serial) from one
    location to another, with who, when and why. A correction is a new movement."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        sa.Index("ix_stock_movement_lot", "lot", "product_id"),
        sa.Index("ix_stock_movement_serial", "serial", "product_id"),
        sa.Index("ix_stock_movement_case", "case_id", "reason"),
        sa.Index("ix_stock_movement_from", "from_location_id", "product_id"),
        sa.Index("ix_stock_movement_to", "to_location_id", "product_id"),
        sa.CheckConstraint("quantity > 0", name="ck_stock_movement_quantity"),
    )  # fmt: skip

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    product_id: int = Field(foreign_key="product.id")
    lot: str = Field(max_length=40, default="")
    serial: str = Field(max_length=40, default="")
    expiry: date | None = None
    quantity: int
    from_location_id: int = Field(foreign_key="stock_location.id")
    to_location_id: int = Field(foreign_key="stock_location.id")
    reason: str = Field(max_length=30)  # domain/inventory/ledger.py Reason
    user_id: int | None = Field(default=None, foreign_key="app_user.id")  # None: Closeout itself
    case_id: int | None = Field(default=None, foreign_key="surgical_case.id")
    # The line's id as history, not a foreign key: a reopened case's line may be removed later.
    device_line_id: int | None = Field(default=None, index=True)
    transfer_id: int | None = Field(default=None, foreign_key="stock_transfer.id", index=True)
    reverses_id: int | None = Field(default=None, foreign_key="stock_movement.id", index=True)
    note: str = Field(max_length=200, default="")


class StockTransfer(SQLModel, table=True):
    """Stock sent from one location to another: in transit until the receiver accepts or
    declines it (partly, with a reason)."""

    __tablename__ = "stock_transfer"

    id: int | None = Field(default=None, primary_key=True)
    from_location_id: int = Field(foreign_key="stock_location.id", index=True)
    to_location_id: int = Field(foreign_key="stock_location.id", index=True)
    status: str = Field(max_length=20, default="in transit", index=True)  # in transit | accepted | partly accepted | declined
    note: str = Field(max_length=300, default="")
    created_by_id: int = Field(foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StockTransferLine(SQLModel, table=True):
    __tablename__ = "stock_transfer_line"
    __table_args__ = (sa.Index("ix_stock_transfer_line_lot", "lot"), sa.Index("ix_stock_transfer_line_serial", "serial"))

    id: int | None = Field(default=None, primary_key=True)
    transfer_id: int = Field(foreign_key="stock_transfer.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    lot: str = Field(max_length=40, default="")
    serial: str = Field(max_length=40, default="")
    expiry: date | None = None
    quantity: int
    accepted: int | None = None  # None until decided
    decline_reason: str = Field(max_length=200, default="")


class LoanerKit(SQLModel, table=True):
    """A loaner kit: its contents are stock at its own location (kind kit); where it is and
    its status (domain/inventory/kits.py) are kept here, with the case it is out for."""

    __tablename__ = "loaner_kit"

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=120)
    location_id: int = Field(foreign_key="stock_location.id", unique=True)  # the contents
    home_location_id: int = Field(foreign_key="stock_location.id")  # the warehouse it returns to
    status: str = Field(max_length=20, default="at warehouse", index=True)
    facility_id: int | None = Field(default=None, foreign_key="facility.id", index=True)  # where it is out
    case_id: int | None = Field(default=None, foreign_key="surgical_case.id", index=True)  # what it is out for
    due_back: date | None = Field(default=None, index=True)
    reminded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)


class KitContent(SQLModel, table=True):
    """What a full kit holds: a REF and quantity, or one serialised item."""

    __tablename__ = "kit_content"

    id: int | None = Field(default=None, primary_key=True)
    kit_id: int = Field(foreign_key="loaner_kit.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: int = 1
    serial: str = Field(max_length=40, default="")


class ParLevel(SQLModel, table=True):
    """Min/max of one REF at one location: below the min, refill to the max."""

    __tablename__ = "par_level"
    __table_args__ = (sa.UniqueConstraint("location_id", "product_id"),)

    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(foreign_key="stock_location.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    min_quantity: int = 0
    max_quantity: int = 1


class ReplenishmentOrder(SQLModel, table=True):
    """Refill a location: drafted from a case's consumption or a below-par suggestion, edited,
    picked at the warehouse and sent as a transfer; receiving the transfer fulfils it."""

    __tablename__ = "replenishment_order"

    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(foreign_key="stock_location.id", index=True)  # what is refilled
    from_location_id: int | None = Field(default=None, foreign_key="stock_location.id")  # the warehouse picking it
    status: str = Field(max_length=20, default="draft", index=True)  # draft | picking | shipped | received | cancelled
    case_id: int | None = Field(default=None, foreign_key="surgical_case.id", index=True)
    request_id: int | None = Field(default=None, foreign_key="replenishmentrequest.id")
    transfer_id: int | None = Field(default=None, foreign_key="stock_transfer.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    updated_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)


class ReplenishmentOrderLine(SQLModel, table=True):
    __tablename__ = "replenishment_order_line"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="replenishment_order.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    quantity: int


class StockCount(SQLModel, table=True):
    """A cycle count of one location: expected (the stock table when it started) vs found."""

    __tablename__ = "stock_count"

    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(foreign_key="stock_location.id", index=True)
    status: str = Field(max_length=10, default="open")  # open | posted
    reason: str = Field(max_length=200, default="")
    started_by_id: int = Field(foreign_key="app_user.id")
    started_at: datetime = Field(sa_type=UTCDateTime, default_factory=clock.now)
    posted_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StockCountLine(SQLModel, table=True):
    __tablename__ = "stock_count_line"

    id: int | None = Field(default=None, primary_key=True)
    count_id: int = Field(foreign_key="stock_count.id", index=True)
    product_id: int = Field(foreign_key="product.id")
    lot: str = Field(max_length=40, default="")
    serial: str = Field(max_length=40, default="")
    expiry: date | None = None
    expected: int = 0
    found: int = 0
