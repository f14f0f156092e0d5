"""Security headers on every HTTP response of the app (pages, static files, PDFs, CSV):
only the app's own origin may supply content, nobody may frame it, and the one-time signing
page sends no referrer (its URL is the token)."""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def security_headers(app: ASGIApp) -> ASGIApp:
    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        referrer = b"no-referrer" if scope.get("path", "").startswith("/sign/") else b"same-origin"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in [*HEADERS, (b"referrer-policy", referrer)] if n not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await app(scope, receive, send_with_headers)

    return with_headers
