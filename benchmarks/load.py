"""Issue 7: N = 50 simulated reps over the app's real websocket protocol (Socket.IO, as the
browser speaks it). Each rep opens its own case (the browser's hydrate-and-load event) and
edits lines on the Devices Used tab, about one edit a second, with a no-op event between
edits: Reflex's own `set_is_hydrated(true)` on the root state, which changes nothing but
still travels the whole path (socket, state manager, handler, delta back): the framework's
floor.
Reported per set-up: p50/p95 round-trip of the edits and of the no-op, their p95 ratio,
errors (timeouts, refusals, dropped connections: must be 0) and lost edits (every edit the
server acknowledged is read back from the database afterwards: must be 0). Run on SQLite
with one worker and on PostgreSQL + Redis with two workers."""

import asyncio
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

from benchmarks.postgres import fresh_database
from benchmarks.stats import percentile, report
from tests.harness import migrate_and_seed, project_env, running_app
from tests.socket_client import Screen, state_names

REPS, LINES, EDITS = 50, 12, 20
THINK = (0.4, 1.2)  # seconds between a rep's events: about one edit and one no-op a second


@dataclass
class Tally:
    edits: list[float] = field(default_factory=list)
    noops: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    acked: dict[tuple[int, str], str] = field(default_factory=dict)


async def _one_rep(url: str, rep: dict, number: int, names: dict[str, str], tally: Tally, start: asyncio.Event,
                   run: int = 0):  # fmt: skip
    screen = Screen(url, f"/cases/{rep['case']}", names)
    rng = random.Random(number)
    try:
        opened = await screen.open(rep["token"], done=lambda m: screen.has("devices", "rows")(m)
                                   and screen.has("root", "is_hydrated", True)(m))  # fmt: skip
        lines = [row["id"] for row in opened[names["devices"]]["rows_rx_state_"]]
        tally.opens.append(screen.opened)
        await start.wait()
        await asyncio.sleep(rng.uniform(0, THINK[1]))
        for i in range(EDITS):
            line = lines[i % len(lines)]
            # Every edit changes the value, also for a rep (and case) a previous run edited: an
            # edit that changes nothing is answered with no delta at all (nothing was saved).
            field_name, value = ("lot", f"L{number:02d}-{i:03d}-R{run}") if i % 2 == 0 else ("quantity", str(2 + 20 * run + i))
            payload = {"line_id": line, "field_name": field_name, "value": value, "version": 0}
            tally.edits.append((await screen.send(names["save"], payload, screen.has("devices", "line_count"), True))[0])
            tally.acked[(line, field_name)] = value
            await asyncio.sleep(rng.uniform(*THINK))
            tally.noops.append((await screen.send(names["noop"], {"value": True}, screen.has("root", "is_hydrated"), True))[0])
            await asyncio.sleep(rng.uniform(*THINK))
            tally.writes.append((await screen.send(names["write_floor"], {}, _has_key(names["floor"], "writes"), True))[0])
            await asyncio.sleep(rng.uniform(*THINK))
    except Exception as error:  # every failure counts, none stops the others
        tally.errors.append(f"rep {number}: {type(error).__name__}: {error}")
    finally:
        await screen.sio.disconnect()


def _has_key(state: str, var: str):
    return lambda merged: f"{var}_rx_state_" in merged.get(state, {})


def _names() -> dict[str, str]:
    from closeout.pages.bench_floor import WriteFloorState

    floor = WriteFloorState.get_full_name()
    return {**state_names(), "floor": floor, "write_floor": f"{floor}.write"}


async def _simulate(url: str, reps: list[dict], run: int = 0) -> Tally:
    """`run`: which run on the same cases this is (each writes values of its own)."""
    names, tally, start = _names(), Tally(), asyncio.Event()
    tasks = [asyncio.create_task(_one_rep(url, rep, i, names, tally, start, run)) for i, rep in enumerate(reps)]
    while len(tally.opens) + len(tally.errors) < len(reps) and not all(t.done() for t in tasks):
        await asyncio.sleep(0.1)
    start.set()
    await asyncio.gather(*tasks)
    return tally


async def _warm_up(url: str, rep: dict) -> None:
    """One screen opens and closes first: the measured opens find a started server (its SQL
    statements compiled, its modules imported), as reps do at any time but the first minute."""
    screen = Screen(url, f"/cases/{rep['case']}", _names())
    await screen.open(rep["token"], done=screen.filled("devices", "rows"))
    await screen.sio.disconnect()


def _lost(db_url: str, acked: dict[tuple[int, str], str]) -> int:
    """Acknowledged edits whose value is not what the database holds now."""
    engine = sa.create_engine(db_url)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, lot, quantity FROM deviceline WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
            {"ids": sorted({line for line, _ in acked})},
        ).all()
    engine.dispose()
    held = {(row.id, "lot"): row.lot for row in rows} | {(row.id, "quantity"): str(row.quantity) for row in rows}
    return sum(held.get(key) != value for key, value in acked.items())


