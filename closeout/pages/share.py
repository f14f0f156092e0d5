"""The Share tab: email the sales order to the facility's billing contact (or anyone in
All Emails, or typed), download or print it, and see when it was last shared."""

import asyncio
import logging
import uuid
from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, table_link
from ..domain.errors import DomainError, InvalidInput
from ..domain.sharing import ShareKind
from ..services import auth, sharing
from ..services.db import DatabaseUnavailable
from .activity import ActivityState
from .base import AuthState, origin, route_tail
from .share_links import ShareLinksState, buyer_links_card
from .share_revisions import revisions_card
from .tab_tasks import OnePerTab

log = logging.getLogger(__name__)
EXPORT_FOLLOW_UPS = OnePerTab()
HOW = {ShareKind.EMAIL: "Emailed", ShareKind.DOWNLOAD: "Downloaded", ShareKind.PRINT: "Printed"}


@dataclass
class ContactRow:
    label: str
    email: str


@dataclass
class ShareRow:
    id: int
    how: str
    delivery: str
    recipients: str
    shared_at: str
    shared_by: str
    current: bool
    copy_url: str


def _row(record: sharing.ShareRecord) -> ShareRow:
    return ShareRow(record.id, HOW[record.kind], record.delivery, record.recipients, record.shared_at.isoformat(),
                    record.shared_by, record.current, routes.shared_copy_url(record.id))  # fmt: skip


class ShareState(AuthState):
    case_number: str = ""
    can_share: bool = False
    recipients: str = ""
    contacts: list[ContactRow] = []
    subject: str = ""
    message: str = ""
    errors: dict[str, str] = {}
    busy: bool = False
    draft_id: str = ""
    mail_configured: bool = False
    history: list[ShareRow] = []
    notice: str = ""

    @rx.var
    def pdf_url(self) -> str:
        return routes.sales_order_url(self.case_number)

    def _fetch(self, fresh_draft: bool):
        context = sharing.share_context(self._actor(), self.case_number)
        self.can_share, self.mail_configured = context.can_share, context.mail_configured
        self.contacts = [ContactRow(f"{c.name} · {c.role} · {c.email}", c.email) for c in context.contacts]
        self.history = [_row(r) for r in context.history]
        if fresh_draft:
            self.recipients, self.subject, self.message = context.default_recipient, context.subject, context.message
            self.draft_id, self.errors = uuid.uuid4().hex, {}

    @rx.event
    def load(self):
        self.case_number, self.notice, self.busy = route_tail(self), "", False
        try:
            self._fetch(fresh_draft=True)
        except DomainError:
            self.can_share, self.history = False, []

    @rx.event
    def set_recipients(self, value: str):
        self.recipients = value[:2000]

    @rx.event
    def pick_contact(self, email: str):
        self.recipients, self.errors = email, {**self.errors, "recipients": ""}

    @rx.event
    def set_subject(self, value: str):
        self.subject = value[:300]

    @rx.event
    def set_message(self, value: str):
        self.message = value[:6000]

    @rx.event
    async def send(self, draft_id: str):
        """`draft_id` is what the browser showed when Send was clicked: a second click of a
        double click carries the draft the first click already sent, and is dropped. Building
        the PDF and talking to the mail server run off the event loop, so other screens on
        this worker stay responsive meanwhile; whatever happens, Send does not stay busy."""
        if self.busy or draft_id != self.draft_id:
            return
        self.busy, self.errors = True, {}
        yield
        # origin(self): the buyer's PO link on the sales order is made at the address this browser uses
        draft = (self.session_token, self.case_number, self.recipients, self.subject, self.message, self.draft_id,
                 origin(self))  # fmt: skip
        try:
            record = await asyncio.to_thread(_send, *draft)
        except InvalidInput as refusal:
            self.errors = {refusal.field: refusal.message}
            return
        except DomainError as refusal:
            self.errors = {"send": refusal.message}
            return
        except DatabaseUnavailable:
            self.errors = {"send": f"{DatabaseUnavailable.message} Nothing was sent; try again."}
            return
        except Exception:
            log.exception("sending the sales order failed")
            self.errors = {"send": "The sales order could not be sent because of an unexpected error. Nothing was sent."}
            return
        finally:
            self.busy = False
        self._fetch(fresh_draft=True)
        if record.delivery == "sent":
            self.notice = f"Sent to {record.recipients}."
        elif record.delivery.startswith("sent;"):  # some addresses refused, the others took it
            self.notice = (
                f"Sent to {record.recipients}, but the mail server {record.delivery.removeprefix('sent; ')}: check the addresses."
            )
        else:
            self.notice = f"No mail server is configured: the message to {record.recipients} was saved to the outbox, not sent."
        yield ActivityState.load
        yield ShareLinksState.load  # the new buyer PO link

    @rx.event(background=True)
    async def refresh_after_export(self):
        """Download and Print are plain links (a user gesture, so tablets open them); the
        route records the share, and this picks it up. One per tab, signed in only."""
        async with self:
            client, token = self.router.session.client_token, self.session_token
        if not await asyncio.to_thread(_signed_in, token):
            return
        ticket = EXPORT_FOLLOW_UPS.start_if_idle(client)
        if ticket is None:
            return
        try:
            for _ in range(10):
                await asyncio.sleep(0.5)
                async with self:
                    before = len(self.history)
                    self._fetch(fresh_draft=False)
                    if len(self.history) > before:
                        break
        finally:
            EXPORT_FOLLOW_UPS.finish(client, ticket)
        yield ActivityState.load
        yield ShareLinksState.load  # the new buyer PO link


