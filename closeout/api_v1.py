"""The versioned HTTP API beside the app for the offline screen (issue 17; the contract is in
the issue's notes): GET /api/v1/offline/cases downloads a rep's cases, POST /api/v1/sync sends
the queued changes; GET /api/v1/openapi.json describes them (api_v1_doc.py: each route is built
from its description). The session cookie says who is asking (401 without one), a request from
another origin is refused (403), answers are JSON and never cached. Whatever is sent — not
JSON, too large, nested too deep, an unknown route or method — the answer is the API's JSON
error (4xx), never a bare 500. The services run in a worker thread, never on the event loop."""

import asyncio
import json
import logging
import math
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import api_v1_doc, settings
from .domain.errors import DomainError, NotAllowed
from .domain.sync import API_VERSION, TooManyStored
from .services import offline, sync
from .services.auth import COOKIE, NotSignedIn, actor_for_session
from .services.db import DatabaseUnavailable

PREFIX = "/api/v1"
OFFLINE_CASES = f"{PREFIX}/offline/cases"
SYNC = f"{PREFIX}/sync"
OPENAPI = f"{PREFIX}/openapi.json"
MAX_BODY = 2 * 1024 * 1024  # 500 queued edits are ~200 KB; a drawn signature is at most ~400 KB as text
MAX_DEPTH = 8  # body → changes → change → lines → [id, version] is 5 deep; json.loads recurses on deeper
log = logging.getLogger(__name__)
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class TooLarge(Exception):
    pass


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"api": API_VERSION, "error": message}, status_code=status, headers=NO_STORE)


