"""The app backend's hourly jobs: the PO reminders that are due, and the housekeeping — the
offline sync's stored answers older than domain/sync.py's ANSWERS_KEPT forgotten, the buyers'
PO documents attached but never submitted pruned past their lifetime (services/po_drafts.py),
and reminders of loaner kits past their due date (when the inventory is on)."""

import asyncio
import logging
from collections.abc import Callable

from .. import settings
from ..services import po_drafts
from ..services.inventory.kits import remind_overdue
from ..services.reminders import send_due_reminders
from ..services.sync import prune_answers

log = logging.getLogger(__name__)
EVERY_SECONDS = 3600


async def po_reminder_loop():
    if not settings.po_reminders_on():
        return
    while True:
        try:
            run = await asyncio.to_thread(send_due_reminders)
            if run.sent:
                log.info("PO reminders sent: %d", len(run.sent))
            if run.failed:  # each is logged with its cause by the service; the job goes on next hour
                log.warning("PO reminders not sent: %d (%s)", len(run.failed), ", ".join(f.case_number for f in run.failed))
        except Exception:  # a failed run is logged and retried next hour, never fatal to the app
            log.exception("PO reminder job failed")
        await asyncio.sleep(EVERY_SECONDS)


def housekeeping() -> dict[str, int]:
    """One round of the small hourly jobs: what each did (a count), each on its own, so one
    failing leaves the others done."""
    jobs: dict[str, Callable[[], object]] = {
        "old offline sync answers forgotten": prune_answers,
        "expired PO document drafts pruned": po_drafts.prune_expired,
    }
    if settings.inventory_on():
        jobs["overdue loaner kits reminded"] = remind_overdue
    done = {}
    for name, job in jobs.items():
        try:
            result = job()
            done[name] = result if isinstance(result, int) else len(result or ())
        except Exception:  # logged and tried again next hour, never fatal to the app
            log.exception("hourly job failed: %s", name)
    return done


async def housekeeping_loop():
    while True:
        for name, count in (await asyncio.to_thread(housekeeping)).items():
            if count:
                log.info("%s: %d", name, count)
        await asyncio.sleep(EVERY_SECONDS)
