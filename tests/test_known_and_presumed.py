"""On any day a status or a post is known, presumed or unknown, and the pages say which.

Known: a source confirms it that day, or the day lies between its start and the last
date a source confirms it, or before its recorded end. Presumed: it held on the last
confirmed day and no end is recorded, but no source speaks of this day. Unknown:
nothing recorded says it held (it is not listed).
"""

import csv
import datetime
import io

import pytest

from cooperation.charts import TimeScale, membership_rows
from tests.factories import MembershipFactory, OrganizationFactory, PositionFactory, country

D = datetime.date
TODAY = datetime.date.today()

pytestmark = pytest.mark.django_db


def answer(record, day):
    """ "known", "presumed" or "unknown", as the queryset gives it for `day`."""
    row = type(record).objects.with_certainty_on(day).get(pk=record.pk)
    if not row.held:
        return "unknown"
    return "presumed" if row.presumed else "known"


def chart_answer(membership, day):
    """The same answer as the chart draws it: the kind of segment over `day`."""
    scale = TimeScale(D(1990, 1, 1), D(2100, 1, 1), 0, 100_000)
    (row,) = membership_rows([membership], scale, today=D(2099, 12, 31))
    (bar,) = row.bars
    x = scale.x(day)
    over = [s for s in bar.segments if s.x1 <= x < s.x1 + s.width]
    if any(s.certain for s in over):
        return "known"
    if any(s.presumed for s in over):
        return "presumed"
    return "unknown"


CASES = [
    # (start, end, attested, day, answer)
    ("2013-08-20", "", "", D(2013, 8, 19), "unknown"),  # the day before a start
    ("2013-08-20", "", "", D(2013, 8, 20), "known"),  # its start confirms it
    ("2013-08-20", "", "", D(2013, 8, 21), "presumed"),
    ("", "", "2013-08-20", D(2013, 8, 19), "unknown"),
    ("", "", "2013-08-20", D(2013, 8, 20), "known"),  # on an attested day
    ("", "", "2013-08-20", D(2013, 8, 21), "presumed"),  # the day after the last attestation
    ("2005", "", "2013-08-20", D(2010, 3, 1), "known"),  # between start and attestation
    ("2005", "", "2013-08-20", D(2013, 8, 21), "presumed"),
    ("2011", "", "", D(2011, 12, 30), "unknown"),  # a year-only start: its last day counts
    ("2011", "", "", D(2011, 12, 31), "known"),
    ("2011", "", "", D(2012, 1, 1), "presumed"),
    ("2005", "2017-06-09", "", D(2016, 1, 1), "known"),  # an end recorded: never presumed
    ("2005", "2017-06-09", "", D(2017, 6, 9), "unknown"),
]


@pytest.mark.parametrize(("start", "end", "attested", "day", "expected"), CASES)
def test_a_membership_is_known_presumed_or_unknown_on_each_day(start, end, attested, day, expected):
    membership = MembershipFactory(start=start, end=end, attested=attested)
    assert answer(membership, day) == expected


@pytest.mark.parametrize(("start", "end", "attested", "day", "expected"), CASES)
def test_the_chart_draws_the_same_answer_as_the_list(start, end, attested, day, expected):
    membership = MembershipFactory(start=start, end=end, attested=attested)
    assert chart_answer(membership, day) == expected


@pytest.mark.parametrize(("start", "end", "attested", "day", "expected"), CASES)
def test_a_post_follows_the_same_rule(start, end, attested, day, expected):
    post = PositionFactory(start=start, end=end, attested=attested)
    assert answer(post, day) == expected


def test_a_status_nothing_dates_is_presumed_every_day():
    membership = MembershipFactory(start="", end="", attested="")
    assert membership.last_confirmed is None
    assert answer(membership, D(1999, 1, 1)) == answer(membership, TODAY) == "presumed"


def test_a_status_ended_on_an_unknown_day_is_never_listed():
    membership = MembershipFactory(start="", attested="2011", ended=True)
    assert answer(membership, D(2011, 12, 31)) == answer(membership, TODAY) == "unknown"


