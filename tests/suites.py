"""`make test`: two passes, SQLite and PostgreSQL + Redis, side by side over one frontend build.

    python -m tests.suites            # both passes (what `make test` runs)
    python -m tests.suites sqlite     # domain, services and browser tests on embedded SQLite
    python -m tests.suites postgres   # services and browser tests on PostgreSQL + Redis, 2 workers
    python -m tests.suites unit       # domain and services on SQLite, on every core (make test-unit)

What makes it fast, without running fewer tests:
- one production frontend build per run, for one port (the build knows its port); every app of
  the run is served from it (closeout/serve.py, CLOSEOUT_SERVE_BUILT), each pass's on a
  loopback address of its own (127.0.0.1 and 127.0.0.2, same port: the page takes its host
  name from the address bar), so the two passes run at the same time;
- one migrated and seeded template database per pass, copied by each test process
  (tests/conftest.py): a file copy on SQLite, CREATE DATABASE … TEMPLATE on PostgreSQL;
- in each pass the browser suite (tests/e2e) and the fast suites (tests/domain, tests/services)
  run side by side, each process with its own database: a browser suite spends much of its
  time waiting on the browser and the app. Playwright keeps an event loop running in its main
  thread, so the two kinds never share a process;
- the tests that start an app of their own on another database (the day-one story on an empty
  one) run after their pass's browser suite, on the pass's address.

Every line a pass prints is prefixed with the pass's name; each phase's time is printed and kept
in test-artifacts/times.txt, each suite's whole report in test-artifacts/<pass>-<suite>.log. The
last line (`total: N passed, N failed, N skipped`) adds up what every pytest process said."""

import os
import re
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from tests.harness import ROOT, build_frontend, fix_the_clock, free_port, migrate_and_seed

PG_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
PASSES = {
    # name: (environment, fast suites, loopback address of its apps)
    # tests/domain needs no database: it runs once, in the SQLite pass.
    "sqlite": ({}, ["tests/domain", "tests/services"], "127.0.0.1"),
    "postgres": ({"CLOSEOUT_TEST_BACKEND": "postgres"}, ["tests/services"], "127.0.0.2"),
}
OWN_APP = ["tests/e2e/test_day_one.py"]
ARTIFACTS = ROOT / "test-artifacts"
PYTEST = [sys.executable, "-m", "pytest"]
SUMMARY = re.compile(r"=+ (.*\d+ (?:passed|failed|error|errors|skipped).*) in [\d.]+s")
_print = threading.Lock()


class Clock:
    """Wall-clock time per phase, printed as it goes and kept in a file."""

    def __init__(self):
        self.rows: list[str] = []
        self.started = time.monotonic()

    def done(self, phase: str, since: float) -> None:
        row = f"{phase}: {time.monotonic() - since:.0f} s"
        self.rows.append(row)
        say(f"---- {row} ----")

    def close(self) -> None:
        self.done("make test, all passes", self.started)
        (ARTIFACTS / "times.txt").write_text("\n".join(self.rows) + "\n")


def say(line: str) -> None:
    with _print:
        print(line, flush=True)


