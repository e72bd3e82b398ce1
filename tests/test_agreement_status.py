"""An agreement's status is its latest event; its follow-up is owed, open or overdue."""

import datetime

import pytest
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AgreementEvent, FollowUp
from cooperation.models import Membership, Position, Record
from cooperation.partial_dates import PartialDate
from meetings.models import Participant
from tests.factories import (
    AgreementEventFactory,
    AgreementFactory,
    AgreementPartyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    OrganizationNameFactory,
    OutcomeFactory,
    ParticipantFactory,
    PersonFactory,
    PositionFactory,
    SourceFactory,
    TopicFactory,
    country,
)

D = datetime.date
Kind = AgreementEvent.Kind
State = FollowUp.State

pytestmark = pytest.mark.django_db


def status_of(agreement, as_of=None):
    return Agreement.objects.with_status(as_of=as_of).get(pk=agreement.pk)


# Recording events


def test_record_event_adds_a_step_and_keeps_the_earlier_ones():
    mou = AgreementFactory()
    drafted = mou.record_event(Kind.DRAFT_AGREED, "2011")
    signed = mou.record_event(Kind.SIGNED, "2013-08-20", description="Signed in Tashkent.")
    assert list(mou.events.order_by("date_first")) == [drafted, signed]
    assert signed.pk is not None and signed.date == PartialDate(2013, 8, 20)
    assert AgreementEvent.objects.get(pk=signed.pk).description == "Signed in Tashkent."
    assert status_of(mou).status == Kind.SIGNED


def test_record_event_refuses_an_unknown_kind_and_saves_nothing():
    mou = AgreementFactory()
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event("ratified", "2013-08-20")
    assert list(excinfo.value.message_dict) == ["kind"]
    assert not AgreementEvent.objects.exists()


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        ("2013-13", "“2013-13” has no month 13: months run from 01 to 12."),
        ("2013-02-30", "February 2013 has no day 30."),
        ("20/08/2013", "“20/08/2013” is not a date."),
    ],
)
def test_record_event_refuses_a_bad_date_and_saves_nothing(date, expected):
    mou = AgreementFactory()
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event(Kind.SIGNED, date)
    assert list(excinfo.value.message_dict) == ["date"]
    assert excinfo.value.message_dict["date"][0].startswith(expected)
    assert not AgreementEvent.objects.exists()


def test_record_event_requires_a_date():
    mou = AgreementFactory()
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event(Kind.SIGNED, "")
    assert list(excinfo.value.message_dict) == ["date"]
    assert not AgreementEvent.objects.exists()


def test_record_event_at_a_meeting_refuses_a_bad_date_as_a_field_error():
    mou, meeting = AgreementFactory(), MeetingFactory(date="2013-08-20")
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event(Kind.SIGNED, "2013-02-30", meeting=meeting)
    assert excinfo.value.message_dict == {"date": ["February 2013 has no day 30."]}
    assert not AgreementEvent.objects.exists()


def test_record_event_refuses_a_date_the_meeting_was_not_on():
    mou, meeting = AgreementFactory(), MeetingFactory(date="2013-08-20")
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event(Kind.SIGNED, "2013-09", meeting=meeting)
    assert excinfo.value.message_dict == {
        "date": ["The meeting it happened at was on 20 August 2013."]
    }
    assert not AgreementEvent.objects.exists()


@pytest.mark.parametrize("date", ["2013-08-20", "2013-08", "2013"])
def test_record_event_accepts_a_date_that_may_be_the_meeting_day(date):
    mou, meeting = AgreementFactory(), MeetingFactory(date="2013-08-20")
    event = mou.record_event(Kind.SIGNED, date, meeting=meeting)
    assert AgreementEvent.objects.get().meeting == meeting == event.meeting


def test_record_event_refuses_the_same_step_twice_on_the_same_date():
    mou = AgreementFactory()
    mou.record_event(Kind.SIGNED, "2013-08-20")
    with pytest.raises(ValidationError):
        mou.record_event(Kind.SIGNED, "2013-08-20")
    assert mou.events.count() == 1


