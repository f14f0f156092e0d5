"""Issue 14 §3: the managers' line export of the full benchmark database (100,000 cases,
1,500,000 device lines, benchmarks/console.py builds it), on SQLite and PostgreSQL. Two ways,
each in a process of its own so its peak memory (max RSS, interpreter and imports included)
is its own:
  service  the real service (services/line_export.py), every CSV chunk consumed;
  http     the app's route (/console/lines.csv, closeout/api.py) served by Granian, streamed by
           an HTTP client in this process; the server's peak is read from /proc.
Printed: time, lines, MB written, peak RSS (max over the process's life) and the resident
size just before the export.
Target: peak under 500 MB (bounded, whatever the number of lines).

    python -m benchmarks.line_export [sqlite path]   # builds the database when none is given
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
MANAGER = "morgan.lee@closeout.example"
EVERY_STATUS = "open,closed,completed,cancelled"
MEGABYTES = 500


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _service() -> dict:
    """In this (child) process: the whole export through the service, timed."""
    from closeout.domain.console import parse_filters
    from closeout.services import line_export
    from tests.factories import actor_for_email

    manager, filters = actor_for_email(MANAGER), parse_filters({"status": EVERY_STATUS})
    "".join(line_export.export_lines_csv(manager, parse_filters({"status": EVERY_STATUS, "q": "CS-0000-0"})))  # warm
    base, start, size, lines = _resident_mb(os.getpid())[0], time.perf_counter(), 0, 0
    for chunk in line_export.export_lines_csv(manager, filters):
        size += len(chunk)
        lines += chunk.count("\n")
    return {"seconds": time.perf_counter() - start, "lines": lines - 1, "mb": size / 1e6, "base_mb": base}


def _serve(port: int) -> None:
    """In this (child) process: the app's HTTP routes on `port`, a manager's session on stdout."""
    import asyncio

    from granian.constants import Interfaces
    from granian.server.embed import Server

    from closeout.api import routes
    from tests.factories import actor_for_email, new_session

    print(json.dumps({"token": new_session(actor_for_email(MANAGER))}), flush=True)
    asyncio.run(Server(routes, port=port, interface=Interfaces.ASGINL, log_enabled=False).serve())


def _resident_mb(pid: int) -> tuple[float, float]:
    """(now, peak) resident MB of a running process, from /proc."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def _env(url: str) -> dict:
    return {**os.environ, "REFLEX_DB_URL": url, "REFLEX_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}


def _http(url: str) -> dict:
    from tests.harness import free_port

    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "benchmarks.line_export", "serve", str(port)], env=_env(url), cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        token = json.loads(server.stdout.readline())["token"]
        from closeout.services.auth import COOKIE

        client = httpx.Client(base_url=f"http://127.0.0.1:{port}", cookies={COOKIE: token}, timeout=600)
        for _ in range(100):  # up once it answers
            try:
                client.get("/console/lines.csv?q=CS-0000-0").raise_for_status()
                break
            except httpx.TransportError:
                time.sleep(0.1)
        base = _resident_mb(server.pid)[0]
        start, size, lines = time.perf_counter(), 0, 0
        with client.stream("GET", f"/console/lines.csv?status={EVERY_STATUS}") as answer:
            answer.raise_for_status()
            for chunk in answer.iter_bytes():
                size += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.perf_counter() - start
        return {"seconds": seconds, "lines": lines - 1, "mb": size / 1e6, "base_mb": base, "rss_mb": _resident_mb(server.pid)[1]}
    finally:
        server.terminate()
        server.wait(30)


def _child(url: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.line_export", "service"], env=_env(url), cwd=ROOT,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"line export benchmark failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _report(name: str, found: dict, expected: int) -> tuple[str, bool]:
    ok = found["rss_mb"] < MEGABYTES and found["lines"] == expected
    print(f"{name:34s} {found['seconds']:6.1f} s  {found['lines']:,} lines  {found['mb']:.0f} MB  "
          f"{found['lines'] / found['seconds']:,.0f} lines/s  peak {found['rss_mb']:.0f} MB "
          f"(resident before the export {found['base_mb']:.0f} MB; target < {MEGABYTES} MB and every line: "
          f"{'met' if ok else 'MISSED'})")  # fmt: skip
    return name, ok


def measure(url: str, label: str) -> list[tuple[str, bool]]:
    """Both ways on the database at `url` (built by benchmarks/console.py): every line in it."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.connect() as conn:
        expected = conn.execute(sa.text("SELECT COUNT(*) FROM deviceline")).scalar()
    engine.dispose()
    return [_report(f"line_export.service_{label}", _child(url), expected),
            _report(f"line_export.http_{label}", _http(url), expected)]  # fmt: skip


def run(work, sqlite: str = "") -> list[tuple[str, bool]]:
    """Standalone: the console benchmark's databases, built here (or an existing SQLite one)."""
    from benchmarks import console

    if sqlite:
        return measure(f"sqlite:///{sqlite}", "sqlite")
    return console.run(work, also=(measure,), measure_console=False)


if __name__ == "__main__":
    if sys.argv[1:2] == ["service"]:
        answer = _service()
        answer["rss_mb"] = _rss_mb()
        print(json.dumps(answer))
    elif sys.argv[1:2] == ["serve"]:
        _serve(int(sys.argv[2]))
    else:
        import tempfile

        found = run(tempfile.mkdtemp(prefix="closeout-lines-bench-"), sys.argv[1] if len(sys.argv) > 1 else "")
        print("all targets met" if all(ok for _, ok in found) else "targets missed")
