"""A backup made as the README says restores, as the README says, with nothing lost.

The README's commands, run for real: `pg_dump --format=custom` of the test database,
then `pg_restore --clean --if-exists` into a scratch database, once fresh and once
over itself; every table (history included) and every sequence must come back the same.
"""

import os
import shutil
import subprocess

import psycopg2
import pytest
from django.db import connection

from agreements.models import Agreement, FollowUp

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="pg_dump and pg_restore back up PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),  # committed, so that pg_dump sees it
]


def client_environment():
    """The test database's server and user, as PostgreSQL's own tools read them."""
    settings = connection.settings_dict
    env = {**os.environ, "PGHOST": settings["HOST"] or "127.0.0.1"}
    env["PGPORT"] = str(settings["PORT"] or 5432)
    env["PGUSER"] = settings["USER"] or "postgres"
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def server(dbname):
    settings = connection.settings_dict
    return psycopg2.connect(
        dbname=dbname,
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=settings["USER"] or "postgres",
        password=settings["PASSWORD"] or None,
    )


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restored"
    admin = server("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def contents(cursor):
    """Every table's rows and every sequence's position in the public schema."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [table for (table,) in cursor.fetchall()]
    cursor.execute(
        "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' "
        "ORDER BY sequencename"
    )
    found = {"sequences": cursor.fetchall()}
    for table in tables:
        # Each row as PostgreSQL writes it: every column type has a text form, and it
        # reads the same through Django's cursor and a plain one.
        cursor.execute(f'SELECT row::text FROM "{table}" AS row ORDER BY 1')
        found[table] = cursor.fetchall()
    return found


def edit_the_records():
    """Changes and a deletion on top of the loaded records, so history has more rows."""
    agreement = Agreement.objects.order_by("pk").first()
    agreement.title = f"{agreement.title} (revised)"
    agreement.save()
    follow_up = FollowUp.objects.order_by("pk").first()
    follow_up.delete()


def test_a_dump_restores_cleanly_with_every_table_and_its_history_identical(
    tashkent, scratch_database, tmp_path
):
    assert shutil.which("pg_dump") and shutil.which("pg_restore")
    edit_the_records()
    dump = tmp_path / "cooperation.dump"
    env = client_environment()
    with dump.open("wb") as out:
        subprocess.run(
            ["pg_dump", "--format=custom", connection.settings_dict["NAME"]],
            stdout=out,
            env=env,
            check=True,
        )
    with connection.cursor() as cursor:
        original = contents(cursor)
    assert Agreement.history.filter(history_type="~").exists()
    assert FollowUp.history.filter(history_type="-").exists()

    # Into a fresh database, then over the restored one, as a nightly restore would.
    for _ in ("fresh", "over itself"):
        restore = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--dbname", scratch_database, str(dump)],
            env=env,
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stderr
        assert restore.stderr == ""
        restored = server(scratch_database)
        try:
            with restored.cursor() as cursor:
                assert contents(cursor) == original
        finally:
            restored.close()
