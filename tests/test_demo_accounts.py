"""Demo accounts never reach production: they cannot log in there, and
`check --deploy` names any that exist.

The test runner runs with DEBUG off, as production does; development is asked for
explicitly with settings.DEBUG = True.
"""

import os
import secrets
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.checks import run_checks
from django.core.management import call_command

DEMO_PASSWORD = "demo password for the tests"
PASSWORD = "correct horse battery staple"
ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture
def demo_accounts(db, settings, monkeypatch):
    """The accounts `make run` creates, made by its command in development."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)  # else it writes .demo-password
    settings.DEBUG = True
    call_command("demo_accounts", stdout=StringIO())
    settings.DEBUG = False


def log_in(client, username, password, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("username", ["admin", "staff", "analyst"])
def test_a_demo_account_cannot_log_in_with_production_settings(client, demo_accounts, username):
    response = log_in(client, username, DEMO_PASSWORD)
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text
    assert client.get("/agreements/").status_code == 302


def test_a_demo_account_cannot_log_in_to_the_admin_with_production_settings(client, demo_accounts):
    response = log_in(client, "admin", DEMO_PASSWORD, url="/admin/login/")
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


def test_a_demo_account_session_ends_with_production_settings(client, demo_accounts):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="analyst"))
    response = client.get("/agreements/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_normal_account_logs_in_with_production_settings(client, demo_accounts, settings):
    from tests import factories

    factories.UserFactory(username="attache", role="Analysts")
    assert not settings.DEBUG
    response = log_in(client, "attache", PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_demo_accounts_log_in_in_development(client, demo_accounts, settings):
    settings.DEBUG = True
    response = log_in(client, "staff", DEMO_PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def demo_account_warnings():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "cooperation.W001"]


def test_check_deploy_names_the_demo_accounts_that_exist(demo_accounts):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="staff").delete()
    (warning,) = demo_account_warnings()
    assert "admin" in warning.msg and "analyst" in warning.msg
    assert "staff" not in warning.msg


def test_check_deploy_is_silent_without_demo_accounts(analyst, staff, administrator):
    assert demo_account_warnings() == []


def test_the_plain_check_does_not_look_for_demo_accounts(demo_accounts):
    assert [m for m in run_checks() if m.id == "cooperation.W001"] == []


def check_deploy(database_url):
    """`manage.py check --deploy` as .ci/run runs it, with production variables."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
            "DATABASE_URL": database_url,
        },
        capture_output=True,
        text=True,
    )


def test_check_deploy_passes_without_a_database_and_creates_none(tmp_path):
    missing = tmp_path / "cooperation.sqlite3"
    result = check_deploy(f"sqlite:///{missing}")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
    assert not missing.exists()


def test_check_deploy_passes_on_a_database_not_yet_migrated(tmp_path):
    empty = tmp_path / "cooperation.sqlite3"
    empty.touch()
    result = check_deploy(f"sqlite:///{empty}")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_passes_when_the_database_cannot_be_reached():
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    result = check_deploy("postgres://postgres@127.0.0.1:1/cooperation")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_migrating_marks_demo_accounts_made_before_the_mark_and_no_other(
    db, django_user_model, monkeypatch
):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from cooperation.accounts import demo_accounts

    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    # As an older `make run` left them: demo usernames and password, and no mark.
    for username in ("staff", "analyst"):
        django_user_model.objects.create_user(username, password=DEMO_PASSWORD, is_staff=True)
    django_user_model.objects.create_user("admin", password=PASSWORD)  # a real account
    migration = import_module("cooperation.migrations.0005_mark_demo_accounts")
    migration.mark_demo_accounts(apps, connection.schema_editor())
    assert sorted(demo_accounts().values_list("username", flat=True)) == ["analyst", "staff"]


def test_migrating_marks_nothing_where_no_demo_password_is_kept(
    db, django_user_model, monkeypatch, tmp_path
):
    from importlib import import_module

    from django.apps import apps
    from django.db import connection

    from cooperation import accounts

    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    monkeypatch.setattr(accounts, "DEMO_PASSWORD_FILE", tmp_path / ".demo-password")
    django_user_model.objects.create_user("admin", password=DEMO_PASSWORD)
    migration = import_module("cooperation.migrations.0005_mark_demo_accounts")
    migration.mark_demo_accounts(apps, connection.schema_editor())
    assert not accounts.demo_accounts().exists()
