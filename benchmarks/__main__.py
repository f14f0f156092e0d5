"""Run every benchmark against a fresh benchmark database (never the app's own)."""

import os
import sys
import tempfile
from pathlib import Path

WORK = Path(tempfile.mkdtemp(prefix="closeout-bench-"))
os.environ["REFLEX_DB_URL"] = f"sqlite:///{WORK}/bench.db"
os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"

from benchmarks import (  # noqa: E402
    camera_scan,
    catalog_import,
    console,
    devices_used,
    line_export,
    live,
    load,
    offline_sync,
    payment_dashboard,
    sales_order,
)
from tests.harness import migrate_and_seed  # noqa: E402


def main() -> int:
    print(f"benchmark database: {os.environ['REFLEX_DB_URL']}")
    migrate_and_seed(os.environ["REFLEX_DB_URL"])
    results = sales_order.run() + devices_used.run(WORK) + load.run(WORK) + live.run(WORK)
    results += console.run(WORK, also=(line_export.measure, payment_dashboard.measure))
    results += catalog_import.run(WORK)  # its steps run in processes of their own, on their own databases
    results += camera_scan.run(WORK)  # a browser with a fake camera of its own
    results += offline_sync.run(WORK)  # its own databases, each measured in a process of its own
    failed = [name for name, ok in results if not ok]
    print("all targets met" if not failed else f"targets missed: {', '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
