"""`python -m closeout.jobs [--loop SECONDS]`: send the PO reminders that are due, once (for
cron) or forever every SECONDS, and prune the buyers' PO documents attached but never submitted
past their lifetime. The app also runs this hourly in its backend unless
CLOSEOUT_PO_REMINDERS=off. Cases whose reminder failed are listed on stderr; run once, the
exit status is then 1 (the other due cases were still sent)."""

import argparse
import sys
import time

from ..services import po_drafts
from ..services.reminders import send_due_reminders


def main() -> int:
    parser = argparse.ArgumentParser(description="Send due PO reminders.")
    parser.add_argument("--loop", type=int, default=0, help="repeat every this many seconds (0: once)")
    args = parser.parse_args()
    while True:
        run = send_due_reminders()
        print(f"Expired PO document drafts pruned: {po_drafts.prune_expired()}")
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