def _reps(db_url: str, count: int = REPS) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.load_data", str(count), str(LINES)], capture_output=True,
                          text=True, env=project_env(REFLEX_DB_URL=db_url), check=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(samples: list[float], pct: float) -> float:
    return percentile(samples or [0.0], pct) * 1000


def setup_run(label: str, db_url: str, log: Path, **env: str) -> list[tuple[str, bool]]:
    migrate_and_seed(db_url)
    reps = _reps(db_url)
    with running_app(db_url, log, CLOSEOUT_PO_REMINDERS="off", CLOSEOUT_BENCH_FLOOR="on", **env) as url:
        asyncio.run(_warm_up(url, reps[0]))
        tally = asyncio.run(_simulate(url, reps))
    lost = _lost(db_url, tally.acked)
    what = f"N = {REPS} reps, {EDITS} edits each over the websocket"
    results = [
        report(f"load.{label}.edit", tally.edits or [0.0], "ms", 150, what),
        report(f"load.{label}.noop", tally.noops or [0.0], "ms", 150, "the no-op event between edits: the framework floor"),
        report(f"load.{label}.write_floor", tally.writes or [0.0], "ms", 150,
               "the same path with one committed single-row UPDATE: the durable-write floor"),
        report(f"load.{label}.open_case", tally.opens or [0.0], "s", 0.25, f"hydrate and load, {REPS} reps at once, after one warm-up open"),
    ]  # fmt: skip
    to_write = _ms(tally.edits, 95) / max(_ms(tally.writes, 95), 1e-6)
    to_noop = _ms(tally.edits, 95) / max(_ms(tally.noops, 95), 1e-6)
    print(f"{f'load.{label}.edit_vs_write_floor':34s} p95 ratio {to_write:.2f}×  (target ≤ 1.5×: "
          f"{'met' if to_write <= 1.5 else 'MISSED'}); edit vs no-op p95 {to_noop:.2f}×")  # fmt: skip
    print(f"{f'load.{label}.correctness':34s} edits acknowledged {len(tally.edits)}, errors {len(tally.errors)}, "
          f"lost edits {lost}  (target: 0 errors, 0 lost)")  # fmt: skip
    for error in tally.errors[:5]:
        print(f"    {error}")
    results += [(f"load.{label}.edit_vs_write_floor", to_write <= 1.5),
                (f"load.{label}.correctness", not tally.errors and not lost)]  # fmt: skip
    return results


STEPS = (25, 50, 100, 200)


def scaling(work: Path) -> list[tuple[str, bool]]:
    """PostgreSQL + Redis, 2 workers: the same rep behaviour at 25, 50, 100 and 200 reps."""
    results = []
    with fresh_database("closeout_bench_scale") as pg_url:
        migrate_and_seed(pg_url)
        reps = _reps(pg_url, max(STEPS))
        with running_app(pg_url, work / "load-scale.log", CLOSEOUT_PO_REMINDERS="off", CLOSEOUT_BENCH_FLOOR="on",
                         REFLEX_REDIS_URL="redis://127.0.0.1:6379", GRANIAN_WORKERS="2") as url:  # fmt: skip
            for run, count in enumerate(STEPS):
                tally = asyncio.run(_simulate(url, reps[:count], run))
                lost = _lost(pg_url, tally.acked)
                ok = count < max(STEPS) or (_ms(tally.edits, 95) < 200 and not tally.errors and not lost)
                print(f"{f'load.scale.{count:03d}_reps':34s} edit p50 {_ms(tally.edits, 50):7.1f} ms p95 "
                      f"{_ms(tally.edits, 95):7.1f} ms · open p50 {_ms(tally.opens, 50):7.1f} ms p95 "
                      f"{_ms(tally.opens, 95):7.1f} ms · errors {len(tally.errors)} · lost {lost}"
                      + (f"  (target at {count}: edit p95 < 200 ms, 0 errors, 0 lost: {'met' if ok else 'MISSED'})"
                         if count == max(STEPS) else ""))  # fmt: skip
                for error in tally.errors[:3]:
                    print(f"    {error}")
                results.append((f"load.scale.{count}", ok))
    return results


def run(work: Path) -> list[tuple[str, bool]]:
    sqlite = setup_run("sqlite_1_worker", f"sqlite:///{work}/load.db", work / "load-sqlite.log")
    with fresh_database("closeout_bench_load") as pg_url:
        scaled = setup_run("postgres_redis_2_workers", pg_url, work / "load-pg.log",
                           REFLEX_REDIS_URL="redis://127.0.0.1:6379", GRANIAN_WORKERS="2")  # fmt: skip
    return sqlite + scaled + scaling(work)
