"""A record's history page names who made each change: the account, by its name, or,
for rows no account wrote, where they came from; never "None"."""

import re

from agreements.models import Agreement
from cooperation.models import Organization
from tests import factories
from tests.admin_forms import admin_url, form_values


def changed_by_column(html):
    """The "Changed by" cell of each row of the history table, as text."""
    table = re.search(r'<table id="change-history".*?</table>', html, re.S)[0]
    heads = [
        re.sub(r"<.*?>|\s+", " ", th).strip() for th in re.findall(r"<th.*?</th>", table, re.S)
    ]
    column = heads.index("Changed by")
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    return [
        " ".join(re.sub(r"<.*?>", " ", re.findall(r"<td.*?</td>", row, re.S)[column]).split())
        for row in rows
    ]


def test_rows_loaded_from_fixtures_say_so(staff_client, tashkent):
    agreement = Agreement.objects.first()
    html = staff_client.get(admin_url(Agreement, "history", agreement.pk)).text
    assert changed_by_column(html) == ["loaded from fixtures"]
    assert "None" not in html


def test_a_change_made_in_the_admin_names_the_account_by_its_name(client, tashkent):
    amina = factories.UserFactory(
        username="amina", first_name="Amina", last_name="Rahman", role="Embassy staff"
    )
    client.force_login(amina)
    organization = Organization.objects.get(slug="bnpt")
    url = admin_url(Organization, "change", organization.pk)
    data = form_values(client.get(url))
    data["description"] = "The national counter-terrorism agency."
    assert client.post(url, data).status_code == 302
    html = client.get(admin_url(Organization, "history", organization.pk)).text
    assert changed_by_column(html) == ["Amina Rahman (amina)", "loaded from fixtures"]
    assert "None" not in html  # nor as the reason of a change that gave none


def test_a_change_by_an_account_without_a_name_shows_its_login(staff_client, tashkent):
    organization = Organization.objects.get(slug="bnpt")
    organization._history_user = factories.staff()
    organization.save()
    html = staff_client.get(admin_url(Organization, "history", organization.pk)).text
    assert changed_by_column(html)[0] == "staff"


def test_a_row_that_no_account_wrote_and_no_loader_explains_says_so(staff_client, db):
    organization = factories.OrganizationFactory()  # saved by no request: no account
    html = staff_client.get(admin_url(Organization, "history", organization.pk)).text
    assert changed_by_column(html) == ["no account recorded"]