def _send(token: str, number: str, recipients: str, subject: str, message: str, draft_id: str, at: str = ""):
    return sharing.send(auth.actor_for_session(token), number, recipients, subject, message, draft_id, at)


def _signed_in(token: str) -> bool:
    try:
        auth.actor_for_session(token)
    except DomainError:
        return False
    return True


def last_shared() -> rx.Component:
    last = ShareState.history[0]
    return rx.cond(
        ShareState.history.length() > 0,
        rx.callout(
            rx.vstack(
                rx.text(rx.text.strong("Last shared "), rx.moment(last.shared_at, format="MMM D, YYYY h:mm A", local=True),
                        " · ", last.how, rx.cond(last.recipients != "", rx.text.span(" to ", last.recipients), ""),
                        " by ", last.shared_by, rx.cond(last.delivery == "saved to outbox", " (saved to outbox, not sent)", "")),
                rx.cond(~last.current, rx.text("The case has changed since then: the last shared copy is out of date.",
                                                weight="bold", class_name="share-out-of-date")),
                spacing="1"),
            icon=rx.cond(last.current, "circle-check", "triangle-alert"),
            color_scheme=rx.cond(last.current, "green", "amber"), id="last-shared", width="100%",
        ),
        rx.callout("This sales order has not been shared yet.", icon="info", color_scheme="gray", id="last-shared",
                   width="100%"),
    )  # fmt: skip


def field_error(name: str) -> rx.Component:
    return rx.cond(ShareState.errors.get(name, "") != "", rx.text(ShareState.errors.get(name, ""), color_scheme="red",
                                                                  size="2", role="alert", class_name="share-error"))  # fmt: skip


