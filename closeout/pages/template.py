"""The one way a signed-in page is made (after reflex-dev/templates' dashboard template):
`@signed_in_page(route, title, on_load)` registers the page, checks the session before the
page's own loads, and puts its content in the shell with the signed-in user's top bar."""

import functools
from collections.abc import Callable, Sequence

import reflex as rx

from ..components.layout import SignedIn, page_shell
from ..components.offline import OfflineGuard, sign_out_after_check
from .base import AuthState

USER = SignedIn(AuthState.user_name, AuthState.user_role, AuthState.is_manager, sign_out_after_check(AuthState.sign_out_checked))


def signed_in_page(route: str, title: str, on_load: Sequence = ()) -> Callable:
    """Decorate a function returning the page's content (one component or a tuple of them)."""

    def register(content: Callable[[], rx.Component | tuple]) -> Callable[[], rx.Component]:
        @rx.page(route=route, title=f"{title} · Closeout", on_load=[AuthState.require_login, *on_load])
        @functools.wraps(content)
        def page() -> rx.Component:
            made = content()
            return page_shell(
                USER, *(made if isinstance(made, tuple) else (made,)), OfflineGuard.create(user_id=AuthState.user_id)
            )

        return page

    return register
