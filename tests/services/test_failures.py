"""Failures the rep did not cause: a clear message, and no values in the log."""

import logging

import sqlalchemy.exc

from closeout.failures import DB_DOWN, GENERIC, on_backend_error


def raised(error: Exception) -> Exception:
    try:
        raise error
    except Exception as caught:
        return caught


def test_an_unreachable_database_says_so_and_that_nothing_was_saved(caplog):
    error = raised(sqlalchemy.exc.OperationalError("INSERT ... PT-4821", {"patient_ref": "PT-4821"}, ConnectionRefusedError()))
    caplog.set_level(logging.ERROR)
    toast = on_backend_error(error)
    assert DB_DOWN in str(toast)
    assert "OperationalError" in caplog.text and "PT-4821" not in caplog.text


def test_anything_else_is_a_generic_failure_and_logged():
    assert GENERIC in str(on_backend_error(raised(KeyError("secret"))))
