"""Security headers on every HTTP response of the app (pages, static files, PDFs, CSV):
only the app's own origin may supply content, nobody may frame it, the one-time signing
page sends no referrer (its URL is the token), and HSTS when served over HTTPS.

The session cookie is HttpOnly (set and cleared by session_routes.py), so page scripts never
read it and the tab's state cannot get it through rx.Cookie. The websocket's handshake carries
it: here it is taken out of the Cookie header (the raw token is never copied into every tab's
stored state, with Redis into Redis) and replaced by SESSION_HEADER holding its SHA-256, which
the state reads from its router headers (AuthState.session_token). A SESSION_HEADER sent by
the client is dropped first: only this middleware sets it."""

from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import settings
from .services.auth import COOKIE, token_hash
from .services.auth import SESSION_HEADER as SESSION_HEADER_NAME

SESSION_HEADER = SESSION_HEADER_NAME.encode()

# Reflex's build inlines a few bootstrap scripts, its CSS-in-JS writes <style> tags and its
# event runtime evaluates script callbacks (rx.call_script, used to read the signature pad),
# so inline code and eval are allowed; every source of content is this origin only.
CSP = "; ".join([
    "default-src 'self'", "script-src 'self' 'unsafe-inline' 'unsafe-eval'", "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:", "font-src 'self' data:", "connect-src 'self'", "object-src 'none'",
    "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])  # fmt: skip
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=()"),  # the camera: Scan with camera
]


def _hsts() -> list[tuple[bytes, bytes]]:
    if not settings.served_over_https():
        return []
    return [(b"strict-transport-security", f"max-age={settings.HSTS_SECONDS}; includeSubDomains".encode())]


def without_session_cookie(cookie_header: bytes) -> bytes:
    """The Cookie header minus the session cookie (the state reads it from its cookie var)."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header.decode("latin-1"))
    except Exception:  # an unparsable header carries nothing the app needs
        return b""
    return "; ".join(f"{name}={morsel.coded_value}" for name, morsel in jar.items() if name != COOKIE).encode("latin-1")


def session_token_of(cookie_header: bytes) -> str:
    """The raw session token in a Cookie header, or ""."""
    jar = SimpleCookie()
    try:
        jar.load(cookie_header.decode("latin-1"))
    except Exception:
        return ""
    morsel = jar.get(COOKIE)
    return morsel.value if morsel is not None else ""


def _strip_session_cookie(scope: Scope) -> Scope:
    """The handshake's headers with the session cookie swapped for SESSION_HEADER (its hash)."""
    raw = scope.get("headers", [])
    token = next((session_token_of(v) for n, v in raw if n.lower() == b"cookie" and session_token_of(v)), "")
    headers = [(n, without_session_cookie(v)) if n.lower() == b"cookie" else (n, v) for n, v in raw
               if n.lower() != SESSION_HEADER]  # fmt: skip
    headers = [(n, v) for n, v in headers if v or n.lower() != b"cookie"]
    if token and len(token) <= 100:
        headers.append((SESSION_HEADER, token_hash(token).encode()))
    return {**scope, "headers": headers}


def security_headers(app: ASGIApp) -> ASGIApp:
    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" or (scope["type"] == "http" and scope.get("path", "").startswith("/_event")):
            await app(_strip_session_cookie(scope), receive, send)
            return
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        one_time = scope.get("path", "").startswith(("/sign/", "/invitation/", "/po/"))  # the URL is the token
        referrer = b"no-referrer" if one_time else b"same-origin"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in [*HEADERS, *_hsts(), (b"referrer-policy", referrer)] if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers
