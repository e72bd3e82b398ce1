"""Headers, cookies and production settings that keep out those who should not get in."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from agreements.models import Agreement
from meetings.models import Meeting

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def production_headers(settings):
    """The header settings production runs with (tests run with DJANGO_DEBUG=1)."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True


def every_page():
    agreement = Agreement.objects.first()
    meeting = Meeting.objects.first()
    return [
        "/accounts/login/",
        "/healthz",
        "/agreements/",
        "/agreements/?format=csv",
        f"/agreements/{agreement.pk}/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        "/organizations/",
        "/organizations/sco/",
        "/admin/",
        "/admin/agreements/agreement/",
        f"/admin/agreements/agreement/{agreement.pk}/change/",
        f"/admin/agreements/agreement/{agreement.pk}/history/",
    ]


def test_every_page_sends_the_security_headers(client, tashkent, staff, production_headers):
    anonymous = {"/accounts/login/", "/healthz"}
    responses = {url: client.get(url, secure=True) for url in anonymous}
    client.force_login(staff)
    responses.update(
        {url: client.get(url, secure=True) for url in every_page() if url not in anonymous}
    )
    for url, response in responses.items():
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response["Strict-Transport-Security"] == (
            "max-age=31536000; includeSubDomains; preload"
        ), url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url


def test_our_pages_carry_no_inline_script_or_style(analyst_client, tashkent):
    for url in every_page():
        if url.startswith("/admin/") or "format=" in url or url == "/healthz":
            continue
        html = analyst_client.get(url).text
        assert "<script>" not in html and "<script " not in html, url
        assert " style=" not in html and "<style" not in html, url


def test_cookies_are_secure_httponly_and_samesite(client, staff, production_headers):
    response = client.post(
        "/accounts/login/",
        {"username": "staff", "password": "correct horse battery staple"},
        secure=True,
    )
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 30 * 60
    csrf = client.get("/accounts/login/", secure=True).cookies.get("csrftoken")
    if csrf is not None:
        assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"


def test_production_settings_pass_the_deploy_check_with_no_warning(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        # The settings are checked, not a database: the development one that `make run`
        # fills holds demo accounts, which check --deploy rightly names.
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="tracker.example.org",
        DJANGO_SETTINGS_MODULE="cooperation.settings",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
