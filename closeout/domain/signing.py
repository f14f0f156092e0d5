"""Who signs, what their signature means, and what a valid signature or attestation is."""

import base64
import binascii
import re
import unicodedata
from enum import StrEnum

from .errors import InvalidInput

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 300_000
MAX_NAME = 80
_DATA_URL = re.compile(r"^data:image/png;base64,([A-Za-z0-9+/=\s]+)$")


class SignerRole(StrEnum):
    SALES_REP = "sales_rep"
    PROVIDER = "provider_rep"


ROLE_LABELS = {SignerRole.SALES_REP: "Sales Rep", SignerRole.PROVIDER: "Provider Representative"}
MEANINGS = {
    SignerRole.SALES_REP: "Sales Rep — confirms the devices used and their prices",
    SignerRole.PROVIDER: "Provider Representative — confirms devices used",
}


class SignatureKind(StrEnum):
    DRAWN = "drawn"
    ATTESTATION = "attestation"  # the closer typed their name: the signer was not available


def attestation_meaning(role: SignerRole) -> str:
    return f"Typed name of the person closing the case — the {ROLE_LABELS[role]} was not available"


def parse_role(raw: object) -> SignerRole:
    try:
        return SignerRole(str(raw))
    except ValueError:
        raise InvalidInput("role", "Unknown signer.") from None


def parse_signer_name(raw: object, field: str = "signer_name") -> str:
    """A printed name: 2 to 80 letters, spaces and the punctuation names use."""
    name = " ".join(str(raw).split())
    if len(name) < 2:
        raise InvalidInput(field, "Enter the full name.")
    if len(name) > MAX_NAME:
        raise InvalidInput(field, f"A name is at most {MAX_NAME} characters.")
    if any(unicodedata.category(ch)[0] in "CS" for ch in name) or not any(ch.isalpha() for ch in name):
        raise InvalidInput(field, "A name has letters, spaces, hyphens, apostrophes and periods only.")
    return name


def parse_signature_png(raw: object) -> bytes:
    """The drawn signature as PNG bytes from a `data:image/png;base64,...` URL."""
    match = _DATA_URL.match(str(raw)) if raw else None
    if match is None:
        raise InvalidInput("signature", "Draw the signature in the box first.")
    try:
        png = base64.b64decode(match.group(1), validate=False)
    except (binascii.Error, ValueError):
        raise InvalidInput("signature", "The signature image could not be read; clear and sign again.") from None
    if not png.startswith(PNG_MAGIC):
        raise InvalidInput("signature", "The signature image could not be read; clear and sign again.")
    if len(png) > MAX_SIGNATURE_BYTES:
        raise InvalidInput("signature", "The signature image is too large; clear and sign again.")
    return png
