"""Above the status page's table: the filtered agreements by status, each bar divided by
how long since their last activity, drawn on the server."""

import pytest

from agreements.overview import AGES, overview

pytestmark = pytest.mark.django_db


def chart(response):
    return response.context["overview"]


def segments(bar):
    return {segment.label: segment.count for segment in bar.segments}


def test_the_tashkent_mous_are_a_bar_of_follow_ups_requested_years_ago(analyst_client, tashkent):
    response = analyst_client.get("/agreements/")
    (bar,) = chart(response).bars
    assert (bar.label, bar.total) == ("Follow-up requested", 2)
    assert segments(bar) == {"over 3 years": 2}
    html = response.content.decode()
    assert '<svg viewBox="0 0 420' in html
    assert "Follow-up requested: 2 (2 over 3 years)" in html  # the chart's description


def test_as_of_a_day_the_ages_are_counted_from_that_day(analyst_client, tashkent):
    (bar,) = chart(analyst_client.get("/agreements/", {"as_of": "2013-09-01"})).bars
    assert segments(bar) == {"within 90 days": 2}
    (bar,) = chart(analyst_client.get("/agreements/", {"as_of": "2014-06-01"})).bars
    assert segments(bar) == {"90 days to a year": 2}


def test_the_chart_follows_the_filters(analyst_client, tashkent):
    assert chart(analyst_client.get("/agreements/", {"kind": "treaty"})).bars == []
    assert "overview-chart" not in analyst_client.get("/agreements/", {"kind": "treaty"}).text


def test_bars_are_as_long_as_their_counts_and_divided_by_age():
    counts = {
        ("signed", "recent"): 3,
        ("signed", "old"): 1,
        ("draft_agreed", "years"): 2,
        (None, "none"): 1,
    }
    drawn = overview(counts)
    by_label = {bar.label: bar for bar in drawn.bars}
    signed = by_label["Signed"]
    assert segments(signed) == {"within 90 days": 3, "over 3 years": 1}
    assert by_label["No events yet"].total == 1
    # The longest bar is the largest total; every bar is in proportion to it.
    width = {label: sum(s.width for s in bar.segments) for label, bar in by_label.items()}
    assert width["Draft agreed"] == pytest.approx(width["Signed"] / 2, abs=0.2)
    # Segments follow each other, and the legend names only the ages drawn.
    first, second = signed.segments
    assert second.x == pytest.approx(first.x + first.width, abs=0.2)
    assert [label for _, label, _, _ in drawn.legend] == [
        "within 90 days", "1 to 3 years", "over 3 years", "no activity recorded",
    ]  # fmt: skip
    assert len(AGES) == 4
