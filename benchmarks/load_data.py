"""The load benchmark's reps, made in a subprocess against REFLEX_DB_URL: one rep account,
one open case of `lines` device lines and one session each, printed as JSON."""

import json
import sys

from sqlmodel import select

from closeout.models import User
from closeout.services.db import transaction
from tests.factories import actor_for_email, new_case, new_session


def main(reps: int, lines: int) -> None:
    emails = [f"load.rep{i:02d}@closeout.example" for i in range(reps)]
    with transaction() as session:
        known = set(session.exec(select(User.email).where(User.email.in_(emails))).all())
        session.add_all(User(name=f"Load Rep {i:02d}", email=email) for i, email in enumerate(emails) if email not in known)
    reps_out = [
        {"email": email, "case": new_case(lines=lines, rep_email=email), "token": new_session(actor_for_email(email))}
        for email in emails
    ]
    print(json.dumps(reps_out))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
