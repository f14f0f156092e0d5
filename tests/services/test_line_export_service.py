"""The managers' line export: one CSV row per device line of the console's filtered cases,
exactly as stored, formula-safe, streamed batch by batch (never the whole result at once),
and served over HTTP to managers only."""

import asyncio
import csv
import io
from datetime import timedelta

import httpx
import pytest

from closeout import routes
from closeout.api import routes as api_routes
from closeout.domain import clock
from closeout.domain.console import ConsoleFilters
from closeout.domain.errors import NotFound
from closeout.models import Surgeon
from closeout.services import device_lines, line_export
from closeout.services.auth import COOKIE
from closeout.services.db import reading
from tests.factories import demo_rep, manager, new_case, new_facility, new_session

OPEN_AT = lambda facility_id: ConsoleFilters(statuses=("open",), facility_id=facility_id)  # noqa: E731


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_one_row_per_line_exactly_as_stored():
    facility_id, facility = new_facility()
    number = new_case(lines=3, facility=facility)
    first, second, third = device_lines.list_lines(demo_rep(), number).lines
    device_lines.update_line(demo_rep(), number, second.id, "serial", "SN-77")
    device_lines.update_line(demo_rep(), number, second.id, "no_charge", True)
    device_lines.update_line(demo_rep(), number, third.id, "quantity", "2")
    device_lines.update_line(demo_rep(), number, third.id, "usage_status", "Unused")
    with reading() as session:
        surgeon = session.get(Surgeon, 1).name
    day = (clock.today() - timedelta(days=1)).isoformat()
    header, *rows = rows_of("".join(line_export.export_lines_csv(manager(), OPEN_AT(facility_id))))
    assert header == line_export.HEADER
    expiry = first.expiry.isoformat()

    def expect(line, lot, serial, usage, qty, no_charge, extended, udi):
        return [number, facility, surgeon, day, "Dana Reyes", line.ref, line.description, line.manufacturer, line.gtin, lot,
                serial, expiry, usage, str(qty), f"{line.unit_price:.2f}", line.price_source.value, no_charge, extended, udi]  # fmt: skip

    di = lambda line: f"(01){line.gtin}(17){first.expiry:%y%m%d}"  # noqa: E731
    assert rows == [
        expect(first, "LOT1", "", "Implanted", 1, "", f"{first.unit_price:.2f}", f"{di(first)}(10)LOT1"),
        expect(second, "LOT2", "SN-77", "Implanted", 1, "yes", "0.00", f"{di(second)}(10)LOT2(21)SN-77"),
        expect(third, "LOT3", "", "Unused", 2, "", "0.00", f"{di(third)}(10)LOT3"),
    ]


def test_the_console_filter_decides_which_cases():
    facility_id, facility = new_facility()
    kept, other = new_case(lines=2, facility=facility), new_case(lines=1)
    text = "".join(line_export.export_lines_csv(manager(), OPEN_AT(facility_id)))
    assert {r[0] for r in rows_of(text)[1:]} == {kept} and other not in text
    recalled = f"RECALL-{facility_id}"  # every line of every case that used this lot
    device_lines.update_line(demo_rep(), kept, device_lines.list_lines(demo_rep(), kept).lines[1].id, "lot", recalled)
    searched = rows_of("".join(line_export.export_lines_csv(manager(), ConsoleFilters(statuses=("open",), search=recalled))))
    assert [(r[0], r[9]) for r in searched[1:]] == [(kept, "LOT1"), (kept, recalled)]


def test_a_lot_that_looks_like_a_formula_reaches_the_spreadsheet_as_text():
    facility_id, facility = new_facility()
    number = new_case(lines=1, facility=facility)
    line = device_lines.list_lines(demo_rep(), number).lines[0]
    device_lines.update_line(demo_rep(), number, line.id, "lot", '=HYPERLINK("http://evil.example","x")')
    device_lines.update_line(demo_rep(), number, line.id, "serial", "+1-2")
    [row] = rows_of("".join(line_export.export_lines_csv(manager(), OPEN_AT(facility_id))))[1:]
    assert row[9] == '\'=HYPERLINK("http://evil.example","x")' and row[10] == "'+1-2"
    assert row[18].startswith("(01)")  # the UDI starts with "(": nothing to neutralise


def test_managers_only():
    with pytest.raises(NotFound):
        line_export.export_lines_csv(demo_rep(), ConsoleFilters())


def test_batches_are_written_as_they_are_read(monkeypatch):
    """The first batch is on its way while the query still holds the rest: read on demand."""
    facility_id, facility = new_facility()
    number = new_case(lines=10, facility=facility)
    pulled = []
    real = line_export.batches

    def counted(session, filters, size):
        for batch in real(session, filters, size):
            pulled.append(len(batch))
            yield batch

    monkeypatch.setattr(line_export, "batches", counted)
    stream = line_export.export_lines_csv(manager(), OPEN_AT(facility_id), size=3)
    assert rows_of(next(stream)) == [line_export.HEADER] and pulled == []  # the header: nothing read yet
    first = rows_of(next(stream))
    assert [r[0] for r in first] == [number] * 3 and pulled == [3]  # one batch read of four
    rest = [row for chunk in stream for row in rows_of(chunk)]
    assert len(rest) == 7 and pulled == [3, 3, 3, 1]


def get(path: str, actor=None) -> httpx.Response:
    """GET from the app's HTTP routes with `actor`'s session cookie (none: signed out)."""

    async def fetch() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api_routes), base_url="http://closeout.test",
                                     cookies={COOKIE: new_session(actor)} if actor else None) as client:  # fmt: skip
            return await client.get(path)

    return asyncio.run(fetch())


def test_served_to_a_manager_with_the_filter_and_refused_to_others():
    facility_id, facility = new_facility()
    number = new_case(lines=2, facility=facility)
    url = f"{routes.CONSOLE_LINES_CSV}?status=open&facility={facility_id}"
    answer = get(url, manager())
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"] and answer.headers["cache-control"] == "no-store"
    assert [r[0] for r in rows_of(answer.text)[1:]] == [number, number]
    assert get(url, demo_rep()).status_code == 404
    assert get(url).status_code == 404  # no session
    assert get(f"{routes.CONSOLE_LINES_CSV}?status=nonsense", manager()).status_code == 400

