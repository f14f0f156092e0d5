"""Issue 12 §3: live updates pushed instead of polled, over the app's real websocket protocol.

(a) Database work per idle case screen per minute (target 0): N case screens (Devices Used,
    each with its live watcher) sit idle while PostgreSQL counts what the app does, on
    PostgreSQL + Redis with two workers: transactions of the bench database
    (`xact_commit + xact_rollback` in `pg_stat_database`, read from another database;
    pg_stat_statements is not preloaded on these servers). Every read session is one
    transaction plus one for the pool's pre-ping (Reflex turns `pool_pre_ping` on), so a read
    counts 2. The fresh database is vacuumed first (autovacuum stays out of the count), and
    the window starts 12 s after the screens opened (a backend reports its counts at most
    every 10 s). SQLite keeps no such statistics: not measured there; the watcher is the same.
(b) Save on screen A → the change on screen B of the same case (another tab of the same rep),
    p50/p95 from A's event leaving to B's update arriving (target p95 < 500 ms): SQLite with
    one worker, and PostgreSQL + Redis with two workers, where the report says how many A/B
    pairs had their sockets on different workers (read from Reflex's token records in Redis).

Baseline, watchers polling (every 2 s, two reads: the session, then the case's stamp): 120
transactions per idle screen per minute (30 polls × 2 reads × 2), and B sees A's save after
~1.0 s (p50) / ~2.0 s (p95). With the Devices Used watcher waiting on `pages/live.changes_of`
(tried in a scratch copy): 0, and p95 ~70 ms (SQLite) / ~130 ms (PostgreSQL + Redis).
`python -m benchmarks.live` runs only this one (about 2.5 minutes, most of it building and
starting the app twice)."""

import asyncio
import json
import pickle
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from benchmarks.postgres import SERVER, fresh_database
from benchmarks.stats import report
from tests.harness import migrate_and_seed, project_env, running_app
from tests.socket_client import Screen, state_names

REDIS = "redis://127.0.0.1:6379"
IDLE_SCREENS, QUIET_SECONDS = 20, 20
SETTLE_SECONDS = 12  # a PostgreSQL backend reports its counts at most every 10 s: the opening's are in by then
PAIRS, EDITS = 8, 8
THINK = (0.2, 2.2)  # between saves: spread over a whole polling period, so polling is not sampled in step
LINES = 4
PG_DATABASE = "closeout_bench_live"


def _reps(db_url: str, count: int) -> list[dict]:
    """`count` reps, each with one open case and a session (benchmarks/load_data.py)."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.load_data", str(count), str(LINES)], capture_output=True,
                          text=True, env=project_env(REFLEX_DB_URL=db_url), check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _opened(screen: Screen):
    return lambda merged: screen.filled("devices", "rows")(merged) and screen.has("root", "is_hydrated", True)(merged)


def _settle_autovacuum(db_url: str) -> None:
    """Vacuum and analyse the freshly loaded database now: autovacuum would otherwise do it during
    the quiet window, and its transactions count in the same statistics."""
    engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def _transactions(database: str) -> int:
    """Transactions PostgreSQL has counted for `database` so far (read from another database,
    so this reading is not counted)."""
    admin = sa.create_engine(f"{SERVER}/test", isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return conn.execute(
                sa.text("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = :name"), {"name": database}
            ).scalar_one()
    finally:
        admin.dispose()


async def _idle(url: str, reps: list[dict], names: dict[str, str], database: str) -> tuple[float, int]:
    """(transactions per idle screen per minute, screens that opened)."""
    screens = [Screen(url, f"/cases/{rep['case']}", names) for rep in reps[:IDLE_SCREENS]]
    try:
        opened = await asyncio.gather(*(s.open(rep["token"], done=_opened(s)) for s, rep in zip(screens, reps, strict=False)),
                                      return_exceptions=True)  # fmt: skip
        count = sum(not isinstance(o, BaseException) for o in opened)
        await asyncio.sleep(SETTLE_SECONDS)  # the watchers have started; the opening's reads are counted
        before = await asyncio.to_thread(_transactions, database)
        await asyncio.sleep(QUIET_SECONDS)
        after = await asyncio.to_thread(_transactions, database)
    finally:
        await asyncio.gather(*(s.close() for s in screens), return_exceptions=True)
    return (after - before) / max(count, 1) * 60 / QUIET_SECONDS, count


def _shows_lot(screen: Screen, value: str):
    key = screen.names["devices"]
    return lambda merged: any(row.get("lot") == value for row in merged.get(key, {}).get("rows_rx_state_") or [])


async def _pair(url: str, rep: dict, number: int, names: dict[str, str], samples: list[float], errors: list[str],
                opened_pairs: dict[int, tuple[Screen, Screen]]) -> None:  # fmt: skip
    """Screens A and B on one case: A saves a lot number, B must show it."""
    path = f"/cases/{rep['case']}"
    a, b = Screen(url, path, names), Screen(url, path, names)
    rng = random.Random(number)
    try:
        opened = await a.open(rep["token"], done=_opened(a))
        await b.open(rep["token"], done=_opened(b))
        opened_pairs[number] = (a, b)  # where their sockets are is read meanwhile
        line = opened[names["devices"]]["rows_rx_state_"][0]["id"]
        for edit in range(EDITS):
            await asyncio.sleep(rng.uniform(*THINK))
            value = f"LIVE-{number:02d}-{edit:02d}"
            while not b.updates.empty():
                b.updates.get_nowait()
            sent = time.perf_counter()
            seen = asyncio.ensure_future(b.answer(sent, _shows_lot(b, value)))
            await a.send(names["save"], {"line_id": line, "field_name": "lot", "value": value, "version": 0},
                         a.has("devices", "line_count"), refuse_toasts=True)  # fmt: skip
            samples.append((await seen)[0])
    except Exception as error:  # every failure counts, none stops the other pairs
        errors.append(f"pair {number}: {type(error).__name__}: {error}")
    finally:
        await asyncio.gather(a.close(), b.close(), return_exceptions=True)


def _worker_of(client_token: str) -> str | None:
    """The backend worker holding this tab's socket, as Reflex records it in Redis."""
    import redis

    raw = redis.Redis.from_url(REDIS).get(f"token_manager_socket_record_{client_token}")
    return pickle.loads(raw).instance_id if raw else None  # a record Reflex itself wrote  # noqa: S301


