"""Deleting a record and restoring it from the admin's deleted list brings back everything
that was deleted with it: afterwards the database holds exactly what it held before."""

import re

import pytest
from django.apps import apps
from django.contrib.admin.sites import site
from django.contrib.admin.utils import NestedObjects
from django.db import connection, models
from django.forms.models import _get_foreign_key
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from agreements.models import Agreement, AgreementParty
from cooperation.history import recorded_models
from cooperation.models import Citation, Membership, Organization, Topic
from tests import factories
from tests.admin_forms import admin_url, form_values

# Tables that a delete and a restore change by design: the history of every record (a
# restore is recorded there), the record of deletions itself, logins and the admin's log.
BOOKKEEPING_APPS = {"sessions", "admin", "axes"}
BOOKKEEPING_MODELS = {"cooperation.Deletion", "cooperation.DeletedRow"}


def history_tables():
    tables = set()
    for model in recorded_models():
        history = model.history.model
        tables.add(history._meta.db_table)
        for field in history._history_m2m_fields:
            tables.add(getattr(history, field.name).model._meta.db_table)
    return tables


def database_rows():
    """Every table's rows, history and bookkeeping aside: {table: {pk: row}}."""
    skip = history_tables()
    return {
        model._meta.db_table: {row["id"]: row for row in model._base_manager.values()}
        for model in apps.get_models(include_auto_created=True)
        if model._meta.db_table not in skip
        and model._meta.app_label not in BOOKKEEPING_APPS
        and model._meta.label not in BOOKKEEPING_MODELS
    }


def differences(before, after):
    lines = []
    for table, rows in before.items():
        for pk in rows.keys() | after[table].keys():
            if rows.get(pk) != after[table].get(pk):
                lines.append(f"{table} #{pk}: {rows.get(pk)} -> {after[table].get(pk)}")
    return lines


def factory_for(model):
    return getattr(factories, f"{model.__name__}Factory")


def with_what_goes_with_it(model):
    """A new record of `model` and one row of each kind its deletion would take along."""
    record = factory_for(model)()
    for relation in model._meta.related_objects:
        if relation.many_to_many and relation.through._meta.auto_created:
            other = factory_for(relation.related_model)()
            getattr(other, relation.field.name).add(record)
        elif relation.one_to_many and relation.on_delete is models.CASCADE:
            if relation.related_model is Citation:
                # A citation has no factory of its own: it is made by citing its record.
                factories.cite(record)
            else:
                factory_for(relation.related_model)(**{relation.field.name: record})
    for field in model._meta.many_to_many:
        if field.remote_field.through._meta.auto_created:
            getattr(record, field.name).add(factory_for(field.related_model)())
    return record


def deletable_record(model):
    """The first Tashkent record of `model` that nothing protects from deletion, or else
    a new one with a row of each kind that goes with it."""
    for record in model._base_manager.order_by("pk"):
        collector = NestedObjects(using="default")
        collector.collect([record])
        if not collector.protected:
            return record
    return with_what_goes_with_it(model)


def inline_page_of(model, row=None):
    """The registered admin that edits `model`'s rows inline, and that inline. Given a
    `row`, the admin of the page it is on: a citation is on the page of what it cites."""
    for model_admin in site._registry.values():
        for inline in model_admin.inlines:
            if inline.model is not model:
                continue
            to_page = _get_foreign_key(model_admin.model, model, inline.fk_name)
            if row is None or getattr(row, to_page.attname) is not None:
                return model_admin, inline
    raise AssertionError(f"{model.__name__} has no admin and is no admin's inline")


def list_admin_of(model):
    """The admin whose deleted list offers `model`'s records: its own, or its page's."""
    return site._registry.get(model) or inline_page_of(model)[0]


def delete_in_admin(client, record):
    """Delete as a browser does: the delete page, or the row's checkbox on its page.

    Returns the record saved along with the deletion, if any (the page it was on).
    """
    model = type(record)
    if site.is_registered(model):
        response = client.post(admin_url(model, "delete", record.pk), {"post": "yes"})
        saved = None
    else:
        page_admin, inline = inline_page_of(model, record)
        saved = getattr(record, _get_foreign_key(page_admin.model, model, inline.fk_name).name)
        url = admin_url(page_admin.model, "change", saved.pk)
        page = client.get(url)
        data = form_values(page)
        for formset in page.context["inline_admin_formsets"]:
            for index, form in enumerate(formset.formset.initial_forms):
                if formset.formset.model is model and form.instance.pk == record.pk:
                    data[f"{formset.formset.prefix}-{index}-DELETE"] = "on"
        response = client.post(url, data)
    assert response.status_code == 302, response.content[:3000]
    assert not model._base_manager.filter(pk=record.pk).exists()
    return saved


