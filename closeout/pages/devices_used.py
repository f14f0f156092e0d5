"""The Devices Used tab: review and edit every device line, add from the catalog,
see billable totals. Every change is saved at once through services.device_lines."""

from dataclasses import dataclass, field

import reflex as rx

from ..domain.catalog import PriceSource, UsageStatus
from ..domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from ..domain.money import format_usd
from ..domain.pricing import Totals
from ..services import catalog, device_lines
from ..services.auth import current_user
from ..services.device_lines import LineChange, LineView

PAGE_SIZE = 25
USAGE_OPTIONS = [s.value for s in UsageStatus]
PRICE_LABELS = {PriceSource.CONTRACT: "Contract price", PriceSource.LIST: "List price",
                PriceSource.EDITED: "Price edited"}
FIELDS = ("lot", "serial", "expiry", "quantity", "usage_status", "unit_price", "no_charge", "note")


@dataclass
class LineRow:
    id: int = 0
    position: int = 0
    ref: str = ""
    description: str = ""
    manufacturer: str = ""
    lot: str = ""
    serial: str = ""
    expiry: str = ""
    quantity: str = ""
    usage_status: str = ""
    unit_price: str = ""
    unit_price_display: str = ""
    price_source: str = ""
    price_label: str = ""
    no_charge: bool = False
    note: str = ""
    extended: str = ""
    excluded: str = ""
    expired: bool = False
    errors: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FIELDS, ""))


@dataclass
class Subtotal:
    manufacturer: str
    amount: str


@dataclass
class ProductRow:
    id: int
    ref: str
    description: str
    manufacturer: str
    gtin: str
    price: str
    price_label: str


def _excluded(view: LineView) -> str:
    if view.usage_status == UsageStatus.UNUSED:
        return "Unused — not billed"
    return "No charge" if view.no_charge else ""


def _row(view: LineView) -> LineRow:
    return LineRow(
        view.id, view.position, view.ref, view.description, view.manufacturer, view.lot, view.serial,
        view.expiry.isoformat() if view.expiry else "", str(view.quantity), view.usage_status.value,
        str(view.unit_price), format_usd(view.unit_price), view.price_source.value, PRICE_LABELS[view.price_source], view.no_charge,
        view.note, format_usd(view.extended) if view.billable else "N/C", _excluded(view), view.expired,
    )


