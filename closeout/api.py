"""HTTP routes beside the Reflex app: sales order PDFs, served only to someone who may
see the case (never from a public folder)."""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .domain.errors import DomainError
from .services import sharing
from .services.auth import COOKIE, actor_for_session

NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _actor(request: Request):
    """The signed-in user of the request's session cookie (NotSignedIn, a 404, otherwise)."""
    return actor_for_session(request.cookies.get(COOKIE, ""))


def _pdf(filename: str, pdf: bytes, attachment: bool) -> Response:
    disposition = "attachment" if attachment else "inline"
    return Response(pdf, media_type="application/pdf",
                    headers={**NO_STORE, "Content-Disposition": f'{disposition}; filename="{filename}"'})  # fmt: skip


def sales_order(request: Request) -> Response:
    """/sales-orders/<case number>.pdf?for=download|print: generate, record the share, serve."""
    kind = request.query_params.get("for", "download")
    try:
        filename, pdf = sharing.export(_actor(request), request.path_params["case_number"], kind)
    except DomainError as refusal:
        return PlainTextResponse(refusal.message, status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=kind == "download")


def shared_copy(request: Request) -> Response:
    """/sales-orders/shared/<share id>.pdf: the exact copy that was shared."""
    try:
        filename, pdf = sharing.shared_copy(_actor(request), int(request.path_params["share_id"]))
    except (DomainError, ValueError) as refusal:
        return PlainTextResponse(getattr(refusal, "message", "Not found."), status_code=404, headers=NO_STORE)
    return _pdf(filename, pdf, attachment=False)


routes = Starlette(routes=[
    Route("/sales-orders/shared/{share_id:int}.pdf", shared_copy),
    Route("/sales-orders/{case_number}.pdf", sales_order),
])  # fmt: skip
