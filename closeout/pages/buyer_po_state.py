"""The state of the facility buyer's PO page (/po/<token>): no account, no session. Every event
reads the token from the URL and the service checks the link again; a dead link leaves only
its message. A bad input keeps everything typed; the PO document is streamed in, capped, and
stored as the link's draft (services/po_drafts.py): the tab keeps only its key, never the bytes,
and the draft goes when the tab does."""

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

import reflex as rx

from ..domain.errors import DomainError, InvalidInput, NotAllowed
from ..domain.money import format_usd
from ..domain.po_link import MAX_DOCUMENT_BYTES, check_pdf, clean_filename
from ..services import buyer_po, po_drafts
from ..services.db import DatabaseUnavailable
from .base import route_tail
from .tab_tasks import OnePerTab, tab_connected

UNREACHABLE = "The service cannot be reached right now. Nothing was saved; try again in a moment."
UNEXPECTED = "Something went wrong on our side; nothing was saved. Your entries are still here: try again, or reply to your sales rep's email."
MAX_MAKERS = 50  # more fields than any sales order has manufacturers
log = logging.getLogger(__name__)
UPLOADS = OnePerTab()  # the PO document being received, per tab
DRAFT_WATCH = OnePerTab()  # the watcher that drops a tab's draft when the tab goes
WATCH_SECONDS = 10.0


@dataclass
class LineRow:
    ref: str
    description: str
    quantity: int
    unit_price: str
    amount: str


@dataclass
class MakerRow:
    id: int
    name: str
    subtotal: str
    po_number: str
    lines: list[LineRow] = field(default_factory=list)


@dataclass
class PoRow:
    manufacturer: str
    number: str  # only what the page shows: who entered it stays with the rep


def _maker(m: buyer_po.BuyerMaker) -> MakerRow:
    lines = [LineRow(x.ref, x.description, x.quantity, format_usd(x.unit_price), "N/C" if x.no_charge else format_usd(x.amount))
             for x in m.lines]  # fmt: skip
    return MakerRow(m.id, m.name, format_usd(m.subtotal), m.po_number, lines)


