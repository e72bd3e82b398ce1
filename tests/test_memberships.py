"""Who held which status or post on a given day, as far as the record shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cooperation.models import Membership, Position, first_overlap, overlap_message
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    PositionFactory,
    country,
)
from tests.validation import assert_valid

D = datetime.date
MEMBER = Membership.Status.MEMBER
OBSERVER = Membership.Status.OBSERVER

pytestmark = pytest.mark.django_db


def counted_on(day, membership):
    return Membership.objects.on(day).filter(pk=membership.pk).exists()


def statuses_on(day, organization, code="UZ"):
    on_the_day = Membership.objects.on(day).filter(organization=organization, country__code=code)
    return set(on_the_day.values_list("status", flat=True))


# A known start


@pytest.mark.parametrize(
    ("start", "day_before", "first_day"),
    [
        ("2011", D(2011, 12, 30), D(2011, 12, 31)),
        ("2013-08", D(2013, 8, 30), D(2013, 8, 31)),
        ("2012-02", D(2012, 2, 28), D(2012, 2, 29)),
        ("2013-08-20", D(2013, 8, 19), D(2013, 8, 20)),
    ],
)
def test_it_counts_a_membership_from_the_last_day_its_start_can_mean(start, day_before, first_day):
    membership = MembershipFactory(start=start)
    assert not counted_on(day_before, membership)
    assert counted_on(first_day, membership)
    assert counted_on(D(2030, 1, 1), membership)


def test_a_start_known_only_to_the_year_is_not_claimed_within_that_year():
    membership = MembershipFactory(start="2011")
    assert not counted_on(D(2011, 1, 1), membership)
    assert not counted_on(D(2011, 6, 15), membership)


def test_an_attested_date_does_not_move_a_known_start():
    membership = MembershipFactory(start="2013-08-20", attested="2011")
    assert counted_on(D(2013, 8, 20), membership)
    assert not counted_on(D(2012, 1, 1), membership)


# An unknown start


@pytest.mark.parametrize(
    ("attested", "day_before", "first_day"),
    [
        ("2013-08-20", D(2013, 8, 19), D(2013, 8, 20)),
        ("2013-08", D(2013, 8, 30), D(2013, 8, 31)),
        ("2011", D(2011, 12, 30), D(2011, 12, 31)),
    ],
)
def test_it_counts_a_membership_with_an_unknown_start_from_its_attested_date(
    attested, day_before, first_day
):
    membership = MembershipFactory(start="", attested=attested)
    assert not counted_on(day_before, membership)
    assert counted_on(first_day, membership)


def test_a_membership_with_nothing_known_of_its_dates_always_counts():
    membership = MembershipFactory(start="", attested="")
    assert counted_on(D(1900, 1, 1), membership)
    assert counted_on(D(2013, 8, 20), membership)
    assert counted_on(D(2100, 1, 1), membership)


# Its end


@pytest.mark.parametrize(
    ("end", "last_day", "day_after"),
    [
        ("2015-06-15", D(2015, 6, 14), D(2015, 6, 15)),
        ("2015-06", D(2015, 5, 31), D(2015, 6, 1)),
        ("2015", D(2014, 12, 31), D(2015, 1, 1)),
    ],
)
def test_it_counts_a_membership_until_the_first_day_its_end_can_mean(end, last_day, day_after):
    membership = MembershipFactory(start="2011", end=end)
    assert counted_on(last_day, membership)
    assert not counted_on(day_after, membership)
    assert not counted_on(D(2030, 1, 1), membership)


def test_an_end_without_a_start_still_ends_it():
    membership = MembershipFactory(start="", attested="", end="2015-06-15")
    assert counted_on(D(2015, 6, 14), membership)
    assert not counted_on(D(2015, 6, 15), membership)


@pytest.mark.parametrize(
    "dates",
    [
        {"start": "2011", "attested": ""},
        {"start": "", "attested": "2013-08-20"},
        {"start": "", "attested": ""},
    ],
)
def test_it_never_counts_a_membership_that_ended_on_an_unknown_day(dates):
    membership = MembershipFactory(ended=True, **dates)
    for day in (D(1900, 1, 1), D(2013, 8, 20), D(2014, 1, 1), D(2100, 1, 1)):
        assert not counted_on(day, membership), day


def test_a_known_end_decides_even_when_it_is_marked_as_ended():
    membership = MembershipFactory(start="2011", end="2015", ended=True)
    assert counted_on(D(2013, 1, 1), membership)
    assert not counted_on(D(2015, 1, 1), membership)


# A change of status


def test_a_country_is_an_observer_until_the_day_it_becomes_a_member():
    sco = OrganizationFactory()
    MembershipFactory(organization=sco, status=OBSERVER, start="2005-07-05", end="2017-06-09")
    MembershipFactory(organization=sco, status=MEMBER, start="2017-06-09")
    assert statuses_on(D(2005, 7, 4), sco) == set()
    assert statuses_on(D(2010, 1, 1), sco) == {OBSERVER}
    assert statuses_on(D(2017, 6, 8), sco) == {OBSERVER}
    assert statuses_on(D(2017, 6, 9), sco) == {MEMBER}
    assert statuses_on(D(2020, 1, 1), sco) == {MEMBER}


def test_it_claims_neither_status_within_the_month_of_a_switch_known_to_the_month():
    sco = OrganizationFactory()
    MembershipFactory(organization=sco, status=OBSERVER, start="2005", end="2017-06")
    MembershipFactory(organization=sco, status=MEMBER, start="2017-06")
    assert statuses_on(D(2017, 5, 31), sco) == {OBSERVER}
    assert statuses_on(D(2017, 6, 1), sco) == set()
    assert statuses_on(D(2017, 6, 29), sco) == set()
    assert statuses_on(D(2017, 6, 30), sco) == {MEMBER}


def test_it_counts_each_country_and_organization_apart():
    sco, asean = OrganizationFactory(), OrganizationFactory()
    MembershipFactory(organization=sco, country=country("UZ"), start="2001")
    MembershipFactory(organization=sco, country=country("KZ"), start="2014")
    MembershipFactory(organization=asean, country=country("ID"), start="1967-08-08")
    day = D(2013, 8, 20)
    assert statuses_on(day, sco, "UZ") == {MEMBER}
    assert statuses_on(day, sco, "KZ") == set()
    assert statuses_on(day, asean, "ID") == {MEMBER}
    assert statuses_on(day, sco, "ID") == set()


# Overlaps


def test_a_status_that_ends_the_day_the_next_begins_does_not_overlap_it():
    observer = MembershipFactory(status=OBSERVER, start="2005-07-05", end="2017-06-09")
    member = MembershipFactory(
        organization=observer.organization, status=MEMBER, start="2017-06-09"
    )
    assert not observer.overlaps(member)
    assert not member.overlaps(observer)
    assert first_overlap([observer, member]) is None


def test_it_finds_a_country_that_is_both_observer_and_member_on_the_same_day():
    observer = MembershipFactory(status=OBSERVER, start="2005", end="2017-06-10")
    member = MembershipFactory(
        organization=observer.organization, status=MEMBER, start="2017-06-01"
    )
    assert observer.overlaps(member) and member.overlaps(observer)
    assert first_overlap([observer, member]) == (observer, member)
    # The day both held is a day on which on() counts both.
    assert statuses_on(D(2017, 6, 5), observer.organization) == {OBSERVER, MEMBER}


def test_a_switch_known_only_to_the_month_is_no_overlap():
    observer = MembershipFactory(status=OBSERVER, start="2005", end="2017-06")
    member = MembershipFactory(organization=observer.organization, status=MEMBER, start="2017-06")
    assert first_overlap([observer, member]) is None


def test_partial_dates_overlap_only_where_both_certainly_held():
    observer = MembershipFactory(status=OBSERVER, start="2005", end="2017-07")
    member = MembershipFactory(organization=observer.organization, status=MEMBER, start="2017-06")
    # The member status certainly held from 30 June, the observer one until 30 June.
    assert first_overlap([observer, member]) == (observer, member)
    assert statuses_on(D(2017, 6, 30), observer.organization) == {OBSERVER, MEMBER}


def test_a_status_with_no_dates_at_all_overlaps_any_other_of_the_same_country():
    undated = MembershipFactory(status=OBSERVER, start="", attested="")
    member = MembershipFactory(organization=undated.organization, status=MEMBER, start="2017")
    assert first_overlap([undated, member]) == (undated, member)


def test_a_status_that_ended_on_an_unknown_day_overlaps_nothing():
    # An observer from some day in 2005 until an unknown day, then a member from
    # 15 June 2005: a consistent history, which must not be refused as an overlap.
    ended = MembershipFactory(status=OBSERVER, start="2005", ended=True)
    member = MembershipFactory(organization=ended.organization, status=MEMBER, start="2005-06-15")
    assert not ended.overlaps(member)
    assert not member.overlaps(ended)
    assert first_overlap([ended, member]) is None
    assert first_overlap([member, ended]) is None


def test_a_start_known_less_precisely_than_its_end_overlaps_nothing():
    # Observer from some day in 2005 until 15 June 2005; member from some day in
    # March 2005. No day is certain for the observer status, so none is shared.
    observer = MembershipFactory(status=OBSERVER, start="2005", end="2005-06-15")
    member = MembershipFactory(organization=observer.organization, status=MEMBER, start="2005-03")
    assert not observer.overlaps(member)
    assert first_overlap([observer, member]) is None


OVERLAP_CASES = [
    ({"start": "2005", "end": "2017-06-09"}, {"start": "2017-06-09"}),
    ({"start": "2005", "end": "2017-06-10"}, {"start": "2017-06-09"}),
    ({"start": "2005", "end": "2017-06"}, {"start": "2017-06"}),
    ({"start": "2005", "end": "2017-07"}, {"start": "2017-06"}),
    ({"start": "2005", "ended": True}, {"start": "2005-06-15"}),
    ({"start": "2005", "ended": True}, {"start": "2001"}),
    ({"start": "2005", "end": "2005-06-15"}, {"start": "2005-03"}),
    ({"attested": "2013-08-20"}, {"start": "2013-08-21"}),
    ({"attested": "2013-08-20"}, {"start": "2013-08-20", "end": "2013-08-21"}),
    ({}, {"start": "2017"}),
    ({}, {"ended": True}),
    ({"end": "2001"}, {"attested": "2000"}),
]


@pytest.mark.parametrize(("observer_dates", "member_dates"), OVERLAP_CASES)
def test_two_statuses_overlap_exactly_when_on_counts_both_on_some_day(observer_dates, member_dates):
    observer = MembershipFactory(status=OBSERVER, **observer_dates)
    member = MembershipFactory(organization=observer.organization, status=MEMBER, **member_dates)
    edges = {
        day
        for membership in (observer, member)
        for day in membership.certain_span()
        if day not in (D.min, D.max)
    }
    days = {edge + datetime.timedelta(days=shift) for edge in edges for shift in (-1, 0, 1)}
    days |= {D(1900, 1, 1), D(2100, 1, 1)}
    counted_together = any(
        statuses_on(day, observer.organization) == {OBSERVER, MEMBER} for day in days
    )
    assert observer.overlaps(member) == counted_together
    assert member.overlaps(observer) == counted_together


def test_only_one_country_in_one_organization_can_overlap_itself():
    sco, asean = OrganizationFactory(), OrganizationFactory()
    others = [
        MembershipFactory(organization=sco, country=country("UZ"), start="2001"),
        MembershipFactory(organization=sco, country=country("KZ"), start="2001"),
        MembershipFactory(organization=asean, country=country("UZ"), start="2001"),
    ]
    assert first_overlap(others) is None
    same = MembershipFactory(organization=sco, country=country("UZ"), status=OBSERVER)
    assert first_overlap([*others, same]) == (others[0], same)


def test_the_overlap_message_names_both_statuses_and_their_periods():
    observer = MembershipFactory(status=OBSERVER, start="2005", end="2017-06-10")
    member = MembershipFactory(
        organization=observer.organization, status=MEMBER, start="2017-06-01"
    )
    assert overlap_message(observer, member) == (
        "Uzbekistan cannot be observer (2005 – 10 June 2017) while it is also member "
        f"(1 June 2017 – …) of {observer.organization.acronym}: "
        "give the earlier status an end date."
    )


@pytest.mark.parametrize(
    ("dates", "shown"),
    [
        ({"start": "2005", "end": "2017-06-10"}, "2005 – 10 June 2017"),
        ({"start": "2017-06"}, "June 2017 – …"),
        ({"start": "2005", "ended": True}, "2005 – ended, date unknown"),
        ({"attested": "2013-08-20"}, "attested 20 August 2013"),
        ({"attested": "2011", "ended": True}, "attested 2011, since ended"),
        ({}, "unknown start – no end known"),
    ],
)
def test_a_period_is_shown_with_what_is_known_of_it(dates, shown):
    assert Membership(**dates).period_display == shown


# The end is not before the start


@pytest.mark.parametrize(
    ("start", "end"),
    [("2013", "2012"), ("2013-08-20", "2013-08-19"), ("2013-08", "2013-07-31")],
)
def test_the_database_refuses_an_end_before_the_start(start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start=start, end=end)
    assert not Membership.objects.exists()


def test_the_database_refuses_a_post_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        PositionFactory(start="2013", end="2012-12")
    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [("2013-08-20", "2013-08-20"), ("2013", "2013-03"), ("2013-08-20", "2013-08"), ("", "2012")],
)
def test_an_end_that_may_come_after_the_start_is_accepted(start, end):
    membership = MembershipFactory(start=start, end=end)
    assert Membership.objects.get(pk=membership.pk).end.iso == end
    membership.full_clean()


def unsaved_membership(**dates):
    return MembershipFactory.build(organization=OrganizationFactory(), **dates)


def test_full_clean_says_the_end_comes_before_the_start():
    membership = unsaved_membership(start="2013", end="2012")
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert excinfo.value.message_dict == {"end": ["The end comes before the start."]}


@pytest.mark.parametrize("end", ["2013-07", "2013-08-19", "2013-08-20", "2012"])
def test_full_clean_says_the_end_comes_before_the_attested_date(end):
    membership = unsaved_membership(attested="2013-08-20", end=end)
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert excinfo.value.message_dict == {
        "end": ["The end comes before the last date a source attests it on."]
    }


def test_full_clean_accepts_an_end_that_may_come_after_the_attested_date():
    assert_valid(unsaved_membership(attested="2013-08-20", end="2013-08"))
    assert_valid(unsaved_membership(attested="2013-08-20", end="2013-08-21"))


def test_full_clean_reports_a_bad_start_without_comparing_it():
    membership = unsaved_membership(start="2013-13", end="2012")
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert list(excinfo.value.message_dict) == ["start"]
    assert "has no month 13" in excinfo.value.message_dict["start"][0]


def test_full_clean_accepts_a_well_dated_membership():
    assert_valid(unsaved_membership(start="2001-06-15", end="2013", attested="2011"))


# Posts


def test_a_post_whose_holder_is_unknown_counts_from_its_attested_date():
    post = PositionFactory(holder=None, attested="2011")
    assert not Position.objects.on(D(2011, 12, 30)).filter(pk=post.pk).exists()
    assert Position.objects.on(D(2011, 12, 31)).get() == post
    assert post.holder_display == "holder not named"


def test_an_unnamed_predecessor_who_left_on_an_unknown_day_holds_the_post_on_no_day():
    rats = OrganizationFactory(acronym="RATS-SCO")
    predecessor = PositionFactory(organization=rats, holder=None, attested="2011", ended=True)
    director = PositionFactory(organization=rats, holder=PersonFactory(), attested="2013-08-20")
    for day in (D(2011, 12, 31), D(2012, 6, 1)):
        assert not Position.objects.on(day).exists()
    assert list(Position.objects.on(D(2013, 8, 20))) == [director]
    assert not predecessor.overlaps(director)
    assert str(predecessor) == "Director, RATS-SCO: holder not named"
