"""Memberships in the admin: one status at a time for a country in an organization, on the
membership page and in the organization page's rows."""

import pytest

from cooperation.models import Membership, Organization
from tests import factories
from tests.admin_forms import add_rows, admin_url, errors_on_page, form_values
from tests.factories import country


@pytest.fixture
def uzbekistan_observer_of_sco(db):
    return factories.MembershipFactory(
        organization=factories.OrganizationFactory(acronym="SCO"),
        country=country("UZ"),
        status=Membership.Status.OBSERVER,
        start="2005",
    )


def test_the_membership_page_refuses_a_second_status_at_the_same_time(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Membership, "add")))
    data.update(
        organization=str(sco.pk),
        country=str(country("UZ").pk),
        status=Membership.Status.MEMBER,
        start="2010",
    )
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "Uzbekistan cannot be member (2010 – …) while it is also observer (2005 – …) of SCO: "
        "give the earlier status an end date."
    ]
    assert Membership.objects.count() == 1


def test_the_membership_page_accepts_a_new_status_once_the_old_one_has_ended(
    staff_client, uzbekistan_observer_of_sco
):
    observer = uzbekistan_observer_of_sco
    data = form_values(staff_client.get(admin_url(Membership, "change", observer.pk)))
    data.update(end="2017-06-09")
    response = staff_client.post(admin_url(Membership, "change", observer.pk), data)
    assert response.status_code == 302, errors_on_page(response)

    data = form_values(staff_client.get(admin_url(Membership, "add")))
    data.update(
        organization=str(observer.organization.pk),
        country=str(country("UZ").pk),
        status=Membership.Status.MEMBER,
        start="2017-06-09",
    )
    response = staff_client.post(admin_url(Membership, "add"), data)
    assert response.status_code == 302, errors_on_page(response)
    assert Membership.objects.count() == 2


def test_two_overlapping_rows_on_the_organization_page_are_refused(staff_client, db):
    sco = factories.OrganizationFactory(acronym="SCO")
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("IN").pk), "status": "observer", "start": "2005"},
        {"country": str(country("IN").pk), "status": "member", "start": "2017"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    overlap = (
        "India cannot be observer (2005 – …) while it is also member (2017 – …) of SCO: "
        "give the earlier status an end date."
    )
    assert errors_on_page(response) == [overlap, overlap]  # on each of the two rows
    assert not Membership.objects.exists()


def test_a_new_row_overlapping_a_saved_one_on_the_organization_page_is_refused(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    add_rows(
        data,
        "memberships",
        {"country": str(country("UZ").pk), "status": "member", "start": "2017-06-09"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 200
    assert any("Uzbekistan cannot be" in error for error in errors_on_page(response))
    assert Membership.objects.count() == 1


def test_ending_the_observer_row_and_starting_the_member_row_in_one_save_is_accepted(
    staff_client, uzbekistan_observer_of_sco
):
    sco = uzbekistan_observer_of_sco.organization
    data = form_values(staff_client.get(admin_url(Organization, "change", sco.pk)))
    assert data["memberships-0-id"] == str(uzbekistan_observer_of_sco.pk)
    data["memberships-0-end"] = "2017-06-09"
    add_rows(
        data,
        "memberships",
        {"country": str(country("UZ").pk), "status": "member", "start": "2017-06-09"},
    )
    response = staff_client.post(admin_url(Organization, "change", sco.pk), data)
    assert response.status_code == 302, errors_on_page(response)
    assert [
        (m.status, m.start.iso, m.end.iso if m.end else None)
        for m in sco.memberships.order_by("start_first")
    ] == [("observer", "2005", "2017-06-09"), ("member", "2017-06-09", None)]
