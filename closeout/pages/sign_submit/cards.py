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
    title: str = ""  # a provider's, as given
    signed_at_text: str = ""  # in the facility's time zone, with the zone named
    how_given: str = ""  # "on the rep's screen, signed with the account password", …
    since: str = ""  # a pre-authorization: "1 line added since"


@dataclass
class ProblemRow:
    """A reason Submit for Billing waits, and where it is fixed: a case detail (`field`, in
    Edit details) or a device line (`line`, its position; `field`, its input)."""

    text: str = ""
    field: str = ""
    line: int = 0


@dataclass
class ReminderShown:
    sent_at: str  # ISO UTC, shown in local time; a failed one: when it was (last) tried
    recipient: str
    delivery: str
    status: str = "sent"  # sent | failed
    error: str = ""  # why it failed
    sent_by: str = ""  # "" for the scheduled job


@dataclass
class EnteredPO:
    """A PO on the case: for what, who entered it (a user, or "buyer@hospital via link"),
    and the buyer's PO document, when one was attached."""

    manufacturer: str
    number: str
    entered_at: str  # ISO UTC, shown in local time
    entered_by: str
    document_url: str = ""
    document_name: str = ""


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
        card.title, card.signed_at_text, card.how_given, card.since = (view.title, view.signed_at_text, view.how_given,
                                                                       view.since)  # fmt: skip
        if view.image:
            card.image = "data:image/png;base64," + base64.b64encode(view.image).decode()
    return card
