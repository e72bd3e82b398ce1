"""Brute force is stopped per username and address; sessions end when they should."""

import time

import pytest
from django.test import Client

PASSWORD = "correct horse battery staple"


def attempt(client, password, username="analyst"):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.fixture
def office():
    return Client(REMOTE_ADDR="10.0.0.5")


@pytest.fixture
def elsewhere():
    return Client(REMOTE_ADDR="10.0.0.99")


def test_five_failures_lock_the_username_from_that_address_with_a_clear_429(office, analyst):
    for _ in range(4):
        assert attempt(office, "wrong").status_code == 200
    locked = attempt(office, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.text
    assert "blocked for 15 minutes" in locked.text
    assert attempt(office, PASSWORD).status_code == 429  # even the right password


def test_the_lock_does_not_shut_the_user_out_from_elsewhere(office, elsewhere, analyst):
    for _ in range(5):
        attempt(office, "wrong")
    response = attempt(elsewhere, PASSWORD)
    assert response.status_code == 302
    assert response.url == "/"


def test_the_lock_does_not_shut_out_other_users_from_that_address(office, analyst, staff):
    for _ in range(5):
        attempt(office, "wrong")
    assert attempt(office, PASSWORD, username="staff").status_code == 302


def test_the_lock_lifts_after_15_minutes(office, analyst, settings):
    for _ in range(5):
        attempt(office, "wrong")
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME)
    assert attempt(office, PASSWORD).status_code == 302


def test_the_admin_login_is_guarded_too(office, analyst):
    for _ in range(5):
        response = office.post("/admin/login/", {"username": "analyst", "password": "wrong"})
    assert response.status_code == 429


def test_a_session_ends_after_30_idle_minutes(client, analyst):
    attempt(client, PASSWORD)
    assert client.cookies["sessionid"]["max-age"] == 30 * 60
    session = client.session
    session.set_expiry(-1)  # as if the 30 minutes had passed since the last request
    session.save()
    assert client.get("/agreements/").status_code == 302


def test_each_request_renews_the_idle_timeout(client, analyst):
    attempt(client, PASSWORD)
    first = client.session.get_expiry_date()
    time.sleep(1.1)
    client.get("/agreements/")
    assert client.session.get_expiry_date() > first


def test_a_session_ends_12_hours_after_login_however_busy(client, analyst):
    attempt(client, PASSWORD)
    assert client.get("/agreements/").status_code == 200
    session = client.session
    session["started_at"] = time.time() - 12 * 3600 - 1
    session.save()
    response = client.get("/agreements/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "after 12 hours" in client.get(response.url).text


def test_logout_ends_the_session_for_good(client, analyst):
    attempt(client, PASSWORD)
    old_key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies["sessionid"] = old_key
    assert replay.get("/agreements/").status_code == 302