class DevicesState(rx.State):
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

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.matching // PAGE_SIZE))

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

    def _fetch(self):
        page = device_lines.list_lines(current_user(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        if not page.lines and self.page > 1 and page.matching:
            self.page = max(1, -(-page.matching // PAGE_SIZE))
            page = device_lines.list_lines(current_user(), self.case_number, self.page, PAGE_SIZE, self.filter_text)
        self.rows = [_row(v) for v in page.lines]
        self.matching, self.editable = page.matching, page.editable
        self._set_totals(page.totals, page.line_count)

    def _apply(self, change: LineChange):
        """Put the saved line (and the new totals) in place without reloading the page."""
        self._set_totals(change.totals, change.line_count)
        if change.line is not None:
            self.rows = [_row(change.line) if r.id == change.line.id else r for r in self.rows]

    def _refused(self, line_id: int, refusal: DomainError):
        """Show a refusal next to the field, or as a toast with a fresh list."""
        if isinstance(refusal, InvalidInput) and refusal.field in FIELDS:
            for row in self.rows:
                if row.id == line_id:
                    row.errors = {**row.errors, refusal.field: refusal.message}
            self.rows = list(self.rows)
            return None
        self._fetch()
        return rx.toast.error(refusal.message)

    @rx.event
    def load(self):
        self.case_number = self.router.page.params.get("case_number", "")
        self.page, self.filter_text, self.product_query, self.hits = 1, "", "", []
        try:
            self._fetch()
        except NotFound:
            self.rows, self.matching = [], 0

    @rx.event
    def save(self, line_id: int, field_name: str, value: str | bool):
        try:
            change = device_lines.update_line(current_user(), self.case_number, line_id, field_name, value)
        except DomainError as refusal:
            return self._refused(line_id, refusal)
        self._apply(change)

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
            found = catalog.search_products(current_user(), self.case_number, self.product_query)
        except NotFound:
            found = []
        self.hits = [
            ProductRow(h.id, h.ref, h.description, h.manufacturer, h.gtin, format_usd(h.price),
                       PRICE_LABELS[h.price_source])
            for h in found
        ]

    @rx.event
    def add_product(self, product_id: int):
        try:
            change = device_lines.add_line(current_user(), self.case_number, product_id)
        except DomainError as refusal:
            return rx.toast.error(refusal.message)
        self.filter_text, self.product_query, self.hits = "", "", []
        self.matching = change.line_count
        self.page = self.page_count  # the new line is last
        self._fetch()
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
            device_lines.remove_line(current_user(), self.case_number, line_id)
        except (NotFound, NotAllowed) as refusal:
            self._fetch()
            return rx.toast.error(refusal.message)
        self._fetch()
        return rx.toast.success(f"Removed {label}")


# ---- view -------------------------------------------------------------------------------

from ..components.layout import TOUCH  # noqa: E402


def field_cell(label: str, control: rx.Component, error: rx.Var, hint: rx.Component | None = None) -> rx.Component:
    return rx.vstack(
        rx.text(label, size="1", weight="medium", color_scheme="gray"),
        control,
        rx.cond(error != "", rx.text(error, size="1", color_scheme="red", class_name="field-error", role="alert")),
        hint or rx.fragment(),
        spacing="1", min_width="0",
    )


def text_input(row: LineRow, name: str, label: str, value: rx.Var, **props) -> rx.Component:
    """An uncontrolled input saved on blur (or Enter); its key follows the saved value so a
    normalised value shows after saving, while a refused value stays for correcting."""
    return rx.input(
        default_value=value,
        key=f"{name}-{row.id}-{value}",
        on_blur=lambda v: DevicesState.save(row.id, name, v),
        read_only=~DevicesState.editable,
        aria_label=f"{label}, line {row.position}",
        color_scheme=rx.cond(row.errors[name] != "", "red", "gray"),
        size="3", min_height=TOUCH, width="100%",
        **props,
    )


def line_badges(row: LineRow) -> rx.Component:
    return rx.flex(
        rx.cond(row.price_source == "edited", rx.badge("Price edited", color_scheme="amber", class_name="price-edited")),
        rx.cond(row.expired, rx.badge(rx.icon("triangle-alert", size=12), "Expired before surgery", color_scheme="red")),
        rx.cond(row.excluded != "", rx.badge(row.excluded, color_scheme="gray")),
        gap="6px", wrap="wrap",
    )


def line_head(row: LineRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(
                rx.badge("#", row.position, variant="outline", color_scheme="gray"),
                rx.text(row.ref, weight="bold", class_name="line-ref"),
                rx.text(row.manufacturer, size="2", color_scheme="gray"),
                align="center", spacing="2", wrap="wrap",
            ),
            rx.text(row.description, size="2"),
            line_badges(row),
            spacing="1", flex="1", min_width="0",
        ),
        rx.vstack(
            rx.text(row.extended, weight="bold", size="4", class_name="line-extended"),
            rx.text(row.quantity, " × ", row.unit_price_display, size="1", color_scheme="gray", white_space="nowrap"),
            align="end", spacing="0",
        ),
        rx.cond(
            DevicesState.editable,
            rx.icon_button(
                rx.icon("trash-2"), on_click=DevicesState.ask_remove(row.id), variant="ghost",
                color_scheme="red", size="3", min_width=TOUCH, min_height=TOUCH,
                aria_label=f"Remove line {row.position}",
            ),
        ),
        gap="12px", align="start", width="100%",
    )


def usage_select(row: LineRow) -> rx.Component:
    return rx.select(
        USAGE_OPTIONS, value=row.usage_status,
        on_change=lambda v: DevicesState.save(row.id, "usage_status", v),
        disabled=~DevicesState.editable, size="3", width="100%",
        aria_label=f"Usage status, line {row.position}",
    )


def line_fields(row: LineRow) -> rx.Component:
    return rx.grid(
        field_cell("Lot", text_input(row, "lot", "Lot", row.lot), row.errors["lot"]),
        field_cell("Serial", text_input(row, "serial", "Serial", row.serial), row.errors["serial"]),
        field_cell(
            "Expiry", text_input(row, "expiry", "Expiry", row.expiry, type="date"), row.errors["expiry"],
            rx.cond(row.expired, rx.text("Before the surgery date", size="1", color_scheme="red")),
        ),
        field_cell("Quantity", text_input(row, "quantity", "Quantity", row.quantity, input_mode="numeric"),
                   row.errors["quantity"]),
        field_cell("Usage status", usage_select(row), row.errors["usage_status"]),
        field_cell(
            "Unit price ($)", text_input(row, "unit_price", "Unit price", row.unit_price, input_mode="decimal"),
            row.errors["unit_price"], rx.text(row.price_label, size="1", color_scheme="gray"),
        ),
        field_cell(
            "No charge",
            rx.flex(rx.switch(
                checked=row.no_charge, on_change=lambda v: DevicesState.save(row.id, "no_charge", v),
                disabled=~DevicesState.editable, size="3", aria_label=f"No charge, line {row.position}",
            ), min_height=TOUCH, align="center"),
            row.errors["no_charge"],
        ),
        rx.box(field_cell("Note", text_input(row, "note", "Note", row.note, placeholder="For the billing office"),
                          row.errors["note"]), grid_column="span 2"),
        grid_template_columns="repeat(auto-fill, minmax(165px, 1fr))",
        gap="12px", width="100%", margin_top="12px",
    )


def line_card(row: LineRow) -> rx.Component:
    return rx.card(
        line_head(row), line_fields(row),
        width="100%", class_name="device-line",
        opacity=rx.cond(row.excluded != "", "0.8", "1"),
    )


def pager() -> rx.Component:
    button = {"variant": "soft", "min_height": TOUCH, "min_width": TOUCH}
    return rx.flex(
        rx.button(rx.icon("chevrons-left"), on_click=DevicesState.go_to_page(1),
                  disabled=DevicesState.page <= 1, aria_label="First page", **button),
        rx.button("Previous", on_click=DevicesState.go_to_page(DevicesState.page - 1),
                  disabled=DevicesState.page <= 1, **button),
        rx.text("Page ", DevicesState.page, " of ", DevicesState.page_count, size="2", id="lines-page"),
        rx.button("Next", on_click=DevicesState.go_to_page(DevicesState.page + 1),
                  disabled=DevicesState.page >= DevicesState.page_count, **button),
        rx.button(rx.icon("chevrons-right"), on_click=DevicesState.go_to_page(DevicesState.page_count),
                  disabled=DevicesState.page >= DevicesState.page_count, aria_label="Last page", **button),
        gap="8px", align="center", justify="center", wrap="wrap", width="100%",
    )


def product_hit(hit: ProductRow) -> rx.Component:
    return rx.flex(
        rx.vstack(
            rx.hstack(rx.text(hit.ref, weight="bold"), rx.text(hit.manufacturer, size="1", color_scheme="gray"),
                      align="center", wrap="wrap"),
            rx.text(hit.description, size="2"),
            rx.text("GTIN ", hit.gtin, size="1", color_scheme="gray"),
            spacing="0", flex="1", min_width="0",
        ),
        rx.vstack(rx.text(hit.price, weight="medium"), rx.text(hit.price_label, size="1", color_scheme="gray"),
                  align="end", spacing="0"),
        rx.button(rx.icon("plus"), "Add", on_click=DevicesState.add_product(hit.id), size="3",
                  min_height=TOUCH, aria_label=f"Add {hit.ref}"),
        gap="12px", align="center", width="100%", padding_y="8px",
        border_bottom="1px solid var(--gray-4)", class_name="product-hit",
    )


def add_device_panel() -> rx.Component:
    return rx.card(
        rx.heading("Add a device", size="3", margin_bottom="8px"),
        rx.input(
            rx.input.slot(rx.icon("search")),
            placeholder="Search the catalog by REF, description or GTIN",
            value=DevicesState.product_query,
            on_change=DevicesState.search_products.debounce(250),
            size="3", width="100%", min_height=TOUCH, id="catalog-search",
        ),
        rx.cond(
            DevicesState.hits.length() > 0,
            rx.vstack(rx.foreach(DevicesState.hits, product_hit), spacing="0", width="100%", margin_top="8px"),
            rx.cond(DevicesState.product_query.length() >= 2,
                    rx.text("No product in the catalog matches.", size="2", color_scheme="gray", margin_top="8px")),
        ),
        width="100%",
    )


def totals_panel() -> rx.Component:
    return rx.card(
        rx.heading("Billable totals", size="3", margin_bottom="8px"),
        rx.foreach(
            DevicesState.subtotals,
            lambda s: rx.hstack(rx.text(s.manufacturer, size="2"), rx.spacer(),
                                rx.text(s.amount, size="2", weight="medium"), width="100%", class_name="subtotal"),
        ),
        rx.separator(margin_y="8px"),
        rx.hstack(rx.text("Grand total", weight="bold"), rx.spacer(),
                  rx.text(DevicesState.grand_total, weight="bold", size="5", id="grand-total"), width="100%"),
        rx.text(DevicesState.billable_lines, " billable of ", DevicesState.line_count, " lines", size="1",
                color_scheme="gray"),
        rx.cond(DevicesState.excluded_note != "", rx.text(DevicesState.excluded_note, size="1", color_scheme="gray")),
        width="100%", position=rx.breakpoints(initial="static", lg="sticky"), top="72px",
    )


def remove_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Remove this device line?"),
            rx.alert_dialog.description("Remove ", DevicesState.remove_label, " from the case. The Activity list keeps a record."),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Keep it", variant="soft", color_scheme="gray", min_height=TOUCH,
                                                 on_click=DevicesState.cancel_remove)),
                rx.alert_dialog.action(rx.button("Remove", color_scheme="red", min_height=TOUCH,
                                                 on_click=DevicesState.confirm_remove)),
                gap="12px", justify="end", margin_top="16px",
            ),
        ),
        open=DevicesState.remove_id != 0,
    )