def _postgres(statement: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(f"{PG_SERVER}/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(statement))
    admin.dispose()


def make_template(name: str) -> str:
    """Migrate and seed the pass's template database once; its URL."""
    if name == "postgres":
        database = f"closeout_template_{os.getpid()}"
        _postgres(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _postgres(f'CREATE DATABASE "{database}"')
        url = f"{PG_SERVER}/{database}"
    else:
        path = ARTIFACTS / "template.db"
        for leftover in (path, path.with_name("template.db-wal"), path.with_name("template.db-shm")):
            leftover.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    migrate_and_seed(url)
    return url


def drop_template(url: str) -> None:
    if url.startswith("postgresql"):
        _postgres(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


class Suite:
    """One pytest process: its output prefixed with `label` (live) and kept in a log."""

    def __init__(self, label: str, args: list[str], env: dict, live: bool = True):
        self.label, self.log = label, ARTIFACTS / f"{label.replace(' ', '-')}.log"
        self.live, self.summary = live, ""
        self.process = subprocess.Popen([*PYTEST, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with self.log.open("w") as out:
            for line in self.process.stdout:
                out.write(line)
                if found := SUMMARY.search(line):
                    self.summary = found.group(1)
                if self.live or found or line.startswith(("FAILED", "ERROR")):
                    say(f"[{self.label}] {line.rstrip()}")

    def wait(self) -> int:
        code = self.process.wait()
        self.reader.join()
        return code


def run(name: str, template: str, clock: Clock) -> tuple[int, list[str]]:
    """One pass: the browser suite (then the own-app tests) beside the fast suites."""
    env_extra, fast_paths, host = PASSES[name]
    env = {**os.environ, **env_extra, "CLOSEOUT_TEMPLATE_DB": template, "CLOSEOUT_TEST_HOST": host,
           "PYTHONUNBUFFERED": "1"}  # each line as it is printed: the runner prefixes and relays it
    started = time.monotonic()
    fast = Suite(f"{name} fast", fast_paths, env, live=False)
    browser = Suite(f"{name} browser", ["--durations=25", "tests/e2e", *(f"--ignore={path}" for path in OWN_APP)], env)
    browser_code = browser.wait()
    clock.done(f"{name} pass: browser suite", started)
    own_started = time.monotonic()
    own = Suite(f"{name} own-app", OWN_APP, env)
    own_code = own.wait()
    clock.done(f"{name} pass: own-app tests", own_started)
    fast_code = fast.wait()
    clock.done(f"{name} pass: fast suites ({' '.join(fast_paths)})", started)
    suites = (fast, browser, own)
    for suite in suites:
        say(f"---- {suite.label}: {suite.summary or 'no summary'} (exit {suite.process.returncode}) ----")
    return browser_code or own_code or fast_code, [s.summary for s in suites]


def totals(summaries: list[str]) -> str:
    """'1690 passed, 0 failed, 12 skipped' over every pytest process's summary."""
    counts = {"passed": 0, "failed": 0, "skipped": 0, "error": 0}
    for summary in summaries:
        for number, word in re.findall(r"(\d+) (passed|failed|skipped|errors?)", summary):
            counts["error" if word.startswith("error") else word] += int(number)
    return f"{counts['passed']} passed, {counts['failed'] + counts['error']} failed, {counts['skipped']} skipped"


def unit() -> int:
    """`make test-unit`: domain and services on SQLite, from a template database, on every core
    (pytest-xdist, a worker per core, each file on one worker)."""
    ARTIFACTS.mkdir(exist_ok=True)
    fix_the_clock()
    env = {**os.environ, "CLOSEOUT_TEMPLATE_DB": make_template("sqlite")}
    args = ["-n", str((os.cpu_count() or 2) + 1), "--dist", "loadfile", "tests/domain", "tests/services"]
    return subprocess.run([*PYTEST, *args], cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode


def main(which: str) -> int:
    if which == "unit":
        return unit()
    names = list(PASSES) if which == "all" else [which]
    ARTIFACTS.mkdir(exist_ok=True)
    fix_the_clock()
    os.environ.setdefault("CLOSEOUT_TEST_RUN", uuid.uuid4().hex)
    port = int(os.environ.setdefault("CLOSEOUT_TEST_PORT", str(free_port())))
    clock = Clock()
    started = time.monotonic()
    with ThreadPoolExecutor(len(names)) as pool:
        templates = dict(zip(names, pool.map(make_template, names), strict=True))
    clock.done("template databases", started)
    started = time.monotonic()
    build_frontend(port, templates[names[0]], ARTIFACTS / "frontend-build.log")
    clock.done("frontend build", started)
    try:
        with ThreadPoolExecutor(len(names)) as pool:
            results = list(pool.map(lambda name: run(name, templates[name], clock), names))
    finally:
        for url in templates.values():
            drop_template(url)
    clock.close()
    summaries = [summary for _, pass_summaries in results for summary in pass_summaries]
    code = next((code for code, _ in results if code), 0)
    say(f"total: {totals(summaries)}")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
