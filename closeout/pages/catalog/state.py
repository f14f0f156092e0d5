"""The catalog page's state: the open tab, the products (searched, paged), the price lists
and the manufacturers (with the add form). Reads and writes go through services."""

import asyncio
from dataclasses import dataclass

import reflex as rx

from ...domain.errors import DomainError, InvalidInput
from ...domain.money import format_usd
from ...services import auth, catalog_admin
from ...services.catalog_admin import PAGE_SIZE
from ..base import AuthState


@dataclass
class ProductItem:
    ref: str
    description: str
    manufacturer: str
    gtin: str
    list_price: str
    single_use: str


@dataclass
class MakerItem:
    name: str
    lic: str
    products: int


@dataclass
class ListItem:
    name: str
    facilities: str
    prices: int


class CatalogState(AuthState):
    error: str = ""  # the page cannot be shown (a rep, the database down)
    tab: str = "products"
    search: str = ""
    page: int = 1
    total: int = 0
    products: list[ProductItem] = []
    makers: list[MakerItem] = []
    price_lists: list[ListItem] = []
    maker_errors: dict[str, str] = {}
    maker_notice: str = ""

    @rx.var
    def page_count(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def _show(self, found: catalog_admin.CatalogOverview) -> None:
        self.error, self.total = "", found.total
        self.products = [ProductItem(p.ref, p.description, p.manufacturer, p.gtin, format_usd(p.list_price),
                                     "Yes" if p.single_use else "No") for p in found.products]  # fmt: skip
        self.makers = [MakerItem(m.name, m.lic or "—", m.products) for m in found.makers]
        self.price_lists = [ListItem(p.name, p.facilities or "No facility yet", p.prices) for p in found.price_lists]

    def _read(self) -> None:
        try:
            actor = self._actor()
        except DomainError:
            return  # require_login sends the browser to sign in
        try:
            self._show(catalog_admin.overview(actor, self.search, self.page))
        except DomainError as refusal:
            self.error = refusal.message

    @rx.event
    def load(self):
        self.maker_errors, self.maker_notice = {}, ""
        self._read()

    @rx.event
    def refresh(self):
        """After an import or an added manufacturer: the lists as they are now."""
        self._read()

    @rx.event
    def open_tab(self, tab: str):
        if tab in ("products", "prices", "manufacturers"):
            self.tab = tab

    @rx.event
    def find(self, form: dict):
        self.search, self.page = " ".join(str(form.get("q", ""))[:60].split()), 1
        self._read()

    @rx.event
    def go_to_page(self, page: int):
        if not isinstance(page, int) or isinstance(page, bool):
            return
        self.page = min(max(1, page), self.page_count)
        self._read()

    @rx.event
    async def add_maker(self, form: dict):
        """Add a manufacturer; a refusal keeps what was typed, next to its field."""
        self.maker_errors, self.maker_notice = {}, ""
        name, lic = str(form.get("name", ""))[:200], str(form.get("lic", ""))[:20]
        try:
            added = await asyncio.to_thread(_add, self.session_token, name, lic)
        except InvalidInput as refusal:
            self.maker_errors = {refusal.field: refusal.message}
            return
        except DomainError as refusal:
            self.maker_errors = {"name": refusal.message}
            return
        self.maker_notice = f"{added.name} added."
        yield rx.set_value("maker-name", "")
        yield rx.set_value("maker-lic", "")
        yield CatalogState.refresh


def _add(token: str, name: str, lic: str) -> catalog_admin.MakerRow:
    return catalog_admin.add_manufacturer(auth.actor_for_session(token), name, lic)
