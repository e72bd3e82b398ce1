"""Whatever is typed into a URL, the answer is a page or a clear 4xx, never a 5xx."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement
from tests import factories

# Every parameter that any analysts' page reads.
PARAMETERS = {
    "/agreements/": [
        "q",
        "status",
        "kind",
        "party",
        "only_itself",
        "country",
        "topic",
        "responsible",
        "stalled",
        "overdue",
        "last_activity_after",
        "last_activity_before",
        "as_of",
        "sort",
        "page",
        "format",
    ],
    "/meetings/": [
        "date_after",
        "date_before",
        "place",
        "organization",
        "only_itself",
        "person",
        "topic",
        "page",
    ],
    "/organizations/": ["page"],
    "/organizations/sco/": ["as_of"],
}

hostile = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e309",
            "NaN",
            "2013-02-30",
            "2013-13-01",
            "0000-00-00",
            "0001-01-01",
            "9999-12-31",
            "20/08/2013",
            "'; DROP TABLE x; --",
            "<script>",
            "%00",
            "\x00",
            "csv",
            "json",
            "-title",
            "--title",
            "title,-title",
            "on",
            "off",
            "true",
            "☃",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        ]
    ),
)


@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize("path", list(PARAMETERS))
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_parameter_value_makes_a_page_fail(analyst_client, path, data):
    names = PARAMETERS[path]
    chosen = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))
    query = {name: data.draw(st.lists(hostile, min_size=1, max_size=2)) for name in chosen}
    response = analyst_client.get(path, query)
    assert response.status_code < 500, (path, query)
    if response.status_code >= 400:
        assert response.status_code in (400, 404), (path, query)


# Days at the ends of the calendar, where arithmetic on dates overflows.
@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize(
    "url",
    [
        "/agreements/?as_of=0001-01-01&stalled=1",
        "/agreements/?as_of=0001-01-01&stalled=36500&overdue=on",
        "/agreements/?as_of=9999-12-31&stalled=0&overdue=on&sort=follow_ups",
        "/organizations/sco/?as_of=0001-01-01",
        "/organizations/sco/?as_of=9999-12-31",
    ],
)
def test_a_day_outside_the_records_span_is_refused_saying_which_days_are(analyst_client, url):
    response = analyst_client.get(url)
    assert response.status_code == 400
    assert "Enter a day between 1900-01-01 and 2199-12-31" in response.text


@pytest.mark.usefixtures("tashkent")
@pytest.mark.parametrize(
    "url",
    [
        "/agreements/?q=mou%00",
        "/meetings/?place=Tash%00kent",
        "/meetings/?organization=%00",
        "/organizations/?page=1%00",
        "/organizations/sco/?as_of=%00",
    ],
)
def test_a_null_character_in_a_query_string_is_refused_saying_so(analyst_client, url):
    response = analyst_client.get(url)
    assert response.status_code == 400
    assert "null character" in response.text.lower()


def test_stalled_looks_back_no_further_than_the_first_day_there_is(db):
    agreement = factories.AgreementFactory()
    agreement.record_event("proposed", "0001-01-01")
    stalled = Agreement.objects.with_status().stalled(days=400, today=datetime.date(1, 6, 1))
    assert list(stalled) == []


@pytest.mark.parametrize("day", ["0001", "0001-01-01", "9999", "9999-12", "9999-12-31"])
def test_records_dated_at_the_ends_of_the_calendar_show_on_every_page(analyst_client, day):
    """Staff can type any year from 0001 to 9999; arithmetic on it must not overflow."""
    party = factories.OrganizationFactory(slug="party")
    meeting = factories.MeetingFactory(date=day)
    agreement = factories.AgreementFactory()
    factories.AgreementPartyFactory(agreement=agreement, organization=party)
    agreement.record_event("proposed", day, meeting=meeting)
    factories.FollowUpFactory(agreement=agreement, responsible_organization=party, due=day)
    factories.MembershipFactory(organization=party, start=day)
    for url in [
        f"/agreements/{agreement.pk}/",
        "/agreements/?stalled=0&overdue=on&sort=-follow_ups",
        "/agreements/?format=csv",
        f"/meetings/{meeting.pk}/",
        "/meetings/",
        "/organizations/party/",
        "/organizations/party/?as_of=1900-01-01",
    ]:
        assert analyst_client.get(url).status_code == 200, url
