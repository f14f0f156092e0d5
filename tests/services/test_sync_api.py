"""The /api/v1 routes over HTTP (httpx on the ASGI routes the app mounts, in process): the
session cookie, the origin check, JSON answers that are never cached, the body size cap."""

import asyncio
import uuid

import httpx
import pytest

from closeout import api_v1
from closeout.services.auth import COOKIE
from tests.factories import demo_rep, manager, new_case, new_session

ORIGIN = {"Origin": "https://closeout.test"}  # CLOSEOUT_PUBLIC_URL in the service tests (conftest.py)


class Client:
    """A browser of the app at http://testserver, holding its session cookie."""

    def __init__(self):
        self.cookies = httpx.Cookies()

    def request(self, method: str, path: str, **kwargs) -> httpx.Response:
        async def send():
            transport = httpx.ASGITransport(app=api_v1.routes)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies=self.cookies) as http:
                return await http.request(method, path, **kwargs)

        return asyncio.run(send())

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.request("POST", path, **kwargs)


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def rep_client():
    client = Client()
    client.cookies.set(COOKIE, new_session(demo_rep()))
    return client


def test_without_a_session_the_api_answers_401(client):
    answer = client.get(api_v1.OFFLINE_CASES, headers=ORIGIN)
    assert answer.status_code == 401 and "Sign in" in answer.json()["error"]
    assert answer.headers["cache-control"] == "no-store"
    client.cookies.set(COOKIE, "not-a-session")
    assert client.post(api_v1.SYNC, json={"changes": []}, headers=ORIGIN).status_code == 401


def test_a_request_from_another_origin_is_refused(rep_client):
    for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/page"}, {"Origin": "null"}):
        answer = rep_client.post(api_v1.SYNC, json={"changes": []}, headers=headers)
        assert answer.status_code == 403 and answer.headers["cache-control"] == "no-store"
        assert rep_client.get(api_v1.OFFLINE_CASES, headers=headers).status_code == 403
    assert rep_client.post(api_v1.SYNC, json={"changes": []}).status_code == 403  # a POST must say where it is from
    assert rep_client.post(api_v1.SYNC, json={"changes": []}, headers={"Referer": "https://closeout.test/cases/x"}).status_code == 200


def test_the_pack_and_a_sync_round_trip(rep_client):
    number = new_case(lines=2)
    pack = rep_client.get(api_v1.OFFLINE_CASES, params={"cases": number}, headers=ORIGIN)
    assert pack.status_code == 200 and pack.headers["cache-control"] == "no-store"
    case = next(c for c in pack.json()["cases"] if c["number"] == number)
    line = case["lines"][0]
    change = {"id": str(uuid.uuid4()), "case": number, "kind": "edit", "line_id": line["id"], "version": line["version"],
              "fields": {"lot": "HTTP1"}}  # fmt: skip
    answer = rep_client.post(api_v1.SYNC, json={"changes": [change]}, headers=ORIGIN)
    assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store"
    (result,) = answer.json()["results"]
    assert result["result"] == "saved" and result["line"]["lot"] == "HTTP1" and result["case"]["number"] == number
    again = rep_client.post(api_v1.SYNC, json={"changes": [change]}, headers=ORIGIN).json()["results"][0]
    assert again["line"]["version"] == result["line"]["version"]


def test_a_manager_gets_403_and_bad_bodies_get_clear_messages(client, rep_client):
    assert rep_client.post(api_v1.SYNC, content=b"{not json", headers=ORIGIN).json()["error"] == "The request is not JSON."
    assert rep_client.post(api_v1.SYNC, json=[1], headers=ORIGIN).status_code == 400
    too_many = rep_client.post(api_v1.SYNC, json={"changes": [{}] * 501}, headers=ORIGIN)
    assert too_many.status_code == 400 and "at most 500" in too_many.json()["error"]
    assert rep_client.get(f"{api_v1.PREFIX}/nothing", headers=ORIGIN).status_code == 404
    client.cookies.set(COOKIE, new_session(manager()))
    assert client.get(api_v1.OFFLINE_CASES, headers=ORIGIN).status_code == 403


