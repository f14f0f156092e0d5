"""Starting the real app and a real browser, shared by the end-to-end tests and `make bench`."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CLOSEOUT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# The tests' clock (closeout/domain/clock.py): noon UTC, so a run never crosses midnight.
TEST_CLOCK = "2026-06-15T12:00:00+00:00"


def fix_the_clock() -> None:
    """Show TEST_CLOCK from the first process of a run on: its children (the template
    database's seed, the test processes, the apps they start) inherit the same instant."""
    os.environ["CLOSEOUT_CLOCK"] = TEST_CLOCK
    os.environ.setdefault("CLOSEOUT_CLOCK_SINCE", str(time.time()))


def project_env(**extra: str) -> dict:
    """The environment `make` gives project commands: the venv first on PATH, npm, no telemetry."""
    env = {
        **os.environ,
        "REFLEX_USE_NPM": "1",
        "REFLEX_TELEMETRY_ENABLED": "false",
        "REFLEX_CHECK_LATEST_VERSION": "false",
        **extra,
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    return env


def run_cli(*args: str, env: dict | None = None) -> str:
    """Run a project command and fail loudly with its output."""
    done = subprocess.run(args, cwd=ROOT, env=project_env(**(env or {})), capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def migrate_and_seed(db_url: str) -> None:
    """What `make db` does, against `db_url`: with the demo data, whatever CLOSEOUT_DEMO_DATA
    the shell has (the tests and benchmarks are written against it)."""
    run_cli("reflex", "db", "migrate", env={"REFLEX_DB_URL": db_url})
    run_cli(sys.executable, "-m", "closeout.seed", env={"REFLEX_DB_URL": db_url, "CLOSEOUT_DEMO_DATA": "on"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/ping", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the app did not start within {timeout:.0f}s:\n{log.read_text()[-4000:]}")


SERVERS: dict[str, subprocess.Popen] = {}  # url -> the server's supervisor process


def worker_pids(url: str) -> list[int]:
    """The backend worker processes of the server at `url` (its supervisor's children)."""
    children = Path(f"/proc/{SERVERS[url].pid}/task/{SERVERS[url].pid}/children").read_text().split()
    return [int(pid) for pid in children]


# `make test` (tests/suites.py) builds the frontend once for one port (CLOSEOUT_TEST_PORT) and
# names the build (CLOSEOUT_TEST_RUN); every app of the run is served from that build
# (closeout/serve.py, CLOSEOUT_SERVE_BUILT), each pass's on a loopback address of its own
# (CLOSEOUT_TEST_HOST: 127.0.0.1, 127.0.0.2), so the passes run side by side. Run alone, a test
# process builds for a free port, as `make run` does.
BUILD_MARK = ROOT / ".web" / "build" / "closeout-test-run"
SERVE = [sys.executable, "-m", "closeout.serve", "run", "--env", "prod", "--single-port"]


def build_frontend(port: int, db_url: str, log: Path) -> None:
    """The production frontend for `port`, built once and marked as this run's."""
    with log.open("w") as out:
        done = subprocess.run([*SERVE, "--frontend-port", str(port)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL, env=project_env(REFLEX_DB_URL=db_url, CLOSEOUT_BUILD_ONLY="1"))  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"the frontend build failed:\n{log.read_text()[-4000:]}")
    BUILD_MARK.write_text(os.environ["CLOSEOUT_TEST_RUN"])


def _built_for_this_run(port: int) -> bool:
    from closeout.serve import built_port

    run = os.environ.get("CLOSEOUT_TEST_RUN", "")
    return bool(run) and BUILD_MARK.exists() and BUILD_MARK.read_text() == run and built_port() == port


@contextmanager
def running_app(db_url: str, log: Path, timeout: float = 900, **env: str):
    """`python -m closeout.serve run --env prod --single-port` (as `make run` serves it) on the
    run's address and port (or a free port). The process group's leader is the server's
    supervisor."""
    port = int(os.environ.get("CLOSEOUT_TEST_PORT") or free_port())
    host = os.environ.get("CLOSEOUT_TEST_HOST", "127.0.0.1")
    if _built_for_this_run(port):
        env = {"CLOSEOUT_SERVE_BUILT": "1", **env}
    with log.open("w") as out:
        process = subprocess.Popen(
            [*SERVE, "--frontend-port", str(port), "--backend-host", host],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,  # under pytest-xdist stdin is the worker's channel to pytest
            start_new_session=True,
            env=project_env(REFLEX_DB_URL=db_url, **env),
        )
    url = f"http://{host}:{port}"
    SERVERS[url] = process
    try:
        _wait_until_up(url, process, log, timeout)
        yield url
    finally:
        stop(process)
        SERVERS.pop(url, None)


def stop(process: subprocess.Popen) -> None:
    """Stop the server and every process it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