def deleted_entry(listing, name):
    """The row of the deleted list that names `name`, and its restore button's address."""
    rows = [row.split("</tr>")[0] for row in listing.text.split("<tr")[1:]]
    rows = [row for row in rows if escape(name) in row and "<form" in row]
    assert len(rows) == 1, f"{len(rows)} rows of the deleted list name “{name}”"
    return rows[0], re.search(r'action="([^"]+)"', rows[0])[1]


def may_restore(user, model):
    request = RequestFactory().get("/")
    request.user = user
    return list_admin_of(model).has_add_permission(request)


def restore_from_deleted_list(client, model, name):
    listing = client.get(admin_url(list_admin_of(model).model, "deleted"))
    assert listing.status_code == 200
    row, action = deleted_entry(listing, name)
    response = client.post(action)
    assert response.status_code == 302, response.content[:3000]
    return row, response


@pytest.fixture
def administrator_client(tashkent):
    """The administrator, in a browser of their own beside the `client` of the others."""
    browser = Client()
    browser.force_login(factories.administrator())
    return browser


@pytest.mark.parametrize("model", recorded_models(), ids=lambda model: model._meta.label)
def test_a_deleted_record_comes_back_with_everything_deleted_with_it(
    model, administrator_client, client
):
    record = deletable_record(model)
    name = str(record)
    # Countries are the ISO list: only administrators add them, so only they restore them.
    staff = factories.staff()
    client.force_login(staff if may_restore(staff, model) else factories.administrator())
    before = database_rows()

    saved = delete_in_admin(administrator_client, record)
    if saved is not None:
        # The row was deleted by saving its page, which counts as a save of that record.
        saved.refresh_from_db()
        before[saved._meta.db_table][saved.pk]["version"] = saved.version
    assert database_rows() != before

    restore_from_deleted_list(client, model, name)
    assert differences(before, database_rows()) == []


def test_the_deleted_list_says_what_comes_back_with_an_agreement(
    administrator_client, staff_client
):
    agreement = Agreement.objects.order_by("pk").first()
    delete_in_admin(administrator_client, agreement)
    listing = staff_client.get(admin_url(Agreement, "deleted"))
    row, _ = deleted_entry(listing, agreement.title)
    comes_back = re.findall(r"<td>(.*?)</td>", row)[1].split(", ")
    # Its citations and those of its parties, events and follow-up come back with them.
    assert sorted(comes_back) == [
        "1 follow-up action",
        "1 topic link",
        "2 events",
        "2 parties",
        "6 citations",
    ]


def test_a_citation_deleted_from_a_status_comes_back_with_the_dates_it_attests(
    administrator_client, staff_client
):
    """A status's dates attested are derived from its citations: they go with the
    citation and come back with it."""
    membership = Membership.objects.get(organization__slug="sco", country__code="CN")
    (citation,) = membership.citations.all()
    assert str(membership.attested) == str(membership.last_attested) == "20 August 2013"
    before = database_rows()

    saved = delete_in_admin(administrator_client, citation)
    assert saved == membership
    membership.refresh_from_db()
    assert membership.attested is None and membership.last_attested is None
    before[Membership._meta.db_table][membership.pk]["version"] = membership.version

    restore_from_deleted_list(staff_client, Membership, str(citation))
    assert differences(before, database_rows()) == []
    membership.refresh_from_db()
    assert str(membership.attested) == str(membership.last_attested) == "20 August 2013"


def test_the_deleted_list_says_what_comes_back_with_a_topic(administrator_client, staff_client):
    terrorism = Topic.objects.get(slug="terrorism")
    delete_in_admin(administrator_client, terrorism)
    row, _ = deleted_entry(staff_client.get(admin_url(Topic, "deleted")), "Terrorism")
    comes_back = re.findall(r"<td>(.*?)</td>", row)[1].split(", ")
    assert sorted(comes_back) == ["2 agreement links", "2 meeting links"]


def test_a_party_removed_from_its_agreement_is_offered_on_the_deleted_agreements_list(
    administrator_client, staff_client
):
    party = AgreementParty.objects.order_by("pk").first()
    delete_in_admin(administrator_client, party)
    row, _ = deleted_entry(staff_client.get(admin_url(Agreement, "deleted")), str(party))
    assert party.agreement.title in row


def test_the_delete_action_keeps_each_record_with_what_went_with_it(
    administrator_client, staff_client
):
    before = database_rows()
    response = administrator_client.post(
        admin_url(Agreement, "changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [f"{a.pk},{a.version}" for a in Agreement.objects.all()],
        },
    )
    assert response.status_code == 302
    assert not Agreement.objects.exists()
    for agreement in Agreement.history.filter(history_type="-"):
        restore_from_deleted_list(staff_client, Agreement, agreement.title)
    assert differences(before, database_rows()) == []


