"""One signer's card: printed name, pad, Clear and Save; or the typed attestation; or the
signature as given, with its validity."""

import reflex as rx

from ...components.layout import TOUCH
from ...components.signature_pad import clear_pad, read_pad, signature_pad
from ...domain.signing import ROLE_LABELS, SignerRole
from .state import SignState


def given(role: str) -> rx.Component:
    card = SignState.cards[role]
    return rx.vstack(
        rx.cond(
            card.kind == "drawn",
            rx.image(src=card.image, alt=f"Signature of {card.signer_name}", max_height="120px",
                     border="1px solid var(--gray-5)", border_radius="6px", background="white"),  # fmt: skip
            rx.callout(f"Typed name: {card.signer_name}", icon="keyboard", color_scheme="gray", size="1"),
        ),
        rx.text(card.signer_name, weight="bold", class_name="signer-name"),
        rx.text(card.meaning, size="1", color_scheme="gray"),
        rx.text(
            rx.cond(card.kind == "drawn", "Signed ", "Entered "),
            rx.moment(card.signed_at, format="MMM D, YYYY h:mm A", local=True),
            rx.cond(card.via == "signing link", " on another screen", ""),
            size="1", color_scheme="gray",
        ),
        rx.cond(card.state == "stale", rx.callout(
            "No longer valid: the devices changed after this was given. Sign again.",
            icon="triangle-alert", color_scheme="red", size="1", class_name="signature-stale")),
        spacing="1", width="100%",
    )  # fmt: skip


def pad_form(role: str, save) -> rx.Component:
    pad_id = f"sig_{role}"
    label = ROLE_LABELS[SignerRole(role)]
    return rx.vstack(
        rx.input(
            value=SignState.names[role], on_change=lambda v: SignState.set_name(role, v),
            placeholder="Printed name", aria_label=f"{label} printed name", size="3", width="100%",
            min_height=TOUCH,
        ),
        signature_pad(pad_id, f"{label} signature pad"),
        rx.text("Sign above the line with a finger, stylus or mouse.", size="1", color_scheme="gray"),
        rx.flex(
            rx.button("Clear", on_click=clear_pad(pad_id), variant="soft", color_scheme="gray", min_height=TOUCH),
            rx.button(rx.icon("pen-line"), "Save signature", min_height=TOUCH,
                      on_click=rx.call_script(read_pad(pad_id), callback=save),
                      aria_label=f"Save {label} signature"),
            gap="8px", justify="end", width="100%",
        ),
        spacing="2", width="100%",
    )  # fmt: skip


def attestation_form(role: str) -> rx.Component:
    label = ROLE_LABELS[SignerRole(role)]
    return rx.vstack(
        rx.text(f"The {label} is not available. Type your own name to record that you closed the case.",
                size="2"),
        rx.input(
            value=SignState.names.get(f"closer_{role}", ""),
            on_change=lambda v: SignState.set_name(f"closer_{role}", v),
            placeholder="Your full name", aria_label=f"Your name instead of the {label}", size="3",
            width="100%", min_height=TOUCH,
        ),
        rx.flex(
            rx.button("Record my name", on_click=SignState.attest(role), min_height=TOUCH),
            gap="8px", justify="end", width="100%",
        ),
        spacing="2", width="100%",
    )  # fmt: skip


def signer_card(role: str, save) -> rx.Component:
    card = SignState.cards[role]
    attesting = SignState.attesting.get(role, False)
    who = ROLE_LABELS[SignerRole(role)].removesuffix(" Representative")
    return rx.card(
        rx.flex(
            rx.heading(card.label, size="4"),
            rx.match(
                card.state,
                ("valid", rx.badge("Signed", color_scheme="green", class_name="signer-status")),
                ("stale", rx.badge("Sign again", color_scheme="red", class_name="signer-status")),
                rx.badge("Not signed", color_scheme="gray", class_name="signer-status"),
            ),
            justify="between", align="center", width="100%",
        ),
        rx.text(card.meaning, size="1", color_scheme="gray", margin_bottom="8px"),
        rx.cond(card.state != "", given(role)),
        rx.cond(
            SignState.can_sign & (card.state != "valid"),
            rx.vstack(
                rx.cond(card.state == "stale", rx.separator(margin_y="8px")),
                rx.cond(attesting, attestation_form(role), pad_form(role, save)),
                rx.button(
                    rx.cond(attesting, "Draw a signature instead", f"{who} not available? Enter your name instead"),
                    on_click=SignState.toggle_attest(role), variant="ghost", size="2", min_height=TOUCH,
                ),
                width="100%", spacing="2",
            ),
        ),
        rx.cond(SignState.errors.get(role, "") != "",
                rx.text(SignState.errors.get(role, ""), color_scheme="red", size="2", role="alert",
                        class_name="sign-error")),
        width="100%", class_name=f"signer-{role}",
    )  # fmt: skip
