"""The app backend's hourly jobs: the PO reminders that are due, and the offline sync's
bookkeeping (stored answers older than domain/sync.py's ANSWERS_KEPT forgotten)."""

import asyncio
import logging

from .. import settings
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


async def kit_reminder_loop():
    """Hourly: remind the rep of each loaner kit past its due date (once a day per kit)."""
    if not settings.inventory_on():
        return
    while True:
        try:
            sent = await asyncio.to_thread(remind_overdue)
            if sent:
                log.info("Overdue kit reminders: %d", len(sent))
        except Exception:  # logged and retried next hour, never fatal to the app
            log.exception("Overdue kit reminder job failed")
        await asyncio.sleep(EVERY_SECONDS)


async def sync_bookkeeping_loop():
    """Hourly: forget stored offline sync answers older than they can be asked for again."""
    while True:
        try:
            pruned = await asyncio.to_thread(prune_answers)
            if pruned:
                log.info("old offline sync answers forgotten: %d", pruned)
        except Exception:  # logged and tried again next hour, never fatal to the app
            log.exception("offline sync bookkeeping failed")
        await asyncio.sleep(EVERY_SECONDS)
