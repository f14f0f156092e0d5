"""`python -m closeout.jobs [--loop SECONDS]`: send the PO reminders that are due and do the
hourly housekeeping (closeout/jobs/schedule.py: old offline sync answers, expired PO document
drafts, overdue loaner kits), once (for cron) or forever every SECONDS. The app also runs both
hourly in its backend (the reminders unless
CLOSEOUT_PO_REMINDERS=off). Cases whose reminder failed are listed on stderr; run once, the
exit status is then 1 (the other due cases were still sent)."""

import argparse
import sys
import time

from ..services.reminders import send_due_reminders
from .schedule import housekeeping


def main() -> int:
    parser = argparse.ArgumentParser(description="Send due PO reminders.")
    parser.add_argument("--loop", type=int, default=0, help="repeat every this many seconds (0: once)")
    args = parser.parse_args()
    while True:
        run = send_due_reminders()
        for name, count in housekeeping().items():
            print(f"{name}: {count}")
        print(
            f"PO reminders sent: {len(run.sent)}"
            + "".join(f"\n  {s.case_number} → {s.recipient} ({s.delivery})" for s in run.sent)
        )
        if run.failed:
            print(f"PO reminders not sent: {len(run.failed)}" + "".join(f"\n  {f.case_number}: {f.reason}" for f in run.failed),
                  file=sys.stderr)  # fmt: skip
        if not args.loop:
            return 1 if run.failed else 0
        time.sleep(args.loop)


if __name__ == "__main__":
    sys.exit(main())