class BuyerPoState(rx.State):
    gone: str = ""  # the link does not work: this message and nothing else
    done: str = ""  # every PO is in: the thank-you, for this sales order (its number)
    seller: str = ""
    sales_order: str = ""
    facility: str = ""
    surgery_date: str = ""
    surgeon: str = ""
    status: str = ""
    total: str = ""
    expires: str = ""
    makers: list[MakerRow] = []
    entered: list[PoRow] = []
    email: str = ""
    mode: str = "all"  # all | each
    po_all: str = ""
    po_numbers: dict[str, str] = {}
    errors: dict[str, str] = {}
    notice: str = ""  # saved, a PO still missing
    busy: bool = False
    doc_name: str = ""
    _draft: str = ""  # the key of the link's waiting document (po_drafts): never its bytes

    def _show(self, view: buyer_po.BuyerView) -> None:
        self.gone, self.seller, self.sales_order, self.facility = "", view.seller, view.sales_order, view.facility
        self.surgery_date, self.surgeon, self.status = view.surgery_date.strftime("%b %-d, %Y"), view.surgeon, view.status
        self.total, self.expires = format_usd(view.total), view.expires_at.strftime("%b %-d, %Y")
        self.makers = [_maker(m) for m in view.makers]
        self.entered = [PoRow(p.manufacturer, p.number) for p in view.purchase_orders]
        self.po_all = self.po_all or view.po_all
        self.po_numbers = {str(m.id): self.po_numbers.get(str(m.id)) or m.po_number for m in view.makers}

    def _end(self, message: str) -> None:
        """Nothing to show but `message`."""
        with contextlib.suppress(DatabaseUnavailable):  # else the job prunes it once it expires
            po_drafts.drop(self._draft)
        self.gone, self.sales_order, self.makers, self.entered, self._draft, self.doc_name = message, "", [], [], "", ""

    def _client(self) -> str:
        return str(self.router.session.client_ip or "")

    @rx.event
    def load(self):
        self.done, self.notice, self.errors, self.busy = "", "", {}, False
        try:
            self.doc_name = po_drafts.name_of(self._draft)  # gone when the tab went away, or expired
            self._draft = self._draft if self.doc_name else ""
            self._show(buyer_po.open_link(route_tail(self), self._client()))
        except DatabaseUnavailable:
            self._end(UNREACHABLE)
        except DomainError as refusal:
            self._end(refusal.message)

    @rx.event
    def set_email(self, value: str):
        self.email = str(value)[:254]

    @rx.event
    def set_mode(self, value: str | list[str]):
        self.mode = "each" if value == "each" else "all"

    @rx.event
    def set_po_all(self, value: str):
        self.po_all = str(value)[:60]

    @rx.event
    def set_po_for(self, maker_id: str, value: str):
        key = str(maker_id)[:12]
        if not (key.isascii() and key.isdigit()) or (key not in self.po_numbers and len(self.po_numbers) >= MAX_MAKERS):
            return  # a crafted event: only the manufacturers shown get a field
        self.po_numbers = {**self.po_numbers, key: str(value)[:60]}

    @rx.event(background=True)
    async def upload_document(self, chunks: rx.UploadChunkIterator):
        """The buyer's PO document: read only for a page showing a live link while neither the
        link nor this client is throttled, cut off past the cap, checked to be a PDF by its
        bytes, and stored as the link's draft; the tab keeps its key and name only."""
        async with self:
            live = bool(self.sales_order) and not self.gone and not self.done
            self.errors = {**self.errors, "document": ""}
            tab, token, client = self.router.session.client_token, route_tail(self), self._client()
        ticket = UPLOADS.start_if_idle(tab) if live else None
        if ticket is None:
            return None  # no live link shown, or this tab is already uploading: one document in memory per tab
        try:
            return await self._receive(chunks, token, client)
        finally:
            UPLOADS.finish(tab, ticket)

    async def _receive(self, chunks: rx.UploadChunkIterator, token: str, client: str):
        data, name = bytearray(), ""
        try:
            link_id = await asyncio.to_thread(buyer_po.live_link, token, client)
            await asyncio.to_thread(po_drafts.check_upload_allowed, link_id, client)
            async for chunk in chunks:
                name = chunk.filename or name
                data.extend(chunk.data)
                if len(data) > MAX_DOCUMENT_BYTES:
                    raise InvalidInput("document", f"The PO document is over {MAX_DOCUMENT_BYTES // 1048576} MB. "
                                                   "Attach a smaller PDF.")  # fmt: skip
            check_pdf(bytes(data))
            draft = await asyncio.to_thread(po_drafts.keep, link_id, client, clean_filename(name), bytes(data))
        except (DomainError, DatabaseUnavailable) as refusal:
            async with self:
                self._refused_document(refusal)
            return None
        del data
        async with self:
            self._draft, self.doc_name = draft.key, draft.filename
        return BuyerPoState.watch_draft

    def _refused_document(self, refusal: Exception) -> None:
        if isinstance(refusal, buyer_po.LinkDead):
            self._end(refusal.message)
        elif isinstance(refusal, DomainError):
            self.errors = {**self.errors, "document": refusal.message}
        else:
            self.errors = {**self.errors, "document": UNREACHABLE}

    @rx.event(background=True)
    async def watch_draft(self):
        """While this tab has a document waiting: when the tab is gone (two checks in a row, so
        a blip is forgiven), its draft is dropped. One watcher per tab (a crafted flood starts
        no more); it reads the tab's current draft each time and ends when there is none."""
        async with self:
            tab, waiting = self.router.session.client_token, bool(self._draft)
        ticket = DRAFT_WATCH.start_if_idle(tab) if waiting else None
        if ticket is None:
            return
        try:
            missed = 0
            while True:
                await asyncio.sleep(WATCH_SECONDS)
                missed = 0 if await tab_connected(tab) else missed + 1
                async with self:
                    key = self._draft
                    if key and missed >= 2:
                        self._draft, self.doc_name = "", ""
                if not key:
                    return  # submitted, removed, or the link is gone: nothing waits for this tab
                if missed >= 2:
                    await asyncio.to_thread(po_drafts.drop, key)
                    return
        finally:
            DRAFT_WATCH.finish(tab, ticket)

    @rx.event
    def document_rejected(self, _files: list[dict]):
        self.errors = {**self.errors, "document": f"Attach one PDF file of at most {MAX_DOCUMENT_BYTES // 1048576} MB."}

    @rx.event
    def remove_document(self):
        po_drafts.drop(self._draft)
        self._draft, self.doc_name = "", ""

    def _numbers(self) -> dict:
        if self.mode == "all":
            return {None: self.po_all}
        return {int(k): v for k, v in self.po_numbers.items() if v.strip() and k.isascii() and k.isdigit()}

    @rx.event(background=True)
    async def submit(self):
        async with self:
            if self.busy or not self.sales_order or self.gone:
                return
            self.busy, self.errors, self.notice = True, {}, ""
            args = (route_tail(self), self.email, self._numbers())
            extra = {"draft": self._draft, "client": self._client()}
        try:
            result = await asyncio.to_thread(buyer_po.enter, *args, **extra)
        except (DomainError, DatabaseUnavailable) as problem:
            async with self:
                self._refused(problem)
            return
        except Exception:  # never a spinner for ever: the buyer is told, and the form kept
            log.exception("a buyer's PO entry failed")
            async with self:
                self.busy, self.errors = False, {"form": UNEXPECTED}
            return
        async with self:
            self.busy, self._draft, self.doc_name = False, "", ""
            if result.completed:
                self.done = self.sales_order  # the thank-you names it
                self._end("")
            else:
                self._show(result.view)
                missing = ", ".join(m.name for m in result.view.makers if not m.po_number)
                self.notice = f"Saved. A PO is still needed for: {missing}." if missing else "Saved."

    def _refused(self, problem: Exception) -> None:
        self.busy = False
        if isinstance(problem, DatabaseUnavailable):
            self.errors = {"form": UNREACHABLE}
        elif isinstance(problem, InvalidInput):
            self.errors = {problem.field: problem.message}
            if problem.message == po_drafts.GONE:
                self._draft, self.doc_name = "", ""
        elif isinstance(problem, buyer_po.LinkDead):
            self._end(problem.message)
        elif isinstance(problem, NotAllowed | DomainError):
            self.errors = {"form": problem.message}
