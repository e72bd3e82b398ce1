"""An agreement's status is its latest event, today or as it stood on any past day."""

import datetime

import pytest
from django.db import connection
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements.models import Agreement, AgreementEvent
from cooperation.partial_dates import PartialDate
from tests.factories import AgreementFactory
from tests.statuses import status_of, with_status_in

D = datetime.date


Kind = AgreementEvent.Kind


pytestmark = pytest.mark.django_db


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
    assert list(with_status_in([Kind.SIGNED])) == [bnpt]


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
    drafts_in_2012 = with_status_in([Kind.DRAFT_AGREED], as_of=D(2012, 1, 1))
    assert list(drafts_in_2012) == [mou]
    assert not with_status_in([Kind.DRAFT_AGREED]).exists()


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
