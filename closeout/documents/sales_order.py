"""The sales order PDF (reportlab platypus), built from plain data so it can be tested as
data and as bytes. `rl_config.invariant` makes the same input give the same bytes."""

import io
import logging
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

from PIL import Image as PILImage
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import Image, KeepTogether, LongTable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..domain.errors import InvalidInput
from ..domain.money import format_usd
from ..domain.revisions import Correction
from ..domain.signing import open_signature
from ..domain.udi import udi_di, udi_hri
from .buyer_link import buyer_link_block

log = logging.getLogger(__name__)
rl_config.invariant = 1  # no timestamps or random ids in the file: same content, same bytes

PAGE = landscape(LETTER)
MARGIN = 0.5 * inch
INK, MUTED, RULE, BAND = (
    colors.HexColor("#1f2937"),
    colors.HexColor("#6b7280"),
    colors.HexColor("#d1d5db"),
    colors.HexColor("#eef2ff"),
)
HEADER = ["REF", "Description", "Manufacturer", "Lot", "Serial", "Expiry", "Usage", "Qty", "Unit price", "Extended"]
ROW_HEIGHT = 13
UDI_LINE_HEIGHT = 9  # the UDI, a second line in the row of a device with a GTIN
WIDTHS = [0.95, 2.35, 1.45, 0.85, 1.0, 0.75, 0.75, 0.4, 0.75, 0.75]
# An edited price's reason: a row of its own under the line, from the description to the price.
REASON_MARK, REASON_FONT, REASON_SIZE, REASON_BAND = "* Price edited: ", "Helvetica-Oblique", 7.0, colors.HexColor("#fffbeb")
PRICE_COLUMN = HEADER.index("Unit price")


@dataclass(frozen=True)
class OrderLine:
    ref: str
    description: str
    manufacturer: str
    lot: str
    serial: str
    expiry: date | None
    usage_status: str
    quantity: int
    unit_price: Decimal
    price_edited: bool
    no_charge: bool
    extended: Decimal
    gtin: str = ""  # the UDI-DI; "" for a product without a GTIN (no UDI row)
    price_reason: str = ""  # why an edited price differs: printed in a row under the line


@dataclass(frozen=True)
class OrderSignature:
    role: str
    signer_name: str
    meaning: str
    signed_at: str  # already formatted with its time zone
    attestation: bool
    image: bytes | None = None
    title: str = ""  # a provider's; printed instead of the role
    how_given: str = ""  # "on the rep's screen, signed with the account password", "attestation, …"
    since: str = ""  # a pre-authorization: "1 line added since"


@dataclass(frozen=True)
class SalesOrder:
    seller_name: str
    seller_address: str
    number: str
    case_number: str
    status: str
    facility: str
    bill_to: str
    account_number: str
    surgeon: str
    procedure: str
    surgery_date: date
    patient_ref: str
    sales_rep: str
    purchase_orders: list[tuple[str, str]]  # (manufacturer or "All manufacturers", PO number)
    lines: list[OrderLine]
    subtotals: list[tuple[str, Decimal]]
    grand_total: Decimal
    signatures: list[OrderSignature]
    fingerprint: str
    generated_at: str  # formatted with its time zone
    notes: list[str] = field(default_factory=list)
    buyer_url: str = ""  # the buyer's PO link: a QR code and the address near the PO box ("" : none)
    correction: Correction | None = None  # a corrected sales order (SO-…-R1): what it replaces and what changed


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()["BodyText"]
    make = lambda name, **kw: ParagraphStyle(name, parent=base, **{"textColor": INK, **kw})  # noqa: E731
    return {
        "title": make("title", fontName="Helvetica-Bold", fontSize=20, leading=24, alignment=TA_RIGHT),
        "right": make("right", fontSize=9, leading=11.5, alignment=TA_RIGHT),
        "seller": make("seller", fontName="Helvetica-Bold", fontSize=11, leading=14),
        "small": make("small", fontSize=8, leading=10, textColor=MUTED),
        "body": make("body", fontSize=9, leading=11.5),
        "cell": make("cell", fontSize=7.5, leading=9),
        "label": make("label", fontName="Helvetica-Bold", fontSize=7, leading=9, textColor=MUTED),
        "h2": make("h2", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=10, spaceAfter=4),
    }


