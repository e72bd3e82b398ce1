"""Starting the site again (`make run`) changes no record that staff have since edited.

`make run` runs `make setup` on every start: migrate, load the Tashkent fixtures,
create the demo accounts. The fixtures are loaded into a database once; after that,
staff own the records.
"""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from agreements.models import Agreement
from cooperation.history import recorded_models
from cooperation.models import Organization, Topic
from tests import factories
from tests.admin_forms import admin_url, errors_on_page, form_values

FIXTURE = "fixtures/tashkent_2013.json"
# The tests' users have the demo accounts' names; this keeps the password they have.
DEMO_PASSWORD = "correct horse battery staple"
BNPT_MOU = "MOU on Counter-terrorism Cooperation between RATS-SCO and BNPT"


def restart():
    """What `make setup` runs on every start of `make run`; its output."""
    out = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_records", FIXTURE, stdout=out)
    call_command("demo_accounts", stdout=io.StringIO())
    return out.getvalue()


@pytest.fixture
def demo_settings(settings, monkeypatch):
    settings.DEBUG = True  # demo_accounts is for development
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)


def versions_and_history():
    """Every record's version, and how many history rows each record type has."""
    versions = {
        (model._meta.label, pk): version
        for model in recorded_models()
        for pk, version in model._base_manager.values_list("pk", "version")
    }
    return versions, {model._meta.label: model.history.count() for model in recorded_models()}


def test_a_restart_keeps_staff_edits_deletions_and_open_forms(
    staff_client, tashkent, demo_settings
):
    # Staff rename an agreement in the admin.
    agreement = Agreement.objects.get(title=BNPT_MOU)
    url = admin_url(Agreement, "change", agreement.pk)
    renamed = form_values(staff_client.get(url))
    renamed["title"] = "MOU between RATS-SCO and BNPT"
    assert staff_client.post(url, renamed).status_code == 302

    # An administrator deletes a topic.
    administrator = Client()
    administrator.force_login(factories.administrator())
    smuggling = Topic.objects.get(slug="smuggling")
    response = administrator.post(admin_url(Topic, "delete", smuggling.pk), {"post": "yes"})
    assert response.status_code == 302

    # Someone opens an organization's form, and saves it after the restart.
    sco = Organization.objects.get(slug="sco")
    sco_url = admin_url(Organization, "change", sco.pk)
    open_form = form_values(staff_client.get(sco_url))

    before = versions_and_history()
    output = restart()

    assert "loaded into this database before" in output
    # No second agreement under the old title.
    titles = Agreement.objects.filter(title__contains="BNPT").values_list("title", flat=True)
    assert list(titles) == ["MOU between RATS-SCO and BNPT"]
    assert not Topic.objects.filter(slug="smuggling").exists()
    assert versions_and_history() == before

    open_form["description"] = "Edited in a form opened before the restart"
    response = staff_client.post(sco_url, open_form)
    assert response.status_code == 302, errors_on_page(response)
    # Saved, not sent to the login page: the restart did not end the session either.
    assert response["Location"] == admin_url(Organization, "changelist")
    sco.refresh_from_db()
    assert sco.description == "Edited in a form opened before the restart"


def test_a_restart_of_an_untouched_database_changes_no_record(tashkent, demo_settings):
    before = versions_and_history()
    restart()
    restart()
    assert versions_and_history() == before


def test_a_restart_keeps_the_demo_accounts_signed_in(client, db, demo_settings):
    call_command("demo_accounts", stdout=io.StringIO())
    client.force_login(User.objects.get(username="staff"))
    call_command("demo_accounts", stdout=io.StringIO())
    assert client.get("/agreements/").status_code == 200


def test_the_same_fixture_named_by_another_path_is_known_as_loaded(tashkent, settings):
    Topic.objects.get(slug="smuggling").delete()
    out = io.StringIO()
    call_command("load_records", str(settings.BASE_DIR / FIXTURE), stdout=out)
    assert "loaded into this database before" in out.getvalue()
    assert not Topic.objects.filter(slug="smuggling").exists()


def test_again_loads_the_fixture_anew(tashkent):
    Topic.objects.get(slug="smuggling").delete()
    sco = Organization.objects.get(slug="sco")
    sco.description = "Edited by hand"
    sco.save()
    call_command("load_records", FIXTURE, again=True, verbosity=0)
    assert Topic.objects.filter(slug="smuggling").exists()
    sco.refresh_from_db()
    assert sco.description != "Edited by hand"


def test_a_new_database_gets_the_fixture(db):
    factories.ensure_countries()
    out = io.StringIO()
    call_command("load_records", FIXTURE, stdout=out)
    assert Agreement.objects.filter(title=BNPT_MOU).exists()
    assert "History:" in out.getvalue()
