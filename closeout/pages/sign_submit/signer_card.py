"""One signer's card: the form that gives the signature (signer_forms.py), or the signature as
given: printed name, title or role, meaning, date and time in the facility's time zone, how
it was given, and whether it still matches the devices (a pre-authorization: how many lines
changed since)."""

import reflex as rx

from ...components.layout import TOUCH
from .signer_forms import attestation_form, provider_form, rep_form
from .state import SignState

PRE_AUTH = "pre_authorization"


def given(role: str) -> rx.Component:
    card = SignState.cards[role]
    return rx.vstack(
        rx.cond(
            card.kind == "drawn",
            rx.image(src=card.image, alt=f"Signature of {card.signer_name}", max_height="120px",
                     border="1px solid var(--gray-5)", border_radius="6px", background="white"),  # fmt: skip
            rx.callout(f"Attestation: {card.signer_name}", icon="shield-check", color_scheme="gray", size="1"),
        ),
        rx.text(rx.text.strong(card.signer_name, class_name="signer-name"), " · ",
                rx.cond(card.title != "", card.title, card.label), size="2"),  # fmt: skip
        rx.text(card.meaning, size="1", color_scheme="gray"),
        rx.text(rx.cond(card.kind == "drawn", "Signed ", "Entered "), card.signed_at_text, size="1",
                color_scheme="gray", class_name="signed-at"),  # fmt: skip
        rx.text(card.how_given, size="1", color_scheme="gray", class_name="how-given"),
        rx.cond(card.since != "", rx.callout(
            card.since + " it was given.", icon=rx.cond(card.state == "valid", "check", "list-plus"),
            color_scheme=rx.cond(card.state == "valid", "green", "amber"), size="1", class_name="pre-auth-since")),
        rx.cond(card.state == "stale", rx.callout(
            "No longer valid: the devices changed after this was given. Sign again.",
            icon="triangle-alert", color_scheme="red", size="1", class_name="signature-stale"))
        if role != PRE_AUTH else rx.fragment(),
        spacing="1", width="100%",
    )  # fmt: skip


def _status(role: str) -> rx.Component:
    state = SignState.cards[role].state
    if role == PRE_AUTH:
        return rx.cond(state != "", rx.badge("Pre-authorized", color_scheme="blue", class_name="signer-status"),
                       rx.badge("Optional", color_scheme="gray", class_name="signer-status"))  # fmt: skip
    return rx.match(
        state,
        ("valid", rx.badge("Signed", color_scheme="green", class_name="signer-status")),
        ("stale", rx.badge("Sign again", color_scheme="red", class_name="signer-status")),
        rx.badge("Not signed", color_scheme="gray", class_name="signer-status"),
    )


def _form(role: str, save) -> rx.Component:
    attesting = SignState.attesting.get(role, False)
    if role == PRE_AUTH:
        return rx.cond(
            SignState.pre_auth_open,
            provider_form(role, save, "Pre-authorize"),
            rx.flex(rx.button(rx.icon("pen-line"), "Pre-authorize now", on_click=SignState.toggle_pre_auth,
                              variant="soft", min_height=TOUCH, id="open-pre-authorization"), justify="end", width="100%"),
        )  # fmt: skip
    drawn = rep_form() if role == "sales_rep" else provider_form(role, save)
    toggle = "Cannot draw? Attest with your password instead" if role == "sales_rep" else "Provider not available? Attest instead"
    return rx.vstack(
        rx.cond(attesting, attestation_form(role), drawn),
        rx.button(rx.cond(attesting, "Draw a signature instead", toggle), on_click=SignState.toggle_attest(role),
                  variant="ghost", size="2", min_height=TOUCH),
        width="100%", spacing="2",
    )  # fmt: skip


def signer_card(role: str, save=None) -> rx.Component:
    card = SignState.cards[role]
    # A pre-authorization, once given, stands through changes: they are counted, not signed again.
    offered = SignState.can_sign & ((card.state == "") if role == PRE_AUTH else (card.state != "valid"))
    return rx.card(
        rx.flex(rx.heading(card.label, size="4"), _status(role), justify="between", align="center", width="100%"),
        rx.text(card.meaning, size="1", color_scheme="gray", margin_bottom="8px"),
        rx.cond(role == PRE_AUTH, rx.text(
            "Optional: a provider may sign early for the devices listed so far. It stays through Reopen; "
            "lines added, removed or changed later are counted here and on the sales order.", size="1")),
        rx.cond(card.state != "", given(role)),
        rx.cond(offered, rx.vstack(rx.cond(card.state == "stale", rx.separator(margin_y="8px")), _form(role, save),
                                   width="100%", spacing="2")),  # fmt: skip
        rx.cond(SignState.errors.get(role, "") != "",
                rx.text(SignState.errors.get(role, ""), color_scheme="red", size="2", role="alert",
                        class_name="sign-error")),
        width="100%", class_name=f"signer-{role}",
    )  # fmt: skip
