"""Sign in with email and password."""

import asyncio

import reflex as rx

from .. import routes
from ..components.layout import TOUCH
from ..domain.errors import DomainError
from ..domain.navigation import safe_next
from ..services import auth
from .base import AuthState, signed_in_page


class LoginState(AuthState):
    error: str = ""

    @rx.event
    async def sign_in(self, form: dict):
        # In a thread: argon2 takes ~100 ms, and would hold up every screen on this worker.
        try:
            token, _ = await asyncio.to_thread(
                auth.sign_in, form.get("email", ""), form.get("password", ""), self.router.session.client_ip
            )
        except DomainError as refusal:
            self.error = refusal.message
            return None
        code = await asyncio.to_thread(auth.to_handover, token)  # the raw token never leaves the server
        self.error = ""
        target = str(self.router.url.query_parameters.get("next", routes.HOME))
        return signed_in_page(code, safe_next(target, routes.HOME))


@rx.page(route=routes.LOGIN, title="Sign in · Closeout")
def login_page() -> rx.Component:
    return rx.el.main(rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(rx.icon("clipboard-check", size=28, color="var(--indigo-10)"),
                          rx.heading("Closeout", size="7"), align="center"),
                rx.text("Sign in to close out your cases.", color_scheme="gray"),
                rx.form(
                    rx.vstack(
                        rx.text("Email", size="2", weight="medium"),
                        rx.input(name="email", type="email", auto_complete="username", size="3", width="100%",
                                 min_height=TOUCH, aria_label="Email", id="login-email"),
                        rx.text("Password", size="2", weight="medium"),
                        rx.input(name="password", type="password", auto_complete="current-password", size="3",
                                 width="100%", min_height=TOUCH, aria_label="Password", id="login-password"),
                        rx.cond(LoginState.error != "", rx.text(LoginState.error, color_scheme="red", size="2",
                                                                role="alert", id="login-error")),
                        rx.button("Sign in", type="submit", size="3", width="100%", min_height=TOUCH, id="login-submit"),
                        spacing="2", width="100%",
                    ),
                    on_submit=LoginState.sign_in, width="100%",
                ),
                spacing="4", width="100%",
            ),
            width="100%", max_width="420px", padding="24px",
        ),
        min_height="100vh", background="var(--gray-2)", padding="16px",
    ))  # fmt: skip
