"""What an account needs: a real email address, a name, and a password good enough to guard
a company's cases and prices. The one rule for every place an account or a password is set."""

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

from .errors import InvalidInput

MIN_PASSWORD = 12
MAX_PASSWORD = 200  # sign-in reads no more than this (services/auth.py): a longer one could never sign in
MAX_NAME = 120
MIN_STRENGTH = 3  # zxcvbn's score (0–4): 3 is about 10^8 guesses, "safely unguessable" online
SCORED_LENGTH = 72  # zxcvbn's own bound (its matching grows with length); the rest only adds to the guesses
MAX_EMAIL = 254


def parse_email(raw: object) -> str:
    """A syntactically valid address, lower-cased: sign-in ignores letter case, so two accounts
    must never differ only by it. No DNS look-up: nothing leaves the machine."""
    text = str(raw or "").strip()
    if not text:
        raise InvalidInput("email", "Enter the email address the person signs in with.")
    try:
        address = validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise InvalidInput("email", f"“{text[:60]}” is not a valid email address: {error}") from None
    if len(address) > MAX_EMAIL:
        raise InvalidInput("email", f"An email address is at most {MAX_EMAIL} characters.")
    return address


def parse_name(raw: object) -> str:
    """The person's name as it appears on cases and in Activity."""
    text = " ".join(str(raw or "").split())
    if not text:
        raise InvalidInput("name", "Enter the person's name.")
    if len(text) > MAX_NAME:
        raise InvalidInput("name", f"A name is at most {MAX_NAME} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput("name", "The name contains characters that cannot be saved.")
    return text


def check_password(raw: object, email: str, name: str = "", company: str = "") -> str:
    """The password as typed (never trimmed: every character counts), if it is long enough,
    is not the email address or its name part, is not one character repeated, and is not easy
    to guess: zxcvbn (Dropbox's estimator: common passwords, keyboard walks, sequences, dates,
    names, l33t) with the user's email, name and the company's name as extra words must give it
    at least MIN_STRENGTH, about 10^8 guesses. The message says why and what would do."""
    if not isinstance(raw, str):
        raise InvalidInput("password", "Enter a password.")
    if len(raw) < MIN_PASSWORD:
        raise InvalidInput("password", f"A password needs at least {MIN_PASSWORD} characters.")
    if len(raw) > MAX_PASSWORD:
        raise InvalidInput("password", f"A password is at most {MAX_PASSWORD} characters.")
    folded, address = raw.strip().casefold(), email.strip().casefold()
    if folded in {address, address.partition("@")[0]}:
        raise InvalidInput("password", "The password cannot be the email address.")
    if len(set(raw)) == 1:
        raise InvalidInput("password", "The password cannot be one character repeated.")
    estimate = zxcvbn(raw[:SCORED_LENGTH], user_inputs=personal_words(email, name, company))
    if estimate["score"] < MIN_STRENGTH:
        raise InvalidInput("password", _too_guessable(estimate["feedback"]))
    return raw


def personal_words(email: str, name: str, company: str) -> list[str]:
    """What an attacker who knows whose account it is tries first: the address, its name part
    and its pieces, the person's name and its parts, the company's name and its words."""
    local, _, domain = email.strip().casefold().partition("@")
    pieces = re.split(r"[\W_]+", f"{local} {name} {company}")
    words = [email.strip().casefold(), local, domain.partition(".")[0], name, company, *pieces]
    words += ["".join(re.split(r"[\W_]+", text)) for text in (local, name, company)]  # "DanaReyes", "CloseoutMedical…"
    return sorted({w.casefold() for w in words if len(w) >= 3})


def _too_guessable(feedback: dict) -> str:
    why = feedback.get("warning") or "It is close to passwords and words that are tried first."
    return (f"This password is too easy to guess. {why.rstrip('.')}. Use a few unrelated words (a short sentence "
            "only you would write), not your name, the company's or a common password with digits added.")
