"""The session cookie is set and cleared by the server and never readable by page scripts
(issue 23 §6): HttpOnly, SameSite=Strict, Secure under CLOSEOUT_HTTPS=on. A sign-in in a tab's
state yields only a one-time code valid for a minute, spent at /auth/session; the tab's state
sees the session as its hash, put in the handshake's headers by the security middleware."""

from datetime import timedelta

import httpx
import pytest

from closeout import security, session_routes
from closeout.domain import clock
from closeout.services import auth
from closeout.services.auth import COOKIE
from tests.factories import demo_rep, new_session
from tests.socket_client import run


class _Http:
    """The session routes over ASGI, without following redirects."""

    def __init__(self):
        self.cookies = httpx.Cookies()

    def get(self, path: str, params: dict | None = None) -> httpx.Response:
        async def call():
            transport = httpx.ASGITransport(app=session_routes.routes)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=self.cookies) as client:
                return await client.get(path, params=params)

        return run(call())


@pytest.fixture
def http():
    return _Http()


def _code() -> str:
    """What a sign-in in the tab's state hands the page (login.py: auth.sign_in, then this)."""
    return auth.to_handover(new_session(demo_rep()))


def test_a_sign_in_code_is_no_session_and_is_spent_once():
    code = _code()
    with pytest.raises(auth.NotSignedIn):
        auth.actor_for_session(code)  # a script that read the code cannot use it as the cookie
    token = auth.exchange_handover(code)
    assert auth.actor_for_session(token).email == demo_rep().email
    assert auth.exchange_handover(code) is None


def test_a_sign_in_code_lasts_a_minute():
    code = _code()
    clock.set_now(clock.now() + auth.HANDOVER_LIFETIME + timedelta(seconds=1))
    try:
        assert auth.exchange_handover(code) is None
    finally:
        clock.set_now(None)


def _cookie_header(response) -> str:
    [header] = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
    return header


@pytest.mark.parametrize("https", ["off", "on"])
def test_the_server_sets_an_http_only_strict_cookie_and_leads_to_the_page_asked_for(http, monkeypatch, https):
    monkeypatch.setenv("CLOSEOUT_HTTPS", https)
    answer = http.get(session_routes.SESSION, params={"code": _code(), "next": "/cases/CS-1"})
    assert answer.status_code == 303 and answer.headers["location"] == "/cases/CS-1"
    cookie = _cookie_header(answer)
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "path", "max-age"} <= attributes and "samesite=strict" in cookie.lower()
    assert ("secure" in attributes) is (https == "on")
    token = cookie.split(";")[0].split("=", 1)[1]
    assert auth.actor_for_session(token).email == demo_rep().email
    assert answer.headers["cache-control"] == "no-store"


def test_a_spent_or_made_up_code_sets_nothing_and_next_stays_in_the_app(http):
    code = _code()
    http.get(session_routes.SESSION, params={"code": code})
    again = http.get(session_routes.SESSION, params={"code": code, "next": "/"})
    assert again.headers["location"] == "/login" and "set-cookie" not in again.headers
    away = http.get(session_routes.SESSION, params={"code": _code(), "next": "//evil.example/"})
    assert away.headers["location"] == "/"


def test_signed_out_clears_the_cookie_and_revokes_a_session_still_sent(http):
    token = new_session(demo_rep())
    http.cookies.set(COOKIE, token)
    answer = http.get(session_routes.SIGNED_OUT)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    cookie = _cookie_header(answer).lower()
    assert cookie.startswith(f"{COOKIE}=") and "max-age=0" in cookie and "httponly" in cookie
    with pytest.raises(auth.NotSignedIn):
        auth.actor_for_session(token)


def _handshake(headers: list[tuple[bytes, bytes]]) -> dict:
    seen = {}

    async def app(scope, receive, send):
        seen.update(scope)

    run(security.security_headers(app)({"type": "websocket", "path": "/_event/", "headers": headers}, None, None))
    return dict(seen["headers"])


def test_the_handshake_carries_the_sessions_hash_never_the_token_and_a_forged_one_is_dropped():
    token = new_session(demo_rep())
    seen = _handshake([(b"cookie", f"a=b; {COOKIE}={token}".encode()), (b"x-closeout-session", b"forged")])
    assert seen[b"cookie"] == b"a=b" and token.encode() not in b"".join(seen.values())
    assert seen[security.SESSION_HEADER] == auth.token_hash(token).encode()
    assert security.SESSION_HEADER not in _handshake([(b"x-closeout-session", b"forged")])


def test_the_hash_opens_a_session_only_from_the_server_side():
    token = new_session(demo_rep())
    digest = auth.token_hash(token)
    assert auth.actor_for_session(auth.SessionHash(digest)).email == demo_rep().email  # the tab's state
    with pytest.raises(auth.NotSignedIn):
        auth.actor_for_session(digest)  # a cookie holding the hash (read from Redis, say) opens nothing


def test_no_state_keeps_the_session_in_a_cookie_var():
    import closeout.closeout  # noqa: F401
    from closeout.pages.base import AuthState
    from tests.services.test_callable_events import _states

    assert "session_token" not in AuthState.vars
    for state in _states():
        cookies = [name for name in state.base_vars if state._is_client_storage(name)]
        assert not cookies, f"{state.__name__} keeps {cookies} in browser storage a script can read"
