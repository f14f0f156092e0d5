"""The app backend's hourly jobs: the PO reminders that are due, and pruning the buyers' PO
documents that waited past their lifetime (services/po_drafts.py)."""

import asyncio
import logging

from .. import settings
from ..services import po_drafts
from ..services.reminders import send_due_reminders

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


async def draft_prune_loop():
    """Hourly: drop the PO documents attached but never submitted, past their lifetime."""
    while True:
        try:
            pruned = await asyncio.to_thread(po_drafts.prune_expired)
            if pruned:
                log.info("expired PO document drafts pruned: %d", pruned)
        except Exception:  # logged and retried next hour, never fatal to the app
            log.exception("pruning PO document drafts failed")
        await asyncio.sleep(EVERY_SECONDS)
