"""`python -m closeout.serve run --env prod ...`: Reflex's own CLI, with one change to its
production server: Granian respawns a backend worker that dies (a crash, an out-of-memory
kill, `kill -9`) instead of shutting the whole server down. Screens reconnect by themselves;
state lives in Redis (or, with one worker, is rebuilt from the database on reconnect)."""

import sys

import granian.server
from reflex.reflex import cli


class RespawningServer(granian.server.Server):
    def __init__(self, *args, respawn_failed_workers: bool = True, **kwargs):
        super().__init__(*args, respawn_failed_workers=respawn_failed_workers, **kwargs)


# Reflex imports the class when it starts the backend, after this module has run.
granian.server.Server = RespawningServer

if __name__ == "__main__":
    sys.exit(cli())
