"""An agreement's rows in the admin: its parties, and the events and follow-ups entered on its
page or on the page of the meeting they happened at."""

import pytest

from agreements.models import Agreement, AgreementEvent, FollowUp
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values, new_meeting_data


@pytest.fixture
def bnpt_mou(db):
    agreement = factories.AgreementFactory(title="MOU between RATS-SCO and BNPT")
    agreement.record_event(AgreementEvent.Kind.DRAFT_AGREED, "2011")
    return agreement


def party_rows(response):
    """(rows saved, rows shown) of the parties on an agreement's page."""
    (parties,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "party_links"
    ]
    return parties.initial_form_count(), parties.total_form_count()


def test_a_new_agreement_shows_two_blank_party_rows_and_an_entered_one_none(staff_client, bnpt_mou):
    assert party_rows(staff_client.get(admin_url(Agreement, "add"))) == (0, 2)
    factories.AgreementPartyFactory(agreement=bnpt_mou)
    factories.AgreementPartyFactory(agreement=bnpt_mou)
    assert party_rows(staff_client.get(admin_url(Agreement, "change", bnpt_mou.pk))) == (2, 2)


def test_an_event_at_a_new_meeting_moves_the_agreement_on(staff_client, bnpt_mou):
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "agreement_events",
        {
            "agreement": str(bnpt_mou.pk),
            "kind": AgreementEvent.Kind.FOLLOW_UP_REQUESTED,
            "date": "2013-08-20",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    meeting = Meeting.objects.get()
    (event,) = meeting.agreement_events.all()
    assert (event.agreement, event.kind, event.date.iso) == (
        bnpt_mou,
        "follow_up_requested",
        "2013-08-20",
    )
    assert Agreement.objects.with_status().get().status == "follow_up_requested"


def test_an_event_at_a_new_meeting_takes_the_meeting_date_when_left_blank(staff_client, bnpt_mou):
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "agreement_events",
        {"agreement": str(bnpt_mou.pk), "kind": AgreementEvent.Kind.FOLLOW_UP_REQUESTED},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (event,) = Meeting.objects.get().agreement_events.all()
    assert event.date.iso == "2013-08-20"


def test_an_event_dated_away_from_a_new_meeting_is_refused_with_a_message(staff_client, bnpt_mou):
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "agreement_events",
        {
            "agreement": str(bnpt_mou.pk),
            "kind": AgreementEvent.Kind.FOLLOW_UP_REQUESTED,
            "date": "2013-09-01",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["The meeting it happened at was on 20 August 2013."]
    assert not Meeting.objects.exists()
    assert bnpt_mou.events.count() == 1


def test_an_event_dated_away_from_a_saved_meeting_is_refused_with_a_message(staff_client, bnpt_mou):
    meeting = factories.MeetingFactory(date="2013-08-20")
    data = form_values(staff_client.get(admin_url(Meeting, "change", meeting.pk)))
    add_rows(
        data,
        "agreement_events",
        {"agreement": str(bnpt_mou.pk), "kind": "follow_up_requested", "date": "2014"},
    )
    response = staff_client.post(admin_url(Meeting, "change", meeting.pk), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["The meeting it happened at was on 20 August 2013."]


def test_the_same_event_twice_is_refused_with_a_message(staff_client, bnpt_mou):
    data = new_meeting_data(staff_client, date="2011")
    add_rows(
        data,
        "agreement_events",
        {"agreement": str(bnpt_mou.pk), "kind": "draft_agreed", "date": "2011"},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Event with this Agreement, Kind and Date already exists."]


def test_a_follow_up_from_a_new_meeting_counts_as_requested_on_the_meeting_day(
    staff_client, bnpt_mou
):
    embassy = factories.OrganizationFactory()
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "follow_ups",
        {
            "action": "Facilitate the follow-up of the draft MOU",
            "state": FollowUp.State.OPEN,
            "responsible_organization": str(embassy.pk),
            "agreement": str(bnpt_mou.pk),
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (follow_up,) = FollowUp.objects.all()
    assert follow_up.meeting == Meeting.objects.get()
    assert follow_up.agreement == bnpt_mou
    assert follow_up.requested_on.iso == "2013-08-20"
    assert list(FollowUp.objects.open(as_of=follow_up.requested_on.last)) == [follow_up]


def test_an_event_on_the_agreement_page_takes_the_date_of_its_meeting_when_left_blank(
    staff_client, bnpt_mou
):
    meeting = factories.MeetingFactory(date="2013-08-20")
    data = form_values(staff_client.get(admin_url(Agreement, "change", bnpt_mou.pk)))
    add_rows(data, "events", {"kind": "follow_up_requested", "meeting": str(meeting.pk)})
    response = staff_client.post(admin_url(Agreement, "change", bnpt_mou.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    event = bnpt_mou.events.get(kind="follow_up_requested")
    assert (event.date.iso, event.meeting) == ("2013-08-20", meeting)


def test_an_event_with_neither_date_nor_meeting_is_refused_with_a_message(staff_client, bnpt_mou):
    data = form_values(staff_client.get(admin_url(Agreement, "change", bnpt_mou.pk)))
    add_rows(data, "events", {"kind": "signed"})
    response = staff_client.post(admin_url(Agreement, "change", bnpt_mou.pk), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Give the date, or the meeting it happened at."]
    assert bnpt_mou.events.count() == 1