def test_a_body_over_the_cap_is_refused_unread(rep_client):
    big = b'{"changes": ["' + b"x" * api_v1.MAX_BODY + b'"]}'
    answer = rep_client.post(api_v1.SYNC, content=big, headers={**ORIGIN, "Content-Type": "application/json"})
    assert answer.status_code == 413 and "fewer changes" in answer.json()["error"]

    async def chunks():  # no Content-Length: counted as it arrives
        for _ in range(3):
            yield b"x" * (api_v1.MAX_BODY // 2)

    assert rep_client.post(api_v1.SYNC, content=chunks(), headers=ORIGIN).status_code == 413


def test_changes_made_by_another_user_are_refused_unapplied(rep_client):
    number = new_case(lines=1)
    pack = rep_client.get(api_v1.OFFLINE_CASES, headers=ORIGIN).json()
    line = next(c for c in pack["cases"] if c["number"] == number)["lines"][0]
    change = {
        "id": uuid.uuid4().hex,
        "case": number,
        "kind": "edit",
        "line_id": line["id"],
        "version": line["version"],
        "fields": {"lot": "X1"},
    }
    answer = rep_client.post(api_v1.SYNC, json={"user": pack["user"]["id"] + 1, "changes": [change]}, headers=ORIGIN)
    assert answer.status_code == 403 and answer.json()["error"] == api_v1.OTHER_USER
    answer = rep_client.post(api_v1.SYNC, json={"user": pack["user"]["id"], "changes": [change]}, headers=ORIGIN)
    assert answer.status_code == 200 and answer.json()["results"][0]["result"] == "saved"


def test_with_a_public_address_only_its_origin_is_ours_whatever_the_host_header_says(rep_client, monkeypatch):
    """Issue 23: the Host header is the client's to write; CLOSEOUT_PUBLIC_URL is not."""
    own_host = {"Origin": "http://testserver"}
    assert rep_client.post(api_v1.SYNC, json={"changes": []}, headers=own_host).status_code == 403
    forged = {"Origin": "https://evil.example", "Host": "evil.example"}
    assert rep_client.post(api_v1.SYNC, json={"changes": []}, headers=forged).status_code == 403
    monkeypatch.delenv("CLOSEOUT_PUBLIC_URL")  # unset: the request's own host
    assert rep_client.post(api_v1.SYNC, json={"changes": []}, headers=own_host).status_code == 200
    assert rep_client.post(api_v1.SYNC, json={"changes": []}, headers=ORIGIN).status_code == 403


def test_malformed_oversized_and_deeply_nested_bodies_get_the_apis_json_error(rep_client):
    """Issue 23: a 100,000-deep body answered a bare 500 (RecursionError)."""
    deep = b'{"changes": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    for body in (deep, b'{"changes": [[[[[[[[[[1]]]]]]]]]]}', b'{"changes": [NaN]}', b'{"changes": [1e999999]}',
                 b"\xff\xfe", b'{"changes": [{"id": "x", "version": 1' + b"0" * 5000 + b"}]}"):  # fmt: skip
        answer = rep_client.post(api_v1.SYNC, content=body, headers={**ORIGIN, "Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500 and answer.json()["error"], body[:40]
    nested = rep_client.post(api_v1.SYNC, content=deep, headers=ORIGIN).json()["error"]
    assert "nested too deeply" in nested
    odd_length = rep_client.post(api_v1.SYNC, content=b"{}", headers={**ORIGIN, "Content-Length": "abc"})
    assert 400 <= odd_length.status_code < 500


def test_every_route_and_method_answers_json(rep_client):
    for method, path, status in (("GET", api_v1.SYNC, 405), ("PUT", api_v1.OFFLINE_CASES, 405), ("OPTIONS", api_v1.SYNC, 405),
                                 ("DELETE", api_v1.PREFIX, 404), ("PATCH", f"{api_v1.PREFIX}/x/y", 404),
                                 ("QUERY", api_v1.SYNC, 405), ("BREW", api_v1.OFFLINE_CASES, 405)):  # fmt: skip
        answer = rep_client.request(method, path, headers=ORIGIN)
        assert answer.status_code == status and answer.json()["error"], (method, path)
    assert rep_client.request("GET", api_v1.SYNC, headers=ORIGIN).headers["allow"] == "POST"


def test_at_the_cap_of_stored_answers_the_api_answers_429_and_the_changes_stay_queued(rep_client, monkeypatch):
    from closeout.services import sync

    monkeypatch.setattr(sync, "MAX_STORED_PER_USER", 0)
    answer = rep_client.post(api_v1.SYNC, json={"changes": [{"id": uuid.uuid4().hex}]}, headers=ORIGIN)
    assert answer.status_code == 429 and "stay queued" in answer.json()["error"]
