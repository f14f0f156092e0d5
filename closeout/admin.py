"""`python -m closeout.admin`: the operator's commands, run in the project folder on the server,
against the configured database (REFLEX_DB_URL, else rxconfig.py's SQLite file).

  create-manager --email E --name N   a manager account; the password is asked twice, never
                                      taken from the command line or the environment
  backup FILE [--force]               a consistent copy, safe while the app runs
  restore FILE [--force]              into the configured database; one holding data is
                                      replaced only with --force (stop the app first)

Exit status 0 when done, 1 when refused (the reason on stderr), 2 for a usage error.
"""

import argparse
import getpass
import sys
from pathlib import Path

from reflex_base.config import get_config

from . import settings
from .domain.accounts import check_password
from .domain.errors import DomainError
from .services import accounts
from .services.db import DatabaseUnavailable
from .tools.backup import BackupError, backup, restore


def _create_manager(args: argparse.Namespace) -> str:
    email, name = accounts.new_manager_details(args.email, args.name)
    password = check_password(getpass.getpass(f"Password for {email}: "), email, name, settings.seller_name())  # say so before the repeat
    if getpass.getpass("Repeat the password: ") != password:
        raise DomainError("The two passwords differ; nothing was created.")
    manager = accounts.create_manager(email, name, password)
    return f"Manager {manager.name} <{manager.email}> created; they can sign in at /login."


def _backup(args: argparse.Namespace) -> str:
    return f"Backup written to {backup(get_config().db_url, args.file, force=args.force)}."


def _restore(args: argparse.Namespace) -> str:
    restore(args.file, get_config().db_url, force=args.force)
    return f"Restored {args.file}. Run `reflex db migrate` before starting the app if the backup is from an older version."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m closeout.admin", description="Closeout's operator commands.")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-manager", help="create a manager account (password prompted)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.set_defaults(run=_create_manager)
    for name, run, help_text in (("backup", _backup, "copy the configured database into FILE"),
                                 ("restore", _restore, "restore FILE into the configured database")):  # fmt: skip
        command = commands.add_parser(name, help=help_text)
        command.add_argument("file", type=Path)
        command.add_argument("--force", action="store_true", help="replace an existing file / a database holding data")
        command.set_defaults(run=run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        print(args.run(args))
        return 0
    except DomainError as refusal:
        print(f"Refused: {refusal.message}", file=sys.stderr)
    except BackupError as failure:
        print(f"Failed: {failure}", file=sys.stderr)
    except DatabaseUnavailable:
        print(f"Failed: {DatabaseUnavailable.message} (is it migrated? run `reflex db migrate`)", file=sys.stderr)
    except (KeyboardInterrupt, EOFError):
        print("\nCancelled; nothing was created.", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
