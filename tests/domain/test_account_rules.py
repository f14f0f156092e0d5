"""The account rules (domain/accounts.py): the email one signs in with, the name shown on
cases, and what a password must be. No database."""

import pytest

from closeout.domain.accounts import MAX_PASSWORD, MIN_PASSWORD, check_password, parse_email, parse_name
from closeout.domain.errors import InvalidInput

EMAIL = "pat.lee@company.example"


def test_an_email_is_lower_cased_since_sign_in_ignores_case():
    assert parse_email("  Pat.Lee@Company.EXAMPLE ") == EMAIL


@pytest.mark.parametrize("raw", ["", "pat", "pat@", "@company.example", "pat lee@company.example", None])
def test_a_malformed_email_is_refused_next_to_its_field(raw):
    with pytest.raises(InvalidInput) as refused:
        parse_email(raw)
    assert refused.value.field == "email"


def test_a_name_is_trimmed_and_its_spaces_collapsed():
    assert parse_name("  Pat   Lee ") == "Pat Lee"


@pytest.mark.parametrize("raw", ["", "   ", "x" * 121])
def test_a_blank_or_overlong_name_is_refused(raw):
    with pytest.raises(InvalidInput, match="name"):
        parse_name(raw)


def test_a_good_password_is_kept_exactly_as_typed():
    assert check_password(" twelve chars ok ", EMAIL) == " twelve chars ok "


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("p" + "a" * (MIN_PASSWORD - 2), f"at least {MIN_PASSWORD}"),
        ("a" * (MAX_PASSWORD + 1), f"at most {MAX_PASSWORD}"),
        (EMAIL, "email address"),
        (EMAIL.upper(), "email address"),
        ("Pat.Lee", "at least"),  # too short first
        ("pat.lee@company.example ", "email address"),
        ("z" * 20, "one character repeated"),
        (None, "Enter a password"),
        (123456789012, "Enter a password"),
    ],
)
def test_a_weak_password_is_refused_with_the_reason(password, reason):
    with pytest.raises(InvalidInput, match=reason) as refused:
        check_password(password, EMAIL)
    assert refused.value.field == "password"


def test_the_name_part_of_the_email_is_refused_when_it_is_long_enough():
    email = "pat.lee.ortho@company.example"
    with pytest.raises(InvalidInput, match="email address"):
        check_password("Pat.Lee.Ortho", email)


def test_the_longest_allowed_password_is_what_sign_in_reads():
    longest = ("scrub in, glove up, " * 20)[: MAX_PASSWORD - 1] + "!"
    assert check_password(longest, EMAIL) == longest


COMPANY = "Closeout Medical Devices, Inc."


@pytest.mark.parametrize("password", ["password1234", "123456789012", "qwertyuiop12", "abcdefghijkl", "aaaaaaaaaaab"])
def test_a_common_or_guessable_password_is_refused_saying_why_and_what_would_do(password):
    with pytest.raises(InvalidInput, match="too easy to guess") as refused:
        check_password(password, EMAIL, "Pat Lee", COMPANY)
    assert refused.value.field == "password" and "unrelated words" in refused.value.message


@pytest.mark.parametrize("password", ["PatLeeOrtho2026", "closeoutmedical1", "DanaReyes2026"])
def test_the_users_email_name_and_the_company_name_count_as_words_tried_first(password):
    with pytest.raises(InvalidInput, match="too easy to guess"):
        check_password(password, "pat.lee.ortho@company.example", "Dana Reyes", COMPANY)


def test_the_demo_passwords_and_a_passphrase_pass():
    from closeout.seed import DEMO_PASSWORDS

    for password in [*DEMO_PASSWORDS.values(), "scrub-in at 7:15"]:
        assert check_password(password, "dana.reyes@closeout.example", "Dana Reyes", COMPANY) == password
