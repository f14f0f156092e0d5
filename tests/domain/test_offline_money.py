"""The offline screen's totals (assets/offline_client/money.js, run by the venv's Node) are the
server's (domain/pricing.py) on the same lines: no charge, Unused, quantities, cents, makers whose
names sort differently by code point and by UTF-16 unit. (A typed price: test_price_differential.py.)"""

import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from closeout.domain.catalog import UsageStatus
from closeout.domain.pricing import PricedLine, case_totals

ROOT = Path(__file__).resolve().parents[2]
NODE = Path(sys.executable).with_name("node")
SCRIPT = """
import { totalsAsApi, usd, toCents } from "%s";
const cases = JSON.parse(await new Promise((done) => { let s = ""; process.stdin.on("data", (c) => (s += c)); process.stdin.on("end", () => done(s)); }));
console.log(JSON.stringify({ totals: cases.map(totalsAsApi), usd: usd(toCents("1234567.8")) }));
"""
MAKERS = ["Apex Spine Systems", "Meridian Orthopedics", "Zeta", "Éclair Medical", "\U0001f600 Emoji Devices", "\uff21 Fullwidth"]


def _cents_text(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _random_lines(rng: random.Random) -> list[dict]:
    return [
        {
            "manufacturer": rng.choice(MAKERS),
            "quantity": rng.randint(1, 9999),
            "unit_price": _cents_text(rng.randint(0, 100_000_000)),
            "usage_status": rng.choice([s.value for s in UsageStatus]),
            "no_charge": rng.random() < 0.2,
        }
        for _ in range(rng.randint(0, 40))
    ]


def _server(lines: list[dict]) -> dict:
    totals = case_totals(
        PricedLine(x["manufacturer"], x["quantity"], Decimal(x["unit_price"]), UsageStatus(x["usage_status"]), x["no_charge"])
        for x in lines
    )
    return {"by_manufacturer": [[m, f"{a:.2f}"] for m, a in totals.by_manufacturer], "grand_total": f"{totals.grand_total:.2f}"}


def test_client_totals_equal_the_servers(tmp_path):
    rng = random.Random(17)
    cases = [_random_lines(rng) for _ in range(200)]
    script = tmp_path / "totals.mjs"
    script.write_text(SCRIPT % (ROOT / "assets/offline_client/money.js").as_uri())
    done = subprocess.run(
        [str(NODE), str(script)], input=json.dumps(cases), capture_output=True, text=True, check=True, timeout=60
    )
    answer = json.loads(done.stdout)
    assert answer["totals"] == [_server(lines) for lines in cases]
    assert answer["usd"] == "$1,234,567.80"
