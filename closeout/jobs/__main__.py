"""`python -m closeout.jobs [--loop SECONDS]`: send the PO reminders that are due, once (for
cron) or forever every SECONDS. The app also runs this hourly in its backend unless
CLOSEOUT_PO_REMINDERS=off."""

import argparse
import time

from ..services.reminders import send_due_reminders


def main() -> None:
    parser = argparse.ArgumentParser(description="Send due PO reminders.")
    parser.add_argument("--loop", type=int, default=0, help="repeat every this many seconds (0: once)")
    args = parser.parse_args()
    while True:
        sent = send_due_reminders()
        print(f"PO reminders sent: {len(sent)}" + "".join(f"\n  {s.case_number} → {s.recipient} ({s.delivery})" for s in sent))
        if not args.loop:
            return
        time.sleep(args.loop)


if __name__ == "__main__":
    main()
