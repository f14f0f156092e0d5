"""A facility's PO reminder settings and text: what is accepted, what is refused and why, and
that the text is filled in without ever letting it reach into Python objects."""

import pytest

from closeout.domain.errors import InvalidInput
from closeout.domain.reminder_text import (
    MAX_TEXT,
    SAMPLE,
    STANDARD_TEXT,
    ReminderSettings,
    parse_pause_reason,
    parse_reminder_settings,
    parse_reminder_text,
    preview,
    render,
)

VALUES = {**SAMPLE, "link": "https://x.example/po/abc", "facility": "St. {link} & Co"}
FORM = {"po_reminders_on": "on", "po_reminder_days": "7", "po_reminder_recipients": "billing", "po_reminder_text": ""}


def refused(raw: str, *words: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_reminder_text(raw)
    assert caught.value.field == "po_reminder_text"
    assert all(w in caught.value.message for w in words), caught.value.message
    return caught.value.message


def test_the_standard_text_names_the_case_and_carries_the_link():
    body = render("", VALUES)
    assert "SO-2026-000123" in body and "CS-2026-000123" in body and "https://x.example/po/abc" in body
    assert body.endswith("Thank you,\nJordan Avery")
    assert render(STANDARD_TEXT, VALUES) == body


def test_a_custom_text_is_filled_in_and_a_value_is_never_read_as_a_placeholder():
    text = parse_reminder_text("Dear {facility},\r\nPO for {sales_order} ({total}), please: {link}  \r\n— {sender}")
    assert text == "Dear {facility},\nPO for {sales_order} ({total}), please: {link}\n— {sender}"
    body = render(text, VALUES)
    assert body.startswith("Dear St. {link} & Co,\n") and "please: https://x.example/po/abc\n" in body
    assert render("{{literal}} {link}", VALUES) == "{literal} https://x.example/po/abc"


def test_blank_or_the_standard_text_is_saved_as_the_standard():
    assert parse_reminder_text("   \n ") == "" and parse_reminder_text(None) == ""
    assert parse_reminder_text(STANDARD_TEXT.replace("\n", "\r\n") + "\n") == ""


@pytest.mark.parametrize("hostile", [
    "{0.__class__} {link}", "{link.__class__}", "{link[0]}", "{sender.__init__.__globals__} {link}", "{} {link}",
    "{0} {link}", "{link!r}", "{link:>9999999}", "{total:{link}}", "{__import__} {link}", "{patient_ref} {link}",
])  # fmt: skip
def test_hostile_or_unknown_placeholders_are_refused(hostile):
    message = refused(hostile, "is not a placeholder", "{link}", "{sales_order}")
    assert "__globals__" not in message or len(message) < 400


@pytest.mark.parametrize("broken", ["Pay {link", "Pay } {link}", "{link} {", "{{ {link} }"])
def test_a_brace_without_its_partner_is_refused(broken):
    refused(broken, "has no partner", "{{")


def test_the_link_is_required_in_a_custom_text():
    refused("Please send the PO for {sales_order}.", "Include {link}")


def test_length_and_control_characters():
    ok = "{link} " + "x" * (MAX_TEXT - 7)
    assert parse_reminder_text(ok) == ok
    refused(ok + "y", f"at most {MAX_TEXT}")
    for bad in ("\x00", "\x1b[31m", "\u202e", "\x07", "\u2028"):
        refused(f"Pay{bad} {{link}}", "control characters")
    assert parse_reminder_text("Hi\n\tIndented {link}") == "Hi\n\tIndented {link}"


def test_render_never_calls_format_on_the_text(monkeypatch):
    class Loud(str):
        def __format__(self, spec):
            raise AssertionError("formatted")

    assert render("{link}", {"link": Loud("L")}) == "L"
    assert render("{link} {sender}", {"link": "L"}) == "L "  # a missing value stays empty


def test_settings_from_a_form():
    assert parse_reminder_settings(FORM) == ReminderSettings()
    s = parse_reminder_settings({**FORM, "po_reminders_on": "off", "po_reminder_days": " 14 ", "po_reminder_recipients": "both",
                                 "po_reminder_text": "Hi {facility}: {link}"})  # fmt: skip
    assert s == ReminderSettings(False, 14, "both", "Hi {facility}: {link}")
    assert parse_reminder_settings({**FORM, "po_reminders_on": ""}).po_reminders_on is False


@pytest.mark.parametrize(("field", "value"), [
    ("po_reminder_days", "0"), ("po_reminder_days", "91"), ("po_reminder_days", "7.5"), ("po_reminder_days", "-3"),
    ("po_reminder_days", ""), ("po_reminder_days", "٣"), ("po_reminder_recipients", "everyone"),
    ("po_reminder_recipients", ""), ("po_reminder_text", "{0.__class__}"),
])  # fmt: skip
def test_settings_refusals_name_their_field(field, value):
    with pytest.raises(InvalidInput) as caught:
        parse_reminder_settings({**FORM, field: value})
    assert caught.value.field == field


def test_the_preview_shows_sample_values_or_the_refusal():
    shown, error = preview("Hello {facility}, {link}")
    assert shown == f"Hello {SAMPLE['facility']}, {SAMPLE['link']}" and error == ""
    shown, error = preview("{link.__class__}")
    assert shown == "" and "is not a placeholder" in error
    assert preview("")[0] == render("", SAMPLE)
    assert preview("To {facility}: {link}", "Pier Clinic")[0] == f"To Pier Clinic: {SAMPLE['link']}"


def test_a_pause_reason():
    assert parse_pause_reason("  PO   expected\nFriday ") == "PO expected Friday"
    for bad in ("", "ok", "x" * 201, "hold\x00it"):
        with pytest.raises(InvalidInput) as caught:
            parse_pause_reason(bad)
        assert caught.value.field == "reason"
