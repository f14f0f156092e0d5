"""The buyer's PO link on the sales order: a QR code (reportlab's own encoder) and the address
printed beside it, near the Purchase Order box, so the facility's buyer can enter the PO
online from the paper or the PDF."""

from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, Table, TableStyle

QR_SIDE = 0.95 * inch
TEXT_WIDTH = 4.6 * inch


def qr_drawing(url: str, side: float = QR_SIDE) -> Drawing:
    """The URL as a QR code (error correction M) scaled to `side` points."""
    widget = QrCodeWidget(url, barLevel="M", barBorder=2)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(side, side, transform=[side / (x1 - x0), 0, 0, side / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def buyer_link_block(url: str, body: ParagraphStyle, small: ParagraphStyle) -> list:
    """[] without a link (the sales order as it always was); else the QR and the address,
    right-aligned under the case facts. The address is escaped: printed, never markup."""
    if not url:
        return []
    text = [
        Paragraph("<b>Enter your Purchase Order online</b>", body),
        Paragraph("Scan the code, or open this address, to see this sales order and enter one PO for all "
                  "manufacturers or one per manufacturer (your PO document may be attached).", small),
        Paragraph(f'<font face="Courier" size="7">{escape(url)}</font>', small),
    ]  # fmt: skip
    table = Table([[qr_drawing(url), text]], colWidths=[QR_SIDE + 8, TEXT_WIDTH], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#d1d5db")),
        ("LEFTPADDING", (0, 0), (0, 0), 4), ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))  # fmt: skip
    return [table]
