"""Signatures bound to people (issue 14 §4), the pure rules: the signing PIN, a provider's
title, how a signature was given and when (in the facility's zone), the screen it was given
on, and how many lines changed since a pre-authorization."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from closeout.domain.content_changes import LineFacts, Tally, tally
from closeout.domain.errors import InvalidInput
from closeout.domain.signature_record import (
    VIA_DEVICE,
    VIA_LINK,
    how_given,
    local_time,
    parse_method,
    screen_summary,
    statement,
)  # fmt: skip
from closeout.domain.signing import MAX_TITLE, REQUIRED_SIGNERS, SignerRole, parse_title
from closeout.domain.signing_pin import MAX_PIN_FAILURES, check_pin, is_trivial, wrong_pin_message

# The signing PIN -------------------------------------------------------------------------


@pytest.mark.parametrize("pin", ["2580", "1357", "90210", "31415926", "4739"])
def test_a_pin_of_four_to_eight_digits_is_kept_as_typed(pin):
    assert check_pin(f" {pin} ") == pin


@pytest.mark.parametrize(("pin", "says"), [
    ("", "Enter a signing PIN"), ("123", "4 to 8 digits"), ("123456789", "4 to 8 digits"),
    ("12a4", "digits only"), ("١٢٣٤", "digits only"), ("12 34", "digits only"), ("-1234", "digits only"),
])  # fmt: skip
def test_a_pin_that_is_not_four_to_eight_plain_digits_is_refused(pin, says):
    with pytest.raises(InvalidInput, match=says) as refusal:
        check_pin(pin)
    assert refusal.value.field == "pin"


@pytest.mark.parametrize("pin", ["0000", "1111", "1234", "4321", "7890", "0987", "123456", "87654321", "1212",
                                 "909090", "0101"])  # fmt: skip
def test_trivial_pins_are_refused(pin):
    assert is_trivial(pin)
    with pytest.raises(InvalidInput, match="too easy to guess"):
        check_pin(pin)


def test_a_wrong_pin_tells_how_many_tries_are_left_then_that_it_is_off():
    assert wrong_pin_message(1) == f"The signing PIN is wrong. {MAX_PIN_FAILURES - 1} more wrong PINs turn it off."
    assert "1 more wrong PIN turn" in wrong_pin_message(MAX_PIN_FAILURES - 1)
    assert "turned off" in wrong_pin_message(MAX_PIN_FAILURES) and "password" in wrong_pin_message(MAX_PIN_FAILURES)


def test_the_secret_is_the_password_or_the_pin_and_nothing_else():
    assert parse_method("pin") == "pin" and parse_method("password") == "password"
    with pytest.raises(InvalidInput):
        parse_method("session")


# A provider's title --------------------------------------------------------------------


def test_a_title_is_required_tidied_and_capped():
    assert parse_title("  RN,   circulating nurse ") == "RN, circulating nurse"
    for bad in ("", " ", "R", "12", "—"):
        with pytest.raises(InvalidInput, match="title") as refusal:
            parse_title(bad)
        assert refusal.value.field == "title"
    assert parse_title("T" * MAX_TITLE) == "T" * MAX_TITLE
    with pytest.raises(InvalidInput, match=f"at most {MAX_TITLE}"):
        parse_title("T" * (MAX_TITLE + 1))
    with pytest.raises(InvalidInput, match="cannot be saved"):
        parse_title("RN\u0000 nurse")


def test_a_pre_authorization_is_neither_needed_to_submit_nor_printed_last():
    assert SignerRole.PRE_AUTHORIZATION not in REQUIRED_SIGNERS
    assert list(SignerRole)[0] is SignerRole.PRE_AUTHORIZATION  # the sales order prints in this order


# How and when it was given ---------------------------------------------------------------


@pytest.mark.parametrize(("kind", "via", "method", "said"), [
    ("drawn", VIA_DEVICE, "password", "on the rep's screen, signed with the account password"),
    ("drawn", VIA_DEVICE, "pin", "on the rep's screen, signed with the signing PIN"),
    ("drawn", VIA_DEVICE, "", "on the rep's screen"),
    ("drawn", VIA_LINK, "", "on another screen"),
    ("attestation", VIA_DEVICE, "password", "attestation, confirmed with the account password"),
    ("attestation", VIA_DEVICE, "pin", "attestation, confirmed with the signing PIN"),
    ("attestation", VIA_DEVICE, "", "attestation"),  # one recorded before signatures were bound to accounts
])  # fmt: skip
def test_how_a_signature_was_given_in_words(kind, via, method, said):
    assert how_given(kind, via, method) == said


def test_the_time_is_the_facilitys_with_its_zone_named():
    moment = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    assert local_time(moment, "America/Los_Angeles") == "Jun 15, 2026 5:00 AM PDT"
    assert local_time(moment, "America/New_York") == "Jun 15, 2026 8:00 AM EDT"
    assert local_time(datetime(2026, 1, 15, 12, 0, tzinfo=UTC), "America/Chicago") == "Jan 15, 2026 6:00 AM CST"
    assert local_time(moment, "") == local_time(moment, "Not/A_Zone") == "Jun 15, 2026 12:00 PM UTC"


def test_the_statement_holds_the_whole_record():
    said = statement("Dana Reyes", "Sales Rep", "Sales Rep — confirms", "Jun 15, 2026 5:00 AM PDT", "on the rep's screen")
    assert said == "Dana Reyes · Sales Rep · Sales Rep — confirms · Jun 15, 2026 5:00 AM PDT · on the rep's screen"


IPAD = "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"  # noqa: E501
ANDROID = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def test_the_screen_is_summed_up_as_data_and_capped():
    assert screen_summary(IPAD, "203.0.113.5") == "Safari on iPad · 203.0.113.5"
    assert screen_summary(ANDROID, "") == "Chrome on Android"
    assert screen_summary("", "") == "unknown browser"
    odd = screen_summary("<script>\x00" + "x" * 5000, "1.2.3.4\n<b>" + "9" * 500)
    assert len(odd) <= 200 and "\x00" not in odd and "\n" not in odd


# Changes since a pre-authorization -----------------------------------------------------------


def fact(position: int, **changed) -> LineFacts:
    base = dict(position=position, ref=f"REF-{position}", lot=f"LOT{position}", serial="", expiry=date(2027, 6, 15),
                quantity=1, usage="Implanted", unit_price=Decimal("100.00"), extended=Decimal("100.00"), no_charge=False)
    return LineFacts(**{**base, **changed})  # fmt: skip


def test_lines_added_removed_and_changed_are_counted():
    before = {1: fact(1), 2: fact(2), 3: fact(3)}
    after = {1: fact(1, lot="LOT9", quantity=2), 3: fact(3), 4: fact(4), 5: fact(5)}
    assert tally(before, after) == Tally(added=2, removed=1, changed=1)
    assert tally(before, dict(before)) == Tally()
    assert tally({}, {7: fact(1)}) == Tally(added=1)
    assert tally({1: fact(1)}, {1: fact(1, ref="OTHER")}) == Tally(added=1, removed=1)  # a reused id is another line


@pytest.mark.parametrize(("counts", "words"), [
    (Tally(added=1), "1 line added since"),
    (Tally(added=2, removed=1), "2 lines added and 1 removed since"),
    (Tally(changed=1), "1 line changed since"),
    (Tally(removed=3, changed=1), "3 lines removed and 1 changed since"),
    (Tally(1, 2, 3), "1 line added, 2 removed and 3 changed since"),
    (Tally(), "No line added, removed or changed since"),
])  # fmt: skip
def test_the_counts_in_words(counts, words):
    assert counts.words() == words
