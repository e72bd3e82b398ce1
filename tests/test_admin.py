"""The admin, where staff enter everything: who may open what, what saves, what is refused."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from agreements.models import Agreement, AgreementEvent, AgreementParty, FollowUp
from cooperation.models import (
    Country,
    Membership,
    Organization,
    Person,
    Position,
    Source,
    Topic,
)
from meetings.models import Meeting, Outcome, Participant
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.factories import country

# Who may do what, by kind of record. A model registered in the admin but missing here
# fails test_every_model_in_the_admin_has_known_access_rules.
KINDS = {
    # What staff enter and analysts read.
    "domain": {
        Topic,
        Source,
        Organization,
        Membership,
        Person,
        Position,
        Meeting,
        Participant,
        Outcome,
        Agreement,
        AgreementEvent,
        FollowUp,
    },
    # From ISO 3166 through a migration: everyone reads them, administrators correct them.
    "reference": {Country},
    # Accounts and roles are the administrators' business.
    "accounts": {get_user_model(), Group},
    # Written by the login (django-axes); administrators read them, no one writes them.
    "login records": {AccessAttempt, AccessLog, AccessFailureLog},
}
KIND = {model: kind for kind, models in KINDS.items() for model in models}
DOMAIN = KINDS["domain"]
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
REPORT = "tashkent-2013-report"


def label(model):
    return model._meta.label


def some_record(model):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, (
        f"No {label(model)} to open: add one to fixtures/tashkent_2013.json or build one here."
    )
    return record


@pytest.fixture
def report(db):
    return factories.SourceFactory(
        slug=REPORT,
        text="Ambassador Asruchin met the Director of RATS-SCO on August 20th, 2013 in "
        "Tashkent. His predecessor had visited Jakarta in 2011 and agreed on a draft MOU.",
    )


# Who may open what


@pytest.fixture
def one_of_everything(tashkent, analyst):
    """A record of every model in the admin: the report's, and what logins leave behind."""
    visit = {"username": "stranger", "ip_address": "127.0.0.1", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**visit, failures_since_start=1)
    AccessFailureLog.objects.create(**visit)
    AccessLog.objects.create(**visit)


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


# Staff enter a report


