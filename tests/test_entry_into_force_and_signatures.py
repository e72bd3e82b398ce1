"""How an agreement enters into force, who signed it, and where an event happened.

A signed MOU that took effect on signature awaits nothing: it is not pending and not
marked stalled years later. An agreement whose entry into force is not recorded, or comes
with a later act, still awaits a step once signed; so does one that only some of its
parties have signed, which the pages say: "Signed by 1 of 2 parties: BNPT".
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import Agreement, AgreementEvent, EntryIntoForce
from meetings.models import Meeting
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.factories import country

Kind = AgreementEvent.Kind

pytestmark = pytest.mark.django_db

SIGNED_BY_ONE = "Signed by 1 of 2 parties: BNPT"


def mou_between_bnpt_and_rats(entry_into_force=EntryIntoForce.NOT_RECORDED, title=None):
    """An MOU with its two parties, drafted in 2011; returns (mou, bnpt, rats)."""
    mou = factories.AgreementFactory(
        title=title or "MOU between RATS-SCO and BNPT", entry_into_force=entry_into_force
    )
    bnpt = factories.OrganizationFactory(acronym="BNPT", name="Indonesian National Agency")
    rats = factories.OrganizationFactory(acronym="RATS-SCO", name="Regional Anti-Terrorism")
    factories.AgreementPartyFactory(agreement=mou, organization=bnpt)
    factories.AgreementPartyFactory(agreement=mou, organization=rats)
    mou.record_event(Kind.DRAFT_AGREED, "2011")
    return mou, bnpt, rats


def stalled_titles():
    return set(Agreement.objects.with_status().stalled(days=365).values_list("title", flat=True))


def pending_titles():
    return set(Agreement.objects.with_status().pending().values_list("title", flat=True))


# The rule: what is pending, and so can stall.


def test_an_mou_in_force_on_signature_and_signed_years_ago_is_neither_pending_nor_stalled():
    mou, _, _ = mou_between_bnpt_and_rats(EntryIntoForce.ON_SIGNATURE)
    mou.record_event(Kind.SIGNED, "2014-03-01")
    assert pending_titles() == set()
    assert stalled_titles() == set()


@pytest.mark.parametrize(
    "entry_into_force", [EntryIntoForce.NOT_RECORDED, EntryIntoForce.LATER_ACT]
)
def test_a_signed_agreement_still_awaits_a_step_unless_recorded_in_force_on_signature(
    entry_into_force,
):
    mou, _, _ = mou_between_bnpt_and_rats(entry_into_force)
    mou.record_event(Kind.SIGNED, "2014-03-01")
    assert pending_titles() == stalled_titles() == {mou.title}


def test_a_new_agreement_claims_nothing_about_how_it_enters_into_force():
    assert factories.AgreementFactory().entry_into_force == EntryIntoForce.NOT_RECORDED


def test_an_mou_in_force_on_signature_awaits_the_parties_that_have_not_signed():
    mou, bnpt, rats = mou_between_bnpt_and_rats(EntryIntoForce.ON_SIGNATURE)
    mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    assert stalled_titles() == {mou.title}
    mou.record_event(Kind.SIGNED, "2014-05-02", acting_party=rats)
    assert stalled_titles() == set()


def test_statuses_before_signature_are_pending_and_those_after_it_are_not():
    for kind in Kind.values:
        factories.AgreementFactory(
            title=kind, entry_into_force=EntryIntoForce.ON_SIGNATURE
        ).record_event(kind, "2012")
    assert pending_titles() == {
        "proposed",
        "draft_agreed",
        "follow_up_requested",
        "under_negotiation",
    }


# Naming the party that acted, and the place.


def test_an_event_names_the_party_that_acted():
    mou, bnpt, _ = mou_between_bnpt_and_rats()
    signed = mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    assert AgreementEvent.objects.get(pk=signed.pk).acting_party == bnpt


def test_the_party_that_acted_must_be_a_party_to_the_agreement():
    mou, _, _ = mou_between_bnpt_and_rats()
    stranger = factories.OrganizationFactory(acronym="ASEAN-SEC", name="ASEAN Secretariat")
    with pytest.raises(ValidationError) as refused:
        mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=stranger)
    assert refused.value.message_dict == {
        "acting_party": [
            "ASEAN-SEC is not a party to this agreement: its parties are BNPT and RATS-SCO."
        ]
    }
    assert not mou.events.filter(kind=Kind.SIGNED).exists()


def test_an_event_without_a_meeting_carries_its_own_place():
    mou, _, _ = mou_between_bnpt_and_rats()
    signed = mou.record_event(Kind.SIGNED, "2014-03-01", city="Jakarta", country=country("ID"))
    assert AgreementEvent.objects.get(pk=signed.pk).place == "Jakarta, Indonesia"


@pytest.mark.parametrize("place", [{"city": "Jakarta"}, {"country": "ID"}])
def test_an_event_at_a_meeting_takes_the_meetings_place_and_refuses_another(place):
    mou, _, _ = mou_between_bnpt_and_rats()
    meeting = factories.MeetingFactory(date="2014-03-01")
    if "country" in place:
        place = {"country": country(place["country"])}
    with pytest.raises(ValidationError) as refused:
        mou.record_event(Kind.SIGNED, "2014-03-01", meeting=meeting, **place)
    (field,) = place
    assert refused.value.message_dict == {
        field: ["It happened at a meeting, which gives its place: leave the place blank."]
    }


# The pages.


def test_the_status_page_says_signed_by_1_of_2_parties_until_both_have_signed(analyst_client):
    mou, bnpt, rats = mou_between_bnpt_and_rats()
    mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    response = analyst_client.get("/agreements/")
    assert response.status_code == 200
    assert SIGNED_BY_ONE in response.text

    mou.record_event(Kind.SIGNED, "2014-05-02", acting_party=rats)
    response = analyst_client.get("/agreements/")
    assert "of 2 parties" not in response.text
    assert '<span class="status status-signed">Signed</span>' in response.text


def test_the_status_page_as_of_a_day_counts_the_signatures_made_by_then(analyst_client):
    mou, bnpt, rats = mou_between_bnpt_and_rats(EntryIntoForce.ON_SIGNATURE)
    mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    mou.record_event(Kind.SIGNED, "2015-05-02", acting_party=rats)
    response = analyst_client.get("/agreements/?as_of=2015-04-01")
    (row,) = response.context["rows"]
    assert SIGNED_BY_ONE in response.text and row.stalled
    (row,) = analyst_client.get("/agreements/?as_of=2015-06-01").context["rows"]
    assert not row.stalled


def test_a_signature_that_names_no_party_reads_simply_signed(analyst_client):
    mou, _, _ = mou_between_bnpt_and_rats()
    mou.record_event(Kind.SIGNED, "2014-03-01")
    assert "of 2 parties" not in analyst_client.get("/agreements/").text
    assert "of 2 parties" not in analyst_client.get(f"/agreements/{mou.pk}/").text


def test_the_agreement_page_says_who_signed_where_and_how_it_enters_into_force(analyst_client):
    mou, bnpt, _ = mou_between_bnpt_and_rats(EntryIntoForce.ON_SIGNATURE)
    meeting = factories.MeetingFactory(title="Tashkent talks", date="2013-08-20")
    mou.record_event(Kind.FOLLOW_UP_REQUESTED, "2013-08-20", meeting=meeting)
    mou.record_event(
        Kind.SIGNED, "2014-03-01", acting_party=bnpt, city="Jakarta", country=country("ID")
    )
    response = analyst_client.get(f"/agreements/{mou.pk}/")
    html = response.text
    assert response.status_code == 200
    assert SIGNED_BY_ONE in html
    assert "On signature" in html
    history = html[html.index("<h2>History</h2>") : html.index("<h2>Follow-up actions</h2>")]
    assert "Signed by BNPT" in history and "Jakarta, Indonesia" in history
    # An event at a meeting is placed by its meeting, as before.
    assert "Tashkent talks" in history and "Tashkent, Uzbekistan" in history


@pytest.mark.parametrize("page", ["status", "agreement"])
def test_anonymous_users_are_sent_to_log_in(client, page):
    mou, _, _ = mou_between_bnpt_and_rats()
    url = "/agreements/" if page == "status" else f"/agreements/{mou.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("page", ["status", "agreement"])
@pytest.mark.parametrize("role", ["analyst", "staff"])
def test_analysts_and_staff_read_who_signed(client, page, role):
    mou, bnpt, _ = mou_between_bnpt_and_rats()
    mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    client.force_login(getattr(factories, role)())
    response = client.get("/agreements/" if page == "status" else f"/agreements/{mou.pk}/")
    assert response.status_code == 200
    assert SIGNED_BY_ONE in response.text


def half_signed_mous(count):
    """`count` MOUs, each signed by one of its two parties in Jakarta."""
    for number in range(count):
        mou, bnpt, _ = mou_between_bnpt_and_rats(title=f"MOU {number}")
        mou.record_event(
            Kind.SIGNED, "2014-03-01", acting_party=bnpt, city="Jakarta", country=country("ID")
        )


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# As tests/test_pages.py pins them: who signed costs no query of its own.
@pytest.mark.parametrize(
    "url, expected", [("/agreements/", 16), ("/agreements/?as_of=2015-01-01", 16)]
)
def test_the_status_page_costs_the_same_queries_for_one_mou_and_for_many(client, url, expected):
    client.force_login(factories.analyst())
    counts = []
    for count in (1, 30):
        Agreement.objects.all().delete()
        half_signed_mous(count)
        counts.append(queries_of(client, url))
    assert counts == [expected, expected]


def test_the_agreement_page_costs_the_same_queries_for_one_signature_and_for_many(client):
    client.force_login(factories.analyst())
    counts = []
    for count in (1, 20):
        mou = factories.AgreementFactory(title=f"MOU of {count}")
        for number in range(count):
            party = factories.OrganizationFactory()
            factories.AgreementPartyFactory(agreement=mou, organization=party)
            mou.record_event(
                Kind.SIGNED,
                f"{2000 + number}",
                acting_party=party,
                city="Jakarta",
                country=country("ID"),
            )
        counts.append(queries_of(client, f"/agreements/{mou.pk}/"))
    assert counts == [16, 16]  # tests/test_pages.py's 13, and the citations of three lists


# The admin.


def test_staff_record_how_an_agreement_enters_into_force(staff_client):
    mou, _, _ = mou_between_bnpt_and_rats()
    url = admin_url(Agreement, "change", mou.pk)
    data = form_values(staff_client.get(url))
    assert data["entry_into_force"] == EntryIntoForce.NOT_RECORDED
    data["entry_into_force"] = EntryIntoForce.ON_SIGNATURE
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    mou.refresh_from_db()
    assert mou.entry_into_force == EntryIntoForce.ON_SIGNATURE


def test_staff_record_a_signature_by_one_party_in_jakarta_on_the_agreements_page(staff_client):
    mou, bnpt, _ = mou_between_bnpt_and_rats(EntryIntoForce.ON_SIGNATURE)
    url = admin_url(Agreement, "change", mou.pk)
    data = add_rows(
        form_values(staff_client.get(url)),
        "events",
        {
            "kind": Kind.SIGNED,
            "date": "2014-03-01",
            "acting_party": str(bnpt.pk),
            "city": "Jakarta",
            "country": str(country("ID").pk),
        },
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    signed = mou.events.get(kind=Kind.SIGNED)
    assert (signed.acting_party, signed.place) == (bnpt, "Jakarta, Indonesia")
    # Written inside events_changing(): the stored status moved on with it.
    assert Agreement.objects.with_status().get(pk=mou.pk).status == Kind.SIGNED


def test_the_agreements_page_refuses_a_signature_by_an_organization_not_a_party(staff_client):
    mou, _, _ = mou_between_bnpt_and_rats()
    stranger = factories.OrganizationFactory(acronym="ASEAN-SEC")
    url = admin_url(Agreement, "change", mou.pk)
    data = add_rows(
        form_values(staff_client.get(url)),
        "events",
        {"kind": Kind.SIGNED, "date": "2014-03-01", "acting_party": str(stranger.pk)},
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "ASEAN-SEC is not a party to this agreement: its parties are BNPT and RATS-SCO."
    ]
    assert not mou.events.filter(kind=Kind.SIGNED).exists()


def test_a_party_that_signed_cannot_be_removed_until_its_signature_is(admin_client):
    # Administrators alone delete records, a party of an agreement among them.
    mou, bnpt, _ = mou_between_bnpt_and_rats()
    mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    url = admin_url(Agreement, "change", mou.pk)
    data = form_values(admin_client.get(url))
    (row,) = [
        key
        for key, value in data.items()
        if key.endswith("-organization") and value == str(bnpt.pk)
    ]
    data[row.replace("-organization", "-DELETE")] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "BNPT cannot be removed from the parties: the event “Signed, 1 March 2014” names it "
        "as the party that acted. Change that event first."
    ]
    assert mou.party_links.filter(organization=bnpt).exists()


def test_the_event_page_refuses_a_place_beside_a_meeting_with_a_message(staff_client):
    mou, _, _ = mou_between_bnpt_and_rats()
    meeting = factories.MeetingFactory(date="2014-03-01")
    data = form_values(staff_client.get(admin_url(AgreementEvent, "add")))
    data.update(
        agreement=str(mou.pk),
        kind=Kind.SIGNED,
        date="2014-03-01",
        meeting=str(meeting.pk),
        city="Jakarta",
    )
    response = staff_client.post(admin_url(AgreementEvent, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "It happened at a meeting, which gives its place: leave the place blank."
    ]


def test_the_event_page_refuses_a_party_that_acted_from_another_agreement(staff_client):
    mou, _, _ = mou_between_bnpt_and_rats()
    other_party = factories.AgreementPartyFactory(
        organization=factories.OrganizationFactory(acronym="ASEAN-SEC")
    ).organization
    data = form_values(staff_client.get(admin_url(AgreementEvent, "add")))
    data.update(
        agreement=str(mou.pk), kind=Kind.SIGNED, date="2014-03-01", acting_party=other_party.pk
    )
    response = staff_client.post(admin_url(AgreementEvent, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "ASEAN-SEC is not a party to this agreement: its parties are BNPT and RATS-SCO."
    ]


def test_a_new_agreement_names_who_signed_once_saved_with_its_parties(staff_client):
    bnpt = factories.OrganizationFactory(acronym="BNPT")
    data = form_values(staff_client.get(admin_url(Agreement, "add")))
    data.update(title="MOU with BNPT", kind=Agreement.Kind.MOU)
    add_rows(data, "party_links", {"organization": str(bnpt.pk)})
    add_rows(
        data, "events", {"kind": Kind.SIGNED, "date": "2014-03-01", "acting_party": str(bnpt.pk)}
    )
    response = staff_client.post(admin_url(Agreement, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "Save the agreement with its parties first, then name the party that acted."
    ]
    assert not Agreement.objects.exists()


@pytest.mark.parametrize("role, status", [("analyst", 200), ("staff", 200)])
def test_the_event_and_agreement_pages_of_the_admin_show_the_new_fields(client, role, status):
    mou, bnpt, _ = mou_between_bnpt_and_rats()
    signed = mou.record_event(Kind.SIGNED, "2014-03-01", acting_party=bnpt, city="Jakarta")
    client.force_login(getattr(factories, role)())
    agreement_page = client.get(admin_url(Agreement, "change", mou.pk))
    event_page = client.get(admin_url(AgreementEvent, "change", signed.pk))
    assert (agreement_page.status_code, event_page.status_code) == (status, status)
    assert "Enters into force" in agreement_page.text
    for page in (agreement_page, event_page):
        assert "Party that acted" in page.text and "Jakarta" in page.text


def test_anonymous_users_are_sent_from_the_admin_pages_to_log_in(client):
    mou, _, _ = mou_between_bnpt_and_rats()
    for url in (admin_url(Agreement, "change", mou.pk), admin_url(AgreementEvent, "add")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url


def test_an_event_at_a_meeting_names_its_acting_party_on_the_meetings_page(staff_client):
    meeting = factories.MeetingFactory(date="2014-03-01")
    page = staff_client.get(admin_url(Meeting, "change", meeting.pk)).text
    assert 'name="agreement_events-__prefix__-acting_party"' in page
    # Its place is the meeting's: no box for another.
    assert 'name="agreement_events-__prefix__-city"' not in page


# The fixtures claim nothing new.


def test_the_tashkent_agreements_record_no_entry_into_force_no_signer_and_no_place(tashkent):
    assert set(Agreement.objects.values_list("entry_into_force", flat=True)) == {
        EntryIntoForce.NOT_RECORDED
    }
    assert not AgreementEvent.objects.exclude(acting_party=None).exists()
    assert not AgreementEvent.objects.exclude(city="").exists()
    assert not AgreementEvent.objects.exclude(country=None).exists()