def test_a_record_deleted_in_code_is_restored_in_the_admin(staff_client, tashkent):
    before = database_rows()
    agreement = Agreement.objects.order_by("pk").first()
    agreement.delete()
    restore_from_deleted_list(staff_client, Agreement, agreement.title)
    assert differences(before, database_rows()) == []


def test_each_restored_row_is_recorded_as_restored_by_whoever_restored_it(
    administrator_client, staff_client
):
    agreement = Agreement.objects.order_by("pk").first()
    party = agreement.party_links.first()
    delete_in_admin(administrator_client, agreement)
    restore_from_deleted_list(staff_client, Agreement, agreement.title)
    for restored in (agreement, party):
        latest = restored.history.first()
        assert latest.history_type == "+"
        assert latest.history_user.username == "staff"
        assert latest.history_change_reason.startswith("Restored")
    # The agreement's history shows its topics as they came back.
    assert [t.topic.slug for t in agreement.history.first().topics.all()] == ["terrorism"]


def test_a_restore_that_clashes_is_refused_and_writes_nothing(administrator_client, staff_client):
    agreement = Agreement.objects.order_by("pk").first()
    delete_in_admin(administrator_client, agreement)
    factories.AgreementFactory(title=agreement.title)
    before = database_rows()
    row, response = restore_from_deleted_list(staff_client, Agreement, agreement.title)
    assert differences(before, database_rows()) == []
    page = staff_client.get(response.url)
    assert "already exists" in page.text
    assert agreement.title in page.text


def test_a_restore_that_needs_another_deleted_record_names_it(administrator_client, staff_client):
    """A topic's links to an agreement deleted after it come back only with the agreement."""
    terrorism = Topic.objects.get(slug="terrorism")
    agreement = Agreement.objects.order_by("pk").first()
    delete_in_admin(administrator_client, terrorism)
    delete_in_admin(administrator_client, agreement)
    before = database_rows()
    _, response = restore_from_deleted_list(staff_client, Topic, "Terrorism")
    assert differences(before, database_rows()) == []
    page = staff_client.get(response.url)
    assert f"{agreement.title}" in page.text and "restore it first" in page.text

    restore_from_deleted_list(staff_client, Agreement, agreement.title)
    restore_from_deleted_list(staff_client, Topic, "Terrorism")
    assert set(agreement.topics.all()) == {terrorism}


def test_a_deletion_is_restored_once(administrator_client, staff_client):
    agreement = Agreement.objects.order_by("pk").first()
    delete_in_admin(administrator_client, agreement)
    listing = staff_client.get(admin_url(Agreement, "deleted"))
    _, action = deleted_entry(listing, agreement.title)
    assert staff_client.post(action).status_code == 302
    assert staff_client.post(action).status_code == 404
    assert escape(agreement.title) not in staff_client.get(admin_url(Agreement, "deleted")).text


def test_analysts_may_not_restore(administrator_client, client, tashkent):
    agreement = Agreement.objects.order_by("pk").first()
    delete_in_admin(administrator_client, agreement)
    _, action = deleted_entry(
        administrator_client.get(admin_url(Agreement, "deleted")), agreement.title
    )
    client.force_login(factories.analyst())
    assert client.post(action).status_code == 403
    assert not Agreement.objects.filter(pk=agreement.pk).exists()


def test_a_record_deleted_before_deletions_were_kept_is_restored_from_its_history(
    staff_client, tashkent
):
    organization = factories.OrganizationFactory(name="Interpol", acronym="", slug="interpol")
    # As every delete did before: the rows go, and only their history remembers them.
    models.Model.delete(organization)
    restore_from_deleted_list(staff_client, Organization, "Interpol")
    restored = Organization.objects.get(slug="interpol")
    assert restored.history.first().history_change_reason.startswith("Restored")


def test_the_deleted_list_costs_the_same_queries_for_one_deletion_as_for_many(
    administrator_client, staff_client
):
    def queries_of_the_deleted_list():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(admin_url(Agreement, "deleted")).status_code == 200
        return len(queries)

    first, second = Agreement.objects.order_by("pk")
    delete_in_admin(administrator_client, first)
    with_one = queries_of_the_deleted_list()
    delete_in_admin(administrator_client, second)
    for event in factories.AgreementEventFactory.create_batch(3):
        delete_in_admin(administrator_client, event.agreement)
    assert queries_of_the_deleted_list() == with_one
