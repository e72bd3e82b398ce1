"""Log in, /healthz, the front door, the roles and the settings that guard them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connection
from django.urls import reverse

from cooperation.roles import ANALYSTS, EMBASSY_STAFF

ROOT = Path(__file__).resolve().parent.parent


def test_the_login_page_is_ours_and_open_to_anyone(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Cooperation Tracker" in response.text
    assert 'name="username"' in response.text and 'name="password"' in response.text
    (login_template,) = [t for t in response.templates if t.name == "registration/login.html"]
    assert Path(login_template.origin.name) == ROOT / "templates" / "registration" / "login.html"


def test_a_wrong_password_says_so_without_saying_which_part_is_wrong(client, analyst):
    response = client.post("/accounts/login/", {"username": "analyst", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_logging_in_leads_somewhere_useful(client, analyst):
    response = client.post(
        "/accounts/login/",
        {"username": "analyst", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == reverse("agreements:agreement_list")


def test_logging_out_ends_the_session(analyst_client):
    response = analyst_client.post("/accounts/logout/")
    assert response.status_code == 302
    assert analyst_client.get("/").status_code == 302
    assert analyst_client.get("/").url.startswith("/accounts/login/")


@pytest.mark.parametrize("path", ["/", "/admin/", "/admin/agreements/agreement/"])
def test_it_sends_anonymous_users_to_a_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "login" in response.url


def test_healthz_says_alive_and_ready_without_a_login(client, db, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"alive": True, "database": "ready"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_not_ready_when_the_database_cannot_be_reached(client, db, monkeypatch):
    def unreachable():
        raise OperationalError("could not connect to server")

    with monkeypatch.context() as patched:
        patched.setattr(connection, "cursor", unreachable)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"alive": True, "database": "unavailable"}
    assert "could not connect" not in response.text


def test_the_roles_are_created_by_migrate_with_their_permissions(db):
    analysts = set(Group.objects.get(name=ANALYSTS).permissions.values_list("codename", flat=True))
    staff = set(
        Group.objects.get(name=EMBASSY_STAFF).permissions.values_list("codename", flat=True)
    )
    assert "view_agreement" in analysts and "view_membership" in analysts
    assert all(codename.startswith("view_") for codename in analysts)
    assert {"add_meeting", "change_meeting", "add_followup", "change_agreementevent"} <= staff
    assert not any(codename.startswith("delete_") for codename in staff)
    assert {c.replace("view_", "") for c in analysts} == {
        c.replace("add_", "") for c in staff if c.startswith("add_")
    }


def run_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cooperation.settings", **env},
        capture_output=True,
        text=True,
    )


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_settings(DJANGO_ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_start_with_both():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="tracker.example.org")
    assert result.returncode == 0, result.stderr


def test_a_debug_flag_that_is_not_a_boolean_is_refused():
    result = run_settings(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr
