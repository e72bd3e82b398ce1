"""/healthz answers a load balancer's probe in JSON, whoever asks and however the database is."""

import json
from contextlib import contextmanager

from django.db import OperationalError, connection

from tests import factories


@contextmanager
def database_unreachable():
    """Every query fails as with a cut connection: the session's, the user's, the probe's."""

    def unreachable(execute, sql, params, many, context):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with connection.execute_wrapper(unreachable):
        yield


def test_the_probe_answers_ready_in_json(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"alive": True, "database": "ready"}


def test_during_an_outage_the_probe_answers_json_503_with_retry_after(client, db):
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"alive": True, "database": "unavailable"}
    assert response["Retry-After"] == "30"


def test_a_signed_in_browser_gets_the_probes_json_during_an_outage(client, db):
    client.raise_request_exception = False
    client.force_login(factories.staff())
    with database_unreachable():
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"alive": True, "database": "unavailable"}
    assert response["Retry-After"] == "30"


def test_the_probe_reads_no_session_and_no_user(client, db, django_assert_num_queries):
    client.force_login(factories.analyst())
    with django_assert_num_queries(1):  # its own SELECT 1
        response = client.get("/healthz")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_with_production_redirects_the_probe_answers_over_plain_http(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/agreements/").status_code == 301  # every page goes to HTTPS
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ready"


def test_the_probe_only_answers_get_and_head(client, db):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
