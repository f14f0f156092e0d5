"""What must be true before a case can be submitted for billing."""

from dataclasses import dataclass

from .catalog import UsageStatus

NEEDS_TRACEABILITY = {UsageStatus.IMPLANTED, UsageStatus.EXPLANTED}


@dataclass(frozen=True)
class LineFacts:
    position: int
    ref: str
    usage_status: UsageStatus
    lot: str
    serial: str


def line_problems(lines: list[LineFacts]) -> list[str]:
    """Lines that cannot be billed as they are: an implanted or explanted device must be
    traceable, so it needs a lot or a serial number."""
    return [
        f"Line {line.position} ({line.ref}) needs a lot or serial number."
        for line in lines
        if line.usage_status in NEEDS_TRACEABILITY and not (line.lot or line.serial)
    ]
