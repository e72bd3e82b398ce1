"""DJANGO_EMAIL_URL: one URL for the mail server, read into Django's settings."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from cooperation.settings import env_email_url


def read(monkeypatch, value):
    monkeypatch.setenv("DJANGO_EMAIL_URL", value)
    return env_email_url("DJANGO_EMAIL_URL")


def test_unset_means_no_mail_server(monkeypatch):
    assert read(monkeypatch, "") == {}


def test_smtp_uses_starttls_on_587_by_default(monkeypatch):
    mail = read(monkeypatch, "smtp://tracker%40embassy.example:s%3Acret@mail.example.org")
    assert mail["EMAIL_HOST"] == "mail.example.org"
    assert mail["EMAIL_PORT"] == 587
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == (
        "tracker@embassy.example",
        "s:cret",
    )
    assert mail["EMAIL_USE_TLS"] and not mail["EMAIL_USE_SSL"]


def test_smtps_uses_tls_from_the_start_on_465(monkeypatch):
    mail = read(monkeypatch, "smtps://user:pass@mail.example.org")
    assert mail["EMAIL_PORT"] == 465
    assert mail["EMAIL_USE_SSL"] and not mail["EMAIL_USE_TLS"]


def test_a_password_is_never_sent_in_clear_even_on_port_25(monkeypatch):
    assert read(monkeypatch, "smtp://user:pass@relay.example.org:25")["EMAIL_USE_TLS"]
    # A relay that asks no password may do without TLS.
    assert not read(monkeypatch, "smtp://localhost:25")["EMAIL_USE_TLS"]


@pytest.mark.parametrize(
    "value",
    ["http://user:topsecret@mail.example.org", "smtp://", "smtp://user:topsecret@host:port"],
)
def test_a_bad_url_stops_the_site_without_showing_the_password(monkeypatch, value):
    with pytest.raises(ImproperlyConfigured) as refused:
        read(monkeypatch, value)
    assert "DJANGO_EMAIL_URL" in str(refused.value)
    assert "topsecret" not in str(refused.value)