def test_staff_add_an_organization_with_another_name_and_a_membership(staff_client, report):
    data = form_values(staff_client.get(admin_url(Organization, "add")))
    data.update(
        name="Indonesian National Agency In Combating Terrorism",
        acronym="BNPT",
        kind=Organization.Kind.NATIONAL_AGENCY,
        home_country=str(country("ID").pk),
        source=str(report.pk),
        passage="a draft MOU",
    )
    add_rows(
        data,
        "other_names",
        {"name": "Badan Nasional Penanggulangan Terorisme", "note": "in Indonesian"},
    )
    sco = factories.OrganizationFactory(acronym="SCO")
    response = staff_client.post(admin_url(Organization, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    bnpt = Organization.objects.get(acronym="BNPT")
    assert bnpt.slug == "bnpt"  # made from the acronym, as the help text says
    assert bnpt.home_country.code == "ID"
    assert (bnpt.source, bnpt.passage) == (report, "a draft MOU")
    (other_name,) = bnpt.other_names.all()
    assert (other_name.name, other_name.note) == (
        "Badan Nasional Penanggulangan Terorisme",
        "in Indonesian",
    )

    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {
            "country": str(country("IN").pk),
            "status": Membership.Status.OBSERVER,
            "start": "2005",
            "end": "2017-06-09",
            "attested": "",
        },
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    (membership,) = sco.memberships.all()
    assert (membership.country.code, membership.status) == ("IN", "observer")
    assert (membership.start.iso, membership.end.iso) == ("2005", "2017-06-09")
    assert membership.end_first.isoformat() == "2017-06-09"


def test_staff_add_a_meeting_with_a_named_and_an_unnamed_participant_and_outcomes(
    staff_client, report
):
    embassy = factories.OrganizationFactory(name="Indonesian Embassy in Tashkent", acronym="")
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    ambassador = factories.PersonFactory(name="Mohamad Asruchin", honorific="H.E.")
    predecessor_post = factories.PositionFactory(
        title="Director of the Executive Committee", organization=rats, holder=None, ended=True
    )
    topic = factories.TopicFactory(name="Terrorism")

    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(
        title="Ambassador Asruchin meets the Director of RATS-SCO",
        date="2013-08-20",
        kind=Meeting.Kind.MEETING,
        city="Tashkent",
        country=str(country("UZ").pk),
        topics=[str(topic.pk)],
        source=str(report.pk),
        passage="on August 20th, 2013 in Tashkent",
    )
    add_rows(
        data,
        "participants",
        {
            "person": str(ambassador.pk),
            "organization": str(embassy.pk),
            "capacity": "Indonesian Ambassador to Uzbekistan",
        },
        {
            "position": str(predecessor_post.pk),
            "organization": str(rats.pk),
            "source": str(report.pk),
            "passage": "His predecessor",
        },
    )
    add_rows(
        data,
        "outcomes",
        {"kind": Outcome.Kind.REQUESTED, "organization": str(rats.pk), "description": "Help"},
        {"kind": Outcome.Kind.COMMITTED, "organization": str(embassy.pk), "description": "Yes"},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    meeting = Meeting.objects.get()
    assert (meeting.date.iso, meeting.city, meeting.country.code) == (
        "2013-08-20",
        "Tashkent",
        "UZ",
    )
    assert list(meeting.topics.all()) == [topic]
    named, unnamed = meeting.participants.order_by("pk")
    assert (named.person, named.position, named.organization) == (ambassador, None, embassy)
    assert (unnamed.person, unnamed.position, unnamed.organization) == (
        None,
        predecessor_post,
        rats,
    )
    assert unnamed.who == "the Director of the Executive Committee (not named)"
    assert [(o.kind, o.organization, o.description) for o in meeting.outcomes.order_by("pk")] == [
        ("requested", rats, "Help"),
        ("committed", embassy, "Yes"),
    ]


def test_staff_add_an_agreement_with_two_parties_an_event_and_a_follow_up(staff_client, report):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    bnpt = factories.OrganizationFactory(acronym="BNPT")
    embassy = factories.OrganizationFactory(name="Indonesian Embassy in Tashkent", acronym="")
    visit = factories.MeetingFactory(title="Visit to Jakarta", date="2011", city="Jakarta")

    data = form_values(staff_client.get(admin_url(Agreement, "add")))
    data.update(
        title="MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT",
        kind=Agreement.Kind.MOU,
        source=str(report.pk),
        passage="a draft MOU",
    )
    add_rows(data, "party_links", {"organization": str(rats.pk)}, {"organization": str(bnpt.pk)})
    add_rows(
        data,
        "events",
        {
            "kind": AgreementEvent.Kind.DRAFT_AGREED,
            "date": "2011",
            "meeting": str(visit.pk),
            "source": str(report.pk),
            "passage": "agreed on a draft MOU",
        },
    )
    add_rows(
        data,
        "follow_ups",
        {
            "action": "Facilitate the follow-up of the draft MOU",
            "state": FollowUp.State.OPEN,
            "due": "2013-12",
            "requested_by_organization": str(rats.pk),
            "responsible_organization": str(embassy.pk),
            "meeting": str(visit.pk),
        },
    )
    response = staff_client.post(admin_url(Agreement, "add"), data)
    assert response.status_code == 302, errors_on_page(response)

    agreement = Agreement.objects.with_status().get()
    assert set(agreement.parties.all()) == {rats, bnpt}
    (event,) = agreement.events.all()
    assert (event.kind, event.date.iso, event.meeting) == ("draft_agreed", "2011", visit)
    assert (agreement.status, agreement.status_date.iso) == ("draft_agreed", "2011")
    (follow_up,) = agreement.follow_ups.all()
    assert follow_up.responsible_organization == embassy
    assert follow_up.requested_by_organization == rats
    assert follow_up.due.iso == "2013-12"
    assert follow_up.requested_on.iso == "2011"  # the date of the meeting it came from
    assert follow_up.is_open


# Mistakes are refused with a message, on the form, never with an error page


BAD_DATES = [
    ("2013-02-30", "February 2013 has no day 30."),
    (
        "20/08/2013",
        "“20/08/2013” is not a date. "
        "Write it as YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2011, 2013-08 or 2013-08-20.",
    ),
    ("2013-13", "“2013-13” has no month 13: months run from 01 to 12."),
]


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_is_refused_with_a_message_saying_how_to_write_it(staff_client, typed, message):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date=typed, kind=Meeting.Kind.MEETING)
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [message]
    assert message in response.text
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("typed", "message"), BAD_DATES)
def test_a_bad_date_in_an_inline_row_is_refused_with_a_message(staff_client, typed, message):
    sco = factories.OrganizationFactory(acronym="SCO")
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("IN").pk), "status": "observer", "start": typed},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [message]
    assert not Membership.objects.exists()


