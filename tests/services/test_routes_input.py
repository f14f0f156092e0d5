"""The PDF and CSV routes beside the app (closeout/api.py) answer odd input from a signed-in
browser with a refusal, never a 500 (issue 23): ids beyond any database integer, long or odd
case numbers, unknown filters."""

import asyncio

import httpx
import pytest

from closeout import api
from closeout.services.auth import COOKIE
from tests.factories import demo_rep, manager, new_session

HUGE = "9" * 30


def get(path: str, token: str, **params) -> httpx.Response:
    async def send():
        transport = httpx.ASGITransport(app=api.routes)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver", cookies={COOKIE: token}) as http:
            return await http.get(path, params=params)

    return asyncio.run(send())


@pytest.mark.parametrize("who", [demo_rep, manager])
def test_odd_ids_numbers_and_filters_are_refused_not_a_server_error(who):
    token = new_session(who())
    paths = [f"/sales-orders/shared/{HUGE}.pdf", f"/po-documents/{HUGE}.pdf", f"/sales-orders/CS-1/revisions/{HUGE}.pdf",
             f"/sales-orders/{'X' * 5000}.pdf", "/sales-orders/%00%ff.pdf", f"/sales-orders/{HUGE}/revisions/1.pdf"]  # fmt: skip
    for path in paths:
        assert get(path, token).status_code == 404, path
    for params in ({"status": "x" * 5000}, {"facility": HUGE}, {"page": HUGE}, {"from": "2026-99-99"}, {"rep": "-1"},
                   {"q": "\x00"}, {"sort": "nonsense"}):  # fmt: skip
        for path in ("/console/export.csv", "/console/lines.csv"):
            assert get(path, token, **params).status_code < 500, (path, params)


def test_the_first_sales_order_kept_by_a_correction_is_served_as_revision_0():
    """Revisions count from 0 (the first sales order): the odd-id check must not refuse it."""
    from closeout.services import billing, reopening
    from tests.factories import closed_case

    number = closed_case()
    billing.enter_purchase_orders(demo_rep(), number, {None: "PO-KEPT"})
    reopening.reopen(manager(), number, "credit and rebill: wrong lot")
    kept = get(f"/sales-orders/{number}/revisions/0.pdf", new_session(manager()))
    assert kept.status_code == 200 and kept.content[:5] == b"%PDF-"
    assert get(f"/sales-orders/{number}/revisions/-1.pdf", new_session(manager())).status_code == 404
