"""`make test`: each pass runs the browser suite (tests/e2e) and, at the same time in a process
of its own, the fast suites (tests/domain, tests/services): the browser suite spends most of
its time waiting on the browser and the app, so the two together take little longer than it
alone. Each process has its own database (tests/conftest.py) and never mixes the two kinds
(Playwright keeps an event loop running in its main thread).

    python -m tests.suites sqlite     # domain, services and browser tests on embedded SQLite
    python -m tests.suites postgres   # services and browser tests on PostgreSQL + Redis, 2 workers

The browser suite reports as it goes; the fast suites' report follows when both are done (and
stays in test-artifacts/<pass>-fast.log). The tests that start an app of their own on another
database (the day-one story on an empty one) run after the browser suite, never beside its
app: two apps started from one project folder share its build (.web) and its state files."""

import os
import subprocess
import sys
import time

from tests.harness import ROOT

PASSES = {
    # tests/domain needs no database: it runs once, in the SQLite pass.
    "sqlite": ({}, ["tests/domain", "tests/services"]),
    "postgres": ({"CLOSEOUT_TEST_BACKEND": "postgres"}, ["tests/services"]),
}
OWN_APP = ["tests/e2e/test_day_one.py"]


def browser_suite(pytest: list[str], env: dict) -> int:
    ignored = [f"--ignore={path}" for path in OWN_APP]
    code = subprocess.run([*pytest, "tests/e2e", *ignored], cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode
    return subprocess.run([*pytest, *OWN_APP], cwd=ROOT, env=env, stdin=subprocess.DEVNULL).returncode or code


def run(name: str) -> int:
    env_extra, fast_paths = PASSES[name]
    env = {**os.environ, **env_extra}
    pytest = [sys.executable, "-m", "pytest"]
    log = ROOT / "test-artifacts" / f"{name}-fast.log"
    log.parent.mkdir(exist_ok=True)
    started = time.monotonic()
    with log.open("w") as out:
        fast = subprocess.Popen([*pytest, *fast_paths], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)  # fmt: skip
        try:
            browser = browser_suite(pytest, env)
        finally:
            fast_code = fast.wait()
    print(f"\n---- {name} pass, fast suites ({' '.join(fast_paths)}) ----", flush=True)
    print(log.read_text(), flush=True)
    print(f"---- {name} pass: browser suite exit {browser}, fast suites exit {fast_code}, "
          f"{time.monotonic() - started:.0f} s ----", flush=True)  # fmt: skip
    return browser or fast_code


if __name__ == "__main__":
    sys.exit(run(sys.argv[1] if len(sys.argv) > 1 else "sqlite"))
