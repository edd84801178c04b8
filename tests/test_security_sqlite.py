"""SQLite is set up for readers and writers at once: WAL, a busy timeout, IMMEDIATE transactions.

The test database lives in memory, where none of this applies, so each test
opens the site's own connection settings on a database file of its own.
"""

import copy
from contextlib import contextmanager

import pytest
from django.db import OperationalError, connections, transaction
from django.db.utils import load_backend

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "sqlite", reason="SQLite settings only"
)


@pytest.fixture(autouse=True)
def own_database_files(django_db_blocker):
    """These tests open database files of their own, not the test database."""
    with django_db_blocker.unblock():
        yield


@contextmanager
def file_connection(path, alias, **options):
    """A connection named `alias`, with the site's settings, to the SQLite file at `path`."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["NAME"] = str(path)
    settings_dict["OPTIONS"] = {**settings_dict["OPTIONS"], **options}
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=alias)
    connections[alias] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[alias]


def pragma(connection, name):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


def test_a_file_database_is_in_wal_mode_with_a_busy_timeout(tmp_path):
    with file_connection(tmp_path / "newsroom.sqlite3", "wal-check") as connection:
        assert pragma(connection, "journal_mode") == "wal"
        assert pragma(connection, "busy_timeout") == 20_000
        assert pragma(connection, "synchronous") == 1  # NORMAL: safe with WAL


def test_readers_read_while_a_writer_holds_its_transaction(tmp_path):
    path = tmp_path / "newsroom.sqlite3"
    with file_connection(path, "writer") as writer, file_connection(path, "reader") as reader:
        with writer.cursor() as cursor:
            cursor.execute("CREATE TABLE story (headline TEXT)")
            cursor.execute("INSERT INTO story VALUES ('First')")
        with transaction.atomic(using="writer"):
            with writer.cursor() as cursor:
                cursor.execute("UPDATE story SET headline = 'Second'")
            # Not yet committed: the reader sees the last committed state, without waiting.
            with reader.cursor() as cursor:
                cursor.execute("SELECT headline FROM story")
                assert cursor.fetchone() == ("First",)
        with reader.cursor() as cursor:
            cursor.execute("SELECT headline FROM story")
            assert cursor.fetchone() == ("Second",)


def test_a_transaction_takes_the_write_lock_when_it_begins(tmp_path):
    # IMMEDIATE: a second writer waits at BEGIN (here it gives up after a short
    # timeout) before it has read anything, instead of failing halfway through
    # a save when it tries to turn a read lock into a write lock.
    path = tmp_path / "newsroom.sqlite3"
    with file_connection(path, "first"), file_connection(path, "second", timeout=0.2):
        with (
            transaction.atomic(using="first"),
            pytest.raises(OperationalError, match="locked"),
            transaction.atomic(using="second"),
        ):
            pass
        with transaction.atomic(using="second"):
            pass
