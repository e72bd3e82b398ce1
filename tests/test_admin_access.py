"""Who may open what in the admin: each role, every model, and visitors who are not logged in."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse

from meetings.models import Meeting
from tests import factories
from tests.admin_forms import admin_url
from tests.admin_records import DOMAIN, KIND, label

# What each role gets for (list, add page, change page), and whether it may save.
ACCESS = {
    "analyst": {
        "domain": (200, 403, 200, False),
        "reference": (200, 403, 200, False),
        "accounts": (403, 403, 403, False),
        "login records": (403, 403, 403, False),
    },
    "staff": {
        "domain": (200, 200, 200, True),
        "reference": (200, 403, 200, False),
        "accounts": (403, 403, 403, False),
        "login records": (403, 403, 403, False),
    },
    "administrator": {
        "domain": (200, 200, 200, True),
        "reference": (200, 200, 200, True),
        "accounts": (200, 200, 200, True),
        "login records": (200, 403, 200, True),  # every field read-only all the same
    },
}


REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def some_record(model):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, (
        f"No {label(model)} to open: add one to fixtures/tashkent_2013.json or build one here."
    )
    return record


@pytest.fixture
def one_of_everything(tashkent, analyst):
    """A record of every model in the admin: the report's, and what logins leave behind."""
    visit = {"username": "stranger", "ip_address": "127.0.0.1", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**visit, failures_since_start=1)
    AccessFailureLog.objects.create(**visit)
    AccessLog.objects.create(**visit)
    factories.DecisionFactory()  # the report states no decision


def test_every_model_in_the_admin_has_known_access_rules():
    assert set(admin.site._registry) == set(KIND)


@pytest.mark.parametrize("model", REGISTERED, ids=label)
@pytest.mark.parametrize("role", list(ACCESS))
def test_each_role_opens_what_it_may_and_saves_only_what_it_may(
    client, one_of_everything, role, model
):
    user = {"analyst": factories.analyst, "staff": factories.staff}.get(
        role, factories.administrator
    )()
    client.force_login(user)
    record = some_record(model)
    expected = ACCESS[role][KIND[model]]
    changelist = client.get(admin_url(model, "changelist"))
    add = client.get(admin_url(model, "add"))
    change = client.get(admin_url(model, "change", record.pk))
    assert (changelist.status_code, add.status_code, change.status_code) == expected[:3]
    may_save = expected[3]
    if change.status_code == 200:
        assert ('name="_save"' in change.text) == may_save
    if not may_save:
        refused = client.post(admin_url(model, "change", record.pk), {"title": "Changed"})
        assert refused.status_code == 403


@pytest.mark.parametrize("model", REGISTERED, ids=label)
def test_anonymous_visitors_are_sent_to_the_login_page_from_every_admin_page(
    client, one_of_everything, model
):
    record = some_record(model)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", record.pk),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        # LoginRequiredMiddleware sends them to the site's one login page, not the admin's.
        assert response.url == f"{reverse('login')}?next={url}"


def test_logging_in_from_an_admin_page_leads_back_to_it(client, staff):
    url = admin_url(Meeting, "add")
    login = client.get(url, follow=True)
    assert login.status_code == 200
    response = client.post(
        login.redirect_chain[-1][0],
        {"username": "staff", "password": "correct horse battery staple"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert response.status_code == 200
    assert "Add meeting" in response.text


def test_every_record_of_the_tashkent_report_opens_for_staff(staff_client, tashkent):
    opened = 0
    for model in sorted(DOMAIN, key=label):
        for record in model._default_manager.all():
            response = staff_client.get(admin_url(model, "change", record.pk))
            assert response.status_code == 200, f"{label(model)} {record}"
            opened += 1
    assert opened > 60
