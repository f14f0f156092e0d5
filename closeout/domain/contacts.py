"""A facility's contacts (billing, purchasing, OR: one person or desk can be several) and its
surgeons, as a manager types them into the Directory."""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .accounts import parse_email
from .errors import InvalidInput

MAX_CONTACT_NAME = 120
MAX_PHONE = 40
MAX_SURGEON_NAME = 120
MAX_SPECIALTY = 80
ROLE_LABELS = {"billing": "Billing", "purchasing": "Purchasing", "or": "OR"}
_PHONE = re.compile(r"\+?[0-9 ()./-]+(?:\s*(?:x|ext\.?)\s*[0-9]+)?", re.IGNORECASE)
_TICKED = {"on", "true", "1", "yes"}


@dataclass(frozen=True)
class ContactFields:
    name: str
    email: str
    phone: str
    is_billing: bool
    is_purchasing: bool
    is_or: bool


def _one_line(raw: object, field: str, limit: int, missing: str, what: str) -> str:
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        raise InvalidInput(field, missing)
    if len(text) > limit:
        raise InvalidInput(field, f"{what} is at most {limit} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput(field, f"{what} contains characters that cannot be saved.")
    return text


def parse_phone(raw: object) -> str:
    """Optional; digits with the usual separators and an extension (x123)."""
    text = " ".join(str(raw if raw is not None else "").split())
    if not text:
        return ""
    if len(text) > MAX_PHONE:
        raise InvalidInput("phone", f"A phone number is at most {MAX_PHONE} characters.")
    if not _PHONE.fullmatch(text) or sum(ch.isdigit() for ch in text) < 7:
        raise InvalidInput("phone", f"“{text}” is not a phone number, like (503) 555-0142 x12.")
    return text


def ticked(raw: object) -> bool:
    """A checkbox as a form sends it ("on") or a bool."""
    return raw is True or str(raw).strip().lower() in _TICKED


def parse_contact(form: Mapping[str, object]) -> ContactFields:
    """Name, email, phone and at least one role."""
    name = _one_line(form.get("name"), "name", MAX_CONTACT_NAME,
                     "Enter the contact's name (a person, or a desk like Accounts Payable).", "A name")  # fmt: skip
    if not str(form.get("email") or "").strip():
        raise InvalidInput("email", "Enter the contact's email address.")
    email = parse_email(form.get("email"))
    phone = parse_phone(form.get("phone"))
    roles = [ticked(form.get(f"is_{role}")) for role in ROLE_LABELS]
    if not any(roles):
        raise InvalidInput("roles", "Tick at least one role: Billing, Purchasing or OR.")
    return ContactFields(name, email, phone, *roles)


def role_labels(is_billing: bool, is_purchasing: bool, is_or: bool) -> list[str]:
    return [label for label, on in zip(ROLE_LABELS.values(), (is_billing, is_purchasing, is_or), strict=True) if on]


def parse_surgeon(name: object, specialty: object) -> tuple[str, str]:
    """A surgeon's name as it appears on cases ("Dr. Helen Park") and an optional specialty."""
    name = _one_line(name, "surgeon_name", MAX_SURGEON_NAME, "Enter the surgeon's name.", "A surgeon's name")
    text = " ".join(str(specialty if specialty is not None else "").split())
    specialty = _one_line(text, "specialty", MAX_SPECIALTY, "", "A specialty") if text else ""
    return name, specialty
