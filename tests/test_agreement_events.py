"""Recording an agreement's events: record_event adds a step, and refuses a bad one with a
message on the field, saving nothing."""

import pytest
from django.core.exceptions import ValidationError

from agreements.models import AgreementEvent
from cooperation.partial_dates import PartialDate
from tests.factories import AgreementFactory, MeetingFactory, SourceFactory
from tests.statuses import status_of

Kind = AgreementEvent.Kind


pytestmark = pytest.mark.django_db


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
