"""Choosing a related record in the admin: every search box and select names its records
apart from others like them, as it offers them and once one is chosen."""

import re

from django.contrib import admin
from django.test import RequestFactory

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.admin_base import EntryForms
from meetings.models import Meeting, Participant
from tests import factories
from tests.admin_forms import admin_url, autocomplete

BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"
BNPT_LABEL = (
    f"{BNPT_MOU} (memorandum of understanding between BNPT and RATS-SCO; "
    "follow-up requested, 20 August 2013)"
)
ASEAN_LABEL = (
    "MOU on Counter-terrorism Cooperation between RATS-SCO and the ASEAN Secretariat "
    "(memorandum of understanding between ASEAN Secretariat and RATS-SCO; "
    "follow-up requested, 20 August 2013)"
)


def two_meetings_on_one_day():
    jakarta = factories.MeetingFactory(
        title="The Ambassador meets the Director",
        date="2014-03-01",
        city="Jakarta",
        country=factories.country("ID"),
    )
    call = factories.MeetingFactory(
        title="The Ambassador meets the Director again",
        date="2014-03-01",
        city="",
        country=None,
        kind=Meeting.Kind.CALL,
    )
    return jakarta, call


def selected_option(page, name):
    box = re.search(rf'<select name="{name}".*?</select>', page, re.S)[0]
    return re.search(r"<option [^>]*selected>(.*?)</option>", box)[1]


def test_a_search_box_offers_agreements_with_their_kind_parties_and_latest_step(
    staff_client, tashkent
):
    offered = autocomplete(staff_client, FollowUp, "agreement", "Counter-terrorism")
    assert sorted(offered) == [BNPT_LABEL, ASEAN_LABEL]


def test_a_search_box_offers_two_meetings_of_one_day_each_with_its_kind_and_place(staff_client, db):
    two_meetings_on_one_day()
    offered = autocomplete(staff_client, AgreementEvent, "meeting", "Ambassador")
    assert sorted(offered) == [
        "1 March 2014 — The Ambassador meets the Director (meeting, Jakarta, Indonesia)",
        "1 March 2014 — The Ambassador meets the Director again (call or video call)",
    ]


def test_a_search_box_costs_the_same_queries_for_one_agreement_and_for_ten(
    staff_client, django_assert_num_queries, db
):
    for count in (1, 10):
        for number in range(count):
            agreement = factories.AgreementFactory(title=f"MOU {count}-{number}")
            for _ in range(2):
                factories.AgreementPartyFactory(agreement=agreement)
            agreement.record_event(AgreementEvent.Kind.PROPOSED, "2011")
        # Session, user, two for permissions, the count and the page of agreements, their
        # parties, their latest events, three to save the session.
        with django_assert_num_queries(11):
            offered = autocomplete(staff_client, FollowUp, "agreement", f"MOU {count}-")
        assert len(offered) == count


def test_a_rows_chosen_agreement_and_meeting_are_named_as_the_search_box_offers_them(
    staff_client, tashkent
):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    page = staff_client.get(admin_url(Agreement, "change", agreement.pk)).text
    at_meeting = agreement.events.get(date="2011")  # the first row: rows go by date
    assert selected_option(page, "events-0-meeting") == at_meeting.meeting.choice_label()
    assert at_meeting.meeting.choice_label() == (
        "2011 — Visit to Jakarta by the then Director of the RATS-SCO Executive Committee "
        "(visit, Jakarta, Indonesia)"
    )

    meeting = Meeting.objects.get(date="2013-08-20")
    page = staff_client.get(admin_url(Meeting, "change", meeting.pk)).text
    assert selected_option(page, "agreement_events-0-agreement") in (BNPT_LABEL, ASEAN_LABEL)


def test_a_records_own_page_names_its_chosen_agreement_apart(staff_client, tashkent):
    follow_up = FollowUp.objects.select_related("agreement").first()
    page = staff_client.get(admin_url(FollowUp, "change", follow_up.pk)).text
    assert selected_option(page, "agreement") == follow_up.agreement.choice_label()
    assert selected_option(page, "meeting") == follow_up.meeting.choice_label()


def test_a_plain_select_of_meetings_names_each_apart(db, staff):
    jakarta, call = two_meetings_on_one_day()

    class PlainParticipants(EntryForms, admin.ModelAdmin):
        fields = ["meeting", "organization", "capacity"]

    request = RequestFactory().get("/")
    request.user = staff
    form = PlainParticipants(Participant, admin.site).get_form(request)()
    options = dict(form.fields["meeting"].choices)
    assert options[jakarta.pk] == jakarta.choice_label()
    assert options[call.pk] == call.choice_label()
    assert options[jakarta.pk] != options[call.pk]


def test_pages_and_history_still_name_records_by_their_own_names(tashkent):
    agreement = Agreement.objects.get(title=BNPT_MOU)
    meeting = Meeting.objects.get(date="2013-08-20")
    assert str(agreement) == BNPT_MOU
    assert str(meeting) == (
        "20 August 2013 — Ambassador Asruchin meets the Director of the RATS-SCO "
        "Executive Committee"
    )