def test_record_event_checks_the_passage_it_cites():
    mou, source = AgreementFactory(), SourceFactory()
    with pytest.raises(ValidationError) as excinfo:
        mou.record_event(Kind.SIGNED, "2013", source=source, passage="The parties signed.")
    assert list(excinfo.value.message_dict) == ["passage"]
    assert not AgreementEvent.objects.exists()


# The status: the latest event


def test_an_agreement_with_no_events_has_no_status():
    mou = status_of(AgreementFactory())
    assert (mou.status, mou.status_date, mou.last_activity) == (None, None, None)
    assert mou.current_status_label == ""
    assert mou.latest_event is None


def test_the_status_is_the_kind_date_and_last_day_of_the_latest_event():
    mou = AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08")
    annotated = status_of(mou)
    assert annotated.status == Kind.FOLLOW_UP_REQUESTED
    assert annotated.status_date == PartialDate(2013, 8)
    assert annotated.last_activity == D(2013, 8, 31)
    assert annotated.current_status_label == "Follow-up requested"


def test_the_order_events_were_recorded_in_does_not_decide_the_status():
    mou = AgreementFactory()
    mou.record_event(Kind.SIGNED, "2014-03-01")
    mou.record_event(Kind.PROPOSED, "2009")  # history filled in afterwards
    assert status_of(mou).status == Kind.SIGNED
    assert status_of(mou).latest_event.kind == Kind.SIGNED


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        ("2013", "2013-08-20"),  # a later first day
        ("2013-08", "2013-08-20"),
        ("2013-08-01", "2013-08"),  # the same first day, a later last day
        ("2013-01", "2013"),
    ],
)
def test_the_latest_event_has_the_latest_first_day_then_the_latest_last_day(earlier, later):
    mou = AgreementFactory()
    mou.record_event(Kind.SIGNED, later)
    mou.record_event(Kind.UNDER_NEGOTIATION, earlier)
    annotated = status_of(mou)
    assert annotated.status == Kind.SIGNED
    assert annotated.status_date.iso == later
    assert annotated.latest_event.kind == Kind.SIGNED


def test_of_two_events_on_the_same_date_the_one_recorded_last_is_the_status():
    mou = AgreementFactory()
    first = mou.record_event(Kind.DRAFT_AGREED, "2013-08-20")
    second = mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08-20")
    annotated = status_of(mou)
    assert annotated.latest_event == second != first


def test_each_agreement_has_its_own_status():
    bnpt, asean, idle = AgreementFactory(), AgreementFactory(), AgreementFactory()
    bnpt.record_event(Kind.SIGNED, "2014")
    asean.record_event(Kind.DRAFT_AGREED, "2011")
    statuses = dict(Agreement.objects.with_status().values_list("pk", "status"))
    assert statuses == {bnpt.pk: Kind.SIGNED, asean.pk: Kind.DRAFT_AGREED, idle.pk: None}
    assert list(Agreement.objects.with_status_in([Kind.SIGNED])) == [bnpt]


# The status as it stood on a day


def test_an_event_known_only_to_the_year_counts_once_the_year_is_over():
    mou = AgreementFactory()
    mou.record_event(Kind.SIGNED, "2013")
    assert status_of(mou, as_of=D(2013, 6, 1)).status is None  # it might not have happened yet
    assert status_of(mou, as_of=D(2013, 12, 30)).status is None
    assert status_of(mou, as_of=D(2013, 12, 31)).status == Kind.SIGNED
    assert status_of(mou, as_of=D(2014, 1, 1)).status == Kind.SIGNED


