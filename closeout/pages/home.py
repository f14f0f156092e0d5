"""Home: the rep's cases, searchable by case number, facility and surgeon."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from ..components.layout import TOUCH, status_badge, table_link
from ..components.offline import OfflineCard
from ..components.price_badge import prices_edited_badge
from ..domain.lifecycle import STATUS_LABELS
from ..services import cases
from .base import AuthState
from .template import signed_in_page

PAGE_SIZE = 20


@dataclass
class CaseRow:
    number: str
    url: str
    facility: str
    surgeon: str
    procedure: str
    surgery_date: str
    status: str
    status_label: str
    prices_edited: bool = False


def _row(summary: cases.CaseSummary) -> CaseRow:
    return CaseRow(
        summary.number,
        routes.case_url(summary.number),
        summary.facility,
        summary.surgeon,
        summary.procedure,
        summary.surgery_date.strftime("%b %-d, %Y"),
        summary.status.value,
        STATUS_LABELS[summary.status],
        summary.prices_edited,
    )


class HomeState(AuthState):
    query: str = ""
    rows: list[CaseRow] = []
    total: int = 0
    page: int = 1

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def _fetch(self):
        found, self.total = cases.search_cases(self._actor(), self.query, limit=PAGE_SIZE, offset=(self.page - 1) * PAGE_SIZE)
        self.rows = [_row(s) for s in found]

    @rx.event
    def load(self):
        self._fetch()

    @rx.event
    def search(self, text: str):
        self.query, self.page = text[:80], 1
        self._fetch()

    @rx.event
    def go_to_page(self, page: int):
        self.page = min(max(1, page), self.page_count)
        self._fetch()


def case_row(row: CaseRow) -> rx.Component:
    hide_narrow = ["none", "none", "none", "table-cell"]
    return rx.table.row(
        rx.table.cell(table_link(row.number, row.url), padding_y="0"),
        rx.table.cell(row.facility),
        rx.table.cell(row.surgeon),
        rx.table.cell(row.procedure, display=hide_narrow),
        rx.table.cell(row.surgery_date, white_space="nowrap"),
        rx.table.cell(rx.flex(status_badge(row.status, row.status_label), prices_edited_badge(row.prices_edited), gap="4px",
                              wrap="wrap")),  # fmt: skip
        on_click=rx.redirect(row.url),
        cursor="pointer",
        height=TOUCH,
        class_name="case-row",
        _hover={"background": "var(--accent-3)"},
    )


def pager() -> rx.Component:
    return rx.hstack(
        rx.button(
            "Previous",
            on_click=HomeState.go_to_page(HomeState.page - 1),
            disabled=HomeState.page <= 1,
            variant="soft",
            min_height=TOUCH,
        ),
        rx.text("Page ", HomeState.page, " of ", HomeState.page_count, " · ", HomeState.total, " cases", size="2"),
        rx.button(
            "Next",
            on_click=HomeState.go_to_page(HomeState.page + 1),
            disabled=HomeState.page >= HomeState.page_count,
            variant="soft",
            min_height=TOUCH,
        ),
        align="center",
        justify="end",
        spacing="3",
        width="100%",
    )


@signed_in_page(routes.HOME, "My cases", on_load=[HomeState.load])
def home() -> rx.Component:
    return (
        rx.vstack(
            rx.hstack(
                rx.heading(rx.cond(AuthState.is_manager, "All cases", "My cases"), size="7"),
                rx.link(rx.button(rx.icon("plus", size=18), "New case", size="3", min_height=TOUCH, id="new-case"),
                        href=routes.NEW_CASE, margin_left="auto"),
                align="center", width="100%",
            ),
            rx.cond(AuthState.is_manager, rx.fragment(), OfflineCard.create(user_id=AuthState.user_id)),
            rx.input(
                rx.input.slot(rx.icon("search")),
                placeholder="Search by case number, facility or surgeon",
                default_value=HomeState.query,
                on_change=HomeState.search.debounce(300),
                size="3",
                width="100%",
                max_width="520px",
                min_height=TOUCH,
                id="case-search",
            ),
            rx.card(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Case"),
                            rx.table.column_header_cell("Facility"),
                            rx.table.column_header_cell("Surgeon"),
                            rx.table.column_header_cell("Procedure", display=["none", "none", "none", "table-cell"]),
                            rx.table.column_header_cell("Surgery date"),
                            rx.table.column_header_cell("Status"),
                        )
                    ),
                    rx.table.body(rx.foreach(HomeState.rows, case_row)),
                    width="100%",
                    variant="ghost",
                ),
                rx.cond(HomeState.total == 0, rx.text("No cases match your search.", padding="16px", color_scheme="gray")),
                width="100%",
                padding="0",
            ),
            pager(),
            spacing="4",
            width="100%",
        )
    )
