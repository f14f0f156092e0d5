"""The provider's page behind a one-time link: every line of the Devices Used (paged), the
billable total and the content fingerprint, and the Provider Representative's signature
pad. No login; a bad link shows one message and nothing else.

The signature is sent with the fingerprint of the lines this page showed. If the rep changed
the lines meanwhile, nothing is signed: the page reads the lines again and says what changed.
On a phone each line is a compact card (no column cut off, no sideways scrolling); from a
tablet's width up, a table."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..components.signature_pad import clear_pad, read_pad, signature_pad
from ..domain.content_changes import LineFacts, changes
from ..domain.errors import DomainError, InvalidInput
from ..domain.money import format_usd
from ..domain.signing_link import CaseNoLongerOpen, ContentChanged
from ..services import signing_links
from ..services.db import DatabaseUnavailable
from .base import route_tail

PAD = "sig_remote"
PAGE_SIZE = 25
MAX_NOTICES = 20  # changes listed one by one; beyond, a count
UNREACHABLE = "The database cannot be reached right now. Nothing was signed; try again in a moment."


@dataclass
class SummaryRow:
    position: int
    ref: str
    description: str
    manufacturer: str
    lot: str
    serial: str
    expiry: str
    quantity: int
    usage_status: str
    extended: str  # the amount, or "N/C" when not billed


def _row(line: signing_links.SummaryLine) -> SummaryRow:
    return SummaryRow(line.position, line.ref, line.description, line.manufacturer, line.lot, line.serial,
                      line.expiry.isoformat() if line.expiry else "", line.quantity, line.usage_status,
                      format_usd(line.extended) if line.billable else "N/C")  # fmt: skip


def _facts(line: signing_links.SummaryLine) -> LineFacts:
    return LineFacts(line.position, line.ref, line.lot, line.serial, line.expiry, line.quantity, line.usage_status,
                     line.unit_price, line.extended, line.no_charge)  # fmt: skip


class RemoteSignState(rx.State):
    gone: str = ""  # the link does not work (any more): this message and nothing else
    submitted: str = ""  # the case was submitted for billing meanwhile: nothing left to sign
    done: bool = False
    case_number: str = ""
    facility: str = ""
    surgery_date: str = ""
    role_label: str = "Provider Representative"
    meaning: str = ""
    rows: list[SummaryRow] = []  # the lines of the page shown
    page: int = 1
    line_count: int = 0
    grand_total: str = ""
    fingerprint: str = ""  # shown; the one sent with the signature is _fingerprint
    changes: list[str] = []  # what changed since the signer was shown the lines
    more_changes: int = 0
    name: str = ""
    title: str = ""  # what the signer is in the room, e.g. "RN, circulating nurse"
    error: str = ""
    _rows: list[SummaryRow] = []  # every line
    _shown: dict[int, LineFacts] = {}  # by line id: what the signer was shown
    _fingerprint: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.line_count // PAGE_SIZE))

    @rx.var
    def count_label(self) -> str:
        return f"{self.line_count:,} device line{'' if self.line_count == 1 else 's'}"

    @rx.var
    def range_label(self) -> str:
        if not self.line_count:
            return "No device lines"
        first = (self.page - 1) * PAGE_SIZE + 1
        return f"Lines {first:,}–{min(self.page * PAGE_SIZE, self.line_count):,} of {self.line_count:,}"

    def _end(self, gone: str = "", submitted: str = "") -> None:
        """Nothing to sign here any more: only the message stays."""
        self.gone, self.submitted = gone, submitted
        self.rows, self._rows, self._shown, self._fingerprint, self.fingerprint = [], [], {}, "", ""
        self.case_number = self.facility = self.surgery_date = self.grand_total = ""
        self.changes, self.more_changes, self.line_count = [], 0, 0

    def _cannot(self, problem: DomainError | DatabaseUnavailable) -> None:
        """Why the link cannot be read or signed now: submitted, gone, or the database away."""
        if isinstance(problem, DatabaseUnavailable):
            self.error = UNREACHABLE
        elif isinstance(problem, CaseNoLongerOpen):
            self._end(submitted=problem.message)
        else:
            self._end(gone=problem.message)

    def _read(self) -> bool:
        """Every line, the total and the fingerprint, as the link's case has them now."""
        try:
            summary = signing_links.open_link(route_tail(self))
        except (DomainError, DatabaseUnavailable) as problem:
            self._cannot(problem)
            return False
        self.gone, self.submitted = "", ""
        self.case_number, self.facility = summary.case_number, summary.facility
        self.surgery_date = summary.surgery_date.strftime("%b %-d, %Y")
        self.role_label, self.meaning = summary.role_label, summary.meaning
        self._rows = [_row(line) for line in summary.lines]
        self._shown = {line.id: _facts(line) for line in summary.lines}
        self._fingerprint = self.fingerprint = summary.fingerprint
        self.line_count, self.grand_total = summary.line_count, format_usd(summary.grand_total)
        self._show(self.page)
        return True

    def _show(self, page: int) -> None:
        self.page = min(max(1, int(page)), max(1, -(-len(self._rows) // PAGE_SIZE)))
        self.rows = self._rows[(self.page - 1) * PAGE_SIZE : self.page * PAGE_SIZE]

    @rx.event
    def load(self):
        self.done, self.error, self.name, self.changes, self.more_changes, self.page = False, "", "", [], 0, 1
        self.title = ""
        if not self._read() and not self.gone and not self.submitted:
            self.gone = UNREACHABLE  # nothing to show: say why rather than spin
        return None

    @rx.event
    def next_page(self):
        self._show(self.page + 1)

    @rx.event
    def previous_page(self):
        self._show(self.page - 1)

    @rx.event
    def set_name(self, value: str):
        self.name = str(value)[:100]

    @rx.event
    def set_title(self, value: str):
        self.title = str(value)[:100]

    @rx.event
    def save(self, data_url: str):
        if self.done or not self.case_number:  # a double tap: the first one signed
            return None
        try:
            signing_links.sign_through_link(route_tail(self), self.name, data_url, self._fingerprint, title=self.title,
                                            user_agent=self.router.headers.user_agent,
                                            client=self.router.session.client_ip)  # fmt: skip
        except InvalidInput as refusal:
            self.error = refusal.message
            return None
        except ContentChanged as refusal:
            shown = self._shown
            if self._read():
                told = changes(shown, self._shown)
                self.changes, self.more_changes = told[:MAX_NOTICES], max(0, len(told) - MAX_NOTICES)
                self.error = refusal.message
            return clear_pad(PAD)  # signing again is a new, deliberate signature
        except (DomainError, DatabaseUnavailable) as problem:
            self._cannot(problem)
            return None
        self._end()
        self.done, self.error = True, ""
        return None


def _label(text: str, value) -> rx.Component:
    return rx.text(rx.text.span(text, color_scheme="gray"), " ", value, size="2", white_space="nowrap")


def line_card(row: SummaryRow) -> rx.Component:
    """One line on a phone: everything the table shows, wrapped instead of cut off."""
    return rx.box(
        rx.flex(
            rx.text(row.position, ". ", rx.text.strong(row.ref), size="2", overflow_wrap="anywhere", min_width="0"),
            rx.text(row.extended, weight="bold", size="2", white_space="nowrap"),
            justify="between", gap="8px", align="start",
        ),
        rx.text(row.description, size="2", overflow_wrap="anywhere"),
        rx.text(row.manufacturer, size="1", color_scheme="gray", overflow_wrap="anywhere"),
        rx.flex(
            _label("Lot", rx.cond(row.lot != "", row.lot, "—")),
            rx.cond(row.serial != "", _label("Serial", row.serial)),
            rx.cond(row.expiry != "", _label("Exp", row.expiry)),
            _label("Qty", row.quantity),
            rx.text(row.usage_status, size="2"),
            gap="4px 14px", wrap="wrap", margin_top="4px", overflow_wrap="anywhere", min_width="0",
        ),
        class_name="summary-card", padding="10px 12px", border_bottom="1px solid var(--gray-4)", min_width="0",
    )  # fmt: skip


def line_row(row: SummaryRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(row.position, color_scheme="gray")),
        rx.table.cell(rx.text(row.ref, weight="bold"), rx.text(row.description, size="1"),
                      rx.text(row.manufacturer, size="1", color_scheme="gray")),  # fmt: skip
        rx.table.cell(rx.text(row.lot), rx.text(row.serial, size="1")),
        rx.table.cell(row.expiry, white_space="nowrap"),
        rx.table.cell(row.quantity),
        rx.table.cell(row.usage_status),
        rx.table.cell(row.extended, text_align="right", white_space="nowrap"),
        class_name="summary-line",
    )


def lines_table() -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in
                                       ("#", "Device", "Lot / Serial", "Expiry", "Qty", "Usage", "Amount")])),
        rx.table.body(rx.foreach(RemoteSignState.rows, line_row)),
        width="100%", variant="ghost", size="1",
    )  # fmt: skip


