"""CLOSEOUT_DEMO_DATA: on by default (make run, the tests and the demos rely on the demo data);
off, `python -m closeout.seed` loads nothing into an empty database and says so."""

import sys

import pytest
from sqlmodel import SQLModel, create_engine

from closeout import settings
from closeout.seed import DEMO_DATA_OFF
from closeout.tools.backup import tables_with_rows
from tests.harness import run_cli


@pytest.mark.parametrize(("value", "on"), [(None, True), ("on", True), ("", True), ("yes", True),
                                           ("off", False), (" OFF ", False), ("0", False), ("false", False), ("no", False)])  # fmt: skip
def test_the_switch_is_on_unless_turned_off(monkeypatch, value, on):
    if value is None:
        monkeypatch.delenv("CLOSEOUT_DEMO_DATA", raising=False)
    else:
        monkeypatch.setenv("CLOSEOUT_DEMO_DATA", value)
    assert settings.demo_data_on() is on


def test_off_the_seed_command_leaves_an_empty_database_empty(tmp_path):
    url = f"sqlite:///{tmp_path}/live.db"
    engine = create_engine(url)
    SQLModel.metadata.create_all(engine)  # every table of the app, no rows
    engine.dispose()
    said = run_cli(sys.executable, "-m", "closeout.seed", env={"REFLEX_DB_URL": url, "CLOSEOUT_DEMO_DATA": "off"})
    assert DEMO_DATA_OFF in said and "create-manager" in said
    assert tables_with_rows(url) == []
