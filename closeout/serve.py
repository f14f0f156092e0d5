"""`python -m closeout.serve run --env prod ...`: Reflex's own CLI, with two changes to its
production server:

- Granian respawns a backend worker that dies (a crash, an out-of-memory kill, `kill -9`)
  instead of shutting the whole server down. Screens reconnect by themselves; state lives in
  Redis (or, with one worker, is rebuilt from the database on reconnect).
- `CLOSEOUT_SERVE_BUILT=1` serves the frontend already built in `.web/build` instead of
  compiling and building it again (a minute of two cores): the test runner builds once per
  `make test` and every app of the run is served from that build, and several hosts can
  serve one build. The build knows the port it was made for (Reflex writes the event URL into
  it, with `localhost`, which the page replaces by its own host name), so the port must be the
  one of the build: anything else is refused. Several apps may serve it at once on one port
  from different addresses (`--backend-host 127.0.0.2`): the port is then not checked for
  other listeners first, the server's bind says whether it is free.
- `CLOSEOUT_BUILD_ONLY=1` builds the frontend for the given port and exits."""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import granian.server
from reflex.reflex import cli

WEB = Path(".web")


class RespawningServer(granian.server.Server):
    def __init__(self, *args, respawn_failed_workers: bool = True, **kwargs):
        super().__init__(*args, respawn_failed_workers=respawn_failed_workers, **kwargs)


def built_port() -> int | None:
    """The port the frontend in .web/build was built for, or None when there is no build."""
    if not (WEB / "build" / "client" / "index.html").exists():
        return None
    try:
        event_url = json.loads((WEB / "env.json").read_text())["EVENT"]
    except (OSError, ValueError, KeyError):
        return None
    return urlsplit(event_url).port


def serve_the_existing_build(port: int) -> None:
    """Skip Reflex's compile and frontend build; refuse a build made for another port."""
    import reflex.reflex
    from reflex.utils import build

    if built_port() != port:
        sys.exit(f"CLOSEOUT_SERVE_BUILT: .web/build was built for port {built_port()}, not {port}: build it again")
    reflex.reflex._compile_app = lambda **_: None
    build.setup_frontend_prod = lambda *_args, **_kwargs: None


def build_only() -> None:
    """Compile and build as `run --env prod` does, then stop instead of serving."""
    from reflex.utils import exec as reflex_exec

    reflex_exec.run_backend_prod = lambda *_args, **_kwargs: None


def bind_where_told() -> None:
    """Reflex checks that nothing listens on the port at any address; with a host given, the
    bind to that host decides."""
    from reflex.utils import processes

    processes.handle_port = lambda service_name, port, auto_increment: port


def _requested_port(argv: list[str]) -> int | None:
    for flag in ("--frontend-port", "--backend-port"):
        if flag in argv:
            return int(argv[argv.index(flag) + 1])
    return None


# Reflex imports the class when it starts the backend, after this module has run.
granian.server.Server = RespawningServer

if __name__ == "__main__":
    if os.environ.get("CLOSEOUT_SERVE_BUILT") == "1":
        serve_the_existing_build(_requested_port(sys.argv) or 3000)
    if os.environ.get("CLOSEOUT_BUILD_ONLY") == "1":
        build_only()
    if "--backend-host" in sys.argv:
        bind_where_told()
    sys.exit(cli())
