"""HTTP routes beside the Reflex app: the console's CSV exports (cases, device lines), and sales
order PDFs, served only to someone who may see the case (never from a public folder); and the
service worker, /sw.js, revalidated on every check."""

from itertools import chain

from reflex.utils import prerequisites
from reflex_base import constants
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from . import routes as paths
from .domain import clock
from .domain.console import parse_filters
from .domain.errors import DomainError, NotFound
from .services import buyer_po, catalog_export, console, corrections, line_export, sharing
from .services.auth import COOKIE, actor_for_session

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _actor(request: Request):
    """The signed-in user of the request's session cookie (NotSignedIn, a 404, otherwise)."""
    return actor_for_session(request.cookies.get(COOKIE, ""))


def _id(request: Request, name: str, lowest: int = 1) -> int:
    """A path's id as the database can hold it: anything beyond (30 digits, say) is not found,
    never a database error and a 500. Row ids start at 1, revisions at 0 (the first sales order)."""
    value = int(request.path_params[name])
    if not lowest <= value < 2**31:
        raise NotFound("Not found.")
    return value


def _pdf(filename: str, pdf: bytes, attachment: bool) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(pdf, media_type="application/pdf",
                    headers={**NO_STORE, "Content-Disposition": f'{disposition}; filename="{filename}"'})  # fmt: skip


def sales_order(request: Request) -> Response:
    """/sales-orders/<case number>.pdf?for=download|print: generate, record the share, serve."""
    kind = request.query_params.get("for", "download")
    try:
        filename, pdf = sharing.export(_actor(request), request.path_params["case_number"], kind, str(request.base_url))
    except DomainError as refusal:
        return PlainTextResponse(refusal.message, status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=kind == "download")


def shared_copy(request: Request) -> Response:
    """/sales-orders/shared/<share id>.pdf: the exact copy that was shared."""
    try:
        filename, pdf = sharing.shared_copy(_actor(request), _id(request, "share_id"))
    except (DomainError, ValueError) as refusal:
        return PlainTextResponse(getattr(refusal, "message", "Not found."), status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=False)


def po_document(request: Request) -> Response:
    """/po-documents/<id>.pdf: the PO document a buyer attached through the sales order link,
    downloaded (never shown inline: it is the buyer's file)."""
    try:
        filename, pdf = buyer_po.document_for(_actor(request), _id(request, "document_id"))
    except (DomainError, ValueError) as refusal:
        return PlainTextResponse(getattr(refusal, "message", "Not found."), status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=True)


def sales_order_revision(request: Request) -> Response:
    """/sales-orders/<case number>/revisions/<n>.pdf: a sales order kept when a correction
    superseded it, exactly as it stood."""
    try:
        filename, pdf = corrections.revision_pdf(_actor(request), request.path_params["case_number"],
                                                 _id(request, "revision", lowest=0))  # fmt: skip
    except (DomainError, ValueError) as refusal:
        return PlainTextResponse(getattr(refusal, "message", "Not found."), status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=False)


def console_csv(request: Request) -> Response:
    """/console/export.csv?<the console's filters>: every matching case, streamed."""
    try:
        actor = _actor(request)
        rows = console.export_csv(actor, parse_filters(dict(request.query_params)))
        first = next(rows)  # refusals surface before the response starts
    except DomainError as refusal:
        return PlainTextResponse(refusal.message, status_code=404 if isinstance(refusal, NotFound) else 400, headers=NO_STORE)
    disposition = f'attachment; filename="closeout-cases-{clock.now():%Y%m%d-%H%M}.csv"'
    return StreamingResponse(chain([first], rows), media_type="text/csv; charset=utf-8",
                             headers={**NO_STORE, "Content-Disposition": disposition})  # fmt: skip


def console_lines_csv(request: Request) -> Response:
    """/console/lines.csv?<the console's filters>: one row per device line, streamed in
    batches as the database gives them (a sync iterator: Starlette runs it in a thread)."""
    try:
        rows = line_export.export_lines_csv(_actor(request), parse_filters(dict(request.query_params)))
        first = next(rows)
    except DomainError as refusal:
        return PlainTextResponse(refusal.message, status_code=404 if isinstance(refusal, NotFound) else 400, headers=NO_STORE)
    disposition = f'attachment; filename="closeout-device-lines-{clock.now():%Y%m%d-%H%M}.csv"'
    return StreamingResponse(chain([first], rows), media_type="text/csv; charset=utf-8",
                             headers={**NO_STORE, "Content-Disposition": disposition})  # fmt: skip


def _catalog_csv(request: Request, export, name: str) -> Response:
    """A catalog export (managers only), streamed, named with the moment it was taken."""
    try:
        rows = export(_actor(request))
        first = next(rows)
    except DomainError as refusal:
        return PlainTextResponse(refusal.message, status_code=404, headers=NO_STORE)
    disposition = f'attachment; filename="closeout-{name}-{clock.now():%Y%m%d-%H%M}.csv"'
    return StreamingResponse(chain([first], rows), media_type="text/csv; charset=utf-8",
                             headers={**NO_STORE, "Content-Disposition": disposition})  # fmt: skip


def catalog_products_csv(request: Request) -> Response:
    """/catalog/products.csv: the catalog, in the products import format."""
    return _catalog_csv(request, catalog_export.products_csv, "catalog")


def catalog_prices_csv(request: Request) -> Response:
    """/catalog/prices.csv: every contract price, in the price list import format."""
    return _catalog_csv(request, catalog_export.prices_csv, "contract-prices")


def service_worker(request: Request) -> Response:
    """/sw.js, Workbox's worker over this build (closeout/offline_shell.py): revalidated on every
    check (`no-cache`), so a new build is found as soon as it is served."""
    worker = prerequisites.get_web_dir() / constants.Dirs.STATIC / "sw.js"
    if not worker.is_file():  # a development server, or a build without the plugin
        return PlainTextResponse("Not found.", status_code=404, headers=NO_STORE)
    return FileResponse(worker, media_type="text/javascript",
                        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})  # fmt: skip


routes = Starlette(routes=[
    Route("/sw.js", service_worker),
    Route(paths.CONSOLE_CSV, console_csv),
    Route(paths.CONSOLE_LINES_CSV, console_lines_csv),
    Route(paths.CATALOG_PRODUCTS_CSV, catalog_products_csv),
    Route(paths.CATALOG_PRICES_CSV, catalog_prices_csv),
    Route(paths.SHARED_COPY_PDF, shared_copy),
    Route(paths.SALES_ORDER_REVISION_PDF, sales_order_revision),
    Route(paths.SALES_ORDER_PDF, sales_order),
    Route(paths.PO_DOCUMENT_PDF, po_document),
])  # fmt: skip