@pytest.fixture
def uzbekistan_observer_of_sco(db):
    return factories.MembershipFactory(
        organization=factories.OrganizationFactory(acronym="SCO"),
        country=country("UZ"),
        status=Membership.Status.OBSERVER,
        start="2005",
    )


def test_the_membership_page_refuses_a_second_status_at_the_same_time(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Membership, "add")))
    data.update(
        organization=str(sco.pk),
        country=str(country("UZ").pk),
        status=Membership.Status.MEMBER,
        start="2010",
    )
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "Uzbekistan cannot be member (2010 – …) while it is also observer (2005 – …) of SCO: "
        "give the earlier status an end date."
    ]
    assert Membership.objects.count() == 1


def test_the_membership_page_accepts_a_new_status_once_the_old_one_has_ended(
    staff_client, uzbekistan_observer_of_sco
):
    observer = uzbekistan_observer_of_sco
    data = form_values(staff_client.get(admin_url(Membership, "change", observer.pk)))
    data.update(end="2017-06-09")
    response = staff_client.post(admin_url(Membership, "change", observer.pk), data)
    assert response.status_code == 302, errors_on_page(response)

    data = form_values(staff_client.get(admin_url(Membership, "add")))
    data.update(
        organization=str(observer.organization.pk),
        country=str(country("UZ").pk),
        status=Membership.Status.MEMBER,
        start="2017-06-09",
    )
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    assert Membership.objects.count() == 2


def test_two_overlapping_rows_on_the_organization_page_are_refused(staff_client, db):
    sco = factories.OrganizationFactory(acronym="SCO")
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("IN").pk), "status": "observer", "start": "2005"},
        {"country": str(country("IN").pk), "status": "member", "start": "2017"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "India cannot be observer (2005 – …) while it is also member (2017 – …) of SCO: "
        "give the earlier status an end date."
    ]
    assert not Membership.objects.exists()


def test_a_new_row_overlapping_a_saved_one_on_the_organization_page_is_refused(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("UZ").pk), "status": "member", "start": "2017-06-09"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    assert any("Uzbekistan cannot be" in error for error in errors_on_page(response))
    assert Membership.objects.count() == 1


