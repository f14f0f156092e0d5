"""The session cookie is set and cleared by the server, never by page scripts: it is HttpOnly
(no script can read it), SameSite=Strict, and Secure under CLOSEOUT_HTTPS=on.

Signing in happens in a tab's state (throttling, messages), which cannot set an HttpOnly cookie:
it turns the new session into a one-time code valid for a minute (auth.to_handover) and sends
the page to /auth/session?code=…, which spends the code, sets the cookie and redirects to the
page asked for. Signing out resets the tab's state and revokes the session there (DESIGN.md),
then sends the page to /auth/signed-out, which clears the cookie. Each full page load opens a
new websocket, whose handshake carries the new identity (security.py)."""

import asyncio

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from . import routes as paths
from . import settings
from .domain.navigation import safe_next
from .services import auth, signing_links

SESSION, SIGNED_OUT = paths.SESSION, paths.SIGNED_OUT


def set_session_cookie(response: Response, token: str) -> None:
    response.set_cookie(auth.COOKIE, token, max_age=int(auth.SESSION_LIFETIME.total_seconds()), path="/",
                        secure=settings.served_over_https(), httponly=True, samesite="strict")  # fmt: skip


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(auth.COOKIE, path="/", secure=settings.served_over_https(), httponly=True, samesite="strict")


def _no_store(response: Response) -> Response:
    response.headers["cache-control"] = "no-store"
    return response


async def session(request: Request) -> Response:
    """Spend a sign-in code: the cookie, then the page asked for (or sign in again)."""
    token = await asyncio.to_thread(auth.exchange_handover, request.query_params.get("code", ""))
    if token is None:
        return _no_store(RedirectResponse(paths.LOGIN, status_code=303))
    response = RedirectResponse(safe_next(request.query_params.get("next", paths.HOME), paths.HOME), status_code=303)
    set_session_cookie(response, token)
    return _no_store(response)


def _end(token: str) -> None:
    try:
        actor = auth.actor_for_session(token)
    except auth.NotSignedIn:
        return
    signing_links.revoke_links_of(actor)
    auth.sign_out(token)


async def signed_out(request: Request) -> Response:
    """Clear the cookie (the tab has revoked its session already; one still sent is revoked too)."""
    await asyncio.to_thread(_end, request.cookies.get(auth.COOKIE, ""))
    response = RedirectResponse(paths.LOGIN, status_code=303)
    clear_session_cookie(response)
    return _no_store(response)


routes = Starlette(routes=[Route(SESSION, session), Route(SIGNED_OUT, signed_out)])