def test_the_status_as_of_a_day_is_the_latest_event_certainly_past_by_then():
    mou = AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08-20")
    mou.record_event(Kind.SIGNED, "2014")
    before = status_of(mou, as_of=D(2013, 8, 19))
    assert (before.status, before.last_activity) == (Kind.DRAFT_AGREED, D(2011, 12, 31))
    assert status_of(mou, as_of=D(2013, 8, 20)).status == Kind.FOLLOW_UP_REQUESTED
    assert status_of(mou, as_of=D(2014, 6, 1)).status == Kind.FOLLOW_UP_REQUESTED
    assert status_of(mou, as_of=D(2015, 1, 1)).status == Kind.SIGNED
    assert status_of(mou, as_of=D(2010, 1, 1)).status is None


def test_with_status_in_reads_the_status_as_of_a_day():
    mou = AgreementFactory()
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    mou.record_event(Kind.SIGNED, "2014")
    drafts_in_2012 = Agreement.objects.with_status_in([Kind.DRAFT_AGREED], as_of=D(2012, 1, 1))
    assert list(drafts_in_2012) == [mou]
    assert not Agreement.objects.with_status_in([Kind.DRAFT_AGREED]).exists()


HISTORIES = st.lists(
    st.tuples(
        st.sampled_from(Kind.values),
        st.sampled_from(["2010", "2011", "2011-06", "2011-06-30", "2012-01-01", "2012"]),
    ),
    max_size=5,
    unique=True,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(history=HISTORIES, day=st.dates(D(2009, 12, 1), D(2013, 1, 31)))
def test_the_status_as_of_any_day_is_the_latest_event_certainly_past_by_then(history, day):
    """Whether or not anything happened after that day (the stored status is read when
    nothing did, the events otherwise), the status is the one the events give."""
    Agreement.objects.all().delete()
    mou = AgreementFactory()
    for kind, date in history:
        mou.record_event(kind, date)
    past = [event for event in mou.events.all() if event.date.last <= day]
    latest = max(past, key=lambda e: (e.date.first, e.date.last, e.pk), default=None)
    row = status_of(mou, as_of=day)
    if latest is None:
        assert (row.status, row.status_date, row.last_activity) == (None, None, None)
    else:
        assert (row.status, row.status_date, row.last_activity) == (
            latest.kind,
            latest.date,
            latest.date.last,
        )
    counted = Agreement.objects.with_status(as_of=day).values_list("status", flat=True)
    assert list(counted) == [latest.kind if latest else None]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
def test_counting_statuses_as_of_a_day_reads_the_event_index_alone():
    """Every agreement's status on a past day is one index search each, never a table read."""
    counts = (
        Agreement.objects.with_status(as_of=D(2015, 6, 1))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    plan = counts.explain()
    assert "USING COVERING INDEX event_latest_idx" in plan, plan


# Follow-up


def test_open_follow_ups_are_those_still_owed():
    still_open = FollowUpFactory(state=State.OPEN)
    in_progress = FollowUpFactory(state=State.IN_PROGRESS)
    FollowUpFactory(state=State.DONE)
    FollowUpFactory(state=State.DROPPED)
    assert set(FollowUp.objects.open()) == {still_open, in_progress}


def test_a_follow_up_is_open_as_of_a_day_from_its_request_until_it_is_closed():
    follow_up = FollowUpFactory(requested_on="2013-08-20", state=State.DONE, closed_on="2014-03")

    def open_on(day):
        return FollowUp.objects.open(as_of=day).filter(pk=follow_up.pk).exists()

    assert not open_on(D(2013, 8, 19))
    assert open_on(D(2013, 8, 20))
    assert open_on(D(2014, 2, 28))
    assert not open_on(D(2014, 3, 1))  # it may have been closed that day
    assert not FollowUp.objects.open().exists()


def test_a_follow_up_requested_in_a_month_is_open_from_the_months_last_day():
    follow_up = FollowUpFactory(requested_on="2013-08")
    assert not FollowUp.objects.open(as_of=D(2013, 8, 30)).exists()
    assert list(FollowUp.objects.open(as_of=D(2013, 8, 31))) == [follow_up]


def test_a_follow_up_closed_on_an_unknown_day_is_open_on_no_past_day():
    FollowUpFactory(requested_on="2013-08-20", state=State.DONE, closed_on="")
    assert not FollowUp.objects.open(as_of=D(2013, 9, 1)).exists()


def test_a_follow_up_with_no_request_date_is_open_from_the_day_of_its_meeting():
    meeting = MeetingFactory(date="2013-08-20")
    follow_up = FollowUpFactory(meeting=meeting, requested_on="")
    assert not FollowUp.objects.open(as_of=D(2013, 8, 19)).exists()
    assert list(FollowUp.objects.open(as_of=D(2013, 8, 20))) == [follow_up]


def test_a_follow_up_with_no_date_and_no_meeting_is_open_on_any_day():
    follow_up = FollowUpFactory(requested_on="", meeting=None)
    assert list(FollowUp.objects.open(as_of=D(1990, 1, 1))) == [follow_up]
    assert list(FollowUp.objects.open(as_of=D(2030, 1, 1))) == [follow_up]


def test_full_clean_takes_the_request_date_from_the_meeting():
    meeting = MeetingFactory(date="2013-08")
    follow_up = FollowUpFactory.build(
        meeting=meeting, responsible_organization=OrganizationFactory(), agreement=None
    )
    follow_up.full_clean()
    assert follow_up.requested_on == PartialDate(2013, 8)


def test_an_open_follow_up_cannot_have_a_closing_date():
    follow_up = FollowUpFactory.build(
        responsible_organization=OrganizationFactory(), agreement=None, closed_on="2014"
    )
    with pytest.raises(ValidationError) as excinfo:
        follow_up.full_clean()
    assert excinfo.value.message_dict == {
        "closed_on": ["An open follow-up has no closing date: mark it done or dropped."]
    }


@pytest.mark.parametrize(
    ("due", "last_day_in_time", "first_day_overdue"),
    [
        ("2013-09-15", D(2013, 9, 15), D(2013, 9, 16)),
        ("2013-09", D(2013, 9, 30), D(2013, 10, 1)),
        ("2013", D(2013, 12, 31), D(2014, 1, 1)),
    ],
)
def test_a_follow_up_is_overdue_once_the_last_day_it_was_due_has_passed(
    due, last_day_in_time, first_day_overdue
):
    follow_up = FollowUpFactory(requested_on="2013-08-20", due=due)
    assert not FollowUp.objects.overdue(today=last_day_in_time).exists()
    assert not follow_up.is_overdue(today=last_day_in_time)
    assert list(FollowUp.objects.overdue(today=first_day_overdue)) == [follow_up]
    assert follow_up.is_overdue(today=first_day_overdue)


def test_a_follow_up_with_no_due_date_is_never_overdue():
    follow_up = FollowUpFactory(requested_on="2013-08-20", due="")
    assert not FollowUp.objects.overdue(today=D(2030, 1, 1)).exists()
    assert not FollowUp.objects.overdue().exists()
    assert not follow_up.is_overdue(today=D(2030, 1, 1))


@pytest.mark.parametrize("state", [State.DONE, State.DROPPED])
def test_a_closed_follow_up_is_not_overdue(state):
    follow_up = FollowUpFactory(requested_on="2013-08-20", due="2013-09", state=state)
    assert not FollowUp.objects.overdue(today=D(2014, 1, 1)).exists()
    assert not FollowUp.objects.overdue().exists()
    assert not follow_up.is_overdue(today=D(2014, 1, 1))


def test_a_follow_up_done_late_was_overdue_on_the_days_before_it_was_done():
    FollowUpFactory(requested_on="2013-08-20", due="2013-09", state=State.DONE, closed_on="2014-03")
    assert FollowUp.objects.overdue(today=D(2014, 1, 1)).exists()
    assert not FollowUp.objects.overdue(today=D(2014, 3, 1)).exists()


def test_overdue_without_a_day_means_today():
    long_overdue = FollowUpFactory(due="2000")
    FollowUpFactory(due="2999")
    FollowUpFactory(due="")
    assert list(FollowUp.objects.overdue()) == [long_overdue]
    assert long_overdue.is_overdue()


@pytest.mark.parametrize(
    "dates",
    [
        {"requested_on": "2013-08-20", "due": "2013-09"},
        {"requested_on": "", "due": "2013-09"},
        {"requested_on": "", "due": ""},
        {"requested_on": "2013", "due": "2999"},
    ],
)
def test_overdue_today_agrees_with_the_follow_up_and_with_the_default_day(dates):
    follow_up = FollowUpFactory(meeting=None, **dates)
    today = datetime.date.today()
    by_day = FollowUp.objects.overdue(today=today).filter(pk=follow_up.pk).exists()
    by_default = FollowUp.objects.overdue().filter(pk=follow_up.pk).exists()
    assert by_day == by_default == follow_up.is_overdue(today=today)


def test_owed_by_narrows_to_what_an_organization_owes():
    embassy, bnpt = OrganizationFactory(), OrganizationFactory()
    owed = [
        FollowUpFactory(responsible_organization=embassy),
        FollowUpFactory(responsible_organization=embassy, state=State.DONE),
    ]
    FollowUpFactory(responsible_organization=bnpt, requested_by_organization=embassy)
    assert set(FollowUp.objects.owed_by(embassy)) == set(owed)
    assert list(FollowUp.objects.open().owed_by(embassy)) == [owed[0]]


# Citations


def cited_event(source, passage):
    return AgreementEventFactory.build(
        agreement=AgreementFactory(), date="2013", source=source, passage=passage
    )


def test_a_passage_that_is_not_in_its_source_is_refused():
    source = SourceFactory(title="Tashkent report")
    event = cited_event(source, "The parties signed the MOU.")
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert excinfo.value.message_dict == {
        "passage": ["These words do not occur in “Tashkent report”. Quote it exactly."]
    }


def test_a_passage_is_matched_whatever_the_spacing():
    source = SourceFactory(text="The parties met\nand agreed  to continue their cooperation.")
    cited_event(source, "  The parties met and agreed to continue ").full_clean()
    cited_event(source, "met and\n\tagreed to").full_clean()


def test_a_passage_is_matched_word_for_word():
    source = SourceFactory(text="The parties met and agreed to continue their cooperation.")
    with pytest.raises(ValidationError):
        cited_event(source, "the parties met").full_clean()  # not the same letters
    with pytest.raises(ValidationError):
        cited_event(source, "The parties met and agreed to stop").full_clean()


def test_a_passage_without_a_source_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        cited_event(None, "The parties met.").full_clean()
    assert excinfo.value.message_dict == {
        "source": ["Name the source this passage is quoted from."]
    }


def test_a_passage_from_a_source_without_its_text_cannot_be_checked_and_is_kept():
    source = SourceFactory(text="")
    cited_event(source, "Anything at all.").full_clean()


def test_a_source_may_be_cited_without_a_passage():
    cited_event(SourceFactory(), "").full_clean()


# Natural keys


def membership_with_unknown_start():
    membership = MembershipFactory(start="", attested="2013-08-20")
    dated = MembershipFactory(
        organization=membership.organization, country=membership.country, start="2001"
    )
    return membership, dated


def position_with_no_holder():
    post = PositionFactory(holder=None, attested="2011", ended=True)
    held = PositionFactory(organization=post.organization, attested="2011")
    return post, held


def position_with_no_attested_date():
    post = PositionFactory(attested="")
    later = PositionFactory(organization=post.organization, holder=post.holder, attested="2013")
    return post, later


def follow_up_with_no_agreement():
    follow_up = FollowUpFactory(agreement=None, action="Encourage further cooperation")
    on_an_agreement = FollowUpFactory(action="Encourage further cooperation")
    return follow_up, on_an_agreement


def participant_without_person():
    unnamed = ParticipantFactory(person=None, position=PositionFactory(holder=None))
    named = ParticipantFactory(meeting=unnamed.meeting, organization=unnamed.organization)
    return unnamed, named


def participant_with_person():
    named, unnamed = participant_without_person()[::-1]
    return named, unnamed


def event_on_a_partial_date():
    event = AgreementEventFactory(date="2013-08")
    same_day = AgreementEventFactory(agreement=event.agreement, date="2013-08-20")
    return event, same_day


def meeting_on_a_partial_date():
    meeting = MeetingFactory(date="2011", title="Visit")
    return meeting, MeetingFactory(date="2011-05", title="Visit")


def pair(factory):
    def build():
        return factory(), factory()

    return build


NATURAL_KEY_CASES = {
    "source": pair(SourceFactory),
    "country": lambda: (country("UZ"), country("KZ")),
    "topic": pair(TopicFactory),
    "organization": pair(OrganizationFactory),
    "organization name": pair(OrganizationNameFactory),
    "membership with unknown start": membership_with_unknown_start,
    "membership with known start": lambda: membership_with_unknown_start()[::-1],
    "person": pair(PersonFactory),
    "position with no holder": position_with_no_holder,
    "position with a holder": lambda: position_with_no_holder()[::-1],
    "position with no attested date": position_with_no_attested_date,
    "meeting": meeting_on_a_partial_date,
    "participant without person": participant_without_person,
    "participant with person": participant_with_person,
    "outcome": pair(OutcomeFactory),
    "agreement": pair(AgreementFactory),
    "agreement party": pair(AgreementPartyFactory),
    "agreement event": event_on_a_partial_date,
    "follow-up with no agreement": follow_up_with_no_agreement,
    "follow-up on an agreement": lambda: follow_up_with_no_agreement()[::-1],
}


@pytest.mark.parametrize("case", NATURAL_KEY_CASES)
def test_a_record_is_found_again_by_its_natural_key(case):
    record, look_alike = NATURAL_KEY_CASES[case]()
    assert record.natural_key() != look_alike.natural_key()
    manager = type(record).objects
    assert manager.get_by_natural_key(*record.natural_key()) == record
    assert manager.get_by_natural_key(*look_alike.natural_key()) == look_alike


def test_every_model_with_a_natural_key_is_checked():
    with_keys = {
        model._meta.label
        for model in apps.get_models()
        if issubclass(model, Record) and model.natural_key_fields
    }
    checked = set()
    for build in NATURAL_KEY_CASES.values():
        checked |= {type(record)._meta.label for record in build()}
    assert with_keys <= checked, with_keys - checked


@pytest.mark.parametrize(
    "build",
    [
        lambda: MembershipFactory(start="", attested="2013-08-20"),
        lambda: PositionFactory(holder=None, attested="2011", ended=True),
        lambda: FollowUpFactory(agreement=None),
        lambda: ParticipantFactory(person=None, position=PositionFactory(holder=None)),
    ],
    ids=["membership", "position", "follow-up", "participant"],
)
def test_loading_a_record_by_natural_key_again_updates_it_rather_than_adding_one(build):
    record = build()
    model = type(record)
    dumped = serializers.serialize(
        "json", [record], use_natural_foreign_keys=True, use_natural_primary_keys=True
    )
    assert '"pk"' not in dumped
    for deserialized in serializers.deserialize("json", dumped):
        assert deserialized.object.pk == record.pk
        deserialized.save()
    assert model.objects.count() == 1


def test_natural_keys_write_an_unknown_date_as_nothing_and_a_partial_date_as_text():
    membership = MembershipFactory(start="", attested="2013-08-20", country=country("CN"))
    assert membership.natural_key()[1:] == ("CN", Membership.Status.MEMBER, None)
    post = PositionFactory(holder=None, attested="2011")
    assert post.natural_key()[1:] == ("Director", None, "2011")
    assert Position.objects.get_by_natural_key(*post.natural_key()) == post
    participant = ParticipantFactory(person=None, position=post)
    assert participant.natural_key()[:2] == ("2013-08-20", participant.meeting.title)
    assert Participant.objects.get_by_natural_key(*participant.natural_key()) == participant
