"""The forms that give a signature on the rep's screen: the Sales Rep's (the account's name,
read-only, and its password or signing PIN), a provider's (printed name and title), and an
attestation (the account's secret). The secret field is read by the browser on Save and
never kept in the state."""

import json

import reflex as rx

from ...components.layout import TOUCH
from ...components.signature_pad import clear_pad, read_pad, signature_pad
from ...domain.signing import ROLE_LABELS, SignerRole
from ..base import AuthState
from .state import SignState


def with_secret(role: str, pad_id: str = "") -> str:
    """JS giving {png, secret, role} as the browser holds them now."""
    png = read_pad(pad_id) if pad_id else "''"
    secret = f"document.getElementById({json.dumps('secret-' + role)})?.value ?? ''"
    return f"({{png: {png}, secret: {secret}, role: {json.dumps(role)}}})"


def secret_field(role: str, purpose: str) -> rx.Component:
    """The account's password, or its signing PIN (numeric keypad) when it has one."""
    pin = SignState.pin_asked
    label = rx.cond(pin, "Your signing PIN", "Your password")
    return rx.vstack(
        rx.text(label, size="2", weight="medium"),
        rx.input(id=f"secret-{role}", type="password", input_mode=rx.cond(pin, "numeric", "text"),
                 auto_complete=rx.cond(pin, "off", "current-password"), size="3", width="100%", min_height=TOUCH,
                 aria_label=rx.cond(pin, f"Your signing PIN {purpose}", f"Your password {purpose}"),
                 key=rx.cond(pin, f"pin-{role}", f"password-{role}")),
        rx.cond(SignState.has_pin, rx.button(
            rx.cond(SignState.use_password, "Use my signing PIN", "Use my password instead"),
            on_click=SignState.toggle_secret, variant="ghost", size="2", min_height=TOUCH, class_name="secret-toggle")),
        spacing="1", width="100%",
    )  # fmt: skip


def _pad_buttons(pad_id: str, save_label: str, aria: str, on_save) -> rx.Component:
    return rx.flex(
        rx.button("Clear", on_click=clear_pad(pad_id), variant="soft", color_scheme="gray", min_height=TOUCH),
        rx.button(rx.icon("pen-line"), save_label, min_height=TOUCH, on_click=on_save, aria_label=aria),
        gap="8px", justify="end", width="100%",
    )  # fmt: skip


def rep_form() -> rx.Component:
    """The signed-in account signs as the Sales Rep: its name, printed; its secret, asked."""
    pad_id = "sig_sales_rep"
    return rx.vstack(
        rx.input(value=AuthState.user_name, read_only=True, aria_label="Sales Rep printed name", size="3",
                 width="100%", min_height=TOUCH, variant="soft", id="sales-rep-printed-name"),
        rx.text("Your account's name is printed; sign with your own password or PIN.", size="1", color_scheme="gray"),
        signature_pad(pad_id, "Sales Rep signature pad"),
        rx.text("Sign above the line with a finger, stylus or mouse.", size="1", color_scheme="gray"),
        secret_field("sales_rep", "to sign as the Sales Rep"),
        _pad_buttons(pad_id, "Save signature", "Save Sales Rep signature",
                     rx.call_script(with_secret("sales_rep", pad_id), callback=SignState.save_sales_rep)),
        spacing="2", width="100%",
    )  # fmt: skip


def provider_form(role: str, save, save_label: str = "Save signature") -> rx.Component:
    """A provider signs here: printed name and title as they give them."""
    pad_id = f"sig_{role}"
    label = ROLE_LABELS[SignerRole(role)]
    who = "Provider" if role == SignerRole.PRE_AUTHORIZATION else label
    return rx.vstack(
        rx.input(value=SignState.names.get(role, ""), on_change=lambda v: SignState.set_name(role, v),
                 placeholder="Printed name", aria_label=f"{who} printed name", size="3", width="100%",
                 min_height=TOUCH),
        rx.input(value=SignState.titles.get(role, ""), on_change=lambda v: SignState.set_title(role, v),
                 placeholder="Title, e.g. RN, circulating nurse", aria_label=f"{who} title", size="3", width="100%",
                 min_height=TOUCH),
        signature_pad(pad_id, f"{label} signature pad"),
        rx.text("Sign above the line with a finger, stylus or mouse.", size="1", color_scheme="gray"),
        _pad_buttons(pad_id, save_label, f"Save {label} signature" if save_label == "Save signature" else save_label,
                     rx.call_script(read_pad(pad_id), callback=save)),
        spacing="2", width="100%",
    )  # fmt: skip


def attestation_form(role: str) -> rx.Component:
    label = ROLE_LABELS[SignerRole(role)]
    why = (f"The {label} is not available." if role == SignerRole.PROVIDER
           else "Instead of drawing a signature,")  # fmt: skip
    return rx.vstack(
        rx.text(why, " Confirm with your password or PIN to record that you, ", rx.text.strong(AuthState.user_name),
                ", closed the case.", size="2"),
        secret_field(role, f"to attest for the {label}"),
        rx.flex(
            rx.button("Record attestation", min_height=TOUCH, aria_label=f"Record attestation for the {label}",
                      on_click=rx.call_script(with_secret(role), callback=SignState.attest)),
            gap="8px", justify="end", width="100%",
        ),
        spacing="2", width="100%",
    )  # fmt: skip