def _origin_of(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[" (an unclosed IPv6 bracket)
        return ""
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme in ("http", "https") and parts.netloc else ""


def our_origins(request: Request) -> set[str]:
    """The origins the app's pages are served from: CLOSEOUT_PUBLIC_URL's alone when it is set
    (the Host header is the client's to write), else this request's host over http or https."""
    public = _origin_of(settings.public_url())
    if public:
        return {public}
    host = request.headers.get("host", "").lower()
    return {f"http://{host}", f"https://{host}"} if host else set()


def same_origin(request: Request) -> bool:
    """Whether the request comes from one of the app's own pages: its Origin header (or, without
    one, its Referer) is one of our_origins. A GET without either is a same-origin fetch that
    browsers send bare (the SameSite=Strict cookie covers the rest); a POST without either is
    refused."""
    sent = request.headers.get("origin") or request.headers.get("referer") or ""
    if not sent:
        return request.method in ("GET", "HEAD")
    origin = _origin_of(sent)
    return bool(origin) and origin in our_origins(request)


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > MAX_BODY:
        raise TooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def _answer(request: Request, work) -> Response:
    """Origin, session, then the work in a thread; refusals as JSON with their messages."""
    if not same_origin(request):
        return _error(403, "This request did not come from the app's own pages.")
    try:
        actor = await asyncio.to_thread(actor_for_session, request.cookies.get(COOKIE, ""))
        return JSONResponse(await work(actor), headers=NO_STORE)
    except NotSignedIn:
        return _error(401, "Sign in again: the session has ended.")
    except NotAllowed as refusal:
        return _error(403, refusal.message)
    except TooLarge:
        return _error(413, f"Too much at once (at most {MAX_BODY // 1024 // 1024} MB): send fewer changes per request.")
    except TooManyStored as full:
        return _error(429, full.message)
    except DatabaseUnavailable as outage:
        return _error(503, f"{outage.message} Nothing more was saved; the changes stay queued.")
    except DomainError as refusal:
        return _error(400, refusal.message)
    except Exception:  # a fault of ours: logged with its traceback, answered in the API's own words
        log.exception("%s %s failed", request.method, request.url.path)
        return _error(500, "Something went wrong on the server; nothing more was saved and the changes stay queued.")


async def offline_cases(request: Request) -> Response:
    """GET /api/v1/offline/cases[?cases=CS-…,CS-…]: the rep's cases for the offline screen."""
    picked = request.query_params.get("cases", "").split(",")[: offline.MAX_PICKED]
    return await _answer(request, lambda actor: asyncio.to_thread(offline.download, actor, picked))


def parse_json(data: bytes) -> object:
    """The body as JSON, or the API's refusal: not UTF-8 JSON, a number beyond JSON (NaN,
    Infinity: never echoed back), or nested deeper than any change is."""

    def refuse_constant(name: str) -> None:
        raise DomainError(f"The request is not JSON: {name} is not a number JSON allows.")

    def finite(text: str) -> float:
        number = float(text)
        if not math.isfinite(number):
            raise DomainError(f"The request is not JSON: {text[:20]} is too large a number.")
        return number

    try:
        body = json.loads(data, parse_constant=refuse_constant, parse_float=finite)
    except RecursionError:
        raise DomainError(f"The request is nested too deeply (at most {MAX_DEPTH} levels).") from None
    except (ValueError, UnicodeDecodeError):
        raise DomainError("The request is not JSON.") from None
    if _depth(body) > MAX_DEPTH:
        raise DomainError(f"The request is nested too deeply (at most {MAX_DEPTH} levels).")
    return body


def _depth(value: object) -> int:
    """How deeply lists and objects nest in `value`, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if level <= MAX_DEPTH:
            stack.extend((child, level + 1) for child in children)
    return deepest


OTHER_USER = "These changes were made on this tablet by another user: they are sent when that user signs in again."


async def sync_changes(request: Request) -> Response:
    """POST /api/v1/sync {"changes": [...]}: each change saved, stale or refused."""

    async def work(actor):
        body = parse_json(await _body(request))
        if not isinstance(body, dict):
            raise DomainError('Send {"changes": [...]}.')
        if body.get("user") not in (None, actor.id):  # a shared tablet: never one user's changes as another's
            raise NotAllowed(OTHER_USER)
        return await asyncio.to_thread(sync.sync, actor, body.get("changes"))

    return await _answer(request, work)


async def openapi(request: Request) -> Response:
    """GET /api/v1/openapi.json: the document describing these routes (no session needed)."""
    origin = sorted(our_origins(request))[0] if our_origins(request) else ""
    return JSONResponse(api_v1_doc.document(DOCS, origin), headers=NO_STORE)


OPERATIONS = {  # path → method → (handler, its OpenAPI operation): one table for the routes and the document
    OFFLINE_CASES: {"get": (offline_cases, api_v1_doc.OFFLINE_CASES_DOC["get"])},
    SYNC: {"post": (sync_changes, api_v1_doc.SYNC_DOC["post"])},
    OPENAPI: {"get": (openapi, api_v1_doc.OPENAPI_DOC["get"])},
}
DOCS = {path: {method: doc for method, (_, doc) in methods.items()} for path, methods in OPERATIONS.items()}


async def not_found(request: Request) -> Response:
    """Any other /api/v1 path or method, answered as JSON (Starlette would answer in plain text)."""
    if request.url.path in OPERATIONS:
        allowed = ", ".join(m.upper() for m in OPERATIONS[request.url.path])
        return JSONResponse({"api": API_VERSION, "error": f"This route takes {allowed} only."}, status_code=405,
                            headers={**NO_STORE, "Allow": allowed})  # fmt: skip
    return _error(404, "There is no such API route.")


class _AnyMethod:
    """not_found as a bare ASGI app: Starlette gives a function endpoint GET only, and answers
    every other method on a partial match in plain text."""

    async def __call__(self, scope, receive, send) -> None:
        await (await not_found(Request(scope, receive)))(scope, receive, send)


routes = Starlette(routes=[
    *[Route(path, handler, methods=[method.upper()]) for path, methods in OPERATIONS.items() for method, (handler, _) in methods.items()],
    Route(PREFIX, _AnyMethod()),  # any method, QUERY or made-up ones included
    Route(PREFIX + "/{rest:path}", _AnyMethod()),
])  # fmt: skip
