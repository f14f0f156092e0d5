"""Issue 13: catalog imports at scale. 50,000 products, then 50,000 contract prices, each
previewed and committed through the services (as the page's background task runs them), on
SQLite and on PostgreSQL; then the same product file again (nothing changes), and one with
every list price raised (50,000 updates). Every step runs
in a process of its own, so its peak memory (max RSS, the interpreter and its imports
included) is its own. Targets: each step under 30 s and under 500 MB.

    python -m benchmarks.catalog_import          # both databases, as `make bench` runs it
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from biip.checksums import gs1_standard_check_digit

ROWS, MAKERS, LISTS = 50_000, 20, 5
SECONDS, MEGABYTES = 30, 500
MANAGER = "morgan.lee@closeout.example"
PG_DATABASE = "closeout_bench_catalog"


def _files(work: Path) -> None:
    """products.csv and prices.csv: ROWS rows each, spread over MAKERS makers and LISTS lists."""
    lines = ["REF,Description,Manufacturer,GTIN,HIBC labeler code,Single use,List price"]
    raised = lines[:]
    prices = ["Price list,Facility account,REF,Manufacturer,Contract price,Effective from,Effective to"]
    for i in range(ROWS):
        body = f"08{i:011d}"
        maker = i % MAKERS
        row = (f"BX-{i:06d},Bench implant {i} size {i % 9 + 1},Bench Maker {maker:02d},{body}{gs1_standard_check_digit(body)},"
               f"B{maker:03d},{'yes' if i % 7 else 'no'},")  # fmt: skip
        lines.append(f"{row}{100 + i % 4000}.{i % 100:02d}")
        raised.append(f"{row}{101 + i % 4000}.{i % 100:02d}")  # next year's list prices: every product updated
        prices.append(f"Bench GPO {i % LISTS},,BX-{i:06d},Bench Maker {maker:02d},{90 + i % 3000}.{i % 100:02d},2026-01-01,")
    (work / "products.csv").write_text("\n".join(lines) + "\n")
    (work / "prices.csv").write_text("\n".join(prices) + "\n")
    (work / "products-raised.csv").write_text("\n".join(raised) + "\n")


def _step(command: str, *args: str) -> dict:
    """In this (child) process: one step, timed; its answer as JSON on the last line."""
    from closeout.services import catalog_admin, catalog_import, import_jobs
    from tests.factories import actor_for_email

    manager = actor_for_email(MANAGER)
    if command == "prepare":
        for maker in range(MAKERS):
            catalog_admin.add_manufacturer(manager, f"Bench Maker {maker:02d}", f"B{maker:03d}")
        _files(Path(args[0]))
        return {}
    if command == "preview":
        kind, path = args
        job_id = import_jobs.start(manager, kind, Path(path).name, Path(path).read_bytes())
        start = time.perf_counter()
        job = catalog_import.preview(manager, job_id)
    else:
        job_id = int(args[0])
        start = time.perf_counter()
        job = catalog_import.commit(manager, job_id)
    seconds = time.perf_counter() - start
    if job.status not in ("previewed", "done") or job.error_count:
        raise SystemExit(f"{command} ended {job.status}: {job.message} {job.errors[:3]}")
    return {"job": job_id, "seconds": seconds, "summary": job.summary}


def _child(url: str, *args: str) -> dict:
    env = {**os.environ, "REFLEX_DB_URL": url, "REFLEX_TELEMETRY_ENABLED": "false"}
    done = subprocess.run([sys.executable, "-m", "benchmarks.catalog_import", *args], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"catalog benchmark step {args} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(name: str, answer: dict, what: str) -> tuple[str, bool]:
    seconds, megabytes = answer["seconds"], answer["rss_mb"]
    ok = seconds < SECONDS and megabytes < MEGABYTES
    print(f"{name:34s} {seconds:6.1f} s  peak {megabytes:5.0f} MB  ({what}; target < {SECONDS} s and < {MEGABYTES} MB:"
          f" {'met' if ok else 'MISSED'})")  # fmt: skip
    return name, ok


def measure(url: str, label: str, work: Path) -> list[tuple[str, bool]]:
    from tests.harness import migrate_and_seed

    migrate_and_seed(url)
    _child(url, "prepare", str(work))
    results = []
    for kind in ("products", "prices"):
        preview = _child(url, "preview", kind, str(work / f"{kind}.csv"))
        results.append(_report(f"catalog.{kind}_preview_{label}", preview, f"{ROWS:,} rows checked"))
        commit = _child(url, "commit", str(preview["job"]))
        s = commit["summary"]
        results.append(_report(f"catalog.{kind}_commit_{label}", commit, f"{s['new']:,} new, {s['updated']:,} updated"))
    again = _child(url, "preview", "products", str(work / "products.csv"))
    commit = _child(url, "commit", str(again["job"]))
    results.append(_report(f"catalog.reimport_{label}", {"seconds": again["seconds"] + commit["seconds"],
                   "rss_mb": max(again["rss_mb"], commit["rss_mb"])}, f"the same file again: {commit['summary']['unchanged']:,} unchanged"))  # fmt: skip
    raised = _child(url, "preview", "products", str(work / "products-raised.csv"))
    results.append(_report(f"catalog.update_preview_{label}", raised, "every list price changed"))
    commit = _child(url, "commit", str(raised["job"]))
    results.append(_report(f"catalog.update_commit_{label}", commit, f"{commit['summary']['updated']:,} updated"))
    return results


def run(work) -> list[tuple[str, bool]]:
    from benchmarks.postgres import fresh_database

    work = Path(work)
    results = measure(f"sqlite:///{work}/catalog-bench.db", "sqlite", work)
    try:
        with fresh_database(PG_DATABASE) as url:
            results += measure(url, "postgres", work)
    except Exception as error:  # noqa: BLE001  (no PostgreSQL server: say so, keep the SQLite figures)
        print(f"catalog.postgres: skipped ({type(error).__name__}: {str(error)[:200]})")
        results.append(("catalog.postgres", False))
    return results


if __name__ == "__main__":
    if len(sys.argv) > 1:  # a step, in its own process
        answer = _step(sys.argv[1], *sys.argv[2:])
        answer["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(answer, default=str))
    else:
        found = run(tempfile.mkdtemp(prefix="closeout-catalog-bench-"))
        print("all targets met" if all(ok for _, ok in found) else "targets missed")