def _text(value: object) -> str:
    """A value as Paragraph markup that prints it literally: reportlab parses a Paragraph's
    text as XML, so a name like `Pat &#9999999;` or `<b>x</b>` is escaped, never markup."""
    return escape(str(value))


def _lines_html(text: str) -> str:
    """A multi-line value: each line escaped, joined with line breaks."""
    return "<br/>".join(_text(part) for part in text.split("\n"))


def udi_text(line: OrderLine) -> str:
    """A line's UDI-DI and UDI in GS1 human-readable form, or "" without a GTIN. Printed as a
    second line of the REF cell, running under the whole row (plain table text: drawn as
    typed, never read as markup; one row per line keeps the 1,500-line table cheap to lay out)."""
    udi = udi_hri(line.gtin, line.expiry, line.lot, line.serial)
    return f"UDI-DI {udi_di(line.gtin)}  ·  UDI {udi}" if udi else ""


def row_heights(rows: list[list[str]]) -> list[int]:
    """Fixed heights (reportlab measures nothing): one text line, or two with a UDI."""
    return [ROW_HEIGHT + (UDI_LINE_HEIGHT if "\n" in cells[0] else 0) for cells in rows]


def line_rows(order: SalesOrder) -> list[list[str]]:
    """The table as text: a header, then one row per billed or no-charge line (with its UDI
    under the REF when the product has a GTIN)."""
    rows = [HEADER]
    for line in order.lines:
        udi = udi_text(line)
        price = format_usd(line.unit_price) + (" *" if line.price_edited else "")
        rows.append([
            f"{line.ref}\n{udi}" if udi else line.ref, line.description, line.manufacturer, line.lot, line.serial,
            line.expiry.isoformat() if line.expiry else "", line.usage_status, str(line.quantity), price,
            "N/C" if line.no_charge else format_usd(line.extended),
        ])  # fmt: skip
        rows += reason_row(line)
    return rows


def reason_row(line: OrderLine) -> list[list[str]]:
    """The row under an edited price with its reason: plain table text (drawn as typed, never
    read as markup), on one line like every row, so the table's heights stay known."""
    if not (line.price_edited and line.price_reason):
        return []
    return [["", REASON_MARK + line.price_reason, *[""] * (len(HEADER) - 2)]]


def is_reason_row(cells: list[str]) -> bool:
    return cells[0] == "" and cells[1].startswith(REASON_MARK)


def _reason_style(row: int, text: str) -> list[tuple]:
    """Spanning to the price column, in a band of its own, kept with its line; a long reason in
    wide letters is set smaller rather than run into the next column."""
    room = sum(WIDTHS[1 : PRICE_COLUMN + 1]) * inch - 12
    size = max(4.5, min(REASON_SIZE, REASON_SIZE * room / stringWidth(text, REASON_FONT, REASON_SIZE)))
    cells = ((1, row), (PRICE_COLUMN, row))
    return [("SPAN", *cells), ("FONT", *cells, REASON_FONT, size), ("TEXTCOLOR", *cells, MUTED),
            ("BACKGROUND", (0, row), (-1, row), REASON_BAND), ("NOSPLIT", (0, row - 1), (-1, row))]  # fmt: skip