async def _pairs_with_workers(url: str, reps: list[dict], names: dict[str, str], redis: bool):
    """The pairs, and where their sockets were: their token records are read while open."""
    samples, errors, screens = [], [], {}
    where: dict[int, tuple[str | None, str | None]] = {}

    async def note_workers():
        while len(where) < PAIRS:
            for number, (a, b) in list(screens.items()):
                if number not in where:
                    where[number] = (await asyncio.to_thread(_worker_of, a.client_token),
                                     await asyncio.to_thread(_worker_of, b.client_token))  # fmt: skip
            await asyncio.sleep(0.2)

    watcher = asyncio.ensure_future(note_workers()) if redis else None
    await asyncio.gather(*(_pair(url, rep, i, names, samples, errors, screens) for i, rep in enumerate(reps[:PAIRS])))
    if watcher is None:
        return samples, errors, "1 worker: every pair on the same worker"
    watcher.cancel()
    known = [(a, b) for a, b in where.values() if a and b]
    apart = sum(a != b for a, b in known)
    used = len({w for pair in known for w in pair})
    return samples, errors, f"{apart} of {len(known)} pairs on different workers ({used} workers used)"


def setup_run(label: str, db_url: str, log: Path, database: str = "", **env: str) -> list[tuple[str, bool]]:
    migrate_and_seed(db_url)
    reps = _reps(db_url, max(IDLE_SCREENS, PAIRS))
    names = state_names()
    redis = bool(env.get("REFLEX_REDIS_URL"))
    results = []
    if database:
        _settle_autovacuum(db_url)
    with running_app(db_url, log, CLOSEOUT_PO_REMINDERS="off", **env) as url:
        if database:
            per_minute, count = asyncio.run(_idle(url, reps, names, database))
            ok = per_minute == 0
            print(f"{f'live.{label}.idle_queries':34s} {per_minute:8.1f} database transactions per idle case screen per "
                  f"minute  ({count} screens, {QUIET_SECONDS} s quiet; target 0: {'met' if ok else 'MISSED'})")  # fmt: skip
            results.append((f"live.{label}.idle_queries", ok))
        samples, errors, apart = asyncio.run(_pairs_with_workers(url, reps[:PAIRS], names, redis))
    what = f"{PAIRS} pairs × {EDITS} saves, screen A's save seen on screen B; {apart}"
    results.append(report(f"live.{label}.seen_elsewhere", samples or [0.0], "ms", 500, what))
    print(f"{f'live.{label}.correctness':34s} saves seen {len(samples)} of {PAIRS * EDITS}, errors {len(errors)}"
          f"  (target: all seen, 0 errors)")  # fmt: skip
    for error in errors[:5]:
        print(f"    {error}")
    results.append((f"live.{label}.correctness", not errors and len(samples) == PAIRS * EDITS))
    return results


def run(work: Path) -> list[tuple[str, bool]]:
    sqlite = setup_run("sqlite_1_worker", f"sqlite:///{work}/live.db", work / "live-sqlite.log")
    with fresh_database(PG_DATABASE) as pg_url:
        scaled = setup_run("postgres_redis_2_workers", pg_url, work / "live-pg.log", database=PG_DATABASE,
                           REFLEX_REDIS_URL=REDIS, GRANIAN_WORKERS="2")  # fmt: skip
    return sqlite + scaled


if __name__ == "__main__":
    import os

    WORK = Path(tempfile.mkdtemp(prefix="closeout-bench-live-"))
    os.environ.setdefault("REFLEX_DB_URL", f"sqlite:///{WORK}/bench.db")
    os.environ["REFLEX_TELEMETRY_ENABLED"] = "false"
    started = time.perf_counter()
    failed = [name for name, ok in run(WORK) if not ok]
    print(f"live benchmark took {time.perf_counter() - started:.0f} s;", "all targets met" if not failed else
          f"targets missed: {', '.join(failed)}")  # fmt: skip
