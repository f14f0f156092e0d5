"""Devices Used state: the page of lines, the totals, paging and the filter, the catalog
search, adding and removing lines. Every change is saved at once through the services.

One state, composed of mixins that each do one job; the UI and the socket see one state
(one name, one delta) with every var and event in one place:
  EditsMixin (editing.py)         saving an edit, and showing the answer by its field
  KeptEditsMixin (kept_edits.py)  edits kept through a database outage, saved once it is back
  LiveMixin (live.py)             the watcher that keeps the screen current
  ScanMixin (scanning.py)         scan to add
  PriceReasonsMixin (price_reasons.py)  the reason an edited price needs, asked on its line
What a row shows is mapped in rows.py."""

import reflex as rx

from ...components.focus import show_field
from ...domain.errors import DomainError, NotAllowed, NotFound
from ...domain.money import format_usd
from ...domain.pricing import Totals
from ...services import catalog, device_lines, views
from ..base import AuthState, route_tail
from ..case_state import CaseState
from .editing import EditsMixin
from .kept_edits import KeptEditsMixin
from .live import LiveMixin
from .price_reasons import PriceReasonsMixin
from .rows import FIELDS, LineRow, ProductRow, Subtotal, product_row
from .scanning import ScanMixin

PAGE_SIZE = 25


class DevicesState(EditsMixin, KeptEditsMixin, LiveMixin, ScanMixin, PriceReasonsMixin, AuthState):
    case_number: str = ""
    rows: list[LineRow] = []
    page: int = 1
    matching: int = 0
    line_count: int = 0
    filter_text: str = ""
    editable: bool = True
    subtotals: list[Subtotal] = []
    grand_total: str = "$0.00"
    billable_lines: int = 0
    excluded_note: str = ""
    product_query: str = ""
    hits: list[ProductRow] = []
    remove_id: int = 0
    remove_label: str = ""
    read_only_reason: str = ""
    may_edit_prices: bool = False  # this user may type a price away from the contract price
    prices_edited: bool = False  # the case's flag (the header's badge)

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.matching // PAGE_SIZE))

    @rx.event
    async def load(self):
        """The case page opens: its header and first page of lines in one read, then the live
        watcher (which starts from what this read saw)."""
        self.case_number = route_tail(self)
        self.page, self.filter_text, self.product_query, self.hits = 1, "", "", []
        self._saved_versions, self._seen = {}, ""
        header = await self.get_state(CaseState)
        header.tab = "devices"
        try:
            opened = views.open_case(self._actor(), self.case_number, PAGE_SIZE)
        except NotFound as refusal:
            header._case_missing(refusal.message)
            self.rows, self.matching = [], 0
            return self._start_watching()  # an older watcher stops; this one has nothing to watch
        header._show_header(opened.header)
        self._show(opened.lines)
        self._seen = opened.lines.stamp
        return self._start_watching()  # this load's watcher; an older one stops

    @rx.event
    def refresh(self):
        """Back on the tab: the same page and filter, fresh from the database."""
        self._fetch_or_none()

    @rx.event
    def set_filter(self, text: str):
        self.filter_text, self.page = text[:60], 1
        self._fetch()

    @rx.event
    def go_to_page(self, page: int):
        self.page = min(max(1, int(page)), self.page_count)
        self._fetch()

    @rx.event
    def search_products(self, text: str):
        self.product_query = text[:60]
        try:
            found = catalog.search_products(self._actor(), self.case_number, self.product_query)
        except NotFound:
            found = []
        self.hits = [product_row(hit) for hit in found]

    @rx.event
    def add_product(self, product_id: int):
        try:
            change = device_lines.add_line(self._actor(), self.case_number, product_id)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self.product_query, self.hits = "", []
        self._show_line(change.line_count)  # the new line is last
        return rx.toast.success(f"Added line {change.line.position}: {change.line.ref}")

    @rx.event
    def ask_remove(self, line_id: int):
        row = next((r for r in self.rows if r.id == line_id), None)
        if row is not None:
            self.remove_id, self.remove_label = row.id, f"line {row.position} ({row.ref} {row.description})"

    @rx.event
    def cancel_remove(self):
        self.remove_id, self.remove_label = 0, ""

    @rx.event
    def confirm_remove(self):
        line_id, label = self.remove_id, self.remove_label
        self.remove_id, self.remove_label = 0, ""
        try:
            device_lines.remove_line(self._actor(), self.case_number, line_id)
        except (NotFound, NotAllowed) as refusal:
            self._fetch()
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success(f"Removed {label}")

    @rx.event
    async def go_to_line(self, position: int, field: str = ""):
        """From a Submit for Billing gap: Devices Used open at the page holding line `position`,
        scrolled to it, the cursor in `field` (one of the line's inputs)."""
        if not isinstance(position, int) or not 0 < position <= 100_000:
            return None
        (await self.get_state(CaseState)).tab = "devices"
        self._show_line(max(self.line_count, position), position)
        selector = f'[data-field$=":{field}"]' if field in FIELDS else ""
        return rx.call_script(show_field(f"device-line-{position}", selector))

    def _show_line(self, line_count: int, position: int = 0):
        """After a line was added (`position` 0: it is last) or filled in: the whole list, at
        the page holding that line."""
        self.filter_text, self.matching = "", line_count
        self.page = max(1, -(-position // PAGE_SIZE)) if position else self.page_count
        self._fetch()

    def _fetch(self):
        page = device_lines.list_lines(self._actor(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        if not page.lines and self.page > 1 and page.matching:
            self.page = max(1, -(-page.matching // PAGE_SIZE))
            page = device_lines.list_lines(self._actor(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        self._show(page)

    def _show(self, page: device_lines.LinePage):
        self.rows = [self._line_row(v) for v in page.lines]
        self.matching, self.editable = page.matching, page.editable
        self.may_edit_prices, self.prices_edited = page.may_edit_prices, page.prices_edited
        if page.editable:
            self.read_only_reason = ""
        elif self.is_manager:
            self.read_only_reason = "You see this case read-only: its sales rep edits Devices Used."
        else:
            self.read_only_reason = "This case has been submitted: Devices Used is read-only."
        self._set_totals(page.totals, page.line_count)

    def _fetch_or_none(self):
        """The page of lines, or none for a case this user may not see."""
        try:
            self._fetch()
        except NotFound:
            self.rows, self.matching = [], 0

    def _set_totals(self, totals: Totals, line_count: int):
        self.line_count = line_count
        self.subtotals = [Subtotal(m, format_usd(a)) for m, a in totals.by_manufacturer]
        self.grand_total = format_usd(totals.grand_total)
        self.billable_lines = totals.billable_lines
        left_out = []
        if totals.no_charge_lines:
            left_out.append(f"{totals.no_charge_lines} no-charge")
        if totals.unused_lines:
            left_out.append(f"{totals.unused_lines} unused")
        self.excluded_note = f"Not billed: {' and '.join(left_out)} line(s)." if left_out else ""
