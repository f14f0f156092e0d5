"""The managers' console: every case, filtered, sorted and paged on the server, filters in
the URL; CSV export of the whole filtered list; PO reminders in bulk."""

import asyncio
from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, status_badge, table_link
from ..components.price_badge import prices_edited_badge
from ..domain.console import ConsoleFilters, parse_filters, to_params
from ..domain.errors import DomainError
from ..domain.lifecycle import STATUS_LABELS
from ..domain.money import format_usd
from ..services import auth, console, reminders
from .base import AuthState, origin
from .template import signed_in_page

TEXT_FILTERS = ("from", "to", "pending_over", "q")
STATUS_CHOICES = [("closed,completed", "Closed and Completed"), ("closed", "Closed — pending PO"), ("completed", "Completed"),
                  ("invoiced", "Invoiced"), ("outstanding", "Outstanding (invoiced, not fully paid)"), ("paid", "Paid"),
                  ("open", "Open"), ("cancelled", "Cancelled"), ("open,closed,completed,invoiced,paid,cancelled", "All statuses")]  # fmt: skip
COLUMNS = [("number", "Case"), ("", "Sales order"), ("facility", "Facility"), ("surgeon", "Surgeon"), ("rep", "Sales Rep"),
           ("surgery_date", "Surgery date"), ("status", "Status"), ("billable_total", "Billable total"),
           ("", "PO"), ("last_shared_at", "Last shared")]  # fmt: skip


@dataclass
class Row:
    number: str
    url: str
    facility: str
    surgeon: str
    rep: str
    surgery_date: str
    status: str
    status_label: str
    total: str
    po: str
    last_shared: str  # ISO, shown in local time; "" when never
    prices_edited: bool = False
    sales_order: str = ""
    balance: str = ""  # "Owes $X" / "Overpaid $X" on an invoiced or paid case
    reminders_paused: bool = False


@dataclass
class Option:
    value: str
    label: str


def _row(r: console.ConsoleRow) -> Row:
    return Row(r.number, routes.case_url(r.number), r.facility, r.surgeon, r.rep, r.surgery_date.isoformat(), r.status.value,
               STATUS_LABELS[r.status], format_usd(r.billable_total), r.purchase_orders,
               r.last_shared_at.isoformat() if r.last_shared_at else "", r.prices_edited, r.sales_order, _balance(r),
               r.reminders_paused and r.status.value == "closed")  # fmt: skip


def _balance(r: console.ConsoleRow) -> str:
    if r.balance is None or r.balance == 0:
        return ""
    return f"Owes {format_usd(r.balance)}" if r.balance > 0 else f"Overpaid {format_usd(-r.balance)}"


class ConsoleState(AuthState):
    params: dict[str, str] = {}
    rows: list[Row] = []
    total: int = 0
    page: int = 1
    page_size: int = 25
    sort: str = "surgery_date"
    descending: bool = True
    error: str = ""
    facilities: list[Option] = []
    reps: list[Option] = []
    surgeons: list[Option] = []
    selected: list[str] = []
    sending: bool = False
    notice: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @rx.var
    def export_url(self) -> str:
        query = urlencode({k: v for k, v in self.params.items() if k != "page"})
        return routes.CONSOLE_CSV + (f"?{query}" if query else "")

    @rx.var
    def lines_export_url(self) -> str:
        """One row per device line of the same filtered cases."""
        query = urlencode({k: v for k, v in self.params.items() if k != "page"})
        return routes.CONSOLE_LINES_CSV + (f"?{query}" if query else "")

    @rx.event
    def load(self):
        self.selected, self.notice = [], ""
        try:
            actor = self._actor()
        except DomainError:
            return  # require_login sends the browser to sign in
        try:
            filters = parse_filters(dict(self.router.url.query_parameters))
            self.error = ""
        except DomainError as refusal:
            self.error, filters = refusal.message, ConsoleFilters()
        try:
            rows, self.total = console.case_page(actor, filters)
            found = console.choices(actor)
        except DomainError as refusal:
            self.error, self.rows, self.total = refusal.message, [], 0
            return
        self.rows = [_row(r) for r in rows]
        self.params = to_params(filters)
        self.page, self.page_size, self.sort, self.descending = filters.page, filters.page_size, filters.sort, filters.descending
        self.facilities, self.reps, self.surgeons = (
            [Option(str(c.id), c.name) for c in found[k]] for k in ("facility", "rep", "surgeon")
        )

    def _go(self, **changes: str):
        params = {**self.params, **changes}
        params = {k: v for k, v in params.items() if v not in ("", None)}
        if "page" not in changes:
            params.pop("page", None)
        return rx.redirect(routes.CONSOLE + (f"?{urlencode(params)}" if params else ""))

    @rx.event
    def set_filter(self, key: str, value: str):
        return self._go(**{key: "" if value == "any" else str(value)[:60]})

    @rx.event
    def apply_fields(self, form: dict):
        """Enter in a text filter: apply what it holds."""
        fields = {k: str(v)[:60] for k, v in form.items() if k in TEXT_FILTERS}
        if fields and any(self.params.get(k, "") != v for k, v in fields.items()):
            return self._go(**fields)
        return None

    @rx.event
    def set_flag(self, key: str, on: bool):
        return self._go(**{key: "1" if on else ""})

    @rx.event
    def sort_by(self, column: str):
        same = self.params.get("sort", "surgery_date") == column
        direction = (
            ("asc" if self.descending else "desc")
            if same
            else ("asc" if column in ("number", "facility", "surgeon", "rep") else "desc")
        )
        return self._go(sort=column, dir=direction)

    @rx.event
    def go_to_page(self, page: int):
        return self._go(page=str(min(max(1, int(page)), self.page_count)))

    @rx.event
    def clear_filters(self):
        return rx.redirect(routes.CONSOLE)

    @rx.event
    def toggle(self, number: str, on: bool):
        self.selected = [n for n in self.selected if n != number] + ([number] if on else [])

    @rx.event
    async def remind_selected(self):
        """Many emails, each with its PDF: off the event loop, so other screens stay live."""
        if self.sending:
            return
        self.sending = True
        yield
        try:
            sent, failed = await asyncio.to_thread(_remind, self.session_token, list(self.selected), origin(self))
        finally:
            self.sending = False
        self.selected = []
        self.notice = f"PO reminders sent: {len(sent)}." + (f" Not sent: {'; '.join(failed)}" if failed else "")


