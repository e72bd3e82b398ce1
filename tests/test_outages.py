"""A database that cannot be reached gets a short 503 page, and the site recovers by itself."""

import json
import urllib.error
import urllib.request

import pytest
from django.db import OperationalError, connection
from django.db.models.query import QuerySet

from tests import factories


def fail_every_query(monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(QuerySet, "_fetch_all", unreachable)


@pytest.mark.parametrize("url", ["/agreements/", "/meetings/", "/organizations/", "/admin/"])
def test_an_unreachable_database_gives_a_short_503_with_retry_after(client, db, monkeypatch, url):
    client.raise_request_exception = False
    client.force_login(factories.staff())
    with monkeypatch.context() as patched:
        fail_every_query(patched)
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "unavailable for a moment" in response.text
    assert "5432" not in response.text and "SELECT" not in response.text
    assert "Traceback" not in response.text


def test_other_errors_stay_500_without_details(client, db, monkeypatch):
    client.raise_request_exception = False
    client.force_login(factories.analyst())

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    with monkeypatch.context() as patched:
        patched.setattr(QuerySet, "_fetch_all", broken)
        response = client.get("/agreements/")
    assert response.status_code == 500
    assert "a bug" not in response.text


def test_the_site_recovers_when_the_database_is_back(client, db, monkeypatch):
    client.raise_request_exception = False
    client.force_login(factories.analyst())
    with monkeypatch.context() as patched:
        fail_every_query(patched)
        assert client.get("/agreements/").status_code == 503
    assert client.get("/agreements/").status_code == 200


def fetch(url, cookie=""):
    """(status, body) of a GET, also for error statuses."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="cuts a real PostgreSQL connection")
@pytest.mark.django_db(transaction=True)
def test_a_real_cut_connection_gives_503_then_recovers(live_server, client):
    """Cut the site's connections and refuse new ones; then let them back in."""
    import psycopg2

    client.force_login(factories.analyst())
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    page = f"{live_server.url}/agreements/"
    health = f"{live_server.url}/healthz"
    assert fetch(page, cookie)[0] == 200

    name = connection.settings_dict["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"] or "127.0.0.1",
        port=connection.settings_dict["PORT"] or 5432,
    )
    admin.autocommit = True
    ours = connection.connection.info.backend_pid
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [name, ours],
            )
        status, body = fetch(page, cookie)
        assert status == 503 and "unavailable for a moment" in body
        assert "psycopg2" not in body and "SELECT" not in body
        status, body = fetch(health)
        assert status == 503 and json.loads(body)["database"] == "unavailable"
        # A signed-in browser too, whose session cannot be read.
        status, body = fetch(health, cookie)
        assert status == 503 and json.loads(body)["database"] == "unavailable"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        admin.close()
    assert fetch(health)[0] == 200
    assert fetch(page, cookie)[0] == 200
