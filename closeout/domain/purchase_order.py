"""Purchase Order numbers: what the facility's billing office sends back."""

from .errors import InvalidInput

MAX_PO = 40


def parse_po_number(raw: object, field: str = "po_number") -> str:
    """Non-empty, at most 40 printable characters (no control characters)."""
    text = str(raw).strip()
    if not text:
        raise InvalidInput(field, "Enter the Purchase Order number.")
    if len(text) > MAX_PO:
        raise InvalidInput(field, f"A PO number is at most {MAX_PO} characters.")
    if not text.isprintable():
        raise InvalidInput(field, "A PO number has printable characters only.")
    return text


def uncovered(manufacturers: set[int], covered: set[int | None]) -> set[int]:
    """Manufacturers still without a PO; a PO for all manufacturers (None) covers every one."""
    return set() if None in covered else manufacturers - covered