def email_form() -> rx.Component:
    return rx.card(
        rx.heading("Email the sales order", size="4", margin_bottom="8px"),
        rx.text("To", size="2", weight="medium"),
        rx.flex(
            rx.input(value=ShareState.recipients, on_change=ShareState.set_recipients, size="3", flex="1",
                     min_width="240px", min_height=TOUCH, aria_label="Recipients", id="share-recipients",
                     placeholder="name@hospital.org (several: separate with commas)"),
            rx.select.root(
                rx.select.trigger(placeholder="All Emails", min_height=TOUCH, aria_label="All Emails"),
                rx.select.content(rx.foreach(ShareState.contacts, lambda c: rx.select.item(
                    c.label, value=c.email, min_height=TOUCH))),
                value="", on_change=ShareState.pick_contact, size="3",
            ),
            gap="8px", wrap="wrap", width="100%",
        ),
        field_error("recipients"),
        rx.text("Subject", size="2", weight="medium", margin_top="8px"),
        rx.input(value=ShareState.subject, on_change=ShareState.set_subject, size="3", width="100%",
                 min_height=TOUCH, aria_label="Subject"),
        field_error("subject"),
        rx.text("Message", size="2", weight="medium", margin_top="8px"),
        rx.text_area(value=ShareState.message, on_change=ShareState.set_message, rows="6", width="100%",
                     aria_label="Message"),
        field_error("message"),
        field_error("send"),
        rx.text("The sales order PDF is attached, with a link for the buyer to enter the PO.", size="1", color_scheme="gray", margin_top="4px"),
        rx.flex(
            rx.button(rx.cond(ShareState.busy, rx.spinner(), rx.icon("send")), "Send",
                      on_click=ShareState.send(ShareState.draft_id),
                      disabled=ShareState.busy, size="3", min_height=TOUCH, id="share-send"),
            justify="end", margin_top="8px"),
        width="100%",
    )  # fmt: skip


def file_actions() -> rx.Component:
    """Download and Print, once the tab knows its case (a link before that would name none)."""
    link = {"target": "_blank", "rel": "noopener", "on_click": ShareState.refresh_after_export}
    return rx.cond(ShareState.case_number != "", rx.card(
        rx.heading("Download or print", size="4", margin_bottom="8px"),
        rx.flex(
            rx.el.a(rx.button(rx.icon("download"), "Download PDF", variant="soft", size="3", min_height=TOUCH),
                    href=ShareState.pdf_url + "?for=download", download="", id="share-download", **link),
            rx.el.a(rx.button(rx.icon("printer"), "Print", variant="soft", size="3", min_height=TOUCH),
                    href=ShareState.pdf_url + "?for=print", id="share-print", **link),
            gap="12px", wrap="wrap"),
        width="100%",
    ))  # fmt: skip


def history_row(row: ShareRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.moment(row.shared_at, format="MMM D, YYYY h:mm A", local=True), white_space="nowrap"),
        rx.table.cell(row.how, rx.cond(row.delivery == "saved to outbox", " (outbox)", "")),
        rx.table.cell(row.recipients),
        rx.table.cell(row.shared_by),
        rx.table.cell(table_link("Copy", row.copy_url, is_external=True),
                      rx.cond(row.current, "", rx.badge("out of date", color_scheme="amber", margin_left="6px")),
                      padding_y="0", white_space="nowrap"),
        class_name="share-history-row",
    )  # fmt: skip


def share_tab() -> rx.Component:
    return rx.vstack(
        last_shared(),
        revisions_card(),  # after a correction: every sales order revision, each PDF kept (share_revisions.py)
        rx.cond(ShareState.notice != "", rx.callout(ShareState.notice, icon="mail-check", width="100%",
                                                    color_scheme=rx.cond(ShareState.mail_configured, "green", "amber"),
                                                    id="share-notice")),
        rx.grid(email_form(), file_actions(), grid_template_columns=rx.breakpoints(initial="1fr", lg="2fr 1fr"),
                gap="16px", width="100%"),
        buyer_links_card(),
        rx.card(
            rx.heading("Share history", size="4", margin_bottom="8px"),
            rx.cond(ShareState.history.length() > 0, rx.box(rx.table.root(
                rx.table.header(rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("When", "How", "To", "By")],
                    rx.table.column_header_cell(rx.el.span("Shared copy", class_name="visually-hidden")))),
                rx.table.body(rx.foreach(ShareState.history, history_row)), width="100%", variant="ghost"),
                overflow_x="auto", width="100%"),
                rx.text("Nothing shared yet.", size="2", color_scheme="gray")),
            width="100%"),
        spacing="4", width="100%",
    )  # fmt: skip
