"""The POs on a case as the Sign & Submit tab lists them: who entered each (a user, or the
facility's buyer through the sales order link) and the buyer's PO document to download."""

import reflex as rx

from ... import routes
from ...components.layout import TOUCH
from ...services.billing import POView
from .cards import EnteredPO


def entered(po: POView) -> EnteredPO:
    url = routes.po_document_url(po.document_id) if po.document_id else ""
    return EnteredPO(po.manufacturer, po.number, po.entered_at.isoformat(), po.entered_by, url, po.document_name)


def _row(po: EnteredPO) -> rx.Component:
    return rx.flex(
        rx.text(rx.text.strong(po.number), " · ", po.manufacturer, size="2", min_width="min(100%, 280px)",
                overflow_wrap="anywhere"),
        rx.text("entered by ", po.entered_by, " · ", rx.moment(po.entered_at, format="MMM D, YYYY h:mm A", local=True),
                size="1", color_scheme="gray"),
        rx.cond(po.document_url != "", rx.el.a(
            rx.button(rx.icon("file-down", size=16), "PO document", variant="soft", size="2", min_height=TOUCH),
            href=po.document_url, download="", target="_blank", rel="noopener", title=po.document_name,
            class_name="po-document-link")),  # a new tab: a file route, not a page of the app
        gap="4px 12px", align="center", wrap="wrap", width="100%", class_name="po-entered",
    )  # fmt: skip


def po_entered_card(pos) -> rx.Component:
    """Shown whenever the case has a PO (also once Completed, when the PO form is gone)."""
    return rx.cond(
        pos.length() > 0,
        rx.card(
            rx.heading("Purchase Orders entered", size="4", margin_bottom="8px"),
            rx.vstack(rx.foreach(pos, _row), spacing="2", width="100%"),
            width="100%", id="po-entered",
        ),
    )  # fmt: skip