def line_table_style(rows: list[list[str]]) -> list[tuple]:
    """Header band, right-aligned numbers, zebra rows, N/C in grey."""
    style = [
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7.5),
        ("FONT", (0, 1), (-1, -1), "Helvetica", 7.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("BACKGROUND", (0, 0), (-1, 0), BAND),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("ALIGN", (7, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    style.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f9fafb")]))
    for row, cells in enumerate(rows[1:], start=1):
        if cells[-1] == "N/C":
            style.append(("TEXTCOLOR", (-1, row), (-1, row), MUTED))
        if is_reason_row(cells):
            style += _reason_style(row, cells[1])
    return style


def totals_rows(order: SalesOrder) -> list[list[str]]:
    rows = [[f"Subtotal — {maker}", format_usd(amount)] for maker, amount in order.subtotals]
    return rows + [["Grand total", format_usd(order.grand_total)]]


def _facts(order: SalesOrder, s: dict) -> Table:
    def cell(label: str, value: str) -> list:
        return [Paragraph(_text(label.upper()), s["label"]), Paragraph(_lines_html(value) or "—", s["body"])]

    pos = "; ".join(f"{number} ({maker})" for maker, number in order.purchase_orders) or "Pending"
    left = [cell("Bill to", f"{order.facility}\n{order.bill_to}"), cell("Account number", order.account_number)]
    middle = [cell("Surgeon", order.surgeon), cell("Procedure", order.procedure),
              cell("Surgery date", order.surgery_date.strftime("%b %-d, %Y")), cell("Patient", order.patient_ref)]  # fmt: skip
    right = [cell("Case", order.case_number), cell("Status", order.status), cell("Sales Rep", order.sales_rep),
             cell("Purchase Order", pos)]  # fmt: skip
    columns = [Table([[c] for c in col], colWidths=[3.2 * inch]) for col in (left, middle, right)]
    table = Table([columns], colWidths=[3.4 * inch] * 3)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _flatten(png: bytes) -> io.BytesIO | None:
    """Signature pads give transparent PNGs: put them on white for print. None for a stored
    image that is unreadable or larger than a signature pad gives (rows saved before the
    signature was checked on the way in): it is not decoded, the signer's name is printed."""
    try:
        image = open_signature(png).convert("RGBA")
    except InvalidInput:
        log.warning("A stored signature image was not printed: unreadable or too large")
        return None
    white = PILImage.new("RGBA", image.size, "white")
    out = io.BytesIO()
    PILImage.alpha_composite(white, image).convert("RGB").save(out, format="PNG")
    out.seek(0)
    return out


def _signature_cell(sig: OrderSignature, s: dict, width: float) -> Table:
    """One signature: the mark, printed name · title or role, meaning, when, how given."""
    name = _text(sig.signer_name)
    flat = _flatten(sig.image) if sig.image and not sig.attestation else None
    if flat is not None:
        mark = Image(flat, width=min(2.4 * inch, width - 0.3 * inch), height=0.6 * inch, kind="proportional")
    elif sig.attestation or not sig.image:
        mark = Paragraph(f"<i>Attestation:</i> {name}", s["body"])
    else:
        mark = Paragraph(f"<i>Signed (image not shown):</i> {name}", s["body"])
    parts = [mark, Paragraph(f"<b>{name}</b> · {_text(sig.title or sig.role)}", s["body"]),
             Paragraph(_text(sig.meaning), s["small"]),
             Paragraph(_text(("Entered " if sig.attestation else "Signed ") + sig.signed_at), s["small"])]  # fmt: skip
    if sig.how_given:
        parts.append(Paragraph(_text(f"How: {sig.how_given}"), s["small"]))
    if sig.since:
        parts.append(Paragraph(f"<b>{_text(sig.since)} it was given</b>", s["small"]))
    return Table([[part] for part in parts])


def _signature_block(order: SalesOrder, s: dict) -> Table | Paragraph:
    """The signatures side by side, up to three to a row (a pre-authorization first)."""
    if not order.signatures:
        return Paragraph("Not yet signed.", s["body"])
    across = min(3, max(2, len(order.signatures)))
    width = 6.3 * inch / across
    cells = [_signature_cell(sig, s, width) for sig in order.signatures]
    rows = [cells[i : i + across] + [""] * (across - len(cells[i : i + across])) for i in range(0, len(cells), across)]
    table = Table(rows, colWidths=[width] * across, hAlign="LEFT")
    style = [("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("BOX", (col, row), (col, row), 0.5, RULE) for row, cols in enumerate(rows)
              for col, cell in enumerate(cols) if cell != ""]  # fmt: skip
    table.setStyle(TableStyle(style))
    return table


def _footer_canvas(order: SalesOrder):
    """A canvas that holds each page until the end, then stamps 'Page X of Y', the
    generated-at time and the content fingerprint on every page (one pass)."""

    class FooterCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                self._footer(number, total)
                super().showPage()
            super().save()

        def _footer(self, number: int, total: int):
            self.saveState()
            self.setFont("Helvetica", 7)
            self.setFillColor(MUTED)
            y = MARGIN / 2
            self.drawString(MARGIN, y, f"{order.number} · generated {order.generated_at}")
            self.drawCentredString(PAGE[0] / 2, y, f"Content fingerprint SHA-256 {order.fingerprint}")
            self.drawRightString(PAGE[0] - MARGIN, y, f"Page {number} of {total}")
            self.restoreState()

    return FooterCanvas


CHANGES_SHOWN = 25  # the box is one table cell, which never splits across pages


def _correction(order: SalesOrder, s: dict) -> list:
    """A corrected sales order says which one it replaces, why, what changed, and the credit
    and rebill. Nothing for an original sales order."""
    fix = order.correction
    if fix is None:
        return []
    told = fix.changes[:CHANGES_SHOWN] + ([f"… and {len(fix.changes) - CHANGES_SHOWN} more changes"]
                                          if len(fix.changes) > CHANGES_SHOWN else [])  # fmt: skip
    changes = "".join(f"<br/>• {_text(text)}" for text in told)
    money = (f"Credit {_text(fix.corrects)}: <b>{format_usd(fix.credit)}</b> · Rebill {_text(order.number)}: "
             f"<b>{format_usd(fix.rebill)}</b> · Net {format_usd(fix.net)}")  # fmt: skip
    box = Table([[Paragraph(f"Corrects {_text(fix.corrects)} — what changed", s["h2"])],
                 [Paragraph(f"Reason: {_text(fix.reason)}{changes}", s["body"])], [Paragraph(money, s["body"])]],
                colWidths=[10.0 * inch])  # fmt: skip
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, INK), ("BACKGROUND", (0, 0), (-1, -1), REASON_BAND)]))
    return [box, Spacer(1, 6)]


