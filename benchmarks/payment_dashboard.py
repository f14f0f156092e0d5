"""Issue 15 §2: the dashboard's getting-paid figures (services/payment_dashboard.py) on the
100,000-case benchmark database (benchmarks/console.py builds it): days from surgery to PO, to
invoice and to paid, median and 90th percentile per facility, and the outstanding amount.

The benchmark's Completed cases (a third) are given a money story first, in the measuring
transaction, which is rolled back afterwards (the other measurements see the database as built):
each Completed on a day after surgery, two in three of them invoiced, half of those paid in
full, the rest paid in part. p50/p95 over 50 reads through the service.

    python -m benchmarks.payment_dashboard <sqlite path>   # an already built benchmark database
"""

import sys
import time
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from benchmarks.stats import report
from closeout.services import payment_dashboard
from closeout.services.auth import Actor

QUERIES, TARGET_MS = 50, 300
TODAY = date(2026, 11, 27)  # the benchmark's surgeries run up to here (benchmarks/console.py)

_STORY = {
    "sqlite": [
        "UPDATE surgical_case SET completed_at = datetime(surgery_date, '+' || (1 + id % 30) || ' days') WHERE status = 'completed'",
        "UPDATE surgical_case SET status = 'invoiced', invoiced_on = date(surgery_date, '+' || (5 + id % 40) || ' days'), "
        "invoice_amount = billable_total, paid_amount = billable_total / 2 WHERE status = 'completed' AND id % 3 <> 0",
    ],
    "postgresql": [
        "UPDATE surgical_case SET completed_at = surgery_date + (1 + id % 30) * interval '1 day' WHERE status = 'completed'",
        "UPDATE surgical_case SET status = 'invoiced', invoiced_on = surgery_date + (5 + id % 40), "
        "invoice_amount = billable_total, paid_amount = billable_total / 2 WHERE status = 'completed' AND id % 3 <> 0",
    ],
}
_PAID = {
    "sqlite": "UPDATE surgical_case SET status = 'paid', paid_amount = invoice_amount, "
    "paid_on = date(invoiced_on, '+' || (id % 60) || ' days') WHERE status = 'invoiced' AND id % 2 = 0",
    "postgresql": "UPDATE surgical_case SET status = 'paid', paid_amount = invoice_amount, "
    "paid_on = invoiced_on + (id % 60) WHERE status = 'invoiced' AND id % 2 = 0",
}


def measure(url: str, label: str) -> list[tuple[str, bool]]:
    engine = sa.create_engine(url)
    manager = Actor(0, "Bench Manager", "bench@closeout.example", "manager")
    samples = []
    with Session(engine) as session:
        try:
            for statement in _STORY[engine.dialect.name] + [_PAID[engine.dialect.name]]:
                session.execute(sa.text(statement))
            for _ in range(3):  # warm caches and plans
                rows = payment_dashboard.payment_times(manager, session=session, today=TODAY)
            for _ in range(QUERIES):
                start = time.perf_counter()
                rows = payment_dashboard.payment_times(manager, session=session, today=TODAY)
                samples.append(time.perf_counter() - start)
        finally:
            session.rollback()
    engine.dispose()
    cases = sum(r.to_po.cases for r in rows)
    return [report(f"payment_dashboard.{label}", samples, "ms", TARGET_MS,
                   f"{len(rows)} facilities, {cases:,} cases past their PO, 100k cases in all")]  # fmt: skip


if __name__ == "__main__":
    measure(f"sqlite:///{sys.argv[1]}", "sqlite")
