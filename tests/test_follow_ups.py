"""Follow-ups: open from the day they were asked for until closed, overdue once the last day
they were due has passed, owed by the organization responsible."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import FollowUp
from cooperation.partial_dates import PartialDate
from tests.factories import FollowUpFactory, MeetingFactory, OrganizationFactory

D = datetime.date


State = FollowUp.State


pytestmark = pytest.mark.django_db


def is_overdue(follow_up, today=None):
    """The rule in plain Python, to hold FollowUp.objects.overdue() to: still open, and the
    last day it was due has passed."""
    today = today or datetime.date.today()
    return follow_up.is_open and follow_up.due is not None and follow_up.due.last < today


# Open


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


# Overdue


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
    assert not is_overdue(follow_up, today=last_day_in_time)
    assert list(FollowUp.objects.overdue(today=first_day_overdue)) == [follow_up]
    assert is_overdue(follow_up, today=first_day_overdue)


def test_a_follow_up_with_no_due_date_is_never_overdue():
    follow_up = FollowUpFactory(requested_on="2013-08-20", due="")
    assert not FollowUp.objects.overdue(today=D(2030, 1, 1)).exists()
    assert not FollowUp.objects.overdue().exists()
    assert not is_overdue(follow_up, today=D(2030, 1, 1))


@pytest.mark.parametrize("state", [State.DONE, State.DROPPED])
def test_a_closed_follow_up_is_not_overdue(state):
    follow_up = FollowUpFactory(requested_on="2013-08-20", due="2013-09", state=state)
    assert not FollowUp.objects.overdue(today=D(2014, 1, 1)).exists()
    assert not FollowUp.objects.overdue().exists()
    assert not is_overdue(follow_up, today=D(2014, 1, 1))


def test_a_follow_up_done_late_was_overdue_on_the_days_before_it_was_done():
    FollowUpFactory(requested_on="2013-08-20", due="2013-09", state=State.DONE, closed_on="2014-03")
    assert FollowUp.objects.overdue(today=D(2014, 1, 1)).exists()
    assert not FollowUp.objects.overdue(today=D(2014, 3, 1)).exists()


def test_overdue_without_a_day_means_today():
    long_overdue = FollowUpFactory(due="2000")
    FollowUpFactory(due="2999")
    FollowUpFactory(due="")
    assert list(FollowUp.objects.overdue()) == [long_overdue]
    assert is_overdue(long_overdue)


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
    assert by_day == by_default == is_overdue(follow_up, today=today)


# Owed by


def test_owed_by_narrows_to_what_an_organization_owes():
    embassy, bnpt = OrganizationFactory(), OrganizationFactory()
    owed = [
        FollowUpFactory(responsible_organization=embassy),
        FollowUpFactory(responsible_organization=embassy, state=State.DONE),
    ]
    FollowUpFactory(responsible_organization=bnpt, requested_by_organization=embassy)
    assert set(FollowUp.objects.owed_by(embassy)) == set(owed)
    assert list(FollowUp.objects.open().owed_by(embassy)) == [owed[0]]


def test_a_follow_up_links_to_its_row_on_the_page_that_shows_it(analyst_client):
    on_agreement = FollowUpFactory()
    agreement = on_agreement.agreement
    meeting = MeetingFactory()
    on_meeting = FollowUpFactory(agreement=None, meeting=meeting)
    on_nothing = FollowUpFactory(agreement=None, meeting=None)

    page, anchor = on_agreement.get_absolute_url().split("#")
    assert page == agreement.get_absolute_url()
    assert f'id="{anchor}"' in analyst_client.get(page).content.decode()
    page, anchor = on_meeting.get_absolute_url().split("#")
    assert page == meeting.get_absolute_url()
    assert f'id="{anchor}"' in analyst_client.get(page).content.decode()
    # No page of its own: the admin's, which analysts may view.
    assert analyst_client.get(on_nothing.get_absolute_url()).status_code == 200
