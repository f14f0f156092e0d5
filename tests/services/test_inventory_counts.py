"""Cycle counts: expected against found, posted by a manager with a reason as audited movements."""

import pytest
from sqlmodel import select

from closeout.domain.errors import InvalidInput, NotAllowed
from closeout.domain.inventory.ledger import StockKey
from closeout.models import AuditEvent
from closeout.services.db import reading
from closeout.services.inventory import counts, ledger
from tests.factories import demo_rep, manager
from tests.inventory import product_ids, stocked, trunk


def test_a_count_finds_missing_extra_and_wrong_lot_and_a_manager_posts_it():
    car = trunk()
    a, b = product_ids(2)
    stocked(car, a, 3, lot="C-1")
    stocked(car, b, 2, lot="C-2")
    count_id = counts.start_count(demo_rep(), car)
    counts.record_found(demo_rep(), count_id, [(a, "C-9", "", 3), {"product_id": b, "lot": "C-2", "quantity": 1}])
    sheet = {(line.product_id, line.lot): line.difference for line in counts.count_sheet(demo_rep(), count_id).lines}
    assert sheet == {(a, "C-1"): "wrong lot", (a, "C-9"): "wrong lot", (b, "C-2"): "missing"}
    with pytest.raises(NotAllowed, match="manager"):
        counts.post_count(demo_rep(), count_id, "annual count")
    with pytest.raises(InvalidInput, match="why"):
        counts.post_count(manager(), count_id, "")
    assert counts.post_count(manager(), count_id, "quarterly trunk count") == 3
    with reading() as session:
        assert [ledger.on_hand(session, car, k) for k in (StockKey(a, "C-1"), StockKey(a, "C-9"), StockKey(b, "C-2"))] == [0, 3, 1]
        assert ledger.ledger_mismatches(session, [car]) == []
        posted = session.exec(select(AuditEvent).where(AuditEvent.entity == "stock_count", AuditEvent.entity_id == count_id,
                                                       AuditEvent.action == "count posted")).one()  # fmt: skip
        assert posted.after["reason"] == "quarterly trunk count"
    with pytest.raises(NotAllowed, match="already posted"):
        counts.post_count(manager(), count_id, "again")
