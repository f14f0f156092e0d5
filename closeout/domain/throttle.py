"""How long a sign-in waits after failures: pure policy, no database.

Failures are counted under three keys, for any email typed (real or not, so the answer never
tells which addresses have accounts):

- "pair:<client>|<email>": one browser guessing one account. A few free tries, then a delay
  that doubles with each failure, up to 15 minutes.
- "client:<client>": one browser spraying many accounts. More free tries, the same growth.
- "account:<email>": many browsers on one account. Many free tries, and never more than a
  minute, so its owner, on another device, is held up briefly at worst, never locked out.

A key forgets its failures an hour after its last one (WINDOW); a successful sign-in clears
its pair and account keys (not the client's: signing in to one's own account must not wipe
the record of spraying others).
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Rule:
    """`free` failures within the window cost nothing; from then on the n-th failure makes
    the next try wait 2^(n - free) seconds (1, 2, 4 …), never more than `cap`."""

    free: int
    cap: timedelta

    def delay(self, failures: int) -> timedelta:
        """The wait after `failures` failures in a row (within the window)."""
        exponent = failures - self.free
        if exponent < 0:
            return timedelta(0)
        return self.cap if exponent >= 40 else min(self.cap, timedelta(seconds=2**exponent))


PAIR = Rule(free=5, cap=timedelta(minutes=15))
CLIENT = Rule(free=20, cap=timedelta(minutes=15))
ACCOUNT = Rule(free=50, cap=timedelta(seconds=60))
KEY_LIMIT = 400  # the column's length
CLIENT_LIMIT = 100  # an IPv6 address with a zone fits; KEY_LIMIT leaves room for a 254-character email


def keys(client: str, email: str) -> dict[str, Rule]:
    """The keys one attempt counts under, each with its rule, in a fixed (sorted) order, so
    concurrent writers always take their rows in the same order."""
    client, email = client[:CLIENT_LIMIT], email[:254]
    named = {f"pair:{client}|{email}": PAIR, f"client:{client}": CLIENT, f"account:{email}": ACCOUNT}
    return dict(sorted(named.items()))


# The buyer's PO link (no account): a client guessing tokens, and one link's submissions.
LINK_CLIENT = Rule(free=10, cap=timedelta(minutes=15))
LINK_SUBMISSIONS = Rule(free=20, cap=timedelta(minutes=15))


def link_client_key(client: str) -> dict[str, Rule]:
    """The key a client's unknown or dead PO link tokens count under."""
    return {f"po-client:{client[:CLIENT_LIMIT]}": LINK_CLIENT}


def link_submission_key(link_id: int) -> dict[str, Rule]:
    """The key every submission through one PO link counts under: a link takes a bounded
    number within the window, then each further one waits longer."""
    return {f"po-link:{int(link_id)}": LINK_SUBMISSIONS}


# The buyer's PO document uploads: each stores up to 5 MB for a while, so a link and a client
# take a bounded number within the window, then each further one waits longer.
UPLOADS_PER_LINK = Rule(free=10, cap=timedelta(minutes=15))
UPLOADS_PER_CLIENT = Rule(free=20, cap=timedelta(minutes=15))


def upload_keys(link_id: int, client: str) -> dict[str, Rule]:
    """The keys one PO document upload counts under, in sorted order."""
    named = {f"po-upload-link:{int(link_id)}": UPLOADS_PER_LINK, f"po-upload-client:{client[:CLIENT_LIMIT]}": UPLOADS_PER_CLIENT}
    return dict(sorted(named.items()))


def cleared_on_success(counted: dict[str, Rule]) -> list[str]:
    """Of an attempt's keys, those a successful sign-in clears: its pair and its account, not
    its client."""
    return [key for key, rule in counted.items() if rule is not CLIENT]


def window_start(now: datetime) -> datetime:
    """A key whose last failure came before this starts counting afresh."""
    return now - WINDOW


def wait_message(wait: timedelta, what: str = "sign-in attempts") -> str:
    """What a throttled attempt is told: the wait rounded up, in seconds under a minute, in
    minutes from there."""
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 60:
        return f"Too many {what}. Try again in {seconds} s."
    return f"Too many {what}. Try again in {math.ceil(seconds / 60)} min."
