"""Every request does bounded work: free text has limits, and no query outlives its request."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import psycopg2.errors
import pytest
from django.db import OperationalError, connection
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement
from cooperation.database import limit_statement_time, unlimit_statement_time
from cooperation.history import bulk_create_recorded
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="statement timeouts are PostgreSQL's"
)

# Every free-text filter of the site's pages.
FREE_TEXT = [
    ("/agreements/", "q"),
    ("/agreements/", "party"),
    ("/agreements/", "responsible"),
    ("/meetings/", "place"),
    ("/meetings/", "organization"),
    ("/meetings/", "person"),
]


def test_a_search_of_more_than_ten_words_is_refused_saying_the_limits(analyst_client):
    response = analyst_client.get("/agreements/", {"q": " ".join(["word"] * 11)})
    assert response.status_code == 400
    assert "at most 10 words and 300 characters" in response.text
    assert "this has 11 words" in response.text


def test_a_thousand_word_search_is_refused_without_searching(analyst_client):
    with CaptureQueriesContext(connection) as queries:
        response = analyst_client.get("/agreements/", {"q": " ".join(["word"] * 1000)})
    assert response.status_code == 400
    assert "at most 10 words" in response.text
    # The form still lists its choices (the desk officers); nothing is searched for.
    assert not [q["sql"] for q in queries if "word word" in q["sql"]]


def test_a_search_of_ten_words_is_run(analyst_client):
    factories.AgreementFactory(title="MOU one two three four five six seven eight nine")
    response = analyst_client.get(
        "/agreements/", {"q": "mou one two three four five six seven eight nine"}
    )
    assert response.status_code == 200
    assert [row.title for row in response.context["rows"]] == [
        "MOU one two three four five six seven eight nine"
    ]


@pytest.mark.parametrize("path, name", FREE_TEXT)
def test_free_text_longer_than_300_characters_is_refused_saying_the_limit(
    analyst_client, path, name
):
    response = analyst_client.get(path, {name: "x" * 301})
    assert response.status_code == 400
    assert "300 characters: this has 301 characters" in response.text


@pytest.mark.parametrize("path, name", FREE_TEXT)
def test_free_text_of_300_characters_is_read(analyst_client, path, name):
    response = analyst_client.get(path, {name: "x" * 300})
    assert "at most" not in response.text


def cancel_every_query(monkeypatch):
    """As psycopg2 reports a statement cut by statement_timeout, wrapped by Django."""

    def cancelled(*args, **kwargs):
        try:
            raise psycopg2.errors.QueryCanceled("canceling statement due to statement timeout")
        except psycopg2.errors.QueryCanceled as error:
            raise OperationalError(str(error)) from error

    monkeypatch.setattr(QuerySet, "_fetch_all", cancelled)


@pytest.mark.parametrize("url", ["/agreements/?q=mou", "/meetings/", "/admin/"])
def test_a_query_cut_by_the_time_limit_answers_503_saying_to_narrow_the_request(
    client, db, monkeypatch, url
):
    client.raise_request_exception = False
    client.force_login(factories.staff())
    with monkeypatch.context() as patched:
        cancel_every_query(patched)
        response = client.get(url)
    assert response.status_code == 503
    assert "took too long" in response.text
    assert "Narrow the request" in response.text
    assert "unavailable for a moment" not in response.text
    assert "statement timeout" not in response.text and "Traceback" not in response.text


def run_python(code, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_STATEMENT")}
    return subprocess.run(
        [sys.executable, *code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cooperation.settings", **env},
        capture_output=True,
        text=True,
    )


def test_a_statement_timeout_that_is_not_a_number_of_seconds_is_refused():
    result = run_python(["-c", "import django; django.setup()"], DJANGO_STATEMENT_TIMEOUT="soon")
    assert result.returncode != 0
    assert "DJANGO_STATEMENT_TIMEOUT must be a number of seconds" in result.stderr


def database_url_of_the_tests():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
    )


SHOW_TIMEOUT = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_the_web_process_bounds_its_statements_and_commands_do_not():
    url = database_url_of_the_tests()
    web = run_python(
        ["-c", "import cooperation.wsgi\n" + SHOW_TIMEOUT],
        DATABASE_URL=url,
        DJANGO_STATEMENT_TIMEOUT="7",
    )
    assert web.stdout.strip() == "7s", web.stderr
    default = run_python(["-c", "import cooperation.wsgi\n" + SHOW_TIMEOUT], DATABASE_URL=url)
    assert default.stdout.strip() == "10s", default.stderr
    # migrate, load_records…: a command runs to its end.
    command = run_python(
        ["manage.py", "shell", "-c", SHOW_TIMEOUT], DATABASE_URL=url, DJANGO_STATEMENT_TIMEOUT="7"
    )
    assert command.stdout.strip().splitlines()[-1] == "0", command.stderr


def fetch(url, cookie):
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def reconnect_the_site():
    """End the site's connections to the test database: its next request opens a new one."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def queries_running():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT query FROM pg_stat_activity WHERE datname = current_database() "
            "AND state <> 'idle' AND pid <> pg_backend_pid()"
        )
        return [query for (query,) in cursor.fetchall()]


@pytest.fixture
def one_millisecond_per_statement():
    reconnect_the_site()
    limit_statement_time(0.001)
    yield
    unlimit_statement_time()
    reconnect_the_site()


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True)
def test_a_search_cut_by_the_time_limit_answers_503_and_leaves_no_query_running(
    live_server, client, one_millisecond_per_statement
):
    titles = [f"Memorandum {n} on cooperation in sector {n % 97}" for n in range(5000)]
    bulk_create_recorded(Agreement, [Agreement(title=t, kind="mou") for t in titles], reason="test")
    client.force_login(factories.analyst())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    search = "memorandum cooperation sector security trade energy customs health water"

    status, body = fetch(f"{live_server.url}/agreements/?q={search.replace(' ', '+')}", cookie)

    assert status == 503
    assert "took too long" in body
    assert queries_running() == []
