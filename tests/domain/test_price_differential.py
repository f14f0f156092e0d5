"""A typed price means the same on the tablet as on the server: the offline screen's parsePrice
(assets/offline_client/money.js, with the rules of the offline download) and domain/money.py
parse_price give the same verdict and the same words for the same text. One Node process per
test answers every generated input, one JSON line each."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from closeout.domain.errors import InvalidInput
from closeout.domain.money import parse_price
from closeout.domain.offline_rules import client_rules

ROOT = Path(__file__).resolve().parents[2]
NODE = Path(sys.executable).with_name("node")
ANSWER = """
import { createInterface } from "node:readline";
import { parsePrice } from "%s";
let rules;
for await (const line of createInterface({ input: process.stdin })) {
  const typed = JSON.parse(line);
  if (rules === undefined) { rules = typed; continue; }
  const price = parsePrice(typed, rules);
  process.stdout.write(JSON.stringify(price.error ?? String(price.cents)) + "\\n");
}
"""


class Client:
    """The browser's parsePrice behind a pipe."""

    def __init__(self, script: Path):
        self.node = subprocess.Popen([str(NODE), str(script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, encoding="utf-8", bufsize=1)  # fmt: skip
        self.ask(client_rules())

    def ask(self, value: object) -> str | None:
        self.node.stdin.write(json.dumps(value) + "\n")
        self.node.stdin.flush()
        return None if isinstance(value, dict) else json.loads(self.node.stdout.readline())

    def close(self):
        self.node.stdin.close()
        self.node.wait(timeout=10)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    script = tmp_path_factory.mktemp("node") / "answer.mjs"
    script.write_text(ANSWER % (ROOT / "assets/offline_client/money.js").as_uri())
    answering = Client(script)
    yield answering
    answering.close()


def server(typed: str) -> str:
    try:
        return str(int(parse_price(typed) * 100))
    except InvalidInput as refusal:
        return refusal.message


BLANKS = st.sampled_from(["", " ", "  ", "\t", "\n", "\u00a0", "\u3000", "\ufeff", "\u2028", "\x0b", "\x1c"])
OTHER_DIGITS = "٠١٢٣٤٥٦٧٨٩۰۵०७০０１２３９𝟘𝟙"
PIECES = st.text(alphabet="0123456789$,.-+eE_ " + OTHER_DIGITS + "\u2212\u066b\u066c,x", max_size=18)
SHAPED = st.from_regex(r"\$?-?\$?[0-9]{0,4}(,[0-9]{1,4}){0,3}(\.[0-9]{0,5})?", fullmatch=True)
DECIMALS = st.decimals(allow_nan=True, allow_infinity=True).map(str)  # 1E+3, NaN, -0.00, Infinity
CENTS = st.integers(0, 10**11).map(lambda n: f"{n // 100:,}.{n % 100:02d}")  # around the $1,000,000 cap
TYPED = st.tuples(BLANKS, st.one_of(PIECES, SHAPED, DECIMALS, CENTS, st.text(max_size=25)), BLANKS).map("".join)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(typed=TYPED)
def test_the_tablet_reads_a_price_as_the_server_does(client, typed):
    assert client.ask(typed) == server(typed), typed


CHOSEN = [
    "1234.5", "$1,234.50", "0.01", ".5", "12.", "1000000", "1,000,000.00", "1000000.01", "0.10000", "12.345", "-1",
    "-$5", "$-5", "+5", "1e3", "1_000", "١٢٣", "１２", "1,23", "12,34,567", "0,100", "$ 5", "1 000", "NaN", "", "   ",
    "$", ".", "abc", "\U0001f600" * 25,
]  # fmt: skip


@pytest.mark.parametrize("typed", CHOSEN)
def test_chosen_prices_read_alike(client, typed):
    assert client.ask(typed) == server(typed)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a price."),
        ("-0.01", "A price cannot be negative."),
        ("0.10000", "Use at most 2 decimal places."),
        ("1000000.01", "That price is over $1,000,000; check it."),
        ("1,23", "Put commas only between thousands, like 1,234.50."),
        ("1e3", "“1e3” is not a price."),
        ("١٢٣", "“١٢٣” is not a price."),
        ("1_000", "“1_000” is not a price."),
        ("+5", "“+5” is not a price."),
    ],
)
def test_each_kind_of_refusal_has_its_words(client, typed, message):
    assert server(typed) == message
    assert client.ask(typed) == message


def test_a_pack_from_before_the_rules_still_reads_good_prices(tmp_path):
    """Without `rules` (a pack stored before downloads carried them) a good price is read and a
    bad one refused in a plain sentence; the server judges the limit at sync."""
    script = tmp_path / "old.mjs"
    script.write_text(f"""import {{ parsePrice }} from "{(ROOT / 'assets/offline_client/money.js').as_uri()}";
console.log(JSON.stringify(["$1,234.50", "5000000", "abc"].map((t) => parsePrice(t)).map((p) => p.error ?? String(p.cents))));""")
    done = subprocess.run([str(NODE), str(script)], capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(done.stdout) == ["123450", "500000000", "This value cannot be saved as typed."]