def pager() -> rx.Component:
    return rx.flex(
        rx.button(rx.icon("chevron-left"), "Previous", on_click=RemoteSignState.previous_page, variant="soft",
                  disabled=RemoteSignState.page <= 1, min_height=TOUCH, aria_label="Previous lines"),
        rx.text(RemoteSignState.range_label, id="lines-range", size="2", text_align="center", aria_live="polite"),
        rx.button("Next", rx.icon("chevron-right"), on_click=RemoteSignState.next_page, variant="soft",
                  disabled=RemoteSignState.page >= RemoteSignState.page_count, min_height=TOUCH, aria_label="Next lines"),
        justify="between", align="center", gap="8px", width="100%",
    )  # fmt: skip


def changed_notice() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("triangle-alert")),
        rx.box(
            rx.text(RemoteSignState.error, weight="medium"),
            rx.el.ul(rx.foreach(RemoteSignState.changes, lambda c: rx.el.li(c, class_name="content-change")),
                     padding_left="18px", margin_top="6px"),  # fmt: skip
            rx.cond(RemoteSignState.more_changes > 0,
                    rx.text("…and ", RemoteSignState.more_changes, " more changes.", size="2")),  # fmt: skip
            overflow_wrap="anywhere",
        ),
        color_scheme="amber", id="content-changed", role="alert", width="100%",
    )  # fmt: skip


