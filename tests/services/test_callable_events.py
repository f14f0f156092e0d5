"""Only decorated events are callable from the browser. Reflex 0.10 makes every public function
of a state an event handler (reflex/state.py `_item_is_event_handler`: any callable whose name
does not start with "_"), so a helper like `refresh(number)` could be sent by a crafted event
with any argument. The app's rule: a state's public function is an `@rx.event`; everything else
is `_private`. This walks every state class of the app, so a new helper cannot slip in."""

import ast
import inspect
import textwrap

from reflex.state import BaseState

import closeout.closeout  # noqa: F401  (registers every page and state)

REFLEX_OWN = {"setvar"}  # Reflex's: it only calls the state's `set_<var>` handlers, each checked here


def _states() -> list[type[BaseState]]:
    found, pending = [], [BaseState]
    while pending:
        cls = pending.pop()
        subclasses = cls.class_subclasses if hasattr(cls, "class_subclasses") else cls.__subclasses__()
        pending.extend(subclasses)
        if cls.__module__.startswith("closeout"):
            found.append(cls)
    return found


def _decorated_as_event(fn) -> bool:
    node = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0]
    named = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
    return "rx.event" in named


def test_every_public_function_of_every_state_is_a_decorated_event():
    states = _states()
    assert len(states) > 20  # the walk found the app's states
    undecorated = []
    for state in states:
        for name, handler in state.event_handlers.items():
            if name in REFLEX_OWN or not getattr(handler.fn, "__module__", "").startswith("closeout"):
                continue
            if not _decorated_as_event(handler.fn):
                undecorated.append(f"{state.__name__}.{name}")
    assert not undecorated, f"callable from the browser but not an @rx.event (make them _private): {undecorated}"


def test_the_helpers_the_issue_named_are_not_callable():
    from closeout.pages.base import AuthState
    from closeout.pages.case_state import CaseState
    from closeout.pages.sign_submit.invoice_state import InvoiceState
    from closeout.pages.sign_submit.state import SignState

    named = {CaseState: ["refresh", "show", "missing"], SignState: ["case_changed"], InvoiceState: ["case_changed"],
             AuthState: ["actor"]}  # fmt: skip
    for state, names in named.items():
        assert not set(names) & set(state.event_handlers), state.__name__
