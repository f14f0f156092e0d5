"""The one-time link a manager just issued (an invitation or a password reset): shown once,
to copy, with what happened to the email."""

import reflex as rx

from ...components.layout import TOUCH
from ...services.invitations import IssuedLink


def note_for(issued: IssuedLink) -> str:
    """What the manager is told about the email."""
    if issued.delivery == "sent":
        return f"Emailed to {issued.email}. You can also copy the link and pass it on."
    if issued.delivery == "failed":
        return f"The email to {issued.email} could not be sent: {issued.mail_error} Copy the link and send it to them yourself."
    return f"Mail is not configured, so nothing was emailed: copy the link and send it to {issued.email} yourself."


def link_card(url: rx.Var, note: rx.Var, emailed: rx.Var, expires: rx.Var) -> rx.Component:
    """The link in a read-only field with a Copy button; `expires` is an ISO instant shown in local time."""
    return rx.vstack(
        rx.text("One-time link", size="2", weight="medium"),
        rx.flex(
            rx.input(value=url, read_only=True, id="invitation-link", size="3", min_height=TOUCH, flex="1", min_width="0",
                     aria_label="One-time link", on_focus=rx.call_script("document.getElementById('invitation-link').select()")),
            rx.button(rx.icon("copy", size=16), "Copy", on_click=[rx.set_clipboard(url), rx.toast.success("Link copied.")],
                      min_height=TOUCH, id="copy-invitation-link"),
            gap="8px", width="100%", align="center",
        ),
        rx.text("Works once, until ", rx.moment(expires, format="MMM D, YYYY h:mm A", local=True), ".", size="2",
                color_scheme="gray"),
        rx.callout(note, icon="mail", color_scheme=rx.cond(emailed, "green", "amber"),
                   id="invitation-note", width="100%"),
        spacing="2", width="100%",
    )  # fmt: skip
