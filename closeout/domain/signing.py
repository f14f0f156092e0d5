"""Who signs, what their signature means, and what a valid signature or attestation is."""

import base64
import binascii
import io
import re
import unicodedata
import warnings
from enum import StrEnum

from PIL import Image

from .errors import InvalidInput

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MAX_SIGNATURE_BYTES = 300_000
# A tablet's signature pad at device-pixel-ratio 3 is about 2300 × 700 px. A PNG states its
# size in its header, so a few kilobytes can claim 13000 × 13000 px (gigabytes once decoded).
MAX_SIGNATURE_WIDTH, MAX_SIGNATURE_HEIGHT = 3000, 1500
MAX_SIGNATURE_PIXELS = 3_000_000
UNREADABLE = "The signature image could not be read; clear and sign again."
TOO_LARGE = "The signature image is too large; clear and sign again."
MAX_NAME = 80
MIN_TEXT = 2  # a printed name or a title
_DATA_URL = re.compile(r"^data:image/png;base64,([A-Za-z0-9+/=\s]+)$")


class SignerRole(StrEnum):
    """In the order a sales order prints them: the pre-authorization first."""

    PRE_AUTHORIZATION = "pre_authorization"  # a provider signs early, on an Open case; survives Reopen
    SALES_REP = "sales_rep"
    PROVIDER = "provider_rep"


ROLE_LABELS = {
    SignerRole.PRE_AUTHORIZATION: "Pre-authorization",
    SignerRole.SALES_REP: "Sales Rep",
    SignerRole.PROVIDER: "Provider Representative",
}
MEANINGS = {
    SignerRole.PRE_AUTHORIZATION: "Provider — pre-authorizes the devices listed when signing",
    SignerRole.SALES_REP: "Sales Rep — confirms the devices used and their prices",
    SignerRole.PROVIDER: "Provider Representative — confirms devices used",
}
REQUIRED_SIGNERS = (SignerRole.SALES_REP, SignerRole.PROVIDER)  # before Submit for Billing
# Signed by a person without an account: printed name and title as given. The Sales Rep's
# signature is the signed-in account's, its printed name the account's name.
PROVIDER_SIGNERS = frozenset({SignerRole.PRE_AUTHORIZATION, SignerRole.PROVIDER})
MAX_TITLE = 80
NAME_NEEDED = "Enter the full name."
TITLE_NEEDED = "Enter the signer's title, e.g. “RN, circulating nurse”."
NAME_LONG = f"A name is at most {MAX_NAME} characters."
TITLE_LONG = f"A title is at most {MAX_TITLE} characters."


class SignatureKind(StrEnum):
    DRAWN = "drawn"
    ATTESTATION = "attestation"  # the closer typed their name: the signer was not available


def attestation_meaning(role: SignerRole) -> str:
    return f"Attestation of the person closing the case — the {ROLE_LABELS[role]} was not available"


def parse_role(raw: object) -> SignerRole:
    try:
        return SignerRole(str(raw))
    except ValueError:
        raise InvalidInput("role", "Unknown signer.") from None


def parse_signer_name(raw: object, field: str = "signer_name") -> str:
    """A printed name: 2 to 80 letters, spaces and the punctuation names use."""
    name = " ".join(str(raw).split())
    if len(name) < MIN_TEXT:
        raise InvalidInput(field, NAME_NEEDED)
    if len(name) > MAX_NAME:
        raise InvalidInput(field, NAME_LONG)
    if any(unicodedata.category(ch)[0] in "CS" for ch in name) or not any(ch.isalpha() for ch in name):
        raise InvalidInput(field, "A name has letters, spaces, hyphens, apostrophes and periods only.")
    return name


def parse_title(raw: object) -> str:
    """What the signer is in the room, e.g. "RN, circulating nurse": 2 to 80 characters."""
    title = " ".join(str(raw or "").split())
    if len(title) < MIN_TEXT or not any(ch.isalpha() for ch in title):
        raise InvalidInput("title", TITLE_NEEDED)
    if len(title) > MAX_TITLE:
        raise InvalidInput("title", TITLE_LONG)
    if any(unicodedata.category(ch)[0] == "C" for ch in title):
        raise InvalidInput("title", "The title contains characters that cannot be saved.")
    return title


def parse_signature_png(raw: object) -> bytes:
    """The drawn signature as PNG bytes from a `data:image/png;base64,...` URL."""
    match = _DATA_URL.match(str(raw)) if raw else None
    if match is None:
        raise InvalidInput("signature", "Draw the signature in the box first.")
    try:
        png = base64.b64decode(match.group(1), validate=False)
    except (binascii.Error, ValueError):
        raise InvalidInput("signature", UNREADABLE) from None
    image = open_signature(png)
    out = io.BytesIO()
    image.convert("RGBA").save(out, format="PNG", optimize=True)
    if out.tell() > MAX_SIGNATURE_BYTES:
        raise InvalidInput("signature", TOO_LARGE)
    return out.getvalue()  # a clean copy, decoded once: never the bytes as given


def open_signature(png: bytes) -> Image.Image:
    """Decode a signature PNG, refusing one whose header claims more pixels than a signature
    pad gives before any pixel is decoded (InvalidInput "signature"). Also what the sales
    order uses on stored images, so an old row cannot do damage either."""
    if not png.startswith(PNG_MAGIC):
        raise InvalidInput("signature", UNREADABLE)
    if len(png) > MAX_SIGNATURE_BYTES:
        raise InvalidInput("signature", TOO_LARGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(png), formats=["PNG"])  # reads the header only
            width, height = image.size
            if width > MAX_SIGNATURE_WIDTH or height > MAX_SIGNATURE_HEIGHT or width * height > MAX_SIGNATURE_PIXELS:
                raise InvalidInput("signature", TOO_LARGE)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidInput("signature", TOO_LARGE) from None
    except InvalidInput:
        raise
    except Exception:  # untrusted bytes: whatever Pillow raises on them (OSError, SyntaxError, zlib...)
        raise InvalidInput("signature", UNREADABLE) from None
    if image.format != "PNG" or width < 1 or height < 1:
        raise InvalidInput("signature", UNREADABLE)
    return image