def sign_form() -> rx.Component:
    return rx.vstack(
        rx.heading("Devices Used · ", RemoteSignState.case_number, size="6", overflow_wrap="anywhere"),
        rx.text(RemoteSignState.facility, " · surgery ", RemoteSignState.surgery_date, color_scheme="gray"),
        rx.flex(
            rx.text(RemoteSignState.count_label, id="line-count", weight="medium"),
            rx.text("Billable total ", rx.text.strong(RemoteSignState.grand_total, id="grand-total")),
            justify="between", gap="4px 16px", wrap="wrap", width="100%",
        ),
        rx.cond(RemoteSignState.changes.length() > 0, changed_notice()),
        rx.card(
            rx.box(lines_table(), display=rx.breakpoints(initial="none", sm="block")),
            rx.box(rx.foreach(RemoteSignState.rows, line_card), display=rx.breakpoints(initial="block", sm="none")),
            width="100%", padding="0", min_width="0",
        ),
        pager(),
        rx.text("Content fingerprint ", rx.code(RemoteSignState.fingerprint, id="content-fingerprint",
                                                word_break="break-all"),
                " — your signature is for exactly these lines.", size="1", color_scheme="gray"),  # fmt: skip
        rx.heading(RemoteSignState.role_label, size="4", margin_top="8px"),
        rx.text(RemoteSignState.meaning, size="2", color_scheme="gray"),
        rx.input(value=RemoteSignState.name, on_change=RemoteSignState.set_name, placeholder="Printed name",
                 aria_label=RemoteSignState.role_label + " printed name", size="3", width="100%", min_height=TOUCH),
        rx.input(value=RemoteSignState.title, on_change=RemoteSignState.set_title,
                 placeholder="Title, e.g. RN, circulating nurse", aria_label=RemoteSignState.role_label + " title",
                 size="3", width="100%", min_height=TOUCH),
        signature_pad(PAD, "Signature pad"),
        rx.cond((RemoteSignState.error != "") & (RemoteSignState.changes.length() == 0),
                rx.text(RemoteSignState.error, color_scheme="red", role="alert", id="sign-error")),
        rx.flex(
            rx.button("Clear", on_click=clear_pad(PAD), variant="soft", color_scheme="gray", min_height=TOUCH,
                      min_width=TOUCH),
            rx.button("Sign", on_click=rx.call_script(read_pad(PAD), callback=RemoteSignState.save), size="3",
                      min_height=TOUCH, aria_label="Save " + RemoteSignState.role_label + " signature"),
            gap="12px", justify="end", width="100%"),
        spacing="3", width="100%", min_width="0",
    )  # fmt: skip


@rx.page(route=routes.SIGN, title="Sign · Closeout", on_load=RemoteSignState.load)
def remote_sign_page() -> rx.Component:
    return rx.box(
        rx.el.main(
            rx.cond(
                RemoteSignState.gone != "",
                rx.callout(RemoteSignState.gone, icon="link-2-off", color_scheme="red", size="3", id="link-gone"),
                rx.cond(
                    RemoteSignState.submitted != "",
                    rx.callout(RemoteSignState.submitted, icon="info", color_scheme="blue", size="3", id="case-submitted"),
                    rx.cond(
                        RemoteSignState.done,
                        rx.callout("Thank you. Your signature was recorded; you can hand the screen back.",
                                   icon="circle-check", color_scheme="green", size="3", id="signed-thanks"),
                        rx.cond(RemoteSignState.case_number != "", sign_form(), rx.spinner(size="3")),
                    ),
                ),
            ),
            max_width="760px", margin="0 auto", padding="16px", width="100%", box_sizing="border-box",
        ),
        min_height="100vh", background="var(--gray-2)",
    )  # fmt: skip
