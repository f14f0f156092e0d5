"""The PO reminder job as a task of the app's backend: hourly, sending what is due."""

import asyncio
import logging
import os

from ..services.reminders import send_due_reminders

log = logging.getLogger(__name__)
EVERY_SECONDS = 3600


async def po_reminder_loop():
    if os.environ.get("CLOSEOUT_PO_REMINDERS", "on").lower() in ("off", "0", "false"):
        return
    while True:
        try:
            sent = await asyncio.to_thread(send_due_reminders)
            if sent:
                log.info("PO reminders sent: %d", len(sent))
        except Exception:  # a failed run is logged and retried next hour, never fatal to the app
            log.exception("PO reminder job failed")
        await asyncio.sleep(EVERY_SECONDS)
