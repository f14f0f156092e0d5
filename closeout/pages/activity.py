"""The Activity tab: the case's audit trail, newest first, in the viewer's local time."""

from dataclasses import dataclass

import reflex as rx

from ..domain.errors import NotFound
from ..services import audit
from .base import AuthState, route_tail


@dataclass
class ActivityRow:
    at: str  # ISO 8601 UTC; the browser shows it in local time
    who: str
    action: str
    summary: str
    detail: str = ""  # a signature's whole record: name, title or role, meaning, time and zone, how given


def _detail(after: dict | None) -> str:
    return str(after.get("statement", "")) if isinstance(after, dict) else ""


class ActivityState(AuthState):
    items: list[ActivityRow] = []

    @rx.event
    def load(self):
        number = route_tail(self)
        try:
            found = audit.activity(self._actor(), number)
        except NotFound:
            self.items = []
            return
        self.items = [ActivityRow(i.at.isoformat(), i.who, i.action, i.summary, _detail(i.after)) for i in found]


def activity_item(item: ActivityRow) -> rx.Component:
    return rx.hstack(
        rx.icon("history", size=16, color="var(--gray-9)", flex_shrink="0", margin_top="3px"),
        rx.vstack(
            rx.text(item.summary, size="2"),
            rx.cond(item.detail != "", rx.text(item.detail, size="1", class_name="activity-detail")),
            rx.text(
                item.who,
                " · ",
                item.action,
                " · ",
                rx.moment(item.at, format="MMM D, YYYY h:mm A", local=True),
                size="1",
                color_scheme="gray",
            ),
            spacing="1",
        ),
        align="start",
        spacing="3",
        padding_y="8px",
        width="100%",
        border_bottom="1px solid var(--gray-4)",
        class_name="activity-item",
    )


def activity_tab() -> rx.Component:
    return rx.card(
        rx.heading("Activity", size="4", margin_bottom="8px"),
        rx.cond(
            ActivityState.items.length() > 0,
            rx.vstack(rx.foreach(ActivityState.items, activity_item), spacing="0", width="100%"),
            rx.text("No activity yet.", color_scheme="gray"),
        ),
        width="100%",
    )
