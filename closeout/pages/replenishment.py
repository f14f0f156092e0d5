"""Replenishment: the request form that opens after submitting, the requests on a case,
and the list of all requests (`/replenishment`) where a manager marks them fulfilled."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, table_link
from ..domain.errors import DomainError, InvalidInput, NotAllowed
from ..domain.lifecycle import CaseAction, allows
from ..services import cases, replenishment
from .base import AuthState, route_tail
from .template import signed_in_page


@dataclass
class ItemRow:
    product_id: int
    ref: str
    description: str
    quantity: str


@dataclass
class RequestRow:
    id: int
    case_number: str
    case_url: str
    status: str
    item_summary: str
    item_count: int
    ship_to: str
    needed_by: str
    notes: str
    requested_at: str
    requested_by: str


def _request_row(view: replenishment.RequestView) -> RequestRow:
    return RequestRow(
        view.id, view.case_number, routes.case_url(view.case_number), view.status.value,
        "; ".join(f"{qty} × {ref} {description}" for ref, description, qty in view.items),
        sum(qty for *_, qty in view.items), view.ship_to.replace("\n", ", "), view.needed_by.strftime("%b %-d, %Y"),
        view.notes, view.requested_at.isoformat(), view.requested_by,
    )  # fmt: skip


class ReplenishmentState(AuthState):
    case_number: str = ""
    can_request: bool = False
    form_open: bool = False
    items: list[ItemRow] = []
    ship_to_options: list[list[str]] = []  # [label, address]
    ship_to: str = ""
    needed_by: str = ""
    notes: str = ""
    error: str = ""
    case_requests: list[RequestRow] = []
    all_requests: list[RequestRow] = []

    def _fetch_case(self):
        actor = self._actor()
        header = cases.case_header(actor, self.case_number)
        self.can_request = allows(header.status, CaseAction.REQUEST_REPLENISHMENT, actor.role)
        self.case_requests = [_request_row(v) for v in replenishment.requests(actor, self.case_number)]

    @rx.event
    def load(self):
        self.case_number, self.form_open = route_tail(self), False
        try:
            self._fetch_case()
        except DomainError:
            self.can_request, self.case_requests = False, []

    @rx.event
    def open_form(self):
        try:
            draft = replenishment.draft(self._actor(), self.case_number)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self.items = [ItemRow(i.product_id, i.ref, i.description, str(i.quantity)) for i in draft.items]
        self.ship_to_options = [[label, address] for label, address in draft.ship_to_options]
        self.ship_to = draft.ship_to_options[0][1]
        self.needed_by, self.notes, self.error, self.form_open = draft.needed_by.isoformat(), "", "", True
        self.can_request = True

    @rx.event
    def cancel_form(self):
        self.form_open = False

    @rx.event
    def set_quantity(self, product_id: int, value: str):
        self.items = [ItemRow(i.product_id, i.ref, i.description, value[:6]) if i.product_id == product_id else i
                      for i in self.items]  # fmt: skip

    @rx.event
    def drop_item(self, product_id: int):
        self.items = [i for i in self.items if i.product_id != product_id]

    @rx.event
    def set_ship_to(self, value: str):
        self.ship_to = value

    @rx.event
    def set_needed_by(self, value: str):
        self.needed_by = value

    @rx.event
    def set_notes(self, value: str):
        self.notes = value[:600]

    @rx.event
    def submit_form(self):
        items = [(i.product_id, i.quantity) for i in self.items]
        try:
            replenishment.request(self._actor(), self.case_number, items, self.ship_to, self.needed_by, self.notes)
        except InvalidInput as refusal:
            self.error = refusal.message
            return None
        except DomainError as refusal:
            self.form_open = False
            return rx.toast.error(refusal.message)
        self.form_open, self.error = False, ""
        self._fetch_case()
        from .activity import ActivityState

        return [rx.toast.success("Replenishment requested."), ActivityState.load]

    @rx.event
    def load_all(self):
        actor = self._actor()
        self.all_requests = [_request_row(v) for v in replenishment.requests(actor)]

    @rx.event
    def mark_fulfilled(self, request_id: int):
        try:
            replenishment.mark_fulfilled(self._actor(), request_id)
        except (NotAllowed, DomainError) as refusal:
            return rx.toast.error(refusal.message)
        self.all_requests = [_request_row(v) for v in replenishment.requests(self._actor())]
        return rx.toast.success("Marked fulfilled.")


def status_badge(status: rx.Var) -> rx.Component:
    return rx.badge(rx.cond(status == "fulfilled", "Fulfilled", "Requested"),
                    color_scheme=rx.cond(status == "fulfilled", "green", "blue"))  # fmt: skip


def item_row(item: ItemRow) -> rx.Component:
    return rx.flex(
        rx.vstack(rx.text(item.ref, weight="bold", size="2"), rx.text(item.description, size="1"), spacing="0",
                  flex="1", min_width="0"),
        rx.input(default_value=item.quantity, key=f"qty-{item.product_id}", input_mode="numeric", width="80px",
                 on_blur=lambda v: ReplenishmentState.set_quantity(item.product_id, v), size="3",
                 aria_label=f"Quantity of {item.ref} to restock", min_height=TOUCH),
        rx.icon_button(rx.icon("x"), on_click=ReplenishmentState.drop_item(item.product_id), variant="ghost",
                       color_scheme="gray", min_width=TOUCH, min_height=TOUCH, aria_label=f"Leave out {item.ref}"),
        gap="8px", align="center", width="100%", class_name="restock-item",
    )  # fmt: skip


def request_form() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Request Replenishment"),
            rx.dialog.description("Single-use items used in this case. Adjust the quantities before sending.",
                                  size="2"),
            rx.vstack(rx.foreach(ReplenishmentState.items, item_row), width="100%", margin_y="12px",
                      max_height="40vh", overflow_y="auto"),
            rx.text("Ship to", size="2", weight="medium"),
            rx.radio_group.root(
                rx.vstack(rx.foreach(ReplenishmentState.ship_to_options, lambda o: rx.el.label(
                    rx.radio_group.item(value=o[1]), o[0], display="flex", gap="8px", align_items="center",
                    min_height=TOUCH))),
                value=ReplenishmentState.ship_to, on_change=ReplenishmentState.set_ship_to, size="3"),
            rx.flex(
                rx.vstack(rx.text("Needed by", size="2", weight="medium"),
                          rx.input(type="date", value=ReplenishmentState.needed_by, size="3", min_height=TOUCH,
                                   on_change=ReplenishmentState.set_needed_by, aria_label="Needed by"),
                          spacing="1"),
                rx.vstack(rx.text("Notes", size="2", weight="medium"),
                          rx.input(value=ReplenishmentState.notes, on_change=ReplenishmentState.set_notes, size="3",
                                   min_height=TOUCH, aria_label="Replenishment notes", width="100%"),
                          spacing="1", flex="1"),
                gap="12px", wrap="wrap", width="100%", margin_top="8px"),
            rx.cond(ReplenishmentState.error != "", rx.text(ReplenishmentState.error, color_scheme="red", size="2",
                                                            role="alert", class_name="replenishment-error")),
            rx.flex(
                rx.button("Cancel", on_click=ReplenishmentState.cancel_form, variant="soft", color_scheme="gray",
                          min_height=TOUCH),
                rx.button("Send request", on_click=ReplenishmentState.submit_form, min_height=TOUCH,
                          id="send-replenishment"),
                gap="12px", justify="end", margin_top="16px"),
            max_width="640px",
        ),
        open=ReplenishmentState.form_open,
    )  # fmt: skip


def request_card(row: RequestRow) -> rx.Component:
    return rx.box(
        rx.flex(rx.text("Request #", row.id, weight="bold"), status_badge(row.status), gap="8px", align="center"),
        rx.text(row.item_summary, size="2"),
        rx.text("Ship to ", row.ship_to, " · needed by ", row.needed_by, size="1", color_scheme="gray"),
        padding_y="8px", border_bottom="1px solid var(--gray-4)", width="100%", class_name="replenishment-request",
    )  # fmt: skip


def replenishment_panel() -> rx.Component:
    """On the case: its requests, and the way to start one (also after cancelling the form)."""
    return rx.fragment(
        rx.cond(
            ReplenishmentState.can_request | (ReplenishmentState.case_requests.length() > 0),
            rx.card(
                rx.flex(
                    rx.heading("Replenishment", size="4"),
                    rx.cond(ReplenishmentState.can_request, rx.button(
                        rx.icon("package-plus"), "Start replenishment request", on_click=ReplenishmentState.open_form,
                        variant="soft", min_height=TOUCH)),
                    justify="between", align="center", wrap="wrap", gap="8px", width="100%"),
                rx.cond(ReplenishmentState.case_requests.length() > 0,
                        rx.vstack(rx.foreach(ReplenishmentState.case_requests, request_card), spacing="0",
                                  width="100%"),
                        rx.text("No replenishment requested for this case yet.", size="2", color_scheme="gray")),
                width="100%",
            ),
        ),
        request_form(),
    )  # fmt: skip


def list_row(row: RequestRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(table_link(row.case_number, row.case_url), padding_y="0"),
        rx.table.cell(row.item_summary, max_width="360px"),
        rx.table.cell(row.needed_by, white_space="nowrap"),
        rx.table.cell(row.requested_by),
        rx.table.cell(status_badge(row.status)),
        rx.table.cell(rx.cond(
            AuthState.is_manager & (row.status == "requested"),
            rx.button("Mark fulfilled", on_click=ReplenishmentState.mark_fulfilled(row.id), size="2",
                      min_height=TOUCH))),
        class_name="replenishment-row",
    )  # fmt: skip


@signed_in_page(routes.REPLENISHMENT, "Replenishment", on_load=[ReplenishmentState.load_all])
def replenishment_page() -> rx.Component:
    return (
        rx.heading("Replenishment requests", size="7", margin_bottom="16px"),
        rx.card(
            rx.table.root(
                rx.table.header(rx.table.row(
                    *[rx.table.column_header_cell(h) for h in ("Case", "Items", "Needed by", "Requested by", "Status")],
                    rx.table.column_header_cell(rx.el.span("Action", class_name="visually-hidden")))),
                rx.table.body(rx.foreach(ReplenishmentState.all_requests, list_row)),
                width="100%", variant="ghost",
            ),
            rx.cond(ReplenishmentState.all_requests.length() == 0,
                    rx.text("No replenishment requests yet.", padding="16px", color_scheme="gray")),
            width="100%", padding="0", overflow_x="auto",
        ),
    )  # fmt: skip
