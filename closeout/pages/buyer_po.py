"""The facility buyer's page behind a sales order link (/po/<token>): that sales order's summary
(seller, number, facility, surgery date, surgeon, lines per manufacturer with subtotals and
the total, status, POs already entered) and the form to enter one PO for all manufacturers or
one each, with the buyer's PO document. No sign-in and no app navigation; a dead link shows one
message. Two columns from a laptop's width (the form beside the order), one on a tablet."""

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..components.upload import labelled_upload
from ..domain.po_link import MAX_DOCUMENT_BYTES
from .buyer_po_state import BuyerPoState, LineRow, MakerRow, PoRow

S = BuyerPoState
UPLOAD_ID = "po-document"
INK, MUTED = "var(--gray-12)", "var(--gray-11)"


def _error(name: str) -> rx.Component:
    return rx.cond(S.errors.get(name, "") != "", rx.text(S.errors.get(name, ""), color_scheme="red", size="2", role="alert",
                                                         class_name="buyer-error", id=f"error-{name}"))  # fmt: skip


def _fact(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(label, size="1", color=MUTED, weight="medium", text_transform="uppercase", letter_spacing="0.04em"),
                     rx.text(value, size="3", weight="medium", overflow_wrap="anywhere"), spacing="1", min_width="0")  # fmt: skip


def _line(line: LineRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.text(line.ref, weight="medium", size="2"), rx.text(line.description, size="1", color=MUTED)),
        rx.table.cell(line.quantity, text_align="right"),
        rx.table.cell(line.unit_price, text_align="right", white_space="nowrap"),
        rx.table.cell(line.amount, text_align="right", white_space="nowrap"),
        class_name="buyer-line",
    )


def _maker(maker: MakerRow) -> rx.Component:
    return rx.box(
        rx.flex(
            rx.heading(maker.name, size="3"),
            rx.cond(maker.po_number != "", rx.badge(rx.icon("check", size=14), "PO ", maker.po_number, color_scheme="green")),
            justify="between", align="center", gap="8px", wrap="wrap", margin_bottom="6px",
        ),
        rx.table.root(
            rx.table.header(rx.table.row(
                rx.table.column_header_cell("Item"), rx.table.column_header_cell("Qty", text_align="right", width="56px"),
                rx.table.column_header_cell("Unit price", text_align="right", width="112px"),
                rx.table.column_header_cell("Amount", text_align="right", width="112px"))),
            rx.table.body(rx.foreach(maker.lines, _line)), variant="ghost", size="1", width="100%",
            table_layout="fixed",  # the same columns under every manufacturer
        ),
        rx.flex(rx.text("Subtotal", size="2", color=MUTED), rx.text(maker.subtotal, size="2", weight="bold"),
                justify="end", gap="16px", padding="8px 12px 0"),
        class_name="buyer-maker", padding_y="12px", border_top="1px solid var(--gray-5)",
    )  # fmt: skip


def _entered(po: PoRow) -> rx.Component:
    return rx.text(rx.text.strong(po.number), " · ", po.manufacturer, size="2", class_name="buyer-entered-po")


def order_summary() -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(rx.text("Sales order", size="2", color=MUTED),
                      rx.heading(S.sales_order, size="7", id="buyer-sales-order"), spacing="0"),
            rx.badge(S.status, size="2", color_scheme="amber", id="buyer-status"),
            justify="between", align="start", gap="12px", wrap="wrap",
        ),
        rx.grid(_fact("Bill to", S.facility), _fact("Surgery date", S.surgery_date), _fact("Surgeon", S.surgeon),
                columns=rx.breakpoints(initial="1", sm="3"), gap="16px", margin_y="16px"),  # fmt: skip
        rx.foreach(S.makers, _maker),
        rx.flex(rx.text("Total", size="4", weight="bold"), rx.text(S.total, size="5", weight="bold", id="buyer-total"),
                justify="between", align="center", padding="14px 12px", margin_top="4px",
                border_top="2px solid var(--gray-12)"),  # fmt: skip
        rx.cond(S.entered.length() > 0, rx.box(
            rx.text("Purchase Orders received", size="2", weight="bold", margin_bottom="4px"),
            rx.foreach(S.entered, _entered), padding="12px", background="var(--green-2)", border_radius="8px",
            id="buyer-entered")),
        width="100%", padding="24px", min_width="0",
    )  # fmt: skip


def po_fields() -> rx.Component:
    return rx.cond(
        S.mode == "all",
        rx.vstack(rx.text("PO number", size="2", weight="medium"),
                  rx.input(value=S.po_all, on_change=S.set_po_all, placeholder="e.g. PO-2026-0412", size="3",
                           width="100%", min_height=TOUCH, aria_label="PO number for all manufacturers", id="po-all"),
                  _error("po_all"), spacing="1", width="100%"),
        rx.vstack(rx.foreach(S.makers, lambda m: rx.vstack(
            rx.text(m.name, size="2", weight="medium"),
            rx.input(value=S.po_numbers[m.id.to_string()], on_change=lambda v: S.set_po_for(m.id.to_string(), v),
                     placeholder="PO number", size="3", width="100%", min_height=TOUCH,
                     aria_label="PO number for " + m.name, class_name="po-maker"),
            rx.cond(S.errors.get("po_" + m.id.to_string(), "") != "",
                    rx.text(S.errors.get("po_" + m.id.to_string(), ""), color_scheme="red", size="2", role="alert")),
            spacing="1", width="100%")), spacing="3", width="100%"),
    )  # fmt: skip