def _remind(token: str, numbers: list[str], browser_origin: str):
    """By each case's facility settings; a paused case is not sent (services/reminders.py)."""
    return reminders.send_reminders(auth.actor_for_session(token), numbers, browser_origin)


def _select(key: str, label: str, options, value) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        rx.select.root(
            rx.select.trigger(min_height=TOUCH, width="100%", aria_label=label),
            rx.select.content(rx.select.item("Any", value="any"), rx.foreach(options, lambda o: rx.select.item(o.label, value=o.value))),
            value=value, on_change=lambda v: ConsoleState.set_filter(key, v), size="2",
        ),
        spacing="1", min_width="160px", flex="1",
    )  # fmt: skip


def _field(key: str, label: str, **props) -> rx.Component:
    """A text filter: applied when the field is left, or at once with Enter (its own form)."""
    return rx.form(
        rx.vstack(
            rx.text(label, size="1", weight="medium", color_scheme="gray"),
            rx.input(default_value=ConsoleState.params.get(key, ""), key=ConsoleState.params.get(key, "") + key, name=key,
                     on_blur=lambda v: ConsoleState.set_filter(key, v), size="2", min_height=TOUCH, aria_label=label,
                     enter_key_hint="search", **props),
            spacing="1", width="100%",
        ),
        on_submit=ConsoleState.apply_fields, min_width="140px", flex="1",
    )  # fmt: skip


def filters_bar() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.text("Status", size="1", weight="medium", color_scheme="gray"),
                rx.select.root(
                    rx.select.trigger(min_height=TOUCH, width="100%", aria_label="Status"),
                    rx.select.content(*[rx.select.item(label, value=value) for value, label in STATUS_CHOICES]),
                    value=ConsoleState.params.get("status", "closed,completed"),
                    on_change=lambda v: ConsoleState.set_filter("status", v), size="2",
                ),
                spacing="1", min_width="180px", flex="1",
            ),
            _select("facility", "Facility", ConsoleState.facilities, ConsoleState.params.get("facility", "any")),
            _select("rep", "Sales Rep", ConsoleState.reps, ConsoleState.params.get("rep", "any")),
            _select("surgeon", "Surgeon", ConsoleState.surgeons, ConsoleState.params.get("surgeon", "any")),
            _field("from", "Surgery from", type="date"),
            _field("to", "Surgery to", type="date"),
            _field("pending_over", "Pending PO over (days)", input_mode="numeric", placeholder="e.g. 14"),
            _field("q", "Case, PO, lot or serial", placeholder="Search"),
            rx.box(  # rx.checkbox's own <label> names the box (a second label around it would leave it nameless)
                rx.checkbox("Not yet shared", checked=ConsoleState.params.get("not_shared", "") == "1",
                            on_change=lambda v: ConsoleState.set_flag("not_shared", v)),
                align_self="end",
            ),
            rx.box(
                rx.checkbox("Prices edited", checked=ConsoleState.params.get("prices_edited", "") == "1",
                            on_change=lambda v: ConsoleState.set_flag("prices_edited", v), id="filter-prices-edited"),
                align_self="end", min_height=TOUCH, display="flex", align_items="center",
            ),
            gap="12px", wrap="wrap", align="end", width="100%",
        ),
        width="100%",
    )  # fmt: skip


