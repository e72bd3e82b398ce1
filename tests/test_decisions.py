"""A membership's or a post's start or end tied to the meeting that decided it: the summit
that admitted a member, the meeting that appointed a director."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from meetings.models import Decision, Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values, new_meeting_data
from tests.factories import country


@pytest.fixture
def summit(db):
    return factories.MeetingFactory(title="Astana summit", date="2017-06-09", city="Astana")


@pytest.fixture
def sco(db):
    return factories.OrganizationFactory(name="Shanghai Cooperation Organization", acronym="SCO")


@pytest.fixture
def india(sco):
    return factories.MembershipFactory(organization=sco, country=country("IN"), start="2017-06-09")


def refusal(decision):
    """The messages full_clean() gives for `decision`, by field."""
    with pytest.raises(ValidationError) as refused:
        decision.full_clean()
    return refused.value.message_dict


# What may be recorded.


def test_a_summit_decides_a_membership_start(summit, india):
    decision = Decision(meeting=summit, membership=india, change=Decision.Change.START)
    decision.full_clean()
    decision.save()
    assert list(india.decisions.all()) == [decision]
    assert str(decision) == "Start of India — member of SCO"


def test_a_meeting_may_decide_a_start_that_comes_later(summit, sco):
    """An appointment decided in June that takes effect on 1 January."""
    post = factories.PositionFactory(organization=sco, start="2018-01-01")
    Decision(meeting=summit, position=post, change=Decision.Change.START).full_clean()


def test_a_year_only_start_agrees_with_a_meeting_that_year(summit, sco):
    member = factories.MembershipFactory(organization=sco, country=country("PK"), start="2017")
    Decision(meeting=summit, membership=member, change=Decision.Change.START).full_clean()


def test_an_end_whose_day_is_unknown_can_be_decided(summit, sco):
    post = factories.PositionFactory(organization=sco, attested="2016", ended=True)
    Decision(meeting=summit, position=post, change=Decision.Change.END).full_clean()


def test_it_names_a_membership_or_a_post_not_both(summit, india, sco):
    post = factories.PositionFactory(organization=sco, start="2017-06-09")
    both = Decision(meeting=summit, membership=india, position=post, change="start")
    neither = Decision(meeting=summit, change="start")
    message = "Name the membership or the post it decided: one of them, not both."
    assert refusal(both)["__all__"] == [message]
    assert refusal(neither)["__all__"] == [message]


def test_a_meeting_cannot_decide_a_start_before_it(sco):
    later = factories.MeetingFactory(title="Later summit", date="2018-06-10")
    member = factories.MembershipFactory(organization=sco, country=country("PK"), start="2017")
    decision = Decision(meeting=later, membership=member, change="start")
    assert refusal(decision)["__all__"] == [
        "This meeting was on 10 June 2018, after the start it decided (2017)."
    ]


def test_a_meeting_cannot_decide_an_end_before_it(sco):
    later = factories.MeetingFactory(title="Later summit", date="2018")
    post = factories.PositionFactory(organization=sco, start="2010", end="2017-12-31")
    decision = Decision(meeting=later, position=post, change="end")
    assert refusal(decision)["__all__"] == [
        "This meeting was in 2018, after the end it decided (31 December 2017)."
    ]


def test_an_end_that_is_not_recorded_cannot_be_decided(summit, india):
    decision = Decision(meeting=summit, membership=india, change="end")
    assert refusal(decision)["change"] == [
        "No end is recorded for this membership: record its end (or mark it as ended) first."
    ]


def test_a_start_that_is_not_recorded_cannot_be_decided(summit, sco):
    post = factories.PositionFactory(organization=sco, attested="2017")
    decision = Decision(meeting=summit, position=post, change="start")
    assert refusal(decision)["change"] == [
        "No start is recorded for this post: record its start first."
    ]


def test_a_change_is_decided_once(summit, india):
    Decision.objects.create(meeting=summit, membership=india, change="start")
    again = factories.MeetingFactory(title="Same day, another room", date="2017-06-09")
    decision = Decision(meeting=again, membership=india, change="start")
    assert refusal(decision)["__all__"] == [
        "A meeting is already recorded as deciding this change of this membership."
    ]


def test_a_meeting_that_decided_something_is_not_deleted_silently(summit, india):
    Decision.objects.create(meeting=summit, membership=india, change="start")
    with pytest.raises(ProtectedError):
        summit.delete()


# The organization's page.


def test_anonymous_users_are_sent_to_log_in(client, summit, india):
    Decision.objects.create(meeting=summit, membership=india, change="start")
    response = client.get(f"/organizations/{india.organization.slug}/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_the_organization_page_says_which_meeting_decided_a_membership_and_a_post(
    client, role, summit, india, sco
):
    director = factories.PositionFactory(
        organization=sco, title="Secretary-General", start="2018-01-01"
    )
    Decision.objects.create(meeting=summit, membership=india, change="start")
    Decision.objects.create(meeting=summit, position=director, change="start")
    client.force_login(getattr(factories, role)())
    response = client.get(f"/organizations/{sco.slug}/?as_of=2017-06-09")
    assert response.status_code == 200
    link = f'decided at <a href="/meetings/{summit.pk}/">9 June 2017 — Astana summit</a>'
    assert response.text.count(link) == 2
    assert f"9 June 2017 – …, start {link}" in response.text
    assert f"1 January 2018 – …, start {link}" in response.text


def test_a_presumed_membership_says_which_meeting_decided_it(analyst_client, summit, india):
    Decision.objects.create(meeting=summit, membership=india, change="start")
    response = analyst_client.get(f"/organizations/{india.organization.slug}/?as_of=2020-01-01")
    assert [m.country.code for m in response.context["by_status"][0].presumed] == ["IN"]
    assert f'start decided at <a href="/meetings/{summit.pk}/">' in response.text


def test_a_page_with_no_decision_says_none(analyst_client, india):
    response = analyst_client.get(f"/organizations/{india.organization.slug}/")
    assert response.status_code == 200
    assert "decided at" not in response.text


# The meeting's page.


@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_the_meeting_page_lists_the_memberships_and_posts_it_decided(
    client, role, summit, india, sco
):
    source = factories.SourceFactory(
        title="Astana declaration", text="The Council admitted India as a member."
    )
    director = factories.PositionFactory(
        organization=sco, title="Secretary-General", start="2018-01-01"
    )
    factories.DecisionFactory(
        meeting=summit,
        membership=india,
        change="start",
        source=source,
        passage="admitted India as a member",
    )
    Decision.objects.create(meeting=summit, position=director, change="start")
    client.force_login(getattr(factories, role)())
    response = client.get(f"/meetings/{summit.pk}/")
    assert response.status_code == 200
    html = response.text
    assert "Memberships and posts decided here" in html
    assert f'<a href="/organizations/{sco.slug}/">' in html
    assert "India — member of SCO" in html and "Secretary-General, SCO" in html
    ((cited, passages),) = response.context["citations"]
    assert cited == source
    ((passage, entries),) = passages
    assert passage == "admitted India as a member"
    assert [what for what, citation in entries] == ["Start of India — member of SCO"]


def test_a_meeting_that_decided_nothing_says_so(analyst_client, summit):
    response = analyst_client.get(f"/meetings/{summit.pk}/")
    assert "No membership or post was decided at this meeting." in response.text


def test_anonymous_users_cannot_read_a_meeting(client, summit):
    response = client.get(f"/meetings/{summit.pk}/")
    assert response.status_code == 302


# What the pages cost: the same for one decision as for twenty.

CODES = ["AF", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BD"]
CODES += ["BE", "BG", "BH", "BO", "BR", "BY", "CA", "CL", "CO", "CU"]


def decisions_at_a_summit(count):
    """An organization with `count` memberships and `count` posts decided at one meeting."""
    organization = factories.OrganizationFactory()
    summit = factories.MeetingFactory(date="2017-06-09")
    for code in CODES[:count]:
        member = factories.MembershipFactory(
            organization=organization, country=country(code), start="2017-06-09"
        )
        post = factories.PositionFactory(organization=organization, start="2017-06-09")
        Decision.objects.create(meeting=summit, membership=member, change="start")
        Decision.objects.create(meeting=summit, position=post, change="start")
    return organization, summit


# Seven of each are the session, the user and their permissions (see tests/test_pages.py).
# Each list of cited records on a page reads their citations in one more query.
ORGANIZATION_PAGE_QUERIES = 27  # + 1: what decided its memberships and posts; + 3: citations
MEETING_PAGE_QUERIES = 17  # + 1: the memberships and posts it decided; + 2: citations


@pytest.mark.parametrize(
    "page, expected",
    [("organization", ORGANIZATION_PAGE_QUERIES), ("meeting", MEETING_PAGE_QUERIES)],
)
def test_the_pages_cost_the_same_queries_for_one_decision_and_for_twenty(
    analyst_client, page, expected
):
    shown = {"organization": "start decided at", "meeting": "<li>Start of"}
    counts = []
    for count in (1, 20):
        organization, summit = decisions_at_a_summit(count)
        url = {
            "organization": f"/organizations/{organization.slug}/",
            "meeting": f"/meetings/{summit.pk}/",
        }[page]
        with CaptureQueriesContext(connection) as queries:
            response = analyst_client.get(url)
        assert response.status_code == 200
        assert response.text.count(shown[page]) == 2 * count
        counts.append(len(queries))
    assert counts == [expected, expected]


# The admin: the meeting's page takes the decisions as rows.


def test_staff_record_on_the_meeting_page_that_it_decided_a_membership(staff_client, summit, india):
    url = admin_url(Meeting, "change", summit.pk)
    data = form_values(staff_client.get(url))
    add_rows(data, "decisions", {"membership": str(india.pk), "change": "start"})
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    (decision,) = summit.decisions.all()
    assert (decision.membership, decision.change) == (india, "start")
    assert decision.history.first().history_user.username == "staff"


def test_a_wrong_row_on_the_meeting_page_is_refused_with_the_reason(staff_client, summit, india):
    url = admin_url(Meeting, "change", summit.pk)
    data = form_values(staff_client.get(url))
    add_rows(data, "decisions", {"membership": str(india.pk), "change": "end"})
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert (
        "No end is recorded for this membership: record its end (or mark it as ended) first."
        in errors_on_page(response)
    )
    assert not summit.decisions.exists()


def test_a_new_meeting_is_checked_against_the_start_it_decided(staff_client, india):
    data = new_meeting_data(staff_client, title="Later summit", date="2018-06-10")
    add_rows(data, "decisions", {"membership": str(india.pk), "change": "start"})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert (
        "This meeting was on 10 June 2018, after the start it decided (9 June 2017)."
        in errors_on_page(response)
    )
    assert not Meeting.objects.filter(title="Later summit").exists()


def test_the_decisions_list_in_the_admin_names_each_one(staff_client, summit, india):
    Decision.objects.create(meeting=summit, membership=india, change="start")
    response = staff_client.get(admin_url(Decision, "changelist"))
    assert response.status_code == 200
    assert "India — member of SCO" in response.text
