"""The versioned HTTP API beside the app for the offline screen (issue 17; the contract is in
the issue's notes): GET /api/v1/offline/cases downloads a rep's cases, POST /api/v1/sync sends
the queued changes. The session cookie says who is asking (401 without one), a request from
another origin is refused (403), answers are JSON and never cached. The services run in a
worker thread, never on the event loop."""

import asyncio
import json
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from . import settings
from .domain.errors import DomainError, NotAllowed
from .domain.sync import API_VERSION
from .services import offline, sync
from .services.auth import COOKIE, NotSignedIn, actor_for_session
from .services.db import DatabaseUnavailable

PREFIX = "/api/v1"
OFFLINE_CASES = f"{PREFIX}/offline/cases"
SYNC = f"{PREFIX}/sync"
MAX_BODY = 2 * 1024 * 1024  # 500 queued edits are ~200 KB; a drawn signature is at most ~400 KB as text
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


class TooLarge(Exception):
    pass


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"api": API_VERSION, "error": message}, status_code=status, headers=NO_STORE)


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme in ("http", "https") and parts.netloc else ""


def same_origin(request: Request) -> bool:
    """Whether the request comes from one of the app's own pages: its Origin header (or, without
    one, its Referer) names this host, or the public address. A GET without either is a
    same-origin fetch that browsers send bare (the SameSite=Strict cookie covers the rest);
    a POST without either is refused."""
    sent = request.headers.get("origin") or request.headers.get("referer") or ""
    if not sent:
        return request.method == "GET"
    origin = _origin_of(sent)
    host = request.headers.get("host", "").lower()
    ours = {f"http://{host}", f"https://{host}", _origin_of(settings.public_url(f"http://{host}"))}
    return bool(origin) and origin in ours


async def _body(request: Request) -> bytes:
    if int(request.headers.get("content-length") or 0) > MAX_BODY:
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
    except DatabaseUnavailable as outage:
        return _error(503, f"{outage.message} Nothing more was saved; the changes stay queued.")
    except DomainError as refusal:
        return _error(400, refusal.message)


async def offline_cases(request: Request) -> Response:
    """GET /api/v1/offline/cases[?cases=CS-…,CS-…]: the rep's cases for the offline screen."""
    picked = request.query_params.get("cases", "").split(",")[: offline.MAX_PICKED]
    return await _answer(request, lambda actor: asyncio.to_thread(offline.download, actor, picked))


OTHER_USER = "These changes were made on this tablet by another user: they are sent when that user signs in again."


async def sync_changes(request: Request) -> Response:
    """POST /api/v1/sync {"changes": [...]}: each change saved, stale or refused."""

    async def work(actor):
        try:
            body = json.loads(await _body(request))
        except (ValueError, UnicodeDecodeError):
            raise DomainError("The request is not JSON.") from None
        if not isinstance(body, dict):
            raise DomainError('Send {"changes": [...]}.')
        if body.get("user") not in (None, actor.id):  # a shared tablet: never one user's changes as another's
            raise NotAllowed(OTHER_USER)
        return await asyncio.to_thread(sync.sync, actor, body.get("changes"))

    return await _answer(request, work)


async def not_found(request: Request) -> Response:
    return _error(404, "There is no such API route.")


routes = Starlette(routes=[
    Route(OFFLINE_CASES, offline_cases, methods=["GET"]),
    Route(SYNC, sync_changes, methods=["POST"]),
    Route(PREFIX + "/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
])  # fmt: skip
