"""The admin stays usable as the tables grow: no form lists a growing table in a select."""

import re

import pytest
from django.contrib import admin

from agreements.models import Agreement
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import admin_url

MANY = 120


@pytest.fixture
def many_of_everything(tashkent):
    for number in range(MANY):
        organization = factories.OrganizationFactory()
        person = factories.PersonFactory()
        factories.PositionFactory(organization=organization, holder=person)
        factories.MeetingFactory()
        factories.AgreementFactory()
        factories.TopicFactory()
        factories.SourceFactory(title=f"Cable {number}", slug=f"cable-{number}")


def select_sizes(html):
    """The number of options in each <select> of a page."""
    return [
        (re.search(r'name="([^"]+)"', select).group(1), select.count("<option"))
        for select in re.findall(r"<select\b.*?</select>", html, flags=re.S)
    ]


def domain_admins():
    return [
        model
        for model in admin.site._registry
        if model._meta.app_label in {"cooperation", "meetings", "agreements"}
    ]


@pytest.mark.parametrize("model", domain_admins(), ids=lambda model: model.__name__)
def test_no_form_renders_a_select_of_more_than_100_options(client, many_of_everything, model):
    client.force_login(factories.administrator())
    record = model._base_manager.order_by("pk").first()
    for url in (admin_url(model, "add"), admin_url(model, "change", record.pk)):
        response = client.get(url)
        assert response.status_code == 200, url
        too_long = [(name, size) for name, size in select_sizes(response.text) if size > 100]
        assert not too_long, f"{url}: {too_long}"


@pytest.mark.parametrize("model", [Agreement, Meeting], ids=lambda model: model.__name__)
def test_a_filtered_list_does_not_count_the_whole_table(client, many_of_everything, model):
    client.force_login(factories.staff())
    response = client.get(admin_url(model, "changelist"), {"q": "1"})
    assert response.status_code == 200
    assert response.context["cl"].show_full_result_count is False
