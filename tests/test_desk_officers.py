"""Desk officers: staff set who of ours tracks an agreement or a follow-up in the admin;
the status page and its exports filter, sort and show agreements by them."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

from agreements.models import Agreement, FollowUp
from cooperation.roles import ANALYSTS, EMBASSY_STAFF
from tests import factories
from tests.admin_forms import admin_url, changelist_results, errors_on_page, form_values
from tests.test_pages import content, make_agreements


@pytest.fixture
def officers(db):
    """Two desk officers, one agreement each, and one agreement nobody tracks."""
    ani = factories.UserFactory(
        username="ani", first_name="Ani", last_name="Wulandari", role=EMBASSY_STAFF
    )
    budi = factories.UserFactory(username="budi", role=ANALYSTS)  # no full name
    rats = factories.OrganizationFactory(acronym="RATS")
    for title, officer in (("MOU A", budi), ("MOU B", ani), ("MOU C", None)):
        agreement = factories.AgreementFactory(title=title, desk_officer=officer)
        factories.AgreementPartyFactory(agreement=agreement, organization=rats)
        agreement.record_event("proposed", "2011")
    return ani, budi


def titles(response):
    return [row.title for row in response.context["rows"]]


# The admin


def test_staff_set_an_agreements_desk_officer(staff_client, officers):
    ani, _budi = officers
    agreement = Agreement.objects.get(title="MOU C")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    data["desk_officer"] = str(ani.pk)
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    agreement.refresh_from_db()
    assert agreement.desk_officer == ani


def test_staff_set_a_follow_ups_desk_officer_on_its_agreements_page(staff_client, officers):
    _ani, budi = officers
    agreement = Agreement.objects.get(title="MOU C")
    follow_up = factories.FollowUpFactory(agreement=agreement, due="2014-01")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    (key,) = [k for k in data if k.endswith("-desk_officer") and k.startswith("follow_ups")]
    data[key] = str(budi.pk)
    response = staff_client.post(url, data)
    assert response.status_code == 302, errors_on_page(response)
    follow_up.refresh_from_db()
    assert follow_up.desk_officer == budi


def test_the_select_offers_only_accounts_that_may_use_the_site(staff_client, officers):
    ani, budi = officers
    factories.UserFactory(username="no-role")
    factories.UserFactory(username="gone", is_active=False, role=EMBASSY_STAFF)
    boss = factories.administrator(first_name="Kepala", last_name="Perwakilan")
    response = staff_client.get(admin_url(Agreement, "add"))
    field = response.context["adminform"].form.fields["desk_officer"]
    offered = [label for value, label in field.choices if value != ""]
    assert offered == ["Ani Wulandari", "budi", "Kepala Perwakilan", "staff"]
    assert boss.is_superuser


def test_a_desk_officer_who_left_stays_on_their_records_but_cannot_be_chosen_anew(
    staff_client, officers
):
    ani, budi = officers
    budi.is_active = False
    budi.save()
    tracked = Agreement.objects.get(title="MOU A")  # budi's
    url = admin_url(Agreement, "change", tracked.pk)
    data = form_values(staff_client.get(url))
    assert data["desk_officer"] == str(budi.pk)  # kept as it is
    assert staff_client.post(url, data).status_code == 302
    assert Agreement.objects.get(pk=tracked.pk).desk_officer == budi

    other = Agreement.objects.get(title="MOU C")
    url = admin_url(Agreement, "change", other.pk)
    data = form_values(staff_client.get(url))
    data["desk_officer"] = str(budi.pk)
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert errors_on_page(response) == [
        "budi may no longer use the site: choose another desk officer."
    ]


def test_an_unknown_account_is_refused_by_the_form(staff_client, officers):
    agreement = Agreement.objects.get(title="MOU C")
    url = admin_url(Agreement, "change", agreement.pk)
    data = form_values(staff_client.get(url))
    data["desk_officer"] = "999999"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert any("valid choice" in error for error in errors_on_page(response))


def test_analysts_see_the_desk_officer_and_cannot_change_it(analyst_client, officers):
    _ani, budi = officers
    agreement = Agreement.objects.get(title="MOU A")
    url = admin_url(Agreement, "change", agreement.pk)
    response = analyst_client.get(url)
    assert response.status_code == 200
    assert "desk_officer" not in response.context["adminform"].form.fields
    assert "budi" in response.text
    data = {"title": "Changed", "desk_officer": ""}
    assert analyst_client.post(url, data).status_code == 403
    assert Agreement.objects.get(pk=agreement.pk).desk_officer == budi


@pytest.mark.parametrize("model", [Agreement, FollowUp], ids=lambda m: m.__name__)
def test_the_admin_lists_filter_by_desk_officer(staff_client, officers, model):
    ani, _budi = officers
    for agreement in Agreement.objects.all():
        factories.FollowUpFactory(agreement=agreement, desk_officer=agreement.desk_officer)
    url = admin_url(model, "changelist")
    mine = changelist_results(staff_client.get(url, {"tracked_by": ani.pk}))
    assert [record.desk_officer for record in mine] == [ani]
    nobodys = changelist_results(staff_client.get(url, {"tracked_by": "none"}))
    assert [record.desk_officer for record in nobodys] == [None]
    # An account that is not among the choices: the admin's "wrong lookup" page, not a 500.
    response = staff_client.get(url, {"tracked_by": "999999"})
    assert response.status_code == 302
    assert response.url.endswith("?e=1")


# The status page


def test_the_status_page_filters_by_desk_officer(analyst_client, officers):
    ani, budi = officers
    assert titles(analyst_client.get("/agreements/", {"desk_officer": ani.pk})) == ["MOU B"]
    assert titles(analyst_client.get("/agreements/", {"desk_officer": "none"})) == ["MOU C"]


def test_an_open_follow_up_a_desk_officer_tracks_brings_its_agreement(analyst_client, officers):
    ani, _budi = officers
    agreement = Agreement.objects.get(title="MOU C")
    factories.FollowUpFactory(agreement=agreement, desk_officer=ani, action="Send the draft")
    done = Agreement.objects.get(title="MOU A")
    factories.FollowUpFactory(agreement=done, desk_officer=ani, state=FollowUp.State.DONE)
    response = analyst_client.get("/agreements/", {"desk_officer": ani.pk})
    assert titles(response) == ["MOU B", "MOU C"]
    assert "tracked by Ani Wulandari" in response.text


def test_mine_is_the_agreements_of_the_account_asking(client, officers):
    ani, _budi = officers
    client.force_login(ani)
    assert titles(client.get("/agreements/", {"desk_officer": "me"})) == ["MOU B"]


@pytest.mark.parametrize("value", ["999999", "ani", "-1"])
def test_an_unknown_account_is_the_forms_clear_error(analyst_client, officers, value):
    response = analyst_client.get("/agreements/", {"desk_officer": value})
    assert response.status_code == 400
    assert "Desk officer: Select a valid choice." in response.text


def test_an_account_without_a_role_is_not_offered(analyst_client, officers):
    nobody = factories.UserFactory(username="no-role")
    response = analyst_client.get("/agreements/", {"desk_officer": nobody.pk})
    assert response.status_code == 400


def test_the_status_page_sorts_by_desk_officer_nobodys_last(analyst_client, officers):
    assert titles(analyst_client.get("/agreements/?sort=desk_officer")) == [
        "MOU B",  # Ani Wulandari
        "MOU A",  # budi
        "MOU C",
    ]
    assert titles(analyst_client.get("/agreements/?sort=-desk_officer")) == [
        "MOU A",
        "MOU B",
        "MOU C",
    ]


def test_the_status_page_shows_each_rows_desk_officer_in_its_column(analyst_client, officers):
    response = analyst_client.get("/agreements/")
    headings = [column["label"] for column in response.context["sort_columns"]]
    assert headings[-1] == "Desk officer"
    assert [row.desk_officer for row in response.context["rows"]] == [
        "budi",
        "Ani Wulandari",
        "",
    ]
    assert 'data-label="Desk officer">Ani Wulandari</td>' in response.text


# Exports


def test_the_csv_export_has_a_desk_officer_column(analyst_client, officers):
    ani, _budi = officers
    text = content(analyst_client.get("/agreements/?format=csv&sort=desk_officer"))
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(row["Agreement"], row["Desk officer"]) for row in rows] == [
        ("MOU B", "Ani Wulandari"),
        ("MOU A", "budi"),
        ("MOU C", ""),
    ]
    text = content(analyst_client.get(f"/agreements/?format=csv&desk_officer={ani.pk}"))
    assert [row["Agreement"] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))] == [
        "MOU B"
    ]


def test_the_excel_export_has_a_desk_officer_column(analyst_client, officers):
    response = analyst_client.get("/agreements/?format=xlsx")
    sheet = load_workbook(io.BytesIO(content(response))).active
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    column = header.index("Desk officer")
    agreement = header.index("Agreement")
    assert [(row[agreement], row[column]) for row in rows] == [
        ("MOU A", "budi"),
        ("MOU B", "Ani Wulandari"),
        ("MOU C", None),  # an empty cell
    ]


def test_the_json_export_names_the_desk_officers(analyst_client, officers):
    ani, _budi = officers
    agreement = Agreement.objects.get(title="MOU C")
    factories.FollowUpFactory(agreement=agreement, desk_officer=ani, action="Send the draft")
    records = json.loads(content(analyst_client.get("/agreements/?format=json")))
    assert [(r["title"], r["desk_officer"]) for r in records] == [
        ("MOU A", "budi"),
        ("MOU B", "Ani Wulandari"),
        ("MOU C", ""),
    ]
    assert records[2]["open_follow_ups"][0]["desk_officer"] == "Ani Wulandari"


# What the status page costs: one query more than before for the accounts to choose
# from (as the countries and topics); the same with the filter, mine or an account's,
# and with the sort. Exports read the accounts only when filtered by one.
STATUS_PAGE_QUERIES = 16
EXPORT_QUERIES = 10


def tracking_everything():
    """An analyst who is the desk officer of every agreement and follow-up."""
    analyst = factories.analyst()
    for record in [*Agreement.objects.all(), *FollowUp.objects.all()]:
        record.desk_officer = analyst
        record.save()
    return analyst


def queries_of(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
        content(response)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    "query", ["", "?desk_officer=me", "?desk_officer=ACCOUNT", "?sort=-desk_officer"]
)
def test_the_status_page_costs_the_same_queries_with_the_filter_and_without(
    client, db, django_assert_num_queries, count, query
):
    make_agreements(count)
    analyst = tracking_everything()
    client.force_login(analyst)
    url = "/agreements/" + query.replace("ACCOUNT", str(analyst.pk))
    queries_of(client, django_assert_num_queries, url, STATUS_PAGE_QUERIES)


@pytest.mark.parametrize(
    "query, expected",
    [("", EXPORT_QUERIES), ("&desk_officer=me", 11), ("&desk_officer=ACCOUNT", 11)],
)
def test_the_csv_export_reads_the_accounts_only_when_filtered_by_one(
    client, db, django_assert_num_queries, query, expected
):
    make_agreements(3)
    analyst = tracking_everything()
    client.force_login(analyst)
    url = "/agreements/?format=csv" + query.replace("ACCOUNT", str(analyst.pk))
    queries_of(client, django_assert_num_queries, url, expected)
