"""Transport and background-work rules that need no browser: the session cookie kept out of
the websocket's stored headers, HSTS and the Secure flag behind HTTPS, one task per tab."""


from closeout import security, settings
from closeout.pages.tab_tasks import OnePerTab
from tests.socket_client import run


def test_the_session_cookie_is_dropped_from_the_websocket_handshake():
    header = b"theme=dark; closeout_session=RAW-TOKEN-123; other=1"
    kept = security.without_session_cookie(header)
    assert b"RAW-TOKEN-123" not in kept and b"theme=dark" in kept and b"other=1" in kept


def _response_headers(monkeypatch, https: str, scope_type: str = "http", path: str = "/") -> tuple[dict, dict]:
    monkeypatch.setenv("CLOSEOUT_HTTPS", https)
    seen_scope, sent = {}, []

    async def app(scope, receive, send):
        seen_scope.update(scope)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    scope = {"type": scope_type, "path": path, "headers": [(b"cookie", b"closeout_session=RAW; a=b")]}
    run(security.security_headers(app)(scope, None, send))
    headers = {name.decode(): value.decode() for name, value in (sent[0]["headers"] if sent else [])}
    return headers, seen_scope


def test_hsts_only_when_served_over_https(monkeypatch):
    plain, _ = _response_headers(monkeypatch, "off")
    assert "strict-transport-security" not in plain
    secure, _ = _response_headers(monkeypatch, "on")
    assert secure["strict-transport-security"].startswith("max-age=")
    assert settings.served_over_https()


def test_the_event_socket_never_sees_the_session_cookie(monkeypatch):
    _, scope = _response_headers(monkeypatch, "off", scope_type="websocket", path="/_event/")
    assert dict(scope["headers"])[b"cookie"] == b"a=b"
    _, scope = _response_headers(monkeypatch, "off", scope_type="http", path="/sales-orders/CS-1.pdf")
    assert b"closeout_session=RAW" in dict(scope["headers"])[b"cookie"]  # the PDF route needs it


def test_one_task_per_tab():
    tasks = OnePerTab()
    first = tasks.start_if_idle("tab-1")
    assert first is not None and tasks.start_if_idle("tab-1") is None
    newer = tasks.take_over("tab-1")
    assert not tasks.holds("tab-1", first) and tasks.holds("tab-1", newer)
    tasks.finish("tab-1", first)  # an old copy ending does not free the newer one's place
    assert tasks.holds("tab-1", newer)
    tasks.finish("tab-1", newer)
    assert tasks.count() == 0


def test_a_subject_with_a_line_break_is_refused_not_folded():
    import pytest

    from closeout.domain.errors import InvalidInput
    from closeout.domain.sharing import parse_subject

    for bad in ("Sales order\r\nBcc: everyone@example.org", "Sales order\nX-Header: 1", "a\rb"):
        with pytest.raises(InvalidInput, match="single line"):
            parse_subject(bad)
    assert parse_subject("  Sales order   SO-1 ") == "Sales order SO-1"
