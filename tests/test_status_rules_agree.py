"""Each rule of the status page is written once: where a page marks rows already fetched,
the mark agrees with the queryset method that finds them (stalled, overdue, owed by)."""

import datetime

import pytest

from agreements.models import Agreement, EntryIntoForce, FollowUp
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


def days_ago(days):
    return (TODAY - datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("days", [29, 30, 31])
def test_the_stalled_mark_agrees_with_stalled_at_the_boundary(analyst_client, days):
    agreement = factories.AgreementFactory(title="Waiting")
    agreement.record_event("proposed", days_ago(days))
    done = factories.AgreementFactory(title="Done with")
    done.record_event("terminated", days_ago(days))

    # ?stalled=30 both narrows the list (in SQL) and marks its rows (in Python).
    rows = analyst_client.get("/agreements/?stalled=30").context["rows"]
    listed = {row.title for row in rows}
    marked = {row.title for row in rows if row.stalled}
    found = set(Agreement.objects.with_status().stalled(days=30).values_list("title", flat=True))
    assert listed == marked == found == ({"Waiting"} if days > 30 else set())
    # A day short of its age: stalled by the same rule.
    rows = analyst_client.get(f"/agreements/?stalled={days - 1}").context["rows"]
    assert [row.stalled for row in rows] == [True]


@pytest.mark.parametrize("entry_into_force", EntryIntoForce.values)
@pytest.mark.parametrize("signed_by", ["nobody named", "one party", "both parties"])
@pytest.mark.parametrize("as_of", ["", "2015-04-01"])
def test_the_stalled_mark_agrees_with_stalled_on_signed_agreements(
    analyst_client, entry_into_force, signed_by, as_of
):
    """Pending, for a signed agreement, depends on how it enters into force and on who
    has signed (by the day read): the page's rows and stalled() read it alike."""
    agreement = factories.AgreementFactory(title="Signed", entry_into_force=entry_into_force)
    bnpt, rats = factories.OrganizationFactory(), factories.OrganizationFactory()
    factories.AgreementPartyFactory(agreement=agreement, organization=bnpt)
    factories.AgreementPartyFactory(agreement=agreement, organization=rats)
    if signed_by == "nobody named":
        agreement.record_event("signed", "2014-03-01")
    else:
        agreement.record_event("signed", "2014-03-01", acting_party=bnpt)
    if signed_by == "both parties":
        agreement.record_event("signed", "2015-05-02", acting_party=rats)

    today = datetime.date.fromisoformat(as_of) if as_of else TODAY
    # As of 2015-04-01, RATS had not signed yet.
    awaits_a_signature = signed_by == "one party" or (signed_by == "both parties" and as_of)
    awaits = entry_into_force != EntryIntoForce.ON_SIGNATURE or awaits_a_signature
    rows = analyst_client.get(f"/agreements/?stalled=30&as_of={as_of}").context["rows"]
    listed = {row.title for row in rows}
    marked = {row.title for row in rows if row.stalled}
    found = set(
        Agreement.objects.with_status(as_of or None)
        .stalled(days=30, today=today)
        .values_list("title", flat=True)
    )
    pending = set(
        Agreement.objects.with_status(as_of or None)
        .pending(today=today)
        .values_list("title", flat=True)
    )
    assert listed == marked == found == pending == ({"Signed"} if awaits else set())


@pytest.mark.parametrize("due", [days_ago(1), TODAY.isoformat(), "2999", ""])
def test_the_overdue_marks_agree_with_overdue(analyst_client, due):
    agreement = factories.AgreementFactory(title="Owed")
    agreement.record_event("proposed", days_ago(10))
    follow_up = factories.FollowUpFactory(agreement=agreement, meeting=None, due=due)
    overdue = FollowUp.objects.overdue().filter(pk=follow_up.pk).exists()

    (row,) = analyst_client.get("/agreements/").context["rows"]
    (listed,) = row.open_follow_ups
    assert listed.overdue == row.overdue == overdue == (due == days_ago(1))
    detail = analyst_client.get(f"/agreements/{agreement.pk}/").text
    assert ('class="mark mark-overdue"' in detail) == overdue


@pytest.mark.parametrize("honorific, person", [("Mr", "A. Rahman"), ("", "")])
@pytest.mark.parametrize("acronym", ["BNPT", ""])
def test_the_status_page_says_who_owes_a_follow_up_as_the_follow_up_does(
    analyst_client, honorific, person, acronym
):
    organization = factories.OrganizationFactory(
        name="Indonesian National Agency In Combating Terrorism", acronym=acronym
    )
    responsible = factories.PersonFactory(honorific=honorific, name=person) if person else None
    agreement = factories.AgreementFactory()
    follow_up = factories.FollowUpFactory(
        agreement=agreement, responsible_organization=organization, responsible_person=responsible
    )

    (row,) = analyst_client.get("/agreements/").context["rows"]
    (listed,) = row.open_follow_ups
    assert listed.owed_by == follow_up.owed_by_display
