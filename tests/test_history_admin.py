"""Staff read a record's history field by field, restore an earlier version or a deleted record."""

from agreements.models import Agreement
from cooperation.models import Organization
from tests import factories
from tests.admin_forms import admin_url, form_values


def save_in_admin(client, record, **changes):
    url = admin_url(type(record), "change", record.pk)
    data = form_values(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content[:2000]


def test_the_history_page_shows_who_changed_which_field_from_what_to_what(staff_client, tashkent):
    agreement = Agreement.objects.first()
    save_in_admin(staff_client, agreement, summary="A new summary")
    response = staff_client.get(admin_url(Agreement, "history", agreement.pk))
    html = response.text
    assert response.status_code == 200
    assert "staff" in html
    assert "A new summary" in html and "A draft agreed in Jakarta in 2011" in html
    assert "Loaded from fixtures/tashkent_2013.json" in html


def test_staff_restore_an_earlier_version(staff_client, tashkent):
    agreement = Agreement.objects.first()
    original = agreement.summary
    save_in_admin(staff_client, agreement, summary="A mistaken summary")
    first_version = agreement.history.order_by("history_date").first()
    url = admin_url(Agreement, "simple_history", agreement.pk, first_version.history_id)
    data = form_values(staff_client.get(url))
    response = staff_client.post(url, data)
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.summary == original
    assert agreement.history.count() == 3  # loaded, mistaken, restored


def test_analysts_may_read_an_earlier_version_but_not_restore_it(analyst_client, tashkent):
    agreement = Agreement.objects.first()
    version = agreement.history.first()
    url = admin_url(Agreement, "simple_history", agreement.pk, version.history_id)
    assert analyst_client.get(url).status_code == 200
    assert analyst_client.post(url, {}).status_code == 403


def test_a_deleted_record_is_listed_and_staff_restore_it(client, tashkent):
    client.force_login(factories.administrator())
    organization = factories.OrganizationFactory(name="Interpol", acronym="", slug="interpol")
    pk = organization.pk
    client.post(admin_url(Organization, "delete", pk), {"post": "yes"})
    assert not Organization.objects.filter(pk=pk).exists()

    client.force_login(factories.staff())
    listing = client.get(admin_url(Organization, "deleted"))
    assert "Interpol" in listing.text
    deleted = Organization.history.get(id=pk, history_type="-")
    response = client.post(admin_url(Organization, "restore", deleted.history_id))
    assert response.status_code == 302
    restored = Organization.objects.get(pk=pk)
    assert restored.name == "Interpol"
    latest = restored.history.first()
    assert latest.history_type == "+" and latest.history_user.username == "staff"
    assert latest.history_change_reason.startswith("Restored after its deletion")
    still_deleted = client.get(admin_url(Organization, "deleted")).context["deleted"]
    assert pk not in [entry.id for entry in still_deleted]


def test_the_changelist_links_to_the_deleted_records_for_staff_only(client, tashkent):
    client.force_login(factories.staff())
    assert "Deleted organizations" in client.get(admin_url(Organization, "changelist")).text
    client.force_login(factories.analyst())
    assert "Deleted organizations" not in client.get(admin_url(Organization, "changelist")).text
