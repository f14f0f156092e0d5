"""The anonymous patient identifier on a case: a code, never a name. A facility may set a
pattern (a regular expression) its identifiers must match, checked when a case is made."""

import re
import re._parser as _regex_parser  # the stdlib's own parse of a pattern: nesting read exactly
import unicodedata

from .errors import InvalidInput

MAX_PATIENT_REF = 20  # Case.patient_ref
MAX_PATTERN = 200
# Letters, digits and a few separators, no spaces: "Smith, John" or "O'Brien" cannot be typed.
_ALLOWED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/#-]*")
_REPEATS = {_regex_parser.MAX_REPEAT, _regex_parser.MIN_REPEAT, _regex_parser.POSSESSIVE_REPEAT}
NESTED = ("The pattern repeats a part that itself repeats a variable number of times, like (a+)+ or (\\w*)*: "
          "checking an identifier against it can take very long. Write it without such a nested repeat, "
          "e.g. a+ instead of (a+)+.")  # fmt: skip


def _parts(argument):
    """The sub-patterns inside a parsed node's argument (groups, alternatives, look-arounds)."""
    if isinstance(argument, _regex_parser.SubPattern):
        yield argument
    elif isinstance(argument, (list, tuple)):
        for item in argument:
            yield from _parts(item)


def _nested_repeat(items, in_repeat: bool = False) -> bool:
    """Whether a variable repeat (+, *, {m,n} with n > 1) sits inside something repeated more
    than once: the shape that makes matching take exponential time. {3} inside {2} is fine."""
    for op, argument in items:
        if op in _REPEATS:
            low, high, body = argument
            if in_repeat and high > 1 and low != high:
                return True
            if _nested_repeat(body, in_repeat or high > 1):
                return True
        elif any(_nested_repeat(part, in_repeat) for part in _parts(argument)):
            return True
    return False


def parse_patient_ref_pattern(raw: object) -> str:
    """A facility's pattern: blank (no pattern), or a regular expression that compiles and
    has no nested repeat (it is run on every new case of the facility)."""
    text = str(raw if raw is not None else "").strip()
    if not text:
        return ""
    if len(text) > MAX_PATTERN:
        raise InvalidInput("patient_ref_pattern", f"A pattern is at most {MAX_PATTERN} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise InvalidInput("patient_ref_pattern", "The pattern contains characters that cannot be saved.")
    try:
        re.compile(text)
    except re.error as error:
        raise InvalidInput("patient_ref_pattern", f"The pattern is not a valid regular expression: {error.msg}.") from None
    if _nested_repeat(_regex_parser.parse(text)):
        raise InvalidInput("patient_ref_pattern", NESTED)
    return text


def check_patient_ref(value: object, pattern: str = "") -> str:
    """The identifier as typed (trimmed), if it is 1–20 letters, digits or . _ / # -, holds at
    least one digit (a name has none, a code or a number does), and matches the facility's
    pattern as a whole when it has one."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise InvalidInput("patient_ref", "Enter the anonymous patient identifier (never the patient's name).")
    if len(text) > MAX_PATIENT_REF:
        raise InvalidInput("patient_ref", f"A patient identifier is at most {MAX_PATIENT_REF} characters.")
    if not _ALLOWED.fullmatch(text):
        raise InvalidInput("patient_ref", "A patient identifier is letters, digits and - . _ / # only, with no spaces: "
                                          "never the patient's name.")  # fmt: skip
    if not any(ch.isdigit() for ch in text):
        raise InvalidInput("patient_ref", "A patient identifier has at least one digit: a code, never the patient's name.")
    if pattern and re.fullmatch(pattern, text) is None:
        raise InvalidInput("patient_ref", f"{text} does not match this facility's identifier pattern ({pattern}).")
    return text