def header_cell(column: str, label: str) -> rx.Component:
    if not column:
        return rx.table.column_header_cell(label)
    arrow = rx.cond(ConsoleState.sort == column, rx.cond(ConsoleState.descending, " ↓", " ↑"), "")
    return rx.table.column_header_cell(
        rx.button(label, arrow, on_click=ConsoleState.sort_by(column), variant="ghost", size="1", min_height=TOUCH,
                  class_name=f"sort-{column}"),
        white_space="nowrap",
    )  # fmt: skip


def table_row(row: Row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.cond(row.status == "closed", rx.checkbox(
            checked=ConsoleState.selected.contains(row.number), on_change=lambda v: ConsoleState.toggle(row.number, v),
            aria_label=f"Select {row.number}")), padding_y="0"),
        rx.table.cell(table_link(row.number, row.url), white_space="nowrap", padding_y="0"),
        rx.table.cell(row.sales_order, white_space="nowrap", class_name="console-sales-order"),
        rx.table.cell(row.facility), rx.table.cell(row.surgeon), rx.table.cell(row.rep),
        rx.table.cell(row.surgery_date, white_space="nowrap"),
        rx.table.cell(rx.flex(status_badge(row.status, row.status_label), prices_edited_badge(row.prices_edited),
                              rx.cond(row.reminders_paused, rx.badge(rx.icon("circle-pause", size=12), "Reminders paused",
                                                                     color_scheme="gray", variant="soft", class_name="console-paused")),
                              gap="4px", wrap="wrap")),
        rx.table.cell(row.total, rx.cond(row.balance != "", rx.text(row.balance, size="1", color_scheme="amber",
                                                                     class_name="console-balance")),
                      text_align="right", white_space="nowrap"),
        rx.table.cell(row.po),
        rx.table.cell(rx.cond(row.last_shared != "", rx.moment(row.last_shared, format="MMM D, YYYY", local=True), "Not yet")),
        class_name="console-row",
    )  # fmt: skip


@signed_in_page(routes.CONSOLE, "Console", on_load=[ConsoleState.load])
def console_page() -> rx.Component:
    return (
        rx.flex(
            rx.heading("Cases", size="7"),
            rx.spacer(),
            rx.link(rx.button(rx.icon("chart-column"), "Dashboard", variant="soft", min_height=TOUCH), href=routes.DASHBOARD),
            rx.el.a(rx.button(rx.icon("file-down"), "Export CSV", variant="soft", min_height=TOUCH), href=ConsoleState.export_url,
                    download="closeout-cases.csv", id="export-csv", target="_blank", rel="noopener"),  # a new tab: the router leaves it alone
            rx.el.a(rx.button(rx.icon("list"), "Export device lines", variant="soft", min_height=TOUCH),
                    href=ConsoleState.lines_export_url, download="closeout-device-lines.csv", id="export-lines-csv",
                    target="_blank", rel="noopener"),
            gap="8px", align="center", width="100%", margin_bottom="12px", wrap="wrap",
        ),
        rx.cond(ConsoleState.error != "", rx.callout(ConsoleState.error, icon="circle-alert", color_scheme="red", margin_bottom="12px")),
        filters_bar(),
        rx.flex(
            rx.text(ConsoleState.total, " cases", weight="medium", id="console-total"),
            rx.button("Clear filters", on_click=ConsoleState.clear_filters, variant="ghost", size="2", min_height=TOUCH),
            rx.spacer(),
            rx.button(rx.icon("mail"), "Send PO reminders (", ConsoleState.selected.length(), ")", on_click=ConsoleState.remind_selected,
                      disabled=(ConsoleState.selected.length() == 0) | ConsoleState.sending, loading=ConsoleState.sending, min_height=TOUCH, id="bulk-remind"),
            gap="12px", align="center", width="100%", margin_y="12px", wrap="wrap",
        ),
        rx.cond(ConsoleState.notice != "", rx.callout(ConsoleState.notice, icon="mail-check", margin_bottom="12px", id="console-notice")),
        rx.card(
            rx.box(rx.table.root(
                rx.table.header(rx.table.row(rx.table.column_header_cell(rx.el.span("Select", class_name="visually-hidden")), *[header_cell(c, label) for c, label in COLUMNS])),
                rx.table.body(rx.foreach(ConsoleState.rows, table_row)),
                width="100%", variant="ghost", size="1"), overflow_x="auto", width="100%"),
            rx.cond(ConsoleState.total == 0, rx.text("No case matches these filters.", padding="16px", color_scheme="gray")),
            width="100%", padding="0",
        ),
        rx.flex(
            rx.button("Previous", on_click=ConsoleState.go_to_page(ConsoleState.page - 1), disabled=ConsoleState.page <= 1,
                      variant="soft", min_height=TOUCH),
            rx.text("Page ", ConsoleState.page, " of ", ConsoleState.page_count, size="2"),
            rx.button("Next", on_click=ConsoleState.go_to_page(ConsoleState.page + 1),
                      disabled=ConsoleState.page >= ConsoleState.page_count, variant="soft", min_height=TOUCH),
            gap="12px", align="center", justify="end", margin_top="12px",
        ),
    )  # fmt: skip