def lines_list() -> rx.Component:
    return rx.vstack(
        rx.flex(
            rx.heading(DevicesState.line_count, " device lines", size="4"),
            rx.spacer(),
            rx.input(
                placeholder="Find a line: REF, lot, serial…", default_value=DevicesState.filter_text,
                on_change=DevicesState.set_filter.debounce(300), size="3", min_height=TOUCH,
                width=rx.breakpoints(initial="100%", sm="280px"), id="line-filter",
            ),
            gap="12px", align="center", wrap="wrap", width="100%",
        ),
        rx.cond(~DevicesState.editable, rx.callout(
            "This case has been submitted: Devices Used is read-only.", icon="lock", color_scheme="amber", width="100%")),
        rx.foreach(DevicesState.rows, line_card),
        rx.cond(DevicesState.matching == 0, rx.text(
            rx.cond(DevicesState.filter_text != "", "No line matches.", "No devices recorded yet."), color_scheme="gray")),
        pager(),
        spacing="3", width="100%", min_width="0",
    )


def devices_used_tab() -> rx.Component:
    return rx.flex(
        rx.vstack(rx.cond(DevicesState.editable, add_device_panel()), lines_list(),
                  spacing="3", flex="1", min_width="0", width="100%"),
        rx.box(totals_panel(), width=rx.breakpoints(initial="100%", lg="320px"), flex_shrink="0"),
        remove_dialog(),
        direction=rx.breakpoints(initial="column-reverse", lg="row"),
        gap="16px", align="start", width="100%",
    )
