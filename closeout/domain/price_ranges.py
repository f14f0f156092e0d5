"""Effective date ranges of one product's prices on one list, and which of them overlap.
Both ends are included; no end date means until further notice."""

from datetime import date
from typing import NamedTuple

from .catalog_csv import Problems


class Span(NamedTuple):
    start: date
    end: date | None
    row: int | None = None  # the file's row; None: a stored price


def shown(span: Span) -> str:
    return f"{span.start} to {span.end}" if span.end else f"{span.start} onwards"


def _overlap_message(mine: Span, other: Span) -> str:
    if other.row is not None:
        return f"Dates {shown(mine)} overlap row {other.row} ({shown(other)})."
    return (f"Dates {shown(mine)} overlap the stored price from {shown(other)}: give that one an end date "
            "in this file (same effective from).")  # fmt: skip


def find_overlaps(spans: list[Span], problems: Problems) -> set[int]:
    """The file rows refused (reported to `problems`): a start date already on another row,
    or a range overlapping another. A file row with a stored price's start date replaces it."""
    refused: set[int] = set()
    starts: dict[date, int] = {}
    for span in spans:
        if span.row is None:
            continue
        if span.start in starts:
            problems.add(span.row, f"A price from {span.start} for this product and list is already on row {starts[span.start]}.")
            refused.add(span.row)
        else:
            starts[span.start] = span.row
    live = [s for s in spans if (s.row is None and s.start not in starts) or (s.row is not None and s.row not in refused)]
    live.sort(key=lambda s: (s.start, s.row or 0))
    reach: Span | None = None
    for span in live:
        if reach is not None and (reach.end is None or reach.end >= span.start):
            mine, other = (span, reach) if span.row is not None else (reach, span)
            if mine.row is not None and mine.row not in refused:
                problems.add(mine.row, _overlap_message(mine, other))
                refused.add(mine.row)
        if reach is None or reach.end is not None and (span.end is None or span.end > reach.end):
            reach = span
    return refused
