"""The shell every page sits in: a top bar and a centred, touch-friendly column. It is
handed who is signed in and what signing out does; it reads no state of its own."""

from dataclasses import dataclass

import reflex as rx

from .. import routes
from .service_worker import service_worker

TOUCH = "44px"  # minimum touch target (WCAG 2.5.5 / Apple HIG)


def nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, color="white", size="2", weight="medium", padding_x="8px", min_height=TOUCH,
                   display="flex", align_items="center", white_space="nowrap")  # fmt: skip


@dataclass(frozen=True)
class SignedIn:
    """What the top bar shows of the signed-in user, as vars of the page's state."""

    name: rx.Var
    role: rx.Var
    is_manager: rx.Var
    sign_out: object  # what the Sign out button does (an event handler or spec)


MANAGE = (("Directory", routes.DIRECTORY), ("Users", routes.USERS), ("Catalog", routes.CATALOG))


def manage_links() -> rx.Component:
    """A manager's set-up pages: links in the bar from a landscape tablet up, a Manage menu
    below (a portrait tablet has no room for six links, the user and Sign out)."""
    wide, narrow = rx.breakpoints(initial="none", md="flex"), rx.breakpoints(initial="flex", md="none")
    return rx.fragment(
        rx.hstack(*[nav_link(label, href) for label, href in MANAGE], display=wide, spacing="2"),
        rx.menu.root(
            rx.menu.trigger(rx.button("Manage", rx.icon("chevron-down", size=16), variant="ghost", color="white", size="2",
                                      min_height=TOUCH, id="manage-menu", display=narrow)),
            rx.menu.content(*[rx.menu.item(label, on_click=rx.redirect(href), min_height=TOUCH) for label, href in MANAGE]),
        ),
    )  # fmt: skip


def top_bar(user: SignedIn) -> rx.Component:
    return rx.el.header(
        rx.hstack(
            rx.link(
                rx.hstack(rx.icon("clipboard-check", size=22), rx.text("Closeout", weight="bold", size="4"),
                          align="center", spacing="2"),
                href=routes.HOME, underline="none", color="white", min_height=TOUCH, display="flex", align_items="center",
            ),
            nav_link("Cases", routes.HOME),
            nav_link("Replenishment", routes.REPLENISHMENT),
            rx.cond(user.is_manager, nav_link("Console", routes.CONSOLE)),
            rx.cond(user.is_manager, manage_links()),
            rx.spacer(),
            rx.link(rx.icon("circle-user", size=18), rx.el.span("Account ", class_name="visually-hidden"),
                    rx.text(user.name, " · ", user.role, display=rx.breakpoints(initial="none", md="block")),
                    href=routes.ACCOUNT, size="2", color="white", opacity="0.9", white_space="nowrap", min_height=TOUCH,
                    min_width=TOUCH, display="flex", align_items="center", gap="6px", id="account-link"),
            rx.button(rx.icon("log-out", size=16), "Sign out", on_click=user.sign_out, variant="ghost", size="2",
                      color="white", min_height=TOUCH, id="sign-out"),
            align="center", width="100%", max_width="1400px", margin="0 auto", padding_x="16px", spacing="2",
        ),
        background="var(--indigo-10)", padding_y="6px", position="sticky", top="0", z_index="10",
    )  # fmt: skip


def page_shell(user: SignedIn, *children: rx.Component) -> rx.Component:
    """Top bar plus content; no horizontal page scroll at any width. Registers the service worker."""
    return rx.box(
        top_bar(user),
        service_worker(),  # the installable, cached shell (renders nothing)
        rx.el.main(
            *children,
            width="100%",
            max_width="1400px",
            margin="0 auto",
            padding=["12px", "12px", "16px", "24px"],
        ),
        min_height="100vh",
        background="var(--gray-2)",
        overflow_x="hidden",
    )


def table_link(label: rx.Var | str, href: rx.Var | str, **props) -> rx.Component:
    """A link alone in a table cell, as tall as a finger needs: its cell gets `padding_y="0"`
    and the link takes the cell's top padding, so its text lines up with the row's."""
    return rx.link(label, href=href, weight="medium", display="inline-flex", align_items="flex-start",
                   padding_top="var(--table-cell-padding)", min_height=TOUCH, min_width=TOUCH, **props)  # fmt: skip


def status_badge(status: rx.Var, label: rx.Var) -> rx.Component:
    """The case status, colour-coded the same everywhere."""
    return rx.badge(
        label,
        color_scheme=rx.match(status, ("open", "blue"), ("closed", "amber"), ("completed", "green"), ("invoiced", "violet"),
                              ("paid", "teal"), "gray"),
        size="2",
        variant="soft",
    )
