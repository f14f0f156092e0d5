"""The PO reminder job as a task of the app's backend: hourly, sending what is due."""

import asyncio
import logging

from .. import settings
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
