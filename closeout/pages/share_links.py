"""The Share tab's buyer PO links: every link the sales order went out with (email, download,
print, PO reminders), its state, and Revoke (one, or all) for the rep or a manager."""

from dataclasses import dataclass

import reflex as rx

from ..components.layout import TOUCH
from ..domain.errors import DomainError
from ..domain.po_link import LinkStatus
from ..services import po_links
from ..services.db import DatabaseUnavailable
from .activity import ActivityState
from .base import AuthState, route_tail

TONES = {LinkStatus.LIVE: "green", LinkStatus.USED: "blue", LinkStatus.EXPIRED: "gray", LinkStatus.REVOKED: "red"}


@dataclass
class LinkShown:
    id: int
    purpose: str
    sales_order: str
    issued_at: str  # ISO UTC, shown in local time
    issued_by: str
    expires_at: str
    status: str  # live | used | expired | revoked
    status_label: str
    tone: str


def _shown(row: po_links.LinkRow) -> LinkShown:
    label = {LinkStatus.LIVE: "Live", LinkStatus.USED: "Used: POs entered", LinkStatus.EXPIRED: "Expired",
             LinkStatus.REVOKED: f"Revoked: {row.reason or 'revoked'}"}[row.status]  # fmt: skip
    return LinkShown(row.id, row.purpose, row.sales_order, row.issued_at.isoformat(), row.issued_by,
                     row.expires_at.isoformat(), row.status.value, label, TONES[row.status])  # fmt: skip


class ShareLinksState(AuthState):
    links: list[LinkShown] = []
    links_error: str = ""

    @rx.var
    def live_count(self) -> int:
        return sum(1 for link in self.links if link.status == LinkStatus.LIVE.value)

    @rx.event
    def load(self):
        try:
            self.links = [_shown(r) for r in po_links.links_of(self._actor(), route_tail(self))]
            self.links_error = ""
        except (DomainError, DatabaseUnavailable):
            self.links = []

    def _revoke(self, link_id: int | None):
        try:
            count = po_links.revoke(self._actor(), route_tail(self), link_id)
        except (DomainError, DatabaseUnavailable) as refusal:
            self.links_error = getattr(refusal, "message", "The link could not be revoked now; try again.")
            return None
        self.load()
        return [rx.toast.success(f"{count} buyer link{'' if count == 1 else 's'} revoked."), ActivityState.load]

    @rx.event
    def revoke(self, link_id: int):
        return self._revoke(int(link_id)) if isinstance(link_id, int) else None

    @rx.event
    def revoke_all(self):
        return self._revoke(None)


def _row(link: LinkShown) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(link.purpose, size="2"), rx.text(link.sales_order, " · by ", link.issued_by, size="1",
                                                               color_scheme="gray")),  # fmt: skip
        rx.table.cell(rx.moment(link.issued_at, format="MMM D, YYYY h:mm A", local=True), white_space="nowrap"),
        rx.table.cell(rx.moment(link.expires_at, format="MMM D, YYYY", local=True), white_space="nowrap"),
        rx.table.cell(rx.badge(link.status_label, color_scheme=link.tone, class_name="po-link-status")),
        rx.table.cell(rx.cond(link.status == "live", rx.button("Revoke", on_click=ShareLinksState.revoke(link.id),
                                                               variant="soft", color_scheme="red", size="2",
                                                               min_height=TOUCH, class_name="po-link-revoke"))),
        class_name="po-link-row",
    )  # fmt: skip


def buyer_links_card() -> rx.Component:
    """The list, loaded when the Share tab shows it."""
    return rx.card(
        rx.flex(
            rx.heading("Buyer PO links", size="4"),
            rx.cond(ShareLinksState.live_count > 1, rx.button(
                "Revoke all", on_click=ShareLinksState.revoke_all, variant="outline", color_scheme="red",
                min_height=TOUCH, id="po-links-revoke-all")),
            justify="between", align="center", width="100%", margin_bottom="4px",
        ),
        rx.text("Each shared sales order carries a link (and a QR code) with which the facility's buyer enters the PO "
                "without an account. A link stops working once the POs are entered, when the case is reopened, "
                "when it expires, or when revoked here.", size="1", color_scheme="gray", margin_bottom="8px"),
        rx.cond(ShareLinksState.links_error != "", rx.text(ShareLinksState.links_error, color_scheme="red", size="2",
                                                            role="alert")),
        rx.cond(ShareLinksState.links.length() > 0, rx.box(rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in ("Sent with", "Issued", "Expires",
                                                                                    "Status")],
                                         rx.table.column_header_cell(rx.el.span("Action", class_name="visually-hidden")))),
            rx.table.body(rx.foreach(ShareLinksState.links, _row)), width="100%", variant="ghost"),
            overflow_x="auto", width="100%"),
            rx.text("No buyer link yet: sharing the sales order makes one.", size="2", color_scheme="gray")),
        width="100%", id="po-links", on_mount=ShareLinksState.load,
    )  # fmt: skip
