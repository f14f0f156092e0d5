"""Background work a browser tab may start (live watchers, export follow-ups): at most one
running copy per tab and kind in this worker, whatever events the browser sends; and whether
a tab is still there. The app hands itself over at start-up (`serve_from`): pages never
import the app module."""

_app = None


def serve_from(app) -> None:
    """Called once by closeout.py with the rx.App, whose socket knows the connected tabs."""
    global _app
    _app = app


async def tab_connected(client_token: str) -> bool:
    """Whether the browser tab is still connected to any backend worker."""
    namespace = _app.event_namespace if _app is not None else None
    if namespace is None:  # not serving sockets (a handler called directly)
        return True
    return await namespace._token_manager.is_token_connected(client_token)


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

    def finish(self, tab: str, ticket: object) -> bool:
        """End a copy; True when it was the tab's running one (none runs for the tab now)."""
        if self.holds(tab, ticket):
            del self._running[tab]
            return True
        return False

    def count(self) -> int:
        return len(self._running)
