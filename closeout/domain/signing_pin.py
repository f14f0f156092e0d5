"""The signing PIN: a short secret a user sets in their profile to sign with gloves on a
tablet instead of typing their password. Hashed like a password, never stored plain.

A PIN is only ever asked of a user already signed in, and wrong ones are throttled like
sign-ins; a few wrong ones in a row turn it off (the password still signs), so guessing
one on an unattended tablet ends quickly. Trivial PINs (one digit repeated, a straight run
up or down, two digits alternating) are refused: they are the first ones guessed."""

from .errors import InvalidInput

MIN_PIN, MAX_PIN = 4, 8
MAX_PIN_FAILURES = 5  # wrong PINs in a row that turn the PIN off
TRIVIAL = "That PIN is too easy to guess (a repeated digit, a run like 1234 or 4321, or a pattern like 1212)."


def is_trivial(pin: str) -> bool:
    """One digit repeated, a straight run up or down (0 follows 9), or two digits alternating."""
    digits = [int(ch) for ch in pin]
    steps = {(b - a) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    alternating = len(set(pin[::2])) == 1 and len(set(pin[1::2])) == 1
    return len(steps) == 1 and steps <= {0, 1, 9} or alternating


def check_pin(raw: object) -> str:
    """A new PIN as typed: 4 to 8 digits, not trivial."""
    pin = str(raw or "").strip()
    if not pin:
        raise InvalidInput("pin", "Enter a signing PIN.")
    if not pin.isascii() or not pin.isdigit():
        raise InvalidInput("pin", "A signing PIN is digits only.")
    if not MIN_PIN <= len(pin) <= MAX_PIN:
        raise InvalidInput("pin", f"A signing PIN has {MIN_PIN} to {MAX_PIN} digits.")
    if is_trivial(pin):
        raise InvalidInput("pin", TRIVIAL)
    return pin


def wrong_pin_message(failures: int) -> str:
    """What a wrong PIN is told, with how many tries are left before it stops working."""
    left = MAX_PIN_FAILURES - failures
    if left <= 0:
        return ("The signing PIN was wrong too many times and has been turned off. Sign with your password, "
                "and set a new PIN on your Account page.")  # fmt: skip
    return f"The signing PIN is wrong. {left} more wrong PIN{'s' if left != 1 else ''} turn it off."