def document_field() -> rx.Component:
    return rx.vstack(
        rx.text("Your PO document (optional)", size="2", weight="medium"),
        rx.cond(
            S.doc_name != "",
            rx.flex(rx.icon("file-check", color="var(--green-11)"), rx.text(S.doc_name, size="2", id="po-document-name",
                                                                             overflow_wrap="anywhere", flex="1"),
                    rx.button("Remove", on_click=S.remove_document, variant="ghost", color_scheme="gray", min_height=TOUCH),
                    align="center", gap="8px", width="100%", padding="6px 10px", border="1px solid var(--green-7)",
                    border_radius="8px", background="var(--green-2)"),  # fmt: skip
            labelled_upload(
                rx.flex(rx.icon("file-up", size=20, color=MUTED),
                        rx.text("Choose a PDF, or drop it here · up to ", MAX_DOCUMENT_BYTES // 1048576, " MB", size="2"),
                        gap="8px", align="center"),
                id=UPLOAD_ID, accept={"application/pdf": [".pdf"]}, max_files=1, multiple=False,
                max_size=MAX_DOCUMENT_BYTES, on_drop=S.upload_document(rx.upload_files_chunk(upload_id=UPLOAD_ID)),
                on_drop_rejected=S.document_rejected, border="1px dashed var(--gray-8)", border_radius="8px",
                padding="12px 16px", min_height=TOUCH, width="100%", cursor="pointer", display="flex",
                align_items="center", class_name="po-document-drop", label="Your PO document (PDF)",
            ),
        ),
        _error("document"), spacing="1", width="100%",
    )  # fmt: skip


def po_form() -> rx.Component:
    return rx.card(
        rx.heading("Enter your Purchase Order", size="5"),
        rx.text("No account needed. The sales rep is told as soon as you submit.", size="2", color=MUTED),
        rx.vstack(
            rx.text("Your email", size="2", weight="medium"),
            rx.input(value=S.email, on_change=S.set_email, type="email", placeholder="you@hospital.org", size="3",
                     width="100%", min_height=TOUCH, aria_label="Your email", id="buyer-email", auto_complete="email"),
            _error("email"), spacing="1", width="100%", margin_top="16px",
        ),
        rx.radio_cards.root(
            rx.radio_cards.item(rx.text("One PO for all", weight="medium"), value="all", min_height=TOUCH),
            rx.radio_cards.item(rx.text("One PO per manufacturer", weight="medium"), value="each", min_height=TOUCH),
            value=S.mode, on_value_change=S.set_mode, columns="2", gap="8px", size="1", width="100%", margin_y="16px",
            id="po-mode",
        ),
        po_fields(), _error("po_number"),
        rx.box(document_field(), margin_top="16px", width="100%"),
        _error("form"),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="circle-check", color_scheme="green", margin_top="12px",
                                           id="buyer-notice")),
        rx.button(rx.cond(S.busy, rx.spinner(), rx.icon("send")), "Submit Purchase Order", on_click=S.submit,
                  disabled=S.busy, size="3", width="100%", min_height="48px", margin_top="16px", id="buyer-submit"),
        rx.text("This link is for this sales order only and works until ", S.expires, ".", size="1", color=MUTED,
                margin_top="10px"),
        width="100%", padding="24px", position=rx.breakpoints(initial="static", md="sticky"), top="16px",
    )  # fmt: skip


def message_card(icon: str, tone: str, element_id: str, *body: rx.Component) -> rx.Component:
    return rx.card(
        rx.flex(rx.icon(icon, size=40, color=f"var(--{tone}-11)"), rx.box(*body, id=element_id),
                direction="column", align="center", gap="12px", text_align="center", padding="32px 16px"),
        max_width="560px", margin="48px auto", width="100%",
    )  # fmt: skip


def body() -> rx.Component:
    return rx.cond(
        S.done != "", message_card(
            "circle-check", "green", "buyer-done", rx.heading("Thank you", size="6", margin_bottom="8px"),
            rx.text("The Purchase Order for sales order ", rx.text.strong(S.done, white_space="nowrap"),
                    " was received. Your sales rep has been told; nothing more is needed.", size="3")),
        rx.cond(
            S.gone != "", message_card("link-2-off", "gray", "buyer-link-gone", rx.text(S.gone, size="4", weight="medium")),
            rx.cond(S.sales_order != "", rx.grid(order_summary(), po_form(), gap="20px", width="100%", align_items="start",
                                                 grid_template_columns=rx.breakpoints(initial="1fr", md="minmax(0, 1fr) 400px")),
                    rx.center(rx.spinner(size="3"), padding="64px")),
        ),
    )  # fmt: skip


@rx.page(route=routes.PO_LINK, title="Enter your Purchase Order", on_load=BuyerPoState.load)
def buyer_po_page() -> rx.Component:
    return rx.box(
        rx.box(
            rx.flex(
                rx.flex(rx.icon("building-2", size=22), rx.text(rx.cond(S.seller != "", S.seller, "Sales order"),
                                                                 weight="bold", size="3"), gap="10px", align="center"),
                rx.flex(rx.icon("lock", size=14), rx.text("Secure Purchase Order entry", size="1"), gap="6px",
                        align="center", color=MUTED),
                justify="between", align="center", max_width="1120px", margin="0 auto", padding="14px 20px", gap="12px",
                wrap="wrap",
            ),
            background="white", border_bottom="1px solid var(--gray-5)",
        ),
        rx.el.main(body(), max_width="1120px", margin="0 auto", padding="20px", width="100%", box_sizing="border-box"),
        rx.text("This page shows one sales order only. Questions? Reply to the email from your sales rep.", size="1",
                color=MUTED, text_align="center", padding="8px 20px 32px"),
        min_height="100vh", background="var(--gray-2)", color=INK,
    )  # fmt: skip
