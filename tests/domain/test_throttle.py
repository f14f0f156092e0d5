"""The sign-in delay policy (closeout/domain/throttle.py): free tries, doubling waits, caps,
the keys an attempt counts under, and what a throttled attempt is told."""

from datetime import UTC, datetime, timedelta

import pytest

from closeout.domain import throttle
from closeout.domain.throttle import ACCOUNT, CLIENT, PAIR


def seconds(rule: throttle.Rule, failures: int) -> float:
    return rule.delay(failures).total_seconds()


def test_a_pair_has_a_few_free_failures_then_doubles_up_to_15_minutes():
    assert [seconds(PAIR, n) for n in range(0, 5)] == [0, 0, 0, 0, 0]
    assert [seconds(PAIR, n) for n in range(5, 11)] == [1, 2, 4, 8, 16, 32]
    assert seconds(PAIR, 14) == 512
    assert seconds(PAIR, 15) == seconds(PAIR, 16) == seconds(PAIR, 10**9) == 15 * 60


def test_a_client_spraying_accounts_gets_20_free_failures_then_the_same_growth():
    assert seconds(CLIENT, 19) == 0
    assert [seconds(CLIENT, n) for n in (20, 21, 22)] == [1, 2, 4]
    assert seconds(CLIENT, 10**6) == 15 * 60


def test_an_account_tried_from_many_clients_never_waits_more_than_a_minute():
    assert seconds(ACCOUNT, 49) == 0
    assert [seconds(ACCOUNT, n) for n in (50, 51, 55)] == [1, 2, 32]
    assert seconds(ACCOUNT, 56) == seconds(ACCOUNT, 10**12) == 60
    assert all(ACCOUNT.delay(n) <= timedelta(minutes=1) for n in range(0, 500))


@pytest.mark.parametrize("rule", [PAIR, CLIENT, ACCOUNT])
def test_the_wait_never_shrinks_as_failures_grow(rule):
    waits = [rule.delay(n) for n in range(0, 200)]
    assert waits == sorted(waits) and waits[-1] == rule.cap


def test_an_attempt_counts_under_its_pair_its_client_and_its_account_in_a_fixed_order():
    keys = throttle.keys("198.51.100.7", "nobody@x.example")
    assert keys == {"account:nobody@x.example": ACCOUNT, "client:198.51.100.7": CLIENT,
                    "pair:198.51.100.7|nobody@x.example": PAIR}  # fmt: skip
    assert list(keys) == sorted(keys)
    assert throttle.cleared_on_success(keys) == ["account:nobody@x.example", "pair:198.51.100.7|nobody@x.example"]


def test_keys_fit_the_column_whatever_is_typed():
    keys = throttle.keys("c" * 1000, "e" * 1000)
    assert max(len(key) for key in keys) <= throttle.KEY_LIMIT


def test_failures_are_forgotten_an_hour_after_the_last_one():
    now = datetime(2026, 6, 15, 12, tzinfo=UTC)
    assert throttle.window_start(now) == datetime(2026, 6, 15, 11, tzinfo=UTC)


@pytest.mark.parametrize(("wait", "told"), [
    (timedelta(milliseconds=1), "1 s"), (timedelta(seconds=1), "1 s"), (timedelta(seconds=1.2), "2 s"),
    (timedelta(seconds=59), "59 s"), (timedelta(seconds=60), "1 min"), (timedelta(seconds=61), "2 min"),
    (timedelta(minutes=15), "15 min"),
])  # fmt: skip
def test_a_throttled_attempt_is_told_how_long_to_wait(wait, told):
    assert throttle.wait_message(wait) == f"Too many sign-in attempts. Try again in {told}."
