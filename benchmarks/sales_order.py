"""Issue: the 1,500-line sales order. Time to build it (database to PDF bytes), and in the
same run the floor: reportlab's bare canvas drawing the same cell text on the same number
of pages, with no layout. Reported as a ratio."""

import io
import time

from reportlab.pdfgen import canvas
from sqlmodel import select

from benchmarks.stats import percentile, report
from closeout.documents.sales_order import MARGIN, PAGE, WIDTHS, line_rows, render
from closeout.models import Case
from closeout.seed import BIG_CASE_NUMBER
from closeout.services import sales_order
from closeout.services.db import reading

RUNS = 7


def floor(rows: list[list[str]], pages: int) -> bytes:
    """Every cell's text with drawString, the header repeated, a footer line per page."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=PAGE)
    per_page = -(-len(rows[1:]) // pages)
    xs = [MARGIN + sum(WIDTHS[:i]) * 72 for i in range(len(WIDTHS))]
    for start in range(1, len(rows), per_page):
        y = PAGE[1] - MARGIN
        for row in [rows[0], *rows[start : start + per_page]]:
            pdf.setFont("Helvetica", 7.5)
            for x, cell in zip(xs, row, strict=True):
                pdf.drawString(x, y, cell)
            y -= 12
        pdf.drawString(MARGIN, MARGIN / 2, "footer")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def run() -> list[tuple[str, bool]]:
    with reading() as session:
        case = session.exec(select(Case).where(Case.number == BIG_CASE_NUMBER)).one()
        sales_order.build(session, case)  # warm-up: imports, fonts
        builds, renders = [], []
        for _ in range(RUNS):
            start = time.perf_counter()
            order, pdf = sales_order.build(session, case)
            builds.append(time.perf_counter() - start)
            start = time.perf_counter()
            render(order)
            renders.append(time.perf_counter() - start)
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    rows = line_rows(order)
    floors = []
    for _ in range(RUNS):
        start = time.perf_counter()
        floor(rows, pages)
        floors.append(time.perf_counter() - start)
    results = [report("sales_order.build_1500_lines", builds, "s", 1, f"{RUNS} builds, database to {pages}-page PDF",
                      key="p50")]  # fmt: skip
    report("sales_order.render_only", renders, "s", 1, "platypus layout and drawing only", key="p50")
    report("sales_order.canvas_floor", floors, "s", 1, "bare canvas, same text and pages", key="p50")
    ratio = percentile(renders, 50) / percentile(floors, 50)
    ok = ratio <= 3
    print(f"{'sales_order.ratio_to_floor':34s} {ratio:.2f}x  (render p50 / canvas floor p50; target <= 3x: "
          f"{'met' if ok else 'MISSED'})")  # fmt: skip
    return [*results, ("sales_order.ratio_to_floor", ok)]
