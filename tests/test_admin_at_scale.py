"""The admin stays usable as the tables grow: no form lists a growing table in a select."""

import re

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, AgreementEvent
from cooperation.admin_base import RowSearchBox
from cooperation.models import Country, Organization, Person, Position
from meetings.models import Meeting, Participant
from tests import factories
from tests.admin_forms import admin_url, form_values

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
    factories.DecisionFactory()  # the report records none, and each page needs one


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


def meeting_with_delegates(count):
    """A meeting with `count` participants, each with a person, a post and a source."""
    meeting = factories.MeetingFactory()
    for _ in range(count):
        delegation = factories.OrganizationFactory()
        person = factories.PersonFactory()
        factories.ParticipantFactory(
            meeting=meeting,
            person=person,
            position=factories.PositionFactory(organization=delegation, holder=person),
            organization=delegation,
            source=factories.SourceFactory(),
        )
    return meeting


def organization_with_rows(count):
    """An organization with `count` other names and `count` memberships."""
    organization = factories.OrganizationFactory()
    for member in Country.objects.order_by("code")[:count]:
        factories.OrganizationNameFactory(organization=organization)
        factories.MembershipFactory(
            organization=organization, country=member, source=factories.SourceFactory()
        )
    return organization


def agreement_with_rows(count):
    """An agreement with `count` parties, events at meetings and follow-ups."""
    agreement = factories.AgreementFactory()
    for number in range(count):
        party = factories.OrganizationFactory()
        factories.AgreementPartyFactory(agreement=agreement, organization=party)
        meeting = factories.MeetingFactory(date=f"{2000 + number}")
        agreement.record_event(AgreementEvent.Kind.PROPOSED, f"{2000 + number}", meeting=meeting)
        factories.FollowUpFactory(
            agreement=agreement,
            meeting=meeting,
            responsible_organization=party,
            responsible_person=factories.PersonFactory(),
            requested_by_organization=factories.OrganizationFactory(),
        )
    return agreement


def person_with_posts(count):
    person = factories.PersonFactory()
    for _ in range(count):
        factories.PositionFactory(holder=person, source=factories.SourceFactory())
    return person


PAGES_WITH_ROWS = {
    Meeting: meeting_with_delegates,
    Organization: organization_with_rows,
    Agreement: agreement_with_rows,
    Person: person_with_posts,
}


@pytest.mark.parametrize("model", PAGES_WITH_ROWS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("role", ["staff", "analyst"])
def test_a_record_page_costs_the_same_queries_for_one_row_and_for_ten(client, db, model, role):
    """Each row's search boxes name their records from what the rows were read with."""
    client.force_login(getattr(factories, role)())
    counts = []
    for size in (1, 10):
        url = admin_url(model, "change", PAGES_WITH_ROWS[model](size).pk)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_row_search_box_names_the_saved_choice_and_a_new_one(staff_client):
    meeting = meeting_with_delegates(1)
    participant = meeting.participants.get()
    url = admin_url(Meeting, "change", meeting.pk)
    page = staff_client.get(url).text
    post = participant.position
    assert f'<option value="{post.pk}" selected>{post}</option>' in page
    assert f'<option value="{participant.person.pk}" selected>{participant.person}</option>' in page

    # Sent back with another person and a missing title: the page comes back with the
    # errors, and the box names the person just chosen, not the one saved.
    other = factories.PersonFactory(name="Someone Else")
    data = form_values(staff_client.get(url))
    data["participants-0-person"] = str(other.pk)
    data["title"] = ""
    page = staff_client.post(url, data).text
    assert f'<option value="{other.pk}" selected>Someone Else</option>' in page


@pytest.mark.parametrize("required", [True, False])
def test_a_row_search_box_draws_what_djangos_own_box_draws(db, required):
    post = factories.PositionFactory()
    field = Participant._meta.get_field("position")
    ours, theirs = (
        forms.ModelChoiceField(Position.objects.all(), widget=box, required=required).widget
        for box in (RowSearchBox(field, admin.site), AutocompleteSelect(field, admin.site))
    )
    ours.chosen = post
    for value in (post.pk, None):
        assert ours.render("position", value) == theirs.render("position", value)


def test_a_participants_organization_may_be_cleared_to_take_the_posts(staff_client):
    meeting = meeting_with_delegates(1)
    page = staff_client.get(admin_url(Meeting, "change", meeting.pk)).text
    box = re.search(r'<select name="participants-0-organization".*?</select>', page, re.S)[0]
    assert 'data-allow-clear="true"' in box
    assert '<option value=""></option>' in box
