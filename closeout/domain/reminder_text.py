"""A facility's PO reminder settings (on or off, every how many days, to whom, the email's
text) and the text as a template with named placeholders. The text is written by a manager
and is rendered for every case, so it is parsed with `string.Formatter().parse` and filled
in here, field by field: `str.format` is never called on it, so `{0.__class__}` or
`{facility.name}` reach nothing."""

import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import InvalidInput

MIN_DAYS, MAX_DAYS, DEFAULT_DAYS = 1, 90, 7
MAX_TEXT = 2000
MIN_REASON, MAX_REASON = 3, 200
RECIPIENTS = {
    "billing": "The first billing contact",
    "purchasing": "Every purchasing contact",
    "both": "The first billing contact and every purchasing contact",
}
PLACEHOLDERS = {
    "sales_order": "the sales order number (SO-2026-000123)",
    "case_number": "the case number",
    "facility": "the facility's name",
    "surgery_date": "the surgery date (Jun 8, 2026)",
    "total": "the billable total ($1,234.50)",
    "link": "the buyer's link to enter the PO (required)",
    "sender": "who sends it: the user, or the company for the scheduled reminders",
}
STANDARD_TEXT = (
    "Hello,\n\nWe have not yet received the Purchase Order for sales order {sales_order} (case {case_number}, "
    "{facility}, surgery {surgery_date}, billable total {total}). The sales order is attached.\n\n"
    "Please enter the PO number (and, if you like, attach your PO document) here:\n{link}\n\n"
    "or reply to this email with it.\n\nThank you,\n{sender}"
)
# What the Directory's preview fills the placeholders with.
SAMPLE = {
    "sales_order": "SO-2026-000123", "case_number": "CS-2026-000123", "facility": "St. Brigid Medical Center",
    "surgery_date": "Jun 8, 2026", "total": "$4,812.00", "link": "https://closeout.example.com/po/…",
    "sender": "Jordan Avery",
}  # fmt: skip


@dataclass(frozen=True)
class ReminderSettings:
    """A facility's settings; the names are the Facility columns. Text "" is the standard text."""

    po_reminders_on: bool = True
    po_reminder_days: int = DEFAULT_DAYS
    po_reminder_recipients: str = "billing"
    po_reminder_text: str = ""


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") and ch not in "\n\t" for ch in text)


def _fields(text: str) -> list[tuple[str, str | None]]:
    """(literal, placeholder or None) pairs; InvalidInput for anything but a bare known name."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput("po_reminder_text", "A { or } has no partner: a placeholder is written {link}, "
                           "a brace itself {{ or }}.") from None  # fmt: skip
    pairs = []
    for literal, name, spec, conversion in parsed:
        if name is not None and (spec or conversion or name not in PLACEHOLDERS):
            shown = "{" + name + ("!" + conversion if conversion else "") + (":" + spec if spec else "") + "}"
            raise InvalidInput("po_reminder_text", f"{shown[:40]} is not a placeholder. Use "
                               + ", ".join("{" + p + "}" for p in PLACEHOLDERS) + ".")  # fmt: skip
        pairs.append((literal, name))
    return pairs


def parse_reminder_text(raw: object) -> str:
    """The text as saved: line ends made \\n, trailing spaces dropped; "" when it is (or is
    blank, or equals) the standard text, so a later change of the standard reaches it."""
    text = "\n".join(line.rstrip() for line in str(raw if raw is not None else "").replace("\r\n", "\n")
                     .replace("\r", "\n").split("\n")).strip()  # fmt: skip
    if not text or text == STANDARD_TEXT:
        return ""
    if len(text) > MAX_TEXT:
        raise InvalidInput("po_reminder_text", f"The reminder text is at most {MAX_TEXT} characters ({len(text)} now).")
    if _has_control(text):
        raise InvalidInput("po_reminder_text", "The reminder text contains invisible control characters; retype it.")
    if "link" not in {name for _, name in _fields(text)}:
        raise InvalidInput("po_reminder_text", "Include {link}: every reminder carries the buyer's link to enter the PO.")
    return text


def render(text: str, values: Mapping[str, str]) -> str:
    """The email's text for one case ("" text: the standard one). Values are put in as they
    are, never formatted or looked into; a placeholder without a value stays empty."""
    return "".join(literal + (str(values.get(name, "")) if name else "") for literal, name in _fields(text or STANDARD_TEXT))


def parse_days(raw: object) -> int:
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or not MIN_DAYS <= int(text) <= MAX_DAYS:
        raise InvalidInput("po_reminder_days", f"Remind every {MIN_DAYS} to {MAX_DAYS} days (a whole number).")
    return int(text)


def parse_recipients_choice(raw: object) -> str:
    text = str(raw if raw is not None else "").strip()
    if text not in RECIPIENTS:
        raise InvalidInput("po_reminder_recipients", "Choose who receives the reminders.")
    return text


def parse_reminder_settings(form: Mapping[str, object]) -> ReminderSettings:
    """A form's values ("on"/"off" for the switch); the first refusal names its field."""
    on = str(form.get("po_reminders_on", "")).strip().lower() in ("on", "true", "1")
    return ReminderSettings(on, parse_days(form.get("po_reminder_days")),
                            parse_recipients_choice(form.get("po_reminder_recipients")),
                            parse_reminder_text(form.get("po_reminder_text")))  # fmt: skip


def preview(raw: object, facility: str = "") -> tuple[str, str]:
    """(the text as a reminder would show it with sample values and the facility's name, the
    refusal) for the live preview."""
    try:
        return render(parse_reminder_text(raw), {**SAMPLE, **({"facility": facility} if facility else {})}), ""
    except InvalidInput as refusal:
        return "", refusal.message


def parse_pause_reason(raw: object) -> str:
    """Why a case's reminders are paused, in one line (shown on the case and in its Activity)."""
    text = " ".join(str(raw if raw is not None else "").split())
    if len(text) < MIN_REASON:
        raise InvalidInput("reason", f"Say why the reminders are paused (at least {MIN_REASON} characters).")
    if len(text) > MAX_REASON:
        raise InvalidInput("reason", f"The reason is at most {MAX_REASON} characters.")
    if _has_control(text):
        raise InvalidInput("reason", "The reason contains characters that cannot be saved.")
    return text