def test_ending_the_observer_row_and_starting_the_member_row_in_one_save_is_accepted(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    assert data["memberships-0-id"] == str(uzbekistan_observer_of_sco.pk)
    data["memberships-0-end"] = "2017-06-09"
    add_rows(
        data,
        "memberships",
        {"country": str(country("UZ").pk), "status": "member", "start": "2017-06-09"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    assert [
        (m.status, m.start.iso, m.end.iso if m.end else None)
        for m in sco.memberships.order_by("start_first")
    ] == [("observer", "2005", "2017-06-09"), ("member", "2017-06-09", None)]


def test_a_participant_with_neither_person_nor_post_is_refused(staff_client, db):
    embassy = factories.OrganizationFactory()
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(data, "participants", {"organization": str(embassy.pk), "capacity": "host"})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert "Name the person, or the post they held when the name is unknown." in (
        errors_on_page(response)
    )
    assert not Meeting.objects.exists()


def test_a_participant_with_neither_person_nor_post_gets_one_plain_message(staff_client, db):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(data, "participants", {"organization": str(factories.OrganizationFactory().pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert errors_on_page(response) == [
        "Name the person, or the post they held when the name is unknown."
    ]


def test_a_passage_that_is_not_in_the_source_is_refused(staff_client, report):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(
        title="A meeting",
        date="2013-08-20",
        kind=Meeting.Kind.MEETING,
        source=str(report.pk),
        passage="met in Samarkand",
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        f"These words do not occur in “{report}”. Quote it exactly."
    ]
    assert not Meeting.objects.exists()


def test_a_passage_in_an_inline_row_that_is_not_in_the_source_is_refused(staff_client, report):
    embassy = factories.OrganizationFactory()
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    add_rows(
        data,
        "participants",
        {
            "person": str(factories.PersonFactory().pk),
            "organization": str(embassy.pk),
            "source": str(report.pk),
            "passage": "the Ambassador of Atlantis",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        f"These words do not occur in “{report}”. Quote it exactly."
    ]
    assert not Meeting.objects.exists()


def test_a_passage_without_a_source_is_refused(staff_client, db):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="A meeting", date="2013-08-20", kind=Meeting.Kind.MEETING, passage="met")
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Name the source this passage is quoted from."]


def test_a_row_with_a_passage_and_no_source_quotes_the_source_of_its_page(staff_client, report):
    data = new_meeting_data(staff_client, source=str(report.pk))
    add_rows(
        data,
        "participants",
        {
            "person": str(factories.PersonFactory().pk),
            "organization": str(factories.OrganizationFactory().pk),
            "passage": "Ambassador Asruchin",
        },
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (participant,) = Meeting.objects.get().participants.all()
    assert (participant.source, participant.passage) == (report, "Ambassador Asruchin")


def test_a_row_with_a_passage_on_a_page_with_no_source_is_asked_for_one(staff_client, db):
    data = new_meeting_data(staff_client)
    add_rows(
        data,
        "outcomes",
        {"kind": Outcome.Kind.AGREED, "description": "To meet again", "passage": "met"},
    )
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Name the source this passage is quoted from."]


# The meeting page takes what the meeting did to agreements


@pytest.fixture
def bnpt_mou(db):
    agreement = factories.AgreementFactory(title="MOU between RATS-SCO and BNPT")
    agreement.record_event(AgreementEvent.Kind.DRAFT_AGREED, "2011")
    return agreement


def new_meeting_data(staff_client, **fields):
    data = form_values(staff_client.get(admin_url(Meeting, "add")))
    data.update(title="Tashkent meeting", date="2013-08-20", kind=Meeting.Kind.MEETING)
    data.update(fields)
    return data


def test_dates_are_typed_in_short_boxes_that_show_the_format(staff_client, db):
    page = staff_client.get(admin_url(Meeting, "add")).text
    for name in ("date", "agreement_events-0-date", "follow_ups-__prefix__-due"):
        (box,) = [tag for tag in page.split("<input")[1:] if f'name="{name}"' in tag]
        assert 'placeholder="YYYY-MM-DD"' in box and 'size="10"' in box, box


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


def test_a_participant_represents_the_organization_of_their_post_when_left_blank(staff_client, db):
    post = factories.PositionFactory(title="Director of the Executive Committee")
    data = new_meeting_data(staff_client)
    add_rows(data, "participants", {"person": str(post.holder.pk), "position": str(post.pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    (participant,) = Meeting.objects.get().participants.all()
    assert participant.organization == post.organization


def test_a_participant_with_no_organization_and_no_post_is_asked_which_organization(
    staff_client, db
):
    data = new_meeting_data(staff_client)
    add_rows(data, "participants", {"person": str(factories.PersonFactory().pk)})
    response = staff_client.post(admin_url(Meeting, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == ["Which organization did they represent?"]


# Finding records by any of their names


def changelist_results(response):
    return list(response.context["cl"].result_list)


def autocomplete(client, model, field_name, term):
    """What a select2 box on `model`'s page offers for `field_name` when `term` is typed."""
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field_name,
            "term": term,
        },
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


@pytest.fixture
def bnpt(db):
    organization = factories.OrganizationFactory(
        name="Indonesian National Agency In Combating Terrorism", acronym="BNPT"
    )
    factories.OrganizationNameFactory(
        organization=organization, name="Badan Nasional Penanggulangan Terorisme"
    )
    factories.OrganizationFactory(name="Shanghai Cooperation Organization", acronym="SCO")
    return organization


def test_the_organization_list_finds_an_organization_by_another_of_its_names(staff_client, bnpt):
    response = staff_client.get(admin_url(Organization, "changelist"), {"q": "Penanggulangan"})
    assert changelist_results(response) == [bnpt]


def test_picking_an_organization_finds_it_by_another_of_its_names(staff_client, bnpt):
    assert autocomplete(staff_client, Participant, "organization", "Penanggulangan") == [
        "BNPT (Indonesian National Agency In Combating Terrorism)"
    ]
    assert autocomplete(staff_client, AgreementParty, "organization", "Penanggulangan") == [
        "BNPT (Indonesian National Agency In Combating Terrorism)"
    ]


@pytest.fixture
def zhang_xinfeng(db):
    factories.PersonFactory(name="Mohamad Asruchin", other_names="Ambassador Asruchin")
    return factories.PersonFactory(
        name="Zhang Xinfeng", honorific="Mr.", other_names="Mr.Zhang Xinfeng\nMr. Xinfeng"
    )


def test_the_people_list_finds_a_person_by_another_spelling(staff_client, zhang_xinfeng):
    response = staff_client.get(admin_url(Person, "changelist"), {"q": "Mr.Zhang"})
    assert changelist_results(response) == [zhang_xinfeng]


def test_picking_a_person_finds_them_by_another_spelling(staff_client, zhang_xinfeng):
    assert autocomplete(staff_client, Participant, "person", "Mr.Zhang") == ["Mr. Zhang Xinfeng"]


def test_picking_a_post_finds_the_one_whose_holder_is_not_named(staff_client, db):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    factories.PositionFactory(
        title="Director of the Executive Committee",
        organization=rats,
        holder=factories.PersonFactory(name="Zhang Xinfeng"),
    )
    factories.PositionFactory(
        title="Director of the Executive Committee", organization=rats, holder=None
    )
    assert sorted(autocomplete(staff_client, Participant, "position", "Executive")) == [
        "Director of the Executive Committee, RATS-SCO: Zhang Xinfeng",
        "Director of the Executive Committee, RATS-SCO: holder not named",
    ]


# What the lists cost in queries


def make_records(count):
    """`count` of each listed record, each with everything its list row shows."""
    terrorism = factories.TopicFactory(name="Terrorism")
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    countries = Country.objects.order_by("code")[:count]
    for number, member in enumerate(countries):
        source = factories.SourceFactory()
        factories.TopicFactory()
        partner = factories.OrganizationFactory(parent=rats, home_country=member, source=source)
        person = factories.PersonFactory()
        post = factories.PositionFactory(organization=partner, holder=person)
        meeting = factories.MeetingFactory(country=member)
        meeting.topics.add(terrorism)
        factories.ParticipantFactory(
            meeting=meeting, organization=partner, person=person, position=post
        )
        factories.OutcomeFactory(meeting=meeting, organization=partner)
        agreement = factories.AgreementFactory()
        agreement.topics.add(terrorism)
        factories.AgreementPartyFactory(agreement=agreement, organization=rats)
        factories.AgreementPartyFactory(agreement=agreement, organization=partner)
        agreement.record_event(AgreementEvent.Kind.DRAFT_AGREED, "2011")
        agreement.record_event(
            AgreementEvent.Kind.FOLLOW_UP_REQUESTED, "2013-08-20", meeting=meeting
        )
        factories.FollowUpFactory(
            agreement=agreement,
            meeting=meeting,
            requested_by_organization=rats,
            responsible_organization=partner,
            responsible_person=factories.PersonFactory(),
            due="2014-01",
        )
        factories.MembershipFactory(organization=rats, country=member, start=str(2001 + number))


# Six on every list: the session and the user, the user's and the group's permissions,
# the count of the rows shown (not of the whole table: show_full_result_count is off), the
# page itself; three to save the session again
# (SESSION_SAVE_EVERY_REQUEST: a savepoint, the update, its release); and what the
# filters list or the rows prefetch.
CHANGELIST_QUERIES = {
    Agreement: 11,  # + the parties of the page's agreements, + the topics to filter by
    AgreementEvent: 9,
    Country: 9,
    FollowUp: 9,
    Meeting: 10,  # + the topics to filter by
    Membership: 9,  # filtered by kind and status, which are choices: no query
    Organization: 9,
    Outcome: 9,
    Participant: 9,
    Person: 9,
    Position: 9,
    Source: 9,
    Topic: 9,
}


def test_every_list_of_records_has_its_queries_counted():
    assert set(CHANGELIST_QUERIES) == DOMAIN | KINDS["reference"]


@pytest.mark.parametrize("model", CHANGELIST_QUERIES, ids=label)
@pytest.mark.parametrize("count", [1, 20])
def test_a_list_costs_the_same_queries_whatever_the_number_of_records(
    staff_client, django_assert_num_queries, model, count
):
    make_records(count)
    shown = min(model.objects.count(), admin.site._registry[model].list_per_page)
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = staff_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert len(changelist_results(response)) == shown


def test_every_record_is_picked_by_search_not_from_a_long_list(rf, administrator):
    """A plain <select> lists every row of the table: fine for ten topics, not for people."""
    request = rf.get("/")
    request.user = administrator
    plain = []
    for model in sorted(DOMAIN, key=label):
        model_admin = admin.site._registry[model]
        forms_on_page = [(label(model), model_admin.get_form(request), None)]
        for inline in model_admin.get_inline_instances(request):
            formset = inline.get_formset(request)
            where = f"{label(model)} > {label(inline.model)}"
            forms_on_page.append((where, formset.form, formset.fk.name))
        for where, form, parent in forms_on_page:
            for name, field in form.base_fields.items():
                if name != parent and isinstance(
                    field, forms.ModelChoiceField | forms.ModelMultipleChoiceField
                ):
                    widget = getattr(field.widget, "widget", field.widget)
                    if not isinstance(widget, AutocompleteMixin):
                        plain.append(f"{where}: {name}")
    assert plain == []


@pytest.mark.parametrize("count", [1, 20])
def test_searching_for_a_post_costs_the_same_queries_whatever_the_number_of_posts(
    staff_client, django_assert_num_queries, count
):
    rats = factories.OrganizationFactory(acronym="RATS-SCO")
    for _ in range(count):
        factories.PositionFactory(title="Director", organization=rats)
    # Session, user, two for permissions, the count and the page of posts, three to save
    # the session.
    with django_assert_num_queries(9):
        offered = autocomplete(staff_client, Participant, "position", "Director")
    assert len(offered) == count
