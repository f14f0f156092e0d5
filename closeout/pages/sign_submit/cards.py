"""What the Sign & Submit tab shows, as plain rows the frontend can read."""

import base64
from dataclasses import dataclass

from ...domain.signing import MEANINGS, ROLE_LABELS, SignerRole
from ...services import signatures


@dataclass
class SignerCard:
    role: str = ""
    label: str = ""
    meaning: str = ""
    state: str = ""  # "" (not signed) | valid | stale
    kind: str = ""  # drawn | attestation
    signer_name: str = ""
    signed_at: str = ""  # ISO UTC, shown in local time
    via: str = ""
    image: str = ""  # data URL of the stored PNG, for display


@dataclass
class ReminderShown:
    sent_at: str  # ISO UTC, shown in local time
    recipient: str
    delivery: str


@dataclass
class MakerPO:
    id: int
    name: str
    number: str


def signer_card(role: SignerRole, view: signatures.SignatureView | None) -> SignerCard:
    card = SignerCard(role.value, ROLE_LABELS[role], MEANINGS[role])
    if view is not None:
        card.state = "valid" if view.valid else "stale"
        card.kind, card.signer_name, card.via = view.kind.value, view.signer_name, view.via
        card.signed_at, card.meaning = view.signed_at.isoformat(), view.meaning
        if view.image:
            card.image = "data:image/png;base64," + base64.b64encode(view.image).decode()
    return card
