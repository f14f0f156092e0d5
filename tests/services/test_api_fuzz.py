"""/api/v1 against its own OpenAPI document (issue 23): every route is described, and
schemathesis fuzzes every operation in process (valid and invalid inputs, with a signed-in
rep's session cookie): no answer is a 5xx, and every answer matches the document. A bounded
number of examples per operation, derandomized, so it costs seconds and fails the same way
twice."""

import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.routing import Route

from closeout import api_v1
from closeout.models import User
from closeout.services.auth import COOKIE, Actor
from closeout.services.db import transaction
from tests.factories import new_case, new_session

ORIGIN = "https://closeout.test"  # CLOSEOUT_PUBLIC_URL in the service tests (conftest.py)


with pytest.MonkeyPatch.context() as env:  # the document as a deployment at ORIGIN serves it
    env.setenv("CLOSEOUT_PUBLIC_URL", ORIGIN)
    schema = schemathesis.openapi.from_asgi(api_v1.OPENAPI, api_v1.routes)


def test_every_route_is_described_and_nothing_else():
    served = {(path, method) for path, item in schema.raw_schema["paths"].items() for method in item}
    routed = {(r.path, m.lower()) for r in api_v1.routes.routes if isinstance(r, Route) and r.methods
              for m in r.methods if m != "HEAD"}  # the catch-alls take any method (methods None)  # fmt: skip
    assert served == routed and len(routed) == 3


@pytest.fixture(scope="module")
def rep_session() -> str:
    """A rep of their own with two Open cases (what the fuzzer edits is theirs alone), signed in."""
    email = f"fuzz-{uuid.uuid4().hex[:10]}@closeout.example"
    with transaction() as session:
        user = User(name="Fuzz Rep", email=email, role="sales_rep")
        session.add(user)
        session.flush()
        actor = Actor(user.id, user.name, user.email, user.role)
    for _ in range(2):
        new_case(lines=2, rep_email=email)
    return new_session(actor)


@schema.parametrize()
@settings(max_examples=30, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])  # fmt: skip
def test_the_api_never_answers_5xx_and_always_as_documented(case, rep_session):
    """The session cookie on every case, except where schemathesis leaves it out on purpose (the
    answer must then be 401); the app's Origin on a POST unless the case sends its own."""
    cookies = None if schema.is_security_param_negated(case) else {COOKIE: rep_session}
    origin = {"Origin": ORIGIN} if case.method == "POST" and "Origin" not in (case.headers or {}) else None
    case.call_and_validate(cookies=cookies, headers=origin)
