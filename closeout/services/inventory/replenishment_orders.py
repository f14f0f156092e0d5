"""Replenishment orders (filled in below)."""

from sqlmodel import Session

from ...models import StockTransfer
from ..auth import Actor


def received_in(session: Session, actor: Actor, transfer: StockTransfer) -> None:
    """A placeholder until replenishment orders land: nothing waits on this transfer."""
