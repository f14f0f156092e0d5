"""Background work a browser tab may start (live watchers, export follow-ups): at most one
running copy per tab and kind in this worker, whatever events the browser sends."""


class OnePerTab:
    """Tickets for one kind of background task, keyed by the tab's client token."""

    def __init__(self) -> None:
        self._running: dict[str, object] = {}

    def take_over(self, tab: str) -> object:
        """Start a copy that replaces any running one (it stops at its next check)."""
        ticket = object()
        self._running[tab] = ticket
        return ticket

    def start_if_idle(self, tab: str) -> object | None:
        """Start a copy only if none is running for this tab; None otherwise."""
        if tab in self._running:
            return None
        return self.take_over(tab)

    def holds(self, tab: str, ticket: object) -> bool:
        return self._running.get(tab) is ticket

    def finish(self, tab: str, ticket: object) -> None:
        if self.holds(tab, ticket):
            del self._running[tab]

    def count(self) -> int:
        return len(self._running)
