"""The facility list's state: search, deactivated on request and the page, all in the URL."""

from dataclasses import dataclass
from urllib.parse import urlencode

import reflex as rx

from ... import routes
from ...domain.directory import PAGE_SIZE, page_count, parse_query, to_params
from ...domain.errors import DomainError
from ...services import directory
from ..base import AuthState


@dataclass
class FacilityItem:
    id: int
    url: str
    name: str
    account_number: str
    city: str
    time_zone: str
    active: bool
    billing_contact: str


def _item(row: directory.FacilityRow) -> FacilityItem:
    return FacilityItem(row.id, routes.facility_url(row.id), row.name, row.account_number, row.city, row.time_zone,
                        row.active, row.billing_contact)  # fmt: skip


class DirectoryState(AuthState):
    params: dict[str, str] = {}
    rows: list[FacilityItem] = []
    total: int = 0
    page: int = 1
    error: str = ""

    @rx.var
    def page_count(self) -> int:
        return page_count(self.total, PAGE_SIZE)

    @rx.event
    def load(self):
        try:
            actor = self._actor()
        except DomainError:
            return  # require_login sends the browser to sign in
        query = parse_query(dict(self.router.url.query_parameters))
        try:
            found, self.total = directory.facility_page(actor, query)
        except DomainError as refusal:
            self.error, self.rows, self.total = refusal.message, [], 0
            return
        self.error, self.rows, self.page, self.params = "", [_item(r) for r in found], query.page, to_params(query)

    def _go(self, **changes: str):
        params = {k: v for k, v in {**self.params, **changes}.items() if v}
        if "page" not in changes:
            params.pop("page", None)  # a new search starts on its first page
        return rx.redirect(routes.DIRECTORY + (f"?{urlencode(params)}" if params else ""))

    def _search(self, text: object):
        text = " ".join(str(text)[:60].split())
        return self._go(q=text) if text != self.params.get("q", "") else None

    @rx.event
    def search(self, form: dict):
        """Enter in the search field: the list answers what it holds."""
        return self._search(form.get("q", ""))

    @rx.event
    def search_text(self, text: str):
        """Leaving the search field applies it too."""
        return self._search(text)

    @rx.event
    def show_inactive(self, on: bool):
        return self._go(inactive="1" if on else "")

    @rx.event
    def go_to_page(self, page: int):
        return self._go(page=str(min(max(1, int(page)), self.page_count)))
