"""An error that concerns one row of a record's page is said on that row, not above the
table or at the top of the page, where nobody could tell which row is meant."""

from agreements.admin import AgreementAdmin
from agreements.models import Agreement, AgreementEvent
from cooperation import admin_base
from cooperation.models import Membership, Organization
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.factories import country

CLASH = "Event with this Agreement, Kind and Date already exists."


def rows_with_errors(response, prefix):
    """Each row of inline `prefix` that shows errors: its index and its messages."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.prefix == prefix:
            assert list(inline.formset.non_form_errors()) == []  # nothing above the table
            return {
                index: [message for errors in form.errors.values() for message in errors]
                for index, form in enumerate(inline.formset.forms)
                if form.errors
            }
    raise AssertionError(f"No inline {prefix}.")


def test_two_overlapping_memberships_are_refused_on_both_their_rows(staff_client, db):
    sco = factories.OrganizationFactory(acronym="SCO")
    url = admin_url(Organization, "change", sco.pk)
    data = form_values(staff_client.get(url))
    add_rows(
        data,
        "memberships",
        {"country": str(country("IN").pk), "status": "observer", "start": "2005"},
        {"country": str(country("PK").pk), "status": "observer", "start": "2005"},
        {"country": str(country("IN").pk), "status": "member", "start": "2017"},
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    overlap = (
        "India cannot be observer (2005 – …) while it is also member (2017 – …) of SCO: "
        "give the earlier status an end date."
    )
    assert rows_with_errors(response, "memberships") == {0: [overlap], 2: [overlap]}
    assert not Membership.objects.exists()


def test_a_party_that_acted_is_kept_with_the_reason_on_its_row(admin_client, tashkent):
    agreement = Agreement.objects.get(title__contains="BNPT")
    bnpt = agreement.parties.get(acronym="BNPT")
    agreement.record_event(AgreementEvent.Kind.SIGNED, "2014-03-01", acting_party=bnpt)
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(admin_client.get(url))
    (row,) = [
        key
        for key, value in data.items()
        if key.endswith("-organization") and value == str(bnpt.pk)
    ]
    data[row.replace("-organization", "-DELETE")] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 200
    index = int(row.split("-")[1])
    assert rows_with_errors(response, "party_links") == {
        index: [
            "BNPT cannot be removed from the parties: the event “Signed, 1 March 2014” "
            "names it as the party that acted. Change that event first."
        ]
    }
    # The page says, above the form, that there is something to correct.
    assert "Please correct the error below." in response.text
    assert agreement.party_links.filter(organization=bnpt).exists()


def test_a_row_that_repeats_another_is_told_so_on_the_row(staff_client, tashkent):
    agreement = Agreement.objects.get(title__contains="BNPT")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    add_rows(data, "events", *[{"kind": "under_negotiation", "date": "2014-03-01"}] * 2)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = rows_with_errors(response, "events")
    assert list(errors) == [int(data["events-INITIAL_FORMS"]) + 1]
    assert list(errors.values()) == [
        ["A row above has the same kind and date: change one of them."]
    ]
    assert not agreement.events.filter(kind="under_negotiation").exists()


def test_a_clash_met_only_while_writing_is_said_on_the_row_that_clashes(
    staff_client, tashkent, monkeypatch
):
    agreement = Agreement.objects.get(title__contains="BNPT")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    add_rows(data, "events", {"kind": "under_negotiation", "date": "2014-03-01"})
    new_row = int(data["events-TOTAL_FORMS"]) - 1

    def their_save():
        Agreement.objects.get(pk=agreement.pk).record_event("under_negotiation", "2014-03-01")

    # Theirs lands after this save's form was checked, as it writes, and is committed
    # by the time the form is checked again (here: written again after the rollback).
    original_save_model = AgreementAdmin.save_model

    def save_model(self, request, obj, form, change):
        their_save()
        return original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(AgreementAdmin, "save_model", save_model)
    original_refusal = admin_base.write_refusal

    def write_refusal(error):
        their_save()
        return original_refusal(error)

    monkeypatch.setattr(admin_base, "write_refusal", write_refusal)

    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert rows_with_errors(response, "events") == {new_row: [CLASH]}
    (refusal,) = response.context["adminform"].form.non_field_errors()
    assert refusal.startswith("Nothing was saved")
    assert CLASH not in refusal
    assert "The rows marked below say where." in refusal
    assert errors_on_page(response).count(CLASH) == 1


def test_a_clash_that_no_row_explains_stays_in_the_message_above(
    staff_client, tashkent, monkeypatch
):
    agreement = Agreement.objects.get(title__contains="BNPT")
    url = admin_url(Agreement, "change", agreement.pk)
    data = add_rows(
        form_values(staff_client.get(url)),
        "events",
        {"kind": "under_negotiation", "date": "2014-03-01"},
    )
    original_save_model = AgreementAdmin.save_model

    def save_model(self, request, obj, form, change):
        # Theirs lands as this one writes, and goes back with it.
        Agreement.objects.get(pk=agreement.pk).record_event("under_negotiation", "2014-03-01")
        return original_save_model(self, request, obj, form, change)

    monkeypatch.setattr(AgreementAdmin, "save_model", save_model)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    (refusal,) = response.context["adminform"].form.non_field_errors()
    assert CLASH in refusal
    assert "The rows marked below" not in refusal