def story(order: SalesOrder) -> list:
    s = _styles()
    head = Table(
        [[Paragraph(_text(order.seller_name), s["seller"]), Paragraph("Sales Order", s["title"])],
         [Paragraph(_lines_html(order.seller_address), s["small"]),
          Paragraph(f"<b>{_text(order.number)}</b> · case {_text(order.case_number)}", s["right"])]],
        colWidths=[6.0 * inch, 4.0 * inch],
    )  # fmt: skip
    head.setStyle(TableStyle([("ALIGN", (1, 0), (1, -1), "RIGHT"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    rows = line_rows(order)
    # Cells are plain strings of one line (two with a UDI), so every row's height is known:
    # saying so spares reportlab measuring 1,500 rows.
    lines = LongTable(rows, colWidths=[w * inch for w in WIDTHS], rowHeights=row_heights(rows), repeatRows=1)
    lines.setStyle(TableStyle(line_table_style(rows)))
    totals = Table(totals_rows(order), colWidths=[2.4 * inch, 1.1 * inch], hAlign="RIGHT")
    totals.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9), ("FONT", (0, -1), (-1, -1), "Helvetica-Bold", 10.5),
        ("ALIGN", (1, 0), (1, -1), "RIGHT"), ("LINEABOVE", (0, -1), (-1, -1), 1, INK),
    ]))  # fmt: skip
    closing = Table(
        [[[Paragraph("Signatures", s["h2"]), _signature_block(order, s)], totals]],
        colWidths=[6.4 * inch, 3.6 * inch],
    )  # fmt: skip
    closing.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (1, 0), (1, 0), 12)]))  # fmt: skip
    notes = [Paragraph("* unit price edited by hand (not the contract or list price). "
                       "N/C: no charge. Unused devices are not listed.", s["small"])]  # fmt: skip
    notes += [Paragraph(_lines_html(note), s["small"]) for note in order.notes]
    return [
        head, Spacer(1, 6), _facts(order, s), *buyer_link_block(order.buyer_url, s["body"], s["small"]), Spacer(1, 6),
        *_correction(order, s),
        Paragraph(f"Devices ({len(order.lines)} lines)", s["h2"]), lines, Spacer(1, 4),
        KeepTogether([closing, Spacer(1, 4), *notes]),
    ]  # fmt: skip


def render(order: SalesOrder) -> bytes:
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                       bottomMargin=0.75 * inch, title=f"Sales Order {order.number}", author=order.seller_name,
                       subject=f"Case {order.case_number}", creator="Closeout")  # fmt: skip
    doc.build(story(order), canvasmaker=_footer_canvas(order))
    return out.getvalue()
