"""Behind the reverse proxy, failed logins are counted per client, not per proxy.

Settings are read once at start-up, so the behind-proxy tests override exactly the
settings that DJANGO_BEHIND_PROXY=1 sets; a last test checks that the variable sets
those and nothing else changes without it.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

PASSWORD = "correct horse battery staple"
PROXY = "127.0.0.1"  # gunicorn listens on loopback; every request comes from the proxy

# What DJANGO_BEHIND_PROXY=1 sets (cooperation/settings.py).
BEHIND_PROXY = {
    "AXES_IPWARE_META_PRECEDENCE_ORDER": ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
    "AXES_IPWARE_PROXY_ORDER": "left-most",
    "AXES_IPWARE_PROXY_COUNT": 0,
    "IPWARE_STRICT": False,
}
DIRECT = {"AXES_IPWARE_META_PRECEDENCE_ORDER": ["REMOTE_ADDR"]}


def attempt(client, password, username="analyst"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def through_proxy(forwarded_for):
    """A browser behind the proxy: the proxy appends the address it saw to the header."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def lock_out(client):
    for _ in range(5):
        response = attempt(client, "wrong")
    assert response.status_code == 429


@pytest.fixture
def behind_proxy(settings):
    for name, value in BEHIND_PROXY.items():
        setattr(settings, name, value)


def test_behind_the_proxy_one_client_is_locked_and_another_still_logs_in(behind_proxy, analyst):
    lock_out(through_proxy("203.0.113.5"))
    assert attempt(through_proxy("203.0.113.5"), PASSWORD).status_code == 429
    response = attempt(through_proxy("198.51.100.7"), PASSWORD)
    assert response.status_code == 302 and response.url == "/"


def test_behind_the_proxy_failures_are_recorded_under_the_client_address(behind_proxy, analyst):
    from axes.models import AccessAttempt

    attempt(through_proxy("203.0.113.5"), "wrong")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]


def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lock(behind_proxy, analyst):
    # The client sends its own X-Forwarded-For; the proxy appends the real address,
    # so only the last entry is the proxy's word.
    for forged in ("1.1.1.1", "8.8.8.8", "9.9.9.9", "not-an-address", "2.2.2.2"):
        attempt(through_proxy(f"{forged}, 203.0.113.5"), "wrong")
    assert attempt(through_proxy("4.4.4.4, 203.0.113.5"), PASSWORD).status_code == 429
    assert attempt(through_proxy("203.0.113.5"), PASSWORD).status_code == 429


def test_without_the_setting_a_forged_forwarded_for_changes_nothing(settings, analyst):
    for name, value in DIRECT.items():
        setattr(settings, name, value)
    for forged in ("1.1.1.1", "8.8.8.8", "9.9.9.9", "5.5.5.5", "2.2.2.2"):
        attempt(Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forged), "wrong")
    forging = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="4.4.4.4")
    assert attempt(forging, PASSWORD).status_code == 429
    assert attempt(Client(REMOTE_ADDR="10.0.0.99"), PASSWORD).status_code == 302


def settings_read_with(**environ):
    """The proxy settings a fresh process reads with `environ` (development, so no secrets)."""
    names = sorted(BEHIND_PROXY)
    script = (
        "import json, cooperation.settings as s;"
        f"print(json.dumps({{n: getattr(s, n, None) for n in {names!r}}}))"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_BEHIND_PROXY"}
    env.update(DJANGO_DEBUG="1", **environ)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_variable_sets_exactly_the_settings_tested_here():
    assert settings_read_with(DJANGO_BEHIND_PROXY="1") == BEHIND_PROXY
    unset = settings_read_with()
    assert unset["AXES_IPWARE_META_PRECEDENCE_ORDER"] == DIRECT["AXES_IPWARE_META_PRECEDENCE_ORDER"]


def test_the_client_address_is_read_with_django_ipware():
    # Without it django-axes silently falls back to the socket address: the proxy's.
    from axes import helpers

    assert helpers.IPWARE_INSTALLED