def test_the_last_confirmation_is_the_later_of_start_and_attestation():
    membership = MembershipFactory(start="2013", attested="2013-08-20")
    assert membership.last_confirmed.iso == "2013"  # its last day, 31 December, is later
    membership = MembershipFactory(start="2005", attested="2013-08-20")
    assert membership.last_confirmed.iso == "2013-08-20"


def years_since_report():
    return (TODAY - D(2013, 8, 20)).days // 365


def test_sco_today_lists_every_member_and_observer_as_presumed(analyst_client, tashkent):
    response = analyst_client.get("/organizations/sco/")
    statuses = {status.label: status for status in response.context["by_status"]}
    assert [len(statuses["Member"].known), len(statuses["Member"].presumed)] == [0, 6]
    assert [len(statuses["Observer"].known), len(statuses["Observer"].presumed)] == [0, 5]
    assert response.context["presumed_count"] == 11
    html = response.text
    assert "<strong>6</strong> members: 0 known, 6 presumed" in html
    assert "<strong>5</strong> observers: 0 known, 5 presumed" in html
    years = years_since_report()
    assert f"observer, last confirmed 20 August 2013, {years}\xa0years before this day" in html
    assert 'mask="url(#memberships-stripes)"' in html
    assert "Striped: presumed" in html  # the legend says what the stripes mean


def test_the_day_of_the_report_lists_them_as_known(analyst_client, tashkent):
    html = analyst_client.get("/organizations/sco/?as_of=2013-08-20").text
    assert "<strong>6</strong> members: 6 known, 0 presumed" in html
    assert "Presumed members" not in html


def test_a_posts_holder_is_presumed_in_post_after_the_report(analyst_client, tashkent):
    html = analyst_client.get("/organizations/rats-sco/").text
    assert "presumed in post: last confirmed 20 August 2013" in html
    # The predecessor's term ended on a day the report does not give: not in post.
    assert "not in post, as far as recorded" in html
    html = analyst_client.get("/organizations/rats-sco/?as_of=2013-08-20").text
    assert "in post (known)" in html


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_countries_on_a_day_export_with_their_certainty(analyst_client, tashkent):
    response = analyst_client.get("/organizations/sco/countries.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="sco-countries-')
    rows = read_csv(response)
    assert len(rows) == 11
    china = next(row for row in rows if row["Country code"] == "CN")
    assert china["Status"] == "Member"
    assert china["Certainty"] == "presumed"
    assert (
        china["Last confirmed"],
        china["Last confirmed: first day"],
        china["Last confirmed: last day"],
    ) == ("2013-08-20", "2013-08-20", "2013-08-20")
    assert china["Start"] == china["Start: first day"] == ""  # the report gives no start
    rows = read_csv(analyst_client.get("/organizations/sco/countries.csv?as_of=2013-08-20"))
    assert {row["Certainty"] for row in rows} == {"known"}
    assert read_csv(analyst_client.get("/organizations/sco/countries.csv?as_of=2013-08-19")) == []


def test_a_partial_date_is_exported_as_written_with_its_bounds(analyst_client):
    organization = OrganizationFactory(slug="asean-like")
    MembershipFactory(organization=organization, country=country("ID"), start="2011")
    (row,) = read_csv(
        analyst_client.get("/organizations/asean-like/countries.csv?as_of=2012-05-01")
    )
    assert (row["Start"], row["Start: first day"], row["Start: last day"]) == (
        "2011",
        "2011-01-01",
        "2011-12-31",
    )
    assert row["Certainty"] == "presumed"


@pytest.mark.parametrize("as_of", ["2013-13-01", "yesterday", "0000-01-01"])
def test_a_bad_day_for_the_export_answers_400_with_the_reason(analyst_client, tashkent, as_of):
    response = analyst_client.get(f"/organizations/sco/countries.csv?as_of={as_of}")
    assert response.status_code == 400
    assert response.content.decode().startswith("as_of: ")


def test_the_export_of_an_unknown_organization_is_404(analyst_client, db):
    assert analyst_client.get("/organizations/nothing/countries.csv").status_code == 404
