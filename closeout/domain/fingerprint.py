"""The content fingerprint: SHA-256 of what a signature vouches for (the lines, their
quantities and prices). Any change to the lines gives a different fingerprint, so a
signature given before the change shows as no longer valid."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class SignedLine:
    line_id: int
    ref: str
    lot: str
    serial: str
    expiry: date | None
    quantity: int
    usage_status: str
    unit_price: Decimal
    no_charge: bool


def content_fingerprint(lines: list[SignedLine]) -> str:
    """Hex SHA-256 of a canonical JSON of the lines (order-independent)."""
    canonical = [
        [
            line.line_id,
            line.ref,
            line.lot,
            line.serial,
            line.expiry.isoformat() if line.expiry else "",
            line.quantity,
            line.usage_status,
            str(line.unit_price),
            line.no_charge,
        ]
        for line in sorted(lines, key=lambda line: line.line_id)
    ]
    payload = json.dumps(canonical, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()
